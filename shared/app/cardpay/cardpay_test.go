package cardpay

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/app"
)

// devpay's checkout pages exist only with PAYMENT_PROVIDER devpay: asked
// for with another provider, DevPayCheckout is an error, never a nil
// handler.
func TestDevPayCheckoutOnlyWithDevPay(t *testing.T) {
	d := &app.Deps{Config: app.Config{PaymentProvider: "stripe"}}
	if UsesDevPay(d) {
		t.Fatal("stripe uses devpay")
	}
	if h, err := DevPayCheckout(d, http.NotFoundHandler()); err == nil || h != nil || !strings.Contains(err.Error(), "PAYMENT_PROVIDER") {
		t.Fatalf("DevPayCheckout with stripe = %v, %v; want an error naming PAYMENT_PROVIDER", h, err)
	}
	d.Config.PaymentProvider = "devpay"
	if !UsesDevPay(d) {
		t.Fatal("devpay does not use devpay")
	}
	// devpay signs with the webhook secret: without it, an error again.
	if h, err := DevPayCheckout(d, http.NotFoundHandler()); err == nil || h != nil {
		t.Fatalf("DevPayCheckout without the webhook secret = %v, %v", h, err)
	}
	d.Secrets.StripeWebhookSecret = "whsec_test"
	if h, err := DevPayCheckout(d, http.NotFoundHandler()); err != nil || h == nil {
		t.Fatalf("DevPayCheckout = %v, %v", h, err)
	}
}
