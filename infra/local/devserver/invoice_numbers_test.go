package devserver

import (
	"context"
	"testing"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// TestInvoiceUpsertNumberUnique: the back office cannot give an invoice a
// number another invoice has (here the demo's HU invoice): 409 problem+json
// on number in the caller's language, nothing written; re-sending an
// invoice is idempotent, and a changed number frees the old one.
func TestInvoiceUpsertNumberUnique(t *testing.T) {
	st, srv, _ := newStack(t)
	ctx := context.Background()
	url := func(id string) string { return srv.URL + "/admin/v1/customers/" + demo.CustomerHU + "/invoices/" + id }
	withNumber := func(n string) string { return invoiceBody(func(m map[string]any) { m["number"] = n }) }

	dup := clientzone.NewID()
	r := do(t, "PUT", url(dup), "", withNumber(" VCRM-2026-0042 "), "Accept-Language", "sk")
	wantConflictField(t, "the demo invoice's number", r, "number", "taken")
	if p := r.problem(t); p.Detail != "Číslo faktúry VCRM-2026-0042 už používa iná faktúra." ||
		p.Errors[0].Message != "Toto číslo už používa iná faktúra." || r.header.Get("Content-Language") != "sk" {
		t.Errorf("sk problem: %s", r.body)
	}
	if p := do(t, "PUT", url(dup), "", withNumber("VCRM-2026-0042")).problem(t); p.Detail != "Invoice number VCRM-2026-0042 is already used by another invoice." {
		t.Errorf("en detail = %q", p.Detail)
	}
	if _, err := st.Deps.DB.Invoice(ctx, demo.CustomerHU, dup); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Errorf("the refused invoice was written: %v", err)
	}

	id := clientzone.NewID()
	if got := decodeJSON[upsertedInvoice](t, do(t, "PUT", url(id), "", withNumber("VCRM-2026-0600")), 201); got.Number != "VCRM-2026-0600" {
		t.Fatalf("created = %+v", got)
	}
	decodeJSON[upsertedInvoice](t, do(t, "PUT", url(id), "", withNumber("VCRM-2026-0600")), 200) // the same again
	wantConflictField(t, "another invoice, same number", do(t, "PUT", url(clientzone.NewID()), "", withNumber("VCRM-2026-0600")), "number", "taken")
	decodeJSON[upsertedInvoice](t, do(t, "PUT", url(id), "", withNumber("VCRM-2026-0601")), 200) // renumbered
	if got := decodeJSON[upsertedInvoice](t, do(t, "PUT", url(dup), "", withNumber("VCRM-2026-0600")), 201); got.Number != "VCRM-2026-0600" {
		t.Errorf("the freed number: %+v", got)
	}
}
