package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/password"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// syncBuffer collects the command's stderr while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testOptions is a throwaway stack on the test DynamoDB Local.
func testOptions() devserver.Options {
	return devserver.Options{
		DynamoDBEndpoint: dynamotest.Endpoint(),
		TablePrefix:      "t" + strings.ToLower(clientzone.NewID()) + "-",
		DropTables:       true,
		Logger:           app.NewLogger(io.Discard, "INFO"),
		PasswordParams:   &password.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	}
}

var bannerURL = regexp.MustCompile(`clientzone dev server: (http://\S+)`)

// startCommand runs the command with args until the test ends and returns
// its base URL (from the banner) and its stderr.
func startCommand(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, stderr, testOptions()) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run after shutdown: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("the command did not stop")
		}
	})
	deadline := time.After(2 * time.Minute)
	for {
		if m := bannerURL.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], stderr
		}
		select {
		case err := <-done:
			t.Fatalf("the command ended: %v\n%s", err, stderr)
		case <-deadline:
			t.Fatalf("no banner:\n%s", stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func send(t *testing.T, method, url, token, body string, headers ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

// TestDevCommandOnAFreePort runs the command with -addr 127.0.0.1:0 and
// extra CORS origins: the banner names the port actually bound, the API
// answers there, the extra origins are allowed, and devpay's checkout link
// of a payment (customer, person and invoice made through the back office)
// points at that address and pays when opened.
func TestDevCommandOnAFreePort(t *testing.T) {
	base, stderr := startCommand(t, "-addr", "127.0.0.1:0",
		"-allow-origin", "http://localhost:5173, http://127.0.0.1:3000", "-allow-origin", "http://localhost:4200")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9][0-9]*$`).MatchString(base) || strings.HasSuffix(base, ":8080") {
		t.Fatalf("base URL %q", base)
	}
	banner := stderr.String()
	for _, want := range []string{base + "/dev/jobs/expiry-reminders?now=", base + "/dev/mailbox?day=",
		"http://localhost:5173", "http://127.0.0.1:3000", "http://localhost:4200", "https://portal.example.com"} {
		if !strings.Contains(banner, want) {
			t.Errorf("the banner lacks %q:\n%s", want, banner)
		}
	}

	for _, origin := range []string{"http://localhost:5173", "http://127.0.0.1:3000", "http://localhost:4200"} {
		if a := send(t, "GET", base+"/v1/status", "", "", "Origin", origin); a.status != 200 || a.header.Get("Access-Control-Allow-Origin") != origin {
			t.Errorf("GET from %s: %d %v", origin, a.status, a.header)
		}
	}
	if a := send(t, "GET", base+"/v1/status", "", "", "Origin", "http://localhost:8081"); a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a refused origin got %q", a.header.Get("Access-Control-Allow-Origin"))
	}

	// A card payment's checkout link points at the bound address.
	suffix := strings.ToLower(clientzone.NewID())
	cid, email, pw := "crm-dev-"+suffix, "dev-"+suffix+"@example.sk", "Dev-Heslo-"+suffix
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	eur := func(a int64) map[string]any { return map[string]any{"amount": a, "currency": "EUR"} }
	today := time.Now().UTC()
	customer, _ := json.Marshal(map[string]any{"kind": "person", "name": "Dev Test", "email": email, "phone": "+421905000222",
		"region": "Bratislava", "variableSymbol": "5000001", "currency": "EUR", "language": "en",
		"billingAddress": map[string]any{"street": "Hlavná 2", "city": "Bratislava", "postalCode": "81101", "country": "SK"}})
	people, _ := json.Marshal(map[string]any{"persons": []any{map[string]any{"name": "Dev Test", "email": email, "role": "admin",
		"language": "en", "passwordHash": string(hash)}}})
	iid := clientzone.NewID()
	invoice, _ := json.Marshal(map[string]any{"number": "DEV-" + suffix, "status": "unpaid",
		"issuedOn": today.AddDate(0, 0, -1).Format(time.DateOnly), "dueOn": today.AddDate(0, 0, 13).Format(time.DateOnly),
		"total": eur(990), "vat": eur(185), "lines": []any{map[string]any{"description": "Web", "quantity": 1, "unitPrice": eur(990), "total": eur(990)}}})
	for _, step := range []struct{ method, path, body string }{
		{"PUT", "/admin/v1/customers/" + cid, string(customer)},
		{"POST", "/admin/v1/customers/" + cid + "/persons/import", string(people)},
		{"PUT", "/admin/v1/customers/" + cid + "/invoices/" + iid, string(invoice)},
	} {
		if a := send(t, step.method, base+step.path, "", step.body); a.status != 200 && a.status != 201 {
			t.Fatalf("%s %s: %d %s", step.method, step.path, a.status, a.body)
		}
	}
	creds, _ := json.Marshal(map[string]string{"login": email, "password": pw})
	a := send(t, "POST", base+"/v1/auth/login", "", string(creds))
	var tok struct {
		AccessToken string `json:"accessToken"`
	}
	if err := json.Unmarshal(a.body, &tok); err != nil || a.status != 200 || tok.AccessToken == "" {
		t.Fatalf("login: %d %s", a.status, a.body)
	}
	a = send(t, "POST", base+"/v1/invoices/"+iid+"/payments", tok.AccessToken, "", "Idempotency-Key", "dev-"+suffix)
	var started struct {
		CheckoutURL string `json:"checkoutUrl"`
	}
	if err := json.Unmarshal(a.body, &started); err != nil || a.status != 201 || !strings.HasPrefix(started.CheckoutURL, base+"/dev/checkout/cs_dev_") {
		t.Fatalf("payment: %d %s; want a checkoutUrl on %s", a.status, a.body, base)
	}
	if a := send(t, "GET", started.CheckoutURL, "", ""); a.status != 200 {
		t.Fatalf("opening the checkout link: %d %s", a.status, a.body)
	}
	if a := send(t, "GET", base+"/v1/invoices/"+iid, tok.AccessToken, ""); !strings.Contains(string(a.body), `"status":"paid"`) {
		t.Fatalf("invoice after paying: %d %s", a.status, a.body)
	}
}

// TestDevCommandUsage: bad flags are usage errors explained on stderr, a
// port in use fails before the stack starts.
func TestDevCommandUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-allow-origin", "localhost:5173"}, `invalid value "localhost:5173" for flag -allow-origin`},
		{[]string{"-allow-origin", "http://localhost:5173/app"}, "scheme://host[:port]"},
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"serve"}, "unexpected arguments"},
	} {
		var stderr bytes.Buffer
		if err := run(context.Background(), tc.args, &stderr, testOptions()); !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("run %q: %v\n%s\nwant a usage error mentioning %q", tc.args, err, stderr.String(), tc.want)
		}
	}
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &stderr, testOptions()); !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "-allow-origin") {
		t.Errorf("-h: %v\n%s", err, stderr.String())
	}

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	start := time.Now()
	if err := run(context.Background(), []string{"-addr", busy.Addr().String()}, &stderr, testOptions()); err == nil ||
		!strings.Contains(err.Error(), "address already in use") || time.Since(start) > 5*time.Second {
		t.Errorf("a port in use: %v after %s", err, time.Since(start))
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"0.0.0.0:9000":   "http://127.0.0.1:9000",
		"[::]:9001":      "http://127.0.0.1:9001",
		"[::1]:9002":     "http://[::1]:9002",
		"10.1.2.3:80":    "http://10.1.2.3:80",
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := baseURL(a); got != want {
			t.Errorf("baseURL(%s) = %q, want %q", addr, got, want)
		}
	}
}
