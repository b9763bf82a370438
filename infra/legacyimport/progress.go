package legacyimport

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress draws "[#####.....] 120/500 records  34.2/s  errors 3  (invoices)"
// on one line of w, redrawn a few times a second.
type progress struct {
	w        io.Writer
	total    int
	mu       sync.Mutex
	done     int
	failed   int
	kind     string
	started  time.Time
	stopping chan struct{}
	stopped  chan struct{}
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, started: time.Now(), stopping: make(chan struct{}), stopped: make(chan struct{})}
}

func (p *progress) add(ok, failed int) {
	p.mu.Lock()
	p.done += ok + failed
	p.failed += failed
	p.mu.Unlock()
}

func (p *progress) setKind(k string) {
	p.mu.Lock()
	p.kind = k
	p.mu.Unlock()
}

func (p *progress) start() {
	if p.w == nil {
		close(p.stopped)
		return
	}
	go func() {
		defer close(p.stopped)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw("\r")
			case <-p.stopping:
				p.draw("\r")
				fmt.Fprintln(p.w)
				return
			}
		}
	}()
}

func (p *progress) stop() {
	close(p.stopping)
	<-p.stopped
}

func (p *progress) line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	const width = 30
	filled := width
	if p.total > 0 {
		filled = p.done * width / p.total
	}
	rate := float64(p.done) / max(time.Since(p.started).Seconds(), 0.001)
	return fmt.Sprintf("[%s%s] %d/%d records  %.1f/s  errors %d  (%s)", strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		p.done, p.total, rate, p.failed, p.kind)
}

func (p *progress) draw(prefix string) {
	fmt.Fprintf(p.w, "%s%-100s", prefix, p.line())
}
