package legacyimport_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/infra/legacyimport"
	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// TestMain runs the tests with the apitest harness: one dev-server stack,
// every exchange validated against the OpenAPI document.
func TestMain(m *testing.M) { os.Exit(apitest.Main(m, apitest.Options{})) }

type invoiceList struct {
	Items []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"items"`
}

// legacyExport is the example export of the legacy-import command.
func legacyExport(t *testing.T) string {
	return filepath.Join("..", "cmd", "legacy-import", "testdata", "export")
}

func runLegacyImport(t *testing.T, base, dir, report string) *legacyimport.Summary {
	t.Helper()
	plan, err := legacyimport.Load(dir, legacyimport.PlanOptions{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := legacyimport.Run(context.Background(), plan, legacyimport.Options{BaseURL: base, Concurrency: 3, Retries: 1, ReportPath: report})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestLegacyImport imports the example export of infra/cmd/legacy-import
// into the dev-server stack through the admin API, then reads it back
// through the client routes: imported persons log in with their legacy
// passwords and see their invoices, contracts, calls and traffic. A second
// run changes nothing (resumable); bad records are reported one by one
// while the rest is imported.
func TestLegacyImport(t *testing.T) {
	s := apitest.Start(t)
	ctx := context.Background()
	base := s.URL
	report := filepath.Join(t.TempDir(), "report.jsonl")
	// The operator's catalogue already has the VoIP tariff the export's
	// contracts use (the export brings only its legacy tariffs).
	if r := s.Do(t, "PUT", "/admin/v1/tariffs/voip-basic", "", `{"kind":"voip","name":"VoIP Basic","price":{"amount":500,"currency":"EUR"},"billingPeriod":"monthly","available":true}`); r.Status != 200 {
		t.Fatalf("catalogue: %d %s", r.Status, r.Body)
	}

	sum := runLegacyImport(t, base, legacyExport(t), report)
	if sum.Records != 19 || sum.OK != 19 || len(sum.Failures) != 0 {
		t.Fatalf("summary %+v", sum)
	}
	if b, err := os.ReadFile(report); err != nil || len(b) != 0 {
		t.Errorf("report of a clean run: %q %v", b, err)
	}

	t.Run("read back through the client routes", func(t *testing.T) {
		pm := s.Login(t, "pmaly", "Legacy-Heslo-2019").AccessToken // bcrypt hash from the legacy portal
		l := apitest.Decode[invoiceList](t, s.Do(t, "GET", "/v1/invoices", pm, ""), 200)
		overdue := legacyimport.InvoiceID("legacy-c-1001", "FA-2026-1001", "2026-10-01")
		var ids []string
		for _, it := range l.Items {
			ids = append(ids, it.ID+":"+it.Status)
		}
		if len(l.Items) != 2 || !slices.Contains(ids, overdue+":overdue") || !slices.Contains(ids, legacyimport.InvoiceID("legacy-c-1001", "FA-2026-0901", "2026-09-01")+":paid") {
			t.Errorf("invoices %v", ids)
		}
		type callList struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		calls := apitest.Decode[callList](t, s.Do(t, "GET", "/v1/contracts/legacy-k-3001/calls?from=2026-11-01&to=2026-11-30", pm, ""), 200)
		if len(calls.Items) != 3 {
			t.Errorf("calls %+v", calls)
		}

		zu := s.Login(t, "zuzana@dunajhosting.sk", "Stare-Heslo-2018").AccessToken // MD5-crypt hash
		r := s.Do(t, "GET", "/v1/contracts", zu, "")
		if r.Status != 200 || !strings.Contains(string(r.Body), "legacy-s-3002-1") || strings.Contains(string(r.Body), "legacy-k-3001") {
			t.Errorf("contracts of customer 1002: %d %s", r.Status, r.Body)
		}
		c := apitest.Decode[clientzone.Customer](t, s.Do(t, "GET", "/v1/customer", zu, ""), 200)
		if c.ID != "legacy-c-1002" || c.VATID != "SK2023111222" || c.VariableSymbol != "4100002" {
			t.Errorf("customer %+v", c)
		}
		// Only bank-statement imports look symbols up: read the claim.
		if found, _ := s.Deps.DB.LookupVariableSymbol(ctx, "4100001"); found.Customer == nil || found.Customer.ID != "legacy-c-1001" {
			t.Errorf("bank matching cannot find the imported symbol: %+v", found)
		}
	})

	t.Run("running it again is safe", func(t *testing.T) {
		sum := runLegacyImport(t, base, legacyExport(t), report)
		if sum.OK != 19 || len(sum.Failures) != 0 {
			t.Fatalf("second run %+v", sum)
		}
		pm := s.Login(t, "pmaly", "Legacy-Heslo-2019").AccessToken
		if l := apitest.Decode[invoiceList](t, s.Do(t, "GET", "/v1/invoices", pm, ""), 200); len(l.Items) != 2 {
			t.Errorf("invoices after a re-run: %d", len(l.Items))
		}
	})

	t.Run("bad records are reported, the rest imported", func(t *testing.T) {
		dir := t.TempDir()
		write := func(name, content string) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("customers.jsonl", `{"id":"legacy-c-2001","kind":"person","name":"A","email":"a@example.sk","phone":"+421900000001","variableSymbol":"4200001","currency":"EUR","billingAddress":{"street":"S 1","city":"C","postalCode":"1","country":"SK"}}
{"id":"legacy-c-2002","kind":"person","name":"B","email":"b@example.sk","phone":"0900 000 002","currency":"EUR","billingAddress":{"street":"S 1","city":"C","postalCode":"1","country":"SK"}}
{"id":"legacy-c-2003","kind":"person","name":"C","email":"c@example.sk","phone":"+421900000003","variableSymbol":"4100001","currency":"EUR","billingAddress":{"street":"S 1","city":"C","postalCode":"1","country":"SK"}}
not json
`)
		write("persons.jsonl", `{"customerId":"legacy-c-2001","name":"A","email":"a@example.sk","role":"admin","language":"sk","passwordHash":"$1$legacy01$r7jyazPpTQdGxAYVLSTcE."}
{"customerId":"legacy-c-2001","name":"Taken","email":"peter.maly@example.sk","role":"regular","language":"sk","passwordHash":"$1$legacy01$r7jyazPpTQdGxAYVLSTcE."}
`)
		write("traffic.csv", "customer_id,contract_id,date,ip,download_bytes,upload_bytes\nlegacy-c-1001,legacy-k-3001,2026-11-03,,10,x\n")
		sum := runLegacyImport(t, base, dir, report)
		if sum.Records != 7 || sum.OK != 2 || len(sum.Failures) != 5 {
			t.Fatalf("summary %+v", sum)
		}
		f, err := os.Open(report)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var got []string
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var fl legacyimport.Failure
			if err := json.Unmarshal(sc.Bytes(), &fl); err != nil {
				t.Fatal(err)
			}
			field := ""
			if len(fl.Fields) > 0 {
				field = fl.Fields[0].Field
			}
			got = append(got, strings.Join([]string{fl.Kind, fl.Key, fl.Code, field}, " "))
		}
		want := []string{
			"customers legacy-c-2002 " + clientzone.EINVALID + " phone",
			"customers legacy-c-2003 " + clientzone.ECONFLICT + " variableSymbol",
			"customers  invalid_export ",
			"persons legacy-c-2001/peter.maly@example.sk taken persons[1].email",
			"traffic legacy-c-1001/legacy-k-3001/2026-11-03/ invalid_export ",
		}
		if !slices.Equal(got, want) {
			t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// The imported customer's admin has a legacy MD5-crypt password.
		if c := apitest.Decode[clientzone.Customer](t, s.Do(t, "GET", "/v1/customer", s.Login(t, "a@example.sk", "Stare-Heslo-2018").AccessToken, ""), 200); c.ID != "legacy-c-2001" {
			t.Errorf("the good customer was not imported: %+v", c)
		}
	})
}
