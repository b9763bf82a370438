package devserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clientzone/clientzone/shared/samtemplate"
)

// corsPolicy is the HTTP API's CorsConfiguration as API Gateway applies it
// (template.yaml, read by samtemplate, so the dev server and the deployed
// API cannot drift), plus the dev server's extra local origins.
type corsPolicy struct {
	origins     []string // lower case; "*" any, "https://*" any of that scheme
	methods     string
	headers     string
	expose      string
	maxAge      string
	credentials bool
}

// newCORSPolicy combines the template's configuration (nil: none) with
// extra origins (Options.AllowOrigins, checked by CheckOrigin). Without
// either there is no policy (nil): no CORS headers at all, as API Gateway
// without a CorsConfiguration.
func newCORSPolicy(c *samtemplate.CORS, extra []string) (*corsPolicy, error) {
	if c == nil && len(extra) == 0 {
		return nil, nil
	}
	if c == nil {
		c = &samtemplate.CORS{}
	}
	p := &corsPolicy{
		methods:     strings.Join(c.AllowMethods, ", "),
		headers:     strings.Join(c.AllowHeaders, ", "),
		expose:      strings.Join(c.ExposeHeaders, ", "),
		credentials: c.AllowCredentials,
	}
	if c.MaxAge > 0 {
		p.maxAge = strconv.Itoa(c.MaxAge)
	}
	for _, o := range c.AllowOrigins {
		p.origins = append(p.origins, strings.ToLower(o))
	}
	for _, o := range extra {
		if err := CheckOrigin(o); err != nil {
			return nil, err
		}
		p.origins = append(p.origins, strings.ToLower(o))
	}
	return p, nil
}

// CheckOrigin accepts what API Gateway accepts in AllowOrigins: a web
// origin (scheme://host[:port], no path), "*", "http://*" or "https://*".
func CheckOrigin(o string) error {
	switch o {
	case "*", "http://*", "https://*":
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(o, "#") || strings.Contains(u.Host, "*") {
		return fmt.Errorf("devserver: allowed origin %q: want scheme://host[:port] (like http://localhost:5173), *, http://* or https://*", o)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("devserver: allowed origin %q: bad port", o)
		}
	}
	return nil
}

// allows reports whether origin may use the API.
func (p *corsPolicy) allows(origin string) bool {
	o := strings.ToLower(origin)
	for _, a := range p.origins {
		switch {
		case a == "*", a == o:
			return true
		case strings.HasSuffix(a, "://*") && strings.HasPrefix(o, strings.TrimSuffix(a, "*")):
			return true
		}
	}
	return false
}

// allowOrigin is the Access-Control-Allow-Origin value for an allowed
// origin: "*" when every origin is allowed without credentials (as API
// Gateway answers), else the origin itself.
func (p *corsPolicy) allowOrigin(origin string) string {
	for _, a := range p.origins {
		if a == "*" && !p.credentials {
			return "*"
		}
	}
	return origin
}

// withCORS applies p like API Gateway's CORS support: a preflight (OPTIONS
// with Origin and Access-Control-Request-Method) is answered 204 by the
// gateway itself, with the allow headers only for an allowed origin; any
// other request from an allowed origin gets Access-Control-Allow-Origin
// and the exposed headers, from any other origin no CORS headers, so the
// browser refuses it. Answers vary by Origin, which shared caches must
// know (the status page is cacheable). A nil policy adds nothing.
func withCORS(p *corsPolicy, next http.Handler) http.Handler {
	if p == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		preflight := r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != ""
		allowed := origin != "" && p.allows(origin)
		if allowed {
			h.Set("Access-Control-Allow-Origin", p.allowOrigin(origin))
			if p.credentials {
				h.Set("Access-Control-Allow-Credentials", "true")
			}
		}
		if preflight {
			if allowed {
				setIf(h, "Access-Control-Allow-Methods", p.methods)
				setIf(h, "Access-Control-Allow-Headers", p.headers)
				setIf(h, "Access-Control-Max-Age", p.maxAge)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if allowed {
			setIf(h, "Access-Control-Expose-Headers", p.expose)
		}
		next.ServeHTTP(w, r)
	})
}

func setIf(h http.Header, name, value string) {
	if value != "" {
		h.Set(name, value)
	}
}
