package statuspage_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/statuspage"
)

type fixedStatus struct {
	comps []clientzone.StatusComponent
	incs  []clientzone.Incident
	err   error
}

func (f fixedStatus) Status(context.Context) ([]clientzone.StatusComponent, []clientzone.Incident, error) {
	return f.comps, f.incs, f.err
}

func TestSummaryOverall(t *testing.T) {
	t.Parallel()
	comps := func(states ...string) []clientzone.StatusComponent {
		var out []clientzone.StatusComponent
		for i, s := range states {
			out = append(out, clientzone.StatusComponent{ID: string(rune('a' + i)), Status: s})
		}
		return out
	}
	tests := []struct {
		name   string
		states []string
		want   string
	}{
		{"no components", nil, clientzone.ComponentOperational},
		{"all operational", []string{"operational", "operational"}, clientzone.ComponentOperational},
		{"maintenance", []string{"operational", "maintenance"}, clientzone.ComponentMaintenance},
		{"degraded beats maintenance", []string{"maintenance", "degraded", "operational"}, clientzone.ComponentDegraded},
		{"outage beats everything", []string{"degraded", "outage", "maintenance"}, clientzone.ComponentOutage},
		{"outage first", []string{"outage", "degraded"}, clientzone.ComponentOutage},
		{"unknown state counts as operational", []string{"weird"}, clientzone.ComponentOperational},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			incs := []clientzone.Incident{{ID: "2"}, {ID: "1"}}
			svc := &statuspage.Service{Store: fixedStatus{comps: comps(tt.states...), incs: incs}}
			s, err := svc.Summary(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if s.Overall != tt.want {
				t.Fatalf("Overall = %q, want %q", s.Overall, tt.want)
			}
			if len(s.Components) != len(tt.states) || len(s.Incidents) != 2 || s.Incidents[0].ID != "2" {
				t.Fatalf("summary = %+v", s)
			}
		})
	}
}

func TestSummaryStoreError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	s, err := (&statuspage.Service{Store: fixedStatus{err: boom}}).Summary(context.Background())
	if s != nil || !errors.Is(err, boom) {
		t.Fatalf("Summary = %v, %v; want the store's error", s, err)
	}
}

// ---- the summary cache ----

// tClock is a clock the test moves.
type tClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *tClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// countingStore answers one component whose status is the current state,
// counts its reads and, when gate is set, holds each read until the gate
// is closed (or the read's context ends), announcing it on started.
type countingStore struct {
	mu      sync.Mutex
	reads   int
	state   string
	err     error
	gate    chan struct{}
	started chan struct{}
}

func (s *countingStore) Status(ctx context.Context) ([]clientzone.StatusComponent, []clientzone.Incident, error) {
	s.mu.Lock()
	s.reads++
	state, err, gate, started := s.state, s.err, s.gate, s.started
	s.mu.Unlock()
	if started != nil {
		started <- struct{}{}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return []clientzone.StatusComponent{{ID: "dc", Status: state}}, []clientzone.Incident{}, nil
}

func (s *countingStore) PutStatusComponent(_ context.Context, c *clientzone.StatusComponent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = c.Status
	return nil
}

func (s *countingStore) PutIncident(context.Context, *clientzone.Incident) error { return nil }

func (s *countingStore) set(f func(s *countingStore)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *countingStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}

func newCached(ttl time.Duration) (*statuspage.Service, *countingStore, *tClock) {
	store := &countingStore{state: clientzone.ComponentOperational}
	clock := &tClock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	return &statuspage.Service{Store: store, TTL: ttl, Clock: clock, Changes: &statuspage.Changes{}}, store, clock
}

// overall reads the summary and returns its overall state.
func overall(t *testing.T, svc *statuspage.Service) string {
	t.Helper()
	s, err := svc.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.Overall
}

func TestSummaryCacheTTL(t *testing.T) {
	t.Parallel()
	svc, store, clock := newCached(10 * time.Second)
	if got := overall(t, svc); got != clientzone.ComponentOperational || store.count() != 1 {
		t.Fatalf("first: %q after %d reads", got, store.count())
	}
	// A change the process does not know of shows once the TTL is over.
	store.set(func(s *countingStore) { s.state = clientzone.ComponentOutage })
	clock.add(9*time.Second + 999*time.Millisecond)
	if got := overall(t, svc); got != clientzone.ComponentOperational || store.count() != 1 {
		t.Fatalf("within the TTL: %q after %d reads; want the kept summary", got, store.count())
	}
	clock.add(time.Millisecond)
	if got := overall(t, svc); got != clientzone.ComponentOutage || store.count() != 2 {
		t.Fatalf("at the TTL: %q after %d reads; want a new read", got, store.count())
	}
	if got := overall(t, svc); got != clientzone.ComponentOutage || store.count() != 2 {
		t.Fatalf("again: %q after %d reads", got, store.count())
	}
}

func TestSummaryWithoutTTLReadsEveryTime(t *testing.T) {
	t.Parallel()
	svc, store, _ := newCached(0)
	for i := 1; i <= 3; i++ {
		overall(t, svc)
		if store.count() != i {
			t.Fatalf("call %d: %d reads", i, store.count())
		}
	}
}

func TestSummaryCacheDroppedByAdminWrite(t *testing.T) {
	t.Parallel()
	svc, store, clock := newCached(10 * time.Second)
	admin := &statuspage.Admin{Store: store, Clock: clock, Changes: svc.Changes}
	overall(t, svc)
	if _, err := admin.PutComponent(context.Background(), &clientzone.StatusComponent{ID: "dc", Status: clientzone.ComponentDegraded}); err != nil {
		t.Fatal(err)
	}
	if got := overall(t, svc); got != clientzone.ComponentDegraded || store.count() != 2 {
		t.Fatalf("after a component write: %q after %d reads; want a new read", got, store.count())
	}
	if _, err := admin.PutIncident(context.Background(), &clientzone.Incident{ID: "1", Status: "investigating", StartedAt: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	overall(t, svc)
	if store.count() != 3 {
		t.Fatalf("after an incident write: %d reads, want 3", store.count())
	}
	// An Admin without Changes (another process) does not reach this cache.
	other := &statuspage.Admin{Store: store, Clock: clock}
	if _, err := other.PutComponent(context.Background(), &clientzone.StatusComponent{ID: "dc", Status: clientzone.ComponentOutage}); err != nil {
		t.Fatal(err)
	}
	if got := overall(t, svc); got != clientzone.ComponentDegraded || store.count() != 3 {
		t.Fatalf("after another process's write: %q after %d reads; want the kept summary", got, store.count())
	}
}

func TestSummaryCacheKeepsNoErrors(t *testing.T) {
	t.Parallel()
	svc, store, _ := newCached(10 * time.Second)
	boom := errors.New("boom")
	store.set(func(s *countingStore) { s.err = boom })
	if _, err := svc.Summary(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the store's", err)
	}
	store.set(func(s *countingStore) { s.err = nil })
	if got := overall(t, svc); got != clientzone.ComponentOperational || store.count() != 2 {
		t.Fatalf("after an error: %q after %d reads; want a new read", got, store.count())
	}
}

// Concurrent requests for an expired summary share one read, whatever the
// interleaving: a request either joins the read under way or finds its
// result kept.
func TestSummaryCacheConcurrentRequestsShareOneRead(t *testing.T) {
	t.Parallel()
	svc, store, _ := newCached(10 * time.Second)
	gate := make(chan struct{})
	store.set(func(s *countingStore) { s.gate = gate })
	const n = 50
	var wg sync.WaitGroup
	results := make([]*statuspage.Summary, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = svc.Summary(context.Background())
		}()
	}
	time.Sleep(20 * time.Millisecond) // let most of them wait for the read
	close(gate)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || results[i] != results[0] {
			t.Fatalf("request %d: %v, %p; want the shared summary %p", i, errs[i], results[i], results[0])
		}
	}
	if store.count() != 1 {
		t.Fatalf("%d concurrent requests made %d reads, want 1", n, store.count())
	}
}

// A request waiting for another's read is not failed by that request
// giving up: it reads itself.
func TestSummaryCacheReaderCancelled(t *testing.T) {
	t.Parallel()
	svc, store, _ := newCached(10 * time.Second)
	gate := make(chan struct{})
	started := make(chan struct{}, 4)
	store.set(func(s *countingStore) { s.gate, s.started = gate, started })
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := svc.Summary(ctx)
		first <- err
	}()
	<-started
	second := make(chan error, 1)
	go func() {
		_, err := svc.Summary(context.Background())
		second <- err
	}()
	time.Sleep(10 * time.Millisecond) // let the second join the first read
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled request: %v", err)
	}
	<-started // the second request's own read
	close(gate)
	if err := <-second; err != nil {
		t.Fatalf("waiting request: %v, want its own read to succeed", err)
	}
	if store.count() != 2 {
		t.Fatalf("%d reads, want 2", store.count())
	}
}

// A read under way when the page changes is returned to its request but not
// kept, and a request arriving after the change does not join it.
func TestSummaryCacheChangeDuringRead(t *testing.T) {
	t.Parallel()
	svc, store, _ := newCached(10 * time.Second)
	gate := make(chan struct{})
	started := make(chan struct{}, 4)
	store.set(func(s *countingStore) { s.gate, s.started = gate, started })
	before := make(chan string, 1)
	go func() {
		s, err := svc.Summary(context.Background())
		if err != nil {
			before <- err.Error()
			return
		}
		before <- s.Overall
	}()
	<-started
	store.set(func(s *countingStore) { s.state = clientzone.ComponentOutage })
	svc.Changes.Changed()
	after := make(chan string, 1)
	go func() {
		s, err := svc.Summary(context.Background())
		if err != nil {
			after <- err.Error()
			return
		}
		after <- s.Overall
	}()
	<-started // a read of its own, while the first is still under way
	close(gate)
	if got := <-before; got != clientzone.ComponentOutage && got != clientzone.ComponentOperational {
		t.Fatalf("first request: %s", got)
	}
	if got := <-after; got != clientzone.ComponentOutage {
		t.Fatalf("request after the change: %s, want outage", got)
	}
	store.set(func(s *countingStore) { s.gate, s.started = nil, nil })
	if got := overall(t, svc); got != clientzone.ComponentOutage || store.count() != 2 {
		t.Fatalf("then: %q after %d reads; want the second read kept", got, store.count())
	}
}
