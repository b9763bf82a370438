package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// memIdempotency is an in-memory IdempotencyStore that records every
// fingerprint it is given.
type memIdempotency struct {
	mu    sync.Mutex
	fps   map[string]string
	saved map[string]*clientzone.SavedResponse
	seen  []string
}

func (m *memIdempotency) BeginIdempotent(_ context.Context, scope, key, fp string, _ time.Time) (*clientzone.SavedResponse, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen = append(m.seen, fp)
	k := scope + "#" + key
	if old, ok := m.fps[k]; ok {
		if old != fp {
			return nil, false, clientzone.Errorf(clientzone.ECONFLICT, "This Idempotency-Key was already used for a different request.")
		}
		return m.saved[k], true, nil
	}
	m.fps[k] = fp
	return nil, false, nil
}

func (m *memIdempotency) CompleteIdempotent(_ context.Context, scope, key string, r *clientzone.SavedResponse) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saved[scope+"#"+key] = r
	return nil
}

func (m *memIdempotency) AbortIdempotent(_ context.Context, scope, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.fps, scope+"#"+key)
	return nil
}

type tPinRequest struct {
	Tariff string `json:"tariff" validate:"required"`
	PIN    string `json:"pin"`
	Nested struct {
		Password string `json:"currentPassword"`
		Note     string `json:"note"`
	} `json:"nested"`
}

type tPinResponse struct {
	N int `json:"n"`
}

func TestIdempotencyFingerprintHidesPIN(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	store := &memIdempotency{fps: map[string]string{}, saved: map[string]*clientzone.SavedResponse{}}
	api.Idempotency = store
	var calls int
	h := Handle(api, Endpoint[tPinRequest, tPinResponse]{
		Route: "POST /v1/tariff-change", Access: Public, Idempotent: true,
		Exec: func(_ context.Context, r *tPinRequest) (*tPinResponse, error) {
			calls++
			return &tPinResponse{N: calls}, nil
		},
	})
	post := func(body, key string) (int, string, string) {
		w := call(h, http.MethodPost, "/v1/tariff-change", body, "Content-Type", "application/json", IdempotencyKeyHeader, key)
		return w.Code, strings.TrimSpace(w.Body.String()), w.Header().Get("Idempotent-Replayed")
	}

	body1 := `{"tariff":"FIBER-500","pin":"1234","nested":{"currentPassword":"Hunter-2-secret","note":"x"}}`
	if code, body, _ := post(body1, "key-00000001"); code != 200 || body != `{"n":1}` {
		t.Fatalf("first call: %d %s", code, body)
	}
	// Same request with another PIN, another password and other key order
	// and spacing: same fingerprint, so the saved outcome is replayed.
	body2 := `{ "nested":{"note":"x","currentPassword":"other"}, "pin":"9876", "tariff":"FIBER-500"}`
	if code, body, replayed := post(body2, "key-00000001"); code != 200 || body != `{"n":1}` || replayed != "true" {
		t.Fatalf("retry with another PIN: %d %s replayed=%q", code, body, replayed)
	}
	// A different request with the key is still a conflict.
	if code, body, _ := post(`{"tariff":"FIBER-1000","pin":"1234"}`, "key-00000001"); code != http.StatusConflict {
		t.Fatalf("different tariff with the same key: %d %s", code, body)
	}
	if calls != 1 {
		t.Fatalf("Exec ran %d times, want 1", calls)
	}
	if len(store.seen) != 3 || store.seen[0] != store.seen[1] || store.seen[0] == store.seen[2] {
		t.Fatalf("fingerprints = %q: want the first two equal and the third different", store.seen)
	}

	// The stored fingerprint cannot be matched by guessing the PIN: no
	// candidate PIN (nor password) reproduces it, neither with the raw body
	// nor with the body hashed the old way.
	fp := store.seen[0]
	if _, err := hex.DecodeString(fp); err != nil || len(fp) != 64 {
		t.Fatalf("fingerprint %q is not an opaque hash", fp)
	}
	for pin := 0; pin < 10000; pin++ {
		guess := strings.Replace(body1, `"1234"`, fmt.Sprintf("%q", fmt.Sprintf("%04d", pin)), 1)
		sum := sha256.Sum256([]byte("POST /v1/tariff-change\n" + guess))
		if hex.EncodeToString(sum[:]) == fp {
			t.Fatalf("PIN %04d reproduces the stored fingerprint", pin)
		}
		if pin%1000 == 0 {
			if requestFingerprint("POST", "/v1/tariff-change", []byte(guess)) != fp {
				t.Fatalf("PIN %04d changes the fingerprint", pin)
			}
		}
	}
	// The fingerprint equals the hash of the body without its secrets.
	want := sha256.Sum256([]byte("POST /v1/tariff-change\n" + `{"nested":{"note":"x"},"tariff":"FIBER-500"}`))
	if fp != hex.EncodeToString(want[:]) {
		t.Fatalf("fingerprint is not the hash of the canonical body without secrets")
	}
}

func TestSecretField(t *testing.T) {
	t.Parallel()
	for _, n := range []string{"pin", "PIN", "newPin", "current_pin", "password", "currentPassword", "newPassword", "code", "otp", "token", "refreshToken", "clientSecret"} {
		if !secretField(n) {
			t.Errorf("secretField(%q) = false, want true", n)
		}
	}
	for _, n := range []string{"tariff", "amount", "currency", "countryCode", "shipping", "note", "effectiveFrom"} {
		if secretField(n) {
			t.Errorf("secretField(%q) = true, want false", n)
		}
	}
}
