package devserver

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestEveryRouteIsServed sends a request to every route of template.yaml and
// checks a mounted handler (not the fallback) answered it.
func TestEveryRouteIsServed(t *testing.T) {
	st, srv, _ := newStack(t)
	routes := st.Routes()
	if len(routes) == 0 {
		t.Fatal("no routes")
	}
	for _, r := range routes {
		path := strings.NewReplacer("{", "", "}", "", "+", "").Replace(r.Path) // concrete values for parameters
		req, _ := http.NewRequest(r.Method, srv.URL+path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var p struct{ Detail string }
		_ = json.Unmarshal(body, &p)
		if p.Detail == "No such resource." {
			t.Errorf("%s %s: not mounted (%d %s)", r.Method, r.Path, resp.StatusCode, body)
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s %s: no X-Request-Id", r.Method, r.Path)
		}
	}
	resp, err := http.Get(srv.URL + "/v1/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown route: %d %s; want 404 problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
