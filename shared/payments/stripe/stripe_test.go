package stripe_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/payments"
	"github.com/clientzone/clientzone/shared/payments/stripe"
)

// stripeMockURL is the stripe-mock server of this test run.
var stripeMockURL string

// TestMain starts stripe-mock (installed by `make deps`: go install
// github.com/stripe/stripe-mock) on a free port and stops it at the end.
// A missing stripe-mock fails the run.
func TestMain(m *testing.M) {
	bin, err := findStripeMock()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "-http-addr", addr)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "stripe-mock:", err)
		os.Exit(1)
	}
	code := 1
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		os.Exit(code)
	}()
	for deadline := time.Now().Add(20 * time.Second); ; {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "stripe-mock did not start listening on", addr)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	stripeMockURL = "http://" + addr
	code = m.Run()
}

func findStripeMock() (string, error) {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	var dirs []string
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) > 0 && lines[0] != "" {
			dirs = append(dirs, lines[0])
		}
		if len(lines) > 1 {
			for gp := range strings.SplitSeq(lines[1], string(os.PathListSeparator)) {
				dirs = append(dirs, filepath.Join(gp, "bin"))
			}
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, "stripe-mock")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("stripe-mock not found: run `make deps` (go install github.com/stripe/stripe-mock@v0.203.0)")
}

func checkoutRequest() payments.CheckoutRequest {
	return payments.CheckoutRequest{
		PaymentID: "01PAYMENT", CustomerID: "01CUSTOMER", Description: "Invoice FA2026001",
		Amount:     clientzone.Money{Amount: 2990, Currency: "EUR"},
		SuccessURL: "https://portal.example.com/payments/done?payment=01PAYMENT", CancelURL: "https://portal.example.com/payments/cancelled?payment=01PAYMENT",
		Email: "eva@example.sk", Language: clientzone.LangSK,
	}
}

func TestCreateCheckoutAgainstStripeMock(t *testing.T) {
	t.Parallel()
	p := stripe.New(stripe.Config{SecretKey: "sk_test_123", WebhookSecret: "whsec_test", APIBase: stripeMockURL})
	co, err := p.CreateCheckout(context.Background(), checkoutRequest())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(co.ID, "cs_") || co.URL == "" || co.ExpiresAt.IsZero() {
		t.Fatalf("checkout %+v", co)
	}
	if p.Name() != "stripe" {
		t.Errorf("name %q", p.Name())
	}
}

func TestCreateCheckoutFailsCleanly(t *testing.T) {
	t.Parallel()
	// stripe-mock rejects a request without a valid key shape.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_***bad"}}`)
	}))
	defer srv.Close()
	p := stripe.New(stripe.Config{SecretKey: "sk_test_bad", APIBase: srv.URL})
	if _, err := p.CreateCheckout(context.Background(), checkoutRequest()); err == nil {
		t.Fatal("no error from a 401")
	}
}

// TestCreateCheckoutRequestShape checks what is sent to Stripe, with a
// local server that answers like the Checkout Sessions API.
func TestCreateCheckoutRequestShape(t *testing.T) {
	t.Parallel()
	var form url.Values
	var auth, idem string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/v1/checkout/sessions" {
			http.NotFound(w, r)
			return
		}
		auth, idem = r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key")
		_ = r.ParseForm()
		form = r.PostForm
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "cs_test_a1b2c3", "object": "checkout.session", "mode": "payment", "status": "open",
			"url": "https://checkout.stripe.com/c/pay/cs_test_a1b2c3", "expires_at": 1795521600,
			"client_reference_id": form.Get("client_reference_id"), "amount_total": 2990, "currency": "eur", "payment_status": "unpaid",
		})
	}))
	defer srv.Close()
	p := stripe.New(stripe.Config{SecretKey: "sk_test_shape", APIBase: srv.URL})
	co, err := p.CreateCheckout(context.Background(), checkoutRequest())
	if err != nil {
		t.Fatal(err)
	}
	if co.ID != "cs_test_a1b2c3" || co.URL != "https://checkout.stripe.com/c/pay/cs_test_a1b2c3" || !co.ExpiresAt.Equal(time.Unix(1795521600, 0)) {
		t.Fatalf("checkout %+v", co)
	}
	if auth != "Bearer sk_test_shape" || idem != "checkout-01PAYMENT" {
		t.Errorf("auth %q, idempotency key %q", auth, idem)
	}
	want := map[string]string{
		"mode": "payment", "client_reference_id": "01PAYMENT", "customer_email": "eva@example.sk", "locale": "sk",
		"metadata[payment_id]": "01PAYMENT", "metadata[customer_id]": "01CUSTOMER",
		"line_items[0][quantity]": "1", "line_items[0][price_data][currency]": "eur",
		"line_items[0][price_data][unit_amount]":        "2990",
		"line_items[0][price_data][product_data][name]": "Invoice FA2026001",
		"success_url": "https://portal.example.com/payments/done?payment=01PAYMENT",
	}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, form.Get(k), v)
		}
	}
}

const secret = "whsec_test_secret"

func event(typ, paymentStatus string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": "evt_123", "object": "event", "api_version": "2024-06-20", "type": typ,
		"data": map[string]any{"object": map[string]any{
			"id": "cs_test_1", "object": "checkout.session", "client_reference_id": "01PAYMENT",
			"metadata": map[string]string{"payment_id": "01PAYMENT"}, "amount_total": 2990, "currency": "eur", "payment_status": paymentStatus,
		}},
	})
	return b
}

func header(sig string) http.Header {
	h := http.Header{}
	h.Set("Stripe-Signature", sig)
	return h
}

func TestParseWebhook(t *testing.T) {
	t.Parallel()
	p := stripe.New(stripe.Config{WebhookSecret: secret})
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	body := event("checkout.session.completed", "paid")
	ev, err := p.ParseWebhook(body, header(stripe.SignatureHeader(body, secret, now.Add(-10*time.Second))), now)
	if err != nil {
		t.Fatal(err)
	}
	want := payments.Event{ID: "evt_123", Type: payments.EventCompleted, RawType: "checkout.session.completed", CheckoutID: "cs_test_1",
		PaymentID: "01PAYMENT", Amount: clientzone.Money{Amount: 2990, Currency: "EUR"}}
	if ev != want {
		t.Fatalf("event %+v, want %+v", ev, want)
	}
	// API Gateway splits the header at commas: still valid.
	split := http.Header{"Stripe-Signature": strings.Split(stripe.SignatureHeader(body, secret, now), ",")}
	if _, err := p.ParseWebhook(body, split, now); err != nil {
		t.Errorf("split header: %v", err)
	}
	for name, tc := range map[string]struct {
		body []byte
		h    http.Header
	}{
		"wrong secret": {body, header(stripe.SignatureHeader(body, "whsec_other", now))},
		"301 s old":    {body, header(stripe.SignatureHeader(body, secret, now.Add(-301*time.Second)))},
		"301 s ahead":  {body, header(stripe.SignatureHeader(body, secret, now.Add(301*time.Second)))},
		"tampered":     {[]byte(strings.Replace(string(body), "2990", "1", 1)), header(stripe.SignatureHeader(body, secret, now))},
		"missing":      {body, http.Header{}},
		"garbage":      {body, header("nonsense")},
		"no v1":        {body, header(fmt.Sprintf("t=%d", now.Unix()))},
	} {
		if _, err := p.ParseWebhook(tc.body, tc.h, now); !errors.Is(err, payments.ErrBadSignature) {
			t.Errorf("%s: err = %v, want ErrBadSignature", name, err)
		}
	}
	if _, err := p.ParseWebhook(body, header(stripe.SignatureHeader(body, secret, now.Add(-300*time.Second))), now); err != nil {
		t.Errorf("300 s old: %v", err)
	}
	// No webhook secret configured: nothing verifies.
	if _, err := stripe.New(stripe.Config{}).ParseWebhook(body, header(stripe.SignatureHeader(body, "", now)), now); !errors.Is(err, payments.ErrBadSignature) {
		t.Errorf("empty secret: %v", err)
	}
}

func TestParseWebhookTypes(t *testing.T) {
	t.Parallel()
	p := stripe.New(stripe.Config{WebhookSecret: secret})
	now := time.Now()
	for _, tc := range []struct{ typ, status, want string }{
		{"checkout.session.completed", "paid", payments.EventCompleted},
		{"checkout.session.completed", "unpaid", payments.EventIgnored},
		{"checkout.session.async_payment_succeeded", "paid", payments.EventCompleted},
		{"checkout.session.async_payment_failed", "unpaid", payments.EventFailed},
		{"checkout.session.expired", "unpaid", payments.EventExpired},
		{"payment_intent.succeeded", "", payments.EventIgnored},
	} {
		body := event(tc.typ, tc.status)
		ev, err := p.ParseWebhook(body, header(stripe.SignatureHeader(body, secret, now)), now)
		if err != nil || ev.Type != tc.want {
			t.Errorf("%s/%s: %q %v, want %q", tc.typ, tc.status, ev.Type, err, tc.want)
		}
	}
}

func TestParseWebhookRejectsTwoTimestamps(t *testing.T) {
	now := time.Now()
	payload := []byte(`{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_1"}}}`)
	old := stripe.SignatureHeader(payload, "whsec_test", now.Add(-time.Hour))
	// t=<now>,t=<old>,v1=<old signature>: the SDK would verify against the
	// old t while a first-t check would see a fresh one.
	forged := "t=" + strconv.FormatInt(now.Unix(), 10) + "," + old
	if _, err := stripe.ParseEvent(payload, forged, "whsec_test", now); !errors.Is(err, payments.ErrBadSignature) {
		t.Fatalf("two timestamps: err = %v, want ErrBadSignature", err)
	}
}
