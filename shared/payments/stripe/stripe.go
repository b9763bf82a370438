// Package stripe implements payments.Provider with Stripe Checkout
// (stripe-go): one Checkout Session in payment mode per payment, and
// Stripe-Signature verified webhooks.
package stripe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v84"
	"github.com/stripe/stripe-go/v84/webhook"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/payments"
)

// Name is the provider id.
const Name = "stripe"

// Config configures the provider.
type Config struct {
	SecretKey     string // STRIPE_SECRET_KEY
	WebhookSecret string // STRIPE_WEBHOOK_SECRET (whsec_...)
	// APIBase overrides https://api.stripe.com (stripe-mock in tests).
	APIBase    string
	HTTPClient *http.Client
}

// Provider is Stripe Checkout.
type Provider struct {
	client        *stripego.Client
	webhookSecret string
}

// New returns the Stripe provider. A missing secret key leaves a provider
// that can only verify webhooks.
func New(c Config) *Provider {
	p := &Provider{webhookSecret: c.WebhookSecret}
	if c.SecretKey != "" {
		cfg := &stripego.BackendConfig{
			HTTPClient:        c.HTTPClient,
			LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelNull},
			MaxNetworkRetries: stripego.Int64(2), // safe: requests carry an idempotency key
		}
		if c.HTTPClient == nil {
			cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
		}
		if c.APIBase != "" {
			cfg.URL = stripego.String(strings.TrimRight(c.APIBase, "/"))
		}
		p.client = stripego.NewClient(c.SecretKey, stripego.WithBackends(stripego.NewBackendsWithConfig(cfg)))
	}
	return p
}

// Name returns "stripe".
func (p *Provider) Name() string { return Name }

// CreateCheckout creates a Checkout Session in payment mode.
func (p *Provider) CreateCheckout(ctx context.Context, r payments.CheckoutRequest) (payments.Checkout, error) {
	if p.client == nil {
		return payments.Checkout{}, fmt.Errorf("stripe: no secret key configured")
	}
	params := &stripego.CheckoutSessionCreateParams{
		Mode:              stripego.String(string(stripego.CheckoutSessionModePayment)),
		ClientReferenceID: stripego.String(r.PaymentID),
		Metadata:          map[string]string{"payment_id": r.PaymentID, "customer_id": r.CustomerID},
		SuccessURL:        stripego.String(r.SuccessURL),
		CancelURL:         stripego.String(r.CancelURL),
		LineItems: []*stripego.CheckoutSessionCreateLineItemParams{{
			Quantity: stripego.Int64(1),
			PriceData: &stripego.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripego.String(strings.ToLower(r.Amount.Currency)),
				UnitAmount:  stripego.Int64(r.Amount.Amount),
				ProductData: &stripego.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripego.String(r.Description)},
			},
		}},
		PaymentIntentData: &stripego.CheckoutSessionCreatePaymentIntentDataParams{
			Metadata: map[string]string{"payment_id": r.PaymentID, "customer_id": r.CustomerID},
		},
	}
	if r.Email != "" {
		params.CustomerEmail = stripego.String(r.Email)
	}
	if r.Language != "" {
		params.Locale = stripego.String(string(r.Language))
	}
	// Retries of the same payment create one session.
	params.SetIdempotencyKey("checkout-" + r.PaymentID)
	s, err := p.client.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return payments.Checkout{}, fmt.Errorf("stripe: create checkout session: %w", err)
	}
	return payments.Checkout{ID: s.ID, URL: s.URL, ExpiresAt: time.Unix(s.ExpiresAt, 0).UTC()}, nil
}

// ParseWebhook verifies the Stripe-Signature header and decodes the event.
func (p *Provider) ParseWebhook(payload []byte, header http.Header, now time.Time) (payments.Event, error) {
	return ParseEvent(payload, SignatureOf(header), p.webhookSecret, now)
}

// SignatureOf returns the Stripe-Signature header. API Gateway (through
// the Lambda HTTP adapter) splits header values at commas, so the parts
// are joined again.
func SignatureOf(h http.Header) string {
	return strings.Join(h.Values("Stripe-Signature"), ",")
}

// ParseEvent verifies a Stripe-Signature header ("t=<unix>,v1=<hex
// HMAC-SHA256 of "<t>.<payload>">") against secret, rejecting signatures
// more than payments.SignatureTolerance away from now, and decodes the
// checkout session event.
func ParseEvent(payload []byte, sigHeader, secret string, now time.Time) (payments.Event, error) {
	if secret == "" || sigHeader == "" {
		return payments.Event{}, payments.ErrBadSignature
	}
	t, ok := signatureTime(sigHeader)
	if !ok {
		return payments.Event{}, payments.ErrBadSignature
	}
	if d := now.Sub(t); d > payments.SignatureTolerance || d < -payments.SignatureTolerance {
		return payments.Event{}, payments.ErrBadSignature
	}
	// The SDK checks the HMAC; the tolerance is checked above with our clock.
	ev, err := webhook.ConstructEventWithOptions(payload, sigHeader, secret,
		webhook.ConstructEventOptions{IgnoreTolerance: true, IgnoreAPIVersionMismatch: true})
	if err != nil {
		if err == webhook.ErrNoValidSignature || err == webhook.ErrInvalidHeader || err == webhook.ErrNotSigned || err == webhook.ErrTooOld {
			return payments.Event{}, payments.ErrBadSignature
		}
		return payments.Event{}, clientzone.Errorf(clientzone.EINVALID, "The webhook body is not a valid event.")
	}
	out := payments.Event{ID: ev.ID, RawType: string(ev.Type), Type: payments.EventIgnored}
	if !strings.HasPrefix(string(ev.Type), "checkout.session.") || ev.Data == nil {
		return out, nil
	}
	var s struct {
		ID                string            `json:"id"`
		ClientReferenceID string            `json:"client_reference_id"`
		Metadata          map[string]string `json:"metadata"`
		AmountTotal       int64             `json:"amount_total"`
		Currency          string            `json:"currency"`
		PaymentStatus     string            `json:"payment_status"`
	}
	if err := json.Unmarshal(ev.Data.Raw, &s); err != nil {
		return payments.Event{}, clientzone.Errorf(clientzone.EINVALID, "The webhook body is not a valid event.")
	}
	out.CheckoutID = s.ID
	out.PaymentID = s.Metadata["payment_id"]
	if out.PaymentID == "" {
		out.PaymentID = s.ClientReferenceID
	}
	out.Amount = clientzone.Money{Amount: s.AmountTotal, Currency: strings.ToUpper(s.Currency)}
	switch ev.Type {
	case "checkout.session.completed":
		if s.PaymentStatus == "paid" || s.PaymentStatus == "no_payment_required" {
			out.Type = payments.EventCompleted
		} // "unpaid": an asynchronous method; wait for async_payment_succeeded
	case "checkout.session.async_payment_succeeded":
		out.Type = payments.EventCompleted
	case "checkout.session.async_payment_failed":
		out.Type = payments.EventFailed
	case "checkout.session.expired":
		out.Type = payments.EventExpired
	}
	return out, nil
}

// signatureTime is the header's one timestamp. A header with several "t="
// is refused: the SDK signs with the last one, so checking the first would
// let an old signature through with a fresh-looking timestamp.
func signatureTime(h string) (time.Time, bool) {
	var at time.Time
	seen := false
	for part := range strings.SplitSeq(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == "t" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || seen {
				return time.Time{}, false
			}
			at, seen = time.Unix(n, 0), true
		}
	}
	return at, seen
}

// SignatureHeader returns the Stripe-Signature header of payload signed
// with secret at time t (for local stand-ins and tests).
func SignatureHeader(payload []byte, secret string, t time.Time) string {
	return fmt.Sprintf("t=%d,v1=%x", t.Unix(), webhook.ComputeSignature(t, payload, secret))
}
