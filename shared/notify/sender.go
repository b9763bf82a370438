package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Deliverer hands a rendered message to a transport (SES, SNS, a test
// recorder).
type Deliverer interface {
	Send(ctx context.Context, msg Rendered) error
}

// Store keeps the delivery state of outbox items (shared/dynamo's DB
// implements it, on the outbox items of the table).
type Store interface {
	// IsOutbox tells whether an item of partition pk, as the table's
	// stream names it, is an outbox message (the stream carries every
	// change of the table).
	IsOutbox(pk string) bool
	// ClaimOutbox claims item pk/sk for delivery until now+lease: claimed
	// only when it is neither sent nor failed and no live claim of another
	// sender exists, so that a message is sent once.
	ClaimOutbox(ctx context.Context, pk, sk string, now time.Time, lease time.Duration) (clientzone.OutboxClaim, error)
	ReleaseOutbox(ctx context.Context, pk, sk string) error
	MarkOutboxSent(ctx context.Context, pk, sk string, now time.Time) error
	MarkOutboxFailed(ctx context.Context, pk, sk string, now time.Time, reason string) error
}

// DefaultLease is how long a claim keeps other senders off an item; longer
// than one delivery can take.
const DefaultLease = 2 * time.Minute

// Sender delivers the outbox items of a DynamoDB stream batch.
type Sender struct {
	Store    Store
	Renderer *Renderer
	Email    Deliverer
	SMS      Deliverer
	Events   Deliverer // EventBridge events (channel "event")
	Clock    clientzone.Clock
	Logger   *slog.Logger
	Lease    time.Duration // DefaultLease when zero
	// Metrics counts deliveries and failed attempts; nil counts nothing.
	Metrics Metrics
}

// Metrics counts business events (shared/metrics writes them as CloudWatch
// metrics).
type Metrics interface {
	Count(name string, n int)
}

// Metric names counted by the sender.
const (
	// MetricOutboxDelivered is one message handed to its transport (SES,
	// SNS, EventBridge); a redelivered record already sent is not counted.
	MetricOutboxDelivered = "OutboxDelivered"
	// MetricOutboxFailed is one failed delivery attempt: the transport
	// refused (retried), or the item cannot be decoded, rendered or routed
	// (never deliverable). A record left for another sender's live claim,
	// or not read because the table was unavailable, is not an attempt.
	MetricOutboxFailed = "OutboxFailed"
)

func (s *Sender) count(name string) {
	if s.Metrics != nil {
		s.Metrics.Count(name, 1)
	}
}

// outboxRecord is the stream image of an outbox item: its keys and the
// message.
type outboxRecord struct {
	PK string `dynamodbav:"pk"`
	SK string `dynamodbav:"sk"`
	clientzone.Message
}

// Handle processes a stream batch and reports the records to retry
// (ReportBatchItemFailures): delivery and storage errors are retried,
// undeliverable messages (template errors) are marked failed and not.
// Lambda retries from the first failed record, so records already sent
// are skipped by the claim.
func (s *Sender) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	resp := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}
	for _, rec := range ev.Records {
		if err := s.handleRecord(ctx, rec); err != nil {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
	}
	return resp, nil
}

func (s *Sender) log() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

func (s *Sender) handleRecord(ctx context.Context, rec events.DynamoDBEventRecord) error {
	if rec.EventName != "INSERT" {
		return nil
	}
	pk := rec.Change.Keys["pk"]
	if pk.DataType() != events.DataTypeString || !s.Store.IsOutbox(pk.String()) {
		return nil
	}
	img, err := FromStreamImage(rec.Change.NewImage)
	if err != nil {
		// Not retryable: the same image would fail again.
		s.log().ErrorContext(ctx, "notify: undecodable outbox record", "sequence", rec.Change.SequenceNumber, "err", err)
		s.count(MetricOutboxFailed)
		return nil
	}
	return s.Redeliver(ctx, img)
}

// Redeliver delivers one outbox item given as it is stored (the stream
// record's image, or the item read back from the table by an operator's
// redrive after its stream batch went to the dead-letter queue): rendered,
// claimed, sent and marked sent at most once, whoever else delivers it.
// The error says the delivery should be retried.
func (s *Sender) Redeliver(ctx context.Context, img map[string]types.AttributeValue) error {
	var item outboxRecord
	err := attributevalue.UnmarshalMap(img, &item)
	if err != nil || item.PK == "" || item.SK == "" {
		// Not retryable: the same image would fail again.
		s.log().ErrorContext(ctx, "notify: undecodable outbox item", "err", err)
		s.count(MetricOutboxFailed)
		return nil
	}
	m := item.Message
	l := s.log().With("message", m.ID, "template", m.Template, "channel", m.Channel)
	now := s.Clock.Now()

	r, err := s.Renderer.Render(m)
	if err != nil {
		// Permanent: mark failed once, never retry. err names the template
		// and key only, never data.
		l.ErrorContext(ctx, "notify: cannot render message", "err", err)
		s.count(MetricOutboxFailed)
		if err := s.Store.MarkOutboxFailed(ctx, item.PK, item.SK, now, truncate(err.Error(), 300)); err != nil {
			l.ErrorContext(ctx, "notify: mark failed", "err", err)
			return err
		}
		return nil
	}
	var d Deliverer
	switch m.Channel {
	case clientzone.ChannelEmail:
		d = s.Email
	case clientzone.ChannelSMS:
		d = s.SMS
	case clientzone.ChannelEvent:
		d = s.Events
	}
	if d == nil { // Render accepts only known channels
		s.count(MetricOutboxFailed)
		return fmt.Errorf("notify: no deliverer for %q", m.Channel)
	}

	lease := s.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	claim, err := s.Store.ClaimOutbox(ctx, item.PK, item.SK, now, lease)
	switch {
	case err != nil:
		l.ErrorContext(ctx, "notify: claim", "err", err)
		return err
	case claim == clientzone.OutboxAlreadyDone:
		l.InfoContext(ctx, "notify: already handled, skipped")
		return nil
	case claim == clientzone.OutboxBusy:
		l.WarnContext(ctx, "notify: claimed by another sender, will retry")
		return errors.New("notify: busy")
	}
	if err := d.Send(ctx, r); err != nil {
		l.WarnContext(ctx, "notify: delivery failed, will retry", "err", err)
		s.count(MetricOutboxFailed)
		if rerr := s.Store.ReleaseOutbox(ctx, item.PK, item.SK); rerr != nil {
			l.ErrorContext(ctx, "notify: release claim", "err", rerr)
		}
		return err
	}
	s.count(MetricOutboxDelivered)
	if err := s.Store.MarkOutboxSent(ctx, item.PK, item.SK, s.Clock.Now()); err != nil {
		// Delivered: not retried (the claim keeps others off for the lease).
		l.ErrorContext(ctx, "notify: delivered but not marked sent", "err", err)
		return nil
	}
	l.InfoContext(ctx, "notify: sent")
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// FromStreamImage converts a Lambda stream image into SDK attribute values
// (for attributevalue.UnmarshalMap).
func FromStreamImage(img map[string]events.DynamoDBAttributeValue) (map[string]types.AttributeValue, error) {
	out := make(map[string]types.AttributeValue, len(img))
	for k, v := range img {
		av, err := FromStreamValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}

// FromStreamValue converts one Lambda stream attribute value.
func FromStreamValue(v events.DynamoDBAttributeValue) (types.AttributeValue, error) {
	switch v.DataType() {
	case events.DataTypeString:
		return &types.AttributeValueMemberS{Value: v.String()}, nil
	case events.DataTypeNumber:
		return &types.AttributeValueMemberN{Value: v.Number()}, nil
	case events.DataTypeBinary:
		return &types.AttributeValueMemberB{Value: v.Binary()}, nil
	case events.DataTypeBoolean:
		return &types.AttributeValueMemberBOOL{Value: v.Boolean()}, nil
	case events.DataTypeNull:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case events.DataTypeStringSet:
		return &types.AttributeValueMemberSS{Value: v.StringSet()}, nil
	case events.DataTypeNumberSet:
		return &types.AttributeValueMemberNS{Value: v.NumberSet()}, nil
	case events.DataTypeBinarySet:
		return &types.AttributeValueMemberBS{Value: v.BinarySet()}, nil
	case events.DataTypeList:
		list := v.List()
		out := make([]types.AttributeValue, len(list))
		for i, e := range list {
			av, err := FromStreamValue(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = av
		}
		return &types.AttributeValueMemberL{Value: out}, nil
	case events.DataTypeMap:
		m, err := FromStreamImage(v.Map())
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	}
	return nil, fmt.Errorf("unsupported stream attribute type %d", v.DataType())
}
