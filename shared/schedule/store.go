package schedule

import (
	"context"
	"errors"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Store is the persistence of one job run. Env.NewStore gives every run
// its own, so that the run's report counts exactly its own calls
// (CallCounts); shared/dynamo's JobStores implements it on the table.
type Store interface {
	// ServicesExpiringOn calls fn for every service expiring on day
	// (YYYY-MM-DD), reading a date-keyed index page by page; it returns the
	// pages read. An index entry may be stale (the service renewed since).
	ServicesExpiringOn(ctx context.Context, day string, fn func(*ScheduledService) error) (int, error)
	// SuspendedServices calls fn for every suspended service; it returns
	// the pages read.
	SuspendedServices(ctx context.Context, fn func(*ScheduledService) error) (int, error)
	// InvoicesDueOn calls fn for every invoice due on day, whatever its
	// status; it returns the pages read.
	InvoicesDueOn(ctx context.Context, day string, fn func(*clientzone.Invoice) error) (int, error)
	Persons(ctx context.Context, cid string) ([]*clientzone.Person, error)
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	// NewJobTx starts the transaction of one step.
	NewJobTx() Tx
	// CallCounts are the storage calls made through this store so far, by
	// operation name (the report's Ops; no "Scan" ever).
	CallCounts() map[string]int
	// The autopay job pays through billing.Prepaid.
	billing.PrepaidStore
}

// Tx collects the writes of one job step: nothing is written until
// Commit, and then all of them or none. A transaction cancelled by a
// concurrent one fails with an error matching
// clientzone.ErrTransactionConflict, having written nothing.
type Tx interface {
	// Marker records step key as done (kept until expires): Commit fails
	// with ErrStepDone when it was done before. It makes a step happen
	// once however often, or concurrently, a job runs.
	Marker(key string, at, expires time.Time) error
	// Outbox adds a message to the outbox.
	Outbox(m *clientzone.Message) error
	// Ledger books t on the customer's ledger (see billing.Tx's
	// LedgerEntries): Commit fails with billing.ErrDuplicateReference when
	// its reference was booked before.
	Ledger(t *clientzone.Transaction, o billing.LedgerOptions) error
	// Len is the number of writes so far (a transaction holds at most 100).
	Len() int
	Commit(ctx context.Context) error
}

// ErrStepDone is the conflict of a step whose marker exists: another run
// (or an earlier one) did it; the step counts as skipped.
var ErrStepDone = errors.New("schedule: job step already done")

// ScheduledService is a service found through an index, with its customer.
type ScheduledService struct {
	CustomerID string
	clientzone.Service
}
