package devserver

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// ownPayer makes a customer with an admin person and an unpaid invoice
// through the back office, logs the person in and returns the access token
// and the invoice id.
func ownPayer(t *testing.T, base string) (token, invoiceID string) {
	t.Helper()
	suffix := strings.ToLower(clientzone.NewID())
	cid, email, pw := "crm-pay-"+suffix, "pay-"+suffix+"@example.sk", "Pay-Heslo-"+suffix
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	people, _ := json.Marshal(map[string]any{"persons": []any{map[string]any{"name": "Platca", "email": email, "role": "admin",
		"language": "sk", "passwordHash": string(hash)}}})
	today := time.Now().UTC()
	eur := func(a int64) map[string]any { return map[string]any{"amount": a, "currency": "EUR"} }
	invoice, _ := json.Marshal(map[string]any{"number": "PAY-" + suffix, "status": "unpaid",
		"issuedOn": today.AddDate(0, 0, -3).Format(time.DateOnly), "dueOn": today.AddDate(0, 0, 11).Format(time.DateOnly),
		"total": eur(1230), "vat": eur(230),
		"lines": []any{map[string]any{"description": "Web", "quantity": 1, "unitPrice": eur(1230), "total": eur(1230)}}})
	invoiceID = clientzone.NewID()
	for _, step := range []struct{ method, path, body string }{
		{"PUT", "/admin/v1/customers/" + cid, customerBody(func(m map[string]any) { m["email"], m["variableSymbol"] = email, "4000029" })},
		{"POST", "/admin/v1/customers/" + cid + "/persons/import", string(people)},
		{"PUT", "/admin/v1/customers/" + cid + "/invoices/" + invoiceID, string(invoice)},
	} {
		if r := do(t, step.method, base+step.path, "", step.body); r.status != 200 && r.status != 201 {
			t.Fatalf("%s %s: %d %s", step.method, step.path, r.status, r.body)
		}
	}
	return login(t, base, email, pw).AccessToken, invoiceID
}

// TestDevPayCheckoutFollowsBaseURL: devpay's checkout link points at the
// dev server's real address (Options.BaseURL, here the test server's),
// and opening that very link pays the invoice.
func TestDevPayCheckoutFollowsBaseURL(t *testing.T) {
	t.Parallel()
	_, srv, _ := newStack(t)
	token, inv := ownPayer(t, srv.URL)
	p := startInvoicePayment(t, srv.URL, token, inv)
	if !strings.HasPrefix(p.CheckoutURL, srv.URL+"/dev/checkout/cs_dev_") || strings.Contains(srv.URL, ":8080") {
		t.Fatalf("checkoutUrl %q, want one on %s", p.CheckoutURL, srv.URL)
	}
	if r := do(t, "GET", p.CheckoutURL, "", ""); r.status != 200 || !strings.Contains(string(r.body), `{"received":true}`) {
		t.Fatalf("opening the checkout link: %d %s", r.status, r.body)
	}
	r := do(t, "GET", srv.URL+"/v1/invoices/"+inv, token, "")
	if r.status != 200 || !strings.Contains(string(r.body), `"status":"paid"`) {
		t.Fatalf("invoice after paying: %d %s", r.status, r.body)
	}
}
