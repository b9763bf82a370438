package httpapi_test

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type callsJSON struct {
	ContractID string    `json:"contractId"`
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
	Items      []struct {
		ID              string           `json:"id"`
		StartedAt       time.Time        `json:"startedAt"`
		Direction       string           `json:"direction"`
		From            string           `json:"from"`
		To              string           `json:"to"`
		Destination     string           `json:"destination"`
		DurationSeconds int              `json:"durationSeconds"`
		Price           clientzone.Money `json:"price"`
	} `json:"items"`
	NextCursor string `json:"nextCursor"`
}

// wantFieldProblem checks a 400 problem naming field (and code, if set).
func wantFieldProblem(t *testing.T, what string, r apitest.Response, field, code string) {
	t.Helper()
	if r.Status != 400 {
		t.Errorf("%s: %d %s, want 400", what, r.Status, r.Body)
		return
	}
	for _, f := range r.Problem(t).Errors {
		if f.Field == field && (code == "" || f.Code == code) {
			return
		}
	}
	t.Errorf("%s: %s, want a field error for %s %s", what, r.Body, field, code)
}

// usageData is what withUsage ingested: the demo's usage of a contract.
type usageData struct {
	calls                                    int
	ips                                      []string
	protoInstall, protoRepair                string
	supportOld, supportResolved, supportOpen string
}

// withUsage ingests, through the back office, what the demo seeds for
// contract ct: 300 VoIP calls over the 60 days before now, 60 days of
// traffic in total and for two IP addresses, two service protocols and
// three support requests.
func withUsage(t *testing.T, s *apitest.Stack, h *household, ct *clientzone.Contract) usageData {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	rnd := rand.New(rand.NewPCG(uint64(apitest.Seq()), 60))
	admin := "/admin/v1/customers/" + h.ID + "/contracts/" + ct.ID
	dests := []struct {
		name, number string
		perMinute    int64
	}{
		{"Slovakia fixed", "+42124", 2}, {"Slovakia mobile", "+421905", 6}, {"Czech Republic", "+420222", 5}, {"Hungary mobile", "+3630", 12},
	}
	own := "+421212345678"
	u := usageData{calls: 300, ips: []string{"203.0.113.10", "2001:db8::10"}}
	var calls []map[string]any
	for i := range u.calls {
		at := now.Add(-time.Duration(1+rnd.Int64N(int64(60*24*time.Hour/time.Second))) * time.Second)
		d := dests[rnd.IntN(len(dests))]
		other := fmt.Sprintf("%s%06d", d.number, rnd.IntN(1000000))
		secs := 5 + rnd.IntN(900)
		c := map[string]any{"id": fmt.Sprintf("call-%d", i), "startedAt": at, "direction": "outgoing", "from": own, "to": other,
			"destination": d.name, "durationSeconds": secs, "price": map[string]any{"amount": int64((secs+59)/60) * d.perMinute, "currency": "EUR"}}
		if rnd.IntN(3) == 0 {
			c["direction"], c["from"], c["to"], c["price"] = "incoming", other, own, map[string]any{"amount": 0, "currency": "EUR"}
		}
		calls = append(calls, c)
	}
	if r := s.Do(t, "POST", admin+"/calls", "", apitest.JSON(t, map[string]any{"calls": calls})); r.Status != 200 {
		t.Fatalf("calls: %d %s", r.Status, r.Body)
	}
	const gib = 1 << 30
	var records []map[string]any
	for n := range 60 {
		date := apitest.Date(now.AddDate(0, 0, n-59))
		var down, up int64
		for _, ip := range u.ips {
			d, ul := gib+rnd.Int64N(4*gib), gib/8+rnd.Int64N(gib/2)
			down, up = down+d, up+ul
			records = append(records, map[string]any{"date": date, "ip": ip, "downloadBytes": d, "uploadBytes": ul})
		}
		// Other devices behind the router add to the contract's total.
		records = append(records, map[string]any{"date": date, "downloadBytes": down + rnd.Int64N(2*gib), "uploadBytes": up + rnd.Int64N(gib/4)})
	}
	if r := s.Do(t, "POST", admin+"/traffic", "", apitest.JSON(t, map[string]any{"records": records})); r.Status != 200 {
		t.Fatalf("traffic: %d %s", r.Status, r.Body)
	}
	created := now.AddDate(-2, 0, 0)
	u.protoInstall, u.protoRepair = clientzone.NewID(), clientzone.NewID()
	for id, p := range map[string]map[string]any{
		u.protoInstall: {"number": "SP-0001", "kind": "installation", "date": apitest.Date(created), "title": "Installation of Optik 500/100 and VoIP",
			"technician": "Peter Technik", "summary": "ONT and router installed.", "documentUrl": "https://docs.example.sk/protocols/SP-0001.pdf"},
		u.protoRepair: {"number": "SP-0412", "kind": "repair", "date": apitest.Date(now.AddDate(0, 0, -20)), "title": "Fibre connector cleaned",
			"technician": "Peter Technik", "summary": "Signal restored from -27 dBm to -18 dBm."},
	} {
		if r := s.Do(t, "PUT", admin+"/service-protocols/"+id, "", apitest.JSON(t, p)); r.Status != 200 {
			t.Fatalf("protocol: %d %s", r.Status, r.Body)
		}
	}
	u.supportOld, u.supportResolved, u.supportOpen = clientzone.NewID(), clientzone.NewID(), clientzone.NewID()
	for id, r := range map[string]map[string]any{
		u.supportOld: {"number": "HD-1001", "openedAt": now.AddDate(-1, 0, 0), "closedAt": now.AddDate(-1, 0, 1), "status": "closed",
			"subject": "VoIP number porting", "resolution": "Number ported from the previous operator."},
		u.supportResolved: {"number": "HD-1002", "openedAt": now.AddDate(0, 0, -21), "closedAt": now.AddDate(0, 0, -20), "status": "resolved",
			"subject": "Internet drops several times a day", "resolution": "Fibre connector cleaned on site."},
		u.supportOpen: {"number": "HD-1003", "openedAt": now.AddDate(0, 0, -2), "status": "open", "subject": "Slow Wi-Fi in the evening"},
	} {
		if res := s.Do(t, "PUT", admin+"/support-requests/"+id, "", apitest.JSON(t, r)); res.Status != 200 {
			t.Fatalf("support request: %d %s", res.Status, res.Body)
		}
	}
	return u
}

func TestCallsList(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	usage := withUsage(t, s, h, ct)
	_, huCt := hufAccount(t, s)
	admin := s.Login(t, h.Admin.Email, h.Admin.Password).AccessToken
	tech := s.Login(t, h.Tech.Email, h.Tech.Password).AccessToken
	bills := s.Login(t, h.Bills.Email, h.Bills.Password).AccessToken
	base := "/v1/contracts/" + ct.ID + "/calls"
	now := time.Now().UTC()
	from, to := now.AddDate(0, 0, -61).Format(time.DateOnly), now.Format(time.DateOnly)
	rng := "from=" + from + "&to=" + to

	// Every demo call, in pages of 70, newest first, without duplicates.
	var all callsJSON
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		r := s.Do(t, "GET", base+"?"+rng+"&limit=70&cursor="+url.QueryEscape(cursor), tech, "")
		page := apitest.Decode[callsJSON](t, r, 200)
		pages++
		for _, c := range page.Items {
			if seen[c.ID] {
				t.Fatalf("call %s on two pages", c.ID)
			}
			seen[c.ID] = true
		}
		all.Items = append(all.Items, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			if page.ContractID != ct.ID || page.From.Format(time.DateOnly) != from {
				t.Errorf("page header = %s %v", page.ContractID, page.From)
			}
			break
		}
	}
	if len(all.Items) != usage.calls || pages != (usage.calls+69)/70 {
		t.Fatalf("%d calls in %d pages, want %d", len(all.Items), pages, usage.calls)
	}
	for i, c := range all.Items {
		if i > 0 && c.StartedAt.After(all.Items[i-1].StartedAt) {
			t.Fatalf("calls not newest first at %d", i)
		}
		if c.StartedAt.After(now) || c.Price.Currency != "EUR" || c.DurationSeconds <= 0 || c.Destination == "" ||
			(c.Direction != "outgoing" && c.Direction != "incoming") || c.From == "" || c.To == "" {
			t.Fatalf("call %d = %+v", i, c)
		}
	}

	// Direction filter.
	r := s.Do(t, "GET", base+"?"+rng+"&limit=500&direction=incoming", admin, "")
	in := apitest.Decode[callsJSON](t, r, 200)
	wantIn := 0
	for _, c := range all.Items {
		if c.Direction == "incoming" {
			wantIn++
		}
	}
	if len(in.Items) != wantIn || wantIn == 0 {
		t.Errorf("incoming = %d, want %d", len(in.Items), wantIn)
	}
	for _, c := range in.Items {
		if c.Direction != "incoming" || c.Price.Amount != 0 {
			t.Errorf("incoming call = %+v", c)
		}
	}

	// Default range: the current month.
	def := apitest.Decode[callsJSON](t, s.Do(t, "GET", base, admin, ""), 200)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !def.From.Equal(first) || !def.To.Equal(first.AddDate(0, 1, 0)) {
		t.Errorf("default range = %v – %v", def.From, def.To)
	}
	for _, c := range def.Items {
		if c.StartedAt.Before(first) {
			t.Errorf("default range has %v", c.StartedAt)
		}
	}

	// CSV export of the same range, by query or by Accept.
	for _, how := range []struct{ query, accept string }{{"&format=csv", ""}, {"", "text/csv"}} {
		r := s.Do(t, "GET", base+"?"+rng+how.query, tech, "", "Accept", how.accept)
		if r.Status != 200 || r.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("CSV %+v: %d %q %s", how, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
		wantName := "calls-" + ct.ID + "-" + strings.ReplaceAll(from, "-", "") + "-" + strings.ReplaceAll(to, "-", "") + ".csv"
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename=`+wantName {
			t.Errorf("Content-Disposition = %q, want attachment %s", cd, wantName)
		}
		rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != "id,startedAt,direction,from,to,destination,durationSeconds,price,currency" || len(rows) != usage.calls+1 {
			t.Fatalf("CSV header %v, %d rows", rows[0], len(rows))
		}
		c := all.Items[0]
		wantRow := []string{c.ID, c.StartedAt.Format(time.RFC3339), c.Direction, c.From, c.To, c.Destination,
			fmt.Sprint(c.DurationSeconds), fmt.Sprintf("%d.%02d", c.Price.Amount/100, c.Price.Amount%100), "EUR"}
		if !slices.Equal(rows[1], wantRow) {
			t.Errorf("CSV row 1 = %v, want %v", rows[1], wantRow)
		}
	}

	// Bad input.
	for _, tc := range []struct{ query, field, code string }{
		{"from=yesterday", "from", "datetime"},
		{"from=2026-03-10&to=2026-03-01", "to", "gtfield"},
		{"from=2025-01-01&to=2026-03-01", "to", "range"},
		{"limit=501", "limit", "max"},
		{"limit=0", "limit", "min"},
		{"limit=ten", "limit", "type"},
		{"cursor=bm90LWEtY3Vyc29y", "cursor", ""},
		{"direction=sideways", "direction", "oneof"},
		{"format=xml", "format", "oneof"},
	} {
		wantFieldProblem(t, tc.query, s.Do(t, "GET", base+"?"+tc.query, admin, ""), tc.field, tc.code)
	}
	// A cursor from another range is refused, not an internal error.
	page := apitest.Decode[callsJSON](t, s.Do(t, "GET", base+"?"+rng+"&limit=5", admin, ""), 200)
	old := now.AddDate(0, 0, -50).Format(time.DateOnly)
	wantFieldProblem(t, "cursor of another range", s.Do(t, "GET", base+"?from="+from+"&to="+old+"&limit=5&cursor="+page.NextCursor, admin, ""), "cursor", "invalid")

	// Another customer's contract is 404; a person without the calls right 403.
	r = s.Do(t, "GET", "/v1/contracts/"+huCt.ID+"/calls", admin, "")
	if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
		t.Errorf("foreign contract: %d %s", r.Status, r.Body)
	}
	r = s.Do(t, "GET", "/v1/contracts/"+huCt.ID+"/calls?format=csv", admin, "")
	if r.Status != 404 {
		t.Errorf("foreign contract CSV: %d %s", r.Status, r.Body)
	}
	if r = s.Do(t, "GET", base, bills, ""); r.Status != 403 {
		t.Errorf("without the calls right: %d %s", r.Status, r.Body)
	}
}

type trafficJSON struct {
	ContractID  string `json:"contractId"`
	Granularity string `json:"granularity"`
	From        string `json:"from"`
	To          string `json:"to"`
	Items       []struct {
		Period        string `json:"period"`
		DownloadBytes int64  `json:"downloadBytes"`
		UploadBytes   int64  `json:"uploadBytes"`
	} `json:"items"`
	Total struct {
		DownloadBytes int64 `json:"downloadBytes"`
		UploadBytes   int64 `json:"uploadBytes"`
	} `json:"total"`
}

type trafficByIPJSON struct {
	Items []struct {
		IP            string `json:"ip"`
		DownloadBytes int64  `json:"downloadBytes"`
		UploadBytes   int64  `json:"uploadBytes"`
		Days          []struct {
			Period        string `json:"period"`
			DownloadBytes int64  `json:"downloadBytes"`
		} `json:"days"`
	} `json:"items"`
	Total struct {
		DownloadBytes int64 `json:"downloadBytes"`
	} `json:"total"`
}

func TestTraffic(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	usage := withUsage(t, s, h, ct)
	_, huCt := hufAccount(t, s)
	tech := s.Login(t, h.Tech.Email, h.Tech.Password).AccessToken
	admin := s.Login(t, h.Admin.Email, h.Admin.Password).AccessToken
	bills := s.Login(t, h.Bills.Email, h.Bills.Password).AccessToken
	base := "/v1/contracts/" + ct.ID + "/traffic"
	today := time.Now().UTC()

	daily := apitest.Decode[trafficJSON](t, s.Do(t, "GET", base, tech, ""), 200)
	if daily.Granularity != "daily" || len(daily.Items) != 30 || daily.To != today.Format(time.DateOnly) ||
		daily.From != today.AddDate(0, 0, -29).Format(time.DateOnly) || daily.Items[29].Period != daily.To {
		t.Fatalf("daily default = %+v", daily)
	}
	var sum int64
	for _, d := range daily.Items {
		if d.DownloadBytes <= 0 || d.UploadBytes <= 0 {
			t.Errorf("day %s has no traffic", d.Period)
		}
		sum += d.DownloadBytes
	}
	if sum != daily.Total.DownloadBytes {
		t.Errorf("daily total %d, sum %d", daily.Total.DownloadBytes, sum)
	}

	// Monthly sums equal the daily records of the same days.
	monthly := apitest.Decode[trafficJSON](t, s.Do(t, "GET", base+"?granularity=monthly", tech, ""), 200)
	if len(monthly.Items) != 12 || monthly.Items[11].Period != today.Format("2006-01") || !strings.HasSuffix(monthly.From, "-01") {
		t.Fatalf("monthly default = %+v", monthly)
	}
	allDays := apitest.Decode[trafficJSON](t, s.Do(t, "GET", base+"?from="+monthly.From+"&to="+monthly.To, tech, ""), 200)
	byMonth := map[string]int64{}
	for _, d := range allDays.Items {
		byMonth[d.Period[:7]] += d.DownloadBytes
	}
	for _, m := range monthly.Items {
		if m.DownloadBytes != byMonth[m.Period] {
			t.Errorf("month %s = %d, days sum %d", m.Period, m.DownloadBytes, byMonth[m.Period])
		}
	}
	if monthly.Total != allDays.Total || monthly.Total.DownloadBytes == 0 {
		t.Errorf("monthly total %+v, daily %+v", monthly.Total, allDays.Total)
	}

	// Per IP address: both addresses, and one address's daily series.
	ipBase := base + "/by-ip"
	byIP := apitest.Decode[trafficByIPJSON](t, s.Do(t, "GET", ipBase, tech, ""), 200)
	if len(byIP.Items) != 2 || byIP.Items[0].IP != usage.ips[0] || byIP.Items[1].IP != usage.ips[1] || byIP.Items[0].Days != nil {
		t.Fatalf("by IP = %+v", byIP)
	}
	if byIP.Items[0].DownloadBytes+byIP.Items[1].DownloadBytes != byIP.Total.DownloadBytes || byIP.Total.DownloadBytes >= daily.Total.DownloadBytes {
		t.Errorf("by IP totals = %+v (contract %d)", byIP, daily.Total.DownloadBytes)
	}
	one := apitest.Decode[trafficByIPJSON](t, s.Do(t, "GET", ipBase+"?ip="+url.QueryEscape(usage.ips[1]), tech, ""), 200)
	if len(one.Items) != 1 || len(one.Items[0].Days) != 30 || one.Items[0].DownloadBytes != byIP.Items[1].DownloadBytes {
		t.Fatalf("one IP = %+v", one)
	}
	var ipSum int64
	for _, d := range one.Items[0].Days {
		ipSum += d.DownloadBytes
	}
	if ipSum != one.Items[0].DownloadBytes {
		t.Errorf("IP series sum %d, total %d", ipSum, one.Items[0].DownloadBytes)
	}

	for _, tc := range []struct{ url, field, code string }{
		{base + "?granularity=weekly", "granularity", "oneof"},
		{base + "?from=2026-13-01", "from", "datetime"},
		{base + "?from=2026-03-10&to=2026-03-01", "to", "gtefield"},
		{base + "?from=2024-01-01&to=2026-01-01", "to", "range"},
		{ipBase + "?ip=300.1.1.1", "ip", "ip"},
	} {
		wantFieldProblem(t, tc.url, s.Do(t, "GET", tc.url, tech, ""), tc.field, tc.code)
	}
	for _, u := range []string{"/traffic", "/traffic/by-ip"} {
		r := s.Do(t, "GET", "/v1/contracts/"+huCt.ID+u, admin, "")
		if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
			t.Errorf("foreign contract %s: %d %s", u, r.Status, r.Body)
		}
		if r := s.Do(t, "GET", base+strings.TrimPrefix(u, "/traffic"), bills, ""); r.Status != 403 {
			t.Errorf("without the traffic right %s: %d", u, r.Status)
		}
	}
}

type historyJSON[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor"`
}

func TestContractHistoryAndIngest(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	usage := withUsage(t, s, h, ct)
	hu, huCt := hufAccount(t, s)
	admin := s.Login(t, h.Admin.Email, h.Admin.Password).AccessToken
	tech := s.Login(t, h.Tech.Email, h.Tech.Password).AccessToken
	ctPath := "/v1/contracts/" + ct.ID
	adminCt := "/admin/v1/customers/" + h.ID + "/contracts/" + ct.ID

	protos := apitest.Decode[historyJSON[clientzone.ServiceProtocol]](t, s.Do(t, "GET", ctPath+"/service-protocols", admin, ""), 200)
	if len(protos.Items) != 2 || protos.Items[0].ID != usage.protoRepair || protos.Items[1].Kind != "installation" {
		t.Fatalf("protocols = %+v", protos)
	}
	reqs := apitest.Decode[historyJSON[clientzone.SupportRequest]](t, s.Do(t, "GET", ctPath+"/support-requests?limit=2", admin, ""), 200)
	if len(reqs.Items) != 2 || reqs.Items[0].ID != usage.supportOpen || reqs.Items[0].ClosedAt != nil || reqs.NextCursor == "" {
		t.Fatalf("support requests page 1 = %+v", reqs)
	}
	reqs = apitest.Decode[historyJSON[clientzone.SupportRequest]](t, s.Do(t, "GET", ctPath+"/support-requests?limit=2&cursor="+reqs.NextCursor, admin, ""), 200)
	if len(reqs.Items) != 1 || reqs.Items[0].ID != usage.supportOld || reqs.NextCursor != "" {
		t.Fatalf("support requests page 2 = %+v", reqs)
	}
	wantFieldProblem(t, "history limit", s.Do(t, "GET", ctPath+"/support-requests?limit=101", admin, ""), "limit", "max")
	wantFieldProblem(t, "history cursor", s.Do(t, "GET", ctPath+"/service-protocols?cursor=zzz", admin, ""), "cursor", "")
	if r := s.Do(t, "GET", ctPath+"/service-protocols", tech, ""); r.Status != 403 {
		t.Errorf("without the contracts right: %d", r.Status)
	}

	// Back office: upsert a protocol and a support request.
	r := s.Do(t, "PUT", adminCt+"/service-protocols/P-NEW", "", `{"number":"SP-9","kind":"handover","date":"2099-01-01","title":"Handover"}`)
	if r.Status != 200 {
		t.Fatalf("protocol upsert: %d %s", r.Status, r.Body)
	}
	protos = apitest.Decode[historyJSON[clientzone.ServiceProtocol]](t, s.Do(t, "GET", ctPath+"/service-protocols", admin, ""), 200)
	if len(protos.Items) != 3 || protos.Items[0].ID != "P-NEW" || protos.Items[0].ContractID != ct.ID {
		t.Errorf("after upsert = %+v", protos)
	}
	wantFieldProblem(t, "protocol kind", s.Do(t, "PUT", adminCt+"/service-protocols/P-NEW", "", `{"number":"SP-9","kind":"party","date":"2099-01-01","title":"x"}`), "kind", "oneof")
	r = s.Do(t, "PUT", adminCt+"/support-requests/"+usage.supportOpen, "",
		`{"number":"HD-1003","openedAt":"2026-01-02T10:00:00Z","closedAt":"2026-01-01T10:00:00Z","status":"closed","subject":"x"}`)
	wantFieldProblem(t, "closed before opened", r, "closedAt", "")
	r = s.Do(t, "PUT", "/admin/v1/customers/"+hu.ID+"/contracts/"+ct.ID+"/support-requests/X", "",
		`{"number":"HD-1","openedAt":"2026-01-02T10:00:00Z","status":"open","subject":"x"}`)
	if r.Status != 404 {
		t.Errorf("support request on another customer's contract: %d %s", r.Status, r.Body)
	}

	// Back office: call ingestion, validated per call, idempotent.
	at := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	mk := func(n int) string {
		var cs []string
		for i := range n {
			cs = append(cs, fmt.Sprintf(`{"id":"ing-%d","startedAt":%q,"direction":"outgoing","from":"+421212345678","to":"+421905000%03d","destination":"Slovakia mobile","durationSeconds":%d,"price":{"amount":%d,"currency":"EUR"}}`,
				i, at.Add(time.Duration(i)*time.Second).Format(time.RFC3339), i, 60+i, 6))
		}
		return `{"calls":[` + strings.Join(cs, ",") + `]}`
	}
	before := apitest.Decode[callsJSON](t, s.Do(t, "GET", ctPath+"/calls?limit=500&from="+at.Format(time.RFC3339), admin, ""), 200)
	for range 2 {
		r = s.Do(t, "POST", adminCt+"/calls", "", mk(30))
		if got := apitest.Decode[map[string]int](t, r, 200); got["received"] != 30 || got["written"] != 30 {
			t.Fatalf("ingest = %v", got)
		}
	}
	after := apitest.Decode[callsJSON](t, s.Do(t, "GET", ctPath+"/calls?limit=500&from="+at.Format(time.RFC3339), admin, ""), 200)
	if len(after.Items) != len(before.Items)+30 {
		t.Errorf("after ingesting twice: %d calls, want %d", len(after.Items), len(before.Items)+30)
	}
	bad := strings.Replace(mk(5), `"durationSeconds":63`, `"durationSeconds":-1`, 1)
	bad = strings.Replace(bad, `"currency":"EUR"}},{"id":"ing-2"`, `"currency":"eur"}},{"id":"ing-2"`, 1)
	r = s.Do(t, "POST", adminCt+"/calls", "", bad)
	wantFieldProblem(t, "bad call", r, "calls[3].durationSeconds", "min")
	wantFieldProblem(t, "bad call", r, "calls[1].price.currency", "iso4217")
	bad = strings.Replace(mk(5), `"amount":6,"currency":"EUR"}},{"id":"ing-3"`, `"amount":-6,"currency":"EUR"}},{"id":"ing-3"`, 1)
	bad = strings.Replace(bad, `"currency":"EUR"}},{"id":"ing-4"`, `"currency":"XYZ"}},{"id":"ing-4"`, 1)
	r = s.Do(t, "POST", adminCt+"/calls", "", bad)
	wantFieldProblem(t, "negative price", r, "calls[2].price.amount", "min")
	wantFieldProblem(t, "unknown currency", r, "calls[3].price.currency", "iso4217")
	// A real currency, but not the customer's (EUR): nothing is written.
	bad = strings.Replace(mk(5), `"currency":"EUR"}},{"id":"ing-3"`, `"currency":"HUF"}},{"id":"ing-3"`, 1)
	bad = strings.Replace(bad, `"currency":"EUR"}}]`, `"currency":"CZK"}}]`, 1)
	r = s.Do(t, "POST", adminCt+"/calls", "", strings.ReplaceAll(bad, `"ing-`, `"cur-`))
	wantFieldProblem(t, "foreign currency", r, "calls[2].price.currency", "currency")
	wantFieldProblem(t, "foreign currency", r, "calls[4].price.currency", "currency")
	if ps := r.Problem(t).Errors; len(ps) != 2 {
		t.Errorf("foreign currency: %s, want exactly 2 field errors", r.Body)
	}
	if got := apitest.Decode[callsJSON](t, s.Do(t, "GET", ctPath+"/calls?limit=500&from="+at.Format(time.RFC3339), admin, ""), 200); len(got.Items) != len(after.Items) {
		t.Errorf("a rejected ingestion wrote calls: %d, want %d", len(got.Items), len(after.Items))
	}
	wantFieldProblem(t, "no calls", s.Do(t, "POST", adminCt+"/calls", "", `{"calls":[]}`), "calls", "min")
	r = s.Do(t, "POST", "/admin/v1/customers/"+h.ID+"/contracts/"+huCt.ID+"/calls", "", mk(1))
	if r.Status != 404 {
		t.Errorf("calls for another customer's contract: %d %s", r.Status, r.Body)
	}

	// Back office: traffic ingestion replaces a day.
	day := time.Now().UTC().Format(time.DateOnly)
	body := fmt.Sprintf(`{"records":[{"date":%q,"downloadBytes":1000,"uploadBytes":10},{"date":%q,"ip":"198.51.100.7","downloadBytes":400,"uploadBytes":4}]}`, day, day)
	for range 2 {
		if got := apitest.Decode[map[string]int](t, s.Do(t, "POST", adminCt+"/traffic", "", body), 200); got["written"] != 2 {
			t.Fatalf("traffic ingest = %v", got)
		}
	}
	td := apitest.Decode[trafficJSON](t, s.Do(t, "GET", ctPath+"/traffic?from="+day+"&to="+day, tech, ""), 200)
	if len(td.Items) != 1 || td.Items[0].DownloadBytes != 1000 || td.Total.UploadBytes != 10 {
		t.Errorf("ingested day = %+v", td)
	}
	ip := apitest.Decode[trafficByIPJSON](t, s.Do(t, "GET", ctPath+"/traffic/by-ip?ip=198.51.100.7&from="+day+"&to="+day, tech, ""), 200)
	if len(ip.Items) != 1 || ip.Items[0].DownloadBytes != 400 {
		t.Errorf("ingested IP day = %+v", ip)
	}
	wantFieldProblem(t, "bad traffic", s.Do(t, "POST", adminCt+"/traffic", "", `{"records":[{"date":"2026-01-01","downloadBytes":1,"uploadBytes":1},{"date":"2026-01-02","ip":"nope","downloadBytes":1,"uploadBytes":1}]}`), "records[1].ip", "ip")
}
