package notify

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// UnsentLister lists one day's outbox items that are neither sent nor
// failed for good, as stored (shared/dynamo's DB implements it).
type UnsentLister interface {
	UnsentOutbox(ctx context.Context, day time.Time) ([]map[string]types.AttributeValue, error)
}

// RedriveReport counts what a redrive did.
type RedriveReport struct {
	Day     string `json:"day"`
	Unsent  int    `json:"unsent"`  // found neither sent nor failed
	Retried int    `json:"retried"` // delivered now, or handled by another sender meanwhile
	Failed  int    `json:"failed"`  // still not deliverable now: run again later
}

// Redrive delivers the unsent outbox items of day through s, each at most
// once (the same claim as the stream sender): what an operator runs once
// the cause of an OutboxDeadLetterAlarm is fixed, since the stream does not
// deliver those records again.
func Redrive(ctx context.Context, s *Sender, list UnsentLister, day time.Time) (RedriveReport, error) {
	r := RedriveReport{Day: day.UTC().Format(time.DateOnly)}
	items, err := list.UnsentOutbox(ctx, day)
	if err != nil {
		return r, err
	}
	r.Unsent = len(items)
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		if err := s.Redeliver(ctx, it); err != nil {
			r.Failed++
			continue
		}
		r.Retried++
	}
	return r, nil
}
