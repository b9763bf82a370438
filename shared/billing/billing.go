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
