package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// recorder is a Deliverer that records messages and can fail.
type recorder struct {
	mu   sync.Mutex
	sent []Rendered
	fail error
}

func (r *recorder) Send(_ context.Context, m Rendered) error {
	time.Sleep(20 * time.Millisecond) // widen the race window of concurrent tests
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.sent = append(r.sent, m)
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

// toStream is the inverse of FromStreamValue (builds stream images from
// real items).
func toStream(t *testing.T, av types.AttributeValue) events.DynamoDBAttributeValue {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value)
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value)
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute()
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(v.Value)
	case *types.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(v.Value)
	case *types.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(v.Value)
	case *types.AttributeValueMemberL:
		var l []events.DynamoDBAttributeValue
		for _, e := range v.Value {
			l = append(l, toStream(t, e))
		}
		return events.NewListAttribute(l)
	case *types.AttributeValueMemberM:
		m := map[string]events.DynamoDBAttributeValue{}
		for k, e := range v.Value {
			m[k] = toStream(t, e)
		}
		return events.NewMapAttribute(m)
	}
	t.Fatalf("unexpected %T", av)
	return events.DynamoDBAttributeValue{}
}

func TestFromStreamValueEveryType(t *testing.T) {
	in := map[string]types.AttributeValue{
		"s":    &types.AttributeValueMemberS{Value: "ž"},
		"n":    &types.AttributeValueMemberN{Value: "-12.5"},
		"b":    &types.AttributeValueMemberB{Value: []byte{0, 1, 2}},
		"bool": &types.AttributeValueMemberBOOL{Value: true},
		"null": &types.AttributeValueMemberNULL{Value: true},
		"ss":   &types.AttributeValueMemberSS{Value: []string{"a", "b"}},
		"ns":   &types.AttributeValueMemberNS{Value: []string{"1", "2"}},
		"bs":   &types.AttributeValueMemberBS{Value: [][]byte{{1}, {2}}},
		"l":    &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberS{Value: "x"}, &types.AttributeValueMemberN{Value: "3"}}},
		"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
			"inner": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"k": &types.AttributeValueMemberS{Value: "v"}}},
		}},
	}
	img := map[string]events.DynamoDBAttributeValue{}
	for k, v := range in {
		img[k] = toStream(t, v)
	}
	// Through JSON too, as Lambda delivers it.
	raw, err := json.Marshal(img)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON map[string]events.DynamoDBAttributeValue
	if err := json.Unmarshal(raw, &fromJSON); err != nil {
		t.Fatal(err)
	}
	out, err := FromStreamImage(fromJSON)
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := attributevalue.UnmarshalMap(in, &want); err != nil {
		t.Fatal(err)
	}
	if err := attributevalue.UnmarshalMap(out, &got); err != nil {
		t.Fatal(err)
	}
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if string(wj) != string(gj) {
		t.Errorf("converted\n%s\nwant\n%s", gj, wj)
	}
	if _, ok := out["null"].(*types.AttributeValueMemberNULL); !ok {
		t.Errorf("null = %T", out["null"])
	}
	if v, ok := out["ns"].(*types.AttributeValueMemberNS); !ok || len(v.Value) != 2 {
		t.Errorf("ns = %#v", out["ns"])
	}
}

type fixture struct {
	db     *dynamo.DB
	table  string
	email  *recorder
	sms    *recorder
	sender *Sender
	logs   *bytes.Buffer
	now    time.Time
}

type lockedBuffer struct {
	mu sync.Mutex
	bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.Write(p)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	table := dynamotest.NewTable(t)
	f := &fixture{db: dynamo.New(dynamotest.Client(), table), table: table, email: &recorder{}, sms: &recorder{},
		now: time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)}
	r, err := NewRenderer("Acme Net")
	if err != nil {
		t.Fatal(err)
	}
	lb := &lockedBuffer{}
	f.logs = &lb.Buffer
	f.sender = &Sender{Store: f.db, Renderer: r, Email: f.email, SMS: f.sms, Clock: clientzone.FixedClock(f.now),
		Logger: slog.New(slog.NewJSONHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	return f
}

// put writes m through a transaction (as the use cases do) and returns the
// stream event DynamoDB would deliver for it.
func (f *fixture) put(t *testing.T, m clientzone.Message, seq string) events.DynamoDBEventRecord {
	t.Helper()
	tx := f.db.NewTx()
	if err := tx.Outbox(&m); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	k := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: dynamo.OutboxPK(m.CreatedAt)}, "sk": &types.AttributeValueMemberS{Value: m.ID}}
	out, err := dynamotest.Client().GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(f.table), Key: k})
	if err != nil || out.Item == nil {
		t.Fatalf("get outbox item: %v", err)
	}
	rec := events.DynamoDBEventRecord{EventName: "INSERT", EventSource: "aws:dynamodb"}
	rec.Change.SequenceNumber = seq
	rec.Change.Keys = map[string]events.DynamoDBAttributeValue{"pk": toStream(t, k["pk"]), "sk": toStream(t, k["sk"])}
	rec.Change.NewImage = map[string]events.DynamoDBAttributeValue{}
	for a, v := range out.Item {
		rec.Change.NewImage[a] = toStream(t, v)
	}
	return rec
}

func (f *fixture) state(t *testing.T, m clientzone.Message) dynamo.OutboxState {
	t.Helper()
	s, err := f.db.OutboxDelivery(context.Background(), m.CreatedAt, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func resetCode(f *fixture, id string) clientzone.Message {
	return clientzone.Message{ID: id, Channel: clientzone.ChannelSMS, To: "+421900123456", Template: "password-reset-code", Language: clientzone.LangSK,
		Data: map[string]string{"code": "482913", "name": "Ján Novák", "minutes": "15"}, CreatedAt: f.now}
}

func TestSenderDeliversOnceAndMarksSent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := resetCode(f, "01JMSG00000000000000000001")
	mail := clientzone.Message{ID: "01JMSG00000000000000000002", Channel: clientzone.ChannelEmail, To: "peter@example.sk", Template: "password-changed",
		Language: clientzone.LangEN, Data: map[string]string{"name": "Peter"}, CreatedAt: f.now}
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, m, "100"), f.put(t, mail, "101")}}
	// Records the sender must ignore: a non-outbox insert and a MODIFY.
	other := ev.Records[0]
	other.Change.Keys = map[string]events.DynamoDBAttributeValue{"pk": events.NewStringAttribute("CUST#1"), "sk": events.NewStringAttribute("X")}
	modify := ev.Records[0]
	modify.EventName = "MODIFY"
	ev.Records = append(ev.Records, other, modify)

	resp, err := f.sender.Handle(ctx, ev)
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("Handle = %+v, %v", resp, err)
	}
	if f.sms.count() != 1 || f.email.count() != 1 {
		t.Fatalf("sent %d SMS, %d emails", f.sms.count(), f.email.count())
	}
	sms := f.sms.sent[0]
	if sms.To != "+421900123456" || !strings.Contains(sms.Body, "kod na obnovu hesla je 482913") || sms.Subject != "" {
		t.Errorf("SMS %+v", sms)
	}
	if e := f.email.sent[0]; e.To != "peter@example.sk" || e.Subject != "Acme Net: your password was changed" || !strings.Contains(e.Body, "Hello Peter") {
		t.Errorf("email %+v", e)
	}
	if s := f.state(t, m); s.SentAt == "" || s.SendingAt != "" || s.Attempts != 1 {
		t.Errorf("state %+v", s)
	}
	// Once delivered, the one-time code is gone from the table.
	msgs, err := f.db.OutboxMessages(ctx, m.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range msgs {
		if got.ID == m.ID && len(got.Data) != 0 {
			t.Errorf("sent message still holds its data: %v", got.Data)
		}
	}

	// The same batch again (Lambda redelivery): nothing is sent twice.
	resp, err = f.sender.Handle(ctx, ev)
	if err != nil || len(resp.BatchItemFailures) != 0 || f.sms.count() != 1 || f.email.count() != 1 {
		t.Fatalf("redelivery: %+v %v, %d SMS %d emails", resp, err, f.sms.count(), f.email.count())
	}
	if strings.Contains(f.logs.String(), "482913") {
		t.Error("the code reached the logs")
	}
	if !strings.Contains(f.logs.String(), `"template":"password-reset-code"`) {
		t.Errorf("logs lack the template: %s", f.logs)
	}
}

func TestSenderConcurrentSendsOnce(t *testing.T) {
	f := newFixture(t)
	m := resetCode(f, "01JMSG00000000000000000003")
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, m, "200")}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	failures := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := f.sender.Handle(context.Background(), ev)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			failures += len(resp.BatchItemFailures)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if f.sms.count() != 1 {
		t.Fatalf("sent %d times, want once", f.sms.count())
	}
	// A loser that met the live claim reports its record for retry (one
	// that came after the winner finished just skips it); the retry then
	// finds it sent.
	if failures > 3 {
		t.Errorf("%d batch failures, want at most 3", failures)
	}
	resp, _ := f.sender.Handle(context.Background(), ev)
	if len(resp.BatchItemFailures) != 0 || f.sms.count() != 1 {
		t.Errorf("retry: %+v, %d sent", resp, f.sms.count())
	}
}

func TestSenderDeliveryFailureIsRetried(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ok := resetCode(f, "01JMSG00000000000000000004")
	bad := clientzone.Message{ID: "01JMSG00000000000000000005", Channel: clientzone.ChannelEmail, To: "peter@example.sk", Template: "password-changed",
		Language: clientzone.LangEN, Data: map[string]string{"name": "Peter"}, CreatedAt: f.now}
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, ok, "300"), f.put(t, bad, "301")}}
	f.email.fail = errors.New("ses: throttled")
	resp, err := f.sender.Handle(ctx, ev)
	if err != nil || len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "301" {
		t.Fatalf("Handle = %+v, %v; want failure of 301", resp, err)
	}
	if s := f.state(t, bad); s.SentAt != "" || s.SendingAt != "" || s.FailedAt != "" || s.Attempts != 1 {
		t.Errorf("failed item state %+v", s)
	}
	// Lambda retries from the failed record on; SES is back.
	f.email.fail = nil
	resp, err = f.sender.Handle(ctx, ev)
	if err != nil || len(resp.BatchItemFailures) != 0 || f.email.count() != 1 || f.sms.count() != 1 {
		t.Fatalf("retry: %+v %v, %d emails %d SMS", resp, err, f.email.count(), f.sms.count())
	}
	if s := f.state(t, bad); s.SentAt == "" || s.Attempts != 2 {
		t.Errorf("after retry %+v", s)
	}
}

func TestSenderStaleClaimIsTakenOver(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := resetCode(f, "01JMSG00000000000000000006")
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, m, "400")}}
	// A sender claimed it and died 3 minutes ago.
	pk := dynamo.OutboxPK(m.CreatedAt)
	if r, err := f.db.ClaimOutbox(ctx, pk, m.ID, f.now.Add(-3*time.Minute), DefaultLease); err != nil || r != clientzone.OutboxClaimed {
		t.Fatal(r, err)
	}
	resp, _ := f.sender.Handle(ctx, ev)
	if len(resp.BatchItemFailures) != 0 || f.sms.count() != 1 {
		t.Fatalf("%+v, %d sent", resp, f.sms.count())
	}
}

func TestSenderTemplateErrorIsPermanent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := resetCode(f, "01JMSG00000000000000000007")
	delete(m.Data, "minutes")
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, m, "500")}}
	for range 2 {
		resp, err := f.sender.Handle(ctx, ev)
		if err != nil || len(resp.BatchItemFailures) != 0 {
			t.Fatalf("Handle = %+v, %v; a template error must not be retried", resp, err)
		}
	}
	if f.sms.count() != 0 {
		t.Errorf("sent %d", f.sms.count())
	}
	s := f.state(t, m)
	if s.FailedAt == "" || s.SentAt != "" || !strings.Contains(s.FailReason, "minutes") || strings.Contains(s.FailReason, "482913") {
		t.Errorf("state %+v", s)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, `"level":"ERROR"`) || strings.Contains(logs, "482913") {
		t.Errorf("logs: %s", logs)
	}
}

// TestReplayOutboxSenderEvent replays events/outbox-sender.json (with its
// items in the table, as the stream implies) into the handler.
func TestReplayOutboxSenderEvent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	raw, err := os.ReadFile("../../events/outbox-sender.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.Records) == 0 {
		t.Fatal("no records")
	}
	for _, r := range ev.Records {
		item, err := FromStreamImage(r.Change.NewImage)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dynamotest.Client().PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(f.table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := f.sender.Handle(ctx, ev)
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("Handle = %+v, %v", resp, err)
	}
	if f.sms.count() != 1 || f.email.count() != 1 {
		t.Fatalf("sent %d SMS, %d emails", f.sms.count(), f.email.count())
	}
	if b := f.sms.sent[0].Body; !strings.Contains(b, "482913") || !strings.Contains(b, "hesla") {
		t.Errorf("SMS %q", b)
	}
	day, _ := time.Parse(time.DateOnly, "2026-11-23")
	for _, id := range []string{"01JDEMOUTBOX00000000000001", "01JDEMOUTBOX00000000000002"} {
		s, err := f.db.OutboxDelivery(ctx, day, id)
		if err != nil || s.SentAt == "" {
			t.Errorf("%s: %+v %v", id, s, err)
		}
	}
}

// A stream batch that failed for good (its position in the dead-letter
// queue) leaves its messages unsent in the table; a redrive delivers them
// once, and a second redrive finds nothing.
func TestRedriveDeliversUnsentOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sent := resetCode(f, "01JMSG00000000000000000041")
	stuck := clientzone.Message{ID: "01JMSG00000000000000000042", Channel: clientzone.ChannelEmail, To: "peter@example.sk", Template: "password-changed",
		Language: clientzone.LangEN, Data: map[string]string{"name": "Peter"}, CreatedAt: f.now}
	broken := clientzone.Message{ID: "01JMSG00000000000000000043", Channel: clientzone.ChannelEmail, To: "peter@example.sk", Template: "no-such-template",
		Language: clientzone.LangEN, CreatedAt: f.now}
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, sent, "500"), f.put(t, stuck, "501"), f.put(t, broken, "502")}}
	f.email.fail = errors.New("ses: account paused")
	if resp, err := f.sender.Handle(ctx, ev); err != nil || len(resp.BatchItemFailures) != 1 {
		t.Fatalf("Handle = %+v, %v; want the email to fail", resp, err)
	}
	// Still failing: the redrive reports it and leaves it unsent.
	rep, err := Redrive(ctx, f.sender, f.db, f.now)
	if err != nil || rep.Unsent != 1 || rep.Failed != 1 || rep.Retried != 0 || f.email.count() != 0 {
		t.Fatalf("redrive while SES fails = %+v, %v (%d emails)", rep, err, f.email.count())
	}
	f.email.fail = nil
	rep, err = Redrive(ctx, f.sender, f.db, f.now)
	if err != nil || rep.Unsent != 1 || rep.Retried != 1 || rep.Failed != 0 || f.email.count() != 1 || f.sms.count() != 1 {
		t.Fatalf("redrive = %+v, %v (%d emails, %d SMS)", rep, err, f.email.count(), f.sms.count())
	}
	if s := f.state(t, stuck); s.SentAt == "" {
		t.Fatalf("redriven message not marked sent: %+v", s)
	}
	rep, err = Redrive(ctx, f.sender, f.db, f.now)
	if err != nil || rep.Unsent != 0 || f.email.count() != 1 {
		t.Fatalf("second redrive = %+v, %v (%d emails)", rep, err, f.email.count())
	}
}
