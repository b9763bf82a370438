// Package billing holds the invoice and payment use cases: invoice
// listings and PDFs, settlement of money received (card webhooks, bank
// statement lines) with the tax invoice it issues, card payments,
// proformas and renewals, the prepaid balance and autopay, direct debit,
// and invoice correction requests.
//
// The package owns its ports: each use case declares the store it needs
// (Store, SettleStore, PaymentStore, PrepaidStore, ProformaStore,
// CorrectionStore, DirectDebitStore, PDFStore) and the one write
// transaction they share (Tx), in billing's own types and errors
// (SettlementRecord, LedgerOptions, ErrInsufficientBalance, ...). The
// rules live here: what a settlement pays and books, the amounts that must
// match, the ledger entries and their references, VAT, retries of
// conflicting writes (shared/retry). shared/dynamo implements the ports
// and only knows keys, conditions and transactions.
package billing

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Store is the persistence the invoice listing needs.
type Store interface {
	Invoices(ctx context.Context, cid string, f InvoiceFilter) (*InvoicePage, error)
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
