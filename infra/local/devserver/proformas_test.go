package devserver

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/billing"
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

// ledgerConsistent checks balance = sum of transactions and returns them.
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
	st, srv, logs := newStack(t)
	ctx := context.Background()
	db := st.Deps.DB
	tk := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword) // invoices + payments rights
	unpaid, err := db.Invoices(ctx, demo.CustomerSK, billing.InvoiceFilter{Status: clientzone.InvoiceUnpaid, Limit: 10})
	if err != nil || len(unpaid.Invoices) != 2 {
		t.Fatalf("unpaid demo invoices: %v %d", err, len(unpaid.Invoices))
	}
	newest, overdue := unpaid.Invoices[0], unpaid.Invoices[1]

	body := `{"purpose":"invoice","invoiceId":"` + newest.ID + `"}`
	r := do(t, "POST", srv.URL+"/v1/proformas", tk.AccessToken, body, "Idempotency-Key", "proforma-key-0001")
	pf := pfDecode[proformaBody](t, r, 201)
	today := time.Now().UTC()
	if pf.Purpose != "invoice" || pf.InvoiceID != newest.ID || pf.Status != "open" || pf.VariableSymbol != "2024001001" ||
		pf.Amount != newest.Total || pf.Number != "PF"+today.Format("2006")+"2024001001" || r.header.Get("Location") != "/v1/proformas/"+pf.ID {
		t.Fatalf("proforma %+v", pf)
	}
	bt := pf.BankTransfer
	if bt == nil || bt.IBAN != "SK3112000000198742637541" || bt.BIC != "TATRSKBX" || bt.Beneficiary == "" ||
		bt.VariableSymbol != pf.VariableSymbol || bt.Amount != newest.Total || bt.DueOn != today.AddDate(0, 0, 14).Format(time.DateOnly) ||
		bt.QR != "BCD\n002\n1\nSCT\nTATRSKBX\n"+bt.Beneficiary+"\nSK3112000000198742637541\nEUR29.90\n\n\n/VS2024001001" {
		t.Fatalf("bank transfer %+v", bt)
	}

	t.Run("Idempotency-Key retry replays without a second proforma", func(t *testing.T) {
		again := do(t, "POST", srv.URL+"/v1/proformas", tk.AccessToken, body, "Idempotency-Key", "proforma-key-0001")
		if again.status != 201 || string(again.body) != string(r.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay %d %s %v", again.status, again.body, again.header)
		}
		other := do(t, "POST", srv.URL+"/v1/proformas", tk.AccessToken, `{"purpose":"top-up","amount":{"amount":1000,"currency":"EUR"}}`,
			"Idempotency-Key", "proforma-key-0001")
		if other.status != 409 {
			t.Fatalf("same key, other body: %d %s", other.status, other.body)
		}
		ps, err := db.Proformas(ctx, demo.CustomerSK, 10)
		if err != nil || len(ps) != 1 {
			t.Fatalf("proformas %d %v", len(ps), err)
		}
		list := pfDecode[struct{ Items []proformaBody }](t, do(t, "GET", srv.URL+"/v1/proformas", tk.AccessToken, ""), 200)
		if len(list.Items) != 1 || list.Items[0].ID != pf.ID || list.Items[0].BankTransfer == nil {
			t.Fatalf("list %+v", list)
		}
	})

	csv := "date;amount;currency;variable_symbol;counterparty;reference\n" +
		"2026-11-23;29,90;EUR;2024001001;Eva Nováková;Zálohová faktúra\n" + // the proforma
		"2026-11-23;29.90;EUR;2024001;Ján Novák;Faktúra\n" + // customer VS, exact amount of the overdue invoice
		"2026-11-23;-45,00;EUR;;Dodávateľ s.r.o.;Nákup\n" + // debit: ignored
		"2026-11-23;12,34;EUR;5550001;Niekto;?\n" // unknown symbol
	res := importStatement(t, srv.URL, "csv", "TB-2026-11-23", csv)
	if res.Lines != 4 || res.Credits != 3 || res.Ignored != 1 || res.Duplicates != 0 || len(res.Matched) != 2 || len(res.Unmatched) != 1 {
		t.Fatalf("import %+v", res)
	}
	m := res.Matched[0]
	if m.Line != 1 || m.Kind != "proforma" || m.ProformaID != pf.ID || m.InvoiceID != newest.ID || m.CustomerID != demo.CustomerSK ||
		m.Reference != "bank:TB-2026-11-23:1" {
		t.Fatalf("proforma line %+v", m)
	}
	if m := res.Matched[1]; m.Line != 2 || m.Kind != "invoice" || m.InvoiceID != overdue.ID {
		t.Fatalf("invoice line %+v", m)
	}
	if u := res.Unmatched[0]; u.Line != 4 || u.VariableSymbol != "5550001" || u.Reason == "" {
		t.Fatalf("unmatched %+v", u)
	}
	for _, id := range []string{newest.ID, overdue.ID} {
		inv, err := db.Invoice(ctx, demo.CustomerSK, id)
		if err != nil || inv.Status != clientzone.InvoicePaid || inv.PaidAt == nil {
			t.Fatalf("invoice %s: %+v %v", id, inv, err)
		}
	}
	stored, err := db.Proforma(ctx, demo.CustomerSK, pf.ID)
	if err != nil || stored.Status != clientzone.ProformaPaid || stored.PaidInvoiceID != newest.ID || stored.PaidAt == nil {
		t.Fatalf("proforma after payment %+v %v", stored, err)
	}
	bal, n := ledgerConsistent(t, db, demo.CustomerSK)
	if bal != 0 || n != 4 { // payment + charge per invoice
		t.Fatalf("balance %d with %d transactions", bal, n)
	}

	t.Run("importing the same statement again applies nothing", func(t *testing.T) {
		again := importStatement(t, srv.URL, "csv", "TB-2026-11-23", csv)
		if again.Duplicates != 2 || len(again.Matched) != 0 || len(again.Unmatched) != 1 {
			t.Fatalf("re-import %+v", again)
		}
		if bal, n := ledgerConsistent(t, db, demo.CustomerSK); bal != 0 || n != 4 {
			t.Fatalf("after re-import: balance %d, %d transactions", bal, n)
		}
	})
	t.Run("an open proforma list shows it paid, without transfer instructions", func(t *testing.T) {
		list := pfDecode[struct{ Items []proformaBody }](t, do(t, "GET", srv.URL+"/v1/proformas", tk.AccessToken, ""), 200)
		if len(list.Items) != 1 || list.Items[0].Status != "paid" || list.Items[0].BankTransfer != nil {
			t.Fatalf("list %+v", list)
		}
	})
	t.Run("a paid invoice cannot get a proforma", func(t *testing.T) {
		r := do(t, "POST", srv.URL+"/v1/proformas", tk.AccessToken, body, "Idempotency-Key", "proforma-key-0002")
		if r.status != 409 || r.problem(t).Code != clientzone.ECONFLICT {
			t.Fatalf("%d %s", r.status, r.body)
		}
	})
	if strings.Contains(logs.String(), tk.AccessToken) {
		t.Fatal("an access token was logged")
	}
}

// A renewal by proforma, paid by a camt.053 credit: the yearly service
// runs one year longer from its old expiry and a paid tax invoice is
// issued. The same statement's other credits: the customer's own symbol
// without a matching invoice tops up the balance, an unknown symbol is
// unmatched, the debit is ignored; a second import doubles nothing.
func TestRenewalByProformaPaidByCAMT053(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	ctx := context.Background()
	db := st.Deps.DB
	tk := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword)
	const hosting = "01JDEM0SK0000000000000SVC3"
	before, err := db.Service(ctx, demo.CustomerSK, hosting)
	if err != nil {
		t.Fatal(err)
	}

	r := do(t, "POST", srv.URL+"/v1/services/"+hosting+"/renewals", tk.AccessToken, `{"periods":1,"method":"proforma"}`,
		"Idempotency-Key", "renewal-key-0001")
	out := pfDecode[struct {
		Method   string       `json:"method"`
		Proforma proformaBody `json:"proforma"`
	}](t, r, 201)
	pf := out.Proforma
	if out.Method != "proforma" || pf.Purpose != "renewal" || pf.ServiceID != hosting || pf.Periods != 1 ||
		pf.Amount != (clientzone.Money{Amount: 5990, Currency: "EUR"}) || pf.BankTransfer == nil {
		t.Fatalf("renewal %s", r.body)
	}
	if after, _ := db.Service(ctx, demo.CustomerSK, hosting); after.ExpiresOn != before.ExpiresOn {
		t.Fatal("a proforma renewal must wait for the payment")
	}
	again := do(t, "POST", srv.URL+"/v1/services/"+hosting+"/renewals", tk.AccessToken, `{"periods":1,"method":"proforma"}`,
		"Idempotency-Key", "renewal-key-0001")
	if again.status != 201 || string(again.body) != string(r.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay %d %s", again.status, again.body)
	}

	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "shared", "billing", "testdata", "camt053_sample.xml"))
	if err != nil {
		t.Fatal(err)
	}
	camt := strings.NewReplacer("{{VS1}}", pf.VariableSymbol, "{{VS2}}", "2024001").Replace(string(raw))
	res := importStatement(t, srv.URL, "camt053", "STMT-2026-11-23", camt)
	if res.Lines != 4 || res.Ignored != 1 || res.Credits != 3 || len(res.Matched) != 2 || len(res.Unmatched) != 1 || res.Duplicates != 0 {
		t.Fatalf("import %+v", res)
	}
	old, _ := time.Parse(time.DateOnly, before.ExpiresOn)
	wantExpiry := old.AddDate(1, 0, 0).Format(time.DateOnly)
	m := res.Matched[0]
	if m.Kind != "proforma" || m.ProformaID != pf.ID || m.ServiceID != hosting || m.ExpiresOn != wantExpiry ||
		m.Reference != "bank:STMT-2026-11-23:TB20261123-000101" || m.InvoiceID == "" {
		t.Fatalf("renewal line %+v (want expiry %s)", m, wantExpiry)
	}
	if m := res.Matched[1]; m.Kind != "top-up" || m.CustomerID != demo.CustomerSK || m.Line != 3 {
		t.Fatalf("top-up line %+v", m)
	}
	if u := res.Unmatched[0]; u.VariableSymbol != "999999" || u.Line != 4 {
		t.Fatalf("unmatched %+v", u)
	}
	svc, err := db.Service(ctx, demo.CustomerSK, hosting)
	if err != nil || svc.ExpiresOn != wantExpiry {
		t.Fatalf("service expiry %s, want %s (%v)", svc.ExpiresOn, wantExpiry, err)
	}
	tax, err := db.Invoice(ctx, demo.CustomerSK, m.InvoiceID)
	if err != nil || tax.Status != clientzone.InvoicePaid || tax.Total != pf.Amount {
		t.Fatalf("tax invoice %+v %v", tax, err)
	}
	stored, _ := db.Proforma(ctx, demo.CustomerSK, pf.ID)
	if stored.Status != clientzone.ProformaPaid || stored.PaidInvoiceID != m.InvoiceID {
		t.Fatalf("proforma %+v", stored)
	}
	bal, n := ledgerConsistent(t, db, demo.CustomerSK)
	if bal != 1000 { // only the 10.00 top-up stays on the balance
		t.Fatalf("balance %d", bal)
	}

	res2 := importStatement(t, srv.URL, "camt053", "STMT-2026-11-23", camt)
	if res2.Duplicates != 2 || len(res2.Matched) != 0 || len(res2.Unmatched) != 1 {
		t.Fatalf("re-import %+v", res2)
	}
	if bal2, n2 := ledgerConsistent(t, db, demo.CustomerSK); bal2 != bal || n2 != n {
		t.Fatalf("re-import changed the ledger: %d/%d → %d/%d", bal, n, bal2, n2)
	}
	if svc, _ := db.Service(ctx, demo.CustomerSK, hosting); svc.ExpiresOn != wantExpiry {
		t.Fatalf("re-import renewed again: %s", svc.ExpiresOn)
	}
}

func TestRenewalAndProformaRules(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	admin := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword)
	tech := login(t, srv.URL, "technik", demo.TechPassword)
	renew := func(tk, sid, body, key string) response {
		return do(t, "POST", srv.URL+"/v1/services/"+sid+"/renewals", tk, body, "Idempotency-Key", key)
	}
	problem := func(t *testing.T, r response, status int, code string) []clientzone.FieldError {
		t.Helper()
		if r.status != status {
			t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
		}
		p := r.problem(t)
		if p.Code != code {
			t.Fatalf("code %q, want %q", p.Code, code)
		}
		var withFields struct {
			Errors []clientzone.FieldError `json:"errors"`
		}
		_ = json.Unmarshal(r.body, &withFields)
		return withFields.Errors
	}
	hasField := func(t *testing.T, r response, field string) {
		t.Helper()
		if !strings.Contains(string(r.body), `"`+field+`"`) {
			t.Fatalf("no field error for %s: %s", field, r.body)
		}
	}

	t.Run("internet service cannot be renewed", func(t *testing.T) {
		problem(t, renew(admin.AccessToken, "01JDEM0SK0000000000000SVC1", `{"periods":1,"method":"proforma"}`, "renew-key-01"), 409, clientzone.ECONFLICT)
	})
	t.Run("another customer's service is 404", func(t *testing.T) {
		problem(t, renew(admin.AccessToken, "01JDEM0HQ0000000000000SVC1", `{"periods":1,"method":"proforma"}`, "renew-key-02"), 404, clientzone.ENOTFOUND)
	})
	t.Run("technik lacks the payments right", func(t *testing.T) {
		problem(t, renew(tech.AccessToken, "01JDEM0SK0000000000000SVC3", `{"periods":1,"method":"proforma"}`, "renew-key-03"), 403, clientzone.EFORBIDDEN)
		problem(t, do(t, "POST", srv.URL+"/v1/proformas", tech.AccessToken, `{"purpose":"top-up","amount":{"amount":1000,"currency":"EUR"}}`,
			"Idempotency-Key", "proforma-tech-1"), 403, clientzone.EFORBIDDEN)
		problem(t, do(t, "GET", srv.URL+"/v1/proformas", tech.AccessToken, ""), 403, clientzone.EFORBIDDEN)
	})
	t.Run("periods and method are validated", func(t *testing.T) {
		r := renew(admin.AccessToken, "01JDEM0SK0000000000000SVC4", `{"periods":6,"method":"cash"}`, "renew-key-04")
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "periods")
		hasField(t, r, "method")
	})
	t.Run("Idempotency-Key is required", func(t *testing.T) {
		r := do(t, "POST", srv.URL+"/v1/services/01JDEM0SK0000000000000SVC4/renewals", admin.AccessToken, `{"periods":1,"method":"proforma"}`)
		problem(t, r, 400, clientzone.EINVALID)
	})
	t.Run("card renewal extends the service as soon as the payment is confirmed", func(t *testing.T) {
		ctx := context.Background()
		before, err := st.Deps.DB.Contract(ctx, demo.CustomerSK, demo.ContractSK)
		if err != nil {
			t.Fatal(err)
		}
		var oldExpiry string
		for _, sv := range before.Services {
			if sv.ID == "01JDEM0SK0000000000000SVC4" {
				oldExpiry = sv.ExpiresOn
			}
		}
		r := renew(admin.AccessToken, "01JDEM0SK0000000000000SVC4", `{"periods":1,"method":"card"}`, "renew-key-05")
		out := pfDecode[struct {
			Method      string
			PaymentID   string
			CheckoutURL string
		}](t, r, 201)
		if out.Method != "card" || out.PaymentID == "" || out.CheckoutURL == "" {
			t.Fatalf("card renewal answer: %s", r.body)
		}
		pay, err := st.Deps.DB.Payment(ctx, out.PaymentID)
		if err != nil || pay.Purpose != clientzone.PaymentForRenewal || pay.Amount.Amount != 1500 || pay.Periods != 1 {
			t.Fatalf("payment %+v %v", pay, err)
		}
		// Paying on the (dev) checkout page sends the signed webhook.
		u, err := url.Parse(out.CheckoutURL)
		if err != nil {
			t.Fatal(err)
		}
		if r := do(t, "GET", srv.URL+u.RequestURI(), "", ""); r.status != 200 {
			t.Fatalf("dev checkout: %d %s", r.status, r.body)
		}
		after, err := st.Deps.DB.Contract(ctx, demo.CustomerSK, demo.ContractSK)
		if err != nil {
			t.Fatal(err)
		}
		old, _ := time.Parse(time.DateOnly, oldExpiry)
		for _, sv := range after.Services {
			if sv.ID == "01JDEM0SK0000000000000SVC4" && sv.ExpiresOn != old.AddDate(1, 0, 0).Format(time.DateOnly) {
				t.Errorf("domain expiry %s after a yearly card renewal, was %s", sv.ExpiresOn, oldExpiry)
			}
		}
	})
	t.Run("domain renewal for 2 years", func(t *testing.T) {
		r := renew(admin.AccessToken, "01JDEM0SK0000000000000SVC4", `{"periods":2,"method":"proforma"}`, "renew-key-06")
		out := pfDecode[struct{ Proforma proformaBody }](t, r, 201)
		if out.Proforma.Amount.Amount != 3000 || out.Proforma.Periods != 2 {
			t.Fatalf("%s", r.body)
		}
	})
	t.Run("top-up proforma", func(t *testing.T) {
		r := do(t, "POST", srv.URL+"/v1/proformas", admin.AccessToken, `{"purpose":"top-up","amount":{"amount":5000,"currency":"EUR"}}`,
			"Idempotency-Key", "proforma-topup-1")
		pf := pfDecode[proformaBody](t, r, 201)
		if pf.Purpose != "top-up" || pf.Amount.Amount != 5000 || pf.BankTransfer == nil || !strings.HasSuffix(pf.BankTransfer.QR, "EUR50.00\n\n\n/VS"+pf.VariableSymbol) {
			t.Fatalf("%s", r.body)
		}
	})
	t.Run("top-up proforma validation", func(t *testing.T) {
		r := do(t, "POST", srv.URL+"/v1/proformas", admin.AccessToken, `{"purpose":"top-up","amount":{"amount":5000,"currency":"HUF"}}`,
			"Idempotency-Key", "proforma-topup-2", "Accept-Language", "sk")
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "amount.currency")
		r = do(t, "POST", srv.URL+"/v1/proformas", admin.AccessToken, `{"purpose":"invoice"}`, "Idempotency-Key", "proforma-topup-3")
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "invoiceId")
		r = do(t, "POST", srv.URL+"/v1/proformas", admin.AccessToken, `{"purpose":"gift"}`, "Idempotency-Key", "proforma-topup-4")
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "purpose")
	})
	t.Run("another customer's invoice is 404", func(t *testing.T) {
		hu := login(t, srv.URL, "admin@kovacs.hu", demo.HUPassword)
		page := pfDecode[invoiceList](t, do(t, "GET", srv.URL+"/v1/invoices", admin.AccessToken, ""), 200)
		r := do(t, "POST", srv.URL+"/v1/proformas", hu.AccessToken, `{"purpose":"invoice","invoiceId":"`+page.Items[0].ID+`"}`,
			"Idempotency-Key", "proforma-hu-0001")
		problem(t, r, 404, clientzone.ENOTFOUND)
	})
	t.Run("bank statement input errors", func(t *testing.T) {
		r := do(t, "POST", srv.URL+"/admin/v1/bank-statements", "", `{"format":"mt940","statementId":"X1","content":"x"}`)
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "format")
		r = do(t, "POST", srv.URL+"/admin/v1/bank-statements", "", `{"format":"csv","statementId":"X1","content":"date;amount\n1;2\n"}`)
		problem(t, r, 400, clientzone.EINVALID)
		hasField(t, r, "content")
		r = do(t, "POST", srv.URL+"/admin/v1/bank-statements", "", `{"format":"camt053","statementId":"X1","content":"<Document>"}`)
		problem(t, r, 400, clientzone.EINVALID)
	})
}

// Credits that cannot settle what their symbol points at: a proforma paid
// with another amount tops up its customer's balance instead; a transfer in
// another currency than the customer's is left unmatched.
func TestBankImportFallbacks(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	ctx := context.Background()
	tk := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword)
	pf := pfDecode[proformaBody](t, do(t, "POST", srv.URL+"/v1/proformas", tk.AccessToken,
		`{"purpose":"top-up","amount":{"amount":2000,"currency":"EUR"}}`, "Idempotency-Key", "fallback-key-1"), 201)
	csv := "Date,Amount,Currency,Variable_Symbol\n" +
		"2026-11-23,\"15,00\",EUR," + pf.VariableSymbol + "\n" + // less than the proforma
		"2026-11-23,100.00,EUR,7700123\n" // HU customer keeps HUF
	res := importStatement(t, srv.URL, "csv", "FALLBACK-1", csv)
	if len(res.Matched) != 1 || res.Matched[0].Kind != "top-up" || res.Matched[0].CustomerID != demo.CustomerSK ||
		len(res.Unmatched) != 1 || res.Unmatched[0].VariableSymbol != "7700123" {
		t.Fatalf("import %+v", res)
	}
	if p, _ := st.Deps.DB.Proforma(ctx, demo.CustomerSK, pf.ID); p.Status != clientzone.ProformaOpen {
		t.Fatalf("a short payment must leave the proforma open: %+v", p)
	}
	if bal, _ := ledgerConsistent(t, st.Deps.DB, demo.CustomerSK); bal != 1500 {
		t.Fatalf("balance %d", bal)
	}
	if bal, n := ledgerConsistent(t, st.Deps.DB, demo.CustomerHU); bal != 0 || n != 0 {
		t.Fatalf("HU ledger %d/%d", bal, n)
	}
}
