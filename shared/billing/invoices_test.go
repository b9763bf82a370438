package billing_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

// recordingStore returns canned invoices and records the filter it got.
type recordingStore struct {
	cid      string
	filter   billing.InvoiceFilter
	invoices []clientzone.Invoice
	err      error
}

func (s *recordingStore) Invoices(_ context.Context, cid string, f billing.InvoiceFilter) (*billing.InvoicePage, error) {
	s.cid, s.filter = cid, f
	if s.err != nil {
		return nil, s.err
	}
	page := &billing.InvoicePage{NextCursor: "next"}
	for i := range s.invoices {
		inv := s.invoices[i] // a copy, as a real store returns fresh objects
		page.Invoices = append(page.Invoices, &inv)
	}
	return page, nil
}

func (s *recordingStore) Invoice(context.Context, string, string) (*clientzone.Invoice, error) {
	return nil, clientzone.NotFound("Invoice")
}

func TestListInvoicesLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		limit int
		want  int
	}{
		{0, billing.DefaultPageSize},
		{-1, billing.DefaultPageSize},
		{-1000, billing.DefaultPageSize},
		{1, 1},
		{20, 20},
		{99, 99},
		{100, billing.MaxPageSize},
		{101, billing.MaxPageSize},
		{1 << 30, billing.MaxPageSize},
	}
	if billing.DefaultPageSize != 20 || billing.MaxPageSize != 100 {
		t.Fatalf("page sizes %d/%d differ from the documented 20/100", billing.DefaultPageSize, billing.MaxPageSize)
	}
	for _, tt := range tests {
		store := &recordingStore{}
		svc := &billing.Service{Store: store, Clock: clientzone.FixedClock(today)}
		if _, err := svc.ListInvoices(context.Background(), "C1", clientzone.InvoicePaid, tt.limit, "cur"); err != nil {
			t.Fatal(err)
		}
		if store.filter.Limit != tt.want {
			t.Errorf("limit %d → store limit %d, want %d", tt.limit, store.filter.Limit, tt.want)
		}
	}
}

func TestListInvoicesPassesTheQuery(t *testing.T) {
	t.Parallel()
	store := &recordingStore{}
	svc := &billing.Service{Store: store, Clock: clientzone.FixedClock(today)}
	page, err := svc.ListInvoices(context.Background(), "C42", clientzone.InvoiceOverdue, 5, "abc")
	if err != nil {
		t.Fatal(err)
	}
	f := store.filter
	if store.cid != "C42" || f.Status != clientzone.InvoiceOverdue || f.Cursor != "abc" || !f.Now.Equal(today) {
		t.Fatalf("store got cid %q filter %+v", store.cid, f)
	}
	if page.NextCursor != "next" {
		t.Fatalf("NextCursor = %q", page.NextCursor)
	}
}

func TestListInvoicesOverdueMapping(t *testing.T) {
	t.Parallel()
	store := &recordingStore{invoices: []clientzone.Invoice{
		{ID: "unpaid-past", Status: clientzone.InvoiceUnpaid, DueOn: "2026-03-14"},
		{ID: "unpaid-long-past", Status: clientzone.InvoiceUnpaid, DueOn: "2025-12-31"},
		{ID: "unpaid-today", Status: clientzone.InvoiceUnpaid, DueOn: "2026-03-15"},
		{ID: "unpaid-future", Status: clientzone.InvoiceUnpaid, DueOn: "2026-04-01"},
		{ID: "unpaid-no-due-date", Status: clientzone.InvoiceUnpaid},
		{ID: "paid-past", Status: clientzone.InvoicePaid, DueOn: "2026-01-01"},
		{ID: "cancelled-past", Status: clientzone.InvoiceCancelled, DueOn: "2026-01-01"},
	}}
	want := map[string]clientzone.InvoiceStatus{
		"unpaid-past":        clientzone.InvoiceOverdue,
		"unpaid-long-past":   clientzone.InvoiceOverdue,
		"unpaid-today":       clientzone.InvoiceUnpaid,
		"unpaid-future":      clientzone.InvoiceUnpaid,
		"unpaid-no-due-date": clientzone.InvoiceUnpaid,
		"paid-past":          clientzone.InvoicePaid,
		"cancelled-past":     clientzone.InvoiceCancelled,
	}
	// Late in the evening in UTC+1 is already the 16th locally: the due
	// date is compared in UTC.
	clock := clientzone.FixedClock(today.In(time.FixedZone("CET", 3600)))
	svc := &billing.Service{Store: store, Clock: clock}
	page, err := svc.ListInvoices(context.Background(), "C1", "", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Invoices) != len(want) {
		t.Fatalf("%d invoices, want %d", len(page.Invoices), len(want))
	}
	for _, inv := range page.Invoices {
		if inv.Status != want[inv.ID] {
			t.Errorf("%s: status %q, want %q", inv.ID, inv.Status, want[inv.ID])
		}
	}
}

func TestListInvoicesStoreError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	svc := &billing.Service{Store: &recordingStore{err: boom}, Clock: clientzone.FixedClock(today)}
	page, err := svc.ListInvoices(context.Background(), "C1", "", 10, "")
	if page != nil || !errors.Is(err, boom) {
		t.Fatalf("ListInvoices = %v, %v; want the store's error", page, err)
	}
}

// Against DynamoDB: "unpaid" lists overdue invoices too, shown as overdue;
// "overdue" only those; pages follow the cursor.
func TestListInvoicesWithDynamo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	type spec struct {
		status clientzone.InvoiceStatus
		due    string
	}
	specs := []spec{
		{clientzone.InvoicePaid, "2026-01-10"},
		{clientzone.InvoiceUnpaid, "2026-02-01"}, // overdue
		{clientzone.InvoiceUnpaid, "2026-03-15"}, // due today
		{clientzone.InvoiceUnpaid, "2026-03-10"}, // overdue
		{clientzone.InvoiceUnpaid, "2026-04-15"},
	}
	var ids []string
	for _, s := range specs {
		id := clientzone.NewID()
		inv := &clientzone.Invoice{ID: id, CustomerID: cid, Number: "N-" + id, Status: s.status, IssuedOn: "2026-01-01", DueOn: s.due,
			Total: clientzone.Money{Amount: 100, Currency: "EUR"}}
		if err := db.PutInvoice(ctx, inv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inv.ID)
	}
	svc := &billing.Service{Store: db, Clock: clientzone.FixedClock(today)}

	type item struct {
		id     string
		status clientzone.InvoiceStatus
	}
	list := func(status clientzone.InvoiceStatus, limit int) []item {
		t.Helper()
		var out []item
		cursor := ""
		for range 20 {
			page, err := svc.ListInvoices(ctx, cid, status, limit, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, inv := range page.Invoices {
				out = append(out, item{inv.ID, inv.Status})
			}
			if cursor = page.NextCursor; cursor == "" {
				return out
			}
		}
		t.Fatal("too many pages")
		return nil
	}

	tests := []struct {
		status clientzone.InvoiceStatus
		limit  int
		want   []item
	}{
		{"", 0, []item{{ids[4], "unpaid"}, {ids[3], "overdue"}, {ids[2], "unpaid"}, {ids[1], "overdue"}, {ids[0], "paid"}}},
		{"", 2, []item{{ids[4], "unpaid"}, {ids[3], "overdue"}, {ids[2], "unpaid"}, {ids[1], "overdue"}, {ids[0], "paid"}}},
		{clientzone.InvoiceUnpaid, 0, []item{{ids[4], "unpaid"}, {ids[3], "overdue"}, {ids[2], "unpaid"}, {ids[1], "overdue"}}},
		{clientzone.InvoiceOverdue, 0, []item{{ids[3], "overdue"}, {ids[1], "overdue"}}},
		{clientzone.InvoiceOverdue, 1, []item{{ids[3], "overdue"}, {ids[1], "overdue"}}},
		{clientzone.InvoicePaid, 0, []item{{ids[0], "paid"}}},
		{clientzone.InvoiceCancelled, 0, nil},
	}
	for _, tt := range tests {
		if got := list(tt.status, tt.limit); !slices.Equal(got, tt.want) {
			t.Errorf("status %q limit %d: %v, want %v", tt.status, tt.limit, got, tt.want)
		}
	}
}

func TestGetInvoiceEffectiveStatus(t *testing.T) {
	svc := &billing.Service{Store: singleStore{inv: &clientzone.Invoice{ID: "i", Status: clientzone.InvoiceUnpaid, DueOn: "2026-03-14"}}, Clock: clientzone.FixedClock(today)}
	inv, err := svc.GetInvoice(context.Background(), "c", "i")
	if err != nil || inv.Status != clientzone.InvoiceOverdue {
		t.Errorf("%+v %v", inv, err)
	}
	if _, err := svc.GetInvoice(context.Background(), "c", "other"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Errorf("missing: %v", err)
	}
}

type singleStore struct {
	billing.Store
	inv *clientzone.Invoice
}

func (s singleStore) Invoice(_ context.Context, _, id string) (*clientzone.Invoice, error) {
	if id != s.inv.ID {
		return nil, clientzone.NotFound("Invoice")
	}
	c := *s.inv
	return &c, nil
}
