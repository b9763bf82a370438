package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// ---- path, query and header parameters ----

type tParamsRequest struct {
	ID    string `path:"id"`
	Name  string `query:"name"`
	N     int    `query:"n"`
	P     *int   `query:"p"`
	Flag  bool   `query:"flag"`
	Trace string `header:"X-Trace"`
	Count int    `header:"X-Count"`
}

type tParamsResponse struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	N     int    `json:"n"`
	P     *int   `json:"p"`
	Flag  bool   `json:"flag"`
	Trace string `json:"trace"`
	Count int    `json:"count"`
}

func tParamsHandler(api *API) Handler {
	return Handle(api, Endpoint[tParamsRequest, tParamsResponse]{
		Route:  "GET /v1/things/{id}",
		Access: Public,
		Exec: func(_ context.Context, r *tParamsRequest) (*tParamsResponse, error) {
			return &tParamsResponse{r.ID, r.Name, r.N, r.P, r.Flag, r.Trace, r.Count}, nil
		},
	})
}

func tIntPtr(n int) *int { return &n }

func TestParameterDecoding(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	h := tParamsHandler(api)

	tests := []struct {
		name    string
		target  string
		headers []string
		want    tParamsResponse
	}{
		{"everything", "/v1/things/abc?name=Ján&n=-5&p=7&flag=true", []string{"X-Trace", "t-1", "X-Count", "3"},
			tParamsResponse{"abc", "Ján", -5, tIntPtr(7), true, "t-1", 3}},
		{"nothing optional", "/v1/things/abc", nil, tParamsResponse{ID: "abc"}},
		{"pointer set to zero", "/v1/things/abc?p=0", nil, tParamsResponse{ID: "abc", P: tIntPtr(0)}},
		{"bool forms", "/v1/things/abc?flag=1", nil, tParamsResponse{ID: "abc", Flag: true}},
		{"escaped path and query", "/v1/things/a%20b?name=x%26y", nil, tParamsResponse{ID: "a b", Name: "x&y"}},
		{"empty query string", "/v1/things/abc?name=", nil, tParamsResponse{ID: "abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := call(h, "GET", tt.target, "", tt.headers...)
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d; body %s", w.Code, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Fatalf("Content-Type = %q", ct)
			}
			var got tParamsResponse
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.want.ID || got.Name != tt.want.Name || got.N != tt.want.N || got.Flag != tt.want.Flag ||
				got.Trace != tt.want.Trace || got.Count != tt.want.Count || (got.P == nil) != (tt.want.P == nil) ||
				(got.P != nil && *got.P != *tt.want.P) {
				t.Fatalf("decoded %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParameterTypeErrors(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	h := tParamsHandler(api)

	tests := []struct {
		name       string
		h          http.Handler
		target     string
		headers    []string
		wantFields []string
	}{
		{"int not a number", h, "/v1/things/a?n=abc", nil, []string{"n"}},
		{"int with a fraction", h, "/v1/things/a?n=1.5", nil, []string{"n"}},
		{"int overflow", h, "/v1/things/a?n=99999999999999999999", nil, []string{"n"}},
		{"empty int", h, "/v1/things/a?n=", nil, []string{"n"}},
		{"pointer not a number", h, "/v1/things/a?p=seven", nil, []string{"p"}},
		{"bool not a bool", h, "/v1/things/a?flag=yes", nil, []string{"flag"}},
		{"header int", h, "/v1/things/a", []string{"X-Count", "many"}, []string{"X-Count"}},
		{"several at once", h, "/v1/things/a?n=x&flag=y", []string{"X-Count", "z"}, []string{"n", "flag", "X-Count"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problemOf(t, call(tt.h, "GET", tt.target, "", tt.headers...), http.StatusBadRequest, clientzone.EINVALID)
			if got := fieldNames(p); !slices.Equal(got, tt.wantFields) {
				t.Fatalf("fields = %v, want %v", got, tt.wantFields)
			}
			for _, f := range p.Errors {
				if f.Code != "type" || f.Message != "This value has the wrong type." {
					t.Fatalf("field error = %+v", f)
				}
			}
		})
	}
}

type tNumRequest struct {
	Num int `path:"num"`
}

func TestPathTypeError(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	h := Handle(api, Endpoint[tNumRequest, tNumRequest]{
		Route:  "GET /v1/items/{num}",
		Access: Public,
		Exec:   func(_ context.Context, r *tNumRequest) (*tNumRequest, error) { return r, nil },
	})
	p := problemOf(t, call(h, "GET", "/v1/items/abc", ""), http.StatusBadRequest, clientzone.EINVALID)
	if got := fieldNames(p); !slices.Equal(got, []string{"num"}) {
		t.Fatalf("fields = %v, want [num]", got)
	}
	if w := call(h, "GET", "/v1/items/42", ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "42") {
		t.Fatalf("GET /v1/items/42 = %d %s", w.Code, w.Body)
	}
}

// ---- JSON bodies and validation ----

type tAddress struct {
	City       string `json:"city" validate:"required"`
	PostalCode string `json:"postalCode" validate:"required,max=6"`
}

type tCreateRequest struct {
	Name    string   `json:"name" validate:"required,max=5"`
	Email   string   `json:"email" validate:"omitempty,email"`
	Age     int      `json:"age" validate:"omitempty,min=18"`
	Role    string   `json:"role" validate:"omitempty,oneof=admin regular"`
	Address tAddress `json:"address"`
	Tags    []string `json:"tags"`
	Note    string   `json:"-"`
}

type tCreateResponse struct {
	Name string `json:"name"`
	City string `json:"city"`
}

func tCreateHandler(api *API) Handler {
	return Handle(api, Endpoint[tCreateRequest, tCreateResponse]{
		Route:  "POST /v1/people",
		Access: Public,
		Status: http.StatusCreated,
		Exec: func(_ context.Context, r *tCreateRequest) (*tCreateResponse, error) {
			return &tCreateResponse{Name: r.Name, City: r.Address.City}, nil
		},
	})
}

const tValidBody = `{"name":"Ján","email":"jan@example.sk","age":30,"address":{"city":"Nitra","postalCode":"94901"},"tags":["a"]}`

func TestJSONBody(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	h := tCreateHandler(api)
	const ct = "Content-Type"

	t.Run("valid body gets the endpoint's status", func(t *testing.T) {
		for _, contentType := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"} {
			w := call(h, "POST", "/v1/people", tValidBody, ct, contentType)
			if w.Code != http.StatusCreated {
				t.Fatalf("%s: status = %d; body %s", contentType, w.Code, w.Body)
			}
			var got tCreateResponse
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got != (tCreateResponse{"Ján", "Nitra"}) {
				t.Fatalf("%s: body %s (%v)", contentType, w.Body, err)
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("Cache-Control = %q", w.Header().Get("Cache-Control"))
			}
		}
	})

	t.Run("body of exactly MaxBodyBytes", func(t *testing.T) {
		body := tValidBody + strings.Repeat(" ", MaxBodyBytes-len(tValidBody))
		if w := call(h, "POST", "/v1/people", body, ct, "application/json"); w.Code != http.StatusCreated {
			t.Fatalf("status = %d; body %s", w.Code, w.Body)
		}
	})

	tests := []struct {
		name        string
		body        string
		contentType string
		wantStatus  int
		wantCode    string
		wantFields  []string
		wantDetail  string
	}{
		{name: "unknown field", body: `{"name":"Ján","address":{"city":"N","postalCode":"1"},"admin":true}`,
			wantFields: []string{"admin"}},
		{name: "field ignored by json:\"-\"", body: `{"name":"Ján","address":{"city":"N","postalCode":"1"},"Note":"x"}`,
			wantFields: []string{"Note"}},
		{name: "unknown nested field", body: `{"name":"Ján","address":{"city":"N","postalCode":"1","zip":"x"}}`,
			wantFields: []string{"address.zip"}},
		{name: "array instead of an object", body: `[1]`, wantDetail: "The request body is not valid JSON."},
		{name: "wrong type", body: `{"name":5,"address":{"city":"N","postalCode":"1"}}`,
			wantFields: []string{"name"}},
		{name: "wrong nested type", body: `{"name":"Ján","address":{"city":5,"postalCode":"1"}}`,
			wantFields: []string{"address.city"}},
		{name: "wrong array element type", body: `{"name":"Ján","address":{"city":"N","postalCode":"1"},"tags":[1]}`,
			wantFields: []string{"tags"}},
		{name: "malformed", body: `{"name":`, wantDetail: "The request body is not valid JSON."},
		{name: "trailing object", body: tValidBody + `{"name":"x"}`, wantDetail: "The request body is not valid JSON."},
		{name: "trailing garbage", body: tValidBody + ` x`, wantDetail: "The request body is not valid JSON."},
		{name: "trailing closing brace", body: tValidBody + `}`, wantDetail: "The request body is not valid JSON."},
		{name: "trailing closing bracket", body: tValidBody + `]`, wantDetail: "The request body is not valid JSON."},
		{name: "too large", body: tValidBody + strings.Repeat(" ", MaxBodyBytes-len(tValidBody)+1), wantDetail: "The request body is too large."},
		{name: "text/plain", body: tValidBody, contentType: "text/plain", wantStatus: http.StatusUnsupportedMediaType, wantCode: clientzone.EUNSUPPORTEDMEDIA},
		{name: "form", body: "name=x", contentType: "application/x-www-form-urlencoded", wantStatus: http.StatusUnsupportedMediaType, wantCode: clientzone.EUNSUPPORTEDMEDIA},
		{name: "no content type", body: tValidBody, contentType: "-", wantStatus: http.StatusUnsupportedMediaType, wantCode: clientzone.EUNSUPPORTEDMEDIA},
		{name: "json lookalike", body: tValidBody, contentType: "application/jsonx", wantStatus: http.StatusUnsupportedMediaType, wantCode: clientzone.EUNSUPPORTEDMEDIA},
		{name: "empty body is validated", body: "", wantFields: []string{"name", "address.city", "address.postalCode"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wantStatus == 0 {
				tt.wantStatus, tt.wantCode = http.StatusBadRequest, clientzone.EINVALID
			}
			headers := []string{ct, "application/json"}
			switch tt.contentType {
			case "":
			case "-":
				headers = nil
			default:
				headers = []string{ct, tt.contentType}
			}
			p := problemOf(t, call(h, "POST", "/v1/people", tt.body, headers...), tt.wantStatus, tt.wantCode)
			if got := fieldNames(p); !slices.Equal(got, tt.wantFields) {
				t.Fatalf("fields = %v, want %v; body %+v", got, tt.wantFields, p)
			}
			if tt.wantDetail != "" && p.Detail != tt.wantDetail {
				t.Fatalf("detail = %q, want %q", p.Detail, tt.wantDetail)
			}
		})
	}

	t.Run("GET ignores a body", func(t *testing.T) {
		api, _ := newTestAPI()
		h := Handle(api, Endpoint[struct{}, tCreateResponse]{
			Route: "GET /v1/x", Access: Public,
			Exec: func(context.Context, *struct{}) (*tCreateResponse, error) { return &tCreateResponse{Name: "ok"}, nil },
		})
		if w := call(h, "GET", "/v1/x", "{not json", ct, "text/plain"); w.Code != http.StatusOK {
			t.Fatalf("status = %d; body %s", w.Code, w.Body)
		}
	})
}

// ---- paths of unknown body fields ----

type tBase struct {
	ID   string `json:"id"`
	Meta struct {
		Source string `json:"source"`
	} `json:"meta"`
}

type tLine struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

type tUnknownRequest struct {
	tBase
	Name   string             `json:"name"`
	Lines  []tLine            `json:"lines"`
	Fixed  [2]tLine           `json:"fixed"`
	Ptr    *tLine             `json:"ptr"`
	ByKey  map[string]tLine   `json:"byKey"`
	Raw    json.RawMessage    `json:"raw"`
	Any    any                `json:"any"`
	Tagged tLine              `json:"tagged,omitempty"`
	Plain  tLine              // no tag: the Go name
	Nested map[string][]tLine `json:"nested"`
}

func TestUnknownFieldPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string
	}{
		{"top level", `{"name":"x","bogus":1}`, "bogus"},
		{"in a slice element", `{"lines":[{"sku":"a"},{"sku":"b","price":1}]}`, "lines.price"},
		{"in an array element", `{"fixed":[{"sku":"a","x":1}]}`, "fixed.x"},
		{"through a pointer", `{"ptr":{"qty":1,"x":1}}`, "ptr.x"},
		{"in a map value", `{"byKey":{"k":{"x":1}}}`, "byKey.x"},
		{"in a map of slices", `{"nested":{"k":[{"sku":"a"},{"y":1}]}}`, "nested.y"},
		{"promoted from an embedded struct", `{"id":"1","meta":{"source":"s","z":1}}`, "meta.z"},
		{"embedded struct's own name is unknown", `{"tBase":{}}`, "tBase"},
		{"tag with options", `{"tagged":{"x":1}}`, "tagged.x"},
		{"untagged field by Go name", `{"Plain":{"x":1}}`, "Plain.x"},
		{"keys match case-insensitively like encoding/json", `{"NAME":"x","LINES":[{"SKU":"a","w":1}]}`, "lines.w"},
		{"after skipped raw and any values", `{"raw":{"a":[{"b":{}}]},"any":[{"c":1},[]],"ptr":{"x":1}}`, "ptr.x"},
		{"after a null and scalars", `{"ptr":null,"lines":null,"name":"}","fixed":[],"q":1}`, "q"},
		{"first unknown wins", `{"lines":[{"a":1}],"b":2}`, "lines.a"},
		{"escaped key", `{"ptr":{"a\"b":1}}`, `ptr.a"b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/json")
			err := decodeBody(r, new(tUnknownRequest))
			var e *clientzone.Error
			if !errors.As(err, &e) || e.Code != clientzone.EINVALID || len(e.Fields) != 1 || e.Fields[0].Code != "unknown" {
				t.Fatalf("decodeBody(%s) = %#v, want one unknown field", tt.body, err)
			}
			if got := e.Fields[0].Field; got != tt.want {
				t.Fatalf("field = %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("type error wins when it comes first", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(`{"ptr":{"qty":"1"},"x":1}`))
		r.Header.Set("Content-Type", "application/json")
		var e *clientzone.Error
		if err := decodeBody(r, new(tUnknownRequest)); !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "ptr.qty" || e.Fields[0].Code != "type" {
			t.Fatalf("decodeBody = %#v, want a type error on ptr.qty", err)
		}
	})
}

func TestValidationFieldErrors(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	h := tCreateHandler(api)

	type fe struct{ field, code, param, message string }
	tests := []struct {
		name string
		body string
		want []fe
	}{
		{"missing required", `{"address":{"city":"N","postalCode":"1"}}`,
			[]fe{{"name", "required", "", "This field is required."}}},
		{"too long string", `{"name":"Alexander","address":{"city":"N","postalCode":"1"}}`,
			[]fe{{"name", "max", "5", "This value is too long."}}},
		{"too small number", `{"name":"Ján","age":12,"address":{"city":"N","postalCode":"1"}}`,
			[]fe{{"age", "min", "18", "This value is too small."}}},
		{"bad email", `{"name":"Ján","email":"nope","address":{"city":"N","postalCode":"1"}}`,
			[]fe{{"email", "email", "", "This is not a valid email address."}}},
		{"not one of", `{"name":"Ján","role":"root","address":{"city":"N","postalCode":"1"}}`,
			[]fe{{"role", "oneof", "admin regular", "This value is not allowed."}}},
		{"nested paths use JSON names", `{"name":"Ján","address":{"postalCode":"1234567"}}`,
			[]fe{{"address.city", "required", "", "This field is required."}, {"address.postalCode", "max", "6", "This value is too long."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problemOf(t, call(h, "POST", "/v1/people", tt.body, "Content-Type", "application/json"), http.StatusBadRequest, clientzone.EINVALID)
			if p.Detail != "Some fields are invalid." {
				t.Fatalf("detail = %q", p.Detail)
			}
			var got []fe
			for _, f := range p.Errors {
				got = append(got, fe{f.Field, f.Code, f.Param, f.Message})
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("errors = %+v, want %+v", got, tt.want)
			}
		})
	}

	t.Run("translated field messages", func(t *testing.T) {
		w := call(h, "POST", "/v1/people", `{"address":{"city":"N","postalCode":"1"}}`, "Content-Type", "application/json", "Accept-Language", "hu")
		p := problemOf(t, w, http.StatusBadRequest, clientzone.EINVALID)
		if p.Detail != "Néhány mező érvénytelen." || len(p.Errors) != 1 || p.Errors[0].Message != "Ez a mező kötelező." {
			t.Fatalf("problem = %+v", p)
		}
		if w.Header().Get("Content-Language") != "hu" {
			t.Fatalf("Content-Language = %q", w.Header().Get("Content-Language"))
		}
	})
}

// ---- responses and errors ----

type tModeRequest struct {
	Mode string `query:"mode" validate:"required"`
}

type tOKResponse struct {
	OK bool `json:"ok"`
}

const tSecretCause = "db exploded: password=hunter2"

func tModeHandler(api *API, status int) Handler {
	return Handle(api, Endpoint[tModeRequest, tOKResponse]{
		Route:  "GET /v1/mode",
		Access: Public,
		Status: status,
		Exec: func(_ context.Context, r *tModeRequest) (*tOKResponse, error) {
			switch r.Mode {
			case "ok":
				return &tOKResponse{OK: true}, nil
			case "nil":
				return nil, nil
			case "plain":
				return nil, errors.New(tSecretCause)
			case "wrapped":
				return nil, errors.Join(errors.New("context"), errors.New(tSecretCause))
			case "internal":
				return nil, &clientzone.Error{Code: clientzone.EINTERNAL, Message: tSecretCause}
			case "notfound":
				return nil, &clientzone.Error{Code: clientzone.ENOTFOUND, Message: "Invoice not found.", Err: errors.New(tSecretCause)}
			case "unauthenticated":
				return nil, clientzone.Errorf(clientzone.EUNAUTHENTICATED, "Log in to continue.")
			case "conflict":
				return nil, clientzone.Errorf(clientzone.ECONFLICT, "Already exists.")
			case "panic":
				panic("boom: " + tSecretCause)
			}
			return nil, clientzone.Errorf(clientzone.EINVALID, "Unknown mode.")
		},
	})
}

func TestResponses(t *testing.T) {
	t.Parallel()

	t.Run("default status 200", func(t *testing.T) {
		api, _ := newTestAPI()
		w := call(tModeHandler(api, 0), "GET", "/v1/mode?mode=ok", "")
		if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"ok":true}` {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})

	t.Run("Status field respected", func(t *testing.T) {
		api, _ := newTestAPI()
		w := call(tModeHandler(api, http.StatusAccepted), "GET", "/v1/mode?mode=ok", "")
		if w.Code != http.StatusAccepted || w.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})

	t.Run("nil response is 204 without body", func(t *testing.T) {
		for _, status := range []int{0, http.StatusCreated} {
			api, _ := newTestAPI()
			w := call(tModeHandler(api, status), "GET", "/v1/mode?mode=nil", "")
			if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
				t.Fatalf("Status %d: got %d %q", status, w.Code, w.Body)
			}
		}
	})

	tests := []struct {
		mode       string
		wantStatus int
		wantCode   string
		wantDetail string
		wantLevel  string // level of the "internal error" / "request failed" log line
	}{
		{"plain", http.StatusInternalServerError, clientzone.EINTERNAL, "Internal error.", "ERROR"},
		{"wrapped", http.StatusInternalServerError, clientzone.EINTERNAL, "Internal error.", "ERROR"},
		{"internal", http.StatusInternalServerError, clientzone.EINTERNAL, "Internal error.", "ERROR"},
		{"notfound", http.StatusNotFound, clientzone.ENOTFOUND, "Invoice not found.", "INFO"},
		{"unauthenticated", http.StatusUnauthorized, clientzone.EUNAUTHENTICATED, "Log in to continue.", "INFO"},
		{"conflict", http.StatusConflict, clientzone.ECONFLICT, "Already exists.", "INFO"},
	}
	for _, tt := range tests {
		t.Run("error "+tt.mode, func(t *testing.T) {
			api, logs := newTestAPI()
			w := call(tModeHandler(api, 0), "GET", "/v1/mode?mode="+tt.mode, "")
			p := problemOf(t, w, tt.wantStatus, tt.wantCode)
			if p.Detail != tt.wantDetail {
				t.Fatalf("detail = %q, want %q", p.Detail, tt.wantDetail)
			}
			if strings.Contains(w.Body.String(), "hunter2") || strings.Contains(w.Body.String(), "exploded") {
				t.Fatalf("the cause leaked into the body: %s", w.Body)
			}
			if p.Instance != "/v1/mode" {
				t.Fatalf("instance = %q", p.Instance)
			}
			if tt.wantStatus == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
			msg := "request failed"
			if tt.wantLevel == "ERROR" {
				msg = "internal error"
			}
			recs := logs.find(t, tt.wantLevel, msg)
			if len(recs) != 1 {
				t.Fatalf("want one %s %q log record; logs:\n%s", tt.wantLevel, msg, logs)
			}
			if recs[0]["requestId"] != p.RequestID || recs[0]["route"] != "GET /v1/mode" {
				t.Fatalf("log record %v lacks the request id %s or route", recs[0], p.RequestID)
			}
			if tt.wantLevel == "ERROR" {
				if s, _ := recs[0]["err"].(string); !strings.Contains(s, "hunter2") {
					t.Fatalf("the cause is not logged: %v", recs[0])
				}
			} else if len(logs.find(t, "ERROR", "internal error")) != 0 {
				t.Fatalf("an expected error was logged at ERROR:\n%s", logs)
			}
			// One access log line with the final status.
			access := logs.find(t, "INFO", "request")
			if len(access) != 1 || access[0]["status"] != float64(tt.wantStatus) {
				t.Fatalf("access log = %v", access)
			}
		})
	}
}

func TestPanicIsA500AndTheHandlerSurvives(t *testing.T) {
	t.Parallel()
	api, logs := newTestAPI()
	h := tModeHandler(api, 0)

	w := call(h, "GET", "/v1/mode?mode=panic", "")
	p := problemOf(t, w, http.StatusInternalServerError, clientzone.EINTERNAL)
	if p.Detail != "Internal error." || strings.Contains(w.Body.String(), "hunter2") {
		t.Fatalf("problem = %s", w.Body)
	}
	panics := logs.find(t, "ERROR", "panic")
	if len(panics) != 1 || !strings.Contains(panics[0]["panic"].(string), "boom") {
		t.Fatalf("panic not logged at ERROR:\n%s", logs)
	}
	if access := logs.find(t, "INFO", "request"); len(access) != 1 || access[0]["status"] != float64(500) {
		t.Fatalf("access log = %v", access)
	}

	// The same handler keeps serving.
	if w := call(h, "GET", "/v1/mode?mode=ok", ""); w.Code != http.StatusOK {
		t.Fatalf("after a panic: %d %s", w.Code, w.Body)
	}
}

func TestUnknownPath(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	h := tParamsHandler(api)
	for _, target := range []string{"/", "/v1/things", "/v1/things/a/b", "/v1/other/a", "/v1/things/a/"} {
		t.Run(target, func(t *testing.T) {
			p := problemOf(t, call(h, "GET", target, "", "Accept-Language", "sk"), http.StatusNotFound, clientzone.ENOTFOUND)
			if p.Detail != "Takýto zdroj neexistuje." || p.Instance != target {
				t.Fatalf("problem = %+v", p)
			}
		})
	}
	t.Run("wrong method", func(t *testing.T) {
		w := call(h, "DELETE", "/v1/things/a", "")
		if w.Code < 400 || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("DELETE on a GET route = %d %q", w.Code, w.Header().Get("Content-Type"))
		}
	})
}

// An endpoint for logged-in persons never runs without an Authenticator
// (the wiring, app.Deps.Endpoint, gives it one from its Access): it answers
// a generic 500, logged as an error, and its Exec does not run.
func TestHandleRequiresAuthenticator(t *testing.T) {
	t.Parallel()
	for name, access := range map[string]Access{"any person": AnyPerson, "admin": AdminOnly, "right": Needs(clientzone.RightInvoices)} {
		t.Run(name, func(t *testing.T) {
			api, logs := newTestAPI()
			ran := false
			h := Handle(api, Endpoint[struct{}, struct{}]{Route: "GET /x", Access: access,
				Exec: func(context.Context, *struct{}) (*struct{}, error) { ran = true; return nil, nil }})
			w := call(h, "GET", "/x", "", "Authorization", "Bearer x")
			if p := problemOf(t, w, http.StatusInternalServerError, clientzone.EINTERNAL); p.Detail != "Internal error." {
				t.Errorf("problem %+v", p)
			}
			if ran {
				t.Error("Exec ran without an Authenticator")
			}
			if !strings.Contains(logs.String(), `"level":"ERROR"`) || !strings.Contains(logs.String(), "GET /x needs an Authenticator") {
				t.Errorf("the wiring error is not logged as an error: %s", logs)
			}
		})
	}
}
