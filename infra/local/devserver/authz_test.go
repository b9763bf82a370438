package devserver

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// matrixBodies are request bodies, by route, that pass validation, so that
// the ownership check (404) is what the matrix observes. Routes not listed
// get "{}"; a route that then answers 400 makes the test fail and asks for
// an entry here.
var matrixBodies = map[string]string{
	"POST /v1/invoices/{invoiceId}/correction-requests":                  `{"reason":"The VAT number on this invoice is wrong."}`,
	"POST /v1/services/{serviceId}/renewals":                             `{"periods":1,"method":"proforma"}`,
	"POST /v1/contracts/{contractId}/services/{serviceId}/tariff-change": `{"tariffId":"optik-1000","pin":"7391"}`,
	"POST /v1/contracts/{contractId}/addons":                             `{"tariffId":"public-ip"}`,
	"POST /v1/contracts/{contractId}/termination-request":                `{"desiredEndOn":"2099-12-31","pin":"7391"}`,
	"POST /v1/tickets/{ticketId}/replies":                                `{"body":"Thank you."}`,
	"POST /v1/tickets/{ticketId}/attachments":                            `{"fileName":"a.pdf","contentType":"application/pdf","size":100}`,
}

var pathParam = regexp.MustCompile(`\{(\w+)\+?\}`)

// TestAuthorizationMatrix is generated from the route table: for every
// mounted route that needs a logged-in person, a person without the
// route's right (or a non-admin for admin routes) gets 403, and for every
// route with an object id, the id of another customer's object is 404.
func TestAuthorizationMatrix(t *testing.T) {
	st, srv, _ := newStack(t)
	ctx := context.Background()
	tokens := map[string]string{
		"admin": login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword).AccessToken,
		"bills": login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword).AccessToken, // invoices, payments
		"tech":  login(t, srv.URL, "technik", demo.TechPassword).AccessToken,                  // calls, traffic
	}
	rights := map[string][]clientzone.Right{
		"bills": {clientzone.RightInvoices, clientzone.RightPayments},
		"tech":  {clientzone.RightCalls, clientzone.RightTraffic},
	}
	// Objects of the other customer (HU), by path parameter name.
	huContract, err := st.Deps.DB.Contract(ctx, demo.CustomerHU, demo.ContractHU)
	if err != nil {
		t.Fatal(err)
	}
	huInvoices, err := st.Deps.DB.Invoices(ctx, demo.CustomerHU, billing.InvoiceFilter{Limit: 1})
	if err != nil || len(huInvoices.Invoices) == 0 {
		t.Fatalf("HU invoice: %v", err)
	}
	foreign := map[string]string{
		"personId":   demo.PersonHU,
		"contractId": demo.ContractHU,
		"serviceId":  huContract.Services[0].ID,
		"addonId":    huContract.Services[0].ID,
		"invoiceId":  huInvoices.Invoices[0].ID,
		"messageId":  demo.MessageHU,
		"ticketId":   demo.TicketHU,
	}

	checked403, checked404 := 0, 0
	for _, m := range st.Mounted {
		if m.Access.IsPublic() {
			continue // public and back-office routes have no person to check
		}
		route := m.Route
		t.Run(route.Method+" "+route.Path, func(t *testing.T) {
			params := pathParam.FindAllStringSubmatch(route.Path, -1)
			path := route.Path
			for _, p := range params {
				id, ok := foreign[p[1]]
				if !ok {
					t.Fatalf("no foreign-object fixture for path parameter %q: add one to TestAuthorizationMatrix", p[1])
				}
				path = strings.Replace(path, p[0], id, 1)
			}
			body := "{}"
			if b, ok := matrixBodies[route.Pattern()]; ok {
				body = b
			}
			if route.Method == "GET" || route.Method == "DELETE" {
				body = ""
			}

			// 403 for a person missing the right.
			var denied string
			switch {
			case m.Access.IsAdminOnly():
				denied = "bills"
			case m.Access.Right() != "":
				for _, who := range []string{"tech", "bills"} {
					if !slices.Contains(rights[who], m.Access.Right()) {
						denied = who
						break
					}
				}
			}
			if denied != "" {
				r := do(t, route.Method, srv.URL+path, tokens[denied], body, "Idempotency-Key", "matrix-"+clientzone.NewID())
				if p := r.problem(t); r.status != 403 || p.Code != clientzone.EFORBIDDEN {
					t.Errorf("%s without the right: %d %s, want 403 forbidden", denied, r.status, r.body)
				}
				checked403++
			}

			// 404 for another customer's object, even for an admin.
			if len(params) > 0 {
				r := do(t, route.Method, srv.URL+path, tokens["admin"], body, "Idempotency-Key", "matrix-"+clientzone.NewID())
				if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
					t.Errorf("another customer's object: %d %s, want 404 not_found (add a valid body to matrixBodies if this is a 400)", r.status, r.body)
				}
				checked404++
			}
		})
	}
	if checked403 == 0 {
		t.Error("the matrix checked no 403: no route with a right or admin rule is mounted")
	}
	t.Logf("authorization matrix: %d routes, %d forbidden checks, %d foreign-object checks", len(st.Mounted), checked403, checked404)
}
