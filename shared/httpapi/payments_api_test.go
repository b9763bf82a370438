package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/shared/app/cardpay"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/payments/devpay"
	"github.com/clientzone/clientzone/shared/payments/stripe"
)

type payStarted struct {
	PaymentID   string    `json:"paymentId"`
	CheckoutURL string    `json:"checkoutUrl"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

func idemKey() string { return "test-" + clientzone.NewID() }

// payer is a household with one unpaid invoice, due in 13 days, to pay.
func payer(t *testing.T, s *apitest.Stack) (*household, *clientzone.Invoice) {
	t.Helper()
	h := newHousehold(t, s)
	return h, s.NewInvoice(t, h.Customer, apitest.InvoiceSpec{})
}

func startInvoicePayment(t *testing.T, s *apitest.Stack, token, invoiceID string) payStarted {
	t.Helper()
	r := s.Do(t, "POST", "/v1/invoices/"+invoiceID+"/payments", token, "", "Idempotency-Key", idemKey())
	if r.Status != 201 {
		t.Fatalf("start payment: %d %s", r.Status, r.Body)
	}
	var p payStarted
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// webhook posts a devpay (Stripe-format) event signed at time at.
func webhook(t *testing.T, s *apitest.Stack, secret string, body []byte, at time.Time) apitest.Response {
	t.Helper()
	return s.Do(t, "POST", "/v1/payment-webhooks/devpay", "", string(body), "Stripe-Signature", stripe.SignatureHeader(body, secret, at))
}

// completedEvent is a paid checkout event of payment p (the checkout id is
// in no answer: the payment is read from the store).
func completedEvent(t *testing.T, s *apitest.Stack, paymentID string, amount clientzone.Money) []byte {
	t.Helper()
	p, err := s.Deps.DB.Payment(context.Background(), paymentID)
	if err != nil {
		t.Fatal(err)
	}
	return devpay.Event("evt_"+clientzone.NewID(), "checkout.session.completed", p.CheckoutID, p.ID, p.CustomerID, amount, time.Now())
}

// ledgerCount sums the customer's ledger and checks the balance agrees
// (the count and the balance item are in no answer: read from the store).
func ledgerCount(t *testing.T, s *apitest.Stack, cid string) (int64, int) {
	t.Helper()
	sum, n, err := s.Deps.DB.SumTransactions(context.Background(), cid)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Deps.DB.Balance(context.Background(), cid, "EUR")
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
	s := apitest.Start(t)
	h, inv := payer(t, s)
	ctx := context.Background()
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	balance0, n0 := ledgerCount(t, s, h.ID)

	p := startInvoicePayment(t, s, bills.AccessToken, inv.ID)
	if !strings.HasPrefix(p.CheckoutURL, s.URL+"/dev/checkout/cs_dev_") || p.ExpiresAt.Before(time.Now()) {
		t.Fatalf("started %+v", p)
	}
	pay, err := s.Deps.DB.Payment(ctx, p.PaymentID)
	if err != nil {
		t.Fatal(err)
	}
	if pay.Status != clientzone.PaymentPending || pay.InvoiceID != inv.ID || pay.Amount != inv.Total || pay.Purpose != clientzone.PaymentForInvoice ||
		pay.CustomerID != h.ID || pay.Provider != devpay.Name || pay.CheckoutID == "" {
		t.Fatalf("payment %+v", pay)
	}

	// The signed webhook of the paid checkout.
	body := completedEvent(t, s, p.PaymentID, inv.Total)
	r := webhook(t, s, devserver.DevWebhookSecret, body, time.Now())
	if r.Status != 200 || strings.TrimSpace(string(r.Body)) != `{"received":true}` {
		t.Fatalf("webhook: %d %s", r.Status, r.Body)
	}
	got, err := s.Deps.DB.Invoice(ctx, h.ID, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != clientzone.InvoicePaid || got.PaidAt == nil {
		t.Fatalf("invoice after payment %+v", got)
	}
	balance1, n1 := ledgerCount(t, s, h.ID)
	if balance1 != balance0 || n1 != n0+2 {
		t.Fatalf("ledger: balance %d→%d, entries %d→%d; want unchanged balance and 2 entries", balance0, balance1, n0, n1)
	}
	txns, err := s.Deps.DB.Transactions(ctx, h.ID, 2, "")
	if err != nil {
		t.Fatal(err)
	}
	if txns.Transactions[1].Kind != clientzone.TxnPayment || txns.Transactions[1].Amount.Amount != inv.Total.Amount ||
		txns.Transactions[0].Kind != clientzone.TxnCharge || txns.Transactions[0].Amount.Amount != -inv.Total.Amount ||
		txns.Transactions[0].InvoiceID != inv.ID {
		t.Fatalf("ledger entries %+v", txns.Transactions)
	}
	pay, err = s.Deps.DB.Payment(ctx, p.PaymentID)
	if err != nil {
		t.Fatal(err)
	}
	if pay.Status != clientzone.PaymentSucceeded || pay.CompletedAt == nil || pay.SettledInvoiceID != inv.ID {
		t.Fatalf("payment after webhook %+v", pay)
	}
	// The customer sees it paid.
	r = s.Do(t, "GET", "/v1/invoices/"+inv.ID, bills.AccessToken, "")
	if r.Status != 200 || !strings.Contains(string(r.Body), `"status":"paid"`) {
		t.Fatalf("invoice get: %d %s", r.Status, r.Body)
	}
	// The same invoice again: nothing to pay.
	r = s.Do(t, "POST", "/v1/invoices/"+inv.ID+"/payments", bills.AccessToken, "", "Idempotency-Key", idemKey())
	if p := r.Problem(t); r.Status != 409 || p.Code != clientzone.ECONFLICT {
		t.Fatalf("paying a paid invoice: %d %s", r.Status, r.Body)
	}
	if strings.Contains(s.Logs.String(), devserver.DevWebhookSecret) || strings.Contains(s.Logs.String(), "v1=") {
		t.Error("the webhook secret or a signature is in the logs")
	}
}

func TestPayInvoiceThroughDevCheckoutPage(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h, inv := payer(t, s)
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	p := startInvoicePayment(t, s, bills.AccessToken, inv.ID)
	u, err := url.Parse(p.CheckoutURL)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Do(t, "GET", u.RequestURI(), "", "")
	if r.Status != 200 || !strings.Contains(string(r.Body), `{"received":true}`) {
		t.Fatalf("dev checkout page: %d %s", r.Status, r.Body)
	}
	got, err := s.Deps.DB.Invoice(context.Background(), h.ID, inv.ID)
	if err != nil || got.Status != clientzone.InvoicePaid {
		t.Fatalf("invoice %+v %v", got, err)
	}
}

func TestPaymentWebhookReplayedConcurrently(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h, inv := payer(t, s)
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	_, n0 := ledgerCount(t, s, h.ID)
	p := startInvoicePayment(t, s, bills.AccessToken, inv.ID)
	body := completedEvent(t, s, p.PaymentID, inv.Total)

	var wg sync.WaitGroup
	results := make([]apitest.Response, 5)
	for i := range results {
		wg.Go(func() { results[i] = webhook(t, s, devserver.DevWebhookSecret, body, time.Now()) })
	}
	wg.Wait()
	fresh := 0
	for _, r := range results {
		if r.Status != 200 {
			t.Fatalf("replay: %d %s", r.Status, r.Body)
		}
		switch strings.TrimSpace(string(r.Body)) {
		case `{"received":true}`:
			fresh++
		case `{"received":true,"duplicate":true}`:
		default:
			t.Fatalf("replay body %s", r.Body)
		}
	}
	if fresh != 1 {
		t.Fatalf("%d deliveries applied, want 1", fresh)
	}
	if _, n1 := ledgerCount(t, s, h.ID); n1 != n0+2 {
		t.Fatalf("ledger entries %d→%d, want +2", n0, n1)
	}
	// One more, later: a duplicate.
	r := webhook(t, s, devserver.DevWebhookSecret, body, time.Now())
	if r.Status != 200 || strings.TrimSpace(string(r.Body)) != `{"received":true,"duplicate":true}` {
		t.Fatalf("late replay: %d %s", r.Status, r.Body)
	}
}

func TestPaymentWebhookRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h, inv := payer(t, s)
	ctx := context.Background()
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	_, n0 := ledgerCount(t, s, h.ID)
	p := startInvoicePayment(t, s, bills.AccessToken, inv.ID)
	body := completedEvent(t, s, p.PaymentID, inv.Total)

	for name, r := range map[string]apitest.Response{
		"wrong secret":  webhook(t, s, "whsec_wrong", body, time.Now()),
		"301 s old":     webhook(t, s, devserver.DevWebhookSecret, body, time.Now().Add(-301*time.Second)),
		"301 s ahead":   webhook(t, s, devserver.DevWebhookSecret, body, time.Now().Add(301*time.Second)),
		"no signature":  s.Do(t, "POST", "/v1/payment-webhooks/devpay", "", string(body)),
		"tampered body": s.Do(t, "POST", "/v1/payment-webhooks/devpay", "", strings.Replace(string(body), `"amount_total":`, `"amount_total":1`, 1), "Stripe-Signature", stripe.SignatureHeader(body, devserver.DevWebhookSecret, time.Now())),
		"stripe route":  s.Do(t, "POST", "/v1/payment-webhooks/stripe", "", string(body), "Stripe-Signature", stripe.SignatureHeader(body, "whsec_wrong", time.Now())),
	} {
		if pr := r.Problem(t); r.Status != 400 || pr.Code != clientzone.EINVALID || pr.Detail != "The webhook signature is invalid." {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	r := s.Do(t, "POST", "/v1/payment-webhooks/paypal", "", string(body), "Stripe-Signature", stripe.SignatureHeader(body, devserver.DevWebhookSecret, time.Now()))
	if pr := r.Problem(t); r.Status != 404 || pr.Code != clientzone.ENOTFOUND {
		t.Errorf("unknown provider: %d %s", r.Status, r.Body)
	}
	// 299 s old is still fine, and only now is anything applied.
	pay, _ := s.Deps.DB.Payment(ctx, p.PaymentID)
	got, _ := s.Deps.DB.Invoice(ctx, h.ID, inv.ID)
	if _, n := ledgerCount(t, s, h.ID); n != n0 || pay.Status != clientzone.PaymentPending || got.Status != clientzone.InvoiceUnpaid {
		t.Fatalf("rejected webhooks applied something: ledger %d→%d, payment %s, invoice %s", n0, n, pay.Status, got.Status)
	}
	if r := webhook(t, s, devserver.DevWebhookSecret, body, time.Now().Add(-299*time.Second)); r.Status != 200 {
		t.Fatalf("299 s old: %d %s", r.Status, r.Body)
	}
}

func TestPaymentWebhookAmountMismatch(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h, inv := payer(t, s)
	ctx := context.Background()
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	_, n0 := ledgerCount(t, s, h.ID)
	p := startInvoicePayment(t, s, bills.AccessToken, inv.ID)
	body := completedEvent(t, s, p.PaymentID, clientzone.Money{Amount: inv.Total.Amount - 1, Currency: inv.Total.Currency})
	r := webhook(t, s, devserver.DevWebhookSecret, body, time.Now())
	if pr := r.Problem(t); r.Status != 409 || pr.Code != clientzone.ECONFLICT || pr.Detail != "The paid amount does not match the payment." {
		t.Fatalf("amount mismatch: %d %s", r.Status, r.Body)
	}
	pay, _ := s.Deps.DB.Payment(ctx, p.PaymentID)
	got, _ := s.Deps.DB.Invoice(ctx, h.ID, inv.ID)
	if _, n := ledgerCount(t, s, h.ID); n != n0 || pay.Status != clientzone.PaymentPending || got.Status != clientzone.InvoiceUnpaid {
		t.Fatalf("mismatch applied something: ledger %d→%d, payment %s, invoice %s", n0, n, pay.Status, got.Status)
	}
}

func TestPaymentWebhookExpired(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h, inv := payer(t, s)
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	p := startInvoicePayment(t, s, bills.AccessToken, inv.ID)
	pay, err := s.Deps.DB.Payment(context.Background(), p.PaymentID)
	if err != nil {
		t.Fatal(err)
	}
	body := devpay.Event("evt_"+clientzone.NewID(), "checkout.session.expired", pay.CheckoutID, pay.ID, pay.CustomerID, pay.Amount, time.Now())
	if r := webhook(t, s, devserver.DevWebhookSecret, body, time.Now()); r.Status != 200 {
		t.Fatalf("expired: %d %s", r.Status, r.Body)
	}
	pay, _ = s.Deps.DB.Payment(context.Background(), p.PaymentID)
	if pay.Status != clientzone.PaymentExpired || pay.CompletedAt == nil {
		t.Fatalf("payment %+v", pay)
	}
}

func TestInvoicePaymentAccessAndIdempotency(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h, inv := payer(t, s)
	ctx := context.Background()
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	tech := s.Login(t, h.Tech.Email, h.Tech.Password)
	path := "/v1/invoices/" + inv.ID + "/payments"

	r := s.Do(t, "POST", path, tech.AccessToken, "", "Idempotency-Key", idemKey())
	if p := r.Problem(t); r.Status != 403 || p.Code != clientzone.EFORBIDDEN {
		t.Errorf("technik: %d %s", r.Status, r.Body)
	}
	hu, _ := hufAccount(t, s)
	huInv := s.NewInvoice(t, hu.Customer, apitest.InvoiceSpec{})
	r = s.Do(t, "POST", "/v1/invoices/"+huInv.ID+"/payments", admin.AccessToken, "", "Idempotency-Key", idemKey())
	if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
		t.Errorf("another customer's invoice: %d %s", r.Status, r.Body)
	}
	paid := s.NewInvoice(t, h.Customer, apitest.InvoiceSpec{Status: clientzone.InvoicePaid, IssuedOn: time.Now().AddDate(0, -1, 0)})
	r = s.Do(t, "POST", "/v1/invoices/"+paid.ID+"/payments", admin.AccessToken, "", "Idempotency-Key", idemKey())
	if p := r.Problem(t); r.Status != 409 || p.Code != clientzone.ECONFLICT {
		t.Errorf("paid invoice: %d %s", r.Status, r.Body)
	}
	r = s.Do(t, "POST", path, admin.AccessToken, "")
	if p := r.Problem(t); r.Status != 400 || p.Code != clientzone.EINVALID || len(p.Errors) != 1 || p.Errors[0].Field != "Idempotency-Key" {
		t.Errorf("no Idempotency-Key: %d %s", r.Status, r.Body)
	}

	key := idemKey()
	first := s.Do(t, "POST", path, admin.AccessToken, "", "Idempotency-Key", key)
	again := s.Do(t, "POST", path, admin.AccessToken, "", "Idempotency-Key", key)
	if first.Status != 201 || again.Status != 201 || string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s / %d %s %v", first.Status, first.Body, again.Status, again.Body, again.Header)
	}
	pays, err := s.Deps.DB.Payments(ctx, h.ID, 10)
	if err != nil || len(pays) != 1 {
		t.Fatalf("payments after a retry: %d %v", len(pays), err)
	}
	other := s.NewInvoice(t, h.Customer, apitest.InvoiceSpec{IssuedOn: time.Now().AddDate(0, 0, -20)})
	r = s.Do(t, "POST", "/v1/invoices/"+other.ID+"/payments", admin.AccessToken, "", "Idempotency-Key", key)
	if p := r.Problem(t); r.Status != 409 || p.Code != clientzone.ECONFLICT {
		t.Errorf("same key, other request: %d %s", r.Status, r.Body)
	}
}

func TestInvoicePaymentProviderFailure(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h, inv := payer(t, s)
	ctx := context.Background()
	// The same stack with Stripe at an address where nothing listens.
	dead := httptest.NewServer(nil)
	deadURL := dead.URL
	dead.Close()
	d := *s.Deps
	d.Config.PaymentProvider = "stripe"
	d.Secrets.StripeSecretKey = "sk_test_clientzone_dead"
	d.Config.StripeAPIBase = deadURL
	handler, err := cardpay.InvoicePayment(&d)
	if err != nil {
		t.Fatal(err)
	}
	failing := httptest.NewServer(handler)
	t.Cleanup(failing.Close)

	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	key := idemKey()
	r := apitest.Do(t, "POST", failing.URL+"/v1/invoices/"+inv.ID+"/payments", admin.AccessToken, "", "Idempotency-Key", key)
	if p := r.Problem(t); r.Status != 500 || p.Code != clientzone.EINTERNAL || p.Detail != "Internal error." {
		t.Fatalf("provider down: %d %s", r.Status, r.Body)
	}
	if pays, err := s.Deps.DB.Payments(ctx, h.ID, 10); err != nil || len(pays) != 0 {
		t.Fatalf("payments written after a provider failure: %d %v", len(pays), err)
	}
	if !strings.Contains(s.Logs.String(), "stripe: create checkout session") || strings.Contains(s.Logs.String(), "sk_test_clientzone_dead") {
		t.Errorf("want the provider failure logged without the secret key:\n%s", s.Logs.String())
	}
	// The key was released: the retry (provider back) succeeds.
	r = s.Do(t, "POST", "/v1/invoices/"+inv.ID+"/payments", admin.AccessToken, "", "Idempotency-Key", key)
	if r.Status != 201 {
		t.Fatalf("retry after the failure: %d %s", r.Status, r.Body)
	}
}

func TestTopUpByCard(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ctx := context.Background()
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	tech := s.Login(t, h.Tech.Email, h.Tech.Password)
	balance0, _ := ledgerCount(t, s, h.ID)

	for name, tc := range map[string]struct {
		body  string
		field string
	}{
		"other currency": {`{"amount":{"amount":2000,"currency":"HUF"}}`, "amount.currency"},
		"too small":      {`{"amount":{"amount":99,"currency":"EUR"}}`, "amount.amount"},
		"too large":      {`{"amount":{"amount":100000001,"currency":"EUR"}}`, "amount.amount"},
		"missing":        {`{}`, "amount"},
	} {
		r := s.Do(t, "POST", "/v1/top-ups", bills.AccessToken, tc.body, "Idempotency-Key", idemKey())
		if p := r.Problem(t); r.Status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	r := s.Do(t, "POST", "/v1/top-ups", tech.AccessToken, `{"amount":{"amount":2000,"currency":"EUR"}}`, "Idempotency-Key", idemKey())
	if r.Status != 403 {
		t.Errorf("technik: %d %s", r.Status, r.Body)
	}

	r = s.Do(t, "POST", "/v1/top-ups", bills.AccessToken, `{"amount":{"amount":2000,"currency":"EUR"}}`, "Idempotency-Key", idemKey())
	if r.Status != 201 {
		t.Fatalf("top-up: %d %s", r.Status, r.Body)
	}
	var p payStarted
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	body := completedEvent(t, s, p.PaymentID, clientzone.Money{Amount: 2000, Currency: "EUR"})
	if r := webhook(t, s, devserver.DevWebhookSecret, body, time.Now()); r.Status != 200 {
		t.Fatalf("webhook: %d %s", r.Status, r.Body)
	}
	if balance1, _ := ledgerCount(t, s, h.ID); balance1 != balance0+2000 {
		t.Fatalf("balance %d → %d, want +2000", balance0, balance1)
	}
	pay, err := s.Deps.DB.Payment(ctx, p.PaymentID)
	if err != nil || pay.Status != clientzone.PaymentSucceeded || pay.SettledInvoiceID == "" {
		t.Fatalf("payment %+v %v", pay, err)
	}
	// A paid tax invoice was issued for it (VAT 23 % included).
	inv, err := s.Deps.DB.Invoice(ctx, h.ID, pay.SettledInvoiceID)
	if err != nil || inv.Status != clientzone.InvoicePaid || inv.Total.Amount != 2000 || inv.VAT.Amount != 374 {
		t.Fatalf("issued invoice %+v %v", inv, err)
	}
	if strings.Contains(s.Logs.String(), devserver.DevWebhookSecret) {
		t.Error("the webhook secret is in the logs")
	}
}

// TestPaymentWebhookInvoicePaidMeanwhile: the invoice was paid by bank
// transfer while the customer was in the card checkout; the card money is
// not lost but credited to the prepaid balance.
func TestPaymentWebhookInvoicePaidMeanwhile(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h, inv := payer(t, s)
	ctx := context.Background()
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	p := startInvoicePayment(t, s, bills.AccessToken, inv.ID)
	svc := &billing.Service{Store: s.Deps.DB, Clock: clientzone.SystemClock{}}
	if _, err := svc.Settle(ctx, billing.Settlement{CustomerID: h.ID, Amount: inv.Total, Reference: "bank:test:1", Method: "transfer", InvoiceID: inv.ID}); err != nil {
		t.Fatal(err)
	}
	balance0, _ := ledgerCount(t, s, h.ID)
	if r := webhook(t, s, devserver.DevWebhookSecret, completedEvent(t, s, p.PaymentID, inv.Total), time.Now()); r.Status != 200 {
		t.Fatalf("webhook: %d %s", r.Status, r.Body)
	}
	if balance1, _ := ledgerCount(t, s, h.ID); balance1 != balance0+inv.Total.Amount {
		t.Fatalf("balance %d → %d, want +%d", balance0, balance1, inv.Total.Amount)
	}
	pay, err := s.Deps.DB.Payment(ctx, p.PaymentID)
	if err != nil || pay.Status != clientzone.PaymentSucceeded || pay.SettledInvoiceID == "" || pay.SettledInvoiceID == inv.ID {
		t.Fatalf("payment %+v %v", pay, err)
	}
}
