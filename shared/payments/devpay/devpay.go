// Package devpay is a local stand-in for a card payment provider, used by
// the dev server (never in AWS): its checkout URL points at the dev server
// itself, and opening it "pays" by delivering a checkout.session.completed
// event in Stripe's format, signed like Stripe signs it, to the webhook
// route /v1/payment-webhooks/devpay.
package devpay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/payments"
	"github.com/clientzone/clientzone/shared/payments/stripe"
)

// Name is the provider id.
const Name = "devpay"

// CheckoutTTL is how long a dev checkout stays open.
const CheckoutTTL = 24 * time.Hour

// Provider is the dev stand-in.
type Provider struct {
	// BaseURL is the dev server's URL (checkout links point there).
	BaseURL string
	// WebhookSecret signs and verifies the events.
	WebhookSecret string
	Clock         clientzone.Clock
}

// Name returns "devpay".
func (p *Provider) Name() string { return Name }

// CreateCheckout returns a dev checkout page URL carrying what the page
// needs to complete the payment.
func (p *Provider) CreateCheckout(_ context.Context, r payments.CheckoutRequest) (payments.Checkout, error) {
	id := "cs_dev_" + clientzone.NewID()
	q := url.Values{"payment": {r.PaymentID}, "customer": {r.CustomerID},
		"amount": {strconv.FormatInt(r.Amount.Amount, 10)}, "currency": {r.Amount.Currency}}
	return payments.Checkout{
		ID:        id,
		URL:       strings.TrimRight(p.BaseURL, "/") + "/dev/checkout/" + id + "?" + q.Encode(),
		ExpiresAt: p.Clock.Now().UTC().Add(CheckoutTTL).Truncate(time.Second),
	}, nil
}

// ParseWebhook verifies a Stripe-format signed event.
func (p *Provider) ParseWebhook(payload []byte, header http.Header, now time.Time) (payments.Event, error) {
	return stripe.ParseEvent(payload, stripe.SignatureOf(header), p.WebhookSecret, now)
}

// Event returns a Stripe-format checkout session event (eventType e.g.
// "checkout.session.completed") for a checkout.
func Event(eventID, eventType, checkoutID, paymentID, customerID string, amount clientzone.Money, at time.Time) []byte {
	status := "paid"
	if eventType == "checkout.session.expired" {
		status = "unpaid"
	}
	b, _ := json.Marshal(map[string]any{
		"id": eventID, "object": "event", "api_version": "2025-10-29.clover", "created": at.Unix(), "livemode": false,
		"type": eventType,
		"data": map[string]any{"object": map[string]any{
			"id": checkoutID, "object": "checkout.session", "mode": "payment",
			"client_reference_id": paymentID,
			"metadata":            map[string]string{"payment_id": paymentID, "customer_id": customerID},
			"amount_total":        amount.Amount, "currency": strings.ToLower(amount.Currency),
			"payment_status": status, "status": "complete",
		}},
	})
	return b
}

// Handler serves GET /dev/checkout/{id}: it completes the checkout by
// posting a signed checkout.session.completed event to webhook (the dev
// server's handler, called in-process) and shows the outcome.
func (p *Provider) Handler(webhook http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		q := r.URL.Query()
		n, err := strconv.ParseInt(q.Get("amount"), 10, 64)
		if !strings.HasPrefix(id, "cs_dev_") || err != nil || q.Get("payment") == "" {
			http.Error(w, "not a devpay checkout", http.StatusNotFound)
			return
		}
		now := p.Clock.Now().UTC()
		body := Event("evt_dev_"+clientzone.NewID(), "checkout.session.completed", id, q.Get("payment"), q.Get("customer"),
			clientzone.Money{Amount: n, Currency: q.Get("currency")}, now)
		req := httptest.NewRequestWithContext(r.Context(), http.MethodPost, "/v1/payment-webhooks/"+Name, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Stripe-Signature", stripe.SignatureHeader(body, p.WebhookSecret, now))
		rec := httptest.NewRecorder()
		webhook.ServeHTTP(rec, req)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(rec.Code)
		_, _ = fmt.Fprintf(w, "devpay: payment %s completed; webhook answered %d %s", q.Get("payment"), rec.Code, rec.Body.String())
	})
}
