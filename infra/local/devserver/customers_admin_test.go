package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/schedule"
)

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

func wantConflictField(t *testing.T, what string, r response, field, code string) {
	t.Helper()
	p := r.problem(t)
	if r.status != 409 || p.Code != clientzone.ECONFLICT || len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Code != code {
		t.Errorf("%s: %d %s, want 409 on %s (%s)", what, r.status, r.body, field, code)
	}
}

// TestCustomerUpsert covers PUT /admin/v1/customers/{customerId}: create
// (201) and replace (200) keeping the creation time, validation, unique
// variable symbols (also against proforma symbols), moving a symbol, and
// the currency lock.
func TestCustomerUpsert(t *testing.T) {
	st, srv, _ := newStack(t)
	ctx := context.Background()
	db := st.Deps.DB
	url := func(cid string) string { return srv.URL + "/admin/v1/customers/" + cid }
	const cid = "crm-100042"

	r := do(t, "PUT", url(cid), "", customerBody(nil))
	created := decodeJSON[clientzone.Customer](t, r, 201)
	if created.ID != cid || created.VariableSymbol != "3000001" || created.Language != clientzone.LangSK || created.CreatedAt.IsZero() ||
		created.BillingAddress.City != "Košice" {
		t.Fatalf("created = %+v", created)
	}
	if found, err := db.LookupVariableSymbol(ctx, "3000001"); err != nil || found.Customer == nil || found.Customer.ID != cid {
		t.Fatalf("symbol lookup = %+v, %v", found, err)
	}

	t.Run("replace keeps createdAt, answers 200; the same body again changes nothing", func(t *testing.T) {
		r := do(t, "PUT", url(cid), "", customerBody(func(m map[string]any) { m["name"] = "Mária Horváthová-Kováčová" }))
		got := decodeJSON[clientzone.Customer](t, r, 200)
		if !got.CreatedAt.Equal(created.CreatedAt) || got.Name != "Mária Horváthová-Kováčová" {
			t.Errorf("replaced = %+v", got)
		}
		c, err := db.Customer(ctx, cid)
		if err != nil || c.Name != got.Name || !c.CreatedAt.Equal(created.CreatedAt) {
			t.Errorf("stored = %+v, %v", c, err)
		}
		audits := pinAudit(t, st, cid, "customer.update")
		r = do(t, "PUT", url(cid), "", customerBody(func(m map[string]any) { m["name"] = "Mária Horváthová-Kováčová" }))
		decodeJSON[clientzone.Customer](t, r, 200)
		if again := pinAudit(t, st, cid, "customer.update"); len(again) != len(audits) || len(audits) != 1 || audits[0].Details["fields"] != "name" {
			t.Errorf("audit entries %d then %d: %+v", len(audits), len(again), audits)
		}
	})

	t.Run("validation: 400 naming every bad field, nothing written", func(t *testing.T) {
		r := do(t, "PUT", url("crm-bad"), "", customerBody(func(m map[string]any) {
			m["kind"], m["phone"], m["currency"], m["variableSymbol"], m["email"], m["language"] = "company", "0905 123", "EURO", "0123", "nope", "de"
			m["billingAddress"].(map[string]any)["country"] = "XX"
		}))
		got := problemFields(t, r)
		slices.Sort(got)
		want := []string{"billingAddress.country", "companyId", "currency", "email", "language", "phone", "variableSymbol"}
		if r.status != 400 || !slices.Equal(got, want) {
			t.Errorf("%d %v, want 400 %v", r.status, got, want)
		}
		if _, err := db.Customer(ctx, "crm-bad"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("an invalid customer was written: %v", err)
		}
		if r := do(t, "PUT", url("crm-bad"), "", customerBody(func(m map[string]any) { m["variableSymbol"] = "12345678" })); r.status != 400 {
			t.Errorf("8-digit symbol (proformas need 3 more digits): %d", r.status)
		}
	})

	t.Run("a symbol another customer uses, or overlapping proforma symbols, is 409", func(t *testing.T) {
		wantConflictField(t, "demo SK symbol", do(t, "PUT", url("crm-dup"), "", customerBody(func(m map[string]any) { m["variableSymbol"] = "2024001" })),
			"variableSymbol", "taken")
		wantConflictField(t, "prefix of another's symbol", do(t, "PUT", url("crm-dup"), "", customerBody(func(m map[string]any) { m["variableSymbol"] = "2024" })),
			"variableSymbol", "clash")
		r := do(t, "PUT", url("crm-short"), "", customerBody(func(m map[string]any) { m["variableSymbol"] = "3001" }))
		decodeJSON[clientzone.Customer](t, r, 201)
		wantConflictField(t, "another's symbol + 3 digits", do(t, "PUT", url("crm-dup"), "", customerBody(func(m map[string]any) { m["variableSymbol"] = "3001042" })),
			"variableSymbol", "clash")
		if _, err := db.Customer(ctx, "crm-dup"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("a conflicting customer was written: %v", err)
		}
	})

	t.Run("changing the symbol moves the claim", func(t *testing.T) {
		r := do(t, "PUT", url(cid), "", customerBody(func(m map[string]any) { m["variableSymbol"] = "3000002" }))
		if got := decodeJSON[clientzone.Customer](t, r, 200); got.VariableSymbol != "3000002" {
			t.Fatalf("changed = %+v", got)
		}
		if found, _ := db.LookupVariableSymbol(ctx, "3000002"); found.Customer == nil || found.Customer.ID != cid {
			t.Errorf("new symbol lookup = %+v", found)
		}
		if found, _ := db.LookupVariableSymbol(ctx, "3000001"); found.Customer != nil {
			t.Errorf("old symbol still points at %+v", found.Customer)
		}
		r = do(t, "PUT", url("crm-next"), "", customerBody(func(m map[string]any) { m["variableSymbol"] = "3000001" }))
		decodeJSON[clientzone.Customer](t, r, 201) // the released symbol is free again
		wantConflictField(t, "taking it back", do(t, "PUT", url(cid), "", customerBody(func(m map[string]any) { m["variableSymbol"] = "3000001" })),
			"variableSymbol", "taken")
	})

	t.Run("the currency of a customer with invoices is locked", func(t *testing.T) {
		sk, err := db.Customer(ctx, demo.CustomerSK)
		if err != nil {
			t.Fatal(err)
		}
		body := customerBody(func(m map[string]any) {
			m["name"], m["email"], m["phone"], m["variableSymbol"], m["currency"] = sk.Name, sk.Email, sk.Phone, sk.VariableSymbol, "HUF"
		})
		wantConflictField(t, "currency", do(t, "PUT", url(demo.CustomerSK), "", body), "currency", "locked")
		// Without history the currency may change.
		r := do(t, "PUT", url("crm-short"), "", customerBody(func(m map[string]any) { m["variableSymbol"], m["currency"] = "3001", "HUF" }))
		if got := decodeJSON[clientzone.Customer](t, r, 200); got.Currency != "HUF" {
			t.Errorf("currency = %q", got.Currency)
		}
	})
}

func invoiceBody(mod func(m map[string]any)) string {
	money := func(a int64) map[string]any { return map[string]any{"amount": a, "currency": "HUF"} }
	today := time.Now().UTC()
	m := map[string]any{"number": "VCRM-2026-0500", "contractId": demo.ContractHU, "status": "unpaid",
		"issuedOn": today.AddDate(0, 0, -9).Format(time.DateOnly), "dueOn": today.AddDate(0, 0, -1).Format(time.DateOnly),
		"total": money(1270000), "vat": money(270000),
		"lines": []any{map[string]any{"description": "Tárhely", "quantity": 2, "unitPrice": money(635000), "total": money(1270000)}}}
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

// TestInvoiceUpsert covers PUT /admin/v1/customers/{customerId}/invoices/{invoiceId}:
// create and replace, validation, the status and due-date indexes seen by
// the client listing and the overdue reminder job, and the rule that a
// payment recorded by the client zone is never undone.
func TestInvoiceUpsert(t *testing.T) {
	st, srv, _ := newStack(t)
	ctx := context.Background()
	db := st.Deps.DB
	iid := clientzone.NewID()
	url := func(cid, id string) string { return srv.URL + "/admin/v1/customers/" + cid + "/invoices/" + id }
	hu := login(t, srv.URL, "admin@kovacs.hu", demo.HUPassword).AccessToken
	listed := func(status string) []string {
		t.Helper()
		l := decodeJSON[invoiceList](t, do(t, "GET", srv.URL+"/v1/invoices?status="+status, hu, ""), 200)
		var ids []string
		for _, it := range l.Items {
			ids = append(ids, it.ID)
		}
		return ids
	}

	t.Run("unknown customer 404, invalid input 400", func(t *testing.T) {
		r := do(t, "PUT", url("01JNOSUCHCUSTOMER000000000", iid), "", invoiceBody(nil))
		if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
			t.Errorf("unknown customer: %d %s", r.status, r.body)
		}
		r = do(t, "PUT", url(demo.CustomerHU, "not-a-ulid"), "", invoiceBody(func(m map[string]any) {
			m["status"], m["dueOn"] = "overdue", "2026-13-01"
			delete(m, "number")
		}))
		got := problemFields(t, r)
		slices.Sort(got)
		if r.status != 400 || fmt.Sprint(got) != "[dueOn invoiceId number status]" {
			t.Errorf("invalid: %d %v", r.status, got)
		}
		for name, c := range map[string]struct {
			mod   func(m map[string]any)
			field string
		}{
			"paid without paidAt": {func(m map[string]any) { m["status"] = "paid" }, "paidAt"},
			"unpaid with paidAt":  {func(m map[string]any) { m["paidAt"] = "2026-11-01T10:00:00Z" }, "paidAt"},
			"other currency":      {func(m map[string]any) { m["total"] = map[string]any{"amount": 100, "currency": "EUR"} }, "total.currency"},
			"due before issue":    {func(m map[string]any) { m["dueOn"] = "2020-01-01" }, "dueOn"},
			"line total":          {func(m map[string]any) { m["lines"].([]any)[0].(map[string]any)["quantity"] = 3 }, "lines[0].total.amount"},
			"foreign contract":    {func(m map[string]any) { m["contractId"] = demo.ContractSK }, "contractId"},
		} {
			r := do(t, "PUT", url(demo.CustomerHU, iid), "", invoiceBody(c.mod))
			if got := problemFields(t, r); r.status != 400 || fmt.Sprint(got) != "["+c.field+"]" {
				t.Errorf("%s: %d %v, want 400 [%s]", name, r.status, got, c.field)
			}
		}
		if _, err := db.Invoice(ctx, demo.CustomerHU, iid); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("an invalid invoice was written: %v", err)
		}
	})

	t.Run("create: listed as overdue, found by the overdue reminder job", func(t *testing.T) {
		got := decodeJSON[upsertedInvoice](t, do(t, "PUT", url(demo.CustomerHU, iid), "", invoiceBody(nil)), 201)
		if got.CustomerID != demo.CustomerHU || got.ID != iid || got.Status != "unpaid" || got.VariableSymbol != "7700123" {
			t.Fatalf("created = %+v", got)
		}
		if ids := listed("overdue"); !slices.Contains(ids, iid) {
			t.Errorf("overdue listing %v lacks %s", ids, iid)
		}
		if _, err := schedule.Jobs(app.JobEnv(st.Deps))["overdue-reminders"].Run(ctx, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range pinOutbox(t, st, "invoice-overdue") {
			if m.Data["invoiceNumber"] == "VCRM-2026-0500" && m.CustomerID == demo.CustomerHU {
				n++
			}
		}
		if n != 1 {
			t.Errorf("overdue reminders for the upserted invoice: %d, want 1", n)
		}
	})

	t.Run("replace: paid elsewhere moves it to the paid index; a paid invoice stays paid", func(t *testing.T) {
		paidBody := invoiceBody(func(m map[string]any) { m["status"], m["paidAt"] = "paid", "2026-11-20T08:30:00+01:00" })
		got := decodeJSON[upsertedInvoice](t, do(t, "PUT", url(demo.CustomerHU, iid), "", paidBody), 200)
		if got.Status != "paid" || got.PaidAt == nil || !got.PaidAt.Equal(time.Date(2026, 11, 20, 7, 30, 0, 0, time.UTC)) {
			t.Fatalf("paid = %+v", got)
		}
		if !slices.Contains(listed("paid"), iid) || slices.Contains(listed("unpaid"), iid) {
			t.Errorf("status index not moved: paid %v unpaid %v", listed("paid"), listed("unpaid"))
		}
		var seen *clientzone.Invoice
		if _, err := db.InvoicesDueOn(ctx, time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly), func(inv *clientzone.Invoice) error {
			if inv.ID == iid {
				seen = inv
			}
			return nil
		}); err != nil || seen == nil || seen.Status != clientzone.InvoicePaid {
			t.Errorf("due-date index sees %+v, %v", seen, err)
		}
		wantConflictField(t, "paid → unpaid", do(t, "PUT", url(demo.CustomerHU, iid), "", invoiceBody(nil)), "status", "paid")
		wantConflictField(t, "paid → cancelled", do(t, "PUT", url(demo.CustomerHU, iid), "", invoiceBody(func(m map[string]any) { m["status"] = "cancelled" })), "status", "paid")
		wantConflictField(t, "paid, other total", do(t, "PUT", url(demo.CustomerHU, iid), "", invoiceBody(func(m map[string]any) {
			m["status"], m["paidAt"], m["total"] = "paid", "2026-11-20T07:30:00Z", map[string]any{"amount": 1000, "currency": "HUF"}
			m["vat"] = map[string]any{"amount": 100, "currency": "HUF"}
			delete(m, "lines")
		})), "total", "paid")
		r := do(t, "PUT", url(demo.CustomerHU, iid), "", paidBody) // the same again: 200, nothing changes
		if again := decodeJSON[upsertedInvoice](t, r, 200); again.Status != "paid" {
			t.Errorf("again = %+v", again)
		}
	})

	t.Run("a payment recorded by the client zone is not undone", func(t *testing.T) {
		id := clientzone.NewID()
		decodeJSON[upsertedInvoice](t, do(t, "PUT", url(demo.CustomerHU, id), "", invoiceBody(func(m map[string]any) { m["number"] = "VCRM-2026-0501" })), 201)
		tx := db.NewTx()
		if err := tx.MarkInvoicePaid(demo.CustomerHU, id, time.Now().UTC(), nil); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		wantConflictField(t, "sync of the unpaid copy", do(t, "PUT", url(demo.CustomerHU, id), "", invoiceBody(func(m map[string]any) { m["number"] = "VCRM-2026-0501" })), "status", "paid")
		inv, err := db.Invoice(ctx, demo.CustomerHU, id)
		if err != nil || inv.Status != clientzone.InvoicePaid || inv.PaidAt == nil {
			t.Errorf("invoice = %+v, %v", inv, err)
		}
	})

	t.Run("cancelled stays cancelled; changes are audited", func(t *testing.T) {
		id := clientzone.NewID()
		body := func(status string) string {
			return invoiceBody(func(m map[string]any) { m["number"], m["status"] = "VCRM-2026-0502", status })
		}
		decodeJSON[upsertedInvoice](t, do(t, "PUT", url(demo.CustomerHU, id), "", body("unpaid")), 201)
		decodeJSON[upsertedInvoice](t, do(t, "PUT", url(demo.CustomerHU, id), "", body("cancelled")), 200)
		wantConflictField(t, "cancelled → unpaid", do(t, "PUT", url(demo.CustomerHU, id), "", body("unpaid")), "status", "cancelled")
		if !slices.Contains(listed("cancelled"), id) || slices.Contains(listed("unpaid"), id) {
			t.Errorf("cancelled index: %v", listed("cancelled"))
		}
		found := false
		for _, a := range pinAudit(t, st, demo.CustomerHU, "invoice.update") {
			if a.TargetID == id && a.Details["status"] == "unpaid→cancelled" && a.ActorID == "backoffice" {
				found = true
			}
		}
		if !found {
			t.Error("no audit entry for the cancellation")
		}
	})
}
