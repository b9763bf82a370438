package dynamo_test

import (
	"context"
	"sync"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func TestSetInvoicePDFKey(t *testing.T) {
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid, other := clientzone.NewID(), clientzone.NewID()
	inv := &clientzone.Invoice{ID: clientzone.NewID(), CustomerID: cid, Number: "FA1", Status: clientzone.InvoiceUnpaid,
		IssuedOn: "2026-03-01", DueOn: "2026-03-15", Total: clientzone.Money{Amount: 100, Currency: "EUR"}}
	if err := db.PutInvoice(ctx, inv); err != nil {
		t.Fatal(err)
	}

	// Another customer's id, or a missing invoice, is not found and creates nothing.
	_, err := db.SetInvoicePDFKey(ctx, other, inv.ID, "k-other")
	wantErrCode(t, err, clientzone.ENOTFOUND)
	_, err = db.SetInvoicePDFKey(ctx, cid, clientzone.NewID(), "k-missing")
	wantErrCode(t, err, clientzone.ENOTFOUND)
	if _, err := db.Invoice(ctx, other, inv.ID); err == nil {
		t.Error("an update created an item for the other customer")
	}

	// Concurrent first writers: exactly one key wins and everyone gets it.
	keys := make([]string, 5)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := db.SetInvoicePDFKey(ctx, cid, inv.ID, "key-"+string(rune('a'+i)))
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	got, err := db.Invoice(ctx, cid, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k != got.PDFKey || k == "" {
			t.Fatalf("keys %v, stored %q", keys, got.PDFKey)
		}
	}
	if got.Number != "FA1" || got.Total.Amount != 100 {
		t.Errorf("invoice changed: %+v", got)
	}
	// Later writers keep the stored key.
	if k, err := db.SetInvoicePDFKey(ctx, cid, inv.ID, "late"); err != nil || k != got.PDFKey {
		t.Errorf("late writer: %q %v", k, err)
	}
	if _, err := db.SetInvoicePDFKey(ctx, cid, inv.ID, ""); err == nil {
		t.Error("empty key accepted")
	}
}
