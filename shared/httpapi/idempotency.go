package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// IdempotencyStore remembers the outcome of requests made with an
// Idempotency-Key; shared/dynamo implements it.
type IdempotencyStore interface {
	BeginIdempotent(ctx context.Context, scope, key, fingerprint string, now time.Time) (*clientzone.SavedResponse, bool, error)
	CompleteIdempotent(ctx context.Context, scope, key string, r *clientzone.SavedResponse) error
	AbortIdempotent(ctx context.Context, scope, key string) error
}

// IdempotencyKeyHeader names the header that makes a POST safe to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

func validIdempotencyKey(k string) bool {
	if len(k) < 8 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// recorder buffers a response so it can be saved before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}

// idempotent runs respond at most once per (customer, route, key): a retry
// with the same key and the same request gets the saved response (with
// Idempotent-Replayed: true), a different request with the key is a
// conflict, and a server error releases the key for another try.
func idempotent(api *API, w http.ResponseWriter, r *http.Request, route string, raw []byte, respond func(http.ResponseWriter)) error {
	ctx := r.Context()
	key := r.Header.Get(IdempotencyKeyHeader)
	if !validIdempotencyKey(key) {
		return &clientzone.Error{Code: clientzone.EINVALID, Message: "Send an Idempotency-Key header with this request.",
			Fields: []clientzone.FieldError{{Field: IdempotencyKeyHeader, Code: "required", Message: "Use 8 to 255 visible ASCII characters, e.g. a UUID."}}}
	}
	if api.Idempotency == nil {
		return clientzone.Errorf(clientzone.EINTERNAL, "httpapi: %s is idempotent but API.Idempotency is not set", route)
	}
	scope := route
	if p, ok := clientzone.PrincipalFrom(ctx); ok {
		scope = p.Person.CustomerID + "#" + route
	}
	saved, found, err := api.Idempotency.BeginIdempotent(ctx, scope, key, requestFingerprint(r.Method, r.URL.RequestURI(), raw), api.now())
	if err != nil {
		return err
	}
	if found {
		writeSaved(w, saved, true)
		return nil
	}
	rec := &recorder{header: http.Header{}}
	respond(rec)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	resp := &clientzone.SavedResponse{Status: rec.status, ContentType: rec.header.Get("Content-Type"), Location: rec.header.Get("Location"), Body: rec.body.String()}
	if rec.status >= 500 {
		if err := api.Idempotency.AbortIdempotent(ctx, scope, key); err != nil {
			Logger(ctx).ErrorContext(ctx, "releasing idempotency key", "err", err)
		}
	} else if err := api.Idempotency.CompleteIdempotent(ctx, scope, key, resp); err != nil {
		// The change happened; only the replay record is missing. Say so in
		// the logs and still answer with the real outcome.
		Logger(ctx).ErrorContext(ctx, "saving idempotent response", "err", err)
	}
	for k, vs := range rec.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
	return nil
}

// requestFingerprint identifies a request for Idempotency-Key conflict
// checks. The fingerprint is stored in the table, so it must not reveal
// secrets: a hash over a body with a 4-digit PIN could be brute-forced back
// to the PIN. A JSON body is therefore hashed without its secret fields
// (see secretField) and re-encoded canonically (sorted keys, no
// insignificant white space). No secret shared by every function exists to
// key an HMAC with (the token signing key lives only in the token issuers),
// and none is needed once the secrets are gone.
//
// Consequence: a retry with the same key and body but a different PIN (or
// password) replays the first outcome instead of being a conflict. That is
// intended: the PIN only authorises the request, it is not part of what is
// requested, and a replay reveals nothing the first response did not.
func requestFingerprint(method, requestURI string, raw []byte) string {
	body := raw
	if len(bytes.TrimSpace(raw)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err == nil {
			if b, err := json.Marshal(withoutSecrets(v)); err == nil {
				body = b
			}
		} else {
			// Not JSON (the endpoint would have refused it): hash nothing
			// of it rather than something that might hold a secret.
			body = nil
		}
	}
	sum := sha256.Sum256(append([]byte(method+" "+requestURI+"\n"), body...))
	return hex.EncodeToString(sum[:])
}

// withoutSecrets returns v (decoded JSON) with every object member whose
// name is a secret removed, at any depth.
func withoutSecrets(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if !secretField(k) {
				out[k] = withoutSecrets(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = withoutSecrets(e)
		}
		return out
	}
	return v
}

// secretField reports whether a JSON member name looks like a secret: pin,
// newPin, password, currentPassword, code, otp, token, accessToken, secret...
func secretField(name string) bool {
	n := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(name))
	switch {
	case n == "pin" || n == "code" || n == "otp" || n == "cvc" || n == "cvv":
		return true
	case strings.HasSuffix(n, "pin") || strings.HasSuffix(n, "passcode") || strings.HasSuffix(n, "otp"):
		return true
	case strings.Contains(n, "password") || strings.Contains(n, "secret") || strings.Contains(n, "token"):
		return true
	}
	return false
}

func writeSaved(w http.ResponseWriter, s *clientzone.SavedResponse, replayed bool) {
	h := w.Header()
	if s.ContentType != "" {
		h.Set("Content-Type", s.ContentType)
	}
	if s.Location != "" {
		h.Set("Location", s.Location)
	}
	h.Set("Cache-Control", "no-store")
	if replayed {
		h.Set("Idempotent-Replayed", "true")
	}
	w.WriteHeader(s.Status)
	_, _ = w.Write([]byte(s.Body))
}

func (api *API) now() time.Time {
	if api.Clock != nil {
		return api.Clock.Now()
	}
	return time.Now().UTC()
}
