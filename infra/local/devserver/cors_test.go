package devserver

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/samtemplate"
)

// TestCORS checks the dev server applies template.yaml's CorsConfiguration
// (plus Options.AllowOrigins) as API Gateway does: allowed origins get the
// CORS headers on answers and preflights, any other origin gets none.
func TestCORS(t *testing.T) {
	t.Parallel()
	const local = "http://localhost:5173"
	st, srv, _ := newStackWith(t, func(o *Options) { o.AllowOrigins = []string{local} })
	cfg := st.Template.CORS
	if cfg == nil || len(cfg.AllowOrigins) == 0 {
		t.Fatalf("template CORS = %+v", cfg)
	}
	deployed := cfg.AllowOrigins[0]
	if want := append(slices.Clone(cfg.AllowOrigins), local); !slices.Equal(st.Origins, want) {
		t.Errorf("Origins = %v, want %v", st.Origins, want)
	}
	join := func(l []string) string { return strings.Join(l, ", ") }
	send := func(method, origin string, headers ...string) response {
		t.Helper()
		return do(t, method, srv.URL+"/v1/status", "", "", append([]string{"Origin", origin}, headers...)...)
	}
	corsHeaders := []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
		"Access-Control-Max-Age", "Access-Control-Expose-Headers", "Access-Control-Allow-Credentials"}
	none := func(what string, r response) {
		t.Helper()
		for _, h := range corsHeaders {
			if v := r.header.Get(h); v != "" {
				t.Errorf("%s: %s = %q, want none", what, h, v)
			}
		}
	}
	varies := func(what string, r response) {
		t.Helper()
		if !slices.Contains(r.header.Values("Vary"), "Origin") {
			t.Errorf("%s: Vary %v lacks Origin", what, r.header.Values("Vary"))
		}
	}

	for _, origin := range []string{deployed, local} {
		r := send("GET", origin)
		if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != origin ||
			r.header.Get("Access-Control-Expose-Headers") != join(cfg.ExposeHeaders) || r.header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("GET from %s: %d %v", origin, r.status, r.header)
		}
		varies("GET from "+origin, r)

		r = send("OPTIONS", origin, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type")
		if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != origin || r.header.Get("Access-Control-Allow-Methods") != join(cfg.AllowMethods) ||
			r.header.Get("Access-Control-Allow-Headers") != join(cfg.AllowHeaders) || r.header.Get("Access-Control-Max-Age") != "600" || len(r.body) != 0 {
			t.Errorf("preflight from %s: %d %v %s", origin, r.status, r.header, r.body)
		}
	}

	// Origins are compared without case (scheme and host are).
	if r := send("GET", strings.ToUpper(local)); r.header.Get("Access-Control-Allow-Origin") != strings.ToUpper(local) {
		t.Errorf("upper-case origin: %v", r.header)
	}

	// Not allowed: the answer itself, but nothing a browser would accept.
	for _, origin := range []string{"https://evil.example", "http://localhost:5174", deployed + ".evil.example", "null"} {
		r := send("GET", origin)
		if r.status != 200 || len(r.body) == 0 {
			t.Errorf("GET from %s: %d", origin, r.status)
		}
		none("GET from "+origin, r)
		varies("GET from "+origin, r)
		r = send("OPTIONS", origin, "Access-Control-Request-Method", "DELETE")
		if r.status != 204 {
			t.Errorf("preflight from %s: %d", origin, r.status)
		}
		none("preflight from "+origin, r)
	}

	// Without Origin: no CORS headers, still Vary (caches keep one copy per origin).
	r := do(t, "GET", srv.URL+"/v1/status", "", "")
	none("no Origin", r)
	varies("no Origin", r)
	// An OPTIONS that is no preflight goes to the API (no such route).
	if r := send("OPTIONS", local); r.status != 404 {
		t.Errorf("OPTIONS without Access-Control-Request-Method: %d", r.status)
	}

	// A bad extra origin stops the start.
	if _, err := Start(context.Background(), Options{AllowOrigins: []string{"localhost:5173"}}); err == nil || !strings.Contains(err.Error(), "localhost:5173") {
		t.Errorf("Start with a bad origin: %v", err)
	}
}

func TestCheckOrigin(t *testing.T) {
	t.Parallel()
	for o, ok := range map[string]bool{
		"http://localhost:5173": true, "https://portal.example.com": true, "http://127.0.0.1:3000": true, "http://[::1]:8080": true,
		"*": true, "https://*": true, "http://*": true,
		"localhost:5173": false, "http://localhost:5173/": false, "http://localhost:5173/app": false, "ftp://x.example": false,
		"http://": false, "http://user@x.example": false, "http://x.example?": false, "http://x.example#": false,
		"http://x.example:0": false, "http://x.example:99999": false, "": false, "https://*.example.com": false,
	} {
		if err := CheckOrigin(o); (err == nil) != ok {
			t.Errorf("CheckOrigin(%q) = %v, want ok %v", o, err, ok)
		}
	}
}

func TestCORSPolicyWildcards(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		cors        *samtemplate.CORS
		extra       []string
		origin      string
		allowed     bool
		allowOrigin string
	}{
		{"star", &samtemplate.CORS{AllowOrigins: []string{"*"}}, nil, "https://any.example", true, "*"},
		{"star with credentials echoes", &samtemplate.CORS{AllowOrigins: []string{"*"}, AllowCredentials: true}, nil, "https://any.example", true, "https://any.example"},
		{"scheme wildcard", &samtemplate.CORS{AllowOrigins: []string{"https://*"}}, nil, "https://any.example", true, "https://any.example"},
		{"scheme wildcard, other scheme", &samtemplate.CORS{AllowOrigins: []string{"https://*"}}, nil, "http://any.example", false, ""},
		{"extra only", nil, []string{"http://localhost:5173"}, "http://localhost:5173", true, "http://localhost:5173"},
		{"exact only", &samtemplate.CORS{AllowOrigins: []string{"https://a.example"}}, nil, "https://a.example.evil", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := newCORSPolicy(tt.cors, tt.extra)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.allows(tt.origin); got != tt.allowed {
				t.Fatalf("allows(%q) = %v", tt.origin, got)
			}
			if tt.allowed && p.allowOrigin(tt.origin) != tt.allowOrigin {
				t.Fatalf("allowOrigin(%q) = %q, want %q", tt.origin, p.allowOrigin(tt.origin), tt.allowOrigin)
			}
		})
	}
	// Neither a template configuration nor extra origins: no CORS at all.
	if p, err := newCORSPolicy(nil, nil); p != nil || err != nil {
		t.Fatalf("no configuration: %+v, %v", p, err)
	}
	h := withCORS(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	if _, ok := h.(http.HandlerFunc); !ok {
		t.Fatal("a nil policy should leave the handler as it is")
	}
}
