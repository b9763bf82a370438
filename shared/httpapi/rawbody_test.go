package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type rawReq struct {
	Name   string      `path:"name"`
	Body   []byte      `json:"-" body:"raw"`
	Header http.Header `json:"-" header:"*"`
}

type rawResp struct {
	Name string `json:"name"`
	Body string `json:"body"`
	Sig  string `json:"sig"`
}

// TestRawBody: a RawBody endpoint gets the body bytes untouched (even when
// they are not JSON, or JSON with unknown fields) and every header.
func TestRawBody(t *testing.T) {
	t.Parallel()
	api := &API{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := Handle(api, Endpoint[rawReq, rawResp]{
		Route: "POST /raw/{name}", Access: Public, RawBody: true,
		Exec: func(_ context.Context, r *rawReq) (*rawResp, error) {
			return &rawResp{Name: r.Name, Body: string(r.Body), Sig: strings.Join(r.Header.Values("X-Sig"), "|")}, nil
		},
	})
	for _, body := range []string{`{"unknown": 1,  "spaces" : true}`, "not json at all", ""} {
		req := httptest.NewRequest("POST", "/raw/stripe", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/plain")
		req.Header.Add("X-Sig", "t=1")
		req.Header.Add("X-Sig", "v1=ab")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("%q: %d %s", body, rec.Code, rec.Body)
		}
		want := `{"name":"stripe","body":` + quote(body) + `,"sig":"t=1|v1=ab"}`
		if got := strings.TrimSpace(rec.Body.String()); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
