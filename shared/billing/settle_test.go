package billing_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func eur(n int64) clientzone.Money { return clientzone.Money{Amount: n, Currency: "EUR"} }

// settleFixture is a fresh table with one customer, an unpaid invoice and a
// yearly hosting service.
func settleFixture(t *testing.T) (*dynamo.DB, *billing.Service) {
	t.Helper()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	if err := db.PutCustomer(ctx, &clientzone.Customer{ID: "C1", Name: "Test", VariableSymbol: "1001", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutInvoice(ctx, &clientzone.Invoice{ID: "01INV", CustomerID: "C1", Number: "FA1", Status: clientzone.InvoiceUnpaid,
		IssuedOn: "2026-03-01", DueOn: "2026-03-10", Total: eur(2400), VAT: eur(400)}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutContract(ctx, &clientzone.Contract{ID: "K1", CustomerID: "C1", Number: "2024001", Status: clientzone.StatusActive,
		Services: []clientzone.Service{
			{ID: "S1", Kind: clientzone.ServiceHosting, Name: "Hosting", Status: clientzone.StatusActive, BillingPeriod: "yearly", Price: eur(6000), ExpiresOn: "2026-04-30"},
			{ID: "S2", Kind: clientzone.ServiceDomain, Name: "example.sk", Status: clientzone.StatusActive, BillingPeriod: "monthly", Price: eur(100), ExpiresOn: "2026-01-31"},
		}}, ""); err != nil {
		t.Fatal(err)
	}
	return db, &billing.Service{Store: db, Clock: clientzone.FixedClock(today), VATPercent: map[string]int{"EUR": 20}}
}

func wantLedger(t *testing.T, db *dynamo.DB, balance int64, entries int) {
	t.Helper()
	ctx := context.Background()
	b, err := db.Balance(ctx, "C1", "EUR")
	if err != nil {
		t.Fatal(err)
	}
	sum, n, err := db.SumTransactions(ctx, "C1")
	if err != nil {
		t.Fatal(err)
	}
	if b.Amount.Amount != balance || sum != balance || n != entries {
		t.Fatalf("balance %d, sum %d over %d entries; want %d over %d", b.Amount.Amount, sum, n, balance, entries)
	}
}

func TestSettleInvoice(t *testing.T) {
	t.Parallel()
	db, svc := settleFixture(t)
	ctx := context.Background()
	res, err := svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(2400), Reference: "stripe:cs_1", Method: "card", InvoiceID: "01INV"})
	if err != nil {
		t.Fatal(err)
	}
	if res.AlreadySettled || res.PaidInvoiceID != "01INV" || res.IssuedInvoiceID != "" {
		t.Fatalf("result %+v", res)
	}
	inv, err := db.Invoice(ctx, "C1", "01INV")
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != clientzone.InvoicePaid || inv.PaidAt == nil || !inv.PaidAt.Equal(today) {
		t.Fatalf("invoice %+v", inv)
	}
	// The status index moved with the status.
	page, err := db.Invoices(ctx, "C1", billing.InvoiceFilter{Status: clientzone.InvoicePaid, Limit: 10, Now: today})
	if err != nil || len(page.Invoices) != 1 {
		t.Fatalf("paid listing: %v %v", page, err)
	}
	page, err = db.Invoices(ctx, "C1", billing.InvoiceFilter{Status: clientzone.InvoiceUnpaid, Limit: 10, Now: today})
	if err != nil || len(page.Invoices) != 0 {
		t.Fatalf("unpaid listing: %v %v", page, err)
	}
	wantLedger(t, db, 0, 2)
	txns, err := db.Transactions(ctx, "C1", 10, "")
	if err != nil {
		t.Fatal(err)
	}
	if txns.Transactions[0].Kind != clientzone.TxnCharge || txns.Transactions[0].Amount.Amount != -2400 ||
		txns.Transactions[1].Kind != clientzone.TxnPayment || txns.Transactions[1].Amount.Amount != 2400 {
		t.Fatalf("transactions %+v", txns.Transactions)
	}

	// The same reference again: the earlier outcome, nothing applied twice.
	again, err := svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(2400), Reference: "stripe:cs_1", Method: "card", InvoiceID: "01INV"})
	if err != nil {
		t.Fatal(err)
	}
	if !again.AlreadySettled || again.PaidInvoiceID != "01INV" {
		t.Fatalf("again %+v", again)
	}
	wantLedger(t, db, 0, 2)

	// Another reference for the paid invoice: a conflict.
	_, err = svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(2400), Reference: "stripe:cs_2", Method: "card", InvoiceID: "01INV"})
	if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Fatalf("paid invoice: %v", err)
	}
	wantLedger(t, db, 0, 2)
}

func TestSettleInvoiceConflicts(t *testing.T) {
	t.Parallel()
	db, svc := settleFixture(t)
	ctx := context.Background()
	_, err := svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(2399), Reference: "r1", Method: "card", InvoiceID: "01INV"})
	if clientzone.ErrorCode(err) != clientzone.ECONFLICT || !strings.Contains(err.Error(), "The paid amount does not match the amount due.") {
		t.Fatalf("amount mismatch: %v", err)
	}
	_, err = svc.Settle(ctx, billing.Settlement{CustomerID: "C2", Amount: eur(2400), Reference: "r2", Method: "card", InvoiceID: "01INV"})
	if clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("other customer: %v", err)
	}
	if _, err := db.Settlement(ctx, "r1"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("a failed settlement was recorded: %v", err)
	}
	wantLedger(t, db, 0, 0)
}

func TestSettleConcurrentOnce(t *testing.T) {
	t.Parallel()
	db, svc := settleFixture(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	results := make([]*billing.SettleResult, 5)
	errs := make([]error, 5)
	for i := range 5 {
		wg.Go(func() {
			results[i], errs[i] = svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(2400), Reference: "stripe:cs_c", Method: "card", InvoiceID: "01INV"})
		})
	}
	wg.Wait()
	fresh := 0
	for i := range 5 {
		if errs[i] != nil {
			t.Fatalf("settle %d: %v", i, errs[i])
		}
		if !results[i].AlreadySettled {
			fresh++
		}
	}
	if fresh != 1 {
		t.Fatalf("%d settlements applied, want 1", fresh)
	}
	wantLedger(t, db, 0, 2)
}

func TestSettleTopUp(t *testing.T) {
	t.Parallel()
	db, svc := settleFixture(t)
	ctx := context.Background()
	res, err := svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(1200), Reference: "stripe:cs_t", Method: "card", TopUp: true})
	if err != nil {
		t.Fatal(err)
	}
	wantLedger(t, db, 1200, 1)
	inv, err := db.Invoice(ctx, "C1", res.IssuedInvoiceID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != clientzone.InvoicePaid || inv.Total != eur(1200) || inv.VAT != eur(200) || inv.VariableSymbol != "1001" || inv.Number == "" {
		t.Fatalf("issued invoice %+v", inv)
	}
	// A top-up in another currency than the balance: nothing written.
	_, err = svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: clientzone.Money{Amount: 100, Currency: "HUF"}, Reference: "stripe:cs_huf", Method: "card", TopUp: true})
	if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Fatalf("currency: %v", err)
	}
	wantLedger(t, db, 1200, 1)
}

// Invoice numbers are unique: numbers of the sequence the back office
// already used for other invoices are skipped for the next free one.
func TestSettleSkipsTakenInvoiceNumbers(t *testing.T) {
	t.Parallel()
	db, svc := settleFixture(t)
	ctx := context.Background()
	for i, n := range []string{"FA2026000001", "FA2026000002"} {
		if err := db.PutInvoice(ctx, &clientzone.Invoice{ID: clientzone.NewID(), CustomerID: "C1", Number: n, Status: clientzone.InvoiceCancelled,
			IssuedOn: "2026-03-0" + string(rune('1'+i)), DueOn: "2026-03-10", Total: eur(100), VAT: eur(17)}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(1200), Reference: "stripe:cs_n", Method: "card", TopUp: true})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := db.Invoice(ctx, "C1", res.IssuedInvoiceID)
	if err != nil || inv.Number != "FA2026000003" {
		t.Fatalf("issued invoice %+v, %v; want number FA2026000003", inv, err)
	}
	wantLedger(t, db, 1200, 1)
}

func TestSettleRenewal(t *testing.T) {
	t.Parallel()
	db, svc := settleFixture(t)
	ctx := context.Background()
	// Yearly, expiry in the future: extended from the old expiry.
	res, err := svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(12000), Reference: "stripe:cs_r1", Method: "card", ServiceID: "S1", Periods: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExpiresOn != "2028-04-30" || res.IssuedInvoiceID == "" {
		t.Fatalf("result %+v", res)
	}
	s, err := db.Service(ctx, "C1", "S1")
	if err != nil || s.ExpiresOn != "2028-04-30" {
		t.Fatalf("service %+v %v", s, err)
	}
	wantLedger(t, db, 0, 2)
	// Monthly, already expired: extended from today (2026-03-15).
	res, err = svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(300), Reference: "stripe:cs_r2", Method: "card", ServiceID: "S2", Periods: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExpiresOn != "2026-06-15" {
		t.Fatalf("monthly renewal until %s", res.ExpiresOn)
	}
	// The price is fixed when the renewal starts (a later price change must
	// not strand the money); another currency is refused: nothing booked.
	_, err = svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: clientzone.Money{Amount: 6000, Currency: "HUF"}, Reference: "stripe:cs_r3", Method: "card", ServiceID: "S1", Periods: 1})
	if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Fatalf("amount: %v", err)
	}
	wantLedger(t, db, 0, 4)
}

func TestSettleProforma(t *testing.T) {
	t.Parallel()
	db, svc := settleFixture(t)
	ctx := context.Background()
	pf := &clientzone.Proforma{ID: clientzone.NewID(), CustomerID: "C1", Amount: eur(6000), Purpose: clientzone.ProformaRenewal,
		ServiceID: "S1", Periods: 1, Status: clientzone.ProformaOpen, IssuedOn: "2026-03-15", DueOn: "2026-03-29", CreatedAt: today}
	if err := db.CreateProforma(ctx, pf, "1001"); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(6000), Reference: "bank:1:1", Method: "transfer", ProformaID: pf.ID})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Proforma(ctx, "C1", pf.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != clientzone.ProformaPaid || got.PaidInvoiceID != res.IssuedInvoiceID || res.ExpiresOn != "2027-04-30" {
		t.Fatalf("proforma %+v, result %+v", got, res)
	}
	_, err = svc.Settle(ctx, billing.Settlement{CustomerID: "C1", Amount: eur(6000), Reference: "bank:1:2", Method: "transfer", ProformaID: pf.ID})
	if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Fatalf("paid proforma: %v", err)
	}
}

func TestVATIncluded(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		gross   int64
		percent int
		want    int64
	}{{1200, 20, 200}, {2400, 20, 400}, {4800000, 27, 1020472}, {100, 0, 0}, {1, 20, 0}, {3, 20, 0}, {6, 20, 1}} {
		if got := billing.VATIncluded(tt.gross, tt.percent); got != tt.want {
			t.Errorf("VATIncluded(%d, %d) = %d, want %d", tt.gross, tt.percent, got, tt.want)
		}
	}
}
