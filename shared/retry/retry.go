// Package retry repeats an operation that lost a race with a concurrent
// one (a DynamoDB transaction cancelled by a TransactionConflict, an
// optimistic lock taken by another writer): a bounded number of attempts,
// exponential backoff with jitter between them, and never longer than the
// caller's context allows. It is the one retry loop of the use cases and
// of shared/dynamo; the SDK's own retries (throttling, 5xx) stay in the
// SDK.
package retry

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Defaults of a zero Policy.
const (
	DefaultAttempts = 5
	DefaultBase     = 20 * time.Millisecond
	DefaultMax      = 500 * time.Millisecond
)

// Policy bounds the attempts and the waits between them. The wait before
// attempt n+1 is drawn from [d/2, d], d = min(Base·2^(n-1), Max): the jitter
// keeps writers that clashed once from clashing again in step.
type Policy struct {
	// Attempts is the number of calls at most, the first included
	// (DefaultAttempts when ≤ 0).
	Attempts int
	// Base is the longest first wait (DefaultBase when ≤ 0).
	Base time.Duration
	// Max caps one wait (DefaultMax when ≤ 0).
	Max time.Duration

	// after replaces time.NewTimer in tests: it returns the channel that
	// ends a wait of d, and a stop function.
	after func(d time.Duration) (<-chan time.Time, func() bool)
}

func (p Policy) attempts() int {
	if p.Attempts <= 0 {
		return DefaultAttempts
	}
	return p.Attempts
}

// wait is the backoff before attempt n+1 (n ≥ 1 attempts made).
func (p Policy) wait(n int) time.Duration {
	base, ceiling := p.Base, p.Max
	if base <= 0 {
		base = DefaultBase
	}
	if ceiling <= 0 {
		ceiling = DefaultMax
	}
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	half := d / 2
	return half + rand.N(d-half+1)
}

func (p Policy) sleep(ctx context.Context, d time.Duration) error {
	after := p.after
	if after == nil {
		after = func(d time.Duration) (<-chan time.Time, func() bool) {
			t := time.NewTimer(d)
			return t.C, t.Stop
		}
	}
	c, stop := after(d)
	defer stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c:
		return nil
	}
}

// Do calls fn until it returns nil, returns an error retryable does not
// accept (returned as it is), or Attempts calls were made (the last error
// is returned). It stops at once when ctx is done, before an attempt or
// during a wait, returning an error that matches both ctx.Err() and the
// last attempt's error (errors.Is). A nil retryable retries nothing.
func Do(ctx context.Context, p Policy, retryable func(error) bool, fn func(context.Context) error) error {
	_, err := Value(ctx, p, retryable, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, fn(ctx)
	})
	return err
}

// Value is Do for an operation with a result: the result of the call that
// succeeded, or the zero value with the error.
func Value[T any](ctx context.Context, p Policy, retryable func(error) bool, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	n := p.attempts()
	for attempt := 1; ; attempt++ {
		v, err := fn(ctx)
		if err == nil {
			return v, nil
		}
		if attempt >= n || retryable == nil || !retryable(err) {
			return zero, err
		}
		if cerr := p.sleep(ctx, p.wait(attempt)); cerr != nil {
			return zero, fmt.Errorf("%w (after %d attempts; the last: %w)", cerr, attempt, err)
		}
	}
}
