package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func book(ctx context.Context, db *dynamo.DB, cid, kind, ref string, amount int64, o billing.LedgerOptions) error {
	tx := db.NewTx()
	if err := tx.Ledger(&clientzone.Transaction{CustomerID: cid, Kind: kind, Amount: clientzone.Money{Amount: amount, Currency: "EUR"},
		Reference: ref, CreatedAt: time.Now().UTC()}, o); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// TestLedgerConcurrentInvariant books 50 concurrent credits and debits on
// one customer: nothing is lost, the balance is the sum of the
// transactions, no-overdraft debits never take it below zero, and a
// reference is booked once even when sent many times at once.
func TestLedgerConcurrentInvariant(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	const cid = "C1"
	if err := book(ctx, db, cid, clientzone.TxnTopUp, "seed", 1000, billing.LedgerOptions{}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			switch i % 5 {
			case 0, 1: // top-ups
				errs[i] = book(ctx, db, cid, clientzone.TxnTopUp, fmt.Sprintf("topup-%d", i), 500, billing.LedgerOptions{})
			case 2: // the same bank line delivered ten times
				errs[i] = book(ctx, db, cid, clientzone.TxnPayment, "bank-line-42", 700, billing.LedgerOptions{})
			default: // charges that must not overdraw
				errs[i] = book(ctx, db, cid, clientzone.TxnCharge, "", -400, billing.LedgerOptions{NoOverdraft: true})
			}
		}(i)
	}
	wg.Wait()
	dup, short, other, bankBooked := 0, 0, 0, 0
	for i, err := range errs {
		if i%5 == 2 && err == nil {
			bankBooked++
		}
		switch {
		case err == nil:
		case errors.Is(err, billing.ErrDuplicateReference):
			dup++
		case errors.Is(err, billing.ErrInsufficientBalance):
			short++
		default:
			// Transaction conflicts under contention are retried by callers.
			if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
				t.Errorf("unexpected error: %v", err)
			}
			other++
		}
	}
	if bankBooked != 1 {
		t.Errorf("the same bank line was booked %d times, want once", bankBooked)
	}
	bal, err := db.Balance(ctx, cid, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	sum, n, err := db.SumTransactions(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	if bal.Amount.Amount != sum || bal.Amount.Currency != "EUR" {
		t.Fatalf("balance %d != sum of %d transactions %d", bal.Amount.Amount, n, sum)
	}
	if bal.Amount.Amount < 0 {
		t.Fatalf("balance %d went below zero", bal.Amount.Amount)
	}
	t.Logf("balance %d = sum of %d transactions; %d duplicates refused, %d charges refused for balance, %d conflicts", sum, n, dup, short, other)
}

func TestLedgerRules(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	if err := book(ctx, db, "C2", clientzone.TxnCharge, "", -1, billing.LedgerOptions{NoOverdraft: true}); !errors.Is(err, billing.ErrInsufficientBalance) {
		t.Errorf("debit on an empty balance: %v", err)
	}
	if err := book(ctx, db, "C2", clientzone.TxnTopUp, "r1", 100, billing.LedgerOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := book(ctx, db, "C2", clientzone.TxnTopUp, "r1", 100, billing.LedgerOptions{}); !errors.Is(err, billing.ErrDuplicateReference) {
		t.Errorf("same reference twice: %v", err)
	}
	tx := db.NewTx()
	_ = tx.Ledger(&clientzone.Transaction{CustomerID: "C2", Kind: clientzone.TxnTopUp, Amount: clientzone.Money{Amount: 5, Currency: "HUF"}, CreatedAt: time.Now()}, billing.LedgerOptions{})
	if err := tx.Commit(ctx); clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Errorf("other currency: %v", err)
	}
	page, err := db.Transactions(ctx, "C2", 10, "")
	if err != nil || len(page.Transactions) != 1 || page.Transactions[0].Amount.Amount != 100 {
		t.Errorf("transactions = %+v, %v", page, err)
	}
	bal, _ := db.Balance(ctx, "C3", "EUR")
	if bal.Amount != (clientzone.Money{Amount: 0, Currency: "EUR"}) {
		t.Errorf("empty balance = %+v", bal)
	}
}

func TestIdempotencyRecords(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	now := time.Now().UTC()
	if _, found, err := db.BeginIdempotent(ctx, "C1#POST /x", "key-1", "fp1", now); err != nil || found {
		t.Fatalf("first begin: %v %v", found, err)
	}
	if _, _, err := db.BeginIdempotent(ctx, "C1#POST /x", "key-1", "fp1", now); clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Errorf("begin while in progress: %v", err)
	}
	if err := db.CompleteIdempotent(ctx, "C1#POST /x", "key-1", &clientzone.SavedResponse{Status: 201, ContentType: "application/json", Body: `{"ok":true}`}); err != nil {
		t.Fatal(err)
	}
	saved, found, err := db.BeginIdempotent(ctx, "C1#POST /x", "key-1", "fp1", now)
	if err != nil || !found || saved.Status != 201 || saved.Body != `{"ok":true}` {
		t.Errorf("replay: %+v %v %v", saved, found, err)
	}
	if _, _, err := db.BeginIdempotent(ctx, "C1#POST /x", "key-1", "fp2", now); clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Errorf("same key, other request: %v", err)
	}
	// Another customer's scope is independent; an aborted key can be retried;
	// an expired record is claimed afresh.
	if _, found, err := db.BeginIdempotent(ctx, "C2#POST /x", "key-1", "fp2", now); err != nil || found {
		t.Errorf("other scope: %v %v", found, err)
	}
	if err := db.AbortIdempotent(ctx, "C2#POST /x", "key-1"); err != nil {
		t.Fatal(err)
	}
	if _, found, err := db.BeginIdempotent(ctx, "C2#POST /x", "key-1", "fp2", now); err != nil || found {
		t.Errorf("after abort: %v %v", found, err)
	}
	if _, found, err := db.BeginIdempotent(ctx, "C1#POST /x", "key-1", "fp3", now.Add(dynamo.IdempotencyRetention+time.Hour)); err != nil || found {
		t.Errorf("after expiry: %v %v", found, err)
	}
}
