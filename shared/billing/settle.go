package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/retry"
)

// Settlement is money received for a customer (a card payment, a credited
// bank transfer) and what it pays: exactly one of InvoiceID, ProformaID,
// ServiceID+Periods or TopUp.
type Settlement struct {
	CustomerID string
	Amount     clientzone.Money
	// Reference is the unique external id, e.g. "stripe:<checkout session
	// id>" or "bank:<statement>:<line>": a settlement is applied once.
	Reference string
	Method    string // "card" | "transfer"
	// InvoiceID pays this unpaid invoice (Amount must equal its total).
	InvoiceID string
	// ProformaID pays this open proforma: issues the tax invoice (or pays
	// the proforma's invoice) and applies its purpose.
	ProformaID string
	// ServiceID and Periods renew a service paid by card.
	ServiceID string
	Periods   int
	// TopUp credits the prepaid balance.
	TopUp bool
}

// SettleResult says what a settlement did.
type SettleResult struct {
	// AlreadySettled is true when the reference was applied before; the
	// other fields then describe that earlier settlement.
	AlreadySettled  bool
	PaidInvoiceID   string // an existing invoice now paid
	IssuedInvoiceID string // a tax invoice issued as paid
	ProformaID      string
	ServiceID       string
	ExpiresOn       string // the renewed service's new expiry
}

// InvoiceID is the tax document of the settlement (paid or issued).
func (r *SettleResult) InvoiceID() string {
	if r.IssuedInvoiceID != "" {
		return r.IssuedInvoiceID
	}
	return r.PaidInvoiceID
}

// SettleStore is the persistence Settle needs; Service.Store must implement
// it (*dynamo.DB does).
type SettleStore interface {
	Invoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error)
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Service(ctx context.Context, cid, sid string) (*clientzone.Service, error)
	Proforma(ctx context.Context, cid, id string) (*clientzone.Proforma, error)
	// Settlement returns the record of the settlement applied under
	// reference ref (read consistently), clientzone.NotFound when none was.
	Settlement(ctx context.Context, ref string) (*SettlementRecord, error)
	NextInvoiceNumber(ctx context.Context, year int) (int64, error)
	NewBillingTx() Tx
}

// errAmountMismatch is the conflict of money that does not match what it
// pays.
var errAmountMismatch = clientzone.Errorf(clientzone.ECONFLICT, "The paid amount does not match the amount due.")

// settleAttempts bounds the attempts of one settlement: a transaction
// cancelled by a concurrent one, or an invoice number the back office took
// meanwhile, is tried again.
const settleAttempts = 5

// Settle applies everything of one settlement in one transaction (Tx):
// ledger entries (reference-guarded), the invoice paid, the proforma paid,
// the service renewed, the tax invoice issued (with the claim of its
// number; a number another invoice has is skipped for the next one). A
// reference applied before returns its outcome with AlreadySettled and no
// error. Only a settlement applied now is counted (MetricPaymentSettled).
func (s *Service) Settle(ctx context.Context, st Settlement) (*SettleResult, error) {
	return s.SettleWith(ctx, st, nil)
}

// SettleWith is Settle with extra writes added to the same transaction
// (e.g. the payment record marked succeeded); extra sees the result.
func (s *Service) SettleWith(ctx context.Context, st Settlement, extra func(tx Tx, res *SettleResult) error) (*SettleResult, error) {
	store, ok := s.Store.(SettleStore)
	if !ok {
		return nil, errors.New("billing: the store cannot settle payments")
	}
	if err := st.check(); err != nil {
		return nil, err
	}
	if res, found, err := s.settled(ctx, store, st.Reference); found || err != nil {
		return res, err
	}
	applied := false
	retryable := func(err error) bool {
		// The back office used the sequence's number for another invoice:
		// the next attempt takes the next number.
		return clientzone.IsTransactionConflict(err) || clientzone.IsInvoiceNumberTaken(err)
	}
	res, err := retry.Value(ctx, retry.Policy{Attempts: settleAttempts}, retryable, func(ctx context.Context) (*SettleResult, error) {
		res, err := s.settleOnce(ctx, store, st, extra)
		if err == nil {
			applied = true
			return res, nil
		}
		// A duplicate (the reference applied by a concurrent delivery, which
		// may also have paid the invoice between our read and our write) is
		// reported as the earlier outcome, not as a conflict.
		if clientzone.IsTransactionConflict(err) || clientzone.ErrorCode(err) == clientzone.ECONFLICT && !clientzone.IsInvoiceNumberTaken(err) {
			if done, found, derr := s.settled(ctx, store, st.Reference); found || derr != nil {
				return done, derr
			}
		}
		return nil, err
	})
	if applied {
		count(s.Metrics, MetricPaymentSettled)
	}
	return res, err
}

func (st *Settlement) check() error {
	n := 0
	for _, set := range []bool{st.InvoiceID != "", st.ProformaID != "", st.ServiceID != "", st.TopUp} {
		if set {
			n++
		}
	}
	switch {
	case st.CustomerID == "" || st.Reference == "":
		return errors.New("billing: settlement without customer or reference")
	case n != 1:
		return errors.New("billing: a settlement pays exactly one of invoice, proforma, service or top-up")
	case st.ServiceID != "" && st.Periods <= 0:
		return errors.New("billing: a renewal needs Periods ≥ 1")
	case st.Amount.Amount <= 0 || st.Amount.Currency == "":
		return clientzone.Errorf(clientzone.EINVALID, "The amount must be positive.")
	}
	return nil
}

// settled returns the outcome of the settlement applied before under ref;
// found is false when there is none.
func (s *Service) settled(ctx context.Context, store SettleStore, ref string) (res *SettleResult, found bool, err error) {
	rec, err := store.Settlement(ctx, ref)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &SettleResult{AlreadySettled: true, PaidInvoiceID: rec.InvoiceID, IssuedInvoiceID: rec.IssuedInvoiceID,
		ProformaID: rec.ProformaID, ServiceID: rec.ServiceID, ExpiresOn: rec.ExpiresOn}, true, nil
}

func (s *Service) settleOnce(ctx context.Context, store SettleStore, st Settlement, extra func(Tx, *SettleResult) error) (*SettleResult, error) {
	now := s.Clock.Now().UTC()
	res := &SettleResult{ProformaID: st.ProformaID}
	// What the money pays, resolved from the proforma when there is one.
	invoiceID, serviceID, periods, topUp := st.InvoiceID, st.ServiceID, st.Periods, st.TopUp
	if st.ProformaID != "" {
		pf, err := store.Proforma(ctx, st.CustomerID, st.ProformaID)
		if err != nil {
			return nil, err
		}
		if pf.Status != clientzone.ProformaOpen {
			return nil, ErrProformaNotOpen
		}
		if pf.Amount != st.Amount {
			return nil, errAmountMismatch
		}
		switch pf.Purpose {
		case clientzone.ProformaForInvoice:
			invoiceID = pf.InvoiceID
		case clientzone.ProformaRenewal:
			serviceID, periods = pf.ServiceID, pf.Periods
		case clientzone.ProformaTopUp:
			topUp = true
		default:
			return nil, fmt.Errorf("billing: proforma %s has unknown purpose %q", pf.ID, pf.Purpose)
		}
	}

	rec := &SettlementRecord{Reference: st.Reference, CustomerID: st.CustomerID, Amount: st.Amount, Method: st.Method,
		ProformaID: st.ProformaID, TopUp: topUp, SettledAt: now}
	var ledger []*clientzone.Transaction
	var issue *clientzone.Invoice
	var extend func(tx Tx) error

	credit := func(kind, desc, invID string) {
		ledger = append(ledger, &clientzone.Transaction{CustomerID: st.CustomerID, Kind: kind, Amount: st.Amount,
			Reference: st.Reference, InvoiceID: invID, Description: desc, CreatedAt: now})
	}
	creditAndCharge := func(inv *clientzone.Invoice) {
		credit(clientzone.TxnPayment, "Payment of invoice "+inv.Number, inv.ID)
		ledger = append(ledger, &clientzone.Transaction{CustomerID: st.CustomerID, Kind: clientzone.TxnCharge,
			Amount:    clientzone.Money{Amount: -st.Amount.Amount, Currency: st.Amount.Currency},
			Reference: st.Reference + "#charge", InvoiceID: inv.ID, Description: "Invoice " + inv.Number, CreatedAt: now.Add(time.Millisecond)})
	}

	switch {
	case invoiceID != "":
		inv, err := store.Invoice(ctx, st.CustomerID, invoiceID)
		if err != nil {
			return nil, err
		}
		if inv.Status != clientzone.InvoiceUnpaid {
			return nil, ErrInvoiceNotUnpaid
		}
		if inv.Total != st.Amount {
			return nil, errAmountMismatch
		}
		res.PaidInvoiceID, rec.InvoiceID = inv.ID, inv.ID
		creditAndCharge(inv)
	case serviceID != "":
		svc, err := store.Service(ctx, st.CustomerID, serviceID)
		if err != nil {
			return nil, err
		}
		// The price was fixed when the renewal started (the payment's or
		// proforma's amount, both written by us); a price change since then
		// must not make the customer's money unmatchable.
		if st.Amount.Currency != svc.Price.Currency || st.Amount.Amount <= 0 {
			return nil, errAmountMismatch
		}
		newOn, err := extendExpiry(svc.ExpiresOn, svc.BillingPeriod, periods, now)
		if err != nil {
			return nil, err
		}
		inv, err := s.taxInvoice(ctx, store, st, now, clientzone.InvoiceLine{
			Description: fmt.Sprintf("%s: renewal until %s", svc.Name, newOn), Quantity: periods,
			UnitPrice: svc.Price, Total: st.Amount,
		})
		if err != nil {
			return nil, err
		}
		issue = inv
		res.ServiceID, res.ExpiresOn, rec.ServiceID, rec.ExpiresOn = svc.ID, newOn, svc.ID, newOn
		oldOn, contractID := svc.ExpiresOn, svc.ContractID
		extend = func(tx Tx) error {
			return tx.ExtendService(st.CustomerID, contractID, svc.ID, oldOn, newOn)
		}
		creditAndCharge(inv)
	case topUp:
		inv, err := s.taxInvoice(ctx, store, st, now, clientzone.InvoiceLine{
			Description: "Prepaid balance top-up", Quantity: 1, UnitPrice: st.Amount, Total: st.Amount,
		})
		if err != nil {
			return nil, err
		}
		issue = inv
		credit(clientzone.TxnTopUp, "Top-up ("+st.Method+")", inv.ID)
	}
	if issue != nil {
		res.IssuedInvoiceID, rec.IssuedInvoiceID = issue.ID, issue.ID
	}

	tx := store.NewBillingTx()
	// The guard goes first: a duplicate is reported as such, not as the
	// invoice already being paid.
	if err := tx.SettlementGuard(rec); err != nil {
		return nil, err
	}
	if err := tx.LedgerEntries(ledger, LedgerOptions{}); err != nil {
		return nil, err
	}
	if res.PaidInvoiceID != "" {
		if err := tx.MarkInvoicePaid(st.CustomerID, res.PaidInvoiceID, now); err != nil {
			return nil, err
		}
	}
	if issue != nil {
		if err := tx.IssueInvoice(issue); err != nil {
			return nil, err
		}
	}
	if extend != nil {
		if err := extend(tx); err != nil {
			return nil, err
		}
	}
	if st.ProformaID != "" {
		if err := tx.MarkProformaPaid(st.CustomerID, st.ProformaID, res.InvoiceID(), now); err != nil {
			return nil, err
		}
	}
	if extra != nil {
		if err := extra(tx, res); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// taxInvoice builds a paid tax invoice for the settlement (not stored).
func (s *Service) taxInvoice(ctx context.Context, store SettleStore, st Settlement, now time.Time, line clientzone.InvoiceLine) (*clientzone.Invoice, error) {
	cust, err := store.Customer(ctx, st.CustomerID)
	if err != nil {
		return nil, err
	}
	seq, err := store.NextInvoiceNumber(ctx, now.Year())
	if err != nil {
		return nil, err
	}
	today := now.Format(time.DateOnly)
	paid := now
	return &clientzone.Invoice{
		ID: clientzone.NewID(), CustomerID: st.CustomerID, Number: fmt.Sprintf("FA%d%06d", now.Year(), seq),
		Status: clientzone.InvoicePaid, IssuedOn: today, DueOn: today, PaidAt: &paid,
		Total: st.Amount, VAT: clientzone.Money{Amount: VATIncluded(st.Amount.Amount, s.vatPercent(st.Amount.Currency)), Currency: st.Amount.Currency},
		VariableSymbol: cust.VariableSymbol, Lines: []clientzone.InvoiceLine{line},
	}, nil
}

func (s *Service) vatPercent(currency string) int {
	if p, ok := s.VATPercent[currency]; ok {
		return p
	}
	return s.VATPercent[""]
}

// VATIncluded is the VAT contained in a gross amount at rate percent,
// rounded half up to the minor unit.
func VATIncluded(gross int64, percent int) int64 {
	if percent <= 0 {
		return 0
	}
	net := (gross*100*2 + int64(100+percent)) / (int64(100+percent) * 2)
	return gross - net
}

// extendExpiry returns the new expiry (YYYY-MM-DD) of a service renewed by
// periods billing periods from the later of today and its old expiry. A day
// past the end of the target month is clamped to its last day.
func extendExpiry(oldOn, billingPeriod string, periods int, now time.Time) (string, error) {
	from := now.UTC().Truncate(24 * time.Hour)
	if oldOn != "" {
		old, err := time.Parse(time.DateOnly, oldOn)
		if err != nil {
			return "", fmt.Errorf("billing: bad expiry %q: %w", oldOn, err)
		}
		if old.After(from) {
			from = old
		}
	}
	months := periods
	switch billingPeriod {
	case "yearly":
		months = 12 * periods
	case "monthly", "":
	default:
		return "", fmt.Errorf("billing: unknown billing period %q", billingPeriod)
	}
	y, m, d := from.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly), nil
}
