package devserver

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
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
func wantFieldProblem(t *testing.T, what string, r response, field, code string) {
	t.Helper()
	if r.status != 400 {
		t.Errorf("%s: %d %s, want 400", what, r.status, r.body)
		return
	}
	for _, f := range r.problem(t).Errors {
		if f.Field == field && (code == "" || f.Code == code) {
			return
		}
	}
	t.Errorf("%s: %s, want a field error for %s %s", what, r.body, field, code)
}

func TestCallsList(t *testing.T) {
	_, srv, _ := newStack(t)
	admin := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	tech := login(t, srv.URL, "technik", demo.TechPassword).AccessToken
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword).AccessToken
	base := srv.URL + "/v1/contracts/" + demo.ContractSK + "/calls"
	now := time.Now().UTC()
	from, to := now.AddDate(0, 0, -61).Format(time.DateOnly), now.Format(time.DateOnly)
	rng := "from=" + from + "&to=" + to

	// Every demo call, in pages of 70, newest first, without duplicates.
	var all callsJSON
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		r := do(t, "GET", base+"?"+rng+"&limit=70&cursor="+url.QueryEscape(cursor), tech, "")
		page := decodeJSON[callsJSON](t, r, 200)
		pages++
		for _, c := range page.Items {
			if seen[c.ID] {
				t.Fatalf("call %s on two pages", c.ID)
			}
			seen[c.ID] = true
		}
		all.Items = append(all.Items, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			if page.ContractID != demo.ContractSK || page.From.Format(time.DateOnly) != from {
				t.Errorf("page header = %s %v", page.ContractID, page.From)
			}
			break
		}
	}
	if len(all.Items) != demo.DemoCalls || pages != (demo.DemoCalls+69)/70 {
		t.Fatalf("%d calls in %d pages, want %d", len(all.Items), pages, demo.DemoCalls)
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
	r := do(t, "GET", base+"?"+rng+"&limit=500&direction=incoming", admin, "")
	in := decodeJSON[callsJSON](t, r, 200)
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
	def := decodeJSON[callsJSON](t, do(t, "GET", base, admin, ""), 200)
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
		r := do(t, "GET", base+"?"+rng+how.query, tech, "", "Accept", how.accept)
		if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("CSV %+v: %d %q %s", how, r.status, r.header.Get("Content-Type"), r.body)
		}
		wantName := "calls-" + demo.ContractSK + "-" + strings.ReplaceAll(from, "-", "") + "-" + strings.ReplaceAll(to, "-", "") + ".csv"
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename=`+wantName {
			t.Errorf("Content-Disposition = %q, want attachment %s", cd, wantName)
		}
		rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != "id,startedAt,direction,from,to,destination,durationSeconds,price,currency" || len(rows) != demo.DemoCalls+1 {
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
		wantFieldProblem(t, tc.query, do(t, "GET", base+"?"+tc.query, admin, ""), tc.field, tc.code)
	}
	// A cursor from another range is refused, not an internal error.
	page := decodeJSON[callsJSON](t, do(t, "GET", base+"?"+rng+"&limit=5", admin, ""), 200)
	old := now.AddDate(0, 0, -50).Format(time.DateOnly)
	wantFieldProblem(t, "cursor of another range", do(t, "GET", base+"?from="+from+"&to="+old+"&limit=5&cursor="+page.NextCursor, admin, ""), "cursor", "invalid")

	// Another customer's contract is 404; a person without the calls right 403.
	r = do(t, "GET", srv.URL+"/v1/contracts/"+demo.ContractHU+"/calls", admin, "")
	if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
		t.Errorf("foreign contract: %d %s", r.status, r.body)
	}
	r = do(t, "GET", srv.URL+"/v1/contracts/"+demo.ContractHU+"/calls?format=csv", admin, "")
	if r.status != 404 {
		t.Errorf("foreign contract CSV: %d %s", r.status, r.body)
	}
	if r = do(t, "GET", base, bills, ""); r.status != 403 {
		t.Errorf("without the calls right: %d %s", r.status, r.body)
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
	_, srv, _ := newStack(t)
	tech := login(t, srv.URL, "technik", demo.TechPassword).AccessToken
	admin := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword).AccessToken
	base := srv.URL + "/v1/contracts/" + demo.ContractSK + "/traffic"
	today := time.Now().UTC()

	daily := decodeJSON[trafficJSON](t, do(t, "GET", base, tech, ""), 200)
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
	monthly := decodeJSON[trafficJSON](t, do(t, "GET", base+"?granularity=monthly", tech, ""), 200)
	if len(monthly.Items) != 12 || monthly.Items[11].Period != today.Format("2006-01") || !strings.HasSuffix(monthly.From, "-01") {
		t.Fatalf("monthly default = %+v", monthly)
	}
	allDays := decodeJSON[trafficJSON](t, do(t, "GET", base+"?from="+monthly.From+"&to="+monthly.To, tech, ""), 200)
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
	byIP := decodeJSON[trafficByIPJSON](t, do(t, "GET", ipBase, tech, ""), 200)
	if len(byIP.Items) != 2 || byIP.Items[0].IP != demo.TrafficIPs[0] || byIP.Items[1].IP != demo.TrafficIPs[1] || byIP.Items[0].Days != nil {
		t.Fatalf("by IP = %+v", byIP)
	}
	if byIP.Items[0].DownloadBytes+byIP.Items[1].DownloadBytes != byIP.Total.DownloadBytes || byIP.Total.DownloadBytes >= daily.Total.DownloadBytes {
		t.Errorf("by IP totals = %+v (contract %d)", byIP, daily.Total.DownloadBytes)
	}
	one := decodeJSON[trafficByIPJSON](t, do(t, "GET", ipBase+"?ip="+url.QueryEscape(demo.TrafficIPs[1]), tech, ""), 200)
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
		wantFieldProblem(t, tc.url, do(t, "GET", tc.url, tech, ""), tc.field, tc.code)
	}
	for _, u := range []string{"/traffic", "/traffic/by-ip"} {
		r := do(t, "GET", srv.URL+"/v1/contracts/"+demo.ContractHU+u, admin, "")
		if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
			t.Errorf("foreign contract %s: %d %s", u, r.status, r.body)
		}
		if r := do(t, "GET", base+strings.TrimPrefix(u, "/traffic"), bills, ""); r.status != 403 {
			t.Errorf("without the traffic right %s: %d", u, r.status)
		}
	}
}

type historyJSON[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor"`
}

func TestContractHistoryAndIngest(t *testing.T) {
	_, srv, _ := newStack(t)
	admin := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	tech := login(t, srv.URL, "technik", demo.TechPassword).AccessToken
	ct := srv.URL + "/v1/contracts/" + demo.ContractSK
	adminCt := srv.URL + "/admin/v1/customers/" + demo.CustomerSK + "/contracts/" + demo.ContractSK

	protos := decodeJSON[historyJSON[clientzone.ServiceProtocol]](t, do(t, "GET", ct+"/service-protocols", admin, ""), 200)
	if len(protos.Items) != 2 || protos.Items[0].ID != demo.ProtocolRepair || protos.Items[1].Kind != "installation" {
		t.Fatalf("protocols = %+v", protos)
	}
	reqs := decodeJSON[historyJSON[clientzone.SupportRequest]](t, do(t, "GET", ct+"/support-requests?limit=2", admin, ""), 200)
	if len(reqs.Items) != 2 || reqs.Items[0].ID != demo.SupportOpen || reqs.Items[0].ClosedAt != nil || reqs.NextCursor == "" {
		t.Fatalf("support requests page 1 = %+v", reqs)
	}
	reqs = decodeJSON[historyJSON[clientzone.SupportRequest]](t, do(t, "GET", ct+"/support-requests?limit=2&cursor="+reqs.NextCursor, admin, ""), 200)
	if len(reqs.Items) != 1 || reqs.Items[0].ID != demo.SupportOld || reqs.NextCursor != "" {
		t.Fatalf("support requests page 2 = %+v", reqs)
	}
	wantFieldProblem(t, "history limit", do(t, "GET", ct+"/support-requests?limit=101", admin, ""), "limit", "max")
	wantFieldProblem(t, "history cursor", do(t, "GET", ct+"/service-protocols?cursor=zzz", admin, ""), "cursor", "")
	if r := do(t, "GET", ct+"/service-protocols", tech, ""); r.status != 403 {
		t.Errorf("without the contracts right: %d", r.status)
	}

	// Back office: upsert a protocol and a support request.
	r := do(t, "PUT", adminCt+"/service-protocols/P-NEW", "", `{"number":"SP-9","kind":"handover","date":"2099-01-01","title":"Handover"}`)
	if r.status != 200 {
		t.Fatalf("protocol upsert: %d %s", r.status, r.body)
	}
	protos = decodeJSON[historyJSON[clientzone.ServiceProtocol]](t, do(t, "GET", ct+"/service-protocols", admin, ""), 200)
	if len(protos.Items) != 3 || protos.Items[0].ID != "P-NEW" || protos.Items[0].ContractID != demo.ContractSK {
		t.Errorf("after upsert = %+v", protos)
	}
	wantFieldProblem(t, "protocol kind", do(t, "PUT", adminCt+"/service-protocols/P-NEW", "", `{"number":"SP-9","kind":"party","date":"2099-01-01","title":"x"}`), "kind", "oneof")
	r = do(t, "PUT", adminCt+"/support-requests/"+demo.SupportOpen, "",
		`{"number":"HD-1003","openedAt":"2026-01-02T10:00:00Z","closedAt":"2026-01-01T10:00:00Z","status":"closed","subject":"x"}`)
	wantFieldProblem(t, "closed before opened", r, "closedAt", "")
	r = do(t, "PUT", srv.URL+"/admin/v1/customers/"+demo.CustomerHU+"/contracts/"+demo.ContractSK+"/support-requests/X", "",
		`{"number":"HD-1","openedAt":"2026-01-02T10:00:00Z","status":"open","subject":"x"}`)
	if r.status != 404 {
		t.Errorf("support request on another customer's contract: %d %s", r.status, r.body)
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
	before := decodeJSON[callsJSON](t, do(t, "GET", ct+"/calls?limit=500&from="+at.Format(time.RFC3339), admin, ""), 200)
	for range 2 {
		r = do(t, "POST", adminCt+"/calls", "", mk(30))
		if got := decodeJSON[map[string]int](t, r, 200); got["received"] != 30 || got["written"] != 30 {
			t.Fatalf("ingest = %v", got)
		}
	}
	after := decodeJSON[callsJSON](t, do(t, "GET", ct+"/calls?limit=500&from="+at.Format(time.RFC3339), admin, ""), 200)
	if len(after.Items) != len(before.Items)+30 {
		t.Errorf("after ingesting twice: %d calls, want %d", len(after.Items), len(before.Items)+30)
	}
	bad := strings.Replace(mk(5), `"durationSeconds":63`, `"durationSeconds":-1`, 1)
	bad = strings.Replace(bad, `"currency":"EUR"}},{"id":"ing-2"`, `"currency":"eur"}},{"id":"ing-2"`, 1)
	r = do(t, "POST", adminCt+"/calls", "", bad)
	wantFieldProblem(t, "bad call", r, "calls[3].durationSeconds", "min")
	wantFieldProblem(t, "bad call", r, "calls[1].price.currency", "iso4217")
	bad = strings.Replace(mk(5), `"amount":6,"currency":"EUR"}},{"id":"ing-3"`, `"amount":-6,"currency":"EUR"}},{"id":"ing-3"`, 1)
	bad = strings.Replace(bad, `"currency":"EUR"}},{"id":"ing-4"`, `"currency":"XYZ"}},{"id":"ing-4"`, 1)
	r = do(t, "POST", adminCt+"/calls", "", bad)
	wantFieldProblem(t, "negative price", r, "calls[2].price.amount", "min")
	wantFieldProblem(t, "unknown currency", r, "calls[3].price.currency", "iso4217")
	// A real currency, but not the customer's (EUR): nothing is written.
	bad = strings.Replace(mk(5), `"currency":"EUR"}},{"id":"ing-3"`, `"currency":"HUF"}},{"id":"ing-3"`, 1)
	bad = strings.Replace(bad, `"currency":"EUR"}}]`, `"currency":"CZK"}}]`, 1)
	r = do(t, "POST", adminCt+"/calls", "", strings.ReplaceAll(bad, `"ing-`, `"cur-`))
	wantFieldProblem(t, "foreign currency", r, "calls[2].price.currency", "currency")
	wantFieldProblem(t, "foreign currency", r, "calls[4].price.currency", "currency")
	if ps := r.problem(t).Errors; len(ps) != 2 {
		t.Errorf("foreign currency: %s, want exactly 2 field errors", r.body)
	}
	if got := decodeJSON[callsJSON](t, do(t, "GET", ct+"/calls?limit=500&from="+at.Format(time.RFC3339), admin, ""), 200); len(got.Items) != len(after.Items) {
		t.Errorf("a rejected ingestion wrote calls: %d, want %d", len(got.Items), len(after.Items))
	}
	wantFieldProblem(t, "no calls", do(t, "POST", adminCt+"/calls", "", `{"calls":[]}`), "calls", "min")
	r = do(t, "POST", srv.URL+"/admin/v1/customers/"+demo.CustomerSK+"/contracts/"+demo.ContractHU+"/calls", "", mk(1))
	if r.status != 404 {
		t.Errorf("calls for another customer's contract: %d %s", r.status, r.body)
	}

	// Back office: traffic ingestion replaces a day.
	day := time.Now().UTC().Format(time.DateOnly)
	body := fmt.Sprintf(`{"records":[{"date":%q,"downloadBytes":1000,"uploadBytes":10},{"date":%q,"ip":"198.51.100.7","downloadBytes":400,"uploadBytes":4}]}`, day, day)
	for range 2 {
		if got := decodeJSON[map[string]int](t, do(t, "POST", adminCt+"/traffic", "", body), 200); got["written"] != 2 {
			t.Fatalf("traffic ingest = %v", got)
		}
	}
	td := decodeJSON[trafficJSON](t, do(t, "GET", ct+"/traffic?from="+day+"&to="+day, tech, ""), 200)
	if len(td.Items) != 1 || td.Items[0].DownloadBytes != 1000 || td.Total.UploadBytes != 10 {
		t.Errorf("ingested day = %+v", td)
	}
	ip := decodeJSON[trafficByIPJSON](t, do(t, "GET", ct+"/traffic/by-ip?ip=198.51.100.7&from="+day+"&to="+day, tech, ""), 200)
	if len(ip.Items) != 1 || ip.Items[0].DownloadBytes != 400 {
		t.Errorf("ingested IP day = %+v", ip)
	}
	wantFieldProblem(t, "bad traffic", do(t, "POST", adminCt+"/traffic", "", `{"records":[{"date":"2026-01-01","downloadBytes":1,"uploadBytes":1},{"date":"2026-01-02","ip":"nope","downloadBytes":1,"uploadBytes":1}]}`), "records[1].ip", "ip")
}
