// Package statuspage serves the public system status: datacenters, hosting
// services and incidents. Store and AdminStore are what it reads and
// writes; shared/dynamo implements them.
package statuspage

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Store is the persistence the status page needs.
type Store interface {
	Status(ctx context.Context) ([]clientzone.StatusComponent, []clientzone.Incident, error)
}

// Overall states, worst first.
var severity = map[string]int{
	clientzone.ComponentOutage:      3,
	clientzone.ComponentDegraded:    2,
	clientzone.ComponentMaintenance: 1,
	clientzone.ComponentOperational: 0,
}

// Summary is the status page.
type Summary struct {
	Overall    string                       `json:"overall"`
	Components []clientzone.StatusComponent `json:"components"`
	Incidents  []clientzone.Incident        `json:"incidents"`
}

// Service implements the status page.
//
// During an outage the status page is the most requested route and its
// data is one DynamoDB partition, so with a TTL the Service keeps the
// summary in memory: each process reads the partition at most once per
// TTL however many requests arrive, and concurrent requests for an expired
// summary share one read. Errors are not kept: the next request reads
// again. A Service is safe for concurrent use; it must not be copied.
type Service struct {
	Store Store
	// TTL is how long a summary is reused; zero or less reads every time.
	TTL time.Duration
	// Clock times the TTL; nil is the system clock.
	Clock clientzone.Clock
	// Changes, shared with the Admin of the same process, drops the kept
	// summary as soon as the back office changes the page through this
	// process (the dev server serves both; a Lambda serves one route, so
	// there the TTL alone bounds the staleness).
	Changes *Changes

	mu     sync.Mutex
	kept   *kept   // the last summary read, nil before the first
	flight *flight // the read under way, nil when none
}

// kept is a summary read at a given change count, reusable until expires.
type kept struct {
	summary *Summary
	changes uint64
	expires time.Time
}

// flight is one read of the store shared by the requests that wait for it;
// summary and err are set before done is closed.
type flight struct {
	changes uint64
	done    chan struct{}
	summary *Summary
	err     error
}

// Changes counts the status page's changes made through one process. The
// zero value is ready to use; a nil *Changes counts nothing.
type Changes struct{ n atomic.Uint64 }

// Changed records a change: summaries read before it are not reused.
func (c *Changes) Changed() {
	if c != nil {
		c.n.Add(1)
	}
}

func (c *Changes) count() uint64 {
	if c == nil {
		return 0
	}
	return c.n.Load()
}

// Summary returns every component, the incidents newest first, and the
// overall state: the worst state of any component. The summary may be
// shared with other callers: it must not be modified.
func (s *Service) Summary(ctx context.Context) (*Summary, error) {
	if s.TTL <= 0 {
		return s.read(ctx)
	}
	for {
		s.mu.Lock()
		now, changes := s.now(), s.Changes.count()
		if k := s.kept; k != nil && k.changes == changes && now.Before(k.expires) {
			s.mu.Unlock()
			return k.summary, nil
		}
		f := s.flight
		if f == nil || f.changes != changes {
			// No read under way, or one begun before the last change:
			// read now, for this request and any that join.
			f = &flight{changes: changes, done: make(chan struct{})}
			s.flight = f
			s.mu.Unlock()
			s.fly(ctx, f, now)
			return f.summary, f.err
		}
		s.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err != nil && ctx.Err() == nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
			continue // the reading request gave up, this one has not: read again
		}
		return f.summary, f.err
	}
}

// fly performs flight f's read with the context of the request that
// started it, keeps a successful summary unless the page changed during
// the read, and releases the requests waiting for f.
func (s *Service) fly(ctx context.Context, f *flight, now time.Time) {
	defer func() {
		s.mu.Lock()
		if s.flight == f {
			s.flight = nil
		}
		if f.err == nil && f.summary != nil && f.changes == s.Changes.count() {
			s.kept = &kept{summary: f.summary, changes: f.changes, expires: now.Add(s.TTL)}
		}
		s.mu.Unlock()
		close(f.done)
	}()
	f.err = errors.New("statuspage: read panicked") // replaced unless the read panics
	f.summary, f.err = s.read(ctx)
}

// read reads the store and computes the overall state.
func (s *Service) read(ctx context.Context) (*Summary, error) {
	comps, incs, err := s.Store.Status(ctx)
	if err != nil {
		return nil, err
	}
	overall := clientzone.ComponentOperational
	for _, c := range comps {
		if severity[c.Status] > severity[overall] {
			overall = c.Status
		}
	}
	return &Summary{Overall: overall, Components: comps, Incidents: incs}, nil
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}
