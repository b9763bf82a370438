package notify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// EventBridgeAPI is the part of the EventBridge client EventBridge uses.
type EventBridgeAPI interface {
	PutEvents(context.Context, *eventbridge.PutEventsInput, ...func(*eventbridge.Options)) (*eventbridge.PutEventsOutput, error)
}

// EventBridge publishes outbox events (channel "event") to an event bus:
// source "clientzone", detail-type the message's template, detail its JSON.
// Rules on the bus route them (e.g. each authorized-message type to its
// department).
type EventBridge struct {
	API EventBridgeAPI
	Bus string // EVENT_BUS_NAME
}

// Send implements Deliverer. A rejected entry is an error, so the stream
// record is retried.
func (e EventBridge) Send(ctx context.Context, m Rendered) error {
	out, err := e.API.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{{
		EventBusName: aws.String(e.Bus),
		Source:       aws.String(clientzone.EventSource),
		DetailType:   aws.String(m.Subject),
		Detail:       aws.String(m.Body),
	}}})
	if err != nil {
		return fmt.Errorf("notify: eventbridge: %w", err)
	}
	if out.FailedEntryCount > 0 {
		code := ""
		if len(out.Entries) > 0 {
			code = aws.ToString(out.Entries[0].ErrorCode)
		}
		return fmt.Errorf("notify: eventbridge rejected %s: %s", m.Subject, code)
	}
	return nil
}
