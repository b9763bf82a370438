package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/payments"
)

// PaymentStarted is the answer to starting a card payment: the front end
// sends the customer to CheckoutURL.
type PaymentStarted struct {
	PaymentID   string    `json:"paymentId"`
	CheckoutURL string    `json:"checkoutUrl"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

func paymentStarted(p *clientzone.Payment) *PaymentStarted {
	return &PaymentStarted{PaymentID: p.ID, CheckoutURL: p.CheckoutURL, ExpiresAt: p.ExpiresAt.UTC()}
}

type invoicePaymentRequest struct {
	InvoiceID string `path:"invoiceId" validate:"required,max=64"`
}

// InvoicePayment serves POST /v1/invoices/{invoiceId}/payments: a card
// payment of one unpaid or overdue invoice (Idempotency-Key required).
func InvoicePayment(api *API, svc *billing.CardPayments) Handler {
	return Handle(api, Endpoint[invoicePaymentRequest, PaymentStarted]{
		Route:      "POST /v1/invoices/{invoiceId}/payments",
		Access:     Needs(clientzone.RightPayments),
		Status:     http.StatusCreated,
		Idempotent: true,
		Exec: func(ctx context.Context, req *invoicePaymentRequest) (*PaymentStarted, error) {
			p, err := svc.PayInvoice(ctx, PrincipalOf(ctx), req.InvoiceID)
			if err != nil {
				return nil, err
			}
			return paymentStarted(p), nil
		},
	})
}

type topUpRequest struct {
	Amount *clientzone.Money `json:"amount" validate:"required"`
}

// TopUp serves POST /v1/top-ups: a card payment crediting the prepaid
// balance (Idempotency-Key required).
func TopUp(api *API, svc *billing.CardPayments) Handler {
	return Handle(api, Endpoint[topUpRequest, PaymentStarted]{
		Route:      "POST /v1/top-ups",
		Access:     Needs(clientzone.RightPayments),
		Status:     http.StatusCreated,
		Idempotent: true,
		Exec: func(ctx context.Context, req *topUpRequest) (*PaymentStarted, error) {
			p, err := svc.TopUp(ctx, PrincipalOf(ctx), *req.Amount)
			if err != nil {
				return nil, err
			}
			return paymentStarted(p), nil
		},
	})
}

type paymentWebhookRequest struct {
	Provider string      `path:"provider" validate:"required,max=32"`
	Body     []byte      `json:"-" body:"raw"`
	Header   http.Header `json:"-" header:"*"`
}

// WebhookReceived acknowledges a provider webhook.
type WebhookReceived struct {
	Received  bool `json:"received"`
	Duplicate bool `json:"duplicate,omitempty"`
}

// PaymentWebhook serves POST /v1/payment-webhooks/{provider}: the
// provider's signed event (the signature over the raw body is the
// authentication).
func PaymentWebhook(api *API, svc *billing.CardPayments, providers map[string]payments.Provider) Handler {
	return Handle(api, Endpoint[paymentWebhookRequest, WebhookReceived]{
		Route:   "POST /v1/payment-webhooks/{provider}",
		Access:  Public,
		RawBody: true,
		Exec: func(ctx context.Context, req *paymentWebhookRequest) (*WebhookReceived, error) {
			prov, ok := providers[req.Provider]
			if !ok {
				return nil, clientzone.NotFound("Payment provider")
			}
			res, err := svc.HandleWebhook(ctx, prov, req.Body, req.Header)
			if err != nil {
				return nil, err
			}
			return &WebhookReceived{Received: true, Duplicate: res.Duplicate}, nil
		},
	})
}
