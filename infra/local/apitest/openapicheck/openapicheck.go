// Package openapicheck validates HTTP exchanges against the OpenAPI
// document (shared/httpapi/openapi/openapi.yaml): every request and response
// of the API tests goes through a Checker, so a handler that answers what
// the document does not describe fails the test that called it, and a run
// can require that every operation had a success response validated.
//
// It is a test helper: only test binaries import it (kin-openapi is linked
// into no Lambda).
package openapicheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/clientzone/clientzone/shared/httpapi/openapi"
)

// Checker validates exchanges and remembers which operations had a
// success response validated. The zero value is not usable: use New.
type Checker struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error

	mu         sync.Mutex
	exercised  map[string]bool // "GET /v1/me": a success response was validated
	violations []string
}

// New returns a checker of the document shared/httpapi/openapi/openapi.yaml.
func New() *Checker { return &Checker{exercised: map[string]bool{}} }

// Default is the checker of a test binary: Transport, Handler and Report
// of the harness use it.
var Default = New()

// Load parses and validates the document once.
func (c *Checker) Load() (*openapi3.T, error) {
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

// APIPath reports whether a request path is one of the API's (not the dev
// server's own pages, S3 or a payment provider stand-in).
func APIPath(p string) bool {
	return strings.HasPrefix(p, "/v1/") || strings.HasPrefix(p, "/admin/v1/")
}

// Check validates one exchange: the response must be documented for the
// operation (status, content type, required headers, body schema); a
// request the document rejects must not have succeeded. It records the
// operation as exercised when a success response conforms.
func (c *Checker) Check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	if req.Method == http.MethodOptions || !APIPath(req.URL.Path) {
		return nil // CORS preflight (API Gateway's job) or not an API route
	}
	if _, err := c.Load(); err != nil {
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
func (c *Checker) notModified(what string, route *routers.Route, header http.Header, body []byte) error {
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
func (c *Checker) problemBody(what string, header http.Header, body []byte) error {
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

// record keeps a violation for Report.
func (c *Checker) record(err error) {
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

// Transport validates every exchange of an HTTP client; a mismatch fails
// the request (and so the test that made it, which reports the error) with
// the route, status and schema error, and is kept for Report.
type Transport struct {
	Checker *Checker
	Next    http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (ct Transport) RoundTrip(req *http.Request) (*http.Response, error) {
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
	next := ct.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil || !APIPath(req.URL.Path) {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err := ct.Checker.Check(req, reqBody, resp.StatusCode, resp.Header, body); err != nil {
		ct.Checker.record(err)
		return nil, err
	}
	return resp, nil
}

// Install makes http.DefaultClient (http.Get, ...) validate every exchange
// against c; called from TestMain.
func (c *Checker) Install() {
	http.DefaultClient.Transport = Transport{Checker: c, Next: http.DefaultTransport}
}

// Handler validates every exchange of h (for tests that call handlers
// without an HTTP client, such as a replay of Lambda events); a mismatch
// is passed to fail (e.g. t.Error) and kept for Report.
func (c *Checker) Handler(h http.Handler, fail func(args ...any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if err := c.Check(r, body, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			c.record(err)
			fail(err)
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// Report runs after every test of a binary (from TestMain, with the exit
// code of m.Run): it prints exchanges that did not match the document (a
// test normally already failed on each) and, when coverage is set, fails
// unless every documented operation had a success response validated.
// It returns the exit code to use.
func (c *Checker) Report(code int, coverage bool, hint string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.violations) > 0 {
		fmt.Printf("--- FAIL: OpenAPI: %d exchange(s) did not match shared/httpapi/openapi/openapi.yaml\n", len(c.violations))
		for _, v := range c.violations {
			fmt.Println("    " + strings.ReplaceAll(v, "\n", "\n    "))
		}
		code = 1
	}
	if !coverage {
		return code
	}
	if missing := c.unexercised(); len(missing) > 0 {
		fmt.Printf("--- FAIL: OpenAPI coverage: no test validated a success response of %d operation(s) (%s):\n    %s\n",
			len(missing), hint, strings.Join(missing, "\n    "))
		code = 1
	}
	return code
}

// Unexercised lists the operations without a validated success response.
func (c *Checker) Unexercised() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.unexercised()
}

// unexercised is Unexercised for a caller holding c.mu.
func (c *Checker) unexercised() []string {
	doc, err := c.Load()
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
