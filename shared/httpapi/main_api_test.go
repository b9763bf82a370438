package httpapi_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// The *_api_test.go files test the HTTP API end to end, one file per action
// area: every route of template.yaml mounted as `make dev` serves it, on one
// stack shared by the package's tests (infra/local/apitest), each test
// creating its own customers, persons, contracts and invoices through the
// back-office and public APIs. Every exchange is validated against the
// OpenAPI document, and a full run (no -run or -skip) fails unless every
// operation of the document had a success response validated here.
func TestMain(m *testing.M) {
	os.Exit(apitest.Main(m, apitest.Options{Coverage: true}))
}

// household is a customer like the demo's Slovak family, created through
// the back office: an admin (login also by username), an accountant with
// the invoices and payments rights, and a technician with calls and traffic
// only.
type household struct {
	*apitest.Customer
	Admin, Bills, Tech *apitest.Person
}

func newHousehold(t *testing.T, s *apitest.Stack) *household {
	t.Helper()
	n := apitest.Seq()
	c := s.NewCustomer(t, apitest.CustomerSpec{Name: "Ján Novák", Email: unique("jan.novak", n), Phone: fmt.Sprintf("+4219001%05d", n)})
	return &household{
		Customer: c,
		Admin: s.NewPerson(t, c, apitest.PersonSpec{Name: "Ján Novák", Email: c.Email, Username: "jnovak" + itoa(n),
			Phone: c.Phone, Role: clientzone.RoleAdmin, Password: "Demo-Heslo-2026"}),
		Bills: s.NewPerson(t, c, apitest.PersonSpec{Name: "Eva Nováková", Email: unique("eva.novakova", n),
			Rights: []clientzone.Right{clientzone.RightInvoices, clientzone.RightPayments}, Password: "Demo-Faktury-2026"}),
		Tech: s.NewPerson(t, c, apitest.PersonSpec{Name: "Peter Technik", Email: unique("peter", n), Username: "technik" + itoa(n),
			Rights: []clientzone.Right{clientzone.RightCalls, clientzone.RightTraffic}, Language: clientzone.LangEN, Password: "Demo-Technik-2026"}),
	}
}

// withContract gives the household the demo's contract, whose number is
// also the admin's login (as for the demo's 2024001): internet 24.90 and
// VoIP 5.00 monthly, web hosting 59.90 a year expiring in 30 days, a
// domain 15.00 a year expiring in 7 days, and a web backup addon.
func (h *household) withContract(t *testing.T, s *apitest.Stack) *clientzone.Contract {
	t.Helper()
	now := s.Deps.Clock.Now().UTC()
	ct := s.NewContract(t, h.Customer, apitest.ContractSpec{Services: []apitest.ServiceSpec{
		{Kind: clientzone.ServiceInternet, Name: "Optik 500/100", Price: 2490},
		{Kind: clientzone.ServiceVoIP, Name: "VoIP Basic", Price: 500},
		{Kind: clientzone.ServiceHosting, Name: "Webhosting Profi", BillingPeriod: "yearly", Price: 5990, ExpiresOn: apitest.Date(now.AddDate(0, 0, 30))},
		{Kind: clientzone.ServiceDomain, Name: "novak.sk", BillingPeriod: "yearly", Price: 1500, ExpiresOn: apitest.Date(now.AddDate(0, 0, 7))},
		{Kind: clientzone.ServiceHosting, Name: "Denná záloha webu", BillingPeriod: "yearly", Price: 1200, Addon: true,
			NextChargeDate: apitest.Date(now.AddDate(0, 4, 0))},
	}})
	s.LinkContractLogin(t, h.Customer, ct.ID, h.Admin.ID)
	return ct
}

// unique is an email address unique in the test binary.
func unique(local string, n int64) string { return local + "." + itoa(n) + "@example.sk" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// auditFor lists the entries of action in customer cid's audit log, newest
// first, from the store (the log GET /v1/audit-log shows the customer's
// admins, read without logging one in).
func auditFor(t *testing.T, s *apitest.Stack, cid, action string) []clientzone.AuditEntry {
	t.Helper()
	page, err := s.Deps.DB.AuditLog(t.Context(), cid, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []clientzone.AuditEntry
	for _, e := range page.Entries {
		if action == "" || e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// auditLog reads the customer's audit log (newest first, up to 100
// entries) with an admin's token, as the customer's admin sees it.
func auditLog(t *testing.T, s *apitest.Stack, adminToken string) []clientzone.AuditEntry {
	t.Helper()
	r := s.Do(t, "GET", "/v1/audit-log?limit=100", adminToken, "")
	return apitest.Decode[struct{ Items []clientzone.AuditEntry }](t, r, 200).Items
}

// findAudit is the newest entry of action by actor, or nil.
func findAudit(entries []clientzone.AuditEntry, action, actor string) *clientzone.AuditEntry {
	for i := range entries {
		if entries[i].Action == action && entries[i].ActorID == actor {
			return &entries[i]
		}
	}
	return nil
}

// withInvoices gives the household the demo's seven invoices on contract
// ctid, through the back office: oldest first paid, paid, cancelled, paid,
// paid, unpaid and overdue, unpaid and not yet due. It returns them newest
// first, as the API lists them.
func (h *household) withInvoices(t *testing.T, s *apitest.Stack, ctid string) []*clientzone.Invoice {
	t.Helper()
	now := s.Deps.Clock.Now().UTC()
	plan := []struct {
		months int
		status clientzone.InvoiceStatus
		amount int64
	}{
		{-5, clientzone.InvoicePaid, 2990}, {-4, clientzone.InvoicePaid, 2990}, {-3, clientzone.InvoiceCancelled, 2990},
		{-3, clientzone.InvoicePaid, 2990}, {-2, clientzone.InvoicePaid, 8980}, {-1, clientzone.InvoiceUnpaid, 2990},
		{0, clientzone.InvoiceUnpaid, 2990},
	}
	var out []*clientzone.Invoice
	for i, p := range plan {
		issued := now.AddDate(0, p.months, -3).Add(time.Duration(i) * time.Minute)
		due := issued.AddDate(0, 0, 14)
		if p.months == 0 {
			issued, due = now.AddDate(0, 0, -1), now.AddDate(0, 0, 13)
		}
		in := s.NewInvoice(t, h.Customer, apitest.InvoiceSpec{ContractID: ctid, Status: p.status, IssuedOn: issued, DueOn: due, Amount: p.amount,
			Lines: []map[string]any{{"description": "Internet Optik 500/100", "quantity": 1,
				"unitPrice": map[string]any{"amount": p.amount, "currency": "EUR"}, "total": map[string]any{"amount": p.amount, "currency": "EUR"}}}})
		out = append([]*clientzone.Invoice{in}, out...)
	}
	return out
}

// devEvents lists the EventBridge events of customer cid (any when "") of
// detailType, from the dev server's event log (/dev/events).
func devEvents(t *testing.T, s *apitest.Stack, cid, detailType string) []devserver.DevEvent {
	t.Helper()
	r := s.Do(t, "GET", devserver.EventsPath+"?format=json", "", "")
	var out []devserver.DevEvent
	for _, e := range apitest.Decode[struct{ Events []devserver.DevEvent }](t, r, 200).Events {
		if e.DetailType == detailType && (cid == "" || e.CustomerID == cid) {
			out = append(out, e)
		}
	}
	return out
}
