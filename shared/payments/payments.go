// Package payments is the payment-provider interface of card payments: a
// provider creates a hosted checkout for an amount and later reports its
// outcome through a signed webhook. shared/payments/stripe is the real
// implementation (Stripe Checkout); shared/payments/devpay is a local
// stand-in for the dev server.
package payments

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Provider is a card payment provider.
type Provider interface {
	// Name is the provider's id in webhook routes and payment records.
	Name() string
	// CreateCheckout starts a hosted checkout page for one payment.
	CreateCheckout(ctx context.Context, r CheckoutRequest) (Checkout, error)
	// ParseWebhook verifies a webhook's signature (with now for the
	// timestamp tolerance) and returns its event. A bad or old signature
	// returns ErrBadSignature.
	ParseWebhook(payload []byte, header http.Header, now time.Time) (Event, error)
}

// CheckoutRequest is one payment to collect.
type CheckoutRequest struct {
	PaymentID   string
	CustomerID  string
	Description string
	Amount      clientzone.Money
	SuccessURL  string
	CancelURL   string
	Email       string
	Language    clientzone.Language
}

// Checkout is a created hosted checkout.
type Checkout struct {
	ID        string
	URL       string
	ExpiresAt time.Time
}

// Event types, provider-neutral.
const (
	// EventCompleted: the checkout was paid.
	EventCompleted = "checkout.completed"
	// EventExpired: the checkout expired unpaid.
	EventExpired = "checkout.expired"
	// EventFailed: an asynchronous payment of the checkout failed.
	EventFailed = "checkout.failed"
	// EventIgnored: anything else (acknowledged, not acted on).
	EventIgnored = "ignored"
)

// Event is a verified provider event.
type Event struct {
	ID         string // the provider's event id (dedup key)
	Type       string // one of the Event* types
	RawType    string // the provider's own type name
	CheckoutID string
	PaymentID  string
	Amount     clientzone.Money
}

// ErrBadSignature is a webhook whose signature is missing, wrong or too old.
var ErrBadSignature = errors.New("payments: invalid webhook signature")

// SignatureTolerance is how old a webhook signature may be.
const SignatureTolerance = 300 * time.Second
