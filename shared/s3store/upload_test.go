package s3store_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/clientzone/clientzone/infra/local/s3local"
	"github.com/clientzone/clientzone/infra/local/sigv4local"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/s3store"
)

// An upload through PresignPut must carry the pending tag (a signed
// header); Claim removes it.
func TestPresignPutPendingTagAndClaim(t *testing.T) {
	srv, err := s3local.Start("bucket")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	client := s3.New(s3.Options{
		Region:       "eu-central-1",
		Credentials:  credentials.NewStaticCredentialsProvider(sigv4local.LocalAccessKey, sigv4local.LocalSecretKey, ""),
		BaseEndpoint: aws.String(srv.Endpoint),
		UsePathStyle: true,
	})
	store := s3store.New(client, s3.NewPresignClient(client), "bucket")
	ctx := context.Background()
	body := []byte("hello world\n")
	key := "attachments/c1/t1/a1"

	url, headers, err := store.PresignPut(ctx, key, "text/plain", int64(len(body)), 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(headers) != 2 || headers["Content-Type"] != "text/plain" || headers["x-amz-tagging"] != s3store.PendingTag ||
		s3store.PendingTag != "clientzone-upload=pending" {
		t.Errorf("headers = %v", headers)
	}
	upload := func(h map[string]string) (int, string) {
		req, err := http.NewRequest("PUT", url, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tags := func() map[string]string {
		out, err := client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("bucket"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObjectTagging: %v", err)
		}
		m := map[string]string{}
		for _, tg := range out.TagSet {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m
	}

	// Without the tag header the signature does not match: no untagged
	// (never expiring) upload.
	if code, resp := upload(map[string]string{"Content-Type": "text/plain"}); code != 403 || !strings.Contains(resp, "SignatureDoesNotMatch") {
		t.Errorf("upload without the tag: %d %s", code, resp)
	}
	if _, err := store.ObjectSize(ctx, key); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Errorf("object after a refused upload: %v", err)
	}
	if code, resp := upload(headers); code != 200 {
		t.Fatalf("upload with the returned headers: %d %s", code, resp)
	}
	if got := tags(); len(got) != 1 || got[s3store.PendingTagKey] != s3store.PendingTagValue {
		t.Errorf("tags after upload = %v", got)
	}

	if err := store.Claim(ctx, key); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	if got := tags(); len(got) != 0 {
		t.Errorf("tags after Claim = %v", got)
	}
	if size, err := store.ObjectSize(ctx, key); err != nil || size != int64(len(body)) {
		t.Errorf("object after Claim: %d %v", size, err)
	}
	if err := store.Claim(ctx, key); err != nil {
		t.Errorf("Claim again: %v", err)
	}
	if err := store.Claim(ctx, "attachments/c1/t1/none"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Errorf("Claim of a missing object: %v", err)
	}
}
