package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Input is the payload of a scheduled invocation. EventBridge Scheduler
// sends {"now": "<aws.scheduler.scheduled-time>"} (template.yaml), so a
// retry of a run uses the same day; without now, the clock decides. Other
// fields (an EventBridge event's "time") are accepted as a fallback.
type Input struct {
	Now  string `json:"now,omitempty"`
	Time string `json:"time,omitempty"`
}

// When is the instant the run is for.
func (in Input) When(clock clientzone.Clock) (time.Time, error) {
	for _, s := range []string{in.Now, in.Time} {
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("schedule: now %q is not RFC 3339: %w", s, err)
		}
		return t.UTC(), nil
	}
	return clock.Now().UTC(), nil
}

// Handler is the Lambda handler running job. Each invocation counts
// MetricJobFailed on m (nil counts nothing): 1 when the input is unusable
// or the run returns an error (every failed step makes it return one), 0
// when it succeeded.
func Handler(job Job, clock clientzone.Clock, m Metrics) func(context.Context, Input) (Report, error) {
	run := func(ctx context.Context, in Input) (Report, error) {
		now, err := in.When(clock)
		if err != nil {
			return Report{Job: job.Name()}, err
		}
		return job.Run(ctx, now)
	}
	return func(ctx context.Context, in Input) (Report, error) {
		rep, err := run(ctx, in)
		if m != nil {
			failed := 0
			if err != nil || rep.Failed > 0 {
				failed = 1
			}
			m.Count(MetricJobFailed, failed)
		}
		return rep, err
	}
}
