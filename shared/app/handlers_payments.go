package app

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/payments"
	"github.com/clientzone/clientzone/shared/payments/devpay"
	"github.com/clientzone/clientzone/shared/payments/stripe"
)

// Card payments: checkouts through the configured provider, and the
// providers' signed webhooks.

// TopUpMin is the smallest top-up in minor units.
const TopUpMin = 100

// checkoutProvider is the provider that creates checkouts.
func (d *Deps) checkoutProvider() (payments.Provider, error) {
	c := d.Config
	switch c.PaymentProvider {
	case stripe.Name:
		if c.StripeSecretKey == "" {
			return nil, errors.New("app: STRIPE_SECRET_KEY is required")
		}
		return stripe.New(stripe.Config{SecretKey: c.StripeSecretKey, WebhookSecret: c.StripeWebhookSecret, APIBase: c.StripeAPIBase}), nil
	case devpay.Name:
		return d.devPay()
	}
	return nil, fmt.Errorf("app: PAYMENT_PROVIDER: want stripe or devpay, got %q", c.PaymentProvider)
}

func (d *Deps) devPay() (*devpay.Provider, error) {
	if d.Config.StripeWebhookSecret == "" {
		return nil, errors.New("app: STRIPE_WEBHOOK_SECRET is required (devpay signs with it)")
	}
	return &devpay.Provider{BaseURL: d.Config.DevPayBaseURL, WebhookSecret: d.Config.StripeWebhookSecret, Clock: d.Clock}, nil
}

// webhookProviders are the providers whose webhooks are accepted: Stripe
// (verifying needs only the signing secret), plus devpay on the dev server.
func (d *Deps) webhookProviders() (map[string]payments.Provider, error) {
	c := d.Config
	if c.StripeWebhookSecret == "" {
		return nil, errors.New("app: STRIPE_WEBHOOK_SECRET is required")
	}
	out := map[string]payments.Provider{stripe.Name: stripe.New(stripe.Config{WebhookSecret: c.StripeWebhookSecret})}
	if c.PaymentProvider == devpay.Name {
		dp, err := d.devPay()
		if err != nil {
			return nil, err
		}
		out[devpay.Name] = dp
	}
	return out, nil
}

// vatPercents parses INVOICE_VAT_PERCENT: "23" or "EUR:23,HUF:27".
func vatPercents(s string) (map[string]int, error) {
	out := map[string]int{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		cur, pct, ok := strings.Cut(part, ":")
		if !ok {
			cur, pct = "", part
		}
		n, err := strconv.Atoi(pct)
		if err != nil || n < 0 || n > 100 {
			return nil, fmt.Errorf("app: INVOICE_VAT_PERCENT: bad rate %q", part)
		}
		out[strings.ToUpper(cur)] = n
	}
	return out, nil
}

// cardPayments builds the card payment use case; prov may be nil for the
// webhook function (it creates no checkouts).
func (d *Deps) cardPayments(prov payments.Provider) (*billing.CardPayments, error) {
	vat, err := vatPercents(d.Config.InvoiceVATPercent)
	if err != nil {
		return nil, err
	}
	maxTopUp, err := strconv.ParseInt(d.Config.TopUpMax, 10, 64)
	if err != nil || maxTopUp < TopUpMin {
		return nil, fmt.Errorf("app: TOP_UP_MAX: want an amount in minor units ≥ %d", TopUpMin)
	}
	return &billing.CardPayments{
		Store:      d.DB,
		Billing:    &billing.Service{Store: d.DB, Clock: d.Clock, VATPercent: vat},
		Provider:   prov,
		Clock:      d.Clock,
		SuccessURL: d.Config.PaymentSuccessURL,
		CancelURL:  d.Config.PaymentCancelURL,
		TopUpMin:   TopUpMin,
		TopUpMax:   maxTopUp,
	}, nil
}

// checkoutPayments is the card payment use case with the checkout provider.
func (d *Deps) checkoutPayments() (*billing.CardPayments, error) {
	prov, err := d.checkoutProvider()
	if err != nil {
		return nil, err
	}
	return d.cardPayments(prov)
}

// InvoicePayment is POST /v1/invoices/{invoiceId}/payments.
func InvoicePayment(d *Deps) (httpapi.Handler, error) {
	svc, err := d.checkoutPayments()
	return with(d, true, svc, err, httpapi.InvoicePayment)
}

// TopUp is POST /v1/top-ups.
func TopUp(d *Deps) (httpapi.Handler, error) {
	svc, err := d.checkoutPayments()
	return with(d, true, svc, err, httpapi.TopUp)
}

// PaymentWebhook is POST /v1/payment-webhooks/{provider}.
func PaymentWebhook(d *Deps) (httpapi.Handler, error) {
	api, err := d.api(false)
	if err != nil {
		return httpapi.Handler{}, err
	}
	provs, err := d.webhookProviders()
	if err != nil {
		return httpapi.Handler{}, err
	}
	svc, err := d.cardPayments(nil)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.PaymentWebhook(api, svc, provs), nil
}

// DevPayCheckout serves the devpay checkout pages (GET /dev/checkout/{id})
// on the dev server: opening one delivers the signed webhook to
// webhooks in-process. Nil unless PAYMENT_PROVIDER is devpay.
func DevPayCheckout(d *Deps, webhooks http.Handler) (http.Handler, error) {
	if d.Config.PaymentProvider != devpay.Name {
		return nil, nil
	}
	dp, err := d.devPay()
	if err != nil {
		return nil, err
	}
	return dp.Handler(webhooks), nil
}
