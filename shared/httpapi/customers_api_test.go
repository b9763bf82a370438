package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/clientzone"
)

func customerBody(vs string, mod func(m map[string]any)) string {
	m := map[string]any{"kind": "person", "name": "Mária Horváthová", "email": "maria@example.sk", "phone": "+421905000111",
		"region": "Košice", "variableSymbol": vs, "currency": "EUR", "language": "sk",
		"billingAddress": map[string]any{"street": "Hlavná 1", "city": "Košice", "postalCode": "04001", "country": "SK"}}
	if mod != nil {
		mod(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// TestCustomerUpsert covers PUT /admin/v1/customers/{customerId}: create
// (201) and replace (200) keeping the creation time, validation, unique
// variable symbols (also against proforma symbols), moving a symbol, and
// the currency lock.
func TestCustomerUpsert(t *testing.T) {
	s := apitest.Start(t)
	ctx := context.Background()
	db := s.Deps.DB
	url := func(cid string) string { return "/admin/v1/customers/" + cid }
	n := apitest.Seq()
	cid, bad, dup, short, next := fmt.Sprintf("crm-%d", n), fmt.Sprintf("crm-bad-%d", n), fmt.Sprintf("crm-dup-%d", n), fmt.Sprintf("crm-short-%d", n), fmt.Sprintf("crm-next-%d", n)
	base := 3000000 + (n%9000)*100
	vs1, vs2 := fmt.Sprint(base+1), fmt.Sprint(base+2)
	shortVS := fmt.Sprint(6000 + n%3000)
	// A customer with invoices, whose symbol the tests try to take.
	sk := newHousehold(t, s)
	s.NewInvoice(t, sk.Customer, apitest.InvoiceSpec{})
	// The created customer's admin reads its data and audit log.
	var auditor string

	r := s.Do(t, "PUT", url(cid), "", customerBody(vs1, nil))
	created := apitest.Decode[clientzone.Customer](t, r, 201)
	if created.ID != cid || created.VariableSymbol != vs1 || created.Language != clientzone.LangSK || created.CreatedAt.IsZero() ||
		created.BillingAddress.City != "Košice" {
		t.Fatalf("created = %+v", created)
	}
	admin := s.NewPerson(t, &created, apitest.PersonSpec{Role: clientzone.RoleAdmin})
	auditor = s.LoginAs(t, admin)
	// Variable symbols are looked up by bank-statement imports only: read
	// the claims from the store.
	if found, err := db.LookupVariableSymbol(ctx, vs1); err != nil || found.Customer == nil || found.Customer.ID != cid {
		t.Fatalf("symbol lookup = %+v, %v", found, err)
	}

	t.Run("replace keeps createdAt, answers 200; the same body again changes nothing", func(t *testing.T) {
		r := s.Do(t, "PUT", url(cid), "", customerBody(vs1, func(m map[string]any) { m["name"] = "Mária Horváthová-Kováčová" }))
		got := apitest.Decode[clientzone.Customer](t, r, 200)
		if !got.CreatedAt.Equal(created.CreatedAt) || got.Name != "Mária Horváthová-Kováčová" {
			t.Errorf("replaced = %+v", got)
		}
		c := apitest.Decode[customerJSON](t, s.Do(t, "GET", "/v1/customer", auditor, ""), 200)
		if c.Name != got.Name || !c.CreatedAt.Equal(created.CreatedAt) {
			t.Errorf("stored = %+v", c)
		}
		audits := auditOf(t, s, auditor, "customer.update")
		r = s.Do(t, "PUT", url(cid), "", customerBody(vs1, func(m map[string]any) { m["name"] = "Mária Horváthová-Kováčová" }))
		apitest.Decode[clientzone.Customer](t, r, 200)
		if again := auditOf(t, s, auditor, "customer.update"); len(again) != len(audits) || len(audits) != 1 || audits[0].Details["fields"] != "name" {
			t.Errorf("audit entries %d then %d: %+v", len(audits), len(again), audits)
		}
	})

	t.Run("validation: 400 naming every bad field, nothing written", func(t *testing.T) {
		r := s.Do(t, "PUT", url(bad), "", customerBody(vs1, func(m map[string]any) {
			m["kind"], m["phone"], m["currency"], m["variableSymbol"], m["email"], m["language"] = "company", "0905 123", "EURO", "0123", "nope", "de"
			m["billingAddress"].(map[string]any)["country"] = "XX"
		}))
		got := r.Fields(t)
		slices.Sort(got)
		want := []string{"billingAddress.country", "companyId", "currency", "email", "language", "phone", "variableSymbol"}
		if r.Status != 400 || !slices.Equal(got, want) {
			t.Errorf("%d %v, want 400 %v", r.Status, got, want)
		}
		// No person of a refused customer can read it through the API: check the store.
		if _, err := db.Customer(ctx, bad); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("an invalid customer was written: %v", err)
		}
		if r := s.Do(t, "PUT", url(bad), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"] = "12345678" })); r.Status != 400 {
			t.Errorf("8-digit symbol (proformas need 3 more digits): %d", r.Status)
		}
	})

	t.Run("a symbol another customer uses, or overlapping proforma symbols, is 409", func(t *testing.T) {
		wantConflictField(t, "another customer's symbol", s.Do(t, "PUT", url(dup), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"] = sk.VariableSymbol })),
			"variableSymbol", "taken")
		wantConflictField(t, "prefix of another's symbol", s.Do(t, "PUT", url(dup), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"] = sk.VariableSymbol[:4] })),
			"variableSymbol", "clash")
		r := s.Do(t, "PUT", url(short), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"] = shortVS }))
		apitest.Decode[clientzone.Customer](t, r, 201)
		wantConflictField(t, "another's symbol + 3 digits", s.Do(t, "PUT", url(dup), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"] = shortVS + "042" })),
			"variableSymbol", "clash")
		// No person of a refused customer can read it through the API: check the store.
		if _, err := db.Customer(ctx, dup); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("a conflicting customer was written: %v", err)
		}
	})

	t.Run("changing the symbol moves the claim", func(t *testing.T) {
		r := s.Do(t, "PUT", url(cid), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"] = vs2 }))
		if got := apitest.Decode[clientzone.Customer](t, r, 200); got.VariableSymbol != vs2 {
			t.Fatalf("changed = %+v", got)
		}
		if found, _ := db.LookupVariableSymbol(ctx, vs2); found.Customer == nil || found.Customer.ID != cid {
			t.Errorf("new symbol lookup = %+v", found)
		}
		if found, _ := db.LookupVariableSymbol(ctx, vs1); found.Customer != nil {
			t.Errorf("old symbol still points at %+v", found.Customer)
		}
		r = s.Do(t, "PUT", url(next), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"] = vs1 }))
		apitest.Decode[clientzone.Customer](t, r, 201) // the released symbol is free again
		wantConflictField(t, "taking it back", s.Do(t, "PUT", url(cid), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"] = vs1 })),
			"variableSymbol", "taken")
	})

	t.Run("the currency of a customer with invoices is locked", func(t *testing.T) {
		body := customerBody(vs1, func(m map[string]any) {
			m["name"], m["email"], m["phone"], m["variableSymbol"], m["currency"] = sk.Name, sk.Email, sk.Phone, sk.VariableSymbol, "HUF"
		})
		wantConflictField(t, "currency", s.Do(t, "PUT", url(sk.ID), "", body), "currency", "locked")
		// Without history the currency may change.
		r := s.Do(t, "PUT", url(short), "", customerBody(vs1, func(m map[string]any) { m["variableSymbol"], m["currency"] = shortVS, "HUF" }))
		if got := apitest.Decode[clientzone.Customer](t, r, 200); got.Currency != "HUF" {
			t.Errorf("currency = %q", got.Currency)
		}
	})
}
