// Package cardpay builds the functions that create card checkouts or accept
// the providers' webhooks. It is apart from package app so that only these
// functions link and initialise the Stripe client (cold start and size).
package cardpay

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/payments"
	"github.com/clientzone/clientzone/shared/payments/devpay"
	"github.com/clientzone/clientzone/shared/payments/stripe"
)

// checkoutProvider is the provider that creates checkouts (PAYMENT_PROVIDER).
func checkoutProvider(d *app.Deps) (payments.Provider, error) {
	c := d.Config
	switch c.PaymentProvider {
	case stripe.Name:
		if d.Secrets.StripeSecretKey == "" {
			return nil, errors.New("app: the Stripe secret key is required (STRIPE_SECRET_KEY_SECRET_ID names its secret)")
		}
		return stripe.New(stripe.Config{SecretKey: d.Secrets.StripeSecretKey, WebhookSecret: d.Secrets.StripeWebhookSecret, APIBase: c.StripeAPIBase}), nil
	case devpay.Name:
		return devPay(d)
	}
	return nil, fmt.Errorf("app: PAYMENT_PROVIDER: want stripe or devpay, got %q", c.PaymentProvider)
}

// checkoutPayments is the card payment use case with the checkout provider.
func checkoutPayments(d *app.Deps) (*billing.CardPayments, error) {
	prov, err := checkoutProvider(d)
	if err != nil {
		return nil, err
	}
	return d.CardPayments(prov)
}

// webhookProviders are the providers whose webhooks are accepted: Stripe
// (verifying needs only the signing secret), plus devpay on the dev server.
func webhookProviders(d *app.Deps) (map[string]payments.Provider, error) {
	if d.Secrets.StripeWebhookSecret == "" {
		return nil, errors.New("app: the Stripe webhook secret is required (STRIPE_WEBHOOK_SECRET_SECRET_ID names its secret)")
	}
	out := map[string]payments.Provider{stripe.Name: stripe.New(stripe.Config{WebhookSecret: d.Secrets.StripeWebhookSecret})}
	if d.Config.PaymentProvider == devpay.Name {
		dp, err := devPay(d)
		if err != nil {
			return nil, err
		}
		out[devpay.Name] = dp
	}
	return out, nil
}

// InvoicePayment is POST /v1/invoices/{invoiceId}/payments.
func InvoicePayment(d *app.Deps) (httpapi.Handler, error) {
	svc, err := checkoutPayments(d)
	return app.With(d, svc, err, httpapi.InvoicePayment)
}

// TopUp is POST /v1/top-ups.
func TopUp(d *app.Deps) (httpapi.Handler, error) {
	svc, err := checkoutPayments(d)
	return app.With(d, svc, err, httpapi.TopUp)
}

// ServiceRenewal is POST /v1/services/{serviceId}/renewals: by proforma
// (renewed when the transfer is credited) or by card (renewed when the
// provider confirms the payment).
func ServiceRenewal(d *app.Deps) (httpapi.Handler, error) {
	card, err := checkoutPayments(d)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return d.ProformasHandler(func(api *httpapi.API, svc *billing.Proformas) httpapi.Handler {
		return httpapi.RenewService(api, svc, card.Renew)
	})
}

// PaymentWebhook is POST /v1/payment-webhooks/{provider}.
func PaymentWebhook(d *app.Deps) (httpapi.Handler, error) {
	provs, err := webhookProviders(d)
	if err != nil {
		return httpapi.Handler{}, err
	}
	svc, err := d.CardPayments(nil)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.PaymentWebhook(api, svc, provs) })
}

// devPay is the local card provider (dev server and tests): checkout
// pages that sign their webhooks with STRIPE_WEBHOOK_SECRET.
func devPay(d *app.Deps) (*devpay.Provider, error) {
	if d.Secrets.StripeWebhookSecret == "" {
		return nil, errors.New("app: the Stripe webhook secret is required: devpay signs with it (STRIPE_WEBHOOK_SECRET_SECRET_ID)")
	}
	return &devpay.Provider{BaseURL: d.Config.DevPayBaseURL, WebhookSecret: d.Secrets.StripeWebhookSecret, Clock: d.Clock}, nil
}

// UsesDevPay tells whether d's card provider is devpay (PAYMENT_PROVIDER),
// whose checkout pages DevPayCheckout serves.
func UsesDevPay(d *app.Deps) bool { return d.Config.PaymentProvider == devpay.Name }

// DevPayCheckout serves the devpay checkout pages (GET /dev/checkout/{id})
// on the dev server: opening one delivers the signed webhook to
// webhooks in-process. It is an error unless UsesDevPay(d).
func DevPayCheckout(d *app.Deps, webhooks http.Handler) (http.Handler, error) {
	if !UsesDevPay(d) {
		return nil, fmt.Errorf("app: PAYMENT_PROVIDER is %q: devpay's checkout pages need %q", d.Config.PaymentProvider, devpay.Name)
	}
	dp, err := devPay(d)
	if err != nil {
		return nil, err
	}
	return dp.Handler(webhooks), nil
}
