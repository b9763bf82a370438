package httpapi

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

var tULIDPattern = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{26}$`)

type tIDResponse struct {
	RequestID string `json:"requestId"`
	IP        string `json:"ip"`
	UserAgent string `json:"userAgent"`
}

func tIDHandler(api *API) Handler {
	return Handle(api, Endpoint[struct{}, tIDResponse]{
		Route:  "GET /v1/id",
		Access: Public,
		Exec: func(ctx context.Context, _ *struct{}) (*tIDResponse, error) {
			c := ClientFrom(ctx)
			Logger(ctx).InfoContext(ctx, "inside")
			return &tIDResponse{RequestID: RequestID(ctx), IP: c.IP, UserAgent: c.UserAgent}, nil
		},
	})
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		header   string
		honoured bool
	}{
		{"sane id", "abc-12345678", true},
		{"uuid", "3f2b8c1e-9d4a-4c2b-8f7e-1a2b3c4d5e6f", true},
		{"dots and colons", "trace:1.2.3.4", true},
		{"128 characters", strings.Repeat("a", 128), true},
		{"missing", "", false},
		{"contains spaces", "abc 12345678", false},
		{"too short", "abc1234", false},
		{"too long", strings.Repeat("a", 129), false},
		{"log injection", "abcdefgh\nlevel=ERROR", false},
		{"quotes", `abcdefgh"}`, false},
		{"non-ascii", "žluťoučký-kůň", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api, logs := newTestAPI()
			h := tIDHandler(api)
			r := newRequest("GET", "/v1/id")
			if tt.header != "" {
				r.Header["X-Request-Id"] = []string{tt.header}
			}
			w := serveReq(h, r)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			got := w.Header().Get("X-Request-Id")
			if tt.honoured {
				if got != tt.header {
					t.Fatalf("X-Request-Id = %q, want %q", got, tt.header)
				}
			} else if got == tt.header || !tULIDPattern.MatchString(got) {
				t.Fatalf("X-Request-Id = %q, want a fresh ULID instead of %q", got, tt.header)
			}
			if !strings.Contains(w.Body.String(), `"requestId":"`+got+`"`) {
				t.Fatalf("handler saw another id: %s (header %q)", w.Body, got)
			}
			// Every log line of the request carries the id.
			lines := logs.lines(t)
			if len(lines) != 2 {
				t.Fatalf("want 2 log lines (inside, access); got:\n%s", logs)
			}
			for _, l := range lines {
				if l["requestId"] != got {
					t.Fatalf("log line %v has requestId %v, want %q", l, l["requestId"], got)
				}
			}
		})
	}

	t.Run("two requests get different ids", func(t *testing.T) {
		api, _ := newTestAPI()
		h := tIDHandler(api)
		a := call(h, "GET", "/v1/id", "").Header().Get("X-Request-Id")
		b := call(h, "GET", "/v1/id", "").Header().Get("X-Request-Id")
		if a == b {
			t.Fatalf("both requests got id %q", a)
		}
	})
}

func TestClientInfoAndAccessLog(t *testing.T) {
	t.Parallel()
	api, logs := newTestAPI()
	h := tIDHandler(api)
	r := newRequest("GET", "/v1/id?x=secret-query")
	r.RemoteAddr = "198.51.100.7:54321"
	r.Header.Set("User-Agent", "ClientZone/1.0")
	r.Header.Set("Authorization", "Bearer secret-token")
	w := serveReq(h, r)
	if !strings.Contains(w.Body.String(), `"ip":"198.51.100.7"`) || !strings.Contains(w.Body.String(), `"userAgent":"ClientZone/1.0"`) {
		t.Fatalf("client = %s", w.Body)
	}
	access := logs.find(t, "INFO", "request")
	if len(access) != 1 {
		t.Fatalf("access log lines:\n%s", logs)
	}
	a := access[0]
	if a["method"] != "GET" || a["path"] != "/v1/id" || a["status"] != float64(200) || a["route"] != "GET /v1/id" {
		t.Fatalf("access log = %v", a)
	}
	if _, ok := a["durationMs"]; !ok {
		t.Fatalf("access log has no duration: %v", a)
	}
	if strings.Contains(logs.String(), "secret-token") {
		t.Fatalf("the Authorization header was logged:\n%s", logs)
	}
}

func TestBackOfficeAccess(t *testing.T) {
	t.Parallel()
	e := Endpoint[struct{}, tOKResponse]{
		Route: "GET /admin/v1/ping", Access: BackOffice,
		Exec: func(context.Context, *struct{}) (*tOKResponse, error) { return &tOKResponse{OK: true}, nil },
	}
	api, _ := newTestAPI()
	problemOf(t, call(Handle(api, e), "GET", "/admin/v1/ping", ""), http.StatusForbidden, clientzone.EFORBIDDEN)

	api.LocalBackOffice = true
	if w := call(Handle(api, e), "GET", "/admin/v1/ping", ""); w.Code != http.StatusOK {
		t.Fatalf("local back office: %d %s", w.Code, w.Body)
	}
	if !BackOffice.IsBackOffice() || !BackOffice.IsPublic() || Public.IsBackOffice() {
		t.Fatal("access flags")
	}
}
