package billing

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/payments"
	"github.com/clientzone/clientzone/shared/retry"
)

// PaymentStore is the persistence of card payments.
type PaymentStore interface {
	Invoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error)
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	PutPayment(ctx context.Context, p *clientzone.Payment) error
	Payment(ctx context.Context, id string) (*clientzone.Payment, error)
	WebhookEventSeen(ctx context.Context, provider, id string) (bool, error)
	NewBillingTx() Tx
}

// CardPayments starts card payments through a provider's hosted checkout
// and applies the provider's signed webhooks.
type CardPayments struct {
	Store PaymentStore
	// Billing settles completed payments (Settle).
	Billing *Service
	// Provider creates checkouts; webhooks name their provider.
	Provider payments.Provider
	Clock    clientzone.Clock
	// SuccessURL and CancelURL are the front-end pages the checkout returns
	// to; "payment=<id>" is added to their query.
	SuccessURL, CancelURL string
	// TopUpMin and TopUpMax bound a top-up (minor units).
	TopUpMin, TopUpMax int64
}

// Messages of card payment errors.
var (
	errTopUpCurrency = &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: "amount.currency", Code: "currency", Message: "Use the currency of your account."}}}
	errPaymentAmount = clientzone.Errorf(clientzone.ECONFLICT, "The paid amount does not match the payment.")
	errBadSignature  = clientzone.Errorf(clientzone.EINVALID, "The webhook signature is invalid.")
)

// PayInvoice starts a card payment of one of the caller's unpaid (or
// overdue) invoices. The provider is called first and the payment record
// written once it answered: a failed provider call writes nothing.
func (c *CardPayments) PayInvoice(ctx context.Context, p *clientzone.Principal, invoiceID string) (*clientzone.Payment, error) {
	inv, err := c.Store.Invoice(ctx, p.Person.CustomerID, invoiceID)
	if err != nil {
		return nil, err
	}
	if inv.Status != clientzone.InvoiceUnpaid {
		return nil, ErrInvoiceNotUnpaid
	}
	pay := &clientzone.Payment{Purpose: clientzone.PaymentForInvoice, InvoiceID: inv.ID, Amount: inv.Total}
	return c.start(ctx, p, pay, "Invoice "+inv.Number)
}

// TopUp starts a card payment crediting the caller's prepaid balance.
func (c *CardPayments) TopUp(ctx context.Context, p *clientzone.Principal, amount clientzone.Money) (*clientzone.Payment, error) {
	cust, err := c.Store.Customer(ctx, p.Person.CustomerID)
	if err != nil {
		return nil, err
	}
	if amount.Currency != cust.Currency {
		return nil, errTopUpCurrency
	}
	if amount.Amount < c.TopUpMin || amount.Amount > c.TopUpMax {
		return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
			Fields: []clientzone.FieldError{{Field: "amount.amount", Code: "range",
				Message: "The amount is outside the allowed range."}}}
	}
	pay := &clientzone.Payment{Purpose: clientzone.PaymentForTopUp, Amount: amount}
	return c.start(ctx, p, pay, "Prepaid balance top-up")
}

// Renew starts a card payment renewing service svc of person p's customer
// for periods billing periods (price × periods); the service is extended as
// soon as the provider confirms the payment. It fits httpapi.CardRenewal.
func (c *CardPayments) Renew(ctx context.Context, p *clientzone.Person, svc *clientzone.Service, periods int) (string, string, error) {
	pay := &clientzone.Payment{Purpose: clientzone.PaymentForRenewal, ServiceID: svc.ID, Periods: periods,
		Amount: clientzone.Money{Amount: svc.Price.Amount * int64(periods), Currency: svc.Price.Currency}}
	started, err := c.start(ctx, &clientzone.Principal{Person: p}, pay, fmt.Sprintf("Renewal of %s (%d×%s)", svc.Name, periods, svc.BillingPeriod))
	if err != nil {
		return "", "", err
	}
	return started.ID, started.CheckoutURL, nil
}

func (c *CardPayments) start(ctx context.Context, p *clientzone.Principal, pay *clientzone.Payment, desc string) (*clientzone.Payment, error) {
	now := c.Clock.Now().UTC()
	pay.ID = clientzone.NewID()
	pay.CustomerID, pay.PersonID = p.Person.CustomerID, p.Person.ID
	pay.Provider, pay.Status, pay.CreatedAt = c.Provider.Name(), clientzone.PaymentPending, now
	co, err := c.Provider.CreateCheckout(ctx, payments.CheckoutRequest{
		PaymentID: pay.ID, CustomerID: pay.CustomerID, Description: desc, Amount: pay.Amount,
		SuccessURL: withPayment(c.SuccessURL, pay.ID), CancelURL: withPayment(c.CancelURL, pay.ID),
		Email: p.Person.Email, Language: p.Person.Language,
	})
	if err != nil {
		return nil, fmt.Errorf("billing: %s checkout: %w", pay.Provider, err)
	}
	pay.CheckoutID, pay.CheckoutURL, pay.ExpiresAt = co.ID, co.URL, co.ExpiresAt
	if err := c.Store.PutPayment(ctx, pay); err != nil {
		return nil, err
	}
	return pay, nil
}

func withPayment(u, id string) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "payment=" + url.QueryEscape(id)
}

// WebhookResult is the outcome of one webhook.
type WebhookResult struct {
	// Duplicate: the event was processed before; nothing was done now.
	Duplicate bool
}

// HandleWebhook verifies and applies one provider webhook: a completed
// checkout settles its payment (invoice paid or balance credited, tax
// invoice, ledger) and marks it succeeded in the same transaction as the
// event's dedup record; an expired or failed one marks the payment so.
// Each event id is applied once.
func (c *CardPayments) HandleWebhook(ctx context.Context, prov payments.Provider, payload []byte, header map[string][]string) (*WebhookResult, error) {
	now := c.Clock.Now().UTC()
	ev, err := prov.ParseWebhook(payload, header, now)
	if errors.Is(err, payments.ErrBadSignature) {
		return nil, errBadSignature
	}
	if err != nil {
		return nil, err
	}
	if ev.ID == "" {
		return nil, errBadSignature
	}
	seen, err := c.Store.WebhookEventSeen(ctx, prov.Name(), ev.ID)
	if err != nil {
		return nil, err
	}
	if seen {
		return &WebhookResult{Duplicate: true}, nil
	}
	var pay *clientzone.Payment
	if ev.Type != payments.EventIgnored && ev.PaymentID != "" {
		pay, err = c.Store.Payment(ctx, ev.PaymentID)
		if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
			pay, err = nil, nil // not ours (a shared provider account): acknowledge only
		}
		if err != nil {
			return nil, err
		}
		if pay != nil && (pay.Provider != prov.Name() || pay.CheckoutID != ev.CheckoutID) {
			pay = nil
		}
	}
	record := func(tx Tx) error { return tx.WebhookEvent(prov.Name(), ev.ID, ev.RawType, now) }
	if pay == nil {
		return c.commitEvent(ctx, record, nil)
	}
	switch ev.Type {
	case payments.EventCompleted:
		return c.complete(ctx, prov, ev, pay, now, record)
	case payments.EventExpired, payments.EventFailed:
		status := clientzone.PaymentExpired
		if ev.Type == payments.EventFailed {
			status = clientzone.PaymentFailed
		}
		var mark func(Tx) error
		if pay.Status == clientzone.PaymentPending {
			mark = func(tx Tx) error { return tx.CompletePayment(pay.ID, status, now, "") }
		}
		return c.commitEvent(ctx, record, mark)
	}
	return c.commitEvent(ctx, record, nil)
}

func (c *CardPayments) complete(ctx context.Context, prov payments.Provider, ev payments.Event, pay *clientzone.Payment, now time.Time, record func(Tx) error) (*WebhookResult, error) {
	if ev.Amount != pay.Amount {
		return nil, errPaymentAmount
	}
	st := Settlement{CustomerID: pay.CustomerID, Amount: ev.Amount, Reference: prov.Name() + ":" + ev.CheckoutID, Method: "card"}
	switch pay.Purpose {
	case clientzone.PaymentForInvoice:
		st.InvoiceID = pay.InvoiceID
	case clientzone.PaymentForRenewal:
		st.ServiceID, st.Periods = pay.ServiceID, pay.Periods
	default:
		st.TopUp = true
	}
	var duplicate bool
	extra := func(tx Tx, res *SettleResult) error {
		if pay.Status == clientzone.PaymentPending {
			if err := tx.CompletePayment(pay.ID, clientzone.PaymentSucceeded, now, res.InvoiceID()); err != nil {
				return err
			}
		}
		return record(tx)
	}
	res, err := c.Billing.SettleWith(ctx, st, extra)
	if errors.Is(err, ErrInvoiceNotUnpaid) && st.InvoiceID != "" {
		// Paid meanwhile (e.g. by transfer): the card money is not lost, it
		// goes to the prepaid balance.
		st.InvoiceID, st.TopUp = "", true
		res, err = c.Billing.SettleWith(ctx, st, extra)
	}
	switch {
	case errors.Is(err, ErrDuplicateEvent):
		duplicate = true
	case err != nil:
		return nil, err
	case res.AlreadySettled:
		// Settled by an earlier event of the same checkout: only remember
		// this event (and complete the payment if that was missed).
		var mark func(Tx) error
		if cur, gerr := c.Store.Payment(ctx, pay.ID); gerr == nil && cur.Status == clientzone.PaymentPending {
			mark = func(tx Tx) error {
				return tx.CompletePayment(pay.ID, clientzone.PaymentSucceeded, now, res.InvoiceID())
			}
		}
		return c.commitEvent(ctx, record, mark)
	}
	return &WebhookResult{Duplicate: duplicate}, nil
}

// eventAttempts bounds the attempts of writing a webhook event: a
// transaction cancelled by a concurrent one is tried again.
const eventAttempts = 6

// commitEvent writes the event record (and mark, when set) in one
// transaction; a payment no longer pending is left as it is.
func (c *CardPayments) commitEvent(ctx context.Context, record, mark func(Tx) error) (*WebhookResult, error) {
	markIt := mark != nil
	return retry.Value(ctx, retry.Policy{Attempts: eventAttempts}, clientzone.IsTransactionConflict, func(ctx context.Context) (*WebhookResult, error) {
		for {
			tx := c.Store.NewBillingTx()
			if err := record(tx); err != nil {
				return nil, err
			}
			if markIt {
				if err := mark(tx); err != nil {
					return nil, err
				}
			}
			err := tx.Commit(ctx)
			switch {
			case errors.Is(err, ErrDuplicateEvent):
				return &WebhookResult{Duplicate: true}, nil
			case markIt && errors.Is(err, ErrPaymentNotPending):
				markIt = false // completed meanwhile: record the event alone
				continue
			case err != nil:
				return nil, err
			}
			return &WebhookResult{}, nil
		}
	})
}
