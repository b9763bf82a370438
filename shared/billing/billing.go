// Package billing holds the invoice and payment use cases.
package billing

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
)

// Store is the persistence billing needs.
type Store interface {
	Invoices(ctx context.Context, cid string, f dynamo.InvoiceFilter) (*dynamo.InvoicePage, error)
	Invoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error)
}

// Service implements the billing use cases.
type Service struct {
	Store Store
	Clock clientzone.Clock
	// VATPercent is the VAT rate (%) of invoices issued on settlement, by
	// currency ("" for any other).
	VATPercent map[string]int
	// Metrics counts settlements applied (MetricPaymentSettled); nil
	// counts nothing.
	Metrics Metrics
}

// Metrics counts business events (shared/metrics writes them as CloudWatch
// metrics).
type Metrics interface {
	Count(name string, n int)
}

// MetricPaymentSettled is one payment applied: a card payment or a bank
// transfer settled (Service.Settle), an invoice paid from the prepaid
// balance (Prepaid.PayFromBalance). A settlement already applied (a
// replayed webhook, a re-imported statement line) is not counted again.
const MetricPaymentSettled = "PaymentSettled"

func count(m Metrics, name string) {
	if m != nil {
		m.Count(name, 1)
	}
}

// Page limits for invoice listings.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// ListInvoices returns a page of the customer's invoices, newest first, with
// the status each has now (unpaid past due shows as overdue).
func (s *Service) ListInvoices(ctx context.Context, cid string, status clientzone.InvoiceStatus, limit int, cursor string) (*dynamo.InvoicePage, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	now := s.Clock.Now()
	page, err := s.Store.Invoices(ctx, cid, dynamo.InvoiceFilter{Status: status, Limit: min(limit, MaxPageSize), Cursor: cursor, Now: now})
	if err != nil {
		return nil, err
	}
	for _, inv := range page.Invoices {
		inv.Status = inv.EffectiveStatus(now)
	}
	return page, nil
}
