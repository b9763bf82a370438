package devserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/httpapi/openapi"
)

// The OpenAPI document (shared/httpapi/openapi/openapi.yaml) is checked
// three ways: it is valid OpenAPI 3.1 and lists exactly the routes of
// template.yaml (TestOpenAPIDocument, TestOpenAPIRoutes); every request and
// response of every test of this package is validated against it (the
// transport of http.DefaultClient, installed by TestMain, for the tests that
// talk HTTP to a dev server, and checkedHandler for the events/ replay); and
// a full run must have validated a success response of every operation
// (openAPICoverage, run by TestMain).
var oapi = &openAPIChecker{exercised: map[string]bool{}}

type openAPIChecker struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error

	mu         sync.Mutex
	exercised  map[string]bool // "GET /v1/me": a success response was validated
	violations []string
}

// load parses and validates the document once.
func (c *openAPIChecker) load() (*openapi3.T, error) {
	c.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(openapi.YAML)
		if err != nil {
			c.err = fmt.Errorf("openapi.yaml: %w", err)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			c.err = fmt.Errorf("openapi.yaml is not valid OpenAPI: %w", err)
			return
		}
		// Route by path alone, whatever host the test server listens on.
		routing := *doc
		routing.Servers = openapi3.Servers{{URL: "/"}}
		if c.router, err = gorillamux.NewRouter(&routing); err != nil {
			c.err = fmt.Errorf("openapi.yaml: router: %w", err)
			return
		}
		c.doc = doc
	})
	return c.doc, c.err
}

// apiPath reports whether a request path is one of the API's (not the dev
// server's own pages, S3 or a payment provider stand-in).
func apiPath(p string) bool {
	return strings.HasPrefix(p, "/v1/") || strings.HasPrefix(p, "/admin/v1/")
}

// check validates one exchange: the response must be documented for the
// operation (status, content type, required headers, body schema); a
// request the document rejects must not have succeeded. It records the
// operation as exercised when a success response conforms.
func (c *openAPIChecker) check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	if req.Method == http.MethodOptions || !apiPath(req.URL.Path) {
		return nil // CORS preflight (API Gateway's job) or not an API route
	}
	if _, err := c.load(); err != nil {
		return err
	}
	what := fmt.Sprintf("%s %s → %d", req.Method, req.URL.Path, status)
	// A copy with the body the test sent, for the validator to read.
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	r.ContentLength = int64(len(reqBody))
	route, params, err := c.router.FindRoute(r)
	if err != nil {
		// Not an operation of the document: the API must answer it with
		// a problem+json 404 or 405.
		if !errors.Is(err, routers.ErrPathNotFound) && !errors.Is(err, routers.ErrMethodNotAllowed) {
			return fmt.Errorf("openapi: %s: %w", what, err)
		}
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			return fmt.Errorf("openapi: %s: not a documented operation, yet the answer is not 404/405", what)
		}
		return c.problemBody(what, header, body)
	}
	opKey := req.Method + " " + route.Path
	what = fmt.Sprintf("%s (operation %s %s)", what, opKey, route.Operation.OperationID)
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: authenticate,
			MultiError:         true,
		},
	}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	ok := status >= 200 && status < 300
	if reqErr != nil && ok {
		return fmt.Errorf("openapi: %s: the server accepted a request the document rejects:\n%v", what, reqErr)
	}
	if status == http.StatusNotModified {
		return c.notModified(what, route, header, body) // openapi3filter skips 304s
	}
	respIn := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), respIn); err != nil {
		return fmt.Errorf("openapi: %s: the response does not match the document:\n%v\nbody: %s", what, err, truncate(body))
	}
	if ok {
		c.mu.Lock()
		c.exercised[opKey] = true
		c.mu.Unlock()
	}
	return nil
}

// notModified checks a 304 answer, which openapi3filter does not validate:
// the operation documents 304, the answer has no body, and its headers are
// the documented ones (required present, values matching their schemas).
func (c *openAPIChecker) notModified(what string, route *routers.Route, header http.Header, body []byte) error {
	ref := route.Operation.Responses.Status(http.StatusNotModified)
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("openapi: %s: the operation documents no 304", what)
	}
	if len(body) != 0 {
		return fmt.Errorf("openapi: %s: a 304 has a body: %s", what, truncate(body))
	}
	for name, h := range ref.Value.Headers {
		v := header.Get(name)
		if v == "" {
			if h.Value.Required {
				return fmt.Errorf("openapi: %s: response header %q missing", what, name)
			}
			continue
		}
		if s := h.Value.Schema; s != nil && s.Value != nil {
			if err := s.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
				return fmt.Errorf("openapi: %s: response header %q: %v", what, name, err)
			}
		}
	}
	return nil
}

// problemBody checks a problem+json answer against the Problem schema.
func (c *openAPIChecker) problemBody(what string, header http.Header, body []byte) error {
	if ct := header.Get("Content-Type"); ct != "application/problem+json" {
		return fmt.Errorf("openapi: %s: Content-Type %q, want application/problem+json", what, ct)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("openapi: %s: problem body: %w", what, err)
	}
	schema := c.doc.Components.Schemas["Problem"].Value
	if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("openapi: %s: problem body does not match Problem: %v\nbody: %s", what, err, truncate(body))
	}
	return nil
}

// authenticate makes the document's security requirements checkable: a
// bearerAuth operation needs a bearer token; sigv4 is API Gateway's to
// check (the dev server admits back-office calls without it).
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	switch in.SecuritySchemeName {
	case "bearerAuth":
		scheme, tok, _ := strings.Cut(in.RequestValidationInput.Request.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return errors.New("no bearer token")
		}
	}
	return nil
}

func (c *openAPIChecker) report(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.violations = append(c.violations, err.Error())
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// checkingTransport validates every exchange of the tests' HTTP client; a
// mismatch fails the request (and so the test that made it, which reports
// the error) with the route, status and schema error.
type checkingTransport struct{ next http.RoundTripper }

func (ct checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := ct.next.RoundTrip(req)
	if err != nil || !apiPath(req.URL.Path) {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err := oapi.check(req, reqBody, resp.StatusCode, resp.Header, body); err != nil {
		oapi.report(err)
		return nil, err
	}
	return resp, nil
}

// installOpenAPICheck makes http.DefaultClient (do, http.Get, ...) validate
// every exchange; called by TestMain.
func installOpenAPICheck() {
	http.DefaultClient.Transport = checkingTransport{next: http.DefaultTransport}
}

// checkedHandler validates every exchange of h (the events/ replay calls
// handlers without an HTTP client); a mismatch fails t.
func checkedHandler(t *testing.T, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if err := oapi.check(r, body, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			oapi.report(err)
			t.Error(err)
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// openAPIReport runs after every test: it prints exchanges that did not
// match the document (a test normally already failed on each), and, when
// the run covered the events/ replay, fails unless every documented
// operation had a success response validated.
func openAPIReport(code int) int {
	oapi.mu.Lock()
	defer oapi.mu.Unlock()
	if len(oapi.violations) > 0 {
		fmt.Printf("--- FAIL: OpenAPI: %d exchange(s) did not match shared/httpapi/openapi/openapi.yaml\n", len(oapi.violations))
		for _, v := range oapi.violations {
			fmt.Println("    " + strings.ReplaceAll(v, "\n", "\n    "))
		}
		code = 1
	}
	if !coverageExpected() {
		return code
	}
	if missing := oapi.unexercised(); len(missing) > 0 {
		fmt.Printf("--- FAIL: OpenAPI coverage: no test validated a success response of %d operation(s) (add an events/ sample or a test):\n    %s\n",
			len(missing), strings.Join(missing, "\n    "))
		code = 1
	}
	return code
}

// coverageExpected reports whether the run includes the whole events/
// replay: no -run, or one selecting TestEventsReplay entirely.
func coverageExpected() bool {
	if f := flag.Lookup("test.skip"); f != nil && f.Value.String() != "" {
		return false
	}
	f := flag.Lookup("test.run")
	if f == nil || f.Value.String() == "" {
		return true
	}
	pat := f.Value.String()
	if strings.Contains(pat, "/") {
		return false
	}
	re, err := regexp.Compile(pat)
	return err == nil && re.MatchString("TestEventsReplay")
}

// unexercised lists the operations without a validated success response.
// The caller holds c.mu.
func (c *openAPIChecker) unexercised() []string {
	doc, err := c.load()
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !c.exercised[method+" "+path] {
				out = append(out, method+" "+path+" ("+op.OperationID+")")
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIDocument(t *testing.T) {
	doc, err := oapi.load()
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() || doc.IsOpenAPI32OrLater() {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	for _, name := range []string{"Problem", "FieldError", "Money"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no components.schemas.%s", name)
		}
	}
	// The standard error responses, all problem+json.
	for _, name := range []string{"BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "Locked", "TooManyRequests", "InternalError"} {
		r := doc.Components.Responses[name]
		if r == nil || r.Value == nil || r.Value.Content.Get("application/problem+json") == nil {
			t.Errorf("components.responses.%s: missing or not problem+json", name)
		}
	}
	for _, name := range []string{"bearerAuth", "sigv4"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("no components.securitySchemes.%s", name)
		}
	}
	// Every operation answers errors as problem+json, and every schema
	// reference in the document resolves (Validate checks the rest).
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || op.Summary == "" || len(op.Tags) == 0 {
				t.Errorf("%s %s: operationId, summary and tags are required", method, path)
			}
			for code, r := range op.Responses.Map() {
				if code[0] == '4' || code[0] == '5' {
					if r.Value == nil || r.Value.Content.Get("application/problem+json") == nil {
						t.Errorf("%s %s %s: errors must be application/problem+json", method, path, code)
					}
				}
			}
		}
	}
}

// TestOpenAPIRoutes: the document has exactly the routes of template.yaml,
// with the template's authorization (IAM routes use sigv4, others bearer or
// none), and the dev server serves it.
func TestOpenAPIRoutes(t *testing.T) {
	doc, err := oapi.load()
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[method+" "+path] = op
		}
	}
	seen := map[string]bool{}
	for _, f := range loadTemplate(t).Functions {
		for _, r := range f.Routes {
			key := r.Method + " " + r.Path
			seen[key] = true
			op, ok := ops[key]
			if !ok {
				t.Errorf("%s (%sFunction) is not in shared/httpapi/openapi/openapi.yaml", key, f.LogicalID)
				continue
			}
			sec := doc.Security
			if op.Security != nil {
				sec = *op.Security
			}
			var schemes []string
			for _, req := range sec {
				for name := range req {
					schemes = append(schemes, name)
				}
			}
			sort.Strings(schemes)
			got := strings.Join(schemes, ",")
			switch {
			case r.IAM && got != "sigv4":
				t.Errorf("%s: IAM route with security %q, want sigv4", key, got)
			case !r.IAM && got == "sigv4":
				t.Errorf("%s: sigv4 security on a route without the IAM authorizer", key)
			}
		}
	}
	for key := range ops {
		if !seen[key] {
			t.Errorf("openapi.yaml documents %s, which is not a route of template.yaml", key)
		}
	}

	_, srv, _ := newStack(t)
	r := do(t, "GET", srv.URL+OpenAPIPath, "", "")
	if r.status != 200 || !bytes.Equal(r.body, openapi.YAML) || r.header.Get("Content-Type") != "application/yaml" {
		t.Errorf("GET %s: %d %s", OpenAPIPath, r.status, r.header.Get("Content-Type"))
	}
}

// TestOpenAPICheckerCatches makes sure the validation used by every test
// really rejects what the document does not allow.
func TestOpenAPICheckerCatches(t *testing.T) {
	if _, err := oapi.load(); err != nil {
		t.Fatal(err)
	}
	get := func(path string) *http.Request {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer x")
		return r
	}
	jsonH := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req-12345678"}}
	problemH := http.Header{"Content-Type": {"application/problem+json"}, "X-Request-Id": {"req-12345678"}, "Cache-Control": {"no-store"}}
	statusH := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req-12345678"},
		"Etag": {`"abcdefghijklmnopqrstuvwx"`}, "Cache-Control": {httpapi.StatusCacheControl}}
	without := func(h http.Header, name string) http.Header {
		h = h.Clone()
		h.Del(name)
		return h
	}
	with := func(h http.Header, name, value string) http.Header {
		h = h.Clone()
		h.Set(name, value)
		return h
	}
	statusBody := `{"overall":"operational","components":[],"incidents":[]}`
	for _, tc := range []struct {
		name   string
		req    *http.Request
		status int
		header http.Header
		body   string
		want   string
	}{
		{"undocumented status", get("/v1/me"), http.StatusTeapot, problemH, `{}`, "status is not supported"},
		{"missing required field", get("/v1/status"), 200, statusH, `{"overall":"ok"}`, "components"},
		{"status page without ETag", get("/v1/status"), 200, without(statusH, "Etag"), statusBody, "ETag"},
		{"status page not cacheable", get("/v1/status"), 200, with(statusH, "Cache-Control", "no-store"), statusBody, "Cache-Control"},
		{"304 without ETag", get("/v1/status"), 304, without(statusH, "Etag"), "", "ETag"},
		{"304 with a body", get("/v1/status"), 304, statusH, statusBody, "body"},
		{"304 not documented", get("/v1/me"), 304, statusH, "", "no 304"},
		{"cacheable error", get("/v1/invoices/01JDEM0SK0000000000000INV1"), 404, with(problemH, "Cache-Control", "public, max-age=30"),
			`{"type":"https://clientzone.dev/problems/not_found","title":"Not Found","status":404,"detail":"x","code":"not_found"}`, "Cache-Control"},
		{"unknown field", get("/v1/balance"), 200, jsonH,
			`{"balance":{"amount":0,"currency":"EUR"},"autopay":{"enabled":false},"secret":1}`, "secret"},
		{"wrong content type", get("/v1/me"), 401, http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req-12345678"}, "Www-Authenticate": {"Bearer"}, "Cache-Control": {"no-store"}}, `{}`, "application/json"},
		{"missing X-Request-Id", get("/v1/me"), 401, http.Header{"Content-Type": {"application/problem+json"}, "Www-Authenticate": {"Bearer"}, "Cache-Control": {"no-store"}},
			`{"type":"https://clientzone.dev/problems/unauthenticated","title":"Unauthorized","status":401,"detail":"x","code":"unauthenticated"}`, "X-Request-Id"},
		{"bad problem", get("/v1/invoices/01JDEM0SK0000000000000INV1"), 404, problemH, `{"status":404}`, "code"},
		{"success for a request the document rejects", get("/v1/invoices?limit=1000"), 200, jsonH, `{"items":[]}`, "limit"},
		{"unknown route that is not 404", get("/v1/nope"), 200, jsonH, `{}`, "not a documented operation"},
	} {
		err := oapi.check(tc.req, nil, tc.status, tc.header, []byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	// And a conforming exchange passes.
	ok := `{"type":"https://clientzone.dev/problems/not_found","title":"Not Found","status":404,"detail":"No such resource.","code":"not_found","requestId":"req-12345678"}`
	if err := oapi.check(get("/v1/nope"), nil, 404, problemH, []byte(ok)); err != nil {
		t.Errorf("conforming 404: %v", err)
	}
	if err := oapi.check(get("/v1/status"), nil, 304, without(statusH, "Content-Type"), nil); err != nil {
		t.Errorf("conforming 304: %v", err)
	}
}
