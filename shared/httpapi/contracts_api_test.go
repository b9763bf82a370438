package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
	"github.com/clientzone/clientzone/shared/schedule"
)

// ctFixture is what the contract tests start from, made through the back
// office: the demo catalogue under the test's own tariff ids (tf maps a
// demo id to it), a household with the demo contract on it (whose number
// is the admin's login) and the demo invoices, its PIN, and a Hungarian
// company with a hosting contract.
type ctFixture struct {
	h        *household
	ct       *clientzone.Contract
	invoices []*clientzone.Invoice
	pin      string
	hu       *apitest.Account
	huCt     *clientzone.Contract
	tf       func(string) string
}

func newCtFixture(t *testing.T, s *apitest.Stack) *ctFixture {
	t.Helper()
	now := time.Now().UTC()
	suffix := fmt.Sprintf("-t%d", apitest.Seq())
	tf := func(id string) string { return id + suffix }
	for _, tr := range demo.Catalog(now) {
		body := map[string]any{"kind": tr.Kind, "name": tr.Name, "description": tr.Description, "price": tr.Price,
			"billingPeriod": tr.BillingPeriod, "addon": tr.Addon, "available": tr.Available}
		if tr.Parameters != nil {
			body["parameters"] = tr.Parameters
		}
		if r := s.Do(t, "PUT", "/admin/v1/tariffs/"+tf(tr.ID), "", apitest.JSON(t, body)); r.Status != 200 {
			t.Fatalf("tariff %s: %d %s", tr.ID, r.Status, r.Body)
		}
	}
	f := &ctFixture{h: newHousehold(t, s), tf: tf}
	f.ct = s.NewContract(t, f.h.Customer, apitest.ContractSpec{Services: []apitest.ServiceSpec{
		{Kind: clientzone.ServiceInternet, Name: "Optik 500/100", TariffID: tf("optik-500"), Price: 2490},
		{Kind: clientzone.ServiceVoIP, Name: "VoIP Basic", TariffID: tf("voip-basic"), Price: 500},
		{Kind: clientzone.ServiceHosting, Name: "Webhosting Profi", TariffID: tf("web-profi"), BillingPeriod: "yearly", Price: 5990,
			ExpiresOn: apitest.Date(now.AddDate(0, 0, 30))},
		{Kind: clientzone.ServiceDomain, Name: "novak.sk", TariffID: tf("domain-sk"), BillingPeriod: "yearly", Price: 1500,
			ExpiresOn: apitest.Date(now.AddDate(0, 0, 7))},
		{Kind: clientzone.ServiceHosting, Name: "Denná záloha webu", TariffID: tf("web-backup"), BillingPeriod: "yearly", Price: 1200,
			Addon: true, NextChargeDate: apitest.Date(now.AddDate(0, 4, 0))},
	}})
	s.LinkContractLogin(t, f.h.Customer, f.ct.ID, f.h.Admin.ID)
	f.invoices = f.h.withInvoices(t, s, f.ct.ID)
	f.pin = s.IssuePIN(t, f.h.Customer)
	f.hu = s.NewAccount(t, apitest.CustomerSpec{Kind: "company", Name: "Kovács és Társa Kft.", Currency: "HUF", Country: "HU",
		City: "Budapest", PostalCode: "1011", Language: clientzone.LangHU, Phone: fmt.Sprintf("+36301%06d", apitest.Seq())})
	f.huCt = s.NewContract(t, f.hu.Customer, apitest.ContractSpec{Number: apitest.Unique("VCRM-"), Services: []apitest.ServiceSpec{
		{Kind: clientzone.ServiceHosting, Name: "Tárhely Business", TariffID: tf("tarhely-business"), BillingPeriod: "yearly", Price: 4800000,
			ExpiresOn: apitest.Date(now.AddDate(0, 0, 60))}}})
	return f
}

// payAll marks the household's unpaid invoices paid, as the back office's
// invoice sync does once they are paid elsewhere.
func payAll(t *testing.T, s *apitest.Stack, h *household, invoices []*clientzone.Invoice) {
	t.Helper()
	for _, in := range invoices {
		if in.Status == clientzone.InvoicePaid || in.Status == clientzone.InvoiceCancelled {
			continue
		}
		issued, _ := time.Parse(time.DateOnly, in.IssuedOn)
		due, _ := time.Parse(time.DateOnly, in.DueOn)
		paid := time.Now().UTC().Truncate(time.Second)
		body := s.InvoiceBody(h.Customer, &apitest.InvoiceSpec{ID: in.ID, Number: in.Number, ContractID: in.ContractID, Status: clientzone.InvoicePaid,
			IssuedOn: issued, DueOn: due, PaidAt: &paid, Amount: in.Total.Amount})
		if r := s.Do(t, "PUT", "/admin/v1/customers/"+h.ID+"/invoices/"+in.ID, "", apitest.JSON(t, body)); r.Status != 200 {
			t.Fatalf("pay %s: %d %s", in.Number, r.Status, r.Body)
		}
	}
}

// ownTariffs keeps the tariffs of the test's catalogue (ids ending in
// suffix), in the order listed.
func ownTariffs(items []clientzone.Tariff, suffix string) []clientzone.Tariff {
	var out []clientzone.Tariff
	for _, it := range items {
		if strings.HasSuffix(it.ID, suffix) {
			out = append(out, it)
		}
	}
	return out
}

func ctGet(t *testing.T, s *apitest.Stack, token, ctid string) contracts.ContractView {
	t.Helper()
	return apitest.Decode[contracts.ContractView](t, s.Do(t, "GET", "/v1/contracts/"+ctid, token, ""), 200)
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

func TestContractsAndTariffsRead(t *testing.T) {
	s := apitest.Start(t)
	f := newCtFixture(t, s)
	h, ct, tf, hu, huCt := f.h, f.ct, f.tf, f.hu, f.huCt
	svc1, addonID := ct.Services[0].ID, ct.Services[4].ID
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	tech := s.Login(t, h.Tech.Email, h.Tech.Password)

	list := apitest.Decode[struct {
		Items []contracts.ContractView `json:"items"`
	}](t, s.Do(t, "GET", "/v1/contracts", admin.AccessToken, ""), 200)
	if len(list.Items) != 1 || list.Items[0].ID != ct.ID {
		t.Fatalf("SK contracts = %+v", list.Items)
	}
	c := list.Items[0]
	now := time.Now().UTC()
	if c.ExpiresOn != now.AddDate(0, 0, 7).Format(time.DateOnly) || c.NextChargeDate == "" || c.Suspension != nil || c.TerminationRequest != nil {
		t.Errorf("contract summary = %+v", c)
	}
	s1 := ctService(t, c, svc1)
	if s1.TariffName != "Optik 500/100" || s1.BillingPeriod != "monthly" || s1.Status != clientzone.StatusActive || s1.PendingTariffChange != nil {
		t.Errorf("SVC1 = %+v", s1)
	}
	if a := ctService(t, c, addonID); !a.Addon || a.TariffName != "Denná záloha webu" {
		t.Errorf("addon = %+v", a)
	}
	huList := apitest.Decode[struct {
		Items []contracts.ContractView `json:"items"`
	}](t, s.Do(t, "GET", "/v1/contracts", hu.Token, ""), 200)
	if len(huList.Items) != 1 || huList.Items[0].ID != huCt.ID || huList.Items[0].Services[0].TariffName != "Tárhely Business" {
		t.Errorf("HU contracts = %+v", huList.Items)
	}

	wantProblemNow(t, "tech lists contracts", s.Do(t, "GET", "/v1/contracts", tech.AccessToken, ""), 403, clientzone.EFORBIDDEN)
	wantProblemNow(t, "foreign contract", s.Do(t, "GET", "/v1/contracts/"+huCt.ID, admin.AccessToken, ""), 404, clientzone.ENOTFOUND)
	wantProblemNow(t, "unknown contract", s.Do(t, "GET", "/v1/contracts/NOPE", admin.AccessToken, ""), 404, clientzone.ENOTFOUND)

	all := apitest.Decode[struct {
		Items []clientzone.Tariff `json:"items"`
	}](t, s.Do(t, "GET", "/v1/tariffs", admin.AccessToken, ""), 200)
	all.Items = ownTariffs(all.Items, tf(""))
	if len(all.Items) != len(demo.Catalog(now)) {
		t.Errorf("catalogue has %d tariffs, want %d", len(all.Items), len(demo.Catalog(now)))
	}
	tv := apitest.Decode[struct {
		Items []clientzone.Tariff `json:"items"`
	}](t, s.Do(t, "GET", "/v1/tariffs?kind=tv", admin.AccessToken, ""), 200)
	tv.Items = ownTariffs(tv.Items, tf(""))
	if len(tv.Items) != 2 || tv.Items[0].ID != tf("tv-start") || !tv.Items[0].Addon || tv.Items[0].Price.Amount != 799 {
		t.Errorf("tv tariffs = %+v", tv.Items)
	}
	balProblem(t, s.Do(t, "GET", "/v1/tariffs?kind=radio", admin.AccessToken, ""), 400, clientzone.EINVALID, "kind")
	wantProblemNow(t, "tech reads tariffs", s.Do(t, "GET", "/v1/tariffs", tech.AccessToken, ""), 403, clientzone.EFORBIDDEN)
}

func TestTariffChange(t *testing.T) {
	s := apitest.Start(t)
	f := newCtFixture(t, s)
	h, ct, tf, huCt := f.h, f.ct, f.tf, f.huCt
	svc1, svc2, addonID := ct.Services[0].ID, ct.Services[1].ID, ct.Services[4].ID
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	u := "/v1/contracts/" + ct.ID + "/services/" + svc1 + "/tariff-change"
	post := func(body string) apitest.Response { return s.Do(t, "POST", u, admin.AccessToken, body, ctIdem()...) }

	wantProblemNow(t, "no PIN", post(`{"tariffId":"`+tf("optik-1000")+`"}`), 403, clientzone.EPINREQUIRED)
	wantProblemNow(t, "wrong PIN", post(`{"tariffId":"`+tf("optik-1000")+`","pin":"0000"}`), 403, clientzone.EPININVALID)
	pin := s.IssuePIN(t, h.Customer)
	for body, code := range map[string]string{
		`{"tariffId":"` + tf("voip-unlimited") + `","pin":"` + pin + `"}`: "kind",
		`{"tariffId":"` + tf("public-ip") + `","pin":"` + pin + `"}`:      "addon",
		`{"tariffId":"` + tf("dsl-20") + `","pin":"` + pin + `"}`:         "unavailable",
		`{"tariffId":"` + tf("optik-500") + `","pin":"` + pin + `"}`:      "current",
		`{"tariffId":"no-such","pin":"` + pin + `"}`:                      "unknown",
	} {
		r := post(body)
		pinFieldError(t, body, r, "tariffId", code)
	}
	balProblem(t, post(`{"pin":"`+pin+`"}`), 400, clientzone.EINVALID, "tariffId")
	wantProblemNow(t, "no Idempotency-Key", s.Do(t, "POST", u, admin.AccessToken, `{"tariffId":"`+tf("optik-1000")+`","pin":"`+pin+`"}`), 400, clientzone.EINVALID)
	wantProblemNow(t, "foreign contract", s.Do(t, "POST", "/v1/contracts/"+huCt.ID+"/services/"+huCt.Services[0].ID+"/tariff-change",
		admin.AccessToken, `{"tariffId":"`+tf("tarhely-start")+`","pin":"`+pin+`"}`, ctIdem()...), 404, clientzone.ENOTFOUND)
	wantProblemNow(t, "service of another contract", s.Do(t, "POST", "/v1/contracts/"+ct.ID+"/services/"+huCt.Services[0].ID+"/tariff-change",
		admin.AccessToken, `{"tariffId":"`+tf("tarhely-start")+`","pin":"`+pin+`"}`, ctIdem()...), 404, clientzone.ENOTFOUND)
	wantProblemNow(t, "addon service", s.Do(t, "POST", "/v1/contracts/"+ct.ID+"/services/"+addonID+"/tariff-change",
		admin.AccessToken, `{"tariffId":"`+tf("web-start")+`","pin":"`+pin+`"}`, ctIdem()...), 409, clientzone.ECONFLICT)

	before := ctGet(t, s, admin.AccessToken, ct.ID)
	key := ctIdem()
	r := s.Do(t, "POST", u, admin.AccessToken, `{"tariffId":"`+tf("optik-1000")+`","pin":"`+pin+`"}`, key...)
	res := apitest.Decode[contracts.TariffChangeResult](t, r, 202)
	if res.Current != tf("optik-500") || res.Change.TariffID != tf("optik-1000") || res.Change.Price.Amount != 3490 ||
		res.Change.EffectiveOn != ctService(t, before, svc1).NextChargeDate || res.Change.RequestedBy != h.Admin.ID {
		t.Fatalf("tariff change = %+v", res)
	}
	again := s.Do(t, "POST", u, admin.AccessToken, `{"tariffId":"`+tf("optik-1000")+`","pin":"`+pin+`"}`, key...)
	if again.Status != 202 || again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(r.Body) {
		t.Errorf("replay: %d %v %s", again.Status, again.Header, again.Body)
	}
	after := ctService(t, ctGet(t, s, admin.AccessToken, ct.ID), svc1)
	if after.TariffID != tf("optik-500") || after.PendingTariffChange == nil || after.PendingTariffChange.TariffID != tf("optik-1000") {
		t.Errorf("service after the request = %+v", after)
	}
	if msgs := messagesOf(t, s, h.ID, "contract-change"); len(msgs) != 1 || msgs[0].To != h.Email ||
		msgs[0].Data["action"] != "tariff-change" || msgs[0].Data["tariffName"] != "Optik 1000/300" || msgs[0].Language != clientzone.LangSK {
		t.Errorf("outbox = %+v", msgs)
	}
	if a := auditFor(t, s, h.ID, "contract.tariff-change"); len(a) != 1 || a[0].Details["to"] != tf("optik-1000") || a[0].TargetID != svc1 {
		t.Errorf("audit = %+v", a)
	}

	// Once the effective date has passed, the read view shows the new tariff.
	ctx := context.Background()
	c, err := s.Deps.DB.Contract(ctx, h.ID, ct.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Services {
		if c.Services[i].ID == svc2 {
			c.Services[i].PendingTariffChange = &clientzone.TariffChange{TariffID: tf("voip-unlimited"), TariffName: "VoIP Neobmedzene",
				Price: clientzone.Money{Amount: 1200, Currency: "EUR"}, EffectiveOn: time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)}
		}
	}
	if err := s.Deps.DB.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	s2 := ctService(t, ctGet(t, s, admin.AccessToken, ct.ID), svc2)
	if s2.TariffID != tf("voip-unlimited") || s2.TariffName != "VoIP Neobmedzene" || s2.Price.Amount != 1200 || s2.PendingTariffChange != nil {
		t.Errorf("service after the effective date = %+v", s2)
	}

	// The back office's contract upsert replaces the pending change.
	up := `{"number":"` + ct.Number + `","status":"active","signedAt":"2024-11-23T10:00:00Z","services":[{"id":"` + svc1 +
		`","kind":"internet","name":"Optik 1000/300","tariffId":"` + tf("optik-1000") + `","status":"active","billingPeriod":"monthly","price":{"amount":3490,"currency":"EUR"},"nextChargeDate":"2099-01-01"}]}`
	apitest.Decode[contracts.ContractView](t, s.Do(t, "PUT", "/admin/v1/customers/"+h.ID+"/contracts/"+ct.ID, "", up), 200)
	s1 := ctService(t, ctGet(t, s, admin.AccessToken, ct.ID), svc1)
	if s1.TariffID != tf("optik-1000") || s1.PendingTariffChange != nil || s1.NextChargeDate != "2099-01-01" {
		t.Errorf("service after the back-office upsert = %+v", s1)
	}
}

func TestAddons(t *testing.T) {
	s := apitest.Start(t)
	f := newCtFixture(t, s)
	h, ct, tf, huCt := f.h, f.ct, f.tf, f.huCt
	svc1 := ct.Services[0].ID
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	u := "/v1/contracts/" + ct.ID + "/addons"

	balProblem(t, s.Do(t, "POST", u, admin.AccessToken, `{"tariffId":"`+tf("optik-1000")+`"}`, ctIdem()...), 400, clientzone.EINVALID, "tariffId")
	balProblem(t, s.Do(t, "POST", u, admin.AccessToken, `{}`, ctIdem()...), 400, clientzone.EINVALID, "tariffId")
	wantProblemNow(t, "bills adds", s.Do(t, "POST", u, bills.AccessToken, `{"tariffId":"`+tf("public-ip")+`"}`, ctIdem()...), 403, clientzone.EFORBIDDEN)
	wantProblemNow(t, "foreign contract", s.Do(t, "POST", "/v1/contracts/"+huCt.ID+"/addons", admin.AccessToken, `{"tariffId":"`+tf("public-ip")+`"}`, ctIdem()...), 404, clientzone.ENOTFOUND)

	r := s.Do(t, "POST", u, admin.AccessToken, `{"tariffId":"`+tf("tv-start")+`"}`, ctIdem()...)
	added := apitest.Decode[contracts.ServiceView](t, r, 201)
	if !added.Addon || added.Kind != clientzone.ServiceTV || added.Price.Amount != 799 || added.NextChargeDate == "" ||
		r.Header.Get("Location") != "/v1/contracts/"+ct.ID+"/addons/"+added.ID {
		t.Fatalf("added = %+v, Location %q", added, r.Header.Get("Location"))
	}
	if got := ctService(t, ctGet(t, s, admin.AccessToken, ct.ID), added.ID); got.TariffName != "TV Štart" || got.Status != clientzone.StatusActive {
		t.Errorf("addon in the contract = %+v", got)
	}

	wantProblemNow(t, "remove a base service", s.Do(t, "DELETE", u+"/"+svc1, admin.AccessToken, ""), 409, clientzone.ECONFLICT)
	wantProblemNow(t, "remove foreign", s.Do(t, "DELETE", "/v1/contracts/"+huCt.ID+"/addons/"+huCt.Services[0].ID, admin.AccessToken, ""), 404, clientzone.ENOTFOUND)
	rm := apitest.Decode[contracts.AddonRemoval](t, s.Do(t, "DELETE", u+"/"+added.ID, admin.AccessToken, ""), 200)
	if !rm.Removed || rm.AddonID != added.ID || rm.RemovedOn != time.Now().UTC().Format(time.DateOnly) {
		t.Errorf("removal = %+v", rm)
	}
	wantProblemNow(t, "remove twice", s.Do(t, "DELETE", u+"/"+added.ID, admin.AccessToken, ""), 404, clientzone.ENOTFOUND)
	if c := ctGet(t, s, admin.AccessToken, ct.ID); len(c.Services) != 5 {
		t.Errorf("services after removal = %d, want 5", len(c.Services))
	}
	if a := auditFor(t, s, h.ID, "contract.addon-add"); len(a) != 1 || a[0].Details["tariffId"] != tf("tv-start") {
		t.Errorf("add audit = %+v", a)
	}
	if a := auditFor(t, s, h.ID, "contract.addon-remove"); len(a) != 1 || a[0].TargetID != added.ID {
		t.Errorf("remove audit = %+v", a)
	}
	if msgs := messagesOf(t, s, h.ID, "contract-change"); len(msgs) != 2 {
		t.Errorf("outbox = %+v", msgs)
	}
}

func TestSuspension(t *testing.T) {
	s := apitest.Start(t)
	f := newCtFixture(t, s)
	h, ct, tf, huCt := f.h, f.ct, f.tf, f.huCt
	svc1, svc3 := ct.Services[0].ID, ct.Services[2].ID
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	u := "/v1/contracts/" + ct.ID + "/suspension"
	ctx := context.Background()
	today := time.Now().UTC()
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }

	wantProblemNow(t, "no PIN", s.Do(t, "POST", u, admin.AccessToken, `{}`, ctIdem()...), 403, clientzone.EPINREQUIRED)
	wantProblemNow(t, "wrong PIN", s.Do(t, "POST", u, admin.AccessToken, `{"pin":"1111"}`, ctIdem()...), 403, clientzone.EPININVALID)
	pin := s.IssuePIN(t, h.Customer)
	wantProblemNow(t, "foreign", s.Do(t, "POST", "/v1/contracts/"+huCt.ID+"/suspension", admin.AccessToken, `{"pin":"`+pin+`"}`, ctIdem()...), 404, clientzone.ENOTFOUND)
	wantProblemNow(t, "not suspended yet", s.Do(t, "DELETE", u, admin.AccessToken, "", "X-Authorization-PIN", pin), 409, clientzone.ECONFLICT)

	c := apitest.Decode[contracts.ContractView](t, s.Do(t, "POST", u, admin.AccessToken, `{"pin":"`+pin+`"}`, ctIdem()...), 200)
	sp := c.Suspension
	if c.Status != clientzone.StatusSuspended || sp == nil || sp.Since != day(0) || sp.FreeUntil != day(59) || sp.FeesFrom != day(60) ||
		sp.DailyFeePerService != (clientzone.Money{Amount: 50, Currency: "EUR"}) || sp.DailyFee.Amount != 250 || sp.SuspendedServices != 5 {
		t.Fatalf("suspended contract = %+v / %+v", c, sp)
	}
	for _, sv := range c.Services {
		if sv.Status != clientzone.StatusSuspended || sv.SuspendedOn != day(0) {
			t.Errorf("service %s = %s since %s", sv.ID, sv.Status, sv.SuspendedOn)
		}
	}
	// The fee job finds the services (GSI1), and the hosting still gets
	// expiry reminders (GSI2): the jobs' indexes, read from the store.
	found := map[string]bool{}
	if _, err := s.Deps.DB.SuspendedServices(ctx, func(s *schedule.ScheduledService) error {
		if s.CustomerID == h.ID {
			found[s.ID] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(found) != 5 || !found[svc3] {
		t.Errorf("suspended services = %v", found)
	}
	expiring := 0
	if _, err := s.Deps.DB.ServicesExpiringOn(ctx, day(30), func(s *schedule.ScheduledService) error {
		if s.ID == svc3 {
			expiring++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if expiring != 1 {
		t.Error("the suspended hosting is no longer on its expiry date")
	}
	if msgs := messagesOf(t, s, h.ID, "contract-change"); len(msgs) != 1 || msgs[0].Data["freeUntil"] != day(59) || msgs[0].Data["dailyFee"] != "2.50 EUR" {
		t.Errorf("outbox = %+v", msgs)
	}

	wantProblemNow(t, "suspend twice", s.Do(t, "POST", u, admin.AccessToken, `{"pin":"`+pin+`"}`, ctIdem()...), 409, clientzone.ECONFLICT)
	wantProblemNow(t, "addon while suspended", s.Do(t, "POST", "/v1/contracts/"+ct.ID+"/addons", admin.AccessToken, `{"tariffId":"`+tf("public-ip")+`"}`, ctIdem()...), 409, clientzone.ECONFLICT)
	wantProblemNow(t, "tariff change while suspended", s.Do(t, "POST", "/v1/contracts/"+ct.ID+"/services/"+svc1+"/tariff-change",
		admin.AccessToken, `{"tariffId":"`+tf("optik-1000")+`","pin":"`+pin+`"}`, ctIdem()...), 409, clientzone.ECONFLICT)

	wantProblemNow(t, "resume without PIN", s.Do(t, "DELETE", u, admin.AccessToken, ""), 403, clientzone.EPINREQUIRED)
	wantProblemNow(t, "resume wrong PIN", s.Do(t, "DELETE", u, admin.AccessToken, "", "X-Authorization-PIN", "2580"), 403, clientzone.EPININVALID)
	pin = s.IssuePIN(t, h.Customer)
	wantProblemNow(t, "resume foreign", s.Do(t, "DELETE", "/v1/contracts/"+huCt.ID+"/suspension", admin.AccessToken, "", "X-Authorization-PIN", pin), 404, clientzone.ENOTFOUND)
	c = apitest.Decode[contracts.ContractView](t, s.Do(t, "DELETE", u, admin.AccessToken, "", "X-Authorization-PIN", pin), 200)
	if c.Status != clientzone.StatusActive || c.Suspension != nil {
		t.Fatalf("resumed contract = %+v", c)
	}
	for _, sv := range c.Services {
		if sv.Status != clientzone.StatusActive || sv.SuspendedOn != "" {
			t.Errorf("service %s = %s since %s", sv.ID, sv.Status, sv.SuspendedOn)
		}
	}
	n, err := s.Deps.DB.SuspendedServices(ctx, func(s *schedule.ScheduledService) error {
		if s.CustomerID == h.ID {
			t.Errorf("still suspended: %s", s.ID)
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("SuspendedServices: %d pages, %v", n, err)
	}
	wantProblemNow(t, "resume twice", s.Do(t, "DELETE", u, admin.AccessToken, "", "X-Authorization-PIN", pin), 409, clientzone.ECONFLICT)
	if a := auditFor(t, s, h.ID, "contract.suspend"); len(a) != 1 {
		t.Errorf("suspend audit = %+v", a)
	}
	if a := auditFor(t, s, h.ID, "contract.resume"); len(a) != 1 || a[0].Details["services"] != "5" {
		t.Errorf("resume audit = %+v", a)
	}
}

func TestTerminationRequest(t *testing.T) {
	s := apitest.Start(t)
	f := newCtFixture(t, s)
	h, ct, pin, huCt, invoices := f.h, f.ct, f.pin, f.huCt, f.invoices
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	u := "/v1/contracts/" + ct.ID + "/termination-request"
	post := func(body string, h ...string) apitest.Response {
		return s.Do(t, "POST", u, admin.AccessToken, body, append(ctIdem(), h...)...)
	}
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)

	balProblem(t, post(`{"pin":"`+pin+`"}`), 400, clientzone.EINVALID, "desiredEndOn")
	balProblem(t, post(`{"desiredEndOn":"31.12.2026","pin":"`+pin+`"}`), 400, clientzone.EINVALID, "desiredEndOn")
	pinFieldError(t, "past date", post(`{"desiredEndOn":"`+yesterday+`","pin":"`+pin+`"}`), "desiredEndOn", "past")
	wantProblemNow(t, "no PIN", post(`{"desiredEndOn":"`+tomorrow+`"}`), 403, clientzone.EPINREQUIRED)
	wantProblemNow(t, "wrong PIN", post(`{"desiredEndOn":"`+tomorrow+`","pin":"0000"}`), 403, clientzone.EPININVALID)
	pin = s.IssuePIN(t, h.Customer)
	wantProblemNow(t, "foreign", s.Do(t, "POST", "/v1/contracts/"+huCt.ID+"/termination-request", admin.AccessToken,
		`{"desiredEndOn":"`+tomorrow+`","pin":"`+pin+`"}`, ctIdem()...), 404, clientzone.ENOTFOUND)

	// Two unpaid invoices of 29.90 EUR (one overdue): debt.
	r := post(`{"desiredEndOn":"`+tomorrow+`","pin":"`+pin+`"}`, "Accept-Language", "sk")
	wantProblemNow(t, "debt", r, 409, clientzone.EDEBT)
	if p := r.Problem(t); !strings.Contains(p.Detail, "59.80 EUR") || !strings.HasPrefix(p.Detail, "Dlžíte") {
		t.Errorf("debt detail = %q", p.Detail)
	}

	payAll(t, s, h, invoices)
	// A negative prepaid balance is debt too.
	balBook(t, s.Deps.DB, h.ID, clientzone.TxnFee, -150, "EUR")
	r = post(`{"desiredEndOn":"` + tomorrow + `","pin":"` + pin + `"}`)
	wantProblemNow(t, "negative balance", r, 409, clientzone.EDEBT)
	if p := r.Problem(t); !strings.Contains(p.Detail, "1.50 EUR") {
		t.Errorf("balance debt detail = %q", p.Detail)
	}
	balBook(t, s.Deps.DB, h.ID, clientzone.TxnTopUp, 150, "EUR")

	tr := apitest.Decode[clientzone.TerminationRequest](t, post(`{"desiredEndOn":"`+tomorrow+`","reason":"Moving abroad.","pin":"`+pin+`"}`), 201)
	if tr.Status != clientzone.TerminationPending || tr.DesiredEndOn != tomorrow || tr.RequestedBy != h.Admin.ID || tr.Reason != "Moving abroad." {
		t.Fatalf("termination request = %+v", tr)
	}
	wantProblemNow(t, "second request", post(`{"desiredEndOn":"`+tomorrow+`","pin":"`+pin+`"}`), 409, clientzone.ECONFLICT)
	c := ctGet(t, s, admin.AccessToken, ct.ID)
	if c.TerminationRequest == nil || c.TerminationRequest.DesiredEndOn != tomorrow {
		t.Errorf("contract after the request = %+v", c)
	}
	if msgs := messagesOf(t, s, h.ID, "contract-change"); len(msgs) != 1 || msgs[0].Data["endOn"] != tomorrow {
		t.Errorf("outbox = %+v", msgs)
	}
	if a := auditFor(t, s, h.ID, "contract.termination-request"); len(a) != 1 {
		t.Errorf("audit = %+v", a)
	}
	// A back-office upsert of the contract keeps the pending request.
	up := `{"number":"` + ct.Number + `","status":"active","signedAt":"2024-11-23T10:00:00Z","services":[]}`
	if got := apitest.Decode[contracts.ContractView](t, s.Do(t, "PUT", "/admin/v1/customers/"+h.ID+"/contracts/"+ct.ID, "", up), 200); got.TerminationRequest == nil {
		t.Errorf("upsert dropped the termination request: %+v", got)
	}
}

func TestBackOfficeContractsAndTariffs(t *testing.T) {
	s := apitest.Start(t)
	f := newCtFixture(t, s)
	h, tf := f.h, f.tf
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	put := func(path, body string) apitest.Response { return s.Do(t, "PUT", path, "", body) }

	tariff := `{"kind":"tv","name":"TV Max","price":{"amount":1999,"currency":"EUR"},"billingPeriod":"monthly","addon":true,"available":true,"parameters":{"channels":"180"}}`
	got := apitest.Decode[clientzone.Tariff](t, put("/admin/v1/tariffs/"+tf("tv-max"), tariff), 200)
	if got.ID != tf("tv-max") || got.Parameters["channels"] != "180" || got.UpdatedAt.IsZero() {
		t.Errorf("tariff = %+v", got)
	}
	tv := apitest.Decode[struct {
		Items []clientzone.Tariff `json:"items"`
	}](t, s.Do(t, "GET", "/v1/tariffs?kind=tv", admin.AccessToken, ""), 200)
	tv.Items = ownTariffs(tv.Items, tf(""))
	if len(tv.Items) != 3 || tv.Items[2].ID != tf("tv-max") {
		t.Errorf("tv tariffs = %+v", tv.Items)
	}
	balProblem(t, put("/admin/v1/tariffs/"+tf("tv-max"), `{"kind":"tv","name":"X","price":{"amount":1,"currency":"EUR"},"billingPeriod":"weekly"}`), 400, clientzone.EINVALID, "billingPeriod")
	balProblem(t, put("/admin/v1/tariffs/"+tf("tv-max"), `{"kind":"radio","name":"X","price":{"amount":1,"currency":"EUR"},"billingPeriod":"monthly"}`), 400, clientzone.EINVALID, "kind")
	balProblem(t, put("/admin/v1/tariffs/"+tf("tv-max"), `{"kind":"tv","name":"X","billingPeriod":"monthly"}`), 400, clientzone.EINVALID, "price")

	svc := func(id, extra string) string {
		return `{"id":"` + id + `","kind":"internet","name":"Optik","tariffId":"` + tf("optik-300") + `","status":"active","billingPeriod":"monthly","price":{"amount":1990,"currency":"EUR"}` + extra + `}`
	}
	contract := func(services ...string) string {
		return `{"number":"2024002","status":"active","signedAt":"2026-11-20T10:00:00Z","services":[` + strings.Join(services, ",") + `]}`
	}
	path := "/admin/v1/customers/" + h.ID + "/contracts/CTR2"
	c := apitest.Decode[contracts.ContractView](t, put(path, contract(svc("S1", ""), svc("S2", `,"addon":true,"tariffId":"`+tf("public-ip")+`"`))), 200)
	if c.ID != "CTR2" || len(c.Services) != 2 || c.Services[0].TariffName != "Optik 300/50" || !c.Services[1].Addon {
		t.Errorf("upserted contract = %+v", c)
	}
	list := apitest.Decode[struct {
		Items []contracts.ContractView `json:"items"`
	}](t, s.Do(t, "GET", "/v1/contracts", admin.AccessToken, ""), 200)
	if len(list.Items) != 2 {
		t.Errorf("contracts after upsert = %d, want 2", len(list.Items))
	}
	// Replacing drops services not listed.
	c = apitest.Decode[contracts.ContractView](t, put(path, contract(svc("S1", ""))), 200)
	if len(c.Services) != 1 {
		t.Errorf("services after replacing = %+v", c.Services)
	}
	wantProblemNow(t, "unknown customer", put("/admin/v1/customers/NOPE/contracts/CTR2", contract(svc("S1", ""))), 404, clientzone.ENOTFOUND)
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
	s := apitest.Start(t)
	f := newCtFixture(t, s)
	h, tf, pin, invoices := f.h, f.tf, f.pin, f.invoices
	admin := s.Login(t, h.Admin.Email, h.Admin.Password).AccessToken
	ctid := "CTR9"
	adminPath := "/admin/v1/customers/" + h.ID + "/contracts/" + ctid
	put := func(body string) apitest.Response { return s.Do(t, "PUT", adminPath, "", body) }
	svc := func(extra string) string {
		return `{"id":"NET9","kind":"internet","name":"Optik","tariffId":"` + tf("optik-300") + `","status":"active","billingPeriod":"monthly","price":{"amount":1990,"currency":"EUR"}` + extra + `}`
	}
	contract := func(status, extra string, services ...string) string {
		return `{"number":"2024009","status":"` + status + `","signedAt":"2026-11-20T10:00:00Z"` + extra + `,"services":[` + strings.Join(services, ",") + `]}`
	}
	u := "/v1/contracts/" + ctid
	today := time.Now().UTC().Format(time.DateOnly)

	// Upsert validation: catalogue tariff, the customer's currency, ids.
	pinFieldError(t, "unknown tariff", put(contract("active", "", svc(`,"tariffId":"optik-9999"`))), "services[0].tariffId", "unknown")
	pinFieldError(t, "foreign currency", put(contract("active", "", svc(`,"price":{"amount":1990,"currency":"HUF"}`))), "services[0].price.currency", "currency")
	pinFieldError(t, "# in a tariff id", put(contract("active", "", svc(`,"tariffId":"optik#300"`))), "services[0].tariffId", "")
	pinFieldError(t, "pending change of an unknown tariff", put(contract("active", "", svc(`,"pendingTariffChange":{"tariffId":"nope","effectiveOn":"2027-01-01"}`))),
		"services[0].pendingTariffChange.tariffId", "unknown")

	// A back-office block: a provider suspension the customer cannot lift,
	// without fees.
	c := apitest.Decode[contracts.ContractView](t, put(contract("suspended", "", svc(`,"status":"suspended","suspendedOn":"`+today+`"`))), 200)
	if s := c.Suspension; s == nil || s.Kind != clientzone.SuspensionProvider || s.FeesFrom != "" || s.DailyFee.Amount != 0 || c.Services[0].SuspensionKind != clientzone.SuspensionProvider {
		t.Fatalf("provider suspension = %+v / %+v", c, c.Suspension)
	}
	r := s.Do(t, "DELETE", u+"/suspension", admin, "", "X-Authorization-PIN", pin, "Accept-Language", "sk")
	wantProblemNow(t, "resume a provider block", r, 409, clientzone.ESUSPENDEDBYPROVIDER)
	if p := r.Problem(t); !strings.HasPrefix(p.Detail, "Túto zmluvu pozastavil poskytovateľ") {
		t.Errorf("provider block detail = %q", p.Detail)
	}
	if got := ctGet(t, s, admin, ctid); got.Status != clientzone.StatusSuspended {
		t.Fatalf("after the refused resume: %+v", got)
	}
	// The back office lifts it.
	c = apitest.Decode[contracts.ContractView](t, put(contract("active", "", svc(""))), 200)
	if c.Status != clientzone.StatusActive || c.Suspension != nil {
		t.Fatalf("lifted = %+v", c)
	}

	// Customer changes publish clientzone.contract.* events.
	c = apitest.Decode[contracts.ContractView](t, s.Do(t, "POST", u+"/suspension", admin, `{"pin":"`+pin+`"}`, ctIdem()...), 200)
	if s := c.Suspension; s == nil || s.Kind != clientzone.SuspensionVoluntary || s.FeesFrom == "" || s.FreeUntil == "" {
		t.Fatalf("voluntary suspension = %+v", c.Suspension)
	}
	// Re-sent by the back office without a kind: still voluntary, resumable.
	c = apitest.Decode[contracts.ContractView](t, put(contract("suspended", "", svc(`,"status":"suspended","suspendedOn":"`+today+`"`))), 200)
	if c.Suspension == nil || c.Suspension.Kind != clientzone.SuspensionVoluntary {
		t.Fatalf("re-sent voluntary suspension = %+v", c.Suspension)
	}
	c = apitest.Decode[contracts.ContractView](t, s.Do(t, "DELETE", u+"/suspension", admin, "", "X-Authorization-PIN", pin), 200)
	if c.Status != clientzone.StatusActive {
		t.Fatalf("resumed = %+v", c)
	}
	for _, action := range []string{"suspend", "resume"} {
		evs := devEvents(t, s, h.ID, contracts.ContractEventPrefix+action)
		if len(evs) != 1 || !strings.Contains(string(evs[0].Detail), `"contractId":"`+ctid+`"`) || !strings.Contains(string(evs[0].Detail), `"contractNumber":"2024009"`) {
			t.Errorf("%s events = %+v", action, evs)
		}
	}

	// A pending tariff change survives a back-office upsert; null clears it.
	apitest.Decode[contracts.TariffChangeResult](t, s.Do(t, "POST", u+"/services/NET9/tariff-change", admin, `{"tariffId":"`+tf("optik-500")+`","pin":"`+pin+`"}`, ctIdem()...), 202)
	c = apitest.Decode[contracts.ContractView](t, put(contract("active", "", svc(""))), 200)
	if pc := c.Services[0].PendingTariffChange; pc == nil || pc.TariffID != tf("optik-500") {
		t.Fatalf("upsert dropped the pending change: %+v", c.Services[0])
	}
	if evs := devEvents(t, s, h.ID, contracts.ContractEventPrefix+"tariff_change"); len(evs) != 1 || !strings.Contains(string(evs[0].Detail), `"to":"`+tf("optik-500")+`"`) {
		t.Errorf("tariff_change events = %+v", evs)
	}
	c = apitest.Decode[contracts.ContractView](t, put(contract("active", "", svc(`,"pendingTariffChange":null`))), 200)
	if c.Services[0].PendingTariffChange != nil {
		t.Fatalf("null kept the pending change: %+v", c.Services[0])
	}
	c = apitest.Decode[contracts.ContractView](t, put(contract("active", "", svc(`,"pendingTariffChange":{"tariffId":"`+tf("optik-1000")+`","effectiveOn":"2027-02-01"}`))), 200)
	if pc := c.Services[0].PendingTariffChange; pc == nil || pc.TariffID != tf("optik-1000") || pc.TariffName != "Optik 1000/300" || pc.Price.Amount != 3490 {
		t.Fatalf("pending change set by the back office: %+v", c.Services[0])
	}

	// Tariff change across billing periods; addons of a kind the contract
	// has no service of; ids with '#'.
	apitest.Decode[clientzone.Tariff](t, s.Do(t, "PUT", "/admin/v1/tariffs/"+tf("optik-300-year"), "",
		`{"kind":"internet","name":"Optik 300 ročne","price":{"amount":19900,"currency":"EUR"},"billingPeriod":"yearly","available":true}`), 200)
	pinFieldError(t, "monthly to yearly", s.Do(t, "POST", u+"/services/NET9/tariff-change", admin, `{"tariffId":"`+tf("optik-300-year")+`","pin":"`+pin+`"}`, ctIdem()...),
		"tariffId", "billing_period")
	pinFieldError(t, "hosting addon on internet only", s.Do(t, "POST", u+"/addons", admin, `{"tariffId":"`+tf("web-backup")+`"}`, ctIdem()...), "tariffId", "kind")
	pinFieldError(t, "# in a tariff id", s.Do(t, "POST", u+"/addons", admin, `{"tariffId":"public#ip"}`, ctIdem()...), "tariffId", "")
	pinFieldError(t, "# in an addon id", s.Do(t, "DELETE", u+"/addons/X%23SVC", admin, ""), "addonId", "")
	pinFieldError(t, "# in a contract id", s.Do(t, "GET", "/v1/contracts/"+ctid+"%23SVC%23NET9", admin, ""), "contractId", "")

	// Termination requests: resolved by the back office; only a pending one
	// blocks a new one.
	wantProblemNow(t, "resolve nothing", put(contract("active", `,"terminationRequest":{"status":"rejected"}`, svc(""))), 409, clientzone.ECONFLICT)
	pinFieldError(t, "bad resolution", put(contract("active", `,"terminationRequest":{"status":"maybe"}`, svc(""))), "terminationRequest.status", "")
	payAll(t, s, h, invoices)
	tu := u + "/termination-request"
	apitest.Decode[clientzone.TerminationRequest](t, s.Do(t, "POST", tu, admin, `{"desiredEndOn":"2099-12-31","pin":"`+pin+`"}`, ctIdem()...), 201)
	wantProblemNow(t, "second request", s.Do(t, "POST", tu, admin, `{"desiredEndOn":"2099-12-31","pin":"`+pin+`"}`, ctIdem()...), 409, clientzone.ECONFLICT)
	c = apitest.Decode[contracts.ContractView](t, put(contract("active", `,"terminationRequest":{"status":"rejected"}`, svc(""))), 200)
	if tr := c.TerminationRequest; tr == nil || tr.Status != clientzone.TerminationRejected || tr.ResolvedAt == nil {
		t.Fatalf("rejected request = %+v", c.TerminationRequest)
	}
	apitest.Decode[clientzone.TerminationRequest](t, s.Do(t, "POST", tu, admin, `{"desiredEndOn":"2099-11-30","pin":"`+pin+`"}`, ctIdem()...), 201)
	if evs := devEvents(t, s, h.ID, contracts.ContractEventPrefix+"termination_request"); len(evs) != 2 {
		t.Errorf("termination_request events = %d, want 2", len(evs))
	}
	// Terminating the contract accepts the pending request.
	c = apitest.Decode[contracts.ContractView](t, put(contract("terminated", "", svc(`,"status":"terminated"`))), 200)
	if tr := c.TerminationRequest; tr == nil || tr.Status != clientzone.TerminationAccepted || tr.DesiredEndOn != "2099-11-30" {
		t.Fatalf("accepted request = %+v", c.TerminationRequest)
	}
}
