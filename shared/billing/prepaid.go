package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/retry"
)

// PrepaidStore is the persistence of the prepaid balance, autopay and
// paying invoices from the balance.
type PrepaidStore interface {
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Invoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error)
	Balance(ctx context.Context, cid, def string) (clientzone.Balance, error)
	// TransactionsOfKind lists the customer's ledger newest first, only
	// transactions of kind (all when empty); a page may be short while
	// NextCursor says there is more.
	TransactionsOfKind(ctx context.Context, cid, kind string, limit int, cursor string) (*TransactionPage, error)
	Autopay(ctx context.Context, cid string) (*clientzone.Autopay, error)
	SaveAutopay(ctx context.Context, cid string, a *clientzone.Autopay, audit *clientzone.AuditEntry) error
	NewBillingTx() Tx
}

// Prepaid implements the prepaid balance use cases: balance, transaction
// history, autopay setting, and paying an invoice from the balance (what
// the daily autopay scheduler calls).
type Prepaid struct {
	Store PrepaidStore
	Clock clientzone.Clock
	// Currency is the deployment's currency, used when the customer has none.
	Currency string
	// Metrics counts invoices paid from the balance (MetricPaymentSettled);
	// nil counts nothing.
	Metrics Metrics
}

// Actor is who does something, for the audit log.
type Actor struct {
	CustomerID string
	PersonID   string
	IP         string
	UserAgent  string
}

func (a Actor) audit(action string, at time.Time, details map[string]string) *clientzone.AuditEntry {
	ua := a.UserAgent
	if len(ua) > 256 {
		ua = ua[:256]
	}
	id := a.PersonID
	if id == "" {
		id = "system"
	}
	return &clientzone.AuditEntry{CustomerID: a.CustomerID, At: at, Action: action, ActorID: id, IP: a.IP, UserAgent: ua, Details: details}
}

// BalanceView is the prepaid balance with the autopay setting.
type BalanceView struct {
	Balance   clientzone.Money   `json:"balance"`
	UpdatedAt *time.Time         `json:"updatedAt,omitempty"`
	Autopay   clientzone.Autopay `json:"autopay"`
}

func (s *Prepaid) currency(ctx context.Context, cid string) (string, error) {
	c, err := s.Store.Customer(ctx, cid)
	if err != nil {
		return "", err
	}
	if c.Currency != "" {
		return c.Currency, nil
	}
	return s.Currency, nil
}

func (s *Prepaid) autopay(ctx context.Context, cid string) (*clientzone.Autopay, error) {
	a, err := s.Store.Autopay(ctx, cid)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return &clientzone.Autopay{Enabled: false}, nil
	}
	return a, err
}

// Balance returns customer cid's prepaid balance (zero in the customer's
// currency when nothing was ever booked) and autopay setting.
func (s *Prepaid) Balance(ctx context.Context, cid string) (*BalanceView, error) {
	cur, err := s.currency(ctx, cid)
	if err != nil {
		return nil, err
	}
	b, err := s.Store.Balance(ctx, cid, cur)
	if err != nil {
		return nil, err
	}
	a, err := s.autopay(ctx, cid)
	if err != nil {
		return nil, err
	}
	v := &BalanceView{Balance: b.Amount, Autopay: *a}
	if !b.UpdatedAt.IsZero() {
		v.UpdatedAt = &b.UpdatedAt
	}
	return v, nil
}

// TransactionKinds are the kinds a transaction listing can filter by.
var TransactionKinds = []string{clientzone.TxnTopUp, clientzone.TxnPayment, clientzone.TxnCharge, clientzone.TxnFee,
	clientzone.TxnRefund, clientzone.TxnAdjustment}

// Transactions returns a page of the customer's ledger, newest first,
// optionally of one kind. With a kind, a page may be short (even empty)
// while NextCursor says there is more: the kind is filtered after the page
// is read.
func (s *Prepaid) Transactions(ctx context.Context, cid, kind string, limit int, cursor string) (*TransactionPage, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	return s.Store.TransactionsOfKind(ctx, cid, kind, min(limit, MaxPageSize), cursor)
}

// EnableAutopay turns autopay on: unpaid invoices are paid from the prepaid
// balance when it covers them (and, with a threshold, when their total is
// at most the threshold, in the balance's currency).
func (s *Prepaid) EnableAutopay(ctx context.Context, by Actor, method string, threshold *clientzone.Money) (*clientzone.Autopay, error) {
	if method != clientzone.AutopayFromBalance {
		return nil, fieldError("method", "oneof", "Autopay can only pay from the prepaid balance.")
	}
	if threshold != nil {
		cur, err := s.currency(ctx, by.CustomerID)
		if err != nil {
			return nil, err
		}
		switch {
		case threshold.Currency != cur:
			return nil, fieldError("threshold.currency", "currency", "The currency must be the currency of your account.")
		case threshold.Amount <= 0:
			return nil, fieldError("threshold.amount", "min", "The amount must be positive.")
		}
	}
	now := s.Clock.Now()
	a := &clientzone.Autopay{Enabled: true, Method: method, Threshold: threshold, UpdatedAt: now, UpdatedBy: by.PersonID}
	details := map[string]string{"method": method}
	if threshold != nil {
		details["threshold"] = fmt.Sprintf("%d %s", threshold.Amount, threshold.Currency)
	}
	if err := s.Store.SaveAutopay(ctx, by.CustomerID, a, by.audit("autopay.enable", now, details)); err != nil {
		return nil, err
	}
	return a, nil
}

// DisableAutopay turns autopay off.
func (s *Prepaid) DisableAutopay(ctx context.Context, by Actor) (*clientzone.Autopay, error) {
	now := s.Clock.Now()
	a := &clientzone.Autopay{Enabled: false, UpdatedAt: now, UpdatedBy: by.PersonID}
	if err := s.Store.SaveAutopay(ctx, by.CustomerID, a, by.audit("autopay.disable", now, nil)); err != nil {
		return nil, err
	}
	return a, nil
}

// PaidFromBalance is the outcome of PayFromBalance.
type PaidFromBalance struct {
	Invoice     *clientzone.Invoice
	Transaction *clientzone.Transaction
	Balance     clientzone.Money
}

// payAttempts bounds the attempts of paying from the balance: a
// transaction cancelled by a concurrent one on the same balance is tried
// again.
const payAttempts = 6

// BalanceReference is the ledger reference of paying invoice id from the
// prepaid balance: an invoice is charged to the balance at most once.
func BalanceReference(invoiceID string) string { return "balance:" + invoiceID }

// PayFromBalance pays customer cid's unpaid invoice invoiceID from the
// prepaid balance in ONE transaction: a ledger charge of −total that may
// not overdraw the balance (ErrInsufficientBalance) and the invoice → paid,
// conditional on it being unpaid (ErrInvoiceNotUnpaid). An invoice is
// charged to the balance at most once (ledger reference
// BalanceReference), and counted then (MetricPaymentSettled). This is
// what the daily autopay scheduler calls (audited with actor "system").
func (s *Prepaid) PayFromBalance(ctx context.Context, cid, invoiceID string) (*PaidFromBalance, error) {
	return s.PayFromBalanceBy(ctx, Actor{CustomerID: cid}, invoiceID)
}

// PayFromBalanceBy is PayFromBalance recording by in the audit log.
func (s *Prepaid) PayFromBalanceBy(ctx context.Context, by Actor, invoiceID string) (*PaidFromBalance, error) {
	inv, err := s.Store.Invoice(ctx, by.CustomerID, invoiceID)
	if err != nil {
		return nil, err
	}
	if inv.Status != clientzone.InvoiceUnpaid {
		return nil, ErrInvoiceNotUnpaid
	}
	if inv.Total.Amount <= 0 {
		return nil, clientzone.Errorf(clientzone.ECONFLICT, "This invoice has nothing to pay.")
	}
	t, err := retry.Value(ctx, retry.Policy{Attempts: payAttempts}, clientzone.IsTransactionConflict, func(ctx context.Context) (*clientzone.Transaction, error) {
		return s.payFromBalance(ctx, by, inv, s.Clock.Now())
	})
	if errors.Is(err, ErrDuplicateReference) {
		// Charged to the balance before (the invoice was then paid).
		return nil, ErrInvoiceNotUnpaid
	}
	if err != nil {
		return nil, err
	}
	count(s.Metrics, MetricPaymentSettled)
	paidAt := t.CreatedAt
	inv.Status, inv.PaidAt = clientzone.InvoicePaid, &paidAt
	b, err := s.Store.Balance(ctx, by.CustomerID, inv.Total.Currency)
	if err != nil {
		return nil, err
	}
	return &PaidFromBalance{Invoice: inv, Transaction: t, Balance: b.Amount}, nil
}

// payFromBalance writes one attempt of paying inv from the balance at now:
// the invoice marked paid (first, so that an invoice paid meanwhile is
// reported as such rather than as a low balance), its charge, the audit
// entry. The charge is returned.
func (s *Prepaid) payFromBalance(ctx context.Context, by Actor, inv *clientzone.Invoice, now time.Time) (*clientzone.Transaction, error) {
	now = now.UTC()
	t := &clientzone.Transaction{CustomerID: inv.CustomerID, Kind: clientzone.TxnCharge,
		Amount:      clientzone.Money{Amount: -inv.Total.Amount, Currency: inv.Total.Currency},
		Description: "Invoice " + inv.Number + " paid from the prepaid balance",
		Reference:   BalanceReference(inv.ID), InvoiceID: inv.ID, CreatedAt: now}
	tx := s.Store.NewBillingTx()
	if err := tx.MarkInvoicePaid(inv.CustomerID, inv.ID, now); err != nil {
		return nil, err
	}
	if err := tx.LedgerEntries([]*clientzone.Transaction{t}, LedgerOptions{NoOverdraft: true}); err != nil {
		return nil, err
	}
	audit := by.audit("invoice.pay-from-balance", now, map[string]string{"invoiceId": inv.ID,
		"amount": fmt.Sprintf("%d %s", inv.Total.Amount, inv.Total.Currency)})
	if err := tx.Audit(audit); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

func fieldError(field, code, msg string) *clientzone.Error {
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: field, Code: code, Message: msg}}}
}
