package dynamo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

// Invoice numbers are unique in the deployment: a number another invoice
// has (of any customer, also one the client zone issued) is a conflict and
// nothing is written; re-writing an invoice keeps its number; a changed
// number frees the old one; of concurrent creates with one number exactly
// one wins.
func TestInvoiceNumbersUnique(t *testing.T) {
	t.Parallel()
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	custA, custB := clientzone.NewID(), clientzone.NewID()
	for _, cid := range []string{custA, custB} {
		if err := db.UpsertCustomer(ctx, &clientzone.Customer{ID: cid, Kind: "person", Name: cid, Currency: "EUR"}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	invoice := func(cid, number string) *clientzone.Invoice {
		inv := newInvoice(cid, clientzone.InvoiceUnpaid, "2026-04-01")
		inv.Number = number
		return inv
	}
	audit := func(cid string) *clientzone.AuditEntry {
		return &clientzone.AuditEntry{CustomerID: cid, At: invoiceNow, Action: "invoice.update", ActorID: "backoffice"}
	}
	wantTaken := func(t *testing.T, err error, number string) {
		t.Helper()
		e := wantErrCode(t, err, clientzone.ECONFLICT)
		if !clientzone.IsInvoiceNumberTaken(err) || e.Message != "Invoice number "+number+" is already used by another invoice." ||
			len(e.Fields) != 1 || e.Fields[0].Field != "number" || e.Fields[0].Code != "taken" {
			t.Fatalf("err = %+v, want the number %s taken", e, number)
		}
	}
	wantMissing := func(t *testing.T, inv *clientzone.Invoice) {
		t.Helper()
		if _, err := db.Invoice(ctx, inv.CustomerID, inv.ID); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Fatalf("invoice %s was written: %v", inv.ID, err)
		}
	}
	auditCount := func(t *testing.T, cid string) int {
		t.Helper()
		page, err := db.AuditLog(ctx, cid, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Entries)
	}

	a := invoice(custA, "FA2026000123")
	if err := db.UpsertInvoice(ctx, a, nil, nil); err != nil {
		t.Fatal(err)
	}

	t.Run("another customer's invoice with the number: 409, nothing written", func(t *testing.T) {
		b := invoice(custB, " FA2026000123 ") // compared after trimming spaces
		wantTaken(t, db.UpsertInvoice(ctx, b, nil, audit(custB)), "FA2026000123")
		wantMissing(t, b)
		if n := auditCount(t, custB); n != 0 {
			t.Errorf("%d audit entries written", n)
		}
		// Another invoice of the same customer, too.
		a2 := invoice(custA, "FA2026000123")
		wantTaken(t, db.UpsertInvoice(ctx, a2, nil, nil), "FA2026000123")
		wantMissing(t, a2)
		// Numbers are exact: another case is another number.
		lower := invoice(custB, "fa2026000123")
		if err := db.UpsertInvoice(ctx, lower, nil, nil); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("the client zone's issue and PutInvoice are guarded too", func(t *testing.T) {
		issued := invoice(custB, "FA2026000123")
		issued.Status = clientzone.InvoicePaid
		tx := db.NewTx()
		if err := tx.IssueInvoice(issued); err != nil {
			t.Fatal(err)
		}
		wantTaken(t, tx.Commit(ctx), "FA2026000123")
		wantMissing(t, issued)
		put := invoice(custB, "FA2026000123")
		wantTaken(t, db.PutInvoice(ctx, put), "FA2026000123")
		wantMissing(t, put)
	})

	t.Run("the same invoice again keeps its number", func(t *testing.T) {
		next := *a
		next.Status = clientzone.InvoiceCancelled
		if err := db.UpsertInvoice(ctx, &next, a, nil); err != nil {
			t.Fatal(err)
		}
		again := next
		if err := db.UpsertInvoice(ctx, &again, &next, nil); err != nil {
			t.Fatalf("re-upsert: %v", err)
		}
		if err := db.PutInvoice(ctx, &again); err != nil {
			t.Fatalf("re-put: %v", err)
		}
		*a = again
	})

	t.Run("a changed number frees the old one", func(t *testing.T) {
		next := *a
		next.Number = "FA2026000124"
		if err := db.UpsertInvoice(ctx, &next, a, nil); err != nil {
			t.Fatal(err)
		}
		got, err := db.Invoice(ctx, custA, a.ID)
		if err != nil || got.Number != "FA2026000124" {
			t.Fatalf("invoice = %+v, %v", got, err)
		}
		c := invoice(custB, "FA2026000123")
		if err := db.UpsertInvoice(ctx, c, nil, nil); err != nil {
			t.Fatalf("the freed number: %v", err)
		}
		wantTaken(t, db.UpsertInvoice(ctx, invoice(custB, "FA2026000124"), nil, nil), "FA2026000124")
		// Taking another invoice's number on a replace fails whole: the
		// invoice keeps its number, which stays claimed.
		taking := next
		taking.Number = "FA2026000123"
		wantTaken(t, db.UpsertInvoice(ctx, &taking, &next, nil), "FA2026000123")
		if got, err := db.Invoice(ctx, custA, a.ID); err != nil || got.Number != "FA2026000124" {
			t.Fatalf("invoice after the refused change = %+v, %v", got, err)
		}
		wantTaken(t, db.UpsertInvoice(ctx, invoice(custB, "FA2026000124"), nil, nil), "FA2026000124")
	})

	t.Run("concurrent creates: exactly one wins", func(t *testing.T) {
		const n = 10
		invs := make([]*clientzone.Invoice, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			cid := custA
			if i%2 == 1 {
				cid = custB
			}
			invs[i] = invoice(cid, "FA2026000999")
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.UpsertInvoice(ctx, invs[i], nil, nil)
			}()
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			_, getErr := db.Invoice(ctx, invs[i].CustomerID, invs[i].ID)
			switch {
			case err == nil:
				won++
				if getErr != nil {
					t.Errorf("winner %d not stored: %v", i, getErr)
				}
			case clientzone.ErrorCode(err) == clientzone.ECONFLICT:
				if clientzone.ErrorCode(getErr) != clientzone.ENOTFOUND {
					t.Errorf("loser %d stored: %v", i, getErr)
				}
			default:
				t.Errorf("create %d: %v", i, err)
			}
		}
		if won != 1 {
			t.Fatalf("%d creates won, want 1 (%v)", won, errs)
		}
	})
}

// Invoices without a number claim none; putting an invoice again keeps its
// claim.
func TestInvoiceNumberEmpty(t *testing.T) {
	t.Parallel()
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	cid := clientzone.NewID()
	for range 2 {
		inv := newInvoice(cid, clientzone.InvoiceUnpaid, "2026-04-01")
		inv.Number = ""
		if err := db.PutInvoice(ctx, inv); err != nil {
			t.Fatal(err)
		}
	}
	paid := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	inv := newInvoice(cid, clientzone.InvoicePaid, "2026-04-01")
	inv.PaidAt = &paid
	if err := db.PutInvoice(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if err := db.PutInvoice(ctx, inv); err != nil {
		t.Fatalf("put again: %v", err)
	}
	other := newInvoice(cid, clientzone.InvoiceUnpaid, "2026-04-01")
	other.Number = inv.Number
	if err := db.PutInvoice(ctx, other); !clientzone.IsInvoiceNumberTaken(err) {
		t.Fatalf("err = %v, want the number taken", err)
	}
}
