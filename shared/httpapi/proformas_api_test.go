package httpapi_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
)

type proformaBody struct {
	ID             string           `json:"id"`
	Number         string           `json:"number"`
	VariableSymbol string           `json:"variableSymbol"`
	Amount         clientzone.Money `json:"amount"`
	Purpose        string           `json:"purpose"`
	InvoiceID      string           `json:"invoiceId"`
	ServiceID      string           `json:"serviceId"`
	Periods        int              `json:"periods"`
	Status         string           `json:"status"`
	DueOn          string           `json:"dueOn"`
	BankTransfer   *struct {
		IBAN           string           `json:"iban"`
		BIC            string           `json:"bic"`
		Beneficiary    string           `json:"beneficiary"`
		VariableSymbol string           `json:"variableSymbol"`
		Amount         clientzone.Money `json:"amount"`
		DueOn          string           `json:"dueOn"`
		QR             string           `json:"qr"`
	} `json:"bankTransfer"`
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

func pfDecode[T any](t *testing.T, r apitest.Response, status int) T {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func importStatement(t *testing.T, s *apitest.Stack, format, id, content string) importBody {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"format": format, "statementId": id, "content": content})
	return pfDecode[importBody](t, s.Do(t, "POST", "/admin/v1/bank-statements", "", string(b)), 200)
}

// ledgerConsistent checks balance = sum of transactions and returns them
// (the count and the balance item are in no answer: read from the store).
func ledgerConsistent(t *testing.T, db *dynamo.DB, cid string) (balance int64, n int) {
	t.Helper()
	ctx := context.Background()
	bal, err := db.Balance(ctx, cid, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	sum, n, err := db.SumTransactions(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	if sum != bal.Amount.Amount {
		t.Fatalf("balance %d != sum of %d transactions %d", bal.Amount.Amount, n, sum)
	}
	return bal.Amount.Amount, n
}

// A proforma for an unpaid invoice, paid by a CSV bank line with its
// variable symbol: the invoice and the proforma are paid, once, whatever
// the number of imports; a line with the customer's own symbol and the
// exact amount of another unpaid invoice pays that one.
func TestProformaForInvoicePaidByBankCSV(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	ctx := context.Background()
	db := s.Deps.DB
	h := newHousehold(t, s)
	invoices := h.withInvoices(t, s, h.withContract(t, s).ID)
	tk := s.Login(t, h.Bills.Email, h.Bills.Password) // invoices + payments rights
	newest, overdue := invoices[0], invoices[1]
	vs := h.VariableSymbol
	stmt := apitest.Unique("TB-2026-11-23-")

	key1 := idemKey()
	body := `{"purpose":"invoice","invoiceId":"` + newest.ID + `"}`
	r := s.Do(t, "POST", "/v1/proformas", tk.AccessToken, body, "Idempotency-Key", key1)
	pf := pfDecode[proformaBody](t, r, 201)
	today := time.Now().UTC()
	if pf.Purpose != "invoice" || pf.InvoiceID != newest.ID || pf.Status != "open" || pf.VariableSymbol != vs+"001" ||
		pf.Amount != newest.Total || pf.Number != "PF"+today.Format("2006")+vs+"001" || r.Header.Get("Location") != "/v1/proformas/"+pf.ID {
		t.Fatalf("proforma %+v", pf)
	}
	bt := pf.BankTransfer
	if bt == nil || bt.IBAN != "SK3112000000198742637541" || bt.BIC != "TATRSKBX" || bt.Beneficiary == "" ||
		bt.VariableSymbol != pf.VariableSymbol || bt.Amount != newest.Total || bt.DueOn != today.AddDate(0, 0, 14).Format(time.DateOnly) ||
		bt.QR != "BCD\n002\n1\nSCT\nTATRSKBX\n"+bt.Beneficiary+"\nSK3112000000198742637541\nEUR29.90\n\n\n/VS"+vs+"001" {
		t.Fatalf("bank transfer %+v", bt)
	}

	t.Run("Idempotency-Key retry replays without a second proforma", func(t *testing.T) {
		again := s.Do(t, "POST", "/v1/proformas", tk.AccessToken, body, "Idempotency-Key", key1)
		if again.Status != 201 || string(again.Body) != string(r.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay %d %s %v", again.Status, again.Body, again.Header)
		}
		other := s.Do(t, "POST", "/v1/proformas", tk.AccessToken, `{"purpose":"top-up","amount":{"amount":1000,"currency":"EUR"}}`,
			"Idempotency-Key", key1)
		if other.Status != 409 {
			t.Fatalf("same key, other body: %d %s", other.Status, other.Body)
		}
		ps, err := db.Proformas(ctx, h.ID, 10)
		if err != nil || len(ps) != 1 {
			t.Fatalf("proformas %d %v", len(ps), err)
		}
		list := pfDecode[struct{ Items []proformaBody }](t, s.Do(t, "GET", "/v1/proformas", tk.AccessToken, ""), 200)
		if len(list.Items) != 1 || list.Items[0].ID != pf.ID || list.Items[0].BankTransfer == nil {
			t.Fatalf("list %+v", list)
		}
	})

	csv := "date;amount;currency;variable_symbol;counterparty;reference\n" +
		"2026-11-23;29,90;EUR;" + vs + "001;Eva Nováková;Zálohová faktúra\n" + // the proforma
		"2026-11-23;29.90;EUR;" + vs + ";Ján Novák;Faktúra\n" + // customer VS, exact amount of the overdue invoice
		"2026-11-23;-45,00;EUR;;Dodávateľ s.r.o.;Nákup\n" + // debit: ignored
		"2026-11-23;12,34;EUR;4440001;Niekto;?\n" // unknown symbol
	res := importStatement(t, s, "csv", stmt, csv)
	if res.Lines != 4 || res.Credits != 3 || res.Ignored != 1 || res.Duplicates != 0 || len(res.Matched) != 2 || len(res.Unmatched) != 1 {
		t.Fatalf("import %+v", res)
	}
	m := res.Matched[0]
	if m.Line != 1 || m.Kind != "proforma" || m.ProformaID != pf.ID || m.InvoiceID != newest.ID || m.CustomerID != h.ID ||
		m.Reference != "bank:"+stmt+":1" {
		t.Fatalf("proforma line %+v", m)
	}
	if m := res.Matched[1]; m.Line != 2 || m.Kind != "invoice" || m.InvoiceID != overdue.ID {
		t.Fatalf("invoice line %+v", m)
	}
	if u := res.Unmatched[0]; u.Line != 4 || u.VariableSymbol != "4440001" || u.Reason == "" {
		t.Fatalf("unmatched %+v", u)
	}
	for _, id := range []string{newest.ID, overdue.ID} {
		inv, err := db.Invoice(ctx, h.ID, id)
		if err != nil || inv.Status != clientzone.InvoicePaid || inv.PaidAt == nil {
			t.Fatalf("invoice %s: %+v %v", id, inv, err)
		}
	}
	stored, err := db.Proforma(ctx, h.ID, pf.ID)
	if err != nil || stored.Status != clientzone.ProformaPaid || stored.PaidInvoiceID != newest.ID || stored.PaidAt == nil {
		t.Fatalf("proforma after payment %+v %v", stored, err)
	}
	bal, n := ledgerConsistent(t, db, h.ID)
	if bal != 0 || n != 4 { // payment + charge per invoice
		t.Fatalf("balance %d with %d transactions", bal, n)
	}

	t.Run("importing the same statement again applies nothing", func(t *testing.T) {
		again := importStatement(t, s, "csv", stmt, csv)
		if again.Duplicates != 2 || len(again.Matched) != 0 || len(again.Unmatched) != 1 {
			t.Fatalf("re-import %+v", again)
		}
		if bal, n := ledgerConsistent(t, db, h.ID); bal != 0 || n != 4 {
			t.Fatalf("after re-import: balance %d, %d transactions", bal, n)
		}
	})
	t.Run("an open proforma list shows it paid, without transfer instructions", func(t *testing.T) {
		list := pfDecode[struct{ Items []proformaBody }](t, s.Do(t, "GET", "/v1/proformas", tk.AccessToken, ""), 200)
		if len(list.Items) != 1 || list.Items[0].Status != "paid" || list.Items[0].BankTransfer != nil {
			t.Fatalf("list %+v", list)
		}
	})
	t.Run("a paid invoice cannot get a proforma", func(t *testing.T) {
		r := s.Do(t, "POST", "/v1/proformas", tk.AccessToken, body, "Idempotency-Key", idemKey())
		if r.Status != 409 || r.Problem(t).Code != clientzone.ECONFLICT {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	s.NoSecretsInLogs(t, tk.AccessToken)
}

// A renewal by proforma, paid by a camt.053 credit: the yearly service
// runs one year longer from its old expiry and a paid tax invoice is
// issued. The same statement's other credits: the customer's own symbol
// without a matching invoice tops up the balance, an unknown symbol is
// unmatched, the debit is ignored; a second import doubles nothing.
func TestRenewalByProformaPaidByCAMT053(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	ctx := context.Background()
	db := s.Deps.DB
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	tk := s.Login(t, h.Admin.Email, h.Admin.Password)
	hosting := ct.Services[2].ID
	stmt := apitest.Unique("STMT-2026-11-23-")
	// The service's version and expiry as stored, read around the renewal.
	before, err := db.Service(ctx, h.ID, hosting)
	if err != nil {
		t.Fatal(err)
	}

	renewKey := idemKey()
	r := s.Do(t, "POST", "/v1/services/"+hosting+"/renewals", tk.AccessToken, `{"periods":1,"method":"proforma"}`,
		"Idempotency-Key", renewKey)
	out := pfDecode[struct {
		Method   string       `json:"method"`
		Proforma proformaBody `json:"proforma"`
	}](t, r, 201)
	pf := out.Proforma
	if out.Method != "proforma" || pf.Purpose != "renewal" || pf.ServiceID != hosting || pf.Periods != 1 ||
		pf.Amount != (clientzone.Money{Amount: 5990, Currency: "EUR"}) || pf.BankTransfer == nil {
		t.Fatalf("renewal %s", r.Body)
	}
	if after, _ := db.Service(ctx, h.ID, hosting); after.ExpiresOn != before.ExpiresOn {
		t.Fatal("a proforma renewal must wait for the payment")
	}
	again := s.Do(t, "POST", "/v1/services/"+hosting+"/renewals", tk.AccessToken, `{"periods":1,"method":"proforma"}`,
		"Idempotency-Key", renewKey)
	if again.Status != 201 || string(again.Body) != string(r.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay %d %s", again.Status, again.Body)
	}

	raw, err := os.ReadFile(filepath.Join("..", "billing", "testdata", "camt053_sample.xml"))
	if err != nil {
		t.Fatal(err)
	}
	camt := strings.NewReplacer("{{VS1}}", pf.VariableSymbol, "{{VS2}}", h.VariableSymbol).Replace(string(raw))
	res := importStatement(t, s, "camt053", stmt, camt)
	if res.Lines != 4 || res.Ignored != 1 || res.Credits != 3 || len(res.Matched) != 2 || len(res.Unmatched) != 1 || res.Duplicates != 0 {
		t.Fatalf("import %+v", res)
	}
	old, _ := time.Parse(time.DateOnly, before.ExpiresOn)
	wantExpiry := old.AddDate(1, 0, 0).Format(time.DateOnly)
	m := res.Matched[0]
	if m.Kind != "proforma" || m.ProformaID != pf.ID || m.ServiceID != hosting || m.ExpiresOn != wantExpiry ||
		m.Reference != "bank:"+stmt+":TB20261123-000101" || m.InvoiceID == "" {
		t.Fatalf("renewal line %+v (want expiry %s)", m, wantExpiry)
	}
	if m := res.Matched[1]; m.Kind != "top-up" || m.CustomerID != h.ID || m.Line != 3 {
		t.Fatalf("top-up line %+v", m)
	}
	if u := res.Unmatched[0]; u.VariableSymbol != "999999" || u.Line != 4 {
		t.Fatalf("unmatched %+v", u)
	}
	svc, err := db.Service(ctx, h.ID, hosting)
	if err != nil || svc.ExpiresOn != wantExpiry {
		t.Fatalf("service expiry %s, want %s (%v)", svc.ExpiresOn, wantExpiry, err)
	}
	tax, err := db.Invoice(ctx, h.ID, m.InvoiceID)
	if err != nil || tax.Status != clientzone.InvoicePaid || tax.Total != pf.Amount {
		t.Fatalf("tax invoice %+v %v", tax, err)
	}
	stored, _ := db.Proforma(ctx, h.ID, pf.ID)
	if stored.Status != clientzone.ProformaPaid || stored.PaidInvoiceID != m.InvoiceID {
		t.Fatalf("proforma %+v", stored)
	}
	bal, n := ledgerConsistent(t, db, h.ID)
	if bal != 1000 { // only the 10.00 top-up stays on the balance
		t.Fatalf("balance %d", bal)
	}

	res2 := importStatement(t, s, "camt053", stmt, camt)
	if res2.Duplicates != 2 || len(res2.Matched) != 0 || len(res2.Unmatched) != 1 {
		t.Fatalf("re-import %+v", res2)
	}
	if bal2, n2 := ledgerConsistent(t, db, h.ID); bal2 != bal || n2 != n {
		t.Fatalf("re-import changed the ledger: %d/%d → %d/%d", bal, n, bal2, n2)
	}
	if svc, _ := db.Service(ctx, h.ID, hosting); svc.ExpiresOn != wantExpiry {
		t.Fatalf("re-import renewed again: %s", svc.ExpiresOn)
	}
}

func TestRenewalAndProformaRules(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	h.withInvoices(t, s, ct.ID)
	hu, huCt := hufAccount(t, s)
	internet, hosting, domain := ct.Services[0].ID, ct.Services[2].ID, ct.Services[3].ID
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	tech := s.Login(t, h.Tech.Email, h.Tech.Password)
	renew := func(tk, sid, body, key string) apitest.Response {
		return s.Do(t, "POST", "/v1/services/"+sid+"/renewals", tk, body, "Idempotency-Key", key)
	}
	problem := func(t *testing.T, r apitest.Response, status int, code string) []clientzone.FieldError {
		t.Helper()
		if r.Status != status {
			t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
		}
		p := r.Problem(t)
		if p.Code != code {
			t.Fatalf("code %q, want %q", p.Code, code)
		}
		var withFields struct {
			Errors []clientzone.FieldError `json:"errors"`
		}
		_ = json.Unmarshal(r.Body, &withFields)
		return withFields.Errors
	}
	hasField := func(t *testing.T, r apitest.Response, field string) {
		t.Helper()
		if !strings.Contains(string(r.Body), `"`+field+`"`) {
			t.Fatalf("no field error for %s: %s", field, r.Body)
		}
	}

	t.Run("internet service cannot be renewed", func(t *testing.T) {
		problem(t, renew(admin.AccessToken, internet, `{"periods":1,"method":"proforma"}`, "renew-key-01"), 409, clientzone.ECONFLICT)
	})
	t.Run("another customer's service is 404", func(t *testing.T) {
		problem(t, renew(admin.AccessToken, huCt.Services[0].ID, `{"periods":1,"method":"proforma"}`, "renew-key-02"), 404, clientzone.ENOTFOUND)
	})
	t.Run("technik lacks the payments right", func(t *testing.T) {
		problem(t, renew(tech.AccessToken, hosting, `{"periods":1,"method":"proforma"}`, "renew-key-03"), 403, clientzone.EFORBIDDEN)
		problem(t, s.Do(t, "POST", "/v1/proformas", tech.AccessToken, `{"purpose":"top-up","amount":{"amount":1000,"currency":"EUR"}}`,
			"Idempotency-Key", "proforma-tech-1"), 403, clientzone.EFORBIDDEN)
		problem(t, s.Do(t, "GET", "/v1/proformas", tech.AccessToken, ""), 403, clientzone.EFORBIDDEN)
	})
	t.Run("periods and method are validated", func(t *testing.T) {
		r := renew(admin.AccessToken, domain, `{"periods":6,"method":"cash"}`, "renew-key-04")
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "periods")
		hasField(t, r, "method")
	})
	t.Run("Idempotency-Key is required", func(t *testing.T) {
		r := s.Do(t, "POST", "/v1/services/"+domain+"/renewals", admin.AccessToken, `{"periods":1,"method":"proforma"}`)
		problem(t, r, 400, clientzone.EINVALID)
	})
	t.Run("card renewal extends the service as soon as the payment is confirmed", func(t *testing.T) {
		ctx := context.Background()
		before, err := s.Deps.DB.Contract(ctx, h.ID, ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		var oldExpiry string
		for _, sv := range before.Services {
			if sv.ID == domain {
				oldExpiry = sv.ExpiresOn
			}
		}
		r := renew(admin.AccessToken, domain, `{"periods":1,"method":"card"}`, "renew-key-05")
		out := pfDecode[struct {
			Method      string
			PaymentID   string
			CheckoutURL string
		}](t, r, 201)
		if out.Method != "card" || out.PaymentID == "" || out.CheckoutURL == "" {
			t.Fatalf("card renewal answer: %s", r.Body)
		}
		pay, err := s.Deps.DB.Payment(ctx, out.PaymentID)
		if err != nil || pay.Purpose != clientzone.PaymentForRenewal || pay.Amount.Amount != 1500 || pay.Periods != 1 {
			t.Fatalf("payment %+v %v", pay, err)
		}
		// Paying on the (dev) checkout page sends the signed webhook.
		u, err := url.Parse(out.CheckoutURL)
		if err != nil {
			t.Fatal(err)
		}
		if r := s.Do(t, "GET", u.RequestURI(), "", ""); r.Status != 200 {
			t.Fatalf("dev checkout: %d %s", r.Status, r.Body)
		}
		after, err := s.Deps.DB.Contract(ctx, h.ID, ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		old, _ := time.Parse(time.DateOnly, oldExpiry)
		for _, sv := range after.Services {
			if sv.ID == domain && sv.ExpiresOn != old.AddDate(1, 0, 0).Format(time.DateOnly) {
				t.Errorf("domain expiry %s after a yearly card renewal, was %s", sv.ExpiresOn, oldExpiry)
			}
		}
	})
	t.Run("domain renewal for 2 years", func(t *testing.T) {
		r := renew(admin.AccessToken, domain, `{"periods":2,"method":"proforma"}`, "renew-key-06")
		out := pfDecode[struct{ Proforma proformaBody }](t, r, 201)
		if out.Proforma.Amount.Amount != 3000 || out.Proforma.Periods != 2 {
			t.Fatalf("%s", r.Body)
		}
	})
	t.Run("top-up proforma", func(t *testing.T) {
		r := s.Do(t, "POST", "/v1/proformas", admin.AccessToken, `{"purpose":"top-up","amount":{"amount":5000,"currency":"EUR"}}`,
			"Idempotency-Key", "proforma-topup-1")
		pf := pfDecode[proformaBody](t, r, 201)
		if pf.Purpose != "top-up" || pf.Amount.Amount != 5000 || pf.BankTransfer == nil || !strings.HasSuffix(pf.BankTransfer.QR, "EUR50.00\n\n\n/VS"+pf.VariableSymbol) {
			t.Fatalf("%s", r.Body)
		}
	})
	t.Run("top-up proforma validation", func(t *testing.T) {
		r := s.Do(t, "POST", "/v1/proformas", admin.AccessToken, `{"purpose":"top-up","amount":{"amount":5000,"currency":"HUF"}}`,
			"Idempotency-Key", "proforma-topup-2", "Accept-Language", "sk")
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "amount.currency")
		r = s.Do(t, "POST", "/v1/proformas", admin.AccessToken, `{"purpose":"invoice"}`, "Idempotency-Key", "proforma-topup-3")
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "invoiceId")
		r = s.Do(t, "POST", "/v1/proformas", admin.AccessToken, `{"purpose":"gift"}`, "Idempotency-Key", "proforma-topup-4")
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "purpose")
	})
	t.Run("another customer's invoice is 404", func(t *testing.T) {
		page := pfDecode[invoiceList](t, s.Do(t, "GET", "/v1/invoices", admin.AccessToken, ""), 200)
		r := s.Do(t, "POST", "/v1/proformas", hu.Token, `{"purpose":"invoice","invoiceId":"`+page.Items[0].ID+`"}`,
			"Idempotency-Key", "proforma-hu-0001")
		problem(t, r, 404, clientzone.ENOTFOUND)
	})
	t.Run("bank statement input errors", func(t *testing.T) {
		r := s.Do(t, "POST", "/admin/v1/bank-statements", "", `{"format":"mt940","statementId":"X1","content":"x"}`)
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "format")
		r = s.Do(t, "POST", "/admin/v1/bank-statements", "", `{"format":"csv","statementId":"X1","content":"date;amount\n1;2\n"}`)
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "content")
		r = s.Do(t, "POST", "/admin/v1/bank-statements", "", `{"format":"camt053","statementId":"X1","content":"<Document>"}`)
		problem(t, r, 400, clientzone.EINVALID)
	})
}

// Credits that cannot settle what their symbol points at: a proforma paid
// with another amount tops up its customer's balance instead; a transfer in
// another currency than the customer's is left unmatched.
func TestBankImportFallbacks(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t)
	ctx := context.Background()
	h := newHousehold(t, s)
	hu, _ := hufAccount(t, s)
	tk := s.Login(t, h.Admin.Email, h.Admin.Password)
	pf := pfDecode[proformaBody](t, s.Do(t, "POST", "/v1/proformas", tk.AccessToken,
		`{"purpose":"top-up","amount":{"amount":2000,"currency":"EUR"}}`, "Idempotency-Key", idemKey()), 201)
	csv := "Date,Amount,Currency,Variable_Symbol\n" +
		"2026-11-23,\"15,00\",EUR," + pf.VariableSymbol + "\n" + // less than the proforma
		"2026-11-23,100.00,EUR," + hu.VariableSymbol + "\n" // HU customer keeps HUF
	res := importStatement(t, s, "csv", apitest.Unique("FALLBACK-"), csv)
	if len(res.Matched) != 1 || res.Matched[0].Kind != "top-up" || res.Matched[0].CustomerID != h.ID ||
		len(res.Unmatched) != 1 || res.Unmatched[0].VariableSymbol != hu.VariableSymbol {
		t.Fatalf("import %+v", res)
	}
	if p, _ := s.Deps.DB.Proforma(ctx, h.ID, pf.ID); p.Status != clientzone.ProformaOpen {
		t.Fatalf("a short payment must leave the proforma open: %+v", p)
	}
	if bal, _ := ledgerConsistent(t, s.Deps.DB, h.ID); bal != 1500 {
		t.Fatalf("balance %d", bal)
	}
	if bal, n := ledgerConsistent(t, s.Deps.DB, hu.ID); bal != 0 || n != 0 {
		t.Fatalf("HU ledger %d/%d", bal, n)
	}
}
