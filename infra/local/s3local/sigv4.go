package s3local

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
// stack (see app.New): presigned URLs signed with them are verified.
const (
	LocalAccessKey = "local"
	LocalSecretKey = "local"
)

// secretOf returns the secret key of an access key: the local one, or the
// one of the environment's credentials.
func secretOf(accessKey string) (string, bool) {
	if accessKey == LocalAccessKey {
		return LocalSecretKey, true
	}
	if ak := os.Getenv("AWS_ACCESS_KEY_ID"); ak != "" && ak == accessKey {
		return os.Getenv("AWS_SECRET_ACCESS_KEY"), true
	}
	return "", false
}

// verifyPresigned checks presigned (query-string SigV4) requests as S3
// does before handing them to next: the signature must match the method,
// path, query and signed headers (so a presigned PUT refuses another
// Content-Type or Content-Length, or a missing signed x-amz-tagging), every
// x-amz-* header sent must be signed (but x-amz-content-sha256), and the
// URL must not have expired. Requests signed in the Authorization header
// (the SDK's own calls) and CORS preflights (OPTIONS, which S3 answers
// unsigned) pass unchecked.
func verifyPresigned(next http.Handler, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("X-Amz-Signature") == "" || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		if code, msg := checkPresigned(r, q, now()); code != "" {
			s3Error(w, http.StatusForbidden, code, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func checkPresigned(r *http.Request, q url.Values, now time.Time) (code, msg string) {
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		return "AuthorizationQueryParametersError", "X-Amz-Algorithm must be AWS4-HMAC-SHA256."
	}
	ak, scope, ok := strings.Cut(q.Get("X-Amz-Credential"), "/")
	if !ok || strings.Count(scope, "/") != 3 {
		return "AuthorizationQueryParametersError", "Malformed X-Amz-Credential."
	}
	secret, ok := secretOf(ak)
	if !ok {
		return "InvalidAccessKeyId", "The access key does not exist."
	}
	amzDate := q.Get("X-Amz-Date")
	signedAt, err := time.Parse("20060102T150405Z", amzDate)
	expires, err2 := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || err2 != nil || expires <= 0 || expires > 7*24*3600 {
		return "AuthorizationQueryParametersError", "Malformed X-Amz-Date or X-Amz-Expires."
	}
	if now.After(signedAt.Add(time.Duration(expires) * time.Second)) {
		return "AccessDenied", "Request has expired."
	}

	query := url.Values{}
	for k, vs := range q {
		if k != "X-Amz-Signature" {
			query[k] = vs
		}
	}
	var headers strings.Builder
	signed := strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	var unsigned []string
	for h := range r.Header {
		if h = strings.ToLower(h); strings.HasPrefix(h, "x-amz-") && h != "x-amz-content-sha256" && !slices.Contains(signed, h) {
			unsigned = append(unsigned, h)
		}
	}
	if len(unsigned) > 0 {
		sort.Strings(unsigned)
		return "AccessDenied", "There were headers present in the request which were not signed: " + strings.Join(unsigned, ", ") + "."
	}
	for _, h := range signed {
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
	payload := q.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = "UNSIGNED-PAYLOAD"
	}
	canonical := strings.Join([]string{
		r.Method, r.URL.EscapedPath(), canonicalQuery(query), headers.String(), strings.Join(signed, ";"), payload,
	}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])

	parts := strings.Split(scope, "/") // date/region/service/aws4_request
	key := []byte("AWS4" + secret)
	for _, p := range parts {
		key = hmacSHA256(key, p)
	}
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(q.Get("X-Amz-Signature"))) {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
	}
	return "", ""
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalQuery is the SigV4 canonical query string: keys and values
// percent-encoded (RFC 3986), sorted by key then value.
func canonicalQuery(v url.Values) string {
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

func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, msg)
}
