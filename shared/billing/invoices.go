package billing

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Page limits for invoice listings.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// InvoiceFilter selects a page of a customer's invoices.
type InvoiceFilter struct {
	// Status is empty (all), unpaid (including overdue), overdue, paid or
	// cancelled.
	Status clientzone.InvoiceStatus
	Limit  int
	Cursor string
	// Now decides which unpaid invoices are overdue.
	Now time.Time
}

// InvoicePage is one page of invoices, newest first.
type InvoicePage struct {
	Invoices   []*clientzone.Invoice
	NextCursor string
}

// ListInvoices returns a page of the customer's invoices, newest first, with
// the status each has now (unpaid past due shows as overdue).
func (s *Service) ListInvoices(ctx context.Context, cid string, status clientzone.InvoiceStatus, limit int, cursor string) (*InvoicePage, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	now := s.Clock.Now()
	page, err := s.Store.Invoices(ctx, cid, InvoiceFilter{Status: status, Limit: min(limit, MaxPageSize), Cursor: cursor, Now: now})
	if err != nil {
		return nil, err
	}
	for _, inv := range page.Invoices {
		inv.Status = inv.EffectiveStatus(now)
	}
	return page, nil
}

// GetInvoice returns one of the customer's invoices with its lines and the
// status it has now; another customer's invoice is not found.
func (s *Service) GetInvoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error) {
	inv, err := s.Store.Invoice(ctx, cid, id)
	if err != nil {
		return nil, err
	}
	inv.Status = inv.EffectiveStatus(s.Clock.Now())
	return inv, nil
}
