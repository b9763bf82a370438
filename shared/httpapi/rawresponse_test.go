package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

type tRawRequest struct {
	Format string `query:"format"`
	Empty  bool   `query:"empty"`
}

// tRawResponse is JSON unless CSV was asked for.
type tRawResponse struct {
	Rows int `json:"rows"`
	csv  []byte
}

func (r *tRawResponse) RawBody() (string, []byte, bool) {
	return "text/csv; charset=utf-8", r.csv, r.csv != nil
}

func tRawHandler(api *API) Handler {
	return Handle(api, Endpoint[tRawRequest, tRawResponse]{
		Route:  "GET /v1/export",
		Access: Public,
		Exec: func(_ context.Context, r *tRawRequest) (*tRawResponse, error) {
			switch {
			case r.Format == "csv" && r.Empty:
				return &tRawResponse{csv: []byte{}}, nil
			case r.Format == "csv":
				return &tRawResponse{Rows: 1, csv: []byte("a,b\n1,2\n")}, nil
			}
			return &tRawResponse{Rows: 1}, nil
		},
		Headers: func(r *tRawResponse) http.Header {
			if r.csv == nil {
				return nil
			}
			return http.Header{"Content-Disposition": {`attachment; filename="x.csv"`}}
		},
	})
}

func TestRawResponses(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	h := tRawHandler(api)

	w := call(h, "GET", "/v1/export?format=csv", "")
	if w.Code != 200 || w.Body.String() != "a,b\n1,2\n" || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		w.Header().Get("Content-Disposition") != `attachment; filename="x.csv"` || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("CSV: %d %v %q", w.Code, w.Header(), w.Body)
	}
	// An empty raw body stays raw (not JSON).
	w = call(h, "GET", "/v1/export?format=csv&empty=true", "")
	if w.Code != 200 || w.Body.Len() != 0 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Errorf("empty CSV: %d %v %q", w.Code, w.Header(), w.Body)
	}
	// Without a raw body the same type answers JSON.
	w = call(h, "GET", "/v1/export", "")
	if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"rows":1}` || w.Header().Get("Content-Type") != "application/json" ||
		w.Header().Get("Content-Disposition") != "" {
		t.Errorf("JSON: %d %v %q", w.Code, w.Header(), w.Body)
	}
}
