package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
)

// balProblem checks a problem answer's status and code (and, when field is
// set, that it names that field).
func balProblem(t *testing.T, r apitest.Response, status int, code, field string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	p := r.Problem(t)
	if p.Code != code {
		t.Fatalf("code %q, want %q: %s", p.Code, code, r.Body)
	}
	if field != "" {
		for _, f := range p.Errors {
			if f.Field == field {
				return
			}
		}
		t.Fatalf("no field error for %q: %s", field, r.Body)
	}
}

func balJSON[T any](t *testing.T, r apitest.Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	return v
}

// balBook books one ledger entry for customer cid.
func balBook(t *testing.T, db *dynamo.DB, cid, kind string, amount int64, cur string) {
	t.Helper()
	tx := db.NewTx()
	if err := tx.Ledger(&clientzone.Transaction{CustomerID: cid, Kind: kind, Amount: clientzone.Money{Amount: amount, Currency: cur},
		Description: kind, CreatedAt: time.Now().UTC()}, billing.LedgerOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

type balTxnList struct {
	Items []struct {
		ID        string           `json:"id"`
		Kind      string           `json:"kind"`
		Amount    clientzone.Money `json:"amount"`
		InvoiceID string           `json:"invoiceId"`
	} `json:"items"`
	NextCursor string `json:"nextCursor"`
}

func TestBalanceAndTransactions(t *testing.T) {
	s := apitest.Start(t)
	db := s.Deps.DB
	h := newHousehold(t, s)
	hu, _ := hufAccount(t, s)
	// No API books arbitrary ledger entries (top-ups and fees come from
	// payments and jobs, tested with those): this test reads the ledger, so
	// it books in the store. 25 entries, oldest first: every 5th a fee.
	var sum int64
	for i := range 25 {
		kind, amount := clientzone.TxnTopUp, int64(1000+i)
		if i%5 == 4 {
			kind, amount = clientzone.TxnFee, -100
		}
		balBook(t, db, h.ID, kind, amount, "EUR")
		sum += amount
	}
	eva := s.Login(t, h.Bills.Email, h.Bills.Password)

	r := s.Do(t, "GET", "/v1/balance", eva.AccessToken, "")
	if r.Status != 200 {
		t.Fatalf("balance: %d %s", r.Status, r.Body)
	}
	bal := balJSON[billing.BalanceView](t, r)
	if bal.Balance != (clientzone.Money{Amount: sum, Currency: "EUR"}) || bal.Autopay.Enabled || bal.UpdatedAt == nil {
		t.Errorf("balance = %+v, want %d EUR", bal, sum)
	}

	// Pages of 10, newest first, until there is no cursor.
	var all []string
	cursor := ""
	for pages := 0; ; pages++ {
		u := "/v1/transactions?limit=10"
		if cursor != "" {
			u += "&cursor=" + cursor
		}
		r := s.Do(t, "GET", u, eva.AccessToken, "")
		if r.Status != 200 {
			t.Fatalf("transactions: %d %s", r.Status, r.Body)
		}
		page := balJSON[balTxnList](t, r)
		if len(page.Items) > 10 {
			t.Fatalf("page of %d", len(page.Items))
		}
		for _, it := range page.Items {
			all = append(all, it.ID)
		}
		if cursor = page.NextCursor; cursor == "" || pages > 5 {
			break
		}
	}
	if len(all) != 25 {
		t.Fatalf("%d transactions, want 25", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1] <= all[i] {
			t.Fatalf("not newest first at %d: %s, %s", i, all[i-1], all[i])
		}
	}
	// Default page size is 20.
	if page := balJSON[balTxnList](t, s.Do(t, "GET", "/v1/transactions", eva.AccessToken, "")); len(page.Items) != 20 || page.NextCursor == "" {
		t.Errorf("default page: %d items, cursor %q", len(page.Items), page.NextCursor)
	}

	// Kind filter: pages may be short, but following the cursor finds all 5 fees.
	fees := 0
	cursor = ""
	for pages := 0; pages < 20; pages++ {
		u := "/v1/transactions?kind=fee&limit=4"
		if cursor != "" {
			u += "&cursor=" + cursor
		}
		page := balJSON[balTxnList](t, s.Do(t, "GET", u, eva.AccessToken, ""))
		for _, it := range page.Items {
			if it.Kind != clientzone.TxnFee || it.Amount.Amount != -100 {
				t.Errorf("kind filter returned %+v", it)
			}
			fees++
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if fees != 5 {
		t.Errorf("found %d fees, want 5", fees)
	}

	// Bad input.
	balProblem(t, s.Do(t, "GET", "/v1/transactions?kind=bonus", eva.AccessToken, ""), 400, clientzone.EINVALID, "kind")
	balProblem(t, s.Do(t, "GET", "/v1/transactions?limit=0", eva.AccessToken, ""), 400, clientzone.EINVALID, "limit")
	balProblem(t, s.Do(t, "GET", "/v1/transactions?limit=101", eva.AccessToken, ""), 400, clientzone.EINVALID, "limit")

	// No payments right: 403. Another customer sees only their own (empty, HUF).
	tech := s.Login(t, h.Tech.Email, h.Tech.Password)
	balProblem(t, s.Do(t, "GET", "/v1/balance", tech.AccessToken, ""), 403, clientzone.EFORBIDDEN, "")
	balProblem(t, s.Do(t, "GET", "/v1/transactions", tech.AccessToken, ""), 403, clientzone.EFORBIDDEN, "")
	if b := balJSON[billing.BalanceView](t, s.Do(t, "GET", "/v1/balance", hu.Token, "")); b.Balance != (clientzone.Money{Currency: "HUF"}) {
		t.Errorf("HU balance = %+v", b)
	}
	if p := balJSON[balTxnList](t, s.Do(t, "GET", "/v1/transactions", hu.Token, "")); len(p.Items) != 0 {
		t.Errorf("HU sees %d transactions", len(p.Items))
	}
	// SK's cursor does not open SK's ledger to HU.
	skPage := balJSON[balTxnList](t, s.Do(t, "GET", "/v1/transactions?limit=1", eva.AccessToken, ""))
	if r := s.Do(t, "GET", "/v1/transactions?cursor="+skPage.NextCursor, hu.Token, ""); r.Status != 400 {
		t.Errorf("foreign cursor: %d %s", r.Status, r.Body)
	}
}

func TestAutopayAndPayFromBalance(t *testing.T) {
	s := apitest.Start(t)
	ctx := context.Background()
	db := s.Deps.DB
	h := newHousehold(t, s)
	h.withInvoices(t, s, h.withContract(t, s).ID)
	eva := s.Login(t, h.Bills.Email, h.Bills.Password)

	balProblem(t, s.Do(t, "PUT", "/v1/autopay", eva.AccessToken, `{"method":"card"}`), 400, clientzone.EINVALID, "method")
	balProblem(t, s.Do(t, "PUT", "/v1/autopay", eva.AccessToken, `{"method":"balance","threshold":{"amount":100,"currency":"HUF"}}`),
		400, clientzone.EINVALID, "threshold.currency")
	tech := s.Login(t, h.Tech.Email, h.Tech.Password)
	balProblem(t, s.Do(t, "PUT", "/v1/autopay", tech.AccessToken, `{"method":"balance"}`), 403, clientzone.EFORBIDDEN, "")

	r := s.Do(t, "PUT", "/v1/autopay", eva.AccessToken, `{"method":"balance","threshold":{"amount":5000,"currency":"EUR"}}`)
	if r.Status != 200 {
		t.Fatalf("enable: %d %s", r.Status, r.Body)
	}
	if a := balJSON[clientzone.Autopay](t, r); !a.Enabled || a.Method != "balance" || a.Threshold == nil || a.Threshold.Amount != 5000 {
		t.Errorf("enabled = %+v", a)
	}
	// Who changed autopay is in no answer: read it from the store.
	if a, err := db.Autopay(ctx, h.ID); err != nil || !a.Enabled || a.UpdatedBy != h.Bills.ID {
		t.Errorf("stored = %+v, %v", a, err)
	}
	if b := balJSON[billing.BalanceView](t, s.Do(t, "GET", "/v1/balance", eva.AccessToken, "")); !b.Autopay.Enabled {
		t.Errorf("balance shows autopay %+v", b.Autopay)
	}
	r = s.Do(t, "DELETE", "/v1/autopay", eva.AccessToken, "")
	if r.Status != 200 || !strings.Contains(string(r.Body), `"enabled":false`) {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	if a, err := db.Autopay(ctx, h.ID); err != nil || a.Enabled {
		t.Errorf("stored after disable = %+v, %v", a, err)
	}
	var actions []string
	for _, e := range auditLog(t, s, s.LoginAs(t, h.Admin)) {
		actions = append(actions, e.Action)
	}
	if s := strings.Join(actions, ","); !strings.Contains(s, "autopay.enable") || !strings.Contains(s, "autopay.disable") {
		t.Errorf("audit actions = %v", actions)
	}

	// What the autopay job calls: pay the unpaid invoices from the
	// balance (the use case, called as the job calls it).
	unpaid, err := db.Invoices(ctx, h.ID, billing.InvoiceFilter{Status: clientzone.InvoiceUnpaid, Limit: 10, Now: time.Now()})
	if err != nil || len(unpaid.Invoices) != 2 {
		t.Fatalf("unpaid demo invoices: %v, %v", unpaid, err)
	}
	p := &billing.Prepaid{Store: db, Clock: clientzone.SystemClock{}, Currency: "EUR"}
	first, second := unpaid.Invoices[0], unpaid.Invoices[1]
	if _, err := p.PayFromBalance(ctx, h.ID, first.ID); err != billing.ErrInsufficientBalance {
		t.Fatalf("empty balance: %v", err)
	}
	balBook(t, db, h.ID, clientzone.TxnTopUp, 5000, "EUR")
	res, err := p.PayFromBalance(ctx, h.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Balance.Amount != 5000-first.Total.Amount {
		t.Errorf("balance after = %+v", res.Balance)
	}
	if _, err := p.PayFromBalance(ctx, h.ID, first.ID); clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Errorf("paid twice: %v", err)
	}
	if _, err := p.PayFromBalance(ctx, h.ID, second.ID); err != billing.ErrInsufficientBalance {
		t.Errorf("second invoice with %d left: %v", res.Balance.Amount, err)
	}
	// The API shows it: the invoice is paid, the charge is in the history.
	list := balJSON[invoiceList](t, s.Do(t, "GET", "/v1/invoices?status=unpaid", eva.AccessToken, ""))
	if len(list.Items) != 1 || list.Items[0].ID != second.ID {
		t.Errorf("unpaid after = %+v", list.Items)
	}
	charges := balJSON[balTxnList](t, s.Do(t, "GET", "/v1/transactions?kind=charge", eva.AccessToken, ""))
	if len(charges.Items) != 1 || charges.Items[0].InvoiceID != first.ID || charges.Items[0].Amount.Amount != -first.Total.Amount {
		t.Errorf("charges = %+v", charges.Items)
	}
	b, _ := db.Balance(ctx, h.ID, "EUR")
	sum, _, _ := db.SumTransactions(ctx, h.ID)
	if b.Amount.Amount != sum {
		t.Errorf("balance %d != sum %d", b.Amount.Amount, sum)
	}
}

const (
	balIBAN     = "SK31 1200 0000 1987 4263 7541"
	balIBANFlat = "SK3112000000198742637541"
)

func TestDirectDebit(t *testing.T) {
	s := apitest.Start(t)
	ctx := context.Background()
	db := s.Deps.DB
	h := newHousehold(t, s)
	pin := s.IssuePIN(t, h.Customer)
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	eva := s.Login(t, h.Bills.Email, h.Bills.Password)
	body := func(pin, iban string, accepted bool) string {
		b, _ := json.Marshal(map[string]any{"pin": pin, "iban": iban, "accountHolder": "Ján Novák", "mandateAccepted": accepted})
		return string(b)
	}
	u := "/v1/customer/direct-debit"
	balProblem(t, s.Do(t, "PUT", u, eva.AccessToken, body(pin, balIBAN, true)), 403, clientzone.EFORBIDDEN, "")
	balProblem(t, s.Do(t, "PUT", u, admin.AccessToken, body(pin, "SK31 1200 0000 1987 4263 7542", true)), 400, clientzone.EINVALID, "iban")
	balProblem(t, s.Do(t, "PUT", u, admin.AccessToken, body(pin, "DE89 3704 0044 0532 0130", true)), 400, clientzone.EINVALID, "iban")
	balProblem(t, s.Do(t, "PUT", u, admin.AccessToken, body(pin, balIBAN, false)), 400, clientzone.EINVALID, "mandateAccepted")
	balProblem(t, s.Do(t, "PUT", u, admin.AccessToken, `{"iban":"`+balIBAN+`","accountHolder":"Ján Novák","mandateAccepted":true}`), 403, clientzone.EPINREQUIRED, "")
	balProblem(t, s.Do(t, "PUT", u, admin.AccessToken, body("1111", balIBAN, true)), 403, clientzone.EPININVALID, "")
	if _, err := db.DirectDebitMandate(ctx, h.ID); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("mandate stored before success: %v", err)
	}

	r := s.Do(t, "PUT", u, admin.AccessToken, body(pin, strings.ToLower(balIBAN), true))
	if r.Status != 200 {
		t.Fatalf("setup: %d %s", r.Status, r.Body)
	}
	m := balJSON[map[string]any](t, r)
	if m["iban"] != "SK31 **** **** **** **** 7541" || m["status"] != "active" || m["accountHolder"] != "Ján Novák" || m["id"] == "" {
		t.Errorf("answer = %v", m)
	}
	if strings.Contains(string(r.Body), balIBANFlat) || strings.Contains(string(r.Body), "1987") {
		t.Errorf("answer shows the IBAN: %s", r.Body)
	}
	stored, err := db.DirectDebitMandate(ctx, h.ID)
	if err != nil || stored.IBAN != balIBANFlat || stored.ID != m["id"] || stored.SignedBy != h.Admin.ID || stored.Status != clientzone.MandateActive {
		t.Fatalf("stored = %+v, %v", stored, err)
	}
	found := false
	for _, e := range auditLog(t, s, admin.AccessToken) {
		if e.Action == "direct-debit.setup" {
			found = true
			if e.Details["iban"] != "SK31 **** **** **** **** 7541" || e.ActorID != h.Admin.ID {
				t.Errorf("audit = %+v", e)
			}
		}
		if strings.Contains(fmt.Sprint(e.Details), "1987") {
			t.Errorf("audit entry holds the IBAN: %+v", e)
		}
	}
	if !found {
		t.Error("no direct-debit.setup audit entry")
	}
	mail := s.LastMessage(t, func(m clientzone.Message) bool { return m.Template == "direct-debit-mandate" && m.CustomerID == h.ID })
	if mail == nil || mail.To != h.Email || mail.Language != clientzone.LangSK || mail.Data["iban"] != "SK31 **** **** **** **** 7541" ||
		strings.Contains(fmt.Sprint(mail.Data), "1987") {
		t.Errorf("mail = %+v", mail)
	}

	// A new mandate replaces the old one.
	r = s.Do(t, "PUT", u, admin.AccessToken, body(pin, "AT61 1904 3002 3457 3201", true))
	if r.Status != 200 || !strings.Contains(string(r.Body), "AT61 **** **** **** 3201") {
		t.Fatalf("replace: %d %s", r.Status, r.Body)
	}
	if now, err := db.DirectDebitMandate(ctx, h.ID); err != nil || now.IBAN != "AT611904300234573201" || now.ID == stored.ID {
		t.Errorf("after replace = %+v, %v", now, err)
	}

	for _, secret := range []string{balIBANFlat, "1200 0000 1987", "19043002", `"` + pin + `"`, "=" + pin} {
		if strings.Contains(s.Logs.String(), secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

type balStandingOrder struct {
	Eligible       bool                `json:"eligible"`
	Reasons        []string            `json:"reasons"`
	Beneficiary    billing.Beneficiary `json:"beneficiary"`
	VariableSymbol string              `json:"variableSymbol"`
	Amount         *clientzone.Money   `json:"amount"`
	Frequency      string              `json:"frequency"`
	Services       []struct {
		ID string `json:"id"`
	} `json:"services"`
}

func TestStandingOrder(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	h.withContract(t, s)
	pin := s.IssuePIN(t, h.Customer)
	u := "/v1/customer/standing-order"
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	eva := s.Login(t, h.Bills.Email, h.Bills.Password)
	balProblem(t, s.Do(t, "GET", u, eva.AccessToken, "", "X-Authorization-PIN", pin), 403, clientzone.EFORBIDDEN, "")
	balProblem(t, s.Do(t, "GET", u, admin.AccessToken, ""), 403, clientzone.EPINREQUIRED, "")
	balProblem(t, s.Do(t, "GET", u, admin.AccessToken, "", "X-Authorization-PIN", "0000"), 403, clientzone.EPININVALID, "")

	r := s.Do(t, "GET", u, admin.AccessToken, "", "X-Authorization-PIN", pin)
	if r.Status != 200 {
		t.Fatalf("standing order: %d %s", r.Status, r.Body)
	}
	so := balJSON[balStandingOrder](t, r)
	// Internet 24.90 + VoIP 5.00 monthly; the yearly hosting and domain are not part of it.
	if !so.Eligible || len(so.Reasons) != 0 || so.VariableSymbol != h.VariableSymbol || so.Amount == nil ||
		*so.Amount != (clientzone.Money{Amount: 2990, Currency: "EUR"}) || len(so.Services) != 2 || so.Frequency != "monthly" {
		t.Errorf("SK standing order = %+v", so)
	}
	if so.Beneficiary.IBAN != "SK31 1200 0000 1987 4263 7541" || so.Beneficiary.BIC == "" || so.Beneficiary.Name == "" {
		t.Errorf("beneficiary = %+v", so.Beneficiary)
	}

	// HU has only a yearly hosting: not eligible. Give it a PIN first.
	hu, _ := hufAccount(t, s)
	huPIN := s.IssuePIN(t, hu.Customer)
	r = s.Do(t, "GET", u, hu.Token, "", "X-Authorization-PIN", huPIN)
	if r.Status != 200 {
		t.Fatalf("HU: %d %s", r.Status, r.Body)
	}
	so = balJSON[balStandingOrder](t, r)
	if so.Eligible || len(so.Reasons) != 1 || so.Reasons[0] != billing.ReasonNoMonthlyFee || so.Amount != nil || so.VariableSymbol != hu.VariableSymbol {
		t.Errorf("HU standing order = %+v", so)
	}
	pinNotLogged(t, s, pin, huPIN)
}

type balCorrection struct {
	RequestID  string              `json:"requestId"`
	Status     string              `json:"status"`
	FeeInvoice *clientzone.Invoice `json:"feeInvoice"`
}

func TestCorrectionRequest(t *testing.T) {
	s := apitest.Start(t)
	ctx := context.Background()
	db := s.Deps.DB
	h := newHousehold(t, s)
	skInvoices := h.withInvoices(t, s, h.withContract(t, s).ID)
	huAcct, huCt := hufAccount(t, s)
	invID := s.NewInvoice(t, huAcct.Customer, apitest.InvoiceSpec{ContractID: huCt.ID, Status: clientzone.InvoicePaid, Amount: 4800000}).ID
	hu := s.Login(t, huAcct.Admin.Email, huAcct.Admin.Password)
	sk := s.Login(t, h.Admin.Email, h.Admin.Password)
	eva := s.Login(t, h.Bills.Email, h.Bills.Password)
	u := "/v1/invoices/" + invID + "/correction-requests"
	body := `{"reason":"Our VAT number is printed wrong on this invoice.","fields":["vatId"]}`

	balProblem(t, s.Do(t, "POST", "/v1/invoices/x/correction-requests", eva.AccessToken, body, "Idempotency-Key", "corr-eva-0001"), 403, clientzone.EFORBIDDEN, "")
	balProblem(t, s.Do(t, "POST", u, sk.AccessToken, body, "Idempotency-Key", "corr-sk-00001"), 404, clientzone.ENOTFOUND, "")
	balProblem(t, s.Do(t, "POST", u, hu.AccessToken, `{"reason":"too short"}`, "Idempotency-Key", "corr-hu-short"), 400, clientzone.EINVALID, "reason")
	if r := s.Do(t, "POST", u, hu.AccessToken, `{"reason":"Our VAT number is wrong here.","fields":["colour"]}`, "Idempotency-Key", "corr-hu-field"); r.Status != 400 {
		t.Errorf("unknown field name: %d %s", r.Status, r.Body)
	}
	if r := s.Do(t, "POST", u, hu.AccessToken, body); r.Status != 400 {
		t.Errorf("without Idempotency-Key: %d %s", r.Status, r.Body)
	}

	r := s.Do(t, "POST", u, hu.AccessToken, body, "Idempotency-Key", "corr-hu-00001")
	if r.Status != 201 {
		t.Fatalf("correction: %d %s", r.Status, r.Body)
	}
	a := balJSON[balCorrection](t, r)
	fee := a.FeeInvoice
	// 4000 HUF + 27 % VAT, in fillér.
	if a.RequestID == "" || fee == nil || fee.Status != clientzone.InvoiceUnpaid || fee.Total != (clientzone.Money{Amount: 508000, Currency: "HUF"}) ||
		fee.VAT.Amount != 108000 || len(fee.Lines) != 2 || fee.Lines[0].Total.Amount != 400000 || fee.Lines[1].Total.Amount != 108000 || fee.VariableSymbol != huAcct.VariableSymbol {
		t.Fatalf("answer = %s", r.Body)
	}
	stored, err := db.Invoice(ctx, huAcct.ID, fee.ID)
	if err != nil || stored.Status != clientzone.InvoiceUnpaid || stored.Total.Amount != 508000 {
		t.Fatalf("fee invoice stored = %+v, %v", stored, err)
	}
	req, err := db.CorrectionRequest(ctx, huAcct.ID, a.RequestID)
	if err != nil || req.InvoiceID != invID || req.FeeInvoiceID != fee.ID || req.RequestedBy != huAcct.Admin.ID || fmt.Sprint(req.Fields) != "[vatId]" {
		t.Errorf("request stored = %+v, %v", req, err)
	}
	unpaid := func() int {
		p, err := db.Invoices(ctx, huAcct.ID, billing.InvoiceFilter{Status: clientzone.InvoiceUnpaid, Limit: 10, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Invoices)
	}
	if n := unpaid(); n != 1 {
		t.Errorf("%d unpaid HU invoices, want the fee invoice", n)
	}
	got := map[string]string{}
	for _, m := range s.Outbox(t, nil) {
		if m.CustomerID == huAcct.ID {
			got[m.Template] = m.To
		}
	}
	if got["invoice-correction-request"] != "billing@example.com" || got["invoice-correction-received"] != huAcct.Email {
		t.Errorf("messages = %v", got)
	}
	if log := auditLog(t, s, hu.AccessToken); len(log) == 0 || log[0].Action != "invoice.correction" || log[0].Details["feeInvoiceId"] != fee.ID {
		t.Errorf("audit = %+v", log)
	}

	// A retry with the same key replays the answer; no second fee invoice.
	again := s.Do(t, "POST", u, hu.AccessToken, body, "Idempotency-Key", "corr-hu-00001")
	if again.Status != 201 || string(again.Body) != string(r.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d %s %v", again.Status, again.Body, again.Header)
	}
	if n := unpaid(); n != 1 {
		t.Errorf("%d unpaid invoices after the retry", n)
	}
	balProblem(t, s.Do(t, "POST", u, hu.AccessToken, `{"reason":"Another reason, quite different."}`, "Idempotency-Key", "corr-hu-00001"), 409, clientzone.ECONFLICT, "")

	// A cancelled invoice cannot be corrected.
	cancelled := skInvoices[4] // the household's cancelled invoice
	balProblem(t, s.Do(t, "POST", "/v1/invoices/"+cancelled.ID+"/correction-requests", sk.AccessToken, body,
		"Idempotency-Key", "corr-sk-cancel"), 409, clientzone.ECONFLICT, "")

	// SK is billed in EUR: 15.00 + 23 % VAT.
	r = s.Do(t, "POST", "/v1/invoices/"+skInvoices[2].ID+"/correction-requests", sk.AccessToken, body, "Idempotency-Key", "corr-sk-00002")
	if a := balJSON[balCorrection](t, r); r.Status != 201 || a.FeeInvoice == nil || a.FeeInvoice.Total != (clientzone.Money{Amount: 1845, Currency: "EUR"}) {
		t.Errorf("SK correction: %d %s", r.Status, r.Body)
	}
}
