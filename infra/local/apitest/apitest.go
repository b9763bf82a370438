// Package apitest is the harness of the HTTP API tests: one local stack per
// test binary (every route of template.yaml mounted by infra/local/devserver,
// exactly as `make dev` serves them, on fresh tables of the shared DynamoDB
// Local, without demo data), a request helper whose every exchange is
// validated against the OpenAPI document, builders that create customers,
// persons, contracts, tariffs and invoices through the back-office API, and
// a table runner in the style of ardanlabs/service's apitest.
//
// Tests share the stack and isolate themselves by creating their own
// customers (ids, emails and variable symbols are unique per call), so a
// package's API tests pay for one stack instead of one per test:
//
//	func TestMain(m *testing.M) { os.Exit(apitest.Main(m, apitest.Options{})) }
//
//	func TestInvoices(t *testing.T) {
//		s := apitest.Start(t)
//		acct := s.NewAccount(t, apitest.CustomerSpec{})
//		_, tech := s.NewRegular(t, acct, clientzone.RightCalls)
//		s.Run(t, []apitest.Case{
//			{Name: "admin lists", Method: "GET", Path: "/v1/invoices", Token: acct.Token, Status: 200},
//			{Name: "calls-only technician", Method: "GET", Path: "/v1/invoices", Token: tech, Status: 403, Code: clientzone.EFORBIDDEN},
//		})
//	}
//
// What is global rather than a customer's (the status page, promotions,
// the tariff catalogue, the outbox and event log as a whole) is shared too:
// a test reads it filtered to its own data, and only one test of a package
// writes the status page or promotions. Tests calling t.Parallel run after
// the sequential ones, so they must not assert global counts either.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/clientzone/clientzone/infra/local/apitest/openapicheck"
	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/password"
)

// FastHash keeps tests quick; production costs are tested in shared/password.
var FastHash = password.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Options of a test binary's harness.
type Options struct {
	// Coverage fails a full run (no -run or -skip) unless every operation
	// of the OpenAPI document had a success response validated: set it
	// in the package that holds the bulk of the API tests.
	Coverage bool
}

// Main runs a package's tests with DynamoDB Local and the OpenAPI check:
// call it from TestMain as os.Exit(apitest.Main(m, apitest.Options{})).
// http.DefaultClient validates every exchange with the API; the shared
// stack is closed after the last test.
func Main(m *testing.M, o Options) int {
	openapicheck.Default.Install()
	code := dynamotest.Run(func() int {
		defer closeStack()
		return m.Run()
	})
	return openapicheck.Default.Report(code, o.Coverage && fullRun(), "add a test of the operation")
}

// fullRun reports whether the run is not narrowed by -run or -skip.
func fullRun() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return true
}

// Stack is the running local backend a package's tests share.
type Stack struct {
	*devserver.Stack
	// URL is the base URL of the test server (no trailing slash).
	URL string
	// Logs collects every log line of the handlers.
	Logs *SyncBuffer
}

var (
	stackMu  sync.Mutex
	shared   *Stack
	stackErr error
	srv      *httptest.Server
)

// Start returns the package's stack, starting it on first use: fresh tables
// on the shared DynamoDB Local, the in-process S3 and Secrets Manager, fast
// password hashing, no demo data, served by an httptest server whose URL is
// the stack's BaseURL (devpay's checkout links point there).
func Start(t testing.TB) *Stack {
	t.Helper()
	stackMu.Lock()
	defer stackMu.Unlock()
	if shared == nil && stackErr == nil {
		shared, stackErr = start()
	}
	if stackErr != nil {
		t.Fatalf("apitest: start the stack: %v", stackErr)
	}
	return shared
}

func start() (*Stack, error) {
	logs := &SyncBuffer{}
	srv = httptest.NewUnstartedServer(nil)
	o := devserver.Options{
		DynamoDBEndpoint: dynamotest.Endpoint(),
		TablePrefix:      "t" + strings.ToLower(clientzone.NewID()) + "-",
		Logger:           app.NewLogger(logs, "DEBUG"),
		PasswordParams:   &FastHash,
		DropTables:       true,
		NoDemoData:       true,
		BaseURL:          "http://" + srv.Listener.Addr().String(),
	}
	st, err := devserver.Start(context.Background(), o)
	if err != nil {
		srv.Close()
		srv = nil
		return nil, err
	}
	srv.Config.Handler = st.Handler
	srv.Start()
	if srv.URL != o.BaseURL {
		srv.Close()
		st.Close()
		return nil, fmt.Errorf("test server at %s, stack told %s", srv.URL, o.BaseURL)
	}
	return &Stack{Stack: st, URL: srv.URL, Logs: logs}, nil
}

func closeStack() {
	stackMu.Lock()
	defer stackMu.Unlock()
	if srv != nil {
		srv.Close()
	}
	if shared != nil {
		shared.Close()
	}
}

// SyncBuffer collects log output from concurrent handlers.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// NoSecretsInLogs fails t when the handlers' logs hold any of secrets (or
// hold no request log at all, which would make the check vacuous).
func (s *Stack) NoSecretsInLogs(t testing.TB, secrets ...string) {
	t.Helper()
	out := s.Logs.String()
	if !strings.Contains(out, `"requestId"`) || !strings.Contains(out, `"message":"request"`) {
		t.Fatalf("no structured access logs captured:\n%.500s", out)
	}
	for _, sec := range secrets {
		if sec != "" && strings.Contains(out, sec) {
			t.Errorf("logs contain a secret (%.6s…)", sec)
		}
	}
}

// Response is an answer of the API, its body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request to the stack: path is relative to its URL, token (if
// any) goes as a bearer token, a non-empty body as application/json, and
// headers are name, value pairs (a Content-Type among them replaces
// application/json). The exchange is validated against the OpenAPI
// document; a mismatch fails t.
func (s *Stack) Do(t testing.TB, method, path, token, body string, headers ...string) Response {
	t.Helper()
	return Do(t, method, s.URL+path, token, body, headers...)
}

// Do is Stack.Do for a full URL.
func Do(t testing.TB, method, url, token, body string, headers ...string) Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
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
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{resp.StatusCode, resp.Header, b}
}

// JSON marshals v for a request body.
func JSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Problem decodes a problem+json answer and checks it is consistent (its
// status is the HTTP status, it has a request id, its type names its code).
func (r Response) Problem(t testing.TB) httpapi.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, r.Body)
	}
	var p httpapi.Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != r.Status || p.RequestID == "" || p.Type != httpapi.ProblemTypeBase+p.Code {
		t.Errorf("problem %+v inconsistent with status %d", p, r.Status)
	}
	return p
}

// Fields lists the fields of a problem's field errors, in order.
func (r Response) Fields(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, f := range r.Problem(t).Errors {
		out = append(out, f.Field)
	}
	return out
}

// Decode checks r has status and decodes its JSON body.
func Decode[T any](t testing.TB, r Response, status int) T {
	t.Helper()
	var v T
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	return v
}

// WantProblem checks r is a problem of status with code (any code when
// empty).
func WantProblem(t testing.TB, what string, r Response, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d: %s", what, r.Status, status, r.Body)
		return
	}
	if p := r.Problem(t); code != "" && p.Code != code {
		t.Errorf("%s: code %q, want %q", what, p.Code, code)
	}
}

// WantFieldError checks r is a problem of status whose only field error is
// on field with code (any code when empty).
func WantFieldError(t testing.TB, what string, r Response, status int, field, code string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d: %s", what, r.Status, status, r.Body)
		return
	}
	p := r.Problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Field != field || (code != "" && p.Errors[0].Code != code) {
		t.Errorf("%s: field errors %+v, want one on %s (%s)", what, p.Errors, field, code)
	}
}

// Case is one row of an API test table: a request and what must come back.
type Case struct {
	Name    string
	Method  string
	Path    string // relative to the stack's URL
	Token   string // bearer token, if any
	Body    string // JSON body, if any
	Headers []string
	// Status is the wanted HTTP status.
	Status int
	// Code, when set, is the wanted problem code (the answer must be
	// problem+json).
	Code string
	// Fields, when set, are the wanted field errors of the problem, in
	// order.
	Fields []string
	// Check, when set, checks the answer further.
	Check func(t *testing.T, r Response)
}

// Run runs each case as a subtest of t.
func (s *Stack) Run(t *testing.T, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Helper()
			r := s.Do(t, c.Method, c.Path, c.Token, c.Body, c.Headers...)
			if r.Status != c.Status {
				t.Fatalf("%s %s: status %d, want %d: %s", c.Method, c.Path, r.Status, c.Status, r.Body)
			}
			if c.Code != "" || c.Fields != nil {
				p := r.Problem(t)
				if c.Code != "" && p.Code != c.Code {
					t.Errorf("code %q, want %q: %s", p.Code, c.Code, r.Body)
				}
				if c.Fields != nil && fmt.Sprint(r.Fields(t)) != fmt.Sprint(c.Fields) {
					t.Errorf("field errors %v, want %v: %s", r.Fields(t), c.Fields, r.Body)
				}
			}
			if c.Check != nil {
				c.Check(t, r)
			}
		})
	}
}
