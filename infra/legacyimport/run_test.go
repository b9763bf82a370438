package legacyimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func testPlan(t *testing.T) *Plan {
	t.Helper()
	dir := t.TempDir()
	content := `{"id":"c1","kind":"person","name":"A","email":"a@example.sk","phone":"+421900000001","currency":"EUR","billingAddress":{"street":"S","city":"C","postalCode":"1","country":"SK"}}
{"id":"c 2/x","kind":"person"}
`
	if err := os.WriteFile(filepath.Join(dir, "customers.jsonl"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, err := Load(dir, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// With credentials every request carries a SigV4 signature for
// execute-api in the region, over the exact body sent; the server can
// verify it by signing the same request again.
func TestSigV4Signing(t *testing.T) {
	t.Parallel()
	creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-1")
	var mu sync.Mutex
	var seen []*http.Request
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen, bodies = append(seen, r.Clone(context.Background())), append(bodies, b)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	sum, err := Run(context.Background(), testPlan(t), Options{BaseURL: srv.URL, Credentials: creds, Region: "eu-central-1"})
	if err != nil || sum.OK != 2 || len(sum.Failures) != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
	if len(seen) != 2 {
		t.Fatalf("requests %d", len(seen))
	}
	for i, r := range seen {
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-central-1/execute-api/aws4_request") ||
			!strings.Contains(auth, "SignedHeaders=") || !strings.Contains(auth, "Signature=") {
			t.Errorf("Authorization = %q", auth)
		}
		if r.Header.Get("X-Amz-Security-Token") != "session-token-1" || r.Header.Get("X-Amz-Date") == "" {
			t.Errorf("headers %v", r.Header)
		}
		// Verify: sign the received request again with the same inputs.
		at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil {
			t.Fatal(err)
		}
		check, _ := http.NewRequest(r.Method, srv.URL+r.URL.RequestURI(), strings.NewReader(string(bodies[i])))
		for _, h := range []string{"Content-Type", "Accept", "User-Agent"} {
			check.Header.Set(h, r.Header.Get(h))
		}
		h := sha256.Sum256(bodies[i])
		c, _ := creds.Retrieve(context.Background())
		if err := v4.NewSigner().SignHTTP(context.Background(), c, check, hex.EncodeToString(h[:]), "execute-api", "eu-central-1", at); err != nil {
			t.Fatal(err)
		}
		if check.Header.Get("Authorization") != auth {
			t.Errorf("signature does not verify:\n got %s\nwant %s", auth, check.Header.Get("Authorization"))
		}
	}
	if p0, p1 := seen[0].URL.EscapedPath(), seen[1].URL.EscapedPath(); p0 != "/admin/v1/customers/c%202%2Fx" && p1 != "/admin/v1/customers/c%202%2Fx" {
		t.Errorf("ids are not path-escaped: %s %s", p0, p1)
	}
}

// Without credentials (-no-sign) nothing is signed.
func TestUnsigned(t *testing.T) {
	t.Parallel()
	var auth []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization")+r.Header.Get("X-Amz-Date"))
		mu.Unlock()
	}))
	defer srv.Close()
	if _, err := Run(context.Background(), testPlan(t), Options{BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if len(auth) != 2 || auth[0] != "" || auth[1] != "" {
		t.Errorf("auth headers %q", auth)
	}
}

// 429 and 5xx are retried with backoff; 4xx are not; a request that keeps
// failing fails its records with the problem's code and fields.
func TestRetries(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls[r.URL.Path]++
		n := calls[r.URL.Path]
		mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/c1") && n == 1:
			w.WriteHeader(http.StatusTooManyRequests)
		case strings.HasSuffix(r.URL.Path, "/c1") && n == 2:
			w.WriteHeader(http.StatusBadGateway)
		case strings.HasSuffix(r.URL.Path, "/c1"):
			w.WriteHeader(http.StatusOK)
		default:
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":"invalid_request","detail":"Some fields are invalid.","errors":[{"field":"name","code":"required","message":"This field is required."}]}`))
		}
	}))
	defer srv.Close()
	report := filepath.Join(t.TempDir(), "r.jsonl")
	sum, err := Run(context.Background(), testPlan(t), Options{BaseURL: srv.URL, Retries: 3, BaseDelay: time.Millisecond, ReportPath: report, Progress: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if sum.OK != 1 || sum.Retries != 2 || len(sum.Failures) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	f := sum.Failures[0]
	if f.Status != 400 || f.Code != "invalid_request" || f.Line != 2 || len(f.Fields) != 1 || f.Fields[0].Field != "name" {
		t.Errorf("failure %+v", f)
	}
	if calls["/admin/v1/customers/c 2/x"] != 1 {
		t.Errorf("a 400 was retried: %v", calls)
	}
	b, _ := os.ReadFile(report)
	if !strings.Contains(string(b), `"code":"invalid_request"`) || strings.Count(string(b), "\n") != 1 {
		t.Errorf("report %s", b)
	}
}

// Legacy invoice ids become stable ULIDs ordered by issue date; ULIDs stay.
func TestInvoiceID(t *testing.T) {
	t.Parallel()
	a, b := InvoiceID("c1", "FA-1", "2026-01-01"), InvoiceID("c1", "FA-1", "2026-01-01")
	later := InvoiceID("c1", "FA-0", "2026-02-01")
	if a != b || len(a) != 26 || !(a < later) || InvoiceID("c2", "FA-1", "2026-01-01") == a {
		t.Errorf("%s %s %s", a, b, later)
	}
	if id := "01K7G2Q0000000000000000001"; InvoiceID("c1", id, "2020-01-01") != id {
		t.Error("a ULID was changed")
	}
}

var _ aws.CredentialsProvider = credentials.StaticCredentialsProvider{}
