package devserver

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/app/cardpay"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/payments/devpay"
	"github.com/clientzone/clientzone/shared/payments/stripe"
)

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

func ledgerCount(t *testing.T, st *Stack, cid string) (int64, int) {
	t.Helper()
	sum, n, err := st.Deps.DB.SumTransactions(context.Background(), cid)
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.Deps.DB.Balance(context.Background(), cid, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	if b.Amount.Amount != sum {
		t.Fatalf("balance %d != sum of transactions %d", b.Amount.Amount, sum)
	}
	return sum, n
}

func TestPayInvoiceByCard(t *testing.T) {
	t.Parallel()
	st, srv, logs := newStack(t)
	ctx := context.Background()
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
	inv := unpaidInvoice(t, st)
	balance0, n0 := ledgerCount(t, st, demo.CustomerSK)

	p := startInvoicePayment(t, srv.URL, bills.AccessToken, inv.ID)
	if !strings.HasPrefix(p.CheckoutURL, srv.URL+"/dev/checkout/cs_dev_") || p.ExpiresAt.Before(time.Now()) {
		t.Fatalf("started %+v", p)
	}
	pay, err := st.Deps.DB.Payment(ctx, p.PaymentID)
	if err != nil {
		t.Fatal(err)
	}
	if pay.Status != clientzone.PaymentPending || pay.InvoiceID != inv.ID || pay.Amount != inv.Total || pay.Purpose != clientzone.PaymentForInvoice ||
		pay.CustomerID != demo.CustomerSK || pay.Provider != devpay.Name || pay.CheckoutID == "" {
		t.Fatalf("payment %+v", pay)
	}

	// The signed webhook of the paid checkout.
	body := completedEvent(t, st, p.PaymentID, inv.Total)
	r := webhook(t, srv.URL, DevWebhookSecret, body, time.Now())
	if r.status != 200 || strings.TrimSpace(string(r.body)) != `{"received":true}` {
		t.Fatalf("webhook: %d %s", r.status, r.body)
	}
	got, err := st.Deps.DB.Invoice(ctx, demo.CustomerSK, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != clientzone.InvoicePaid || got.PaidAt == nil {
		t.Fatalf("invoice after payment %+v", got)
	}
	balance1, n1 := ledgerCount(t, st, demo.CustomerSK)
	if balance1 != balance0 || n1 != n0+2 {
		t.Fatalf("ledger: balance %d→%d, entries %d→%d; want unchanged balance and 2 entries", balance0, balance1, n0, n1)
	}
	txns, err := st.Deps.DB.Transactions(ctx, demo.CustomerSK, 2, "")
	if err != nil {
		t.Fatal(err)
	}
	if txns.Transactions[1].Kind != clientzone.TxnPayment || txns.Transactions[1].Amount.Amount != inv.Total.Amount ||
		txns.Transactions[0].Kind != clientzone.TxnCharge || txns.Transactions[0].Amount.Amount != -inv.Total.Amount ||
		txns.Transactions[0].InvoiceID != inv.ID {
		t.Fatalf("ledger entries %+v", txns.Transactions)
	}
	pay, err = st.Deps.DB.Payment(ctx, p.PaymentID)
	if err != nil {
		t.Fatal(err)
	}
	if pay.Status != clientzone.PaymentSucceeded || pay.CompletedAt == nil || pay.SettledInvoiceID != inv.ID {
		t.Fatalf("payment after webhook %+v", pay)
	}
	// The customer sees it paid.
	r = do(t, "GET", srv.URL+"/v1/invoices/"+inv.ID, bills.AccessToken, "")
	if r.status != 200 || !strings.Contains(string(r.body), `"status":"paid"`) {
		t.Fatalf("invoice get: %d %s", r.status, r.body)
	}
	// The same invoice again: nothing to pay.
	r = do(t, "POST", srv.URL+"/v1/invoices/"+inv.ID+"/payments", bills.AccessToken, "", "Idempotency-Key", idemKey())
	if p := r.problem(t); r.status != 409 || p.Code != clientzone.ECONFLICT {
		t.Fatalf("paying a paid invoice: %d %s", r.status, r.body)
	}
	if strings.Contains(logs.String(), DevWebhookSecret) || strings.Contains(logs.String(), "v1=") {
		t.Error("the webhook secret or a signature is in the logs")
	}
}

func TestPayInvoiceThroughDevCheckoutPage(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
	inv := unpaidInvoice(t, st)
	p := startInvoicePayment(t, srv.URL, bills.AccessToken, inv.ID)
	u, err := url.Parse(p.CheckoutURL)
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, "GET", srv.URL+u.RequestURI(), "", "")
	if r.status != 200 || !strings.Contains(string(r.body), `{"received":true}`) {
		t.Fatalf("dev checkout page: %d %s", r.status, r.body)
	}
	got, err := st.Deps.DB.Invoice(context.Background(), demo.CustomerSK, inv.ID)
	if err != nil || got.Status != clientzone.InvoicePaid {
		t.Fatalf("invoice %+v %v", got, err)
	}
}

func TestPaymentWebhookReplayedConcurrently(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
	inv := unpaidInvoice(t, st)
	_, n0 := ledgerCount(t, st, demo.CustomerSK)
	p := startInvoicePayment(t, srv.URL, bills.AccessToken, inv.ID)
	body := completedEvent(t, st, p.PaymentID, inv.Total)

	var wg sync.WaitGroup
	results := make([]response, 5)
	for i := range results {
		wg.Go(func() { results[i] = webhook(t, srv.URL, DevWebhookSecret, body, time.Now()) })
	}
	wg.Wait()
	fresh := 0
	for _, r := range results {
		if r.status != 200 {
			t.Fatalf("replay: %d %s", r.status, r.body)
		}
		switch strings.TrimSpace(string(r.body)) {
		case `{"received":true}`:
			fresh++
		case `{"received":true,"duplicate":true}`:
		default:
			t.Fatalf("replay body %s", r.body)
		}
	}
	if fresh != 1 {
		t.Fatalf("%d deliveries applied, want 1", fresh)
	}
	if _, n1 := ledgerCount(t, st, demo.CustomerSK); n1 != n0+2 {
		t.Fatalf("ledger entries %d→%d, want +2", n0, n1)
	}
	// One more, later: a duplicate.
	r := webhook(t, srv.URL, DevWebhookSecret, body, time.Now())
	if r.status != 200 || strings.TrimSpace(string(r.body)) != `{"received":true,"duplicate":true}` {
		t.Fatalf("late replay: %d %s", r.status, r.body)
	}
}

func TestPaymentWebhookRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	ctx := context.Background()
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
	inv := unpaidInvoice(t, st)
	_, n0 := ledgerCount(t, st, demo.CustomerSK)
	p := startInvoicePayment(t, srv.URL, bills.AccessToken, inv.ID)
	body := completedEvent(t, st, p.PaymentID, inv.Total)

	for name, r := range map[string]response{
		"wrong secret":  webhook(t, srv.URL, "whsec_wrong", body, time.Now()),
		"301 s old":     webhook(t, srv.URL, DevWebhookSecret, body, time.Now().Add(-301*time.Second)),
		"301 s ahead":   webhook(t, srv.URL, DevWebhookSecret, body, time.Now().Add(301*time.Second)),
		"no signature":  do(t, "POST", srv.URL+"/v1/payment-webhooks/devpay", "", string(body)),
		"tampered body": do(t, "POST", srv.URL+"/v1/payment-webhooks/devpay", "", strings.Replace(string(body), `"amount_total":`, `"amount_total":1`, 1), "Stripe-Signature", stripe.SignatureHeader(body, DevWebhookSecret, time.Now())),
		"stripe route":  do(t, "POST", srv.URL+"/v1/payment-webhooks/stripe", "", string(body), "Stripe-Signature", stripe.SignatureHeader(body, "whsec_wrong", time.Now())),
	} {
		if pr := r.problem(t); r.status != 400 || pr.Code != clientzone.EINVALID || pr.Detail != "The webhook signature is invalid." {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	r := do(t, "POST", srv.URL+"/v1/payment-webhooks/paypal", "", string(body), "Stripe-Signature", stripe.SignatureHeader(body, DevWebhookSecret, time.Now()))
	if pr := r.problem(t); r.status != 404 || pr.Code != clientzone.ENOTFOUND {
		t.Errorf("unknown provider: %d %s", r.status, r.body)
	}
	// 299 s old is still fine, and only now is anything applied.
	pay, _ := st.Deps.DB.Payment(ctx, p.PaymentID)
	got, _ := st.Deps.DB.Invoice(ctx, demo.CustomerSK, inv.ID)
	if _, n := ledgerCount(t, st, demo.CustomerSK); n != n0 || pay.Status != clientzone.PaymentPending || got.Status != clientzone.InvoiceUnpaid {
		t.Fatalf("rejected webhooks applied something: ledger %d→%d, payment %s, invoice %s", n0, n, pay.Status, got.Status)
	}
	if r := webhook(t, srv.URL, DevWebhookSecret, body, time.Now().Add(-299*time.Second)); r.status != 200 {
		t.Fatalf("299 s old: %d %s", r.status, r.body)
	}
}

func TestPaymentWebhookAmountMismatch(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	ctx := context.Background()
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
	inv := unpaidInvoice(t, st)
	_, n0 := ledgerCount(t, st, demo.CustomerSK)
	p := startInvoicePayment(t, srv.URL, bills.AccessToken, inv.ID)
	body := completedEvent(t, st, p.PaymentID, clientzone.Money{Amount: inv.Total.Amount - 1, Currency: inv.Total.Currency})
	r := webhook(t, srv.URL, DevWebhookSecret, body, time.Now())
	if pr := r.problem(t); r.status != 409 || pr.Code != clientzone.ECONFLICT || pr.Detail != "The paid amount does not match the payment." {
		t.Fatalf("amount mismatch: %d %s", r.status, r.body)
	}
	pay, _ := st.Deps.DB.Payment(ctx, p.PaymentID)
	got, _ := st.Deps.DB.Invoice(ctx, demo.CustomerSK, inv.ID)
	if _, n := ledgerCount(t, st, demo.CustomerSK); n != n0 || pay.Status != clientzone.PaymentPending || got.Status != clientzone.InvoiceUnpaid {
		t.Fatalf("mismatch applied something: ledger %d→%d, payment %s, invoice %s", n0, n, pay.Status, got.Status)
	}
}

func TestPaymentWebhookExpired(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
	inv := unpaidInvoice(t, st)
	p := startInvoicePayment(t, srv.URL, bills.AccessToken, inv.ID)
	pay, err := st.Deps.DB.Payment(context.Background(), p.PaymentID)
	if err != nil {
		t.Fatal(err)
	}
	body := devpay.Event("evt_"+clientzone.NewID(), "checkout.session.expired", pay.CheckoutID, pay.ID, pay.CustomerID, pay.Amount, time.Now())
	if r := webhook(t, srv.URL, DevWebhookSecret, body, time.Now()); r.status != 200 {
		t.Fatalf("expired: %d %s", r.status, r.body)
	}
	pay, _ = st.Deps.DB.Payment(context.Background(), p.PaymentID)
	if pay.Status != clientzone.PaymentExpired || pay.CompletedAt == nil {
		t.Fatalf("payment %+v", pay)
	}
}

func TestInvoicePaymentAccessAndIdempotency(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	ctx := context.Background()
	admin := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword)
	tech := login(t, srv.URL, "technik", demo.TechPassword)
	inv := unpaidInvoice(t, st)
	path := srv.URL + "/v1/invoices/" + inv.ID + "/payments"

	r := do(t, "POST", path, tech.AccessToken, "", "Idempotency-Key", idemKey())
	if p := r.problem(t); r.status != 403 || p.Code != clientzone.EFORBIDDEN {
		t.Errorf("technik: %d %s", r.status, r.body)
	}
	hu, err := st.Deps.DB.Invoices(ctx, demo.CustomerHU, billing.InvoiceFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	r = do(t, "POST", srv.URL+"/v1/invoices/"+hu.Invoices[0].ID+"/payments", admin.AccessToken, "", "Idempotency-Key", idemKey())
	if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
		t.Errorf("another customer's invoice: %d %s", r.status, r.body)
	}
	paid, err := st.Deps.DB.Invoices(ctx, demo.CustomerSK, billing.InvoiceFilter{Status: clientzone.InvoicePaid, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	r = do(t, "POST", srv.URL+"/v1/invoices/"+paid.Invoices[0].ID+"/payments", admin.AccessToken, "", "Idempotency-Key", idemKey())
	if p := r.problem(t); r.status != 409 || p.Code != clientzone.ECONFLICT {
		t.Errorf("paid invoice: %d %s", r.status, r.body)
	}
	r = do(t, "POST", path, admin.AccessToken, "")
	if p := r.problem(t); r.status != 400 || p.Code != clientzone.EINVALID || len(p.Errors) != 1 || p.Errors[0].Field != "Idempotency-Key" {
		t.Errorf("no Idempotency-Key: %d %s", r.status, r.body)
	}

	key := idemKey()
	first := do(t, "POST", path, admin.AccessToken, "", "Idempotency-Key", key)
	again := do(t, "POST", path, admin.AccessToken, "", "Idempotency-Key", key)
	if first.status != 201 || again.status != 201 || string(first.body) != string(again.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s / %d %s %v", first.status, first.body, again.status, again.body, again.header)
	}
	pays, err := st.Deps.DB.Payments(ctx, demo.CustomerSK, 10)
	if err != nil || len(pays) != 1 {
		t.Fatalf("payments after a retry: %d %v", len(pays), err)
	}
	other, err := st.Deps.DB.Invoices(ctx, demo.CustomerSK, billing.InvoiceFilter{Status: clientzone.InvoiceUnpaid, Limit: 2, Now: time.Now()})
	if err != nil || len(other.Invoices) < 2 {
		t.Fatalf("second unpaid invoice: %v", err)
	}
	r = do(t, "POST", srv.URL+"/v1/invoices/"+other.Invoices[1].ID+"/payments", admin.AccessToken, "", "Idempotency-Key", key)
	if p := r.problem(t); r.status != 409 || p.Code != clientzone.ECONFLICT {
		t.Errorf("same key, other request: %d %s", r.status, r.body)
	}
}

func TestInvoicePaymentProviderFailure(t *testing.T) {
	t.Parallel()
	st, srv, logs := newStack(t)
	ctx := context.Background()
	// The same stack with Stripe at an address where nothing listens.
	dead := httptest.NewServer(nil)
	deadURL := dead.URL
	dead.Close()
	d := *st.Deps
	d.Config.PaymentProvider = "stripe"
	d.Secrets.StripeSecretKey = "sk_test_clientzone_dead"
	d.Config.StripeAPIBase = deadURL
	h, err := cardpay.InvoicePayment(&d)
	if err != nil {
		t.Fatal(err)
	}
	failing := httptest.NewServer(h)
	t.Cleanup(failing.Close)

	admin := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword)
	inv := unpaidInvoice(t, st)
	key := idemKey()
	r := do(t, "POST", failing.URL+"/v1/invoices/"+inv.ID+"/payments", admin.AccessToken, "", "Idempotency-Key", key)
	if p := r.problem(t); r.status != 500 || p.Code != clientzone.EINTERNAL || p.Detail != "Internal error." {
		t.Fatalf("provider down: %d %s", r.status, r.body)
	}
	if pays, err := st.Deps.DB.Payments(ctx, demo.CustomerSK, 10); err != nil || len(pays) != 0 {
		t.Fatalf("payments written after a provider failure: %d %v", len(pays), err)
	}
	if !strings.Contains(logs.String(), "stripe: create checkout session") || strings.Contains(logs.String(), "sk_test_clientzone_dead") {
		t.Errorf("want the provider failure logged without the secret key:\n%s", logs.String())
	}
	// The key was released: the retry (provider back) succeeds.
	r = do(t, "POST", srv.URL+"/v1/invoices/"+inv.ID+"/payments", admin.AccessToken, "", "Idempotency-Key", key)
	if r.status != 201 {
		t.Fatalf("retry after the failure: %d %s", r.status, r.body)
	}
}

func TestTopUpByCard(t *testing.T) {
	t.Parallel()
	st, srv, logs := newStack(t)
	ctx := context.Background()
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
	tech := login(t, srv.URL, "technik", demo.TechPassword)
	balance0, _ := ledgerCount(t, st, demo.CustomerSK)

	for name, tc := range map[string]struct {
		body  string
		field string
	}{
		"other currency": {`{"amount":{"amount":2000,"currency":"HUF"}}`, "amount.currency"},
		"too small":      {`{"amount":{"amount":99,"currency":"EUR"}}`, "amount.amount"},
		"too large":      {`{"amount":{"amount":100000001,"currency":"EUR"}}`, "amount.amount"},
		"missing":        {`{}`, "amount"},
	} {
		r := do(t, "POST", srv.URL+"/v1/top-ups", bills.AccessToken, tc.body, "Idempotency-Key", idemKey())
		if p := r.problem(t); r.status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	r := do(t, "POST", srv.URL+"/v1/top-ups", tech.AccessToken, `{"amount":{"amount":2000,"currency":"EUR"}}`, "Idempotency-Key", idemKey())
	if r.status != 403 {
		t.Errorf("technik: %d %s", r.status, r.body)
	}

	r = do(t, "POST", srv.URL+"/v1/top-ups", bills.AccessToken, `{"amount":{"amount":2000,"currency":"EUR"}}`, "Idempotency-Key", idemKey())
	if r.status != 201 {
		t.Fatalf("top-up: %d %s", r.status, r.body)
	}
	var p payStarted
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	body := completedEvent(t, st, p.PaymentID, clientzone.Money{Amount: 2000, Currency: "EUR"})
	if r := webhook(t, srv.URL, DevWebhookSecret, body, time.Now()); r.status != 200 {
		t.Fatalf("webhook: %d %s", r.status, r.body)
	}
	if balance1, _ := ledgerCount(t, st, demo.CustomerSK); balance1 != balance0+2000 {
		t.Fatalf("balance %d → %d, want +2000", balance0, balance1)
	}
	pay, err := st.Deps.DB.Payment(ctx, p.PaymentID)
	if err != nil || pay.Status != clientzone.PaymentSucceeded || pay.SettledInvoiceID == "" {
		t.Fatalf("payment %+v %v", pay, err)
	}
	// A paid tax invoice was issued for it (VAT 23 % included).
	inv, err := st.Deps.DB.Invoice(ctx, demo.CustomerSK, pay.SettledInvoiceID)
	if err != nil || inv.Status != clientzone.InvoicePaid || inv.Total.Amount != 2000 || inv.VAT.Amount != 374 {
		t.Fatalf("issued invoice %+v %v", inv, err)
	}
	if strings.Contains(logs.String(), DevWebhookSecret) {
		t.Error("the webhook secret is in the logs")
	}
}

// TestPaymentWebhookInvoicePaidMeanwhile: the invoice was paid by bank
// transfer while the customer was in the card checkout; the card money is
// not lost but credited to the prepaid balance.
func TestPaymentWebhookInvoicePaidMeanwhile(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	ctx := context.Background()
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
	inv := unpaidInvoice(t, st)
	p := startInvoicePayment(t, srv.URL, bills.AccessToken, inv.ID)
	svc := &billing.Service{Store: st.Deps.DB, Clock: clientzone.SystemClock{}}
	if _, err := svc.Settle(ctx, billing.Settlement{CustomerID: demo.CustomerSK, Amount: inv.Total, Reference: "bank:test:1", Method: "transfer", InvoiceID: inv.ID}); err != nil {
		t.Fatal(err)
	}
	balance0, _ := ledgerCount(t, st, demo.CustomerSK)
	if r := webhook(t, srv.URL, DevWebhookSecret, completedEvent(t, st, p.PaymentID, inv.Total), time.Now()); r.status != 200 {
		t.Fatalf("webhook: %d %s", r.status, r.body)
	}
	if balance1, _ := ledgerCount(t, st, demo.CustomerSK); balance1 != balance0+inv.Total.Amount {
		t.Fatalf("balance %d → %d, want +%d", balance0, balance1, inv.Total.Amount)
	}
	pay, err := st.Deps.DB.Payment(ctx, p.PaymentID)
	if err != nil || pay.Status != clientzone.PaymentSucceeded || pay.SettledInvoiceID == "" || pay.SettledInvoiceID == inv.ID {
		t.Fatalf("payment %+v %v", pay, err)
	}
}
