package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

func TestNoneMatchHit(t *testing.T) {
	t.Parallel()
	const etag = `"abc"`
	tests := []struct {
		value string
		want  bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true}, // weak comparison
		{`"xyz"`, false},
		{`"ab"`, false},
		{`"xyz", "abc"`, true},
		{`"xyz",W/"abc"`, true},
		{` , "xyz" ,, "abc" `, true},
		{`"xyz", "uvw"`, false},
		{`*`, true},
		{` * `, true},
		{``, false},
		{`abc`, false},         // unquoted: malformed
		{`"abc`, false},        // unterminated
		{`"a bc"`, false},      // space is not an etagc
		{`xyz, "abc"`, false},  // malformed before the match: stop
		{`"x,y", "abc"`, true}, // a comma inside a tag is part of it
		{`w/"abc"`, false},     // W/ is case-sensitive
	}
	for _, tt := range tests {
		if got := noneMatchHit(tt.value, etag); got != tt.want {
			t.Errorf("noneMatchHit(%q, %q) = %v, want %v", tt.value, etag, got, tt.want)
		}
	}
	if !noneMatchHit(`"abc"`, `W/"abc"`) {
		t.Error("a weak current tag must match its strong form under the weak comparison")
	}
}

type tDoc struct {
	Text string `json:"text"`
}

// tCachedHandler is a public GET answering the current text, cacheable with
// an ETag, failing when the text is "fail".
func tCachedHandler(api *API, text *string) Handler {
	return Handle(api, Endpoint[struct{}, tDoc]{
		Route: "GET /v1/doc", Access: Public, CacheControl: "public, max-age=30", ETag: true,
		Exec: func(context.Context, *struct{}) (*tDoc, error) {
			if *text == "fail" {
				return nil, clientzone.Errorf(clientzone.ENOTFOUND, "No such resource.")
			}
			return &tDoc{Text: *text}, nil
		},
	})
}

func TestETagAndConditionalGet(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	text := "one"
	h := tCachedHandler(api, &text)

	w := call(h, http.MethodGet, "/v1/doc", "")
	tag := w.Header().Get("ETag")
	if w.Code != 200 || w.Body.String() != "{\"text\":\"one\"}\n" || tag != etagOf(w.Body.Bytes()) ||
		w.Header().Get("Cache-Control") != "public, max-age=30" {
		t.Fatalf("plain GET: %d %s %v", w.Code, w.Body, w.Header())
	}
	if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 20 {
		t.Fatalf("ETag %q is not a strong quoted tag", tag)
	}

	tests := []struct {
		name, method, ifNoneMatch string
		want                      int
	}{
		{"matching tag", http.MethodGet, tag, http.StatusNotModified},
		{"weak form of the tag", http.MethodGet, "W/" + tag, http.StatusNotModified},
		{"list holding the tag", http.MethodGet, `"old", ` + tag, http.StatusNotModified},
		{"star", http.MethodGet, "*", http.StatusNotModified},
		{"HEAD with the tag", http.MethodHead, tag, http.StatusNotModified},
		{"other tag", http.MethodGet, `"old"`, http.StatusOK},
		{"list without the tag", http.MethodGet, `"old", "older"`, http.StatusOK},
		{"malformed", http.MethodGet, "garbage", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := call(h, tt.method, "/v1/doc", "", "If-None-Match", tt.ifNoneMatch)
			if w.Code != tt.want || w.Header().Get("ETag") != tag || w.Header().Get("Cache-Control") != "public, max-age=30" ||
				w.Header().Get("X-Request-Id") == "" {
				t.Fatalf("%d %v, want %d with the ETag, Cache-Control and X-Request-Id", w.Code, w.Header(), tt.want)
			}
			if tt.want == http.StatusNotModified && (w.Body.Len() != 0 || w.Header().Get("Content-Type") != "") {
				t.Fatalf("304 with a body %q or Content-Type %q", w.Body, w.Header().Get("Content-Type"))
			}
		})
	}

	// Another body is another tag: the old one no longer matches.
	text = "two"
	w = call(h, http.MethodGet, "/v1/doc", "", "If-None-Match", tag)
	if w.Code != 200 || w.Header().Get("ETag") == tag || w.Header().Get("ETag") != etagOf(w.Body.Bytes()) {
		t.Fatalf("changed body: %d %v", w.Code, w.Header())
	}

	// Errors are never cacheable and carry no tag, even for If-None-Match: *.
	text = "fail"
	w = call(h, http.MethodGet, "/v1/doc", "", "If-None-Match", "*")
	problemOf(t, w, http.StatusNotFound, clientzone.ENOTFOUND)
	if w.Header().Get("ETag") != "" {
		t.Fatalf("error answer has ETag %q", w.Header().Get("ETag"))
	}
}

func TestConditionalNeedsAnETag(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	plain := Handle(api, Endpoint[struct{}, tDoc]{
		Route: "GET /v1/plain", Access: Public,
		Exec: func(context.Context, *struct{}) (*tDoc, error) { return &tDoc{Text: "x"}, nil },
	})
	w := call(plain, http.MethodGet, "/v1/plain", "", "If-None-Match", "*")
	if w.Code != 200 || w.Header().Get("ETag") != "" || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("endpoint without ETag: %d %v; want 200, no ETag, no-store", w.Code, w.Header())
	}

	// An ETag set by Headers (e.g. an object's version) is honoured too.
	versioned := Handle(api, Endpoint[struct{}, tDoc]{
		Route: "GET /v1/versioned", Access: Public,
		Exec:    func(context.Context, *struct{}) (*tDoc, error) { return &tDoc{Text: "x"}, nil },
		Headers: func(*tDoc) http.Header { return http.Header{"Etag": {`W/"v7"`}} },
	})
	if w := call(versioned, http.MethodGet, "/v1/versioned", "", "If-None-Match", `"v7"`); w.Code != http.StatusNotModified ||
		w.Header().Get("ETag") != `W/"v7"` || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("ETag from Headers: %d %v; want 304", w.Code, w.Header())
	}

	// Only GET and HEAD are answered 304.
	post := Handle(api, Endpoint[struct{}, tDoc]{
		Route: "POST /v1/docs", Access: Public, ETag: true,
		Exec: func(context.Context, *struct{}) (*tDoc, error) { return &tDoc{Text: "x"}, nil },
	})
	if w := call(post, http.MethodPost, "/v1/docs", "", "If-None-Match", "*"); w.Code != 200 || w.Body.Len() == 0 {
		t.Fatalf("POST with If-None-Match: %d %s; want 200 with the body", w.Code, w.Body)
	}
}
