package devserver

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// TestSlice: the status page and the invoice list on the demo data (to be
// moved to shared/httpapi with the areas they belong to).
func TestSlice(t *testing.T) {
	_, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	bills := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	tech := login(t, base, "technik", demo.TechPassword)
	hu := login(t, base, "admin@kovacs.hu", demo.HUPassword)

	t.Run("status is public", func(t *testing.T) {
		r := do(t, "GET", base+"/v1/status", "", "")
		var s struct {
			Overall    string
			Components []clientzone.StatusComponent
			Incidents  []clientzone.Incident
		}
		if err := json.Unmarshal(r.body, &s); err != nil || r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if s.Overall != "maintenance" || len(s.Components) != 5 || len(s.Incidents) != 2 || !s.Incidents[0].StartedAt.After(s.Incidents[1].StartedAt) {
			t.Errorf("status = %+v", s)
		}
	})

	t.Run("invoices: rights, status filters, pagination, isolation", func(t *testing.T) {
		list := func(tok, query string) (response, invoiceList) {
			r := do(t, "GET", base+"/v1/invoices?"+query, tok, "")
			var l invoiceList
			if r.status == 200 {
				if err := json.Unmarshal(r.body, &l); err != nil {
					t.Fatal(err)
				}
			}
			return r, l
		}
		counts := map[string]int{"": 7, "status=unpaid": 2, "status=overdue": 1, "status=paid": 4, "status=cancelled": 1}
		for q, n := range counts {
			r, l := list(admin.AccessToken, q)
			if r.status != 200 || len(l.Items) != n {
				t.Errorf("%q: %d, %d items, want %d", q, r.status, len(l.Items), n)
			}
			for _, it := range l.Items {
				if s := strings.TrimPrefix(q, "status="); s != "" && s != "unpaid" && it.Status != s {
					t.Errorf("%q returned a %s invoice", q, it.Status)
				}
			}
		}
		// Pagination: pages of 3 cover all 7 invoices once, newest first.
		var ids []string
		cursor := ""
		for page := 0; page < 5; page++ {
			r, l := list(bills.AccessToken, "limit=3&cursor="+url.QueryEscape(cursor))
			if r.status != 200 {
				t.Fatalf("page %d: %d %s", page, r.status, r.body)
			}
			for _, it := range l.Items {
				ids = append(ids, it.ID)
			}
			if cursor = l.NextCursor; cursor == "" {
				break
			}
		}
		if len(ids) != 7 {
			t.Fatalf("paginated ids = %v", ids)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] >= ids[i-1] {
				t.Errorf("not newest first: %v", ids)
			}
		}
		// Another customer sees only its own invoice, and cannot replay our cursor.
		_, l := list(hu.AccessToken, "")
		if len(l.Items) != 1 || l.Items[0].Total.Currency != "HUF" {
			t.Errorf("HU invoices = %+v", l.Items)
		}
		_, first := list(admin.AccessToken, "limit=2")
		r, _ := list(hu.AccessToken, "limit=2&cursor="+url.QueryEscape(first.NextCursor))
		if p := r.problem(t); r.status != 400 || p.Errors[0].Field != "cursor" {
			t.Errorf("foreign cursor: %d %+v", r.status, p)
		}
		// Missing right.
		r, _ = list(tech.AccessToken, "")
		if p := r.problem(t); r.status != 403 || p.Code != clientzone.EFORBIDDEN {
			t.Errorf("person without invoices right: %d %+v", r.status, p)
		}
		// Bad parameters.
		for q, field := range map[string]string{"status=bogus": "status", "limit=1000": "limit", "limit=x": "limit", "limit=0": "limit"} {
			r, _ := list(admin.AccessToken, q)
			if p := r.problem(t); r.status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != field {
				t.Errorf("%s: %d %+v", q, r.status, p)
			}
		}
	})
}
