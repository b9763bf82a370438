package billing

import (
	"context"
	"errors"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Tx collects the writes of one billing transaction: nothing is written
// until Commit, and then all of them or none. A write whose precondition
// does not hold makes Commit fail with the error its method names (the
// first such write's, in the order they were added); a transaction that
// lost a race with a concurrent one fails with an error matching
// clientzone.ErrTransactionConflict, having written nothing, and may be
// built and committed again (retry.Do). The store makes one
// (NewBillingTx); shared/dynamo implements it as one DynamoDB
// TransactWriteItems.
type Tx interface {
	// SettlementGuard records what settlement r did under its reference:
	// Commit fails with ErrAlreadySettled when the reference was applied
	// before. Added first, it is the conflict reported for a duplicate.
	SettlementGuard(r *SettlementRecord) error
	// LedgerEntries books transactions of one customer and currency,
	// moving the prepaid balance once by their sum (entries that belong
	// together, a payment's credit and the charge it pays, go through one
	// call). Commit fails with ErrDuplicateReference when an entry's
	// reference was booked before, ErrBalanceCurrency when the balance is
	// in another currency, and, with o.NoOverdraft, ErrInsufficientBalance
	// when a debit would take the balance below zero.
	LedgerEntries(entries []*clientzone.Transaction, o LedgerOptions) error
	// MarkInvoicePaid sets an unpaid invoice paid at at: Commit fails with
	// ErrInvoiceNotUnpaid unless it is unpaid.
	MarkInvoicePaid(cid, id string, at time.Time) error
	// IssueInvoice creates a new invoice with the claim of its number:
	// Commit fails with clientzone.ErrInvoiceNumberTaken when another
	// invoice has the number.
	IssueInvoice(inv *clientzone.Invoice) error
	// ExtendService moves a service's expiry from oldOn to newOn
	// (YYYY-MM-DD, oldOn "" when it had none): Commit fails with
	// ErrServiceChanged when the expiry is no longer oldOn.
	ExtendService(cid, contractID, serviceID, oldOn, newOn string) error
	// MarkProformaPaid sets an open proforma paid by invoice invoiceID:
	// Commit fails with ErrProformaNotOpen unless it is open.
	MarkProformaPaid(cid, id, invoiceID string, at time.Time) error
	// CompletePayment moves a pending card payment to status (recording
	// the invoice the money settled): Commit fails with
	// ErrPaymentNotPending unless it is pending.
	CompletePayment(id, status string, at time.Time, settledInvoiceID string) error
	// WebhookEvent records a provider's event as processed: Commit fails
	// with ErrDuplicateEvent when it was processed before.
	WebhookEvent(provider, id, eventType string, at time.Time) error
	// Audit adds an audit entry.
	Audit(e *clientzone.AuditEntry) error
	// Commit writes everything added, or nothing.
	Commit(ctx context.Context) error
}

// SettlementRecord is what one settlement did, kept under its reference so
// that a settlement applies once and a replay can report the first outcome.
type SettlementRecord struct {
	Reference       string
	CustomerID      string
	Amount          clientzone.Money
	Method          string
	InvoiceID       string // paid
	ProformaID      string
	IssuedInvoiceID string // issued as paid
	ServiceID       string
	ExpiresOn       string // the service's new expiry
	TopUp           bool
	SettledAt       time.Time
}

// LedgerOptions tune ledger entries.
type LedgerOptions struct {
	// NoOverdraft makes a debit fail with ErrInsufficientBalance when the
	// balance would drop below zero.
	NoOverdraft bool
}

// TransactionPage is a page of ledger transactions, newest first.
type TransactionPage struct {
	Transactions []clientzone.Transaction
	NextCursor   string
}

// Conflicts of billing writes (see Tx), each with the one text clients see
// (translated in shared/httpapi).
var (
	// ErrInvoiceNotUnpaid: the invoice to be paid is no longer unpaid
	// (paid meanwhile, or cancelled).
	ErrInvoiceNotUnpaid = clientzone.Errorf(clientzone.ECONFLICT, "This invoice is already paid or cancelled.")
	// ErrAlreadySettled: a settlement's reference was applied before.
	ErrAlreadySettled = clientzone.Errorf(clientzone.ECONFLICT, "This payment was already recorded.")
	// ErrDuplicateReference: a ledger entry's reference was booked before;
	// the caller treats the entry as done.
	ErrDuplicateReference = clientzone.Errorf(clientzone.ECONFLICT, "This payment was already recorded.")
	// ErrInsufficientBalance: a debit would overdraw a balance that must
	// not go negative.
	ErrInsufficientBalance = clientzone.Errorf(clientzone.ECONFLICT, "The prepaid balance is too low for this payment.")
	// ErrBalanceCurrency: a ledger entry is in another currency than the
	// customer's balance.
	ErrBalanceCurrency = clientzone.Errorf(clientzone.ECONFLICT, "The payment currency does not match the balance currency.")
	// ErrProformaNotOpen: the proforma to be paid is paid or cancelled.
	ErrProformaNotOpen = clientzone.Errorf(clientzone.ECONFLICT, "This proforma is already paid or cancelled.")
	// ErrPaymentNotPending: the card payment was completed before.
	ErrPaymentNotPending = clientzone.Errorf(clientzone.ECONFLICT, "This payment is already completed.")
	// ErrServiceChanged: the service's expiry changed between reading and
	// extending it.
	ErrServiceChanged = clientzone.Errorf(clientzone.ECONFLICT, "The service was changed concurrently; try again.")
	// ErrInvoiceCancelled: a correction of a cancelled invoice.
	ErrInvoiceCancelled = clientzone.Errorf(clientzone.ECONFLICT, "A cancelled invoice cannot be corrected.")
)

// ErrDuplicateEvent is the conflict of a provider event processed before;
// HandleWebhook answers it as a duplicate, so clients never see it.
var ErrDuplicateEvent = errors.New("billing: provider event already processed")
