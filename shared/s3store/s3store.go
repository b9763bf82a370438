// Package s3store keeps objects (invoice PDFs, ticket attachments) in the
// S3 bucket and hands out short-lived presigned download and upload URLs.
package s3store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// API is the part of the S3 client the store uses; *s3.Client satisfies it.
type API interface {
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	DeleteObjectTagging(context.Context, *s3.DeleteObjectTaggingInput, ...func(*s3.Options)) (*s3.DeleteObjectTaggingOutput, error)
}

// PendingTag is the tag (x-amz-tagging form) of every object uploaded
// through a PresignPut URL until Claim removes it. The bucket's lifecycle
// rule "abandoned-ticket-uploads" (template.yaml) deletes objects under
// attachments/ that still carry it after 2 days: uploads no reply claimed.
const PendingTag = PendingTagKey + "=" + PendingTagValue

// PendingTagKey and PendingTagValue make up PendingTag.
const (
	PendingTagKey   = "clientzone-upload"
	PendingTagValue = "pending"
)

// Store is one bucket.
type Store struct {
	api     API
	presign *s3.PresignClient
	bucket  string
}

// New returns a store on bucket: objects are written through client and
// URLs presigned by presign (built from a client with the same endpoint).
func New(client API, presign *s3.PresignClient, bucket string) *Store {
	return &Store{api: client, presign: presign, bucket: bucket}
}

// Put writes body at key.
func (s *Store) Put(ctx context.Context, key string, body []byte, contentType string) error {
	_, err := s.api.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String(contentType),
	})
	if err != nil {
		return fmt.Errorf("s3store: put %s: %w", key, err)
	}
	return nil
}

// PresignGet returns a GET URL for key valid for ttl that downloads the
// object as an attachment named filename (as application/pdf).
func (s *Store) PresignGet(ctx context.Context, key string, ttl time.Duration, filename string) (string, error) {
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket:                     aws.String(s.bucket),
		Key:                        aws.String(key),
		ResponseContentDisposition: aws.String(ContentDisposition(filename)),
		ResponseContentType:        aws.String("application/pdf"),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("s3store: presign %s: %w", key, err)
	}
	return req.URL, nil
}

// PresignGetFile returns a GET URL for key valid for ttl that downloads the
// object as an attachment named filename with contentType.
func (s *Store) PresignGetFile(ctx context.Context, key string, ttl time.Duration, filename, contentType string) (string, error) {
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket:                     aws.String(s.bucket),
		Key:                        aws.String(key),
		ResponseContentDisposition: aws.String(ContentDisposition(filename)),
		ResponseContentType:        aws.String(contentType),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("s3store: presign %s: %w", key, err)
	}
	return req.URL, nil
}

// PresignPut returns a PUT URL for key valid for ttl and the headers the
// upload must be sent with. The content type, the exact size and the tag
// PendingTag are signed: an upload with another Content-Type or
// Content-Length, or without the x-amz-tagging header, is refused by S3
// (SignatureDoesNotMatch). The SDK does not hoist x-amz-tagging into the
// query string (S3 only reads tags from the header), so it is one of the
// returned headers.
func (s *Store) PresignPut(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (string, map[string]string, error) {
	req, err := s.presign.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(key),
		ContentType:   aws.String(contentType),
		ContentLength: aws.Int64(size),
		Tagging:       aws.String(PendingTag),
	}, s3.WithPresignExpires(ttl), func(o *s3.PresignOptions) {
		// No SDK-computed checksum of an empty body: the client sends the file.
		o.ClientOptions = append(o.ClientOptions, func(o *s3.Options) {
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		})
	})
	if err != nil {
		return "", nil, fmt.Errorf("s3store: presign put %s: %w", key, err)
	}
	// Every signed header but Host and Content-Length (the HTTP client's
	// to send): Content-Type, x-amz-tagging (x-amz-* in lower case, as S3
	// documents them).
	headers := map[string]string{}
	for h, vs := range req.SignedHeader {
		switch h = http.CanonicalHeaderKey(h); {
		case h == "Host" || h == "Content-Length":
		case strings.HasPrefix(h, "X-Amz-"):
			headers[strings.ToLower(h)] = strings.Join(vs, ",")
		default:
			headers[h] = strings.Join(vs, ",")
		}
	}
	return req.URL, headers, nil
}

// ObjectSize returns the size of the object at key (one HeadObject), or
// clientzone.NotFound("Object") when there is none. Without s3:ListBucket
// S3 answers 403 instead of 404 for a missing key; both mean "not there".
func (s *Store) ObjectSize(ctx context.Context, key string) (int64, error) {
	out, err := s.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	var re *smithyhttp.ResponseError
	switch {
	case err == nil:
		return aws.ToInt64(out.ContentLength), nil
	case errors.As(err, &re) && (re.HTTPStatusCode() == http.StatusNotFound || re.HTTPStatusCode() == http.StatusForbidden):
		return 0, clientzone.NotFound("Object")
	}
	return 0, fmt.Errorf("s3store: head %s: %w", key, err)
}

// Claim removes the tags of the object at key (PendingTag), so the
// lifecycle rule of abandoned uploads never deletes it;
// clientzone.NotFound("Object") when there is none.
func (s *Store) Claim(ctx context.Context, key string) error {
	_, err := s.api.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	var re *smithyhttp.ResponseError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound:
		return clientzone.NotFound("Object")
	}
	return fmt.Errorf("s3store: claim %s: %w", key, err)
}

// SafeFilename keeps letters, digits, '.', '-' and '_' of name (others
// become '_'), so it cannot break out of a header or name a path.
func SafeFilename(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)), r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
	name = strings.TrimLeft(name, ".")
	if name == "" {
		name = "download"
	}
	if len(name) > 120 {
		name = name[len(name)-120:]
	}
	return name
}

// ContentDisposition is an attachment header for a safe form of filename.
func ContentDisposition(filename string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": SafeFilename(filename)})
}
