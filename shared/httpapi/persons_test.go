package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type createdThing struct {
	ID string `json:"id"`
}

type createThingRequest struct {
	ID string `json:"id" validate:"required"`
}

// Endpoint.Headers adds headers computed from a successful response, and
// nothing on errors.
func TestEndpointHeadersFromResponse(t *testing.T) {
	t.Parallel()
	api := &API{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := Handle(api, Endpoint[createThingRequest, createdThing]{
		Route:  "POST /v1/things",
		Access: Public,
		Status: http.StatusCreated,
		Exec: func(_ context.Context, r *createThingRequest) (*createdThing, error) {
			if r.ID == "taken" {
				return nil, clientzone.Errorf(clientzone.ECONFLICT, "Internal error.")
			}
			return &createdThing{ID: r.ID}, nil
		},
		Headers: func(c *createdThing) http.Header {
			return http.Header{"Location": {"/v1/things/" + c.ID}, "Content-Type": {"text/plain"}}
		},
	})
	send := func(body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/v1/things", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := send(`{"id":"abc"}`)
	if w.Code != 201 || w.Header().Get("Location") != "/v1/things/abc" || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("created: %d %v", w.Code, w.Header())
	}
	for _, body := range []string{`{"id":"taken"}`, `{}`} {
		if w := send(body); w.Code == 201 || w.Header().Get("Location") != "" {
			t.Errorf("%s: %d, Location %q", body, w.Code, w.Header().Get("Location"))
		}
	}
}

// The messages of persons management produced outside this package (use
// case and store) are translated too.
func TestPersonsMessagesAreTranslated(t *testing.T) {
	t.Parallel()
	var msgs []string
	for _, err := range []error{account.LoginTakenError(clientzone.LoginEmail, "email"), account.LoginTakenError(clientzone.LoginUsername, "username")} {
		e := err.(*clientzone.Error)
		msgs = append(msgs, e.Message, e.Fields[0].Message)
	}
	msgs = append(msgs, account.PersonsMessages...)
	for _, m := range msgs {
		if _, ok := catalog()[m]; !ok {
			t.Errorf("%q is not in the catalog", m)
		}
	}
}
