package notify

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/metrics/metricstest"
)

// TestSenderMetrics feeds stream batches of real outbox items to the
// sender: deliveries count once however often a record is redelivered,
// every failed attempt counts, a record left to another sender does not.
// Counts are cumulative over the steps.
func TestSenderMetrics(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	w, rec := metricstest.New(f.sender.Clock.Now)
	f.sender.Metrics = w
	email := func(id string) clientzone.Message {
		return clientzone.Message{ID: id, Channel: clientzone.ChannelEmail, To: "peter@example.sk", Template: "password-changed",
			Language: clientzone.LangEN, Data: map[string]string{"name": "Peter"}, CreatedAt: f.now}
	}
	batch := func(recs ...events.DynamoDBEventRecord) events.DynamoDBEvent {
		return events.DynamoDBEvent{Records: recs}
	}
	first := batch(f.put(t, resetCode(f, "01JMET00000000000000000001"), "100"), f.put(t, email("01JMET00000000000000000002"), "101"))
	refused := batch(f.put(t, email("01JMET00000000000000000003"), "200"))
	broken := resetCode(f, "01JMET00000000000000000004")
	delete(broken.Data, "code")
	undecodable := f.put(t, email("01JMET00000000000000000005"), "400")
	delete(undecodable.Change.NewImage, "pk")
	claimed := email("01JMET00000000000000000006")
	claimedRec := f.put(t, claimed, "500")

	steps := []struct {
		name              string
		before            func(t *testing.T)
		ev                events.DynamoDBEvent
		retries           int // batch item failures reported
		delivered, failed int
	}{
		{"an SMS and an email delivered", nil, first, 0, 2, 0},
		{"the batch redelivered", nil, first, 0, 2, 0},
		{"the transport refuses", func(*testing.T) { f.email.fail = errors.New("ses: throttled") }, refused, 1, 2, 1},
		{"the retry delivers", func(*testing.T) { f.email.fail = nil }, refused, 0, 3, 1},
		{"a message that cannot render", nil, batch(f.put(t, broken, "300")), 0, 3, 2},
		{"an undecodable record", nil, batch(undecodable), 0, 3, 3},
		{"claimed by another sender", func(t *testing.T) {
			if r, err := f.db.ClaimOutbox(ctx, dynamo.OutboxPK(claimed.CreatedAt), claimed.ID, f.now, DefaultLease); err != nil || r != clientzone.OutboxClaimed {
				t.Fatal(r, err)
			}
		}, batch(claimedRec), 1, 3, 3},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.before != nil {
				s.before(t)
			}
			resp, err := f.sender.Handle(ctx, s.ev)
			if err != nil || len(resp.BatchItemFailures) != s.retries {
				t.Fatalf("Handle = %+v, %v; want %d records retried", resp, err, s.retries)
			}
			if got := rec.Sum(t, MetricOutboxDelivered); got != s.delivered {
				t.Errorf("OutboxDelivered = %d, want %d", got, s.delivered)
			}
			if got := rec.Sum(t, MetricOutboxFailed); got != s.failed {
				t.Errorf("OutboxFailed = %d, want %d", got, s.failed)
			}
		})
	}
	if f.sms.count()+f.email.count() != 3 {
		t.Errorf("transports got %d SMS and %d emails, want the 3 counted", f.sms.count(), f.email.count())
	}
}
