package notify

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// fakeEventBridge records PutEvents calls; it can fail the call or reject
// the entries.
type fakeEventBridge struct {
	mu      sync.Mutex
	calls   []*eventbridge.PutEventsInput
	fail    error
	rejects bool
}

func (f *fakeEventBridge) PutEvents(_ context.Context, in *eventbridge.PutEventsInput, _ ...func(*eventbridge.Options)) (*eventbridge.PutEventsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	if f.rejects {
		return &eventbridge.PutEventsOutput{FailedEntryCount: 1, Entries: []ebtypes.PutEventsResultEntry{{ErrorCode: aws.String("InternalFailure")}}}, nil
	}
	f.calls = append(f.calls, in)
	return &eventbridge.PutEventsOutput{Entries: []ebtypes.PutEventsResultEntry{{EventId: aws.String("ev-1")}}}, nil
}

func eventMessage(f *fixture, id, detailType, detail string) clientzone.Message {
	return clientzone.Message{ID: id, Channel: clientzone.ChannelEvent, To: clientzone.EventSource, Template: detailType,
		Data: map[string]string{"detail": detail}, CustomerID: "C1", CreatedAt: f.now}
}

func TestSenderPublishesEventsToEventBridge(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	eb := &fakeEventBridge{}
	f.sender.Events = EventBridge{API: eb, Bus: "clientzone-events"}

	detail := `{"id":"M1","type":"billing","subject":"Wrong amount"}`
	m := eventMessage(f, "01JEVT00000000000000000001", "clientzone.message.billing", detail)
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, m, "200")}}
	resp, err := f.sender.Handle(ctx, ev)
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("Handle = %+v, %v", resp, err)
	}
	if len(eb.calls) != 1 || len(eb.calls[0].Entries) != 1 {
		t.Fatalf("PutEvents calls = %+v", eb.calls)
	}
	e := eb.calls[0].Entries[0]
	if aws.ToString(e.EventBusName) != "clientzone-events" || aws.ToString(e.Source) != "clientzone" ||
		aws.ToString(e.DetailType) != "clientzone.message.billing" || aws.ToString(e.Detail) != detail {
		t.Errorf("entry = bus %q source %q type %q detail %q", aws.ToString(e.EventBusName), aws.ToString(e.Source), aws.ToString(e.DetailType), aws.ToString(e.Detail))
	}
	if f.email.count()+f.sms.count() != 0 {
		t.Error("an event went to email or SMS")
	}
	if s := f.state(t, m); s.SentAt == "" || s.Attempts != 1 {
		t.Errorf("state %+v", s)
	}
	// Redelivered record: published once.
	if resp, _ := f.sender.Handle(ctx, ev); len(resp.BatchItemFailures) != 0 || len(eb.calls) != 1 {
		t.Fatalf("redelivery: %+v, %d calls", resp, len(eb.calls))
	}
}

func TestSenderEventFailuresAreRetried(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	eb := &fakeEventBridge{fail: errors.New("throttled")}
	f.sender.Events = EventBridge{API: eb, Bus: "b"}
	m := eventMessage(f, "01JEVT00000000000000000002", "clientzone.ticket.created", `{"ticketId":"T1"}`)
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, m, "300")}}

	resp, _ := f.sender.Handle(ctx, ev)
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "300" {
		t.Fatalf("failed call: %+v", resp)
	}
	eb.fail, eb.rejects = nil, true // a rejected entry is retried too
	resp, _ = f.sender.Handle(ctx, ev)
	if len(resp.BatchItemFailures) != 1 {
		t.Fatalf("rejected entry: %+v", resp)
	}
	if s := f.state(t, m); s.SentAt != "" || s.SendingAt != "" {
		t.Errorf("state after failures %+v", s)
	}
	eb.rejects = false
	if resp, _ = f.sender.Handle(ctx, ev); len(resp.BatchItemFailures) != 0 || len(eb.calls) != 1 {
		t.Fatalf("retry: %+v, %d calls", resp, len(eb.calls))
	}
}

func TestSenderBrokenEventIsPermanent(t *testing.T) {
	f := newFixture(t)
	eb := &fakeEventBridge{}
	f.sender.Events = EventBridge{API: eb, Bus: "b"}
	m := eventMessage(f, "01JEVT00000000000000000003", "clientzone.message.other", `not json`)
	resp, _ := f.sender.Handle(context.Background(), events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{f.put(t, m, "400")}})
	if len(resp.BatchItemFailures) != 0 || len(eb.calls) != 0 {
		t.Fatalf("broken event: %+v, %d calls", resp, len(eb.calls))
	}
	if s := f.state(t, m); s.FailedAt == "" {
		t.Errorf("state %+v, want failed", s)
	}
}

func TestRenderEvent(t *testing.T) {
	r, err := NewRenderer("Acme")
	if err != nil {
		t.Fatal(err)
	}
	detail, _ := json.Marshal(map[string]string{"ticketId": "T1"})
	out, err := r.Render(clientzone.Message{ID: "1", Channel: clientzone.ChannelEvent, Template: "clientzone.ticket.created", Data: map[string]string{"detail": string(detail)}})
	if err != nil || out.Subject != "clientzone.ticket.created" || out.Body != string(detail) {
		t.Fatalf("Render = %+v, %v", out, err)
	}
	if _, err := r.Render(clientzone.Message{ID: "2", Channel: clientzone.ChannelEvent, Template: "", Data: map[string]string{"detail": "{}"}}); !errors.Is(err, ErrTemplate) {
		t.Errorf("no detail-type: %v", err)
	}
}
