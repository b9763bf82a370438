//lint:file-ignore ST1005 the error texts are S3's own messages, returned to clients verbatim as S3 does

package s3local

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/johannesboyne/gofakes3"
)

// tagStore adds object tagging, which gofakes3 lacks, in front of it: the
// tags of PutObject's x-amz-tagging header (URL-encoded "k=v&k2=v2"),
// GetObjectTagging (GET ?tagging), PutObjectTagging (PUT ?tagging),
// DeleteObjectTagging (DELETE ?tagging, 204) and x-amz-tagging-count on
// GET and HEAD, as S3 does. A copy keeps the source's tags unless
// x-amz-tagging-directive is REPLACE; tags on multipart uploads are not
// supported (501). Tags of an object deleted by DeleteObjects linger
// unseen: every read checks that the object exists, and a new upload
// replaces them.
type tagStore struct {
	backend gofakes3.Backend
	mu      sync.Mutex
	tags    map[string]map[string]string // bucket/key → tags
}

func newTagStore(backend gofakes3.Backend) *tagStore {
	return &tagStore{backend: backend, tags: map[string]map[string]string{}}
}

func (ts *tagStore) set(id string, tags map[string]string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(tags) == 0 {
		delete(ts.tags, id)
		return
	}
	ts.tags[id] = tags
}

func (ts *tagStore) get(id string) map[string]string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.tags[id]
}

// handler serves the tagging requests and keeps the tags of the object
// requests that next serves.
func (ts *tagStore) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bucket, object, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		q := r.URL.Query()
		_, tagReq := q["tagging"]
		switch {
		case object == "" && tagReq:
			s3Error(w, http.StatusNotImplemented, "NotImplemented", "s3local: bucket tagging is not supported.")
			return
		case object == "":
			next.ServeHTTP(w, r)
			return
		case tagReq:
			ts.serveTagging(w, r, bucket, object)
			return
		}
		id := bucket + "/" + object
		_, multipart := q["uploads"]
		switch {
		case r.Method == http.MethodPost && multipart && r.Header.Get("x-amz-tagging") != "":
			s3Error(w, http.StatusNotImplemented, "NotImplemented", "s3local: tags on multipart uploads are not supported.")
		case r.Method == http.MethodPut && q.Get("uploadId") == "":
			ts.put(w, r, next, id)
		case r.Method == http.MethodPost && q.Get("uploadId") != "", r.Method == http.MethodDelete:
			// CompleteMultipartUpload writes an untagged object.
			if rec := record(w, r, next); rec.ok() {
				ts.set(id, nil)
			}
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			if n := len(ts.get(id)); n > 0 {
				w.Header().Set("x-amz-tagging-count", strconv.Itoa(n))
			}
			next.ServeHTTP(w, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// put is PutObject or CopyObject: on success the object's tags are those
// of the x-amz-tagging header (or a copy's source, by default).
func (ts *tagStore) put(w http.ResponseWriter, r *http.Request, next http.Handler, id string) {
	tags, err := parseTagging(r.Header.Get("x-amz-tagging"))
	if err != nil {
		s3Error(w, http.StatusBadRequest, "InvalidTag", err.Error())
		return
	}
	if src := r.Header.Get("x-amz-copy-source"); src != "" && !strings.EqualFold(r.Header.Get("x-amz-tagging-directive"), "REPLACE") {
		src, _, _ = strings.Cut(src, "?") // versionId
		if p, err := url.PathUnescape(src); err == nil {
			src = p
		}
		tags = ts.get(strings.TrimPrefix(src, "/"))
	}
	// gofakes3 would keep x-amz-* headers as metadata and answer them on
	// GET; S3 does not (the signature was checked already).
	r.Header.Del("x-amz-tagging")
	r.Header.Del("x-amz-tagging-directive")
	if rec := record(w, r, next); rec.ok() {
		ts.set(id, tags)
	}
}

// tagging is the XML of GetObjectTagging and PutObjectTagging.
type tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	TagSet  []tag    `xml:"TagSet>Tag"`
}

// tag is one tag of a tagging.
type tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func (ts *tagStore) serveTagging(w http.ResponseWriter, r *http.Request, bucket, object string) {
	if _, err := ts.backend.HeadObject(bucket, object); err != nil {
		var ge interface{ ErrorCode() gofakes3.ErrorCode }
		if errors.As(err, &ge) {
			code := ge.ErrorCode()
			s3Error(w, code.Status(), string(code), code.Message())
			return
		}
		s3Error(w, http.StatusInternalServerError, "InternalError", err.Error())
		return
	}
	id := bucket + "/" + object
	switch r.Method {
	case http.MethodGet:
		out := tagging{Xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", TagSet: []tag{}}
		tags := ts.get(id)
		for _, k := range sortedKeys(tags) {
			out.TagSet = append(out.TagSet, tag{Key: k, Value: tags[k]})
		}
		body, err := xml.Marshal(out)
		if err != nil {
			s3Error(w, http.StatusInternalServerError, "InternalError", err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, "%s%s", xml.Header, body)
	case http.MethodPut:
		var in tagging
		if err := xml.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&in); err != nil {
			s3Error(w, http.StatusBadRequest, "MalformedXML", "The XML you provided was not well-formed.")
			return
		}
		tags := map[string]string{}
		for _, t := range in.TagSet {
			if _, dup := tags[t.Key]; dup {
				s3Error(w, http.StatusBadRequest, "InvalidTag", "Cannot provide multiple Tags with the same key.")
				return
			}
			tags[t.Key] = t.Value
		}
		if err := checkTags(tags); err != nil {
			s3Error(w, http.StatusBadRequest, "InvalidTag", err.Error())
			return
		}
		ts.set(id, tags)
		w.WriteHeader(http.StatusOK)
	case http.MethodDelete:
		ts.set(id, nil)
		w.WriteHeader(http.StatusNoContent)
	default:
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	}
}

// parseTagging reads an x-amz-tagging header: URL-encoded "k=v&k2=v2".
func parseTagging(h string) (map[string]string, error) {
	if h == "" {
		return nil, nil
	}
	v, err := url.ParseQuery(h)
	if err != nil {
		return nil, errors.New("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	}
	tags := map[string]string{}
	for k, vs := range v {
		if len(vs) != 1 {
			return nil, errors.New("Cannot provide multiple Tags with the same key.")
		}
		tags[k] = vs[0]
	}
	return tags, checkTags(tags)
}

// checkTags applies S3's limits: at most 10 tags, keys of 1 to 128 and
// values of up to 256 characters, no "aws:" keys.
func checkTags(tags map[string]string) error {
	if len(tags) > 10 {
		return errors.New("Object tags cannot be greater than 10.")
	}
	for k, v := range tags {
		switch {
		case k == "" || utf8.RuneCountInString(k) > 128:
			return errors.New("The TagKey you have provided is invalid.")
		case utf8.RuneCountInString(v) > 256:
			return errors.New("The TagValue you have provided is invalid.")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return errors.New("Your TagKey cannot be prefixed with aws:")
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// recorder remembers the status next answered with.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) ok() bool { return r.status == 0 || r.status/100 == 2 }

func record(w http.ResponseWriter, r *http.Request, next http.Handler) *recorder {
	rec := &recorder{ResponseWriter: w}
	next.ServeHTTP(rec, r)
	return rec
}
