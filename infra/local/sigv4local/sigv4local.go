// Package sigv4local checks AWS Signature Version 4 on the local stand-ins
// of AWS services (s3local, secretslocal), as the real services do, so a
// client signing for the wrong service, region or key fails locally too.
// Only the local stack's static credentials (and those of the environment)
// are known.
package sigv4local

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LocalAccessKey and LocalSecretKey are the static credentials of the local
// stack (see app.New).
const (
	LocalAccessKey = "local"
	LocalSecretKey = "local"
)

// SecretOf returns the secret key of an access key: the local one, or the
// one of the environment's credentials.
func SecretOf(accessKey string) (string, bool) {
	if accessKey == LocalAccessKey {
		return LocalSecretKey, true
	}
	if ak := os.Getenv("AWS_ACCESS_KEY_ID"); ak != "" && ak == accessKey {
		return os.Getenv("AWS_SECRET_ACCESS_KEY"), true
	}
	return "", false
}

// Signed is what a request says about its own signature.
type Signed struct {
	Secret        string     // the secret key of the credential's access key
	Scope         string     // date/region/service/aws4_request
	AmzDate       string     // X-Amz-Date, 20060102T150405Z
	SignedHeaders []string   // lower-case, as listed
	PayloadHash   string     // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
	Query         url.Values // the query without X-Amz-Signature
	Signature     string
}

// Matches reports whether s.Signature is the SigV4 signature of r.
func (s Signed) Matches(r *http.Request) bool {
	var headers strings.Builder
	for _, h := range s.SignedHeaders {
		var v string
		switch h {
		case "host":
			v = r.Host
		case "content-length":
			v = strconv.FormatInt(r.ContentLength, 10)
		default:
			vals := r.Header.Values(h)
			for i := range vals {
				vals[i] = strings.Join(strings.Fields(vals[i]), " ")
			}
			v = strings.Join(vals, ",")
		}
		fmt.Fprintf(&headers, "%s:%s\n", h, v)
	}
	canonical := strings.Join([]string{
		r.Method, r.URL.EscapedPath(), CanonicalQuery(s.Query), headers.String(), strings.Join(s.SignedHeaders, ";"), s.PayloadHash,
	}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + s.AmzDate + "\n" + s.Scope + "\n" + hex.EncodeToString(sum[:])
	key := []byte("AWS4" + s.Secret)
	for _, p := range strings.Split(s.Scope, "/") {
		key = hmacSHA256(key, p)
	}
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	return hmac.Equal([]byte(want), []byte(s.Signature))
}

// Error is a refused signature: the AWS error code and message.
type Error struct{ Code, Message string }

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// CheckHeader checks a request signed in its Authorization header (what
// the SDK does for JSON and REST APIs) for service, with body the request
// body it read: the credential must be known, the scope's service must be
// service, every signed header present, the date within 15 minutes of now
// and the signature right. The codes are those of AWS's JSON services.
func CheckHeader(r *http.Request, body []byte, service string, now time.Time) *Error {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return &Error{"MissingAuthenticationTokenException", "Missing Authentication Token"}
	}
	fields := map[string]string{}
	for _, f := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
	}
	ak, scope, ok := strings.Cut(fields["Credential"], "/")
	parts := strings.Split(scope, "/")
	if !ok || len(parts) != 4 || parts[3] != "aws4_request" || fields["SignedHeaders"] == "" || fields["Signature"] == "" {
		return &Error{"IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature."}
	}
	secret, ok := SecretOf(ak)
	if !ok {
		return &Error{"UnrecognizedClientException", "The security token included in the request is invalid."}
	}
	if parts[2] != service {
		return &Error{"InvalidSignatureException", fmt.Sprintf("Credential should be scoped to correct service: '%s'.", service)}
	}
	amzDate := r.Header.Get("X-Amz-Date")
	at, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil || !strings.HasPrefix(amzDate, parts[0]) {
		return &Error{"IncompleteSignatureException", "X-Amz-Date is missing or does not match the credential scope."}
	}
	if d := now.Sub(at); d > 15*time.Minute || d < -15*time.Minute {
		return &Error{"InvalidSignatureException", "Signature expired: the request date is more than 15 minutes from the server's time."}
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !sort.StringsAreSorted(signed) || !slices.Contains(signed, "host") {
		return &Error{"IncompleteSignatureException", "SignedHeaders must be sorted and include host."}
	}
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != payload {
		return &Error{"InvalidSignatureException", "The provided x-amz-content-sha256 header does not match the body."}
	}
	s := Signed{Secret: secret, Scope: scope, AmzDate: amzDate, SignedHeaders: signed, PayloadHash: payload,
		Query: r.URL.Query(), Signature: fields["Signature"]}
	if !s.Matches(r) {
		return &Error{"InvalidSignatureException", "The request signature we calculated does not match the signature you provided."}
	}
	return nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// CanonicalQuery is the SigV4 canonical query string: keys and values
// percent-encoded (RFC 3986), sorted by key then value.
func CanonicalQuery(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vals := append([]string(nil), v[k]...)
		sort.Strings(vals)
		for _, val := range vals {
			parts = append(parts, escape(k)+"="+escape(val))
		}
	}
	return strings.Join(parts, "&")
}

func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
