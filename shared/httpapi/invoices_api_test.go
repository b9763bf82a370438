package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/app/pdf"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type pdfLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
	Filename  string    `json:"filename"`
}

// pdftotext extracts a PDF's text, whitespace-normalised. A missing
// pdftotext (Debian's poppler-utils) fails the test, never skips it.
func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is required (apt-get install poppler-utils): %v", err)
	}
	f := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// download fetches a presigned URL without any credentials of ours.
func download(t *testing.T, u string) ([]byte, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET presigned URL: %d %s", resp.StatusCode, b)
	}
	return b, resp.Header
}

func bucketKeys(t *testing.T, s *apitest.Stack, prefix string) []string {
	t.Helper()
	out, err := s.S3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{
		Bucket: aws.String(s.Deps.Config.BucketName), Prefix: aws.String(prefix),
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

func TestInvoices(t *testing.T) {
	s := apitest.Start(t)
	ctx := context.Background()
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	sk := h.withInvoices(t, s, ct.ID) // newest first: [0] unpaid not due, [1] unpaid overdue, [2] paid
	huAcct := s.NewAccount(t, apitest.CustomerSpec{Kind: "company", Currency: "HUF", Country: "HU", Language: clientzone.LangHU})
	huInv := s.NewInvoice(t, huAcct.Customer, apitest.InvoiceSpec{Status: clientzone.InvoicePaid, Amount: 4800000})
	admin := s.LoginAs(t, h.Admin)
	bills := s.LoginAs(t, h.Bills) // language sk
	tech := s.LoginAs(t, h.Tech)
	hu := huAcct.Token
	skCustomer := h.Customer
	mine := "invoices/" + h.ID + "/"

	t.Run("detail", func(t *testing.T) {
		r := s.Do(t, "GET", "/v1/invoices/"+sk[1].ID, bills, "")
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		var inv clientzone.Invoice
		if err := json.Unmarshal(r.Body, &inv); err != nil {
			t.Fatal(err)
		}
		if inv.ID != sk[1].ID || inv.Number != sk[1].Number || inv.Status != clientzone.InvoiceOverdue || len(inv.Lines) != 1 ||
			inv.Lines[0].Total.Amount != inv.Total.Amount || inv.VariableSymbol != h.VariableSymbol || inv.IssuedOn == "" || inv.DueOn == "" {
			t.Errorf("invoice = %+v", inv)
		}
		if strings.Contains(string(r.Body), "PDFKey") || strings.Contains(string(r.Body), "customerId") {
			t.Errorf("internal fields in %s", r.Body)
		}
		if r := s.Do(t, "GET", "/v1/invoices/"+sk[0].ID, admin, ""); r.Status != 200 || !strings.Contains(string(r.Body), `"status":"unpaid"`) {
			t.Errorf("not yet due: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "GET", "/v1/invoices/"+huInv.ID, hu, ""); r.Status != 200 || !strings.Contains(string(r.Body), `"currency":"HUF"`) {
			t.Errorf("HU admin, own invoice: %d %s", r.Status, r.Body)
		}
	})

	t.Run("detail of another customer's or no invoice is 404", func(t *testing.T) {
		for _, id := range []string{huInv.ID, clientzone.NewID()} {
			r := s.Do(t, "GET", "/v1/invoices/"+id, admin, "")
			if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
				t.Errorf("%s: %d %s", id, r.Status, r.Body)
			}
		}
		r := s.Do(t, "GET", "/v1/invoices/"+sk[0].ID, hu, "")
		if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
			t.Errorf("HU admin, SK invoice: %d %s", r.Status, r.Body)
		}
	})

	t.Run("without the invoices right is 403", func(t *testing.T) {
		for _, path := range []string{"/v1/invoices/" + sk[0].ID, "/v1/invoices/" + sk[0].ID + "/pdf"} {
			r := s.Do(t, "GET", path, tech, "")
			if p := r.Problem(t); r.Status != 403 || p.Code != clientzone.EFORBIDDEN {
				t.Errorf("%s: %d %s", path, r.Status, r.Body)
			}
		}
		if keys := bucketKeys(t, s, mine); len(keys) != 0 {
			t.Errorf("objects written: %v", keys)
		}
	})

	var first pdfLink
	t.Run("pdf: presigned URL downloads the rendered invoice", func(t *testing.T) {
		before := time.Now()
		r := s.Do(t, "GET", "/v1/invoices/"+sk[2].ID+"/pdf", bills, "", "Accept-Language", "hu-HU,hu;q=0.9,sk;q=0.5")
		if r.Status != 200 || r.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if err := json.Unmarshal(r.Body, &first); err != nil {
			t.Fatal(err)
		}
		if first.Filename != sk[2].Number+".pdf" {
			t.Errorf("filename = %q", first.Filename)
		}
		if d := first.ExpiresAt.Sub(before); d < 4*time.Minute || d > 6*time.Minute {
			t.Errorf("expiresAt = %v, want in 5 minutes", first.ExpiresAt)
		}
		u, err := url.Parse(first.URL)
		if err != nil || !strings.HasPrefix(first.URL, s.Deps.Config.S3Endpoint+"/") {
			t.Fatalf("url %q is not on the local S3 (%v)", first.URL, err)
		}
		q := u.Query()
		inv, err := s.Deps.DB.Invoice(ctx, h.ID, sk[2].ID)
		wantPrefix := "invoices/" + h.ID + "/" + sk[2].ID + "/"
		if err != nil || !strings.HasPrefix(inv.PDFKey, wantPrefix) || !strings.HasSuffix(inv.PDFKey, ".pdf") {
			t.Fatalf("stored PDFKey = %q (%v), want %s<render id>.pdf", inv.PDFKey, err, wantPrefix)
		}
		wantKey := inv.PDFKey
		if !strings.HasSuffix(u.Path, "/"+wantKey) || q.Get("X-Amz-Expires") != "300" || q.Get("X-Amz-Signature") == "" ||
			q.Get("response-content-type") != "application/pdf" || !strings.Contains(q.Get("response-content-disposition"), "attachment") {
			t.Errorf("presigned URL %s", first.URL)
		}
		body, hdr := download(t, first.URL)
		if !strings.HasPrefix(string(body), "%PDF-") {
			t.Fatalf("downloaded %q…", body[:min(len(body), 20)])
		}
		if cd := hdr.Get("Content-Disposition"); cd != "attachment; filename="+sk[2].Number+".pdf" {
			t.Errorf("Content-Disposition = %q", cd)
		}
		text := pdftotext(t, body)
		for _, want := range []string{"Számla", sk[2].Number, skCustomer.Name, skCustomer.BillingAddress.Street, "Kifizetve", h.VariableSymbol} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q: %s", want, text)
			}
		}
	})

	t.Run("pdf: second call reuses the stored PDF", func(t *testing.T) {
		r := s.Do(t, "GET", "/v1/invoices/"+sk[2].ID+"/pdf", admin, "", "Accept-Language", "ru")
		var again pdfLink
		if r.Status != 200 || json.Unmarshal(r.Body, &again) != nil {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		u1, _ := url.Parse(first.URL)
		u2, _ := url.Parse(again.URL)
		if u1.Path != u2.Path {
			t.Errorf("second link %s, first %s", u2.Path, u1.Path)
		}
		body, _ := download(t, again.URL)
		// Not re-rendered: still the Hungarian document of the first call.
		if text := pdftotext(t, body); !strings.Contains(text, "Számla") || strings.Contains(text, "Счёт") {
			t.Errorf("second call rendered again: %s", text)
		}
		if keys := bucketKeys(t, s, mine); len(keys) != 1 {
			t.Errorf("objects = %v, want one", keys)
		}
	})

	t.Run("pdf: language falls back to the person's", func(t *testing.T) {
		r := s.Do(t, "GET", "/v1/invoices/"+sk[3].ID+"/pdf", bills, "", "Accept-Language", "de-DE")
		var l pdfLink
		if r.Status != 200 || json.Unmarshal(r.Body, &l) != nil {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		body, _ := download(t, l.URL)
		if text := pdftotext(t, body); !strings.Contains(text, "Faktúra") || !strings.Contains(text, "Ján Novák") {
			t.Errorf("want the Slovak PDF: %s", text)
		}
	})

	t.Run("pdf of another customer's invoice is 404 and writes nothing", func(t *testing.T) {
		before := bucketKeys(t, s, mine)
		for _, id := range []string{huInv.ID, clientzone.NewID()} {
			r := s.Do(t, "GET", "/v1/invoices/"+id+"/pdf", admin, "")
			if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
				t.Errorf("%s: %d %s", id, r.Status, r.Body)
			}
		}
		if after := bucketKeys(t, s, mine); len(after) != len(before) {
			t.Errorf("objects %v, before %v", after, before)
		}
		if inv, err := s.Deps.DB.Invoice(ctx, huAcct.ID, huInv.ID); err != nil || inv.PDFKey != "" {
			t.Errorf("HU invoice PDFKey = %q (%v)", inv.PDFKey, err)
		}
	})

	t.Run("pdf: S3 down is 500, nothing recorded, then it recovers", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := "http://" + ln.Addr().String()
		ln.Close()
		d := *s.Deps
		d.Config.S3Endpoint = dead
		d.AWS.RetryMaxAttempts = 1
		handler, err := pdf.InvoicePdf(&d)
		if err != nil {
			t.Fatal(err)
		}
		down := httptest.NewServer(handler)
		defer down.Close()
		r := apitest.Do(t, "GET", down.URL+"/v1/invoices/"+sk[4].ID+"/pdf", bills, "")
		if p := r.Problem(t); r.Status != 500 || p.Code != clientzone.EINTERNAL || p.Detail != "Internal error." {
			t.Errorf("%d %s", r.Status, r.Body)
		}
		// The request's own path and id are echoed (instance, requestId);
		// nothing else may name the cause. (Random ids may spell "s3".)
		var fields map[string]any
		if err := json.Unmarshal(r.Body, &fields); err != nil {
			t.Fatal(err)
		}
		delete(fields, "instance")
		delete(fields, "requestId")
		rest := strings.ToLower(apitest.JSON(t, fields))
		for _, leak := range []string{"127.0.0.1", "dial", "s3", "invoices/" + strings.ToLower(h.ID)} {
			if strings.Contains(rest, leak) {
				t.Errorf("problem leaks %q: %s", leak, r.Body)
			}
		}
		if inv, err := s.Deps.DB.Invoice(ctx, h.ID, sk[4].ID); err != nil || inv.PDFKey != "" {
			t.Errorf("PDFKey after failed upload = %q (%v)", inv.PDFKey, err)
		}
		r = s.Do(t, "GET", "/v1/invoices/"+sk[4].ID+"/pdf", bills, "")
		if r.Status != 200 {
			t.Errorf("after S3 is back: %d %s", r.Status, r.Body)
		}
	})

	t.Run("pdf: concurrent first calls agree on one key", func(t *testing.T) {
		var wg sync.WaitGroup
		paths := make([]string, 4)
		for i := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("GET", s.URL+"/v1/invoices/"+sk[5].ID+"/pdf", nil)
				req.Header.Set("Authorization", "Bearer "+bills)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return
				}
				defer resp.Body.Close()
				var l pdfLink
				if resp.StatusCode == 200 && json.NewDecoder(resp.Body).Decode(&l) == nil {
					if u, err := url.Parse(l.URL); err == nil {
						paths[i] = u.Path
					}
				}
			}()
		}
		wg.Wait()
		for _, p := range paths {
			if p == "" || p != paths[0] {
				t.Fatalf("paths %v", paths)
			}
		}
		inv, err := s.Deps.DB.Invoice(ctx, h.ID, sk[5].ID)
		if err != nil || !strings.HasSuffix(paths[0], "/"+inv.PDFKey) {
			t.Errorf("PDFKey %q, links %v (%v)", inv.PDFKey, paths, err)
		}
	})

	u, _ := url.Parse(first.URL)
	s.NoSecretsInLogs(t, admin, bills, tech, hu, u.Query().Get("X-Amz-Signature"))
}

type invoiceList struct {
	Items []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Total  struct {
			Amount   int64
			Currency string
		} `json:"total"`
	} `json:"items"`
	NextCursor string `json:"nextCursor"`
}

// TestInvoicesList: the invoices right, status filters, pagination newest
// first, isolation between customers and bad parameters.
func TestInvoicesList(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	h.withInvoices(t, s, ct.ID)
	hu := s.NewAccount(t, apitest.CustomerSpec{Kind: "company", Currency: "HUF", Country: "HU", Language: clientzone.LangHU})
	s.NewInvoice(t, hu.Customer, apitest.InvoiceSpec{Status: clientzone.InvoicePaid, Amount: 4800000})
	admin, bills, tech := s.LoginAs(t, h.Admin), s.LoginAs(t, h.Bills), s.LoginAs(t, h.Tech)
	list := func(tok, query string) (apitest.Response, invoiceList) {
		r := s.Do(t, "GET", "/v1/invoices?"+query, tok, "")
		var l invoiceList
		if r.Status == 200 {
			l = apitest.Decode[invoiceList](t, r, 200)
		}
		return r, l
	}
	var cases []apitest.Case
	for q, n := range map[string]int{"": 7, "status=unpaid": 2, "status=overdue": 1, "status=paid": 4, "status=cancelled": 1} {
		cases = append(cases, apitest.Case{Name: "filter " + q, Method: "GET", Path: "/v1/invoices?" + q, Token: admin, Status: 200,
			Check: func(t *testing.T, r apitest.Response) {
				l := apitest.Decode[invoiceList](t, r, 200)
				if len(l.Items) != n {
					t.Errorf("%d items, want %d", len(l.Items), n)
				}
				for _, it := range l.Items {
					if st := strings.TrimPrefix(q, "status="); st != "" && st != "unpaid" && it.Status != st {
						t.Errorf("%q returned a %s invoice", q, it.Status)
					}
				}
			}})
	}
	cases = append(cases, apitest.Case{Name: "without the invoices right", Method: "GET", Path: "/v1/invoices", Token: tech, Status: 403, Code: clientzone.EFORBIDDEN})
	for q, field := range map[string]string{"status=bogus": "status", "limit=1000": "limit", "limit=x": "limit", "limit=0": "limit"} {
		cases = append(cases, apitest.Case{Name: "bad " + q, Method: "GET", Path: "/v1/invoices?" + q, Token: admin, Status: 400, Fields: []string{field}})
	}
	s.Run(t, cases)

	// Pagination: pages of 3 cover all 7 invoices once, newest first.
	var ids []string
	cursor := ""
	for page := 0; page < 5; page++ {
		r, l := list(bills, "limit=3&cursor="+url.QueryEscape(cursor))
		if r.Status != 200 {
			t.Fatalf("page %d: %d %s", page, r.Status, r.Body)
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
	_, l := list(hu.Token, "")
	if len(l.Items) != 1 || l.Items[0].Total.Currency != "HUF" {
		t.Errorf("HU invoices = %+v", l.Items)
	}
	_, first := list(admin, "limit=2")
	r, _ := list(hu.Token, "limit=2&cursor="+url.QueryEscape(first.NextCursor))
	if p := r.Problem(t); r.Status != 400 || p.Errors[0].Field != "cursor" {
		t.Errorf("foreign cursor: %d %+v", r.Status, p)
	}
}

// hufInvoiceBody is a back-office invoice upsert body of a HUF customer.
func hufInvoiceBody(t *testing.T, contractID string, mod func(m map[string]any)) string {
	money := func(a int64) map[string]any { return map[string]any{"amount": a, "currency": "HUF"} }
	today := time.Now().UTC()
	m := map[string]any{"number": "VCRM-2026-0500", "contractId": contractID, "status": "unpaid",
		"issuedOn": today.AddDate(0, 0, -9).Format(time.DateOnly), "dueOn": today.AddDate(0, 0, -1).Format(time.DateOnly),
		"total": money(1270000), "vat": money(270000),
		"lines": []any{map[string]any{"description": "Tárhely", "quantity": 2, "unitPrice": money(635000), "total": money(1270000)}}}
	if mod != nil {
		mod(m)
	}
	return apitest.JSON(t, m)
}

type upsertedInvoice struct {
	CustomerID     string           `json:"customerId"`
	ID             string           `json:"id"`
	Number         string           `json:"number"`
	Status         string           `json:"status"`
	PaidAt         *time.Time       `json:"paidAt"`
	Total          clientzone.Money `json:"total"`
	VariableSymbol string           `json:"variableSymbol"`
}

// hufAccount is a Hungarian company paying in HUF with a hosting contract.
func hufAccount(t *testing.T, s *apitest.Stack) (*apitest.Account, *clientzone.Contract) {
	t.Helper()
	a := s.NewAccount(t, apitest.CustomerSpec{Kind: "company", Name: "Kovács és Társa Kft.", Currency: "HUF", Country: "HU",
		Region: "Budapest", City: "Budapest", PostalCode: "1011", Language: clientzone.LangHU, Phone: fmt.Sprintf("+36301%06d", apitest.Seq())})
	ct := s.NewContract(t, a.Customer, apitest.ContractSpec{Number: apitest.Unique("VCRM-"), Services: []apitest.ServiceSpec{
		{Kind: clientzone.ServiceHosting, Name: "Tárhely Business", BillingPeriod: "yearly", Price: 4800000,
			ExpiresOn: apitest.Date(time.Now().AddDate(0, 0, 60))}}})
	return a, ct
}

// TestInvoiceUpsertNumberUnique: the back office cannot give an invoice a
// number another invoice has: 409 problem+json on number in the caller's
// language, nothing written; re-sending an invoice is idempotent, and a
// changed number frees the old one.
func TestInvoiceUpsertNumberUnique(t *testing.T) {
	s := apitest.Start(t)
	hu, ct := hufAccount(t, s)
	taken := s.NewInvoice(t, hu.Customer, apitest.InvoiceSpec{Number: apitest.Unique("VCRM-2026-"), Status: clientzone.InvoicePaid}).Number
	path := func(id string) string { return "/admin/v1/customers/" + hu.ID + "/invoices/" + id }
	withNumber := func(n string) string { return hufInvoiceBody(t, ct.ID, func(m map[string]any) { m["number"] = n }) }

	dup := clientzone.NewID()
	r := s.Do(t, "PUT", path(dup), "", withNumber(" "+taken+" "), "Accept-Language", "sk")
	apitest.WantFieldError(t, "another invoice's number", r, 409, "number", "taken")
	if p := r.Problem(t); p.Detail != "Číslo faktúry "+taken+" už používa iná faktúra." ||
		p.Errors[0].Message != "Toto číslo už používa iná faktúra." || r.Header.Get("Content-Language") != "sk" {
		t.Errorf("sk problem: %s", r.Body)
	}
	if p := s.Do(t, "PUT", path(dup), "", withNumber(taken)).Problem(t); p.Detail != "Invoice number "+taken+" is already used by another invoice." {
		t.Errorf("en detail = %q", p.Detail)
	}
	apitest.WantProblem(t, "the refused invoice", s.Do(t, "GET", "/v1/invoices/"+dup, hu.Token, ""), 404, clientzone.ENOTFOUND)

	id := clientzone.NewID()
	n600, n601 := apitest.Unique("VCRM-2026-0600-"), apitest.Unique("VCRM-2026-0601-")
	if got := apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(id), "", withNumber(n600)), 201); got.Number != n600 {
		t.Fatalf("created = %+v", got)
	}
	apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(id), "", withNumber(n600)), 200) // the same again
	apitest.WantFieldError(t, "another invoice, same number", s.Do(t, "PUT", path(clientzone.NewID()), "", withNumber(n600)), 409, "number", "taken")
	apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(id), "", withNumber(n601)), 200) // renumbered
	if got := apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(dup), "", withNumber(n600)), 201); got.Number != n600 {
		t.Errorf("the freed number: %+v", got)
	}
}

// wantConflictField checks a 409 conflict whose only field error is field
// with code.
func wantConflictField(t *testing.T, what string, r apitest.Response, field, code string) {
	t.Helper()
	apitest.WantProblem(t, what, r, 409, clientzone.ECONFLICT)
	apitest.WantFieldError(t, what, r, 409, field, code)
}

// runJob runs a scheduled job on the stack as of now, through the dev
// server's job endpoint (as EventBridge Scheduler runs it in AWS).
func runJob(t *testing.T, s *apitest.Stack, job string, now time.Time) {
	t.Helper()
	r := s.Do(t, "POST", "/dev/jobs/"+job+"?now="+url.QueryEscape(now.UTC().Format(time.RFC3339)), "", "")
	if r.Status != 200 {
		t.Fatalf("job %s: %d %s", job, r.Status, r.Body)
	}
}

// TestInvoiceUpsert covers PUT /admin/v1/customers/{customerId}/invoices/{invoiceId}:
// create and replace, validation, the status and due-date indexes seen by
// the client listing and the overdue reminder job, and the rule that a
// payment recorded by the client zone is never undone.
func TestInvoiceUpsert(t *testing.T) {
	s := apitest.Start(t)
	ctx := context.Background()
	db := s.Deps.DB
	hu, ct := hufAccount(t, s)
	sk := newHousehold(t, s)
	skCt := sk.withContract(t, s)
	iid := clientzone.NewID()
	path := func(cid, id string) string { return "/admin/v1/customers/" + cid + "/invoices/" + id }
	n := apitest.Seq()
	num := func(k int) string { return fmt.Sprintf("VCRM-2026-%d-%04d", n, k) }
	body := func(mod func(m map[string]any)) string {
		return hufInvoiceBody(t, ct.ID, func(m map[string]any) {
			m["number"] = num(500)
			if mod != nil {
				mod(m)
			}
		})
	}
	listed := func(status string) []string {
		t.Helper()
		l := apitest.Decode[invoiceList](t, s.Do(t, "GET", "/v1/invoices?status="+status, hu.Token, ""), 200)
		var ids []string
		for _, it := range l.Items {
			ids = append(ids, it.ID)
		}
		return ids
	}

	t.Run("unknown customer 404, invalid input 400", func(t *testing.T) {
		cases := []apitest.Case{
			{Name: "unknown customer", Method: "PUT", Path: path("01JNOSUCHCUSTOMER000000000", iid), Body: body(nil), Status: 404, Code: clientzone.ENOTFOUND},
			{Name: "invalid", Method: "PUT", Path: path(hu.ID, "not-a-ulid"), Body: body(func(m map[string]any) {
				m["status"], m["dueOn"] = "overdue", "2026-13-01"
				delete(m, "number")
			}), Status: 400, Check: func(t *testing.T, r apitest.Response) {
				got := r.Fields(t)
				slices.Sort(got)
				if fmt.Sprint(got) != "[dueOn invoiceId number status]" {
					t.Errorf("fields %v", got)
				}
			}},
		}
		for _, c := range []struct {
			name  string
			mod   func(m map[string]any)
			field string
		}{
			{"paid without paidAt", func(m map[string]any) { m["status"] = "paid" }, "paidAt"},
			{"unpaid with paidAt", func(m map[string]any) { m["paidAt"] = "2026-11-01T10:00:00Z" }, "paidAt"},
			{"other currency", func(m map[string]any) { m["total"] = map[string]any{"amount": 100, "currency": "EUR"} }, "total.currency"},
			{"due before issue", func(m map[string]any) { m["dueOn"] = "2020-01-01" }, "dueOn"},
			{"line total", func(m map[string]any) { m["lines"].([]any)[0].(map[string]any)["quantity"] = 3 }, "lines[0].total.amount"},
			{"foreign contract", func(m map[string]any) { m["contractId"] = skCt.ID }, "contractId"},
		} {
			cases = append(cases, apitest.Case{Name: c.name, Method: "PUT", Path: path(hu.ID, iid), Body: body(c.mod), Status: 400, Fields: []string{c.field}})
		}
		s.Run(t, cases)
		apitest.WantProblem(t, "an invalid invoice was written", s.Do(t, "GET", "/v1/invoices/"+iid, hu.Token, ""), 404, clientzone.ENOTFOUND)
	})

	t.Run("create: listed as overdue, found by the overdue reminder job", func(t *testing.T) {
		got := apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(hu.ID, iid), "", body(nil)), 201)
		if got.CustomerID != hu.ID || got.ID != iid || got.Status != "unpaid" || got.VariableSymbol != hu.VariableSymbol {
			t.Fatalf("created = %+v", got)
		}
		if ids := listed("overdue"); !slices.Contains(ids, iid) {
			t.Errorf("overdue listing %v lacks %s", ids, iid)
		}
		runJob(t, s, "overdue-reminders", time.Now())
		reminders := s.Outbox(t, func(m clientzone.Message) bool {
			return m.Template == "invoice-overdue" && m.Data["invoiceNumber"] == num(500) && m.CustomerID == hu.ID
		})
		if len(reminders) != 1 {
			t.Errorf("overdue reminders for the upserted invoice: %d, want 1", len(reminders))
		}
	})

	t.Run("replace: paid elsewhere moves it to the paid index; a paid invoice stays paid", func(t *testing.T) {
		paidBody := body(func(m map[string]any) { m["status"], m["paidAt"] = "paid", "2026-11-20T08:30:00+01:00" })
		got := apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(hu.ID, iid), "", paidBody), 200)
		if got.Status != "paid" || got.PaidAt == nil || !got.PaidAt.Equal(time.Date(2026, 11, 20, 7, 30, 0, 0, time.UTC)) {
			t.Fatalf("paid = %+v", got)
		}
		if !slices.Contains(listed("paid"), iid) || slices.Contains(listed("unpaid"), iid) {
			t.Errorf("status index not moved: paid %v unpaid %v", listed("paid"), listed("unpaid"))
		}
		// The due-date index is read by the reminder job only: read it from
		// the store.
		var seen *clientzone.Invoice
		if _, err := db.InvoicesDueOn(ctx, time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly), func(inv *clientzone.Invoice) error {
			if inv.ID == iid {
				seen = inv
			}
			return nil
		}); err != nil || seen == nil || seen.Status != clientzone.InvoicePaid {
			t.Errorf("due-date index sees %+v, %v", seen, err)
		}
		wantConflictField(t, "paid → unpaid", s.Do(t, "PUT", path(hu.ID, iid), "", body(nil)), "status", "paid")
		wantConflictField(t, "paid → cancelled", s.Do(t, "PUT", path(hu.ID, iid), "", body(func(m map[string]any) { m["status"] = "cancelled" })), "status", "paid")
		wantConflictField(t, "paid, other total", s.Do(t, "PUT", path(hu.ID, iid), "", body(func(m map[string]any) {
			m["status"], m["paidAt"], m["total"] = "paid", "2026-11-20T07:30:00Z", map[string]any{"amount": 1000, "currency": "HUF"}
			m["vat"] = map[string]any{"amount": 100, "currency": "HUF"}
			delete(m, "lines")
		})), "total", "paid")
		r := s.Do(t, "PUT", path(hu.ID, iid), "", paidBody) // the same again: 200, nothing changes
		if again := apitest.Decode[upsertedInvoice](t, r, 200); again.Status != "paid" {
			t.Errorf("again = %+v", again)
		}
	})

	t.Run("a payment recorded by the client zone is not undone", func(t *testing.T) {
		id := clientzone.NewID()
		b := body(func(m map[string]any) { m["number"] = num(501) })
		apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(hu.ID, id), "", b), 201)
		// What a settled card payment or bank transfer writes (the payments
		// tests take those paths); here the store marks it paid directly.
		tx := db.NewTx()
		if err := tx.MarkInvoicePaid(hu.ID, id, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		wantConflictField(t, "sync of the unpaid copy", s.Do(t, "PUT", path(hu.ID, id), "", b), "status", "paid")
		inv := apitest.Decode[clientzone.Invoice](t, s.Do(t, "GET", "/v1/invoices/"+id, hu.Token, ""), 200)
		if inv.Status != clientzone.InvoicePaid || inv.PaidAt == nil {
			t.Errorf("invoice = %+v", inv)
		}
	})

	t.Run("cancelled stays cancelled; changes are audited", func(t *testing.T) {
		id := clientzone.NewID()
		b := func(status string) string {
			return body(func(m map[string]any) { m["number"], m["status"] = num(502), status })
		}
		apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(hu.ID, id), "", b("unpaid")), 201)
		apitest.Decode[upsertedInvoice](t, s.Do(t, "PUT", path(hu.ID, id), "", b("cancelled")), 200)
		wantConflictField(t, "cancelled → unpaid", s.Do(t, "PUT", path(hu.ID, id), "", b("unpaid")), "status", "cancelled")
		if !slices.Contains(listed("cancelled"), id) || slices.Contains(listed("unpaid"), id) {
			t.Errorf("cancelled index: %v", listed("cancelled"))
		}
		found := false
		for _, a := range auditOf(t, s, hu.Token, "invoice.update") {
			if a.TargetID == id && a.Details["status"] == "unpaid→cancelled" && a.ActorID == "backoffice" {
				found = true
			}
		}
		if !found {
			t.Error("no audit entry for the cancellation")
		}
	})
}
