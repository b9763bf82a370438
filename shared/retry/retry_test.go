package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

var (
	errConflict = errors.New("conflict")
	errOther    = errors.New("other")
)

func isConflict(err error) bool { return errors.Is(err, errConflict) }

// fakeTimer records the waits asked for; each ends at once unless block
// is set, and onWait runs when a wait starts.
type fakeTimer struct {
	waits  []time.Duration
	block  bool
	onWait func()
}

func (f *fakeTimer) after(d time.Duration) (<-chan time.Time, func() bool) {
	f.waits = append(f.waits, d)
	if f.onWait != nil {
		f.onWait()
	}
	c := make(chan time.Time, 1)
	if !f.block {
		c <- time.Time{}
	}
	return c, func() bool { return true }
}

func TestDo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		policy    Policy
		results   []error // fn's answer per call; nil = success
		retryable func(error) bool
		cancel    string // "before" the first call, "during" the first wait
		wantErr   []error
		wantCalls int
		// wantWaits are the upper bounds of the waits (each is drawn from
		// [bound/2, bound]).
		wantWaits []time.Duration
	}{
		{name: "success at once", results: []error{nil}, retryable: isConflict, wantCalls: 1},
		{name: "conflicts then success", results: []error{errConflict, errConflict, nil}, retryable: isConflict,
			wantCalls: 3, wantWaits: []time.Duration{20 * time.Millisecond, 40 * time.Millisecond}},
		{name: "other error is not retried", results: []error{errOther}, retryable: isConflict,
			wantErr: []error{errOther}, wantCalls: 1},
		{name: "conflict then other error", results: []error{errConflict, errOther}, retryable: isConflict,
			wantErr: []error{errOther}, wantCalls: 2, wantWaits: []time.Duration{20 * time.Millisecond}},
		{name: "attempts used up", results: []error{errConflict, errConflict, errConflict, errConflict, errConflict},
			retryable: isConflict, wantErr: []error{errConflict}, wantCalls: DefaultAttempts,
			wantWaits: []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond, 160 * time.Millisecond}},
		{name: "waits capped by Max", policy: Policy{Attempts: 4, Base: 100 * time.Millisecond, Max: 250 * time.Millisecond},
			results: []error{errConflict, errConflict, errConflict, errConflict}, retryable: isConflict,
			wantErr: []error{errConflict}, wantCalls: 4,
			wantWaits: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 250 * time.Millisecond}},
		{name: "one attempt", policy: Policy{Attempts: 1}, results: []error{errConflict}, retryable: isConflict,
			wantErr: []error{errConflict}, wantCalls: 1},
		{name: "nil predicate retries nothing", results: []error{errConflict}, wantErr: []error{errConflict}, wantCalls: 1},
		{name: "context done before the first call", results: []error{nil}, retryable: isConflict, cancel: "before",
			wantErr: []error{context.Canceled}, wantCalls: 0},
		{name: "context cancelled during a wait", results: []error{errConflict, nil}, retryable: isConflict, cancel: "during",
			wantErr: []error{context.Canceled, errConflict}, wantCalls: 1, wantWaits: []time.Duration{20 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			timer := &fakeTimer{}
			switch tt.cancel {
			case "before":
				cancel()
			case "during":
				timer.block, timer.onWait = true, cancel
			}
			p := tt.policy
			p.after = timer.after
			calls := 0
			err := Do(ctx, p, tt.retryable, func(context.Context) error {
				calls++
				if calls > len(tt.results) {
					t.Fatalf("call %d: more calls than results", calls)
				}
				return tt.results[calls-1]
			})
			if calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls, tt.wantCalls)
			}
			if len(tt.wantErr) == 0 && err != nil {
				t.Errorf("err = %v, want nil", err)
			}
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want one matching %v", err, want)
				}
			}
			if len(timer.waits) != len(tt.wantWaits) {
				t.Fatalf("waits %v, want %d of them (bounds %v)", timer.waits, len(tt.wantWaits), tt.wantWaits)
			}
			for i, w := range timer.waits {
				if bound := tt.wantWaits[i]; w < bound/2 || w > bound {
					t.Errorf("wait %d = %v, want within [%v, %v]", i+1, w, bound/2, bound)
				}
			}
		})
	}
}

func TestValueReturnsTheResult(t *testing.T) {
	t.Parallel()
	calls := 0
	v, err := Value(context.Background(), Policy{Base: time.Microsecond}, isConflict, func(context.Context) (string, error) {
		calls++
		if calls < 3 {
			return "partial", errConflict
		}
		return "done", nil
	})
	if v != "done" || err != nil || calls != 3 {
		t.Fatalf("Value = %q, %v after %d calls; want done, nil after 3", v, err, calls)
	}
	v, err = Value(context.Background(), Policy{}, isConflict, func(context.Context) (string, error) { return "partial", errOther })
	if v != "" || !errors.Is(err, errOther) {
		t.Fatalf("Value = %q, %v; want the zero value and errOther", v, err)
	}
}

// With the real timer, a cancellation ends a long wait at once.
func TestCancellationEndsARealWait(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	calls := 0
	err := Do(ctx, Policy{Base: time.Hour, Max: time.Hour}, isConflict, func(context.Context) error {
		calls++
		return errConflict
	})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, errConflict) || calls != 1 {
		t.Fatalf("Do = %v after %d calls; want context.Canceled and the conflict after 1", err, calls)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Do returned after %v: the wait did not stop on cancellation", d)
	}
}

// A deadline that passes during a wait ends it with DeadlineExceeded.
func TestDeadlineDuringAWait(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err := Do(ctx, Policy{Base: time.Hour, Max: time.Hour}, isConflict, func(context.Context) error { return errConflict })
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, errConflict) {
		t.Fatalf("Do = %v; want DeadlineExceeded and the conflict", err)
	}
}

func TestWaitBounds(t *testing.T) {
	t.Parallel()
	p := Policy{Base: 10 * time.Millisecond, Max: 70 * time.Millisecond}
	for n, bound := range map[int]time.Duration{1: 10 * time.Millisecond, 2: 20 * time.Millisecond, 3: 40 * time.Millisecond,
		4: 70 * time.Millisecond, 30: 70 * time.Millisecond, 1000: 70 * time.Millisecond} {
		for range 200 {
			if w := p.wait(n); w < bound/2 || w > bound {
				t.Fatalf("wait(%d) = %v, want within [%v, %v]", n, w, bound/2, bound)
			}
		}
	}
}
