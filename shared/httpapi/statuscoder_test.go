package httpapi

import (
	"context"
	"net/http"
	"testing"
)

type tUpsertRequest struct {
	ID string `path:"id"`
}

type tUpserted struct {
	ID      string `json:"id"`
	created bool
}

func (u *tUpserted) StatusCode() int {
	if u.created {
		return http.StatusCreated
	}
	return 0 // the endpoint's Status
}

func TestStatusCoderChoosesStatus(t *testing.T) {
	t.Parallel()
	api, logs := newTestAPI()
	seen := map[string]bool{}
	h := Handle(api, Endpoint[tUpsertRequest, tUpserted]{
		Route: "PUT /v1/things/{id}", Access: Public, Status: http.StatusAccepted,
		Exec: func(_ context.Context, r *tUpsertRequest) (*tUpserted, error) {
			created := !seen[r.ID]
			seen[r.ID] = true
			return &tUpserted{ID: r.ID, created: created}, nil
		},
	})
	for i, want := range []int{http.StatusCreated, http.StatusAccepted} {
		w := call(h, http.MethodPut, "/v1/things/a", "")
		if w.Code != want || w.Body.String() != "{\"id\":\"a\"}\n" {
			t.Fatalf("call %d: %d %s, want %d", i, w.Code, w.Body, want)
		}
		access := logs.find(t, "INFO", "request")
		if len(access) != i+1 || access[i]["status"] != float64(want) {
			t.Fatalf("call %d: access log %v, want status %d", i, access, want)
		}
	}
}
