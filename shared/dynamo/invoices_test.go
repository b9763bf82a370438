package dynamo_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

// invoiceNow is "today" for the overdue rules of these tests.
var invoiceNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

type invoiceFixture struct {
	db   *dynamo.DB
	cid  string
	inv  []*clientzone.Invoice // in issue order: inv[0] is the oldest
	cidB string
}

// newInvoiceFixture stores seven invoices of one customer and two of
// another:
//
//	0 paid       1 cancelled   2 unpaid due 2026-02-01 (overdue)   3 paid
//	4 unpaid due yesterday (overdue)   5 unpaid due today   6 unpaid due next month
func newInvoiceFixture(t *testing.T) *invoiceFixture {
	t.Helper()
	ctx := context.Background()
	f := &invoiceFixture{db: dynamotest.NewDB(t), cid: clientzone.NewID(), cidB: clientzone.NewID()}
	specs := []struct {
		status clientzone.InvoiceStatus
		due    string
	}{
		{clientzone.InvoicePaid, "2026-01-10"},
		{clientzone.InvoiceCancelled, "2026-01-20"},
		{clientzone.InvoiceUnpaid, "2026-02-01"},
		{clientzone.InvoicePaid, "2026-02-20"},
		{clientzone.InvoiceUnpaid, "2026-03-14"},
		{clientzone.InvoiceUnpaid, "2026-03-15"},
		{clientzone.InvoiceUnpaid, "2026-04-01"},
	}
	for i, s := range specs {
		inv := newInvoice(f.cid, s.status, s.due)
		inv.Number = fmt.Sprintf("2026%04d", i+1)
		if err := f.db.PutInvoice(ctx, inv); err != nil {
			t.Fatalf("PutInvoice %d: %v", i, err)
		}
		f.inv = append(f.inv, inv)
	}
	for range 2 {
		if err := f.db.PutInvoice(ctx, newInvoice(f.cidB, clientzone.InvoicePaid, "2026-01-01")); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func newInvoice(cid string, status clientzone.InvoiceStatus, due string) *clientzone.Invoice {
	id := clientzone.NewID() // ULIDs: later ids sort after earlier ones
	return &clientzone.Invoice{
		ID:             id,
		CustomerID:     cid,
		Number:         "FA-" + id, // numbers are unique in the deployment
		Status:         status,
		IssuedOn:       "2026-01-01",
		DueOn:          due,
		Total:          clientzone.Money{Amount: 2388, Currency: "EUR"},
		VAT:            clientzone.Money{Amount: 398, Currency: "EUR"},
		VariableSymbol: "1234567890",
		Lines: []clientzone.InvoiceLine{{
			Description: "Internet 300", Quantity: 1,
			UnitPrice: clientzone.Money{Amount: 1990, Currency: "EUR"},
			Total:     clientzone.Money{Amount: 1990, Currency: "EUR"},
		}},
	}
}

// ids returns the ids of f.inv at the given positions.
func (f *invoiceFixture) ids(idx ...int) []string {
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, f.inv[i].ID)
	}
	return out
}

func pageIDs(p *billing.InvoicePage) []string {
	out := make([]string, 0, len(p.Invoices))
	for _, inv := range p.Invoices {
		out = append(out, inv.ID)
	}
	return out
}

func TestInvoicesFilter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newInvoiceFixture(t)

	tests := []struct {
		status clientzone.InvoiceStatus
		want   []int // positions in f.inv, newest first
	}{
		{"", []int{6, 5, 4, 3, 2, 1, 0}},
		{clientzone.InvoiceUnpaid, []int{6, 5, 4, 2}},
		{clientzone.InvoiceOverdue, []int{4, 2}},
		{clientzone.InvoicePaid, []int{3, 0}},
		{clientzone.InvoiceCancelled, []int{1}},
	}
	for _, tt := range tests {
		t.Run("status="+string(tt.status), func(t *testing.T) {
			page, err := f.db.Invoices(ctx, f.cid, billing.InvoiceFilter{Status: tt.status, Limit: 100, Now: invoiceNow})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := pageIDs(page), f.ids(tt.want...); !slices.Equal(got, want) {
				t.Fatalf("ids = %v, want %v", got, want)
			}
			if page.NextCursor != "" {
				t.Fatalf("NextCursor = %q on the only page", page.NextCursor)
			}
		})
	}

	t.Run("overdue depends on Now", func(t *testing.T) {
		// A day later the invoice due "today" is overdue too.
		page, err := f.db.Invoices(ctx, f.cid, billing.InvoiceFilter{Status: clientzone.InvoiceOverdue, Limit: 100, Now: invoiceNow.AddDate(0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := pageIDs(page), f.ids(5, 4, 2); !slices.Equal(got, want) {
			t.Fatalf("ids = %v, want %v", got, want)
		}
	})

	t.Run("unknown status", func(t *testing.T) {
		page, err := f.db.Invoices(ctx, f.cid, billing.InvoiceFilter{Status: "draft", Limit: 10, Now: invoiceNow})
		if page != nil {
			t.Fatalf("page = %+v, want nil", page)
		}
		wantErrCode(t, err, clientzone.EINVALID)
	})

	t.Run("customer without invoices", func(t *testing.T) {
		page, err := f.db.Invoices(ctx, clientzone.NewID(), billing.InvoiceFilter{Limit: 10, Now: invoiceNow})
		if err != nil {
			t.Fatal(err)
		}
		if page.Invoices == nil || len(page.Invoices) != 0 || page.NextCursor != "" {
			t.Fatalf("page = %+v, want empty", page)
		}
	})
}

func TestInvoicesPagination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newInvoiceFixture(t)

	tests := []struct {
		status clientzone.InvoiceStatus
		limit  int
		want   []int
	}{
		{"", 1, []int{6, 5, 4, 3, 2, 1, 0}},
		{"", 2, []int{6, 5, 4, 3, 2, 1, 0}},
		{"", 3, []int{6, 5, 4, 3, 2, 1, 0}},
		{"", 7, []int{6, 5, 4, 3, 2, 1, 0}},
		{clientzone.InvoiceUnpaid, 2, []int{6, 5, 4, 2}},
		{clientzone.InvoiceOverdue, 1, []int{4, 2}},
		{clientzone.InvoiceOverdue, 2, []int{4, 2}},
		{clientzone.InvoicePaid, 1, []int{3, 0}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("status=%s limit=%d", tt.status, tt.limit), func(t *testing.T) {
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 20 {
					t.Fatalf("more than 20 pages; cursor %q", cursor)
				}
				page, err := f.db.Invoices(ctx, f.cid, billing.InvoiceFilter{Status: tt.status, Limit: tt.limit, Cursor: cursor, Now: invoiceNow})
				if err != nil {
					t.Fatalf("page %d: %v", pages, err)
				}
				if len(page.Invoices) > tt.limit {
					t.Fatalf("page %d has %d invoices, limit %d", pages, len(page.Invoices), tt.limit)
				}
				got = append(got, pageIDs(page)...)
				if page.NextCursor == "" {
					break
				}
				cursor = page.NextCursor
			}
			// Every item exactly once, in order.
			if want := f.ids(tt.want...); !slices.Equal(got, want) {
				t.Fatalf("ids over all pages = %v, want %v", got, want)
			}
		})
	}
}

func TestInvoicesBadCursor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newInvoiceFixture(t)

	cursorOf := func(cid string, status clientzone.InvoiceStatus) string {
		t.Helper()
		page, err := f.db.Invoices(ctx, cid, billing.InvoiceFilter{Status: status, Limit: 1, Now: invoiceNow})
		if err != nil {
			t.Fatal(err)
		}
		if page.NextCursor == "" {
			t.Fatalf("no cursor for %s/%s", cid, status)
		}
		return page.NextCursor
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	pk := "CUST#" + f.cid

	tests := []struct {
		name   string
		status clientzone.InvoiceStatus
		cursor string
	}{
		{"another customer's cursor", "", cursorOf(f.cidB, "")},
		{"another customer's status cursor", clientzone.InvoicePaid, cursorOf(f.cidB, clientzone.InvoicePaid)},
		{"cursor of another status", clientzone.InvoicePaid, cursorOf(f.cid, clientzone.InvoiceUnpaid)},
		{"table cursor on a status listing", clientzone.InvoicePaid, cursorOf(f.cid, "")},
		{"not base64", "", "%%%not-base64%%%"},
		{"std base64 padding", "", base64.StdEncoding.EncodeToString([]byte(`{"pk":"` + pk + `","sk":"INV#Z"}`))},
		{"tampered base64", "", cursorOf(f.cid, "")[1:]},
		{"not json", "", b64("not json")},
		{"json array", "", b64(`["` + pk + `"]`)},
		{"missing pk", "", b64(`{"sk":"INV#Z"}`)},
		{"foreign pk", "", b64(`{"pk":"CUST#someone-else","sk":"INV#Z"}`)},
		{"unknown attribute", "", b64(`{"pk":"` + pk + `","sk":"INV#Z","PasswordHash":"x"}`)},
		{"too many attributes", "", b64(`{"pk":"` + pk + `","sk":"INV#Z","gsi1pk":"a","gsi1sk":"b","gsi2pk":"c"}`)},
		{"non-string value", "", b64(`{"pk":"` + pk + `","sk":1}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := f.db.Invoices(ctx, f.cid, billing.InvoiceFilter{Status: tt.status, Limit: 10, Cursor: tt.cursor, Now: invoiceNow})
			if page != nil {
				t.Fatalf("page = %+v, want nil", page)
			}
			e := wantErrCode(t, err, clientzone.EINVALID)
			wantField(t, e, "cursor")
		})
	}

	// Cursors whose attributes are not exactly the start key of the listing
	// they are used on.
	paidPK := pk + "#INV#" + string(clientzone.InvoicePaid)
	keyMismatch := []struct {
		name   string
		status clientzone.InvoiceStatus
		cursor string
	}{
		{"status cursor on the unfiltered listing", "", cursorOf(f.cid, clientzone.InvoiceUnpaid)},
		{"pk only", "", b64(`{"pk":"` + pk + `"}`)},
		{"pk and gsi1pk", "", b64(`{"pk":"` + pk + `","gsi1pk":"` + paidPK + `"}`)},
		{"status cursor without gsi1sk", clientzone.InvoicePaid, b64(`{"pk":"` + pk + `","sk":"INV#Z","gsi1pk":"` + paidPK + `"}`)},
		{"status cursor with gsi2sk for gsi1sk", clientzone.InvoicePaid, b64(`{"pk":"` + pk + `","sk":"INV#Z","gsi1pk":"` + paidPK + `","gsi2sk":"INV#Z"}`)},
		{"status cursor with only the index key", clientzone.InvoicePaid, b64(`{"gsi1pk":"` + paidPK + `","gsi1sk":"INV#Z"}`)},
	}
	for _, tt := range keyMismatch {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.db.Invoices(ctx, f.cid, billing.InvoiceFilter{Status: tt.status, Limit: 10, Cursor: tt.cursor, Now: invoiceNow})
			e := wantErrCode(t, err, clientzone.EINVALID)
			wantField(t, e, "cursor")
		})
	}

	t.Run("own status cursor still works", func(t *testing.T) {
		page, err := f.db.Invoices(ctx, f.cid, billing.InvoiceFilter{Status: clientzone.InvoicePaid, Limit: 10, Cursor: cursorOf(f.cid, clientzone.InvoicePaid), Now: invoiceNow})
		if err != nil {
			t.Fatal(err)
		}
		if len(pageIDs(page)) == 0 {
			t.Fatal("no invoices after the first page")
		}
	})

	t.Run("own cursor still works", func(t *testing.T) {
		page, err := f.db.Invoices(ctx, f.cid, billing.InvoiceFilter{Limit: 10, Cursor: cursorOf(f.cid, ""), Now: invoiceNow})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := pageIDs(page), f.ids(5, 4, 3, 2, 1, 0); !slices.Equal(got, want) {
			t.Fatalf("ids = %v, want %v", got, want)
		}
	})
}

func TestPutInvoice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()

	t.Run("overdue is rejected and not stored", func(t *testing.T) {
		inv := newInvoice(cid, clientzone.InvoiceOverdue, "2026-01-01")
		wantErrCode(t, db.PutInvoice(ctx, inv), clientzone.EINVALID)
		if _, err := db.Invoice(ctx, cid, inv.ID); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Fatalf("Invoice() after rejected put: %v, want not_found", err)
		}
	})

	inv := newInvoice(cid, clientzone.InvoiceUnpaid, "2026-03-01")
	inv.ContractID = "CT1"
	inv.PDFKey = "invoices/" + inv.ID + ".pdf"
	if err := db.PutInvoice(ctx, inv); err != nil {
		t.Fatal(err)
	}

	t.Run("round trip", func(t *testing.T) {
		got, err := db.Invoice(ctx, cid, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != inv.ID || got.Number != inv.Number || got.ContractID != "CT1" || got.Status != clientzone.InvoiceUnpaid ||
			got.IssuedOn != inv.IssuedOn || got.DueOn != inv.DueOn || got.Total != inv.Total || got.VAT != inv.VAT ||
			got.VariableSymbol != inv.VariableSymbol || got.PDFKey != inv.PDFKey || !slices.Equal(got.Lines, inv.Lines) || got.PaidAt != nil {
			t.Fatalf("Invoice() = %+v, want %+v", got, inv)
		}
	})

	t.Run("another customer's invoice is not found", func(t *testing.T) {
		got, err := db.Invoice(ctx, clientzone.NewID(), inv.ID)
		if got != nil {
			t.Fatalf("Invoice() = %+v, want nil", got)
		}
		e := wantErrCode(t, err, clientzone.ENOTFOUND)
		if e.Message != "Invoice not found." {
			t.Fatalf("message = %q", e.Message)
		}
	})

	t.Run("paying moves it between status listings", func(t *testing.T) {
		paidAt := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
		inv.Status, inv.PaidAt = clientzone.InvoicePaid, &paidAt
		if err := db.PutInvoice(ctx, inv); err != nil {
			t.Fatal(err)
		}
		for status, want := range map[clientzone.InvoiceStatus]int{clientzone.InvoiceUnpaid: 0, clientzone.InvoicePaid: 1, "": 1} {
			page, err := db.Invoices(ctx, cid, billing.InvoiceFilter{Status: status, Limit: 10, Now: invoiceNow})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Invoices) != want {
				t.Fatalf("status %q: %d invoices, want %d", status, len(page.Invoices), want)
			}
		}
		got, err := db.Invoice(ctx, cid, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PaidAt == nil || !got.PaidAt.Equal(paidAt) {
			t.Fatalf("PaidAt = %v, want %v", got.PaidAt, paidAt)
		}
	})
}
