package devserver

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
	"github.com/clientzone/clientzone/shared/schedule"
)

// Samples of events/ for the contract functions: statuses other than 200,
// the checks of their answers, and state they need first.
var (
	contractSampleStatuses = map[string]int{"tariff-change": 202, "addon-add": 201, "termination-request": 201}
	contractSampleChecks   = map[string]func(t *testing.T, b map[string]any){
		"contracts-list": func(t *testing.T, b map[string]any) {
			items, _ := b["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["number"] != "2024001" {
				t.Errorf("contracts-list body = %v", b)
				return
			}
			svc := items[0].(map[string]any)["services"].([]any)[0].(map[string]any)
			if svc["tariffName"] != "Optik 500/100" || svc["nextChargeDate"] == nil {
				t.Errorf("contracts-list service = %v", svc)
			}
		},
		"contract-get": func(t *testing.T, b map[string]any) {
			if b["id"] != demo.ContractSK || b["status"] != "active" || len(b["services"].([]any)) != 5 {
				t.Errorf("contract-get body = %v", b)
			}
		},
		"tariffs-list": func(t *testing.T, b map[string]any) {
			items, _ := b["items"].([]any)
			if len(items) < 5 {
				t.Errorf("tariffs-list body = %v", b)
			}
			for _, it := range items {
				if it.(map[string]any)["kind"] != "internet" {
					t.Errorf("tariffs-list ?kind=internet has %v", it)
				}
			}
		},
		"tariff-upsert": func(t *testing.T, b map[string]any) {
			if b["id"] != "optik-2000" || b["available"] != true || b["updatedAt"] == nil {
				t.Errorf("tariff-upsert body = %v", b)
			}
		},
		"tariff-change": func(t *testing.T, b map[string]any) { // 202 Accepted
			ch, _ := b["pendingTariffChange"].(map[string]any)
			if b["currentTariffId"] != "optik-500" || ch["tariffId"] != demo.TariffOptik1000 || ch["effectiveOn"] == "" {
				t.Errorf("tariff-change body = %v", b)
			}
		},
		"addon-add": func(t *testing.T, b map[string]any) { // 201 Created
			if b["tariffId"] != demo.TariffPublicIP || b["addon"] != true || b["status"] != "active" || b["id"] == "" {
				t.Errorf("addon-add body = %v", b)
			}
		},
		"addon-remove": func(t *testing.T, b map[string]any) {
			if b["removed"] != true || b["addonId"] != demo.AddonSK {
				t.Errorf("addon-remove body = %v", b)
			}
		},
		"suspension-start": func(t *testing.T, b map[string]any) {
			s, _ := b["suspension"].(map[string]any)
			fee, _ := s["dailyFee"].(map[string]any)
			if b["status"] != "suspended" || s["freeUntil"] == nil || fee["amount"] != float64(250) {
				t.Errorf("suspension-start body = %v", b)
			}
		},
		"suspension-end": func(t *testing.T, b map[string]any) {
			if b["status"] != "active" || b["suspension"] != nil {
				t.Errorf("suspension-end body = %v", b)
			}
		},
		"termination-request": func(t *testing.T, b map[string]any) { // 201 Created
			if b["status"] != "pending" || b["desiredEndOn"] != "2099-12-31" || b["contractId"] != demo.ContractSK {
				t.Errorf("termination-request body = %v", b)
			}
		},
		"contract-upsert": func(t *testing.T, b map[string]any) {
			svcs, _ := b["services"].([]any)
			if b["number"] != "2024002" || len(svcs) != 2 || svcs[0].(map[string]any)["tariffName"] != "Optik 300/50" {
				t.Errorf("contract-upsert body = %v", b)
			}
		},
	}
	samplePrepare = map[string]func(t *testing.T, st *Stack){
		"suspension-end":      func(t *testing.T, st *Stack) { ctSuspendDirectly(t, st, demo.CustomerSK, demo.ContractSK) },
		"termination-request": func(t *testing.T, st *Stack) { ctPayAll(t, st, demo.CustomerSK) },
	}
)

// ctSuspendDirectly stores contract ctid as suspended since 10 days ago.
func ctSuspendDirectly(t *testing.T, st *Stack, cid, ctid string) {
	t.Helper()
	ctx := context.Background()
	c, err := st.Deps.DB.Contract(ctx, cid, ctid)
	if err != nil {
		t.Fatal(err)
	}
	since := time.Now().UTC().AddDate(0, 0, -10).Format(time.DateOnly)
	c.Status, c.SuspendedOn = clientzone.StatusSuspended, since
	for i := range c.Services {
		c.Services[i].Status, c.Services[i].SuspendedOn = clientzone.StatusSuspended, since
	}
	if err := st.Deps.DB.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
}

// ctPayAll marks every unpaid invoice of cid paid.
func ctPayAll(t *testing.T, st *Stack, cid string) {
	t.Helper()
	ctx := context.Background()
	invs, err := st.Deps.DB.UnpaidInvoices(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		inv.CustomerID = cid
		inv.Status = clientzone.InvoicePaid
		now := time.Now().UTC()
		inv.PaidAt = &now
		if err := st.Deps.DB.PutInvoice(ctx, inv); err != nil {
			t.Fatal(err)
		}
	}
}

func ctGet(t *testing.T, base, token, ctid string) contracts.ContractView {
	t.Helper()
	return decodeJSON[contracts.ContractView](t, do(t, "GET", base+"/v1/contracts/"+ctid, token, ""), 200)
}

func ctService(t *testing.T, c contracts.ContractView, sid string) contracts.ServiceView {
	t.Helper()
	for _, s := range c.Services {
		if s.ID == sid {
			return s
		}
	}
	t.Fatalf("contract %s has no service %s", c.ID, sid)
	return contracts.ServiceView{}
}

func ctIdem() []string { return []string{"Idempotency-Key", "ct-" + clientzone.NewID()} }

const (
	ctSVC1 = "01JDEM0SK0000000000000SVC1" // internet optik-500, monthly
	ctSVC2 = "01JDEM0SK0000000000000SVC2" // voip-basic
	ctSVC3 = "01JDEM0SK0000000000000SVC3" // hosting web-profi, expires in 30 days
)

func TestContractsAndTariffsRead(t *testing.T) {
	_, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	tech := login(t, base, "technik", demo.TechPassword)
	hu := login(t, base, "admin@kovacs.hu", demo.HUPassword)

	list := decodeJSON[struct {
		Items []contracts.ContractView `json:"items"`
	}](t, do(t, "GET", base+"/v1/contracts", admin.AccessToken, ""), 200)
	if len(list.Items) != 1 || list.Items[0].ID != demo.ContractSK {
		t.Fatalf("SK contracts = %+v", list.Items)
	}
	c := list.Items[0]
	now := time.Now().UTC()
	if c.ExpiresOn != now.AddDate(0, 0, 7).Format(time.DateOnly) || c.NextChargeDate == "" || c.Suspension != nil || c.TerminationRequest != nil {
		t.Errorf("contract summary = %+v", c)
	}
	s1 := ctService(t, c, ctSVC1)
	if s1.TariffName != "Optik 500/100" || s1.BillingPeriod != "monthly" || s1.Status != clientzone.StatusActive || s1.PendingTariffChange != nil {
		t.Errorf("SVC1 = %+v", s1)
	}
	if a := ctService(t, c, demo.AddonSK); !a.Addon || a.TariffName != "Denná záloha webu" {
		t.Errorf("addon = %+v", a)
	}
	huList := decodeJSON[struct {
		Items []contracts.ContractView `json:"items"`
	}](t, do(t, "GET", base+"/v1/contracts", hu.AccessToken, ""), 200)
	if len(huList.Items) != 1 || huList.Items[0].ID != demo.ContractHU || huList.Items[0].Services[0].TariffName != "Tárhely Business" {
		t.Errorf("HU contracts = %+v", huList.Items)
	}

	pinWant(t, "tech lists contracts", do(t, "GET", base+"/v1/contracts", tech.AccessToken, ""), 403, clientzone.EFORBIDDEN)
	pinWant(t, "foreign contract", do(t, "GET", base+"/v1/contracts/"+demo.ContractHU, admin.AccessToken, ""), 404, clientzone.ENOTFOUND)
	pinWant(t, "unknown contract", do(t, "GET", base+"/v1/contracts/NOPE", admin.AccessToken, ""), 404, clientzone.ENOTFOUND)

	all := decodeJSON[struct {
		Items []clientzone.Tariff `json:"items"`
	}](t, do(t, "GET", base+"/v1/tariffs", admin.AccessToken, ""), 200)
	if len(all.Items) != len(demo.Catalog(now)) {
		t.Errorf("catalogue has %d tariffs, want %d", len(all.Items), len(demo.Catalog(now)))
	}
	tv := decodeJSON[struct {
		Items []clientzone.Tariff `json:"items"`
	}](t, do(t, "GET", base+"/v1/tariffs?kind=tv", admin.AccessToken, ""), 200)
	if len(tv.Items) != 2 || tv.Items[0].ID != demo.TariffTVStart || !tv.Items[0].Addon || tv.Items[0].Price.Amount != 799 {
		t.Errorf("tv tariffs = %+v", tv.Items)
	}
	balProblem(t, do(t, "GET", base+"/v1/tariffs?kind=radio", admin.AccessToken, ""), 400, clientzone.EINVALID, "kind")
	pinWant(t, "tech reads tariffs", do(t, "GET", base+"/v1/tariffs", tech.AccessToken, ""), 403, clientzone.EFORBIDDEN)
}

func TestTariffChange(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	u := base + "/v1/contracts/" + demo.ContractSK + "/services/" + ctSVC1 + "/tariff-change"
	post := func(body string) response { return do(t, "POST", u, admin.AccessToken, body, ctIdem()...) }

	pinWant(t, "no PIN", post(`{"tariffId":"optik-1000"}`), 403, clientzone.EPINREQUIRED)
	pinWant(t, "wrong PIN", post(`{"tariffId":"optik-1000","pin":"0000"}`), 403, clientzone.EPININVALID)
	pinReset(t, st, demo.CustomerSK, demo.DemoPIN)
	for body, code := range map[string]string{
		`{"tariffId":"voip-unlimited","pin":"7391"}`: "kind",
		`{"tariffId":"public-ip","pin":"7391"}`:      "addon",
		`{"tariffId":"dsl-20","pin":"7391"}`:         "unavailable",
		`{"tariffId":"optik-500","pin":"7391"}`:      "current",
		`{"tariffId":"no-such","pin":"7391"}`:        "unknown",
	} {
		r := post(body)
		pinFieldError(t, body, r, "tariffId", code)
	}
	balProblem(t, post(`{"pin":"7391"}`), 400, clientzone.EINVALID, "tariffId")
	pinWant(t, "no Idempotency-Key", do(t, "POST", u, admin.AccessToken, `{"tariffId":"optik-1000","pin":"7391"}`), 400, clientzone.EINVALID)
	pinWant(t, "foreign contract", do(t, "POST", base+"/v1/contracts/"+demo.ContractHU+"/services/01JDEM0HQ0000000000000SVC1/tariff-change",
		admin.AccessToken, `{"tariffId":"tarhely-start","pin":"7391"}`, ctIdem()...), 404, clientzone.ENOTFOUND)
	pinWant(t, "service of another contract", do(t, "POST", base+"/v1/contracts/"+demo.ContractSK+"/services/01JDEM0HQ0000000000000SVC1/tariff-change",
		admin.AccessToken, `{"tariffId":"tarhely-start","pin":"7391"}`, ctIdem()...), 404, clientzone.ENOTFOUND)
	pinWant(t, "addon service", do(t, "POST", base+"/v1/contracts/"+demo.ContractSK+"/services/"+demo.AddonSK+"/tariff-change",
		admin.AccessToken, `{"tariffId":"web-start","pin":"7391"}`, ctIdem()...), 409, clientzone.ECONFLICT)

	before := ctGet(t, base, admin.AccessToken, demo.ContractSK)
	key := ctIdem()
	r := do(t, "POST", u, admin.AccessToken, `{"tariffId":"optik-1000","pin":"7391"}`, key...)
	res := decodeJSON[contracts.TariffChangeResult](t, r, 202)
	if res.Current != "optik-500" || res.Change.TariffID != "optik-1000" || res.Change.Price.Amount != 3490 ||
		res.Change.EffectiveOn != ctService(t, before, ctSVC1).NextChargeDate || res.Change.RequestedBy != demo.PersonAdmin {
		t.Fatalf("tariff change = %+v", res)
	}
	again := do(t, "POST", u, admin.AccessToken, `{"tariffId":"optik-1000","pin":"7391"}`, key...)
	if again.status != 202 || again.header.Get("Idempotent-Replayed") != "true" || string(again.body) != string(r.body) {
		t.Errorf("replay: %d %v %s", again.status, again.header, again.body)
	}
	after := ctService(t, ctGet(t, base, admin.AccessToken, demo.ContractSK), ctSVC1)
	if after.TariffID != "optik-500" || after.PendingTariffChange == nil || after.PendingTariffChange.TariffID != "optik-1000" {
		t.Errorf("service after the request = %+v", after)
	}
	if msgs := pinOutbox(t, st, "contract-change"); len(msgs) != 1 || msgs[0].To != "jan.novak@example.sk" ||
		msgs[0].Data["action"] != "tariff-change" || msgs[0].Data["tariffName"] != "Optik 1000/300" || msgs[0].Language != clientzone.LangSK {
		t.Errorf("outbox = %+v", msgs)
	}
	if a := pinAudit(t, st, demo.CustomerSK, "contract.tariff-change"); len(a) != 1 || a[0].Details["to"] != "optik-1000" || a[0].TargetID != ctSVC1 {
		t.Errorf("audit = %+v", a)
	}

	// Once the effective date has passed, the read view shows the new tariff.
	ctx := context.Background()
	c, err := st.Deps.DB.Contract(ctx, demo.CustomerSK, demo.ContractSK)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Services {
		if c.Services[i].ID == ctSVC2 {
			c.Services[i].PendingTariffChange = &clientzone.TariffChange{TariffID: "voip-unlimited", TariffName: "VoIP Neobmedzene",
				Price: clientzone.Money{Amount: 1200, Currency: "EUR"}, EffectiveOn: time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)}
		}
	}
	if err := st.Deps.DB.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	s2 := ctService(t, ctGet(t, base, admin.AccessToken, demo.ContractSK), ctSVC2)
	if s2.TariffID != "voip-unlimited" || s2.TariffName != "VoIP Neobmedzene" || s2.Price.Amount != 1200 || s2.PendingTariffChange != nil {
		t.Errorf("service after the effective date = %+v", s2)
	}

	// The back office's contract upsert replaces the pending change.
	up := `{"number":"2024001","status":"active","signedAt":"2024-11-23T10:00:00Z","services":[{"id":"` + ctSVC1 +
		`","kind":"internet","name":"Optik 1000/300","tariffId":"optik-1000","status":"active","billingPeriod":"monthly","price":{"amount":3490,"currency":"EUR"},"nextChargeDate":"2099-01-01"}]}`
	decodeJSON[contracts.ContractView](t, do(t, "PUT", base+"/admin/v1/customers/"+demo.CustomerSK+"/contracts/"+demo.ContractSK, "", up), 200)
	s1 := ctService(t, ctGet(t, base, admin.AccessToken, demo.ContractSK), ctSVC1)
	if s1.TariffID != "optik-1000" || s1.PendingTariffChange != nil || s1.NextChargeDate != "2099-01-01" {
		t.Errorf("service after the back-office upsert = %+v", s1)
	}
}

func TestAddons(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	bills := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	u := base + "/v1/contracts/" + demo.ContractSK + "/addons"

	balProblem(t, do(t, "POST", u, admin.AccessToken, `{"tariffId":"optik-1000"}`, ctIdem()...), 400, clientzone.EINVALID, "tariffId")
	balProblem(t, do(t, "POST", u, admin.AccessToken, `{}`, ctIdem()...), 400, clientzone.EINVALID, "tariffId")
	pinWant(t, "bills adds", do(t, "POST", u, bills.AccessToken, `{"tariffId":"public-ip"}`, ctIdem()...), 403, clientzone.EFORBIDDEN)
	pinWant(t, "foreign contract", do(t, "POST", base+"/v1/contracts/"+demo.ContractHU+"/addons", admin.AccessToken, `{"tariffId":"public-ip"}`, ctIdem()...), 404, clientzone.ENOTFOUND)

	r := do(t, "POST", u, admin.AccessToken, `{"tariffId":"tv-start"}`, ctIdem()...)
	added := decodeJSON[contracts.ServiceView](t, r, 201)
	if !added.Addon || added.Kind != clientzone.ServiceTV || added.Price.Amount != 799 || added.NextChargeDate == "" ||
		r.header.Get("Location") != "/v1/contracts/"+demo.ContractSK+"/addons/"+added.ID {
		t.Fatalf("added = %+v, Location %q", added, r.header.Get("Location"))
	}
	if got := ctService(t, ctGet(t, base, admin.AccessToken, demo.ContractSK), added.ID); got.TariffName != "TV Štart" || got.Status != clientzone.StatusActive {
		t.Errorf("addon in the contract = %+v", got)
	}

	pinWant(t, "remove a base service", do(t, "DELETE", u+"/"+ctSVC1, admin.AccessToken, ""), 409, clientzone.ECONFLICT)
	pinWant(t, "remove foreign", do(t, "DELETE", base+"/v1/contracts/"+demo.ContractHU+"/addons/01JDEM0HQ0000000000000SVC1", admin.AccessToken, ""), 404, clientzone.ENOTFOUND)
	rm := decodeJSON[contracts.AddonRemoval](t, do(t, "DELETE", u+"/"+added.ID, admin.AccessToken, ""), 200)
	if !rm.Removed || rm.AddonID != added.ID || rm.RemovedOn != time.Now().UTC().Format(time.DateOnly) {
		t.Errorf("removal = %+v", rm)
	}
	pinWant(t, "remove twice", do(t, "DELETE", u+"/"+added.ID, admin.AccessToken, ""), 404, clientzone.ENOTFOUND)
	if c := ctGet(t, base, admin.AccessToken, demo.ContractSK); len(c.Services) != 5 {
		t.Errorf("services after removal = %d, want 5", len(c.Services))
	}
	if a := pinAudit(t, st, demo.CustomerSK, "contract.addon-add"); len(a) != 1 || a[0].Details["tariffId"] != "tv-start" {
		t.Errorf("add audit = %+v", a)
	}
	if a := pinAudit(t, st, demo.CustomerSK, "contract.addon-remove"); len(a) != 1 || a[0].TargetID != added.ID {
		t.Errorf("remove audit = %+v", a)
	}
	if msgs := pinOutbox(t, st, "contract-change"); len(msgs) != 2 {
		t.Errorf("outbox = %+v", msgs)
	}
}

func TestSuspension(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	u := base + "/v1/contracts/" + demo.ContractSK + "/suspension"
	ctx := context.Background()
	today := time.Now().UTC()
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }

	pinWant(t, "no PIN", do(t, "POST", u, admin.AccessToken, `{}`, ctIdem()...), 403, clientzone.EPINREQUIRED)
	pinWant(t, "wrong PIN", do(t, "POST", u, admin.AccessToken, `{"pin":"1111"}`, ctIdem()...), 403, clientzone.EPININVALID)
	pinReset(t, st, demo.CustomerSK, demo.DemoPIN)
	pinWant(t, "foreign", do(t, "POST", base+"/v1/contracts/"+demo.ContractHU+"/suspension", admin.AccessToken, `{"pin":"7391"}`, ctIdem()...), 404, clientzone.ENOTFOUND)
	pinWant(t, "not suspended yet", do(t, "DELETE", u, admin.AccessToken, "", "X-Authorization-PIN", demo.DemoPIN), 409, clientzone.ECONFLICT)

	c := decodeJSON[contracts.ContractView](t, do(t, "POST", u, admin.AccessToken, `{"pin":"7391"}`, ctIdem()...), 200)
	s := c.Suspension
	if c.Status != clientzone.StatusSuspended || s == nil || s.Since != day(0) || s.FreeUntil != day(59) || s.FeesFrom != day(60) ||
		s.DailyFeePerService != (clientzone.Money{Amount: 50, Currency: "EUR"}) || s.DailyFee.Amount != 250 || s.SuspendedServices != 5 {
		t.Fatalf("suspended contract = %+v / %+v", c, s)
	}
	for _, sv := range c.Services {
		if sv.Status != clientzone.StatusSuspended || sv.SuspendedOn != day(0) {
			t.Errorf("service %s = %s since %s", sv.ID, sv.Status, sv.SuspendedOn)
		}
	}
	// The fee job finds the services (GSI1), and the hosting still gets
	// expiry reminders (GSI2).
	found := map[string]bool{}
	if _, err := st.Deps.DB.SuspendedServices(ctx, func(s *schedule.ScheduledService) error {
		found[s.ID] = s.CustomerID == demo.CustomerSK
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(found) != 5 || !found[ctSVC3] {
		t.Errorf("suspended services = %v", found)
	}
	expiring := 0
	if _, err := st.Deps.DB.ServicesExpiringOn(ctx, day(30), func(s *schedule.ScheduledService) error {
		if s.ID == ctSVC3 {
			expiring++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if expiring != 1 {
		t.Error("the suspended hosting is no longer on its expiry date")
	}
	if msgs := pinOutbox(t, st, "contract-change"); len(msgs) != 1 || msgs[0].Data["freeUntil"] != day(59) || msgs[0].Data["dailyFee"] != "2.50 EUR" {
		t.Errorf("outbox = %+v", msgs)
	}

	pinWant(t, "suspend twice", do(t, "POST", u, admin.AccessToken, `{"pin":"7391"}`, ctIdem()...), 409, clientzone.ECONFLICT)
	pinWant(t, "addon while suspended", do(t, "POST", base+"/v1/contracts/"+demo.ContractSK+"/addons", admin.AccessToken, `{"tariffId":"public-ip"}`, ctIdem()...), 409, clientzone.ECONFLICT)
	pinWant(t, "tariff change while suspended", do(t, "POST", base+"/v1/contracts/"+demo.ContractSK+"/services/"+ctSVC1+"/tariff-change",
		admin.AccessToken, `{"tariffId":"optik-1000","pin":"7391"}`, ctIdem()...), 409, clientzone.ECONFLICT)

	pinWant(t, "resume without PIN", do(t, "DELETE", u, admin.AccessToken, ""), 403, clientzone.EPINREQUIRED)
	pinWant(t, "resume wrong PIN", do(t, "DELETE", u, admin.AccessToken, "", "X-Authorization-PIN", "2580"), 403, clientzone.EPININVALID)
	pinReset(t, st, demo.CustomerSK, demo.DemoPIN)
	pinWant(t, "resume foreign", do(t, "DELETE", base+"/v1/contracts/"+demo.ContractHU+"/suspension", admin.AccessToken, "", "X-Authorization-PIN", demo.DemoPIN), 404, clientzone.ENOTFOUND)
	c = decodeJSON[contracts.ContractView](t, do(t, "DELETE", u, admin.AccessToken, "", "X-Authorization-PIN", demo.DemoPIN), 200)
	if c.Status != clientzone.StatusActive || c.Suspension != nil {
		t.Fatalf("resumed contract = %+v", c)
	}
	for _, sv := range c.Services {
		if sv.Status != clientzone.StatusActive || sv.SuspendedOn != "" {
			t.Errorf("service %s = %s since %s", sv.ID, sv.Status, sv.SuspendedOn)
		}
	}
	n, err := st.Deps.DB.SuspendedServices(ctx, func(s *schedule.ScheduledService) error {
		t.Errorf("still suspended: %s", s.ID)
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("SuspendedServices: %d pages, %v", n, err)
	}
	pinWant(t, "resume twice", do(t, "DELETE", u, admin.AccessToken, "", "X-Authorization-PIN", demo.DemoPIN), 409, clientzone.ECONFLICT)
	if a := pinAudit(t, st, demo.CustomerSK, "contract.suspend"); len(a) != 1 {
		t.Errorf("suspend audit = %+v", a)
	}
	if a := pinAudit(t, st, demo.CustomerSK, "contract.resume"); len(a) != 1 || a[0].Details["services"] != "5" {
		t.Errorf("resume audit = %+v", a)
	}
}

func TestTerminationRequest(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	u := base + "/v1/contracts/" + demo.ContractSK + "/termination-request"
	post := func(body string, h ...string) response {
		return do(t, "POST", u, admin.AccessToken, body, append(ctIdem(), h...)...)
	}
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)

	balProblem(t, post(`{"pin":"7391"}`), 400, clientzone.EINVALID, "desiredEndOn")
	balProblem(t, post(`{"desiredEndOn":"31.12.2026","pin":"7391"}`), 400, clientzone.EINVALID, "desiredEndOn")
	pinFieldError(t, "past date", post(`{"desiredEndOn":"`+yesterday+`","pin":"7391"}`), "desiredEndOn", "past")
	pinWant(t, "no PIN", post(`{"desiredEndOn":"`+tomorrow+`"}`), 403, clientzone.EPINREQUIRED)
	pinWant(t, "wrong PIN", post(`{"desiredEndOn":"`+tomorrow+`","pin":"0000"}`), 403, clientzone.EPININVALID)
	pinReset(t, st, demo.CustomerSK, demo.DemoPIN)
	pinWant(t, "foreign", do(t, "POST", base+"/v1/contracts/"+demo.ContractHU+"/termination-request", admin.AccessToken,
		`{"desiredEndOn":"`+tomorrow+`","pin":"7391"}`, ctIdem()...), 404, clientzone.ENOTFOUND)

	// Two unpaid invoices of 29.90 EUR (one overdue): debt.
	r := post(`{"desiredEndOn":"`+tomorrow+`","pin":"7391"}`, "Accept-Language", "sk")
	pinWant(t, "debt", r, 409, clientzone.EDEBT)
	if p := r.problem(t); !strings.Contains(p.Detail, "59.80 EUR") || !strings.HasPrefix(p.Detail, "Dlžíte") {
		t.Errorf("debt detail = %q", p.Detail)
	}

	ctPayAll(t, st, demo.CustomerSK)
	// A negative prepaid balance is debt too.
	balBook(t, st.Deps.DB, demo.CustomerSK, clientzone.TxnFee, -150, "EUR")
	r = post(`{"desiredEndOn":"` + tomorrow + `","pin":"7391"}`)
	pinWant(t, "negative balance", r, 409, clientzone.EDEBT)
	if p := r.problem(t); !strings.Contains(p.Detail, "1.50 EUR") {
		t.Errorf("balance debt detail = %q", p.Detail)
	}
	balBook(t, st.Deps.DB, demo.CustomerSK, clientzone.TxnTopUp, 150, "EUR")

	tr := decodeJSON[clientzone.TerminationRequest](t, post(`{"desiredEndOn":"`+tomorrow+`","reason":"Moving abroad.","pin":"7391"}`), 201)
	if tr.Status != clientzone.TerminationPending || tr.DesiredEndOn != tomorrow || tr.RequestedBy != demo.PersonAdmin || tr.Reason != "Moving abroad." {
		t.Fatalf("termination request = %+v", tr)
	}
	pinWant(t, "second request", post(`{"desiredEndOn":"`+tomorrow+`","pin":"7391"}`), 409, clientzone.ECONFLICT)
	c := ctGet(t, base, admin.AccessToken, demo.ContractSK)
	if c.TerminationRequest == nil || c.TerminationRequest.DesiredEndOn != tomorrow {
		t.Errorf("contract after the request = %+v", c)
	}
	if msgs := pinOutbox(t, st, "contract-change"); len(msgs) != 1 || msgs[0].Data["endOn"] != tomorrow {
		t.Errorf("outbox = %+v", msgs)
	}
	if a := pinAudit(t, st, demo.CustomerSK, "contract.termination-request"); len(a) != 1 {
		t.Errorf("audit = %+v", a)
	}
	// A back-office upsert of the contract keeps the pending request.
	up := `{"number":"2024001","status":"active","signedAt":"2024-11-23T10:00:00Z","services":[]}`
	if got := decodeJSON[contracts.ContractView](t, do(t, "PUT", base+"/admin/v1/customers/"+demo.CustomerSK+"/contracts/"+demo.ContractSK, "", up), 200); got.TerminationRequest == nil {
		t.Errorf("upsert dropped the termination request: %+v", got)
	}
}

func TestBackOfficeContractsAndTariffs(t *testing.T) {
	_, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	put := func(path, body string) response { return do(t, "PUT", base+path, "", body) }

	tariff := `{"kind":"tv","name":"TV Max","price":{"amount":1999,"currency":"EUR"},"billingPeriod":"monthly","addon":true,"available":true,"parameters":{"channels":"180"}}`
	got := decodeJSON[clientzone.Tariff](t, put("/admin/v1/tariffs/tv-max", tariff), 200)
	if got.ID != "tv-max" || got.Parameters["channels"] != "180" || got.UpdatedAt.IsZero() {
		t.Errorf("tariff = %+v", got)
	}
	tv := decodeJSON[struct {
		Items []clientzone.Tariff `json:"items"`
	}](t, do(t, "GET", base+"/v1/tariffs?kind=tv", admin.AccessToken, ""), 200)
	if len(tv.Items) != 3 || tv.Items[2].ID != "tv-max" {
		t.Errorf("tv tariffs = %+v", tv.Items)
	}
	balProblem(t, put("/admin/v1/tariffs/tv-max", `{"kind":"tv","name":"X","price":{"amount":1,"currency":"EUR"},"billingPeriod":"weekly"}`), 400, clientzone.EINVALID, "billingPeriod")
	balProblem(t, put("/admin/v1/tariffs/tv-max", `{"kind":"radio","name":"X","price":{"amount":1,"currency":"EUR"},"billingPeriod":"monthly"}`), 400, clientzone.EINVALID, "kind")
	balProblem(t, put("/admin/v1/tariffs/tv-max", `{"kind":"tv","name":"X","billingPeriod":"monthly"}`), 400, clientzone.EINVALID, "price")

	svc := func(id, extra string) string {
		return `{"id":"` + id + `","kind":"internet","name":"Optik","tariffId":"optik-300","status":"active","billingPeriod":"monthly","price":{"amount":1990,"currency":"EUR"}` + extra + `}`
	}
	contract := func(services ...string) string {
		return `{"number":"2024002","status":"active","signedAt":"2026-11-20T10:00:00Z","services":[` + strings.Join(services, ",") + `]}`
	}
	path := "/admin/v1/customers/" + demo.CustomerSK + "/contracts/CTR2"
	c := decodeJSON[contracts.ContractView](t, put(path, contract(svc("S1", ""), svc("S2", `,"addon":true,"tariffId":"public-ip"`))), 200)
	if c.ID != "CTR2" || len(c.Services) != 2 || c.Services[0].TariffName != "Optik 300/50" || !c.Services[1].Addon {
		t.Errorf("upserted contract = %+v", c)
	}
	list := decodeJSON[struct {
		Items []contracts.ContractView `json:"items"`
	}](t, do(t, "GET", base+"/v1/contracts", admin.AccessToken, ""), 200)
	if len(list.Items) != 2 {
		t.Errorf("contracts after upsert = %d, want 2", len(list.Items))
	}
	// Replacing drops services not listed.
	c = decodeJSON[contracts.ContractView](t, put(path, contract(svc("S1", ""))), 200)
	if len(c.Services) != 1 {
		t.Errorf("services after replacing = %+v", c.Services)
	}
	pinWant(t, "unknown customer", put("/admin/v1/customers/NOPE/contracts/CTR2", contract(svc("S1", ""))), 404, clientzone.ENOTFOUND)
	balProblem(t, put(path, contract(svc("S1", ""), svc("S1", ""))), 400, clientzone.EINVALID, "services[1].id")
	balProblem(t, put(path, contract(svc("S1", `,"kind":"radio"`))), 400, clientzone.EINVALID, "")
	balProblem(t, put(path, contract(svc("S1", `,"status":"suspended"`))), 400, clientzone.EINVALID, "services[0].suspendedOn")
	balProblem(t, put(path, contract(svc("S1", `,"expiresOn":"2026-13-45"`))), 400, clientzone.EINVALID, "")
	balProblem(t, put(path, `{"number":"2024002","status":"paused","signedAt":"2026-11-20T10:00:00Z"}`), 400, clientzone.EINVALID, "status")
}

// The review fixes: provider vs voluntary suspension, events of customer
// changes, pending tariff changes kept by back-office upserts, resolvable
// termination requests, validation of ids, tariffs, currencies, billing
// periods and addon kinds.
func TestContractReviewFixes(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	ctid := "CTR9"
	adminPath := "/admin/v1/customers/" + demo.CustomerSK + "/contracts/" + ctid
	put := func(body string) response { return do(t, "PUT", base+adminPath, "", body) }
	svc := func(extra string) string {
		return `{"id":"NET9","kind":"internet","name":"Optik","tariffId":"optik-300","status":"active","billingPeriod":"monthly","price":{"amount":1990,"currency":"EUR"}` + extra + `}`
	}
	contract := func(status, extra string, services ...string) string {
		return `{"number":"2024009","status":"` + status + `","signedAt":"2026-11-20T10:00:00Z"` + extra + `,"services":[` + strings.Join(services, ",") + `]}`
	}
	u := base + "/v1/contracts/" + ctid
	today := time.Now().UTC().Format(time.DateOnly)

	// Upsert validation: catalogue tariff, the customer's currency, ids.
	pinFieldError(t, "unknown tariff", put(contract("active", "", svc(`,"tariffId":"optik-9999"`))), "services[0].tariffId", "unknown")
	pinFieldError(t, "foreign currency", put(contract("active", "", svc(`,"price":{"amount":1990,"currency":"HUF"}`))), "services[0].price.currency", "currency")
	pinFieldError(t, "# in a tariff id", put(contract("active", "", svc(`,"tariffId":"optik#300"`))), "services[0].tariffId", "")
	pinFieldError(t, "pending change of an unknown tariff", put(contract("active", "", svc(`,"pendingTariffChange":{"tariffId":"nope","effectiveOn":"2027-01-01"}`))),
		"services[0].pendingTariffChange.tariffId", "unknown")

	// A back-office block: a provider suspension the customer cannot lift,
	// without fees.
	c := decodeJSON[contracts.ContractView](t, put(contract("suspended", "", svc(`,"status":"suspended","suspendedOn":"`+today+`"`))), 200)
	if s := c.Suspension; s == nil || s.Kind != clientzone.SuspensionProvider || s.FeesFrom != "" || s.DailyFee.Amount != 0 || c.Services[0].SuspensionKind != clientzone.SuspensionProvider {
		t.Fatalf("provider suspension = %+v / %+v", c, c.Suspension)
	}
	r := do(t, "DELETE", u+"/suspension", admin, "", "X-Authorization-PIN", demo.DemoPIN, "Accept-Language", "sk")
	pinWant(t, "resume a provider block", r, 409, clientzone.ESUSPENDEDBYPROVIDER)
	if p := r.problem(t); !strings.HasPrefix(p.Detail, "Túto zmluvu pozastavil poskytovateľ") {
		t.Errorf("provider block detail = %q", p.Detail)
	}
	if got := ctGet(t, base, admin, ctid); got.Status != clientzone.StatusSuspended {
		t.Fatalf("after the refused resume: %+v", got)
	}
	// The back office lifts it.
	c = decodeJSON[contracts.ContractView](t, put(contract("active", "", svc(""))), 200)
	if c.Status != clientzone.StatusActive || c.Suspension != nil {
		t.Fatalf("lifted = %+v", c)
	}

	// Customer changes publish clientzone.contract.* events.
	c = decodeJSON[contracts.ContractView](t, do(t, "POST", u+"/suspension", admin, `{"pin":"7391"}`, ctIdem()...), 200)
	if s := c.Suspension; s == nil || s.Kind != clientzone.SuspensionVoluntary || s.FeesFrom == "" || s.FreeUntil == "" {
		t.Fatalf("voluntary suspension = %+v", c.Suspension)
	}
	// Re-sent by the back office without a kind: still voluntary, resumable.
	c = decodeJSON[contracts.ContractView](t, put(contract("suspended", "", svc(`,"status":"suspended","suspendedOn":"`+today+`"`))), 200)
	if c.Suspension == nil || c.Suspension.Kind != clientzone.SuspensionVoluntary {
		t.Fatalf("re-sent voluntary suspension = %+v", c.Suspension)
	}
	c = decodeJSON[contracts.ContractView](t, do(t, "DELETE", u+"/suspension", admin, "", "X-Authorization-PIN", demo.DemoPIN), 200)
	if c.Status != clientzone.StatusActive {
		t.Fatalf("resumed = %+v", c)
	}
	for _, action := range []string{"suspend", "resume"} {
		evs := devEventsOf(t, base, contracts.ContractEventPrefix+action)
		if len(evs) != 1 || !strings.Contains(string(evs[0].Detail), `"contractId":"`+ctid+`"`) || !strings.Contains(string(evs[0].Detail), `"contractNumber":"2024009"`) {
			t.Errorf("%s events = %+v", action, evs)
		}
	}

	// A pending tariff change survives a back-office upsert; null clears it.
	decodeJSON[contracts.TariffChangeResult](t, do(t, "POST", u+"/services/NET9/tariff-change", admin, `{"tariffId":"optik-500","pin":"7391"}`, ctIdem()...), 202)
	c = decodeJSON[contracts.ContractView](t, put(contract("active", "", svc(""))), 200)
	if pc := c.Services[0].PendingTariffChange; pc == nil || pc.TariffID != "optik-500" {
		t.Fatalf("upsert dropped the pending change: %+v", c.Services[0])
	}
	if evs := devEventsOf(t, base, contracts.ContractEventPrefix+"tariff_change"); len(evs) != 1 || !strings.Contains(string(evs[0].Detail), `"to":"optik-500"`) {
		t.Errorf("tariff_change events = %+v", evs)
	}
	c = decodeJSON[contracts.ContractView](t, put(contract("active", "", svc(`,"pendingTariffChange":null`))), 200)
	if c.Services[0].PendingTariffChange != nil {
		t.Fatalf("null kept the pending change: %+v", c.Services[0])
	}
	c = decodeJSON[contracts.ContractView](t, put(contract("active", "", svc(`,"pendingTariffChange":{"tariffId":"optik-1000","effectiveOn":"2027-02-01"}`))), 200)
	if pc := c.Services[0].PendingTariffChange; pc == nil || pc.TariffID != "optik-1000" || pc.TariffName != "Optik 1000/300" || pc.Price.Amount != 3490 {
		t.Fatalf("pending change set by the back office: %+v", c.Services[0])
	}

	// Tariff change across billing periods; addons of a kind the contract
	// has no service of; ids with '#'.
	decodeJSON[clientzone.Tariff](t, do(t, "PUT", base+"/admin/v1/tariffs/optik-300-year", "",
		`{"kind":"internet","name":"Optik 300 ročne","price":{"amount":19900,"currency":"EUR"},"billingPeriod":"yearly","available":true}`), 200)
	pinFieldError(t, "monthly to yearly", do(t, "POST", u+"/services/NET9/tariff-change", admin, `{"tariffId":"optik-300-year","pin":"7391"}`, ctIdem()...),
		"tariffId", "billing_period")
	pinFieldError(t, "hosting addon on internet only", do(t, "POST", u+"/addons", admin, `{"tariffId":"web-backup"}`, ctIdem()...), "tariffId", "kind")
	pinFieldError(t, "# in a tariff id", do(t, "POST", u+"/addons", admin, `{"tariffId":"public#ip"}`, ctIdem()...), "tariffId", "")
	pinFieldError(t, "# in an addon id", do(t, "DELETE", u+"/addons/X%23SVC", admin, ""), "addonId", "")
	pinFieldError(t, "# in a contract id", do(t, "GET", base+"/v1/contracts/"+ctid+"%23SVC%23NET9", admin, ""), "contractId", "")

	// Termination requests: resolved by the back office; only a pending one
	// blocks a new one.
	pinWant(t, "resolve nothing", put(contract("active", `,"terminationRequest":{"status":"rejected"}`, svc(""))), 409, clientzone.ECONFLICT)
	pinFieldError(t, "bad resolution", put(contract("active", `,"terminationRequest":{"status":"maybe"}`, svc(""))), "terminationRequest.status", "")
	ctPayAll(t, st, demo.CustomerSK)
	tu := u + "/termination-request"
	decodeJSON[clientzone.TerminationRequest](t, do(t, "POST", tu, admin, `{"desiredEndOn":"2099-12-31","pin":"7391"}`, ctIdem()...), 201)
	pinWant(t, "second request", do(t, "POST", tu, admin, `{"desiredEndOn":"2099-12-31","pin":"7391"}`, ctIdem()...), 409, clientzone.ECONFLICT)
	c = decodeJSON[contracts.ContractView](t, put(contract("active", `,"terminationRequest":{"status":"rejected"}`, svc(""))), 200)
	if tr := c.TerminationRequest; tr == nil || tr.Status != clientzone.TerminationRejected || tr.ResolvedAt == nil {
		t.Fatalf("rejected request = %+v", c.TerminationRequest)
	}
	decodeJSON[clientzone.TerminationRequest](t, do(t, "POST", tu, admin, `{"desiredEndOn":"2099-11-30","pin":"7391"}`, ctIdem()...), 201)
	if evs := devEventsOf(t, base, contracts.ContractEventPrefix+"termination_request"); len(evs) != 2 {
		t.Errorf("termination_request events = %d, want 2", len(evs))
	}
	// Terminating the contract accepts the pending request.
	c = decodeJSON[contracts.ContractView](t, put(contract("terminated", "", svc(`,"status":"terminated"`))), 200)
	if tr := c.TerminationRequest; tr == nil || tr.Status != clientzone.TerminationAccepted || tr.DesiredEndOn != "2099-11-30" {
		t.Fatalf("accepted request = %+v", c.TerminationRequest)
	}
}
