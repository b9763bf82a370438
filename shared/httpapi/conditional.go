package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// Conditional GET (RFC 9110 §13.1.2 If-None-Match, §15.4.5 304 Not
// Modified) for endpoints whose answers carry an ETag (Endpoint.ETag, or
// an ETag set by Endpoint.Headers): a client or cache revalidating what it
// holds gets an empty 304 instead of the body again.

// etagOf is the strong entity tag of a body: a hash of its exact bytes, so
// two answers share a tag only when they are byte for byte the same.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// notModified reports whether r is a GET or HEAD whose If-None-Match
// matches etag. Other methods never get a 304 (RFC 9110 §13.1.2 asks 412
// of them, which no endpoint here needs).
func notModified(r *http.Request, etag string) bool {
	if etag == "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	vals := r.Header.Values("If-None-Match")
	if len(vals) == 0 {
		return false
	}
	return noneMatchHit(strings.Join(vals, ","), etag)
}

// noneMatchHit evaluates an If-None-Match field value against the current
// representation's etag: "*" matches any representation; otherwise the
// value is a comma-separated list of entity tags, and one equal to etag
// under the weak comparison (the W/ prefix ignored on both) matches. A
// malformed list stops matching where it breaks, so the full answer is
// sent.
func noneMatchHit(value, etag string) bool {
	if strings.TrimSpace(value) == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	for {
		value = strings.TrimLeft(value, " \t,")
		if value == "" {
			return false
		}
		tag, rest, ok := scanETag(value)
		if !ok {
			return false
		}
		if strings.TrimPrefix(tag, "W/") == want {
			return true
		}
		value = rest
	}
}

// scanETag reads one entity-tag (RFC 9110 §8.8.3: an optional W/ and a
// quoted string of etagc characters) from the start of s.
func scanETag(s string) (tag, rest string, ok bool) {
	start := 0
	if strings.HasPrefix(s, "W/") {
		start = 2
	}
	if len(s) <= start || s[start] != '"' {
		return "", "", false
	}
	for i := start + 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return s[:i+1], s[i+1:], true
		case c == 0x21, c >= 0x23 && c <= 0x7e, c >= 0x80:
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// writeNotModified answers 304 with the headers already set for the 200
// (ETag, Cache-Control, Vary, X-Request-Id) but without the body and the
// headers describing it.
func writeNotModified(w http.ResponseWriter) {
	h := w.Header()
	h.Del("Content-Type")
	h.Del("Content-Length")
	h.Del("Content-Disposition")
	w.WriteHeader(http.StatusNotModified)
}
