package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
)

// IdempotencyStore remembers the outcome of requests made with an
// Idempotency-Key; shared/dynamo implements it.
type IdempotencyStore interface {
	BeginIdempotent(ctx context.Context, scope, key, fingerprint string, now time.Time) (*dynamo.SavedResponse, bool, error)
	CompleteIdempotent(ctx context.Context, scope, key string, r *dynamo.SavedResponse) error
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
	sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.RequestURI()+"\n"), raw...))
	saved, found, err := api.Idempotency.BeginIdempotent(ctx, scope, key, hex.EncodeToString(sum[:]), api.now())
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
	resp := &dynamo.SavedResponse{Status: rec.status, ContentType: rec.header.Get("Content-Type"), Location: rec.header.Get("Location"), Body: rec.body.String()}
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

func writeSaved(w http.ResponseWriter, s *dynamo.SavedResponse, replayed bool) {
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
