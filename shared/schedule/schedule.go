// Package schedule holds the daily jobs run by EventBridge Scheduler (one
// Lambda each, functions/*-job) and locally by infra/local/cmd/run-job with
// a given "now":
//
//   - expiry-reminders: emails 60, 30, 14, 7 and 1 days before a service
//     expires (services found on GSI2 EXPIRY#<date>; a renewal moves the
//     service to another date, so reminders for the old date stop);
//   - overdue-reminders: emails for unpaid invoices 1, 7 and 14 days past
//     their due date (GSI2 DUE#<date>);
//   - suspension-fees: one fee per day for each voluntarily suspended
//     service whose fee start date has come (GSI1 SUSPENDED);
//   - autopay: pays from the prepaid balance the unpaid invoices, due within
//     AutopayDaysAhead days or overdue up to AutopayDaysBack days, of
//     customers with autopay enabled (GSI2 DUE#<date> for each of those days).
//
// Every job is exactly-once per step whatever reruns or concurrent runs
// happen: each step's effect is written in one transaction (Tx) with a
// conditional "done" item (a marker, or a ledger reference), so the second
// writer fails its condition (ErrStepDone, billing.ErrDuplicateReference)
// and counts the step as skipped; a step whose transaction was cancelled by
// a concurrent one is tried again (shared/retry). Work is found through
// date-keyed index partitions, never a Scan.
//
// The package owns its ports: Store (one per run, counting its calls for
// the report) and Tx, in its own types (ScheduledService, ErrStepDone);
// shared/dynamo implements them (dynamo.JobStores), and shared/app wires
// them into Env.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/retry"
)

// Report is what one job run did.
type Report struct {
	Job string `json:"job"`
	Now string `json:"now"`
	// Found is the number of candidates read from the index.
	Found int `json:"found"`
	// Done is the steps this run performed (reminders sent, fees charged,
	// invoices paid).
	Done int `json:"done"`
	// Skipped are candidates needing nothing (already done, renewed, paid,
	// not yet due, no recipient, balance too low).
	Skipped int `json:"skipped"`
	// Failed are candidates whose step failed; the run returns an error
	// and EventBridge Scheduler retries it (done steps are not repeated).
	Failed int `json:"failed"`
	// Pages is the number of index Query pages read.
	Pages       int            `json:"pages"`
	DynamoCalls int            `json:"dynamoCalls"`
	Ops         map[string]int `json:"ops"`
	Duration    time.Duration  `json:"durationNs"`
	DurationMS  int64          `json:"durationMs"`
}

// Job is one scheduled job.
type Job interface {
	Name() string
	Run(ctx context.Context, now time.Time) (Report, error)
}

// Env is what the jobs need: a store per run, and settings.
type Env struct {
	// NewStore returns the store of one run (dynamo.JobStores).
	NewStore func() Store
	Logger   *slog.Logger
	// DefaultLanguage is the language of emails to a customer's contact
	// address (no person to take it from).
	DefaultLanguage clientzone.Language
	// Currency is the deployment currency (services without a price currency).
	Currency string
	// SuspensionFees is the daily suspension fee per currency, in minor units.
	SuspensionFees map[string]int64
	// AutopayDaysAhead / AutopayDaysBack bound the due dates autopay pays.
	AutopayDaysAhead, AutopayDaysBack int
	// Workers is how many candidates are processed concurrently (default 8).
	Workers int
	// Metrics counts reminders queued and invoices paid by autopay; nil
	// counts nothing.
	Metrics Metrics
}

// Metrics counts business events (shared/metrics writes them as CloudWatch
// metrics).
type Metrics interface {
	Count(name string, n int)
}

// Metric names counted by the jobs (autopay's payments are counted by
// billing as billing.MetricPaymentSettled).
const (
	// MetricReminderSent is one expiry or overdue reminder queued (its
	// emails written to the outbox with the reminder's marker); a rerun
	// finding the marker does not count it again.
	MetricReminderSent = "ReminderSent"
	// MetricJobFailed is written once per Handler invocation: 1 when the
	// run ended with an error or a failed step (or could not start), 0
	// otherwise, so a job that stopped running shows as missing data.
	MetricJobFailed = "JobFailed"
)

func (e *Env) count(name string) {
	if e.Metrics != nil {
		e.Metrics.Count(name, 1)
	}
}

// Jobs returns every job by name.
func Jobs(env *Env) map[string]Job {
	return map[string]Job{
		"expiry-reminders":  &ExpiryReminders{Env: env},
		"overdue-reminders": &OverdueReminders{Env: env},
		"suspension-fees":   &SuspensionFees{Env: env},
		"autopay":           &Autopay{Env: env},
	}
}

// ParseFees parses "EUR:50,HUF:200" (minor units per currency).
func ParseFees(s string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		cur, amt, ok := strings.Cut(part, ":")
		var n int64
		if _, err := fmt.Sscan(amt, &n); !ok || err != nil || n < 0 || len(cur) != 3 {
			return nil, fmt.Errorf("schedule: bad fee %q (want CUR:minorUnits)", part)
		}
		out[strings.ToUpper(cur)] = n
	}
	return out, nil
}

// run is the shared frame of a job run: the run's store, the report, and
// a worker pool for the steps.
type run struct {
	env    *Env
	now    time.Time
	db     Store
	start  time.Time
	mu     sync.Mutex
	report Report
	errs   []error
	wg     sync.WaitGroup
	sem    chan struct{}
	people sync.Map // cid → *recipientsOnce
}

func (e *Env) begin(name string, now time.Time) *run {
	w := e.Workers
	if w <= 0 {
		w = 8
	}
	return &run{env: e, now: now.UTC(), db: e.NewStore(), start: time.Now(),
		report: Report{Job: name, Now: now.UTC().Format(time.RFC3339)}, sem: make(chan struct{}, w)}
}

// outcome of one step.
type outcome int

const (
	done outcome = iota
	skipped
)

// stepAttempts bounds the attempts of one step: a transaction cancelled by
// a concurrent one (another run writing the same marker) is tried again,
// and the next attempt sees the marker.
const stepAttempts = 9

// step runs fn for one candidate in the worker pool.
func (r *run) step(ctx context.Context, fn func(ctx context.Context) (outcome, error)) {
	r.mu.Lock()
	r.report.Found++
	r.mu.Unlock()
	r.sem <- struct{}{}
	r.wg.Add(1)
	go func() {
		defer func() { <-r.sem; r.wg.Done() }()
		o, err := retry.Value(ctx, retry.Policy{Attempts: stepAttempts, Base: 15 * time.Millisecond}, clientzone.IsTransactionConflict, fn)
		r.mu.Lock()
		defer r.mu.Unlock()
		switch {
		case err != nil:
			r.report.Failed++
			r.errs = append(r.errs, err)
		case o == done:
			r.report.Done++
		default:
			r.report.Skipped++
		}
	}()
}

func (r *run) pages(n int) {
	r.mu.Lock()
	r.report.Pages += n
	r.mu.Unlock()
}

// finish waits for the steps and completes the report.
func (r *run) finish(err error) (Report, error) {
	r.wg.Wait()
	rep := r.report
	rep.Duration = time.Since(r.start)
	rep.DurationMS = rep.Duration.Milliseconds()
	rep.Ops = r.db.CallCounts()
	for _, n := range rep.Ops {
		rep.DynamoCalls += n
	}
	if len(r.errs) > 0 {
		err = errors.Join(append([]error{err}, r.errs...)...)
	}
	if r.env.Logger != nil {
		r.env.Logger.Info("job finished", "job", rep.Job, "now", rep.Now, "found", rep.Found, "done", rep.Done,
			"skipped", rep.Skipped, "failed", rep.Failed, "dynamoCalls", rep.DynamoCalls, "durationMs", rep.DurationMS, "err", err)
	}
	return rep, err
}

// day is t's date shifted by days, as YYYY-MM-DD.
func day(t time.Time, days int) string { return t.AddDate(0, 0, days).Format(time.DateOnly) }

// recipient of a notification email.
type recipient struct {
	Email    string
	Language clientzone.Language
	PersonID string
}

type recipientsOnce struct {
	once    sync.Once
	persons []*clientzone.Person
	err     error
}

// recipients are customer cid's active admins who want topic (one Query per
// customer and run), or else the customer's contact email (one GetItem).
func (r *run) recipients(ctx context.Context, cid string, wants func(clientzone.Notifications) bool) ([]recipient, error) {
	v, _ := r.people.LoadOrStore(cid, &recipientsOnce{})
	ro := v.(*recipientsOnce)
	ro.once.Do(func() { ro.persons, ro.err = r.db.Persons(ctx, cid) })
	if ro.err != nil {
		return nil, ro.err
	}
	var out []recipient
	for _, p := range ro.persons {
		if p.Role == clientzone.RoleAdmin && !p.Disabled && p.Email != "" && wants(p.Notifications) {
			lang := p.Language
			if lang == "" {
				lang = r.env.DefaultLanguage
			}
			out = append(out, recipient{Email: p.Email, Language: lang, PersonID: p.ID})
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	hasAdmin := false
	for _, p := range ro.persons {
		hasAdmin = hasAdmin || (p.Role == clientzone.RoleAdmin && !p.Disabled)
	}
	if hasAdmin {
		return nil, nil // the admins turned this topic off
	}
	c, err := r.db.Customer(ctx, cid)
	if err != nil || c.Email == "" {
		if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
			err = nil
		}
		return nil, err
	}
	lang := r.env.DefaultLanguage
	if c.Language != "" {
		lang = c.Language
	}
	return []recipient{{Email: c.Email, Language: lang}}, nil
}

// notify writes, in one transaction, marker key (kept for keep) and one
// outbox email per recipient: sent once, however often it is attempted,
// and counted then (MetricReminderSent).
func (r *run) notify(ctx context.Context, key string, keep time.Duration, cid, template string, data map[string]string, to []recipient) (outcome, error) {
	if len(to) == 0 {
		return skipped, nil
	}
	sort.Slice(to, func(i, j int) bool { return to[i].Email < to[j].Email })
	tx := r.db.NewJobTx()
	if err := tx.Marker(key, r.now, r.now.Add(keep)); err != nil {
		return 0, err
	}
	for _, rc := range to {
		if tx.Len() >= 100 {
			break
		}
		if err := tx.Outbox(&clientzone.Message{Channel: clientzone.ChannelEmail, To: rc.Email, Template: template,
			Language: rc.Language, Data: data, CustomerID: cid, PersonID: rc.PersonID, CreatedAt: r.now}); err != nil {
			return 0, err
		}
	}
	err := tx.Commit(ctx)
	if errors.Is(err, ErrStepDone) {
		return skipped, nil
	}
	if err != nil {
		return 0, err
	}
	r.env.count(MetricReminderSent)
	return done, nil
}

type sync1 struct{ o sync.Once }

func (s *sync1) do(f func()) { s.o.Do(f) }

type syncMap[K comparable, V any] struct{ m sync.Map }

func (s *syncMap[K, V]) load(k K, mk func() V) V {
	if v, ok := s.m.Load(k); ok {
		return v.(V)
	}
	v, _ := s.m.LoadOrStore(k, mk())
	return v.(V)
}
