package devserver

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/app/pdf"
	"github.com/clientzone/clientzone/shared/billing"
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

func bucketKeys(t *testing.T, st *Stack, prefix string) []string {
	t.Helper()
	out, err := st.S3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{
		Bucket: aws.String(st.Deps.Config.BucketName), Prefix: aws.String(prefix),
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
	st, srv, logs := newStack(t)
	ctx := context.Background()
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	bills := login(t, base, "eva.novakova@example.sk", demo.BillsPassword).AccessToken // language sk
	tech := login(t, base, "technik", demo.TechPassword).AccessToken
	hu := login(t, base, "admin@kovacs.hu", demo.HUPassword).AccessToken

	page, err := st.Deps.DB.Invoices(ctx, demo.CustomerSK, billing.InvoiceFilter{Limit: 10})
	if err != nil || len(page.Invoices) != 7 {
		t.Fatalf("demo invoices: %v %d", err, len(page.Invoices))
	}
	sk := page.Invoices // newest first: [0] unpaid not due, [1] unpaid overdue, [2] paid
	huPage, err := st.Deps.DB.Invoices(ctx, demo.CustomerHU, billing.InvoiceFilter{Limit: 1})
	if err != nil || len(huPage.Invoices) != 1 {
		t.Fatalf("HU invoice: %v", err)
	}
	huInv := huPage.Invoices[0]
	skCustomer, err := st.Deps.DB.Customer(ctx, demo.CustomerSK)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("detail", func(t *testing.T) {
		r := do(t, "GET", base+"/v1/invoices/"+sk[1].ID, bills, "")
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		var inv clientzone.Invoice
		if err := json.Unmarshal(r.body, &inv); err != nil {
			t.Fatal(err)
		}
		if inv.ID != sk[1].ID || inv.Number != sk[1].Number || inv.Status != clientzone.InvoiceOverdue || len(inv.Lines) != 1 ||
			inv.Lines[0].Total.Amount != inv.Total.Amount || inv.VariableSymbol != "2024001" || inv.IssuedOn == "" || inv.DueOn == "" {
			t.Errorf("invoice = %+v", inv)
		}
		if strings.Contains(string(r.body), "PDFKey") || strings.Contains(string(r.body), "customerId") {
			t.Errorf("internal fields in %s", r.body)
		}
		if r := do(t, "GET", base+"/v1/invoices/"+sk[0].ID, admin, ""); r.status != 200 || !strings.Contains(string(r.body), `"status":"unpaid"`) {
			t.Errorf("not yet due: %d %s", r.status, r.body)
		}
		if r := do(t, "GET", base+"/v1/invoices/"+huInv.ID, hu, ""); r.status != 200 || !strings.Contains(string(r.body), `"currency":"HUF"`) {
			t.Errorf("HU admin, own invoice: %d %s", r.status, r.body)
		}
	})

	t.Run("detail of another customer's or no invoice is 404", func(t *testing.T) {
		for _, id := range []string{huInv.ID, clientzone.NewID()} {
			r := do(t, "GET", base+"/v1/invoices/"+id, admin, "")
			if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
				t.Errorf("%s: %d %s", id, r.status, r.body)
			}
		}
		r := do(t, "GET", base+"/v1/invoices/"+sk[0].ID, hu, "")
		if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
			t.Errorf("HU admin, SK invoice: %d %s", r.status, r.body)
		}
	})

	t.Run("without the invoices right is 403", func(t *testing.T) {
		for _, path := range []string{"/v1/invoices/" + sk[0].ID, "/v1/invoices/" + sk[0].ID + "/pdf"} {
			r := do(t, "GET", base+path, tech, "")
			if p := r.problem(t); r.status != 403 || p.Code != clientzone.EFORBIDDEN {
				t.Errorf("%s: %d %s", path, r.status, r.body)
			}
		}
		if keys := bucketKeys(t, st, "invoices/"); len(keys) != 0 {
			t.Errorf("objects written: %v", keys)
		}
	})

	var first pdfLink
	t.Run("pdf: presigned URL downloads the rendered invoice", func(t *testing.T) {
		before := time.Now()
		r := do(t, "GET", base+"/v1/invoices/"+sk[2].ID+"/pdf", bills, "", "Accept-Language", "hu-HU,hu;q=0.9,sk;q=0.5")
		if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if err := json.Unmarshal(r.body, &first); err != nil {
			t.Fatal(err)
		}
		if first.Filename != sk[2].Number+".pdf" {
			t.Errorf("filename = %q", first.Filename)
		}
		if d := first.ExpiresAt.Sub(before); d < 4*time.Minute || d > 6*time.Minute {
			t.Errorf("expiresAt = %v, want in 5 minutes", first.ExpiresAt)
		}
		u, err := url.Parse(first.URL)
		if err != nil || !strings.HasPrefix(first.URL, st.Deps.Config.S3Endpoint+"/") {
			t.Fatalf("url %q is not on the local S3 (%v)", first.URL, err)
		}
		q := u.Query()
		inv, err := st.Deps.DB.Invoice(ctx, demo.CustomerSK, sk[2].ID)
		wantPrefix := "invoices/" + demo.CustomerSK + "/" + sk[2].ID + "/"
		if err != nil || !strings.HasPrefix(inv.PDFKey, wantPrefix) || !strings.HasSuffix(inv.PDFKey, ".pdf") {
			t.Fatalf("stored PDFKey = %q (%v), want %s<render id>.pdf", inv.PDFKey, err, wantPrefix)
		}
		wantKey := inv.PDFKey
		if !strings.HasSuffix(u.Path, "/"+wantKey) || q.Get("X-Amz-Expires") != "300" || q.Get("X-Amz-Signature") == "" ||
			q.Get("response-content-type") != "application/pdf" || !strings.Contains(q.Get("response-content-disposition"), "attachment") {
			t.Errorf("presigned URL %s", first.URL)
		}
		body, h := download(t, first.URL)
		if !strings.HasPrefix(string(body), "%PDF-") {
			t.Fatalf("downloaded %q…", body[:min(len(body), 20)])
		}
		if cd := h.Get("Content-Disposition"); cd != "attachment; filename="+sk[2].Number+".pdf" {
			t.Errorf("Content-Disposition = %q", cd)
		}
		text := pdftotext(t, body)
		for _, want := range []string{"Számla", sk[2].Number, skCustomer.Name, skCustomer.BillingAddress.Street, "Kifizetve", "2024001"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q: %s", want, text)
			}
		}
	})

	t.Run("pdf: second call reuses the stored PDF", func(t *testing.T) {
		r := do(t, "GET", base+"/v1/invoices/"+sk[2].ID+"/pdf", admin, "", "Accept-Language", "ru")
		var again pdfLink
		if r.status != 200 || json.Unmarshal(r.body, &again) != nil {
			t.Fatalf("%d %s", r.status, r.body)
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
		if keys := bucketKeys(t, st, "invoices/"); len(keys) != 1 {
			t.Errorf("objects = %v, want one", keys)
		}
	})

	t.Run("pdf: language falls back to the person's", func(t *testing.T) {
		r := do(t, "GET", base+"/v1/invoices/"+sk[3].ID+"/pdf", bills, "", "Accept-Language", "de-DE")
		var l pdfLink
		if r.status != 200 || json.Unmarshal(r.body, &l) != nil {
			t.Fatalf("%d %s", r.status, r.body)
		}
		body, _ := download(t, l.URL)
		if text := pdftotext(t, body); !strings.Contains(text, "Faktúra") || !strings.Contains(text, "Ján Novák") {
			t.Errorf("want the Slovak PDF: %s", text)
		}
	})

	t.Run("pdf of another customer's invoice is 404 and writes nothing", func(t *testing.T) {
		before := bucketKeys(t, st, "invoices/")
		for _, id := range []string{huInv.ID, clientzone.NewID()} {
			r := do(t, "GET", base+"/v1/invoices/"+id+"/pdf", admin, "")
			if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
				t.Errorf("%s: %d %s", id, r.status, r.body)
			}
		}
		if after := bucketKeys(t, st, "invoices/"); len(after) != len(before) {
			t.Errorf("objects %v, before %v", after, before)
		}
		if inv, err := st.Deps.DB.Invoice(ctx, demo.CustomerHU, huInv.ID); err != nil || inv.PDFKey != "" {
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
		d := *st.Deps
		d.Config.S3Endpoint = dead
		d.AWS.RetryMaxAttempts = 1
		h, err := pdf.InvoicePdf(&d)
		if err != nil {
			t.Fatal(err)
		}
		down := httptest.NewServer(h)
		defer down.Close()
		r := do(t, "GET", down.URL+"/v1/invoices/"+sk[4].ID+"/pdf", bills, "")
		if p := r.problem(t); r.status != 500 || p.Code != clientzone.EINTERNAL || p.Detail != "Internal error." {
			t.Errorf("%d %s", r.status, r.body)
		}
		for _, leak := range []string{"127.0.0.1", "dial", "s3", "invoices/" + demo.CustomerSK} {
			if strings.Contains(strings.ToLower(string(r.body)), leak) {
				t.Errorf("problem leaks %q: %s", leak, r.body)
			}
		}
		if inv, err := st.Deps.DB.Invoice(ctx, demo.CustomerSK, sk[4].ID); err != nil || inv.PDFKey != "" {
			t.Errorf("PDFKey after failed upload = %q (%v)", inv.PDFKey, err)
		}
		r = do(t, "GET", base+"/v1/invoices/"+sk[4].ID+"/pdf", bills, "")
		if r.status != 200 {
			t.Errorf("after S3 is back: %d %s", r.status, r.body)
		}
	})

	t.Run("pdf: concurrent first calls agree on one key", func(t *testing.T) {
		var wg sync.WaitGroup
		paths := make([]string, 4)
		for i := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("GET", base+"/v1/invoices/"+sk[5].ID+"/pdf", nil)
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
		inv, err := st.Deps.DB.Invoice(ctx, demo.CustomerSK, sk[5].ID)
		if err != nil || !strings.HasSuffix(paths[0], "/"+inv.PDFKey) {
			t.Errorf("PDFKey %q, links %v (%v)", inv.PDFKey, paths, err)
		}
	})

	t.Run("no tokens or signatures in the logs", func(t *testing.T) {
		out := logs.String()
		u, _ := url.Parse(first.URL)
		for _, secret := range []string{admin, bills, tech, hu, u.Query().Get("X-Amz-Signature")} {
			if secret != "" && strings.Contains(out, secret) {
				t.Errorf("logs contain a secret")
			}
		}
	})
}
