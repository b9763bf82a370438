package dynamo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/support"
)

// A message's state changes in one transaction with its audit entry and
// outbox email, conditional on the state read: the loser of two concurrent
// changes gets a conflict and writes nothing; a repeat makes no call; closed
// is final; received cannot be set.
func TestChangeMessageStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamo.New(dynamodb.New(dynamotest.Client().Options(), dynamotest.CountCalls), dynamotest.NewTable(t))
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	cid := clientzone.NewID()
	m := &clientzone.AuthorizedMessage{ID: clientzone.NewID(), CustomerID: cid, PersonID: "P1", Type: clientzone.MessageBilling,
		Subject: "Double payment", Body: "b", Status: clientzone.MessageReceived, CreatedAt: now, UpdatedAt: now}
	if err := db.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	get := func() *clientzone.AuthorizedMessage {
		t.Helper()
		got, err := db.AuthorizedMessage(ctx, cid, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	audits := func() int {
		t.Helper()
		page, err := db.AuditLog(ctx, cid, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Entries)
	}
	// change builds a change from the stored state, with an audit entry
	// and an email.
	change := func(status, answer, staff string, at time.Time) *support.MessageStatusChange {
		cur := get()
		return &support.MessageStatusChange{CustomerID: cid, MessageID: m.ID, From: cur.Status, FromAnswer: cur.Answer,
			Status: status, Answer: answer, StaffName: staff, At: at,
			Audit: &clientzone.AuditEntry{CustomerID: cid, At: at, Action: "message.status", ActorID: "backoffice", TargetID: m.ID},
			Outbox: []*clientzone.Message{{ID: clientzone.NewID(), Channel: clientzone.ChannelEmail, To: "p1@example.sk",
				Template: "message-status", Data: map[string]string{"status": status}, CreatedAt: at}}}
	}
	written := func(c *support.MessageStatusChange) bool {
		t.Helper()
		_, err := db.OutboxDelivery(ctx, c.At, c.Outbox[0].ID)
		if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Fatal(err)
		}
		return err == nil
	}

	// received cannot be set (again), nor an unknown state.
	for _, st := range []string{clientzone.MessageReceived, "done"} {
		c := change(st, "", "", now)
		c.From = "in_progress" // not a repeat
		_, err := db.ChangeMessageStatus(ctx, c)
		wantErrCode(t, err, clientzone.EINVALID)
	}

	// received → in_progress.
	t1 := now.Add(time.Minute)
	c := change(clientzone.MessageInProgress, "", "", t1)
	if ok, err := db.ChangeMessageStatus(ctx, c); err != nil || !ok {
		t.Fatalf("in_progress: %v %v", ok, err)
	}
	if got := get(); got.Status != clientzone.MessageInProgress || !got.UpdatedAt.Equal(t1) || got.Answer != "" || got.AnsweredAt != nil {
		t.Errorf("after in_progress %+v", got)
	}
	if !written(c) || audits() != 1 {
		t.Errorf("in_progress: outbox written %v, %d audit entries", written(c), audits())
	}

	// in_progress → answered: answer, answeredAt, answeredBy.
	t2 := now.Add(2 * time.Minute)
	c = change(clientzone.MessageAnswered, "Refunded.", "Zuzana", t2)
	if ok, err := db.ChangeMessageStatus(ctx, c); err != nil || !ok {
		t.Fatalf("answered: %v %v", ok, err)
	}
	got := get()
	if got.Status != clientzone.MessageAnswered || got.Answer != "Refunded." || got.AnsweredBy != "Zuzana" || got.AnsweredAt == nil || !got.AnsweredAt.Equal(t2) {
		t.Errorf("after answered %+v", got)
	}
	if !written(c) || audits() != 2 {
		t.Errorf("answered: outbox written %v, %d audit entries", written(c), audits())
	}

	// The same state and answer again (or the state without an answer):
	// a repeat, no DynamoDB call at all.
	for _, answer := range []string{"Refunded.", ""} {
		calls := &dynamotest.Calls{}
		c = change(clientzone.MessageAnswered, answer, "Someone else", now.Add(3*time.Minute))
		if !c.Repeat() {
			t.Fatalf("%q: not a repeat", answer)
		}
		if ok, err := db.ChangeMessageStatus(dynamotest.WithCalls(ctx, calls), c); err != nil || ok || calls.Total() != 0 {
			t.Errorf("repeat %q: %v %v, calls %s", answer, ok, err, calls)
		}
		if written(c) || audits() != 2 || !get().UpdatedAt.Equal(t2) {
			t.Errorf("repeat %q wrote", answer)
		}
	}

	// Concurrent changes read the same state: the first wins, the second
	// is a conflict and writes neither its audit entry nor its email.
	t4 := now.Add(4 * time.Minute)
	a, b := change(clientzone.MessageInProgress, "", "", t4), change(clientzone.MessageClosed, "", "", t4)
	if _, err := db.ChangeMessageStatus(ctx, a); err != nil {
		t.Fatal(err)
	}
	_, err := db.ChangeMessageStatus(ctx, b)
	wantErrCode(t, err, clientzone.ECONFLICT)
	if written(b) || audits() != 3 || get().Status != clientzone.MessageInProgress {
		t.Errorf("the loser wrote: outbox %v, %d audit entries, status %s", written(b), audits(), get().Status)
	}
	// A new answer read against a stale one is a conflict too (no lost
	// answer when both keep the state).
	a, b = change(clientzone.MessageAnswered, "First.", "", t4), change(clientzone.MessageAnswered, "Second.", "", t4)
	if _, err := db.ChangeMessageStatus(ctx, a); err != nil {
		t.Fatal(err)
	}
	b.From, b.FromAnswer = clientzone.MessageInProgress, "Refunded." // as read before a
	_, err = db.ChangeMessageStatus(ctx, b)
	wantErrCode(t, err, clientzone.ECONFLICT)
	if got := get(); got.Answer != "First." || got.AnsweredBy != "" {
		t.Errorf("after the stale answer %+v", got)
	}
	// Same state, stale answer: answered "First." → "Second." read as
	// answered "Refunded.".
	b = change(clientzone.MessageAnswered, "Second.", "", t4)
	b.FromAnswer = "Refunded."
	_, err = db.ChangeMessageStatus(ctx, b)
	wantErrCode(t, err, clientzone.ECONFLICT)

	// An unknown message is a conflict (the caller reads it first: 404).
	c = change(clientzone.MessageClosed, "", "", t4)
	c.MessageID = clientzone.NewID()
	_, err = db.ChangeMessageStatus(ctx, c)
	wantErrCode(t, err, clientzone.ECONFLICT)

	// answered → closed; closed is final.
	t5 := now.Add(5 * time.Minute)
	if _, err := db.ChangeMessageStatus(ctx, change(clientzone.MessageClosed, "", "", t5)); err != nil {
		t.Fatal(err)
	}
	if got := get(); got.Status != clientzone.MessageClosed || got.Answer != "First." {
		t.Errorf("after close %+v", got)
	}
	for _, st := range []string{clientzone.MessageInProgress, clientzone.MessageAnswered} {
		c := change(st, "More.", "", now.Add(6*time.Minute))
		_, err := db.ChangeMessageStatus(ctx, c)
		if !errors.Is(err, support.ErrMessageClosed) {
			t.Errorf("%s after closed: %v", st, err)
		}
		if written(c) {
			t.Errorf("%s after closed wrote its email", st)
		}
	}
	c = change(clientzone.MessageClosed, "Another answer.", "", now.Add(6*time.Minute))
	if _, err := db.ChangeMessageStatus(ctx, c); !errors.Is(err, support.ErrMessageClosed) {
		t.Errorf("a new answer to a closed message: %v", err)
	}
	// A stale writer that still thinks it is in progress fails the condition.
	c = change(clientzone.MessageAnswered, "Late.", "", now.Add(6*time.Minute))
	c.From, c.FromAnswer = clientzone.MessageAnswered, "First."
	_, err = db.ChangeMessageStatus(ctx, c)
	wantErrCode(t, err, clientzone.ECONFLICT)
	if got := get(); got.Status != clientzone.MessageClosed || got.Answer != "First." || audits() != 5 {
		t.Errorf("closed message changed: %+v, %d audit entries", got, audits())
	}
}
