// Package s3store keeps objects (invoice PDFs) in the S3 bucket and hands out
// short-lived presigned download URLs.
package s3store

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// API is the part of the S3 client the store uses; *s3.Client satisfies it.
type API interface {
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

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
