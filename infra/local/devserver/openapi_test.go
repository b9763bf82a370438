package devserver

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/clientzone/clientzone/infra/local/apitest/openapicheck"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/httpapi/openapi"
)

// The OpenAPI document (shared/httpapi/openapi/openapi.yaml) is checked
// three ways: it is valid OpenAPI 3.1 and lists exactly the routes of
// template.yaml (TestOpenAPIDocument, TestOpenAPIRoutes); every request and
// response of every test is validated against it (infra/local/apitest/
// openapicheck: the transport of http.DefaultClient, installed by TestMain,
// for the tests that talk HTTP to a dev server, and checkedHandler for the
// events/ replay); and a full run of this package must have validated a
// success response of every operation (openAPIReport, run by TestMain): the
// events/ replay has a sample of every function.
var oapi = openapicheck.Default

// checkedHandler validates every exchange of h (the events/ replay calls
// handlers without an HTTP client); a mismatch fails t.
func checkedHandler(t *testing.T, h http.Handler) http.Handler {
	return oapi.Handler(h, t.Error)
}

// openAPIReport runs after every test: it prints exchanges that did not
// match the document and, when the run covered the events/ replay, fails
// unless every documented operation had a success response validated.
func openAPIReport(code int) int {
	return oapi.Report(code, coverageExpected(), "add an events/ sample or a test")
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

func TestOpenAPIDocument(t *testing.T) {
	doc, err := oapi.Load()
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
	doc, err := oapi.Load()
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
	if _, err := oapi.Load(); err != nil {
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
		err := oapi.Check(tc.req, nil, tc.status, tc.header, []byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	// And a conforming exchange passes.
	ok := `{"type":"https://clientzone.dev/problems/not_found","title":"Not Found","status":404,"detail":"No such resource.","code":"not_found","requestId":"req-12345678"}`
	if err := oapi.Check(get("/v1/nope"), nil, 404, problemH, []byte(ok)); err != nil {
		t.Errorf("conforming 404: %v", err)
	}
	if err := oapi.Check(get("/v1/status"), nil, 304, without(statusH, "Content-Type"), nil); err != nil {
		t.Errorf("conforming 304: %v", err)
	}
}
