package dynamo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

// Concurrent proformas of one customer get distinct variable symbols
// (customer VS + sequence); a symbol resolves to its proforma and the
// customer's own symbol to the customer with one GSI1 Query; a proforma is
// paid once.
func TestProformasVariableSymbols(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	cust := &clientzone.Customer{ID: clientzone.NewID(), Name: "VS test", VariableSymbol: "5512345", Currency: "EUR", CreatedAt: now}
	if err := db.PutCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	pfs := make([]*clientzone.Proforma, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pfs[i] = &clientzone.Proforma{CustomerID: cust.ID, Purpose: clientzone.ProformaTopUp, Status: clientzone.ProformaOpen,
				Amount: clientzone.Money{Amount: 1000, Currency: "EUR"}, IssuedOn: "2026-11-23", DueOn: "2026-12-07", CreatedAt: now}
			errs[i] = db.CreateProforma(ctx, pfs[i], cust.VariableSymbol)
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	created := 0
	for i := range n {
		if errs[i] != nil {
			wantErrCode(t, errs[i], clientzone.ECONFLICT) // only ever a retryable conflict
			continue
		}
		created++
		if seen[pfs[i].VariableSymbol] || len(pfs[i].VariableSymbol) != 10 || pfs[i].VariableSymbol[:7] != "5512345" {
			t.Fatalf("variable symbol %q duplicated or malformed", pfs[i].VariableSymbol)
		}
		seen[pfs[i].VariableSymbol] = true
	}
	if created < 2 {
		t.Fatalf("only %d of %d concurrent proformas were created", created, n)
	}
	var first *clientzone.Proforma
	for i := range n {
		if errs[i] == nil {
			first = pfs[i]
			break
		}
	}
	got, err := db.LookupVariableSymbol(ctx, first.VariableSymbol)
	if err != nil || got.Customer != nil || len(got.Proformas) != 1 || got.Proformas[0].ID != first.ID || got.Proformas[0].CustomerID != cust.ID {
		t.Fatalf("lookup proforma VS: %+v %v", got, err)
	}
	got, err = db.LookupVariableSymbol(ctx, cust.VariableSymbol)
	if err != nil || got.Customer == nil || got.Customer.ID != cust.ID || len(got.Proformas) != 0 {
		t.Fatalf("lookup customer VS: %+v %v", got, err)
	}
	if got, _ := db.LookupVariableSymbol(ctx, "0000"); got.Customer != nil || len(got.Proformas) != 0 {
		t.Fatalf("unknown VS found %+v", got)
	}
	list, err := db.Proformas(ctx, cust.ID, 100)
	if err != nil || len(list) != created {
		t.Fatalf("list %d %v", len(list), err)
	}

	tx := db.NewTx()
	if err := tx.MarkProformaPaid(cust.ID, first.ID, "INV1", now); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	tx = db.NewTx()
	_ = tx.MarkProformaPaid(cust.ID, first.ID, "INV2", now)
	if err := tx.Commit(ctx); err != billing.ErrProformaNotOpen {
		t.Fatalf("second payment: %v", err)
	}
	p, err := db.Proforma(ctx, cust.ID, first.ID)
	if err != nil || p.Status != clientzone.ProformaPaid || p.PaidInvoiceID != "INV1" {
		t.Fatalf("paid proforma %+v %v", p, err)
	}
	if _, err := db.Proforma(ctx, "other-customer", first.ID); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("another customer's proforma: %v", err)
	}
}
