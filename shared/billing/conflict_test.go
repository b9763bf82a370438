package billing

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// racingStore is a store whose every transaction loses a race with a
// concurrent one (clientzone.ErrTransactionConflict), counting the commits;
// onCommit runs at each. Only the methods below are used.
type racingStore struct {
	PrepaidStore
	SettleStore
	mu       sync.Mutex
	commits  int
	onCommit func(n int)
}

var racingNow = time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)

func (s *racingStore) Invoice(_ context.Context, cid, id string) (*clientzone.Invoice, error) {
	return &clientzone.Invoice{ID: id, CustomerID: cid, Number: "FA1", Status: clientzone.InvoiceUnpaid, DueOn: "2026-03-20",
		Total: clientzone.Money{Amount: 1000, Currency: "EUR"}}, nil
}

func (s *racingStore) Invoices(context.Context, string, InvoiceFilter) (*InvoicePage, error) {
	return nil, errors.New("racingStore: no listing")
}

func (s *racingStore) Customer(_ context.Context, cid string) (*clientzone.Customer, error) {
	return &clientzone.Customer{ID: cid, Currency: "EUR", VariableSymbol: "1001"}, nil
}

func (s *racingStore) Settlement(context.Context, string) (*SettlementRecord, error) {
	return nil, clientzone.NotFound("Settlement")
}

func (s *racingStore) NextInvoiceNumber(context.Context, int) (int64, error) { return 1, nil }

func (s *racingStore) NewBillingTx() Tx { return racingTx{s: s} }

type racingTx struct {
	Tx
	s *racingStore
}

func (racingTx) SettlementGuard(*SettlementRecord) error                      { return nil }
func (racingTx) LedgerEntries([]*clientzone.Transaction, LedgerOptions) error { return nil }
func (racingTx) MarkInvoicePaid(string, string, time.Time) error              { return nil }
func (racingTx) IssueInvoice(*clientzone.Invoice) error                       { return nil }
func (racingTx) Audit(*clientzone.AuditEntry) error                           { return nil }

func (t racingTx) Commit(context.Context) error {
	t.s.mu.Lock()
	t.s.commits++
	n := t.s.commits
	t.s.mu.Unlock()
	if t.s.onCommit != nil {
		t.s.onCommit(n)
	}
	return fmt.Errorf("injected: %w", clientzone.ErrTransactionConflict)
}

type countMetrics struct{ n int }

func (m *countMetrics) Count(_ string, n int) { m.n += n }

// TestConflictsAreRetriedWhileTheContextLasts: a payment whose transaction
// keeps losing races is tried a bounded number of times, never counted as
// settled, and given up at once when the caller's context ends (no sleep
// past a cancellation).
func TestConflictsAreRetriedWhileTheContextLasts(t *testing.T) {
	t.Parallel()
	pay := func(ctx context.Context, s *racingStore, m Metrics) error {
		_, err := (&Prepaid{Store: s, Clock: clientzone.FixedClock(racingNow), Currency: "EUR", Metrics: m}).PayFromBalance(ctx, "C1", "I1")
		return err
	}
	settle := func(ctx context.Context, s *racingStore, m Metrics) error {
		_, err := (&Service{Store: s, Clock: clientzone.FixedClock(racingNow), Metrics: m}).Settle(ctx,
			Settlement{CustomerID: "C1", Amount: clientzone.Money{Amount: 500, Currency: "EUR"}, Reference: "bank:s1:1", Method: "transfer", TopUp: true})
		return err
	}
	tests := []struct {
		name        string
		op          func(context.Context, *racingStore, Metrics) error
		cancelAt    int // cancel the context at this commit (0: never)
		wantCommits int
		wantErr     error
	}{
		{"pay from balance: every attempt", pay, 0, payAttempts, clientzone.ErrTransactionConflict},
		{"pay from balance: cancelled at the first", pay, 1, 1, context.Canceled},
		{"pay from balance: cancelled at the third", pay, 3, 3, context.Canceled},
		{"settle: every attempt", settle, 0, settleAttempts, clientzone.ErrTransactionConflict},
		{"settle: cancelled at the second", settle, 2, 2, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := &racingStore{}
			if tt.cancelAt > 0 {
				s.onCommit = func(n int) {
					if n == tt.cancelAt {
						cancel()
					}
				}
			}
			m := &countMetrics{}
			start := time.Now()
			err := tt.op(ctx, s, m)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if s.commits != tt.wantCommits {
				t.Errorf("%d commits, want %d", s.commits, tt.wantCommits)
			}
			if m.n != 0 {
				t.Errorf("%d payments counted, want none", m.n)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
