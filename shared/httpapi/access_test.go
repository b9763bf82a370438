package httpapi

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/token"
)

// tPersons is an in-memory person store keyed by "cid/pid".
type tPersons map[string]*clientzone.Person

func (f tPersons) Person(_ context.Context, cid, pid string) (*clientzone.Person, error) {
	p, ok := f[cid+"/"+pid]
	if !ok {
		return nil, clientzone.NotFound("Person")
	}
	cp := *p
	return &cp, nil
}

type tWhoResponse struct {
	PersonID  string `json:"personId"`
	SessionID string `json:"sessionId"`
}

func tWhoExec(ctx context.Context, _ *struct{}) (*tWhoResponse, error) {
	p := PrincipalOf(ctx)
	return &tWhoResponse{PersonID: p.Person.ID, SessionID: p.SessionID}, nil
}

func TestAccessRules(t *testing.T) {
	t.Parallel()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer := token.NewSigner(priv, "iss", "aud", 15*time.Minute)
	// Key rotation: the verifier also holds the previous key; a stray key
	// it does not hold signs tokens too.
	prevPub, prevPriv, _ := ed25519.GenerateKey(rand.Reader)
	_, strayPriv, _ := ed25519.GenerateKey(rand.Reader)
	store := tPersons{}
	add := func(id string, role clientzone.Role, mutate func(*clientzone.Person), rights ...clientzone.Right) *clientzone.Person {
		p := &clientzone.Person{ID: id, CustomerID: "C1", Role: role, Rights: rights, TokenVersion: 2}
		if mutate != nil {
			mutate(p)
		}
		store["C1/"+id] = p
		return p
	}
	admin := add("admin", clientzone.RoleAdmin, nil)
	billing := add("billing", clientzone.RoleRegular, nil, clientzone.RightInvoices)
	tech := add("tech", clientzone.RoleRegular, nil, clientzone.RightCalls, clientzone.RightTraffic)
	pending := add("pending", clientzone.RoleRegular, func(p *clientzone.Person) { p.MustChangePassword = true }, clientzone.RightInvoices)
	disabled := add("disabled", clientzone.RoleAdmin, func(p *clientzone.Person) { p.Disabled = true })

	tokBy := func(s *token.Signer, p *clientzone.Person, version int) string {
		raw, _, err := s.Sign(time.Now(), p.ID, p.CustomerID, "S-"+p.ID, version)
		if err != nil {
			t.Fatal(err)
		}
		return "Bearer " + raw
	}
	tok := func(p *clientzone.Person, version int) string { return tokBy(signer, p, version) }
	ghost := &clientzone.Person{ID: "ghost", CustomerID: "C1"}

	api, logs := newTestAPI()
	api.Auth = &account.Authenticator{Verifier: token.NewVerifier("iss", "aud", pub, prevPub), Store: store}
	handlers := map[string]Handler{
		"invoices": Handle(api, Endpoint[struct{}, tWhoResponse]{Route: "GET /v1/invoices", Access: Needs(clientzone.RightInvoices), Exec: tWhoExec}),
		"admin":    Handle(api, Endpoint[struct{}, tWhoResponse]{Route: "GET /v1/persons", Access: AdminOnly, Exec: tWhoExec}),
		"me":       Handle(api, Endpoint[struct{}, tWhoResponse]{Route: "GET /v1/me", Access: AnyPerson.DuringPasswordChange(), Exec: tWhoExec}),
		"any":      Handle(api, Endpoint[struct{}, tWhoResponse]{Route: "GET /v1/any", Access: AnyPerson, Exec: tWhoExec}),
	}
	paths := map[string]string{"invoices": "/v1/invoices", "admin": "/v1/persons", "me": "/v1/me", "any": "/v1/any"}

	tests := []struct {
		name     string
		endpoint string
		auth     string
		wantCode string // "" for 200
	}{
		{"no token", "invoices", "", clientzone.EUNAUTHENTICATED},
		{"basic auth", "invoices", "Basic YTpi", clientzone.EUNAUTHENTICATED},
		{"bearer without token", "invoices", "Bearer ", clientzone.EUNAUTHENTICATED},
		{"garbage token", "invoices", "Bearer abc.def.ghi", clientzone.EUNAUTHENTICATED},
		{"right held", "invoices", tok(billing, 2), ""},
		{"lower-case scheme", "invoices", "bearer" + tok(billing, 2)[len("Bearer"):], ""},
		{"right missing", "invoices", tok(tech, 2), clientzone.EFORBIDDEN},
		{"admin holds every right", "invoices", tok(admin, 2), ""},
		{"admin-only as regular", "admin", tok(billing, 2), clientzone.EFORBIDDEN},
		{"admin-only as admin", "admin", tok(admin, 2), ""},
		{"any person", "any", tok(tech, 2), ""},
		{"password change pending", "invoices", tok(pending, 2), clientzone.EPASSWORDCHANGE},
		{"password change pending, any person", "any", tok(pending, 2), clientzone.EPASSWORDCHANGE},
		{"password change pending, allowed route", "me", tok(pending, 2), ""},
		{"disabled person", "me", tok(disabled, 2), clientzone.EUNAUTHENTICATED},
		{"old token version", "me", tok(billing, 1), clientzone.EUNAUTHENTICATED},
		{"unknown person", "me", tok(ghost, 0), clientzone.EUNAUTHENTICATED},
		{"signed with the previous key", "invoices", tokBy(token.NewSigner(prevPriv, "iss", "aud", time.Minute), billing, 2), ""},
		{"signed with an unknown key", "invoices", tokBy(token.NewSigner(strayPriv, "iss", "aud", time.Minute), admin, 2), clientzone.EUNAUTHENTICATED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			if tt.auth != "" {
				headers = []string{"Authorization", tt.auth}
			}
			w := call(handlers[tt.endpoint], "GET", paths[tt.endpoint], "", headers...)
			if tt.wantCode == "" {
				if w.Code != http.StatusOK {
					t.Fatalf("status = %d; body %s", w.Code, w.Body)
				}
				var got tWhoResponse
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.PersonID == "" || got.SessionID != "S-"+got.PersonID {
					t.Fatalf("body %s (%v)", w.Body, err)
				}
				return
			}
			problemOf(t, w, StatusOf(tt.wantCode), tt.wantCode)
			if w.Code == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") != `Bearer realm="clientzone"` {
				t.Fatalf("WWW-Authenticate = %q", w.Header().Get("WWW-Authenticate"))
			}
		})
	}

	t.Run("access log names the person", func(t *testing.T) {
		before := len(logs.find(t, "INFO", "request"))
		call(handlers["invoices"], "GET", "/v1/invoices", "", "Authorization", tok(billing, 2))
		access := logs.find(t, "INFO", "request")
		if len(access) != before+1 {
			t.Fatalf("access log lines: %d, want %d", len(access), before+1)
		}
		last := access[len(access)-1]
		if last["personId"] != "billing" || last["customerId"] != "C1" {
			t.Fatalf("access log = %v", last)
		}
	})
}
