package devserver

// Helpers of the dev server's own tests, which talk HTTP to a dev-server
// stack (main_test.go's newStack). The API's tests live beside the handlers
// in shared/httpapi (infra/local/apitest is their harness).

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/payments/devpay"
	"github.com/clientzone/clientzone/shared/payments/stripe"
)

type tokens struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpiresIn    int    `json:"expiresIn"`
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) problem(t *testing.T) httpapi.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, r.body)
	}
	var p httpapi.Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != r.status || p.RequestID == "" || p.Type != httpapi.ProblemTypeBase+p.Code {
		t.Errorf("problem %+v inconsistent with status %d", p, r.status)
	}
	return p
}

func do(t *testing.T, method, u, bearer, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, b}
}

func login(t *testing.T, base, login, pw string) tokens {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"login": login, "password": pw})
	r := do(t, "POST", base+"/v1/auth/login", "", string(b))
	if r.status != 200 {
		t.Fatalf("login %s: %d %s", login, r.status, r.body)
	}
	var tk tokens
	if err := json.Unmarshal(r.body, &tk); err != nil {
		t.Fatal(err)
	}
	return tk
}

func decodeJSON[T any](t *testing.T, r response, status int) T {
	t.Helper()
	var v T
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	return v
}

func loginResp(t *testing.T, base, login, pw string) response {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"login": login, "password": pw})
	return do(t, "POST", base+"/v1/auth/login", "", string(b))
}

func customerBody(mod func(m map[string]any)) string {
	m := map[string]any{"kind": "person", "name": "Mária Horváthová", "email": "maria@example.sk", "phone": "+421905000111",
		"region": "Košice", "variableSymbol": "3000001", "currency": "EUR", "language": "sk",
		"billingAddress": map[string]any{"street": "Hlavná 1", "city": "Košice", "postalCode": "04001", "country": "SK"}}
	if mod != nil {
		mod(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

type upsertedInvoice struct {
	CustomerID     string           `json:"customerId"`
	ID             string           `json:"id"`
	Number         string           `json:"number"`
	Status         string           `json:"status"`
	PaidAt         *time.Time       `json:"paidAt"`
	Total          clientzone.Money `json:"total"`
	VariableSymbol string           `json:"variableSymbol"`
}

// signStripeSample replaces "{{stripeSignature}}" in an events/ sample by a
// Stripe-Signature of its body, signed now with the dev webhook secret (a
// fixed signature would fall out of the 300 s tolerance).
func signStripeSample(t *testing.T, raw []byte) []byte {
	t.Helper()
	if !strings.Contains(string(raw), "{{stripeSignature}}") {
		return raw
	}
	var ev struct {
		Body string `json:"body"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	sig := stripe.SignatureHeader([]byte(ev.Body), DevWebhookSecret, time.Now())
	return []byte(strings.ReplaceAll(string(raw), "{{stripeSignature}}", sig))
}

// checkPaymentStarted checks the answer of starting a card payment.
func checkPaymentStarted(t *testing.T, b map[string]any) {
	t.Helper()
	u, _ := b["checkoutUrl"].(string)
	if b["paymentId"] == "" || !strings.Contains(u, "/dev/checkout/cs_dev_") || b["expiresAt"] == "" {
		t.Errorf("payment started body = %v", b)
	}
}

type payStarted struct {
	PaymentID   string    `json:"paymentId"`
	CheckoutURL string    `json:"checkoutUrl"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

func idemKey() string { return "test-" + clientzone.NewID() }

// unpaidInvoice returns the demo SK customer's newest unpaid invoice.
func unpaidInvoice(t *testing.T, st *Stack) *clientzone.Invoice {
	t.Helper()
	page, err := st.Deps.DB.Invoices(context.Background(), demo.CustomerSK, billing.InvoiceFilter{Status: clientzone.InvoiceUnpaid, Limit: 1, Now: time.Now()})
	if err != nil || len(page.Invoices) == 0 {
		t.Fatalf("unpaid demo invoice: %v", err)
	}
	return page.Invoices[0]
}

func startInvoicePayment(t *testing.T, base, token, invoiceID string) payStarted {
	t.Helper()
	r := do(t, "POST", base+"/v1/invoices/"+invoiceID+"/payments", token, "", "Idempotency-Key", idemKey())
	if r.status != 201 {
		t.Fatalf("start payment: %d %s", r.status, r.body)
	}
	var p payStarted
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// webhook posts a devpay (Stripe-format) event signed at time at.
func webhook(t *testing.T, base, secret string, body []byte, at time.Time) response {
	t.Helper()
	return do(t, "POST", base+"/v1/payment-webhooks/devpay", "", string(body), "Stripe-Signature", stripe.SignatureHeader(body, secret, at))
}

// completedEvent is a paid checkout event of payment p.
func completedEvent(t *testing.T, st *Stack, paymentID string, amount clientzone.Money) []byte {
	t.Helper()
	p, err := st.Deps.DB.Payment(context.Background(), paymentID)
	if err != nil {
		t.Fatal(err)
	}
	return devpay.Event("evt_"+clientzone.NewID(), "checkout.session.completed", p.CheckoutID, p.ID, p.CustomerID, amount, time.Now())
}

type importBody struct {
	Lines   int `json:"lines"`
	Credits int `json:"credits"`
	Ignored int `json:"ignored"`
	Matched []struct {
		Line       int    `json:"line"`
		Reference  string `json:"reference"`
		Kind       string `json:"kind"`
		CustomerID string `json:"customerId"`
		ProformaID string `json:"proformaId"`
		InvoiceID  string `json:"invoiceId"`
		ServiceID  string `json:"serviceId"`
		ExpiresOn  string `json:"expiresOn"`
	} `json:"matched"`
	Unmatched []struct {
		Line           int    `json:"line"`
		VariableSymbol string `json:"variableSymbol"`
		Reason         string `json:"reason"`
	} `json:"unmatched"`
	Duplicates int `json:"duplicates"`
}

func pfDecode[T any](t *testing.T, r response, status int) T {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func importStatement(t *testing.T, base, format, id, content string) importBody {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"format": format, "statementId": id, "content": content})
	return pfDecode[importBody](t, do(t, "POST", base+"/admin/v1/bank-statements", "", string(b)), 200)
}
