package s3local

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clientzone/clientzone/infra/local/sigv4local"
)

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
	secret, ok := sigv4local.SecretOf(ak)
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
	payload := q.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = "UNSIGNED-PAYLOAD"
	}
	sig := sigv4local.Signed{Secret: secret, Scope: scope, AmzDate: amzDate, SignedHeaders: signed, PayloadHash: payload,
		Query: query, Signature: q.Get("X-Amz-Signature")}
	if !sig.Matches(r) {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
	}
	return "", ""
}

func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, msg)
}
