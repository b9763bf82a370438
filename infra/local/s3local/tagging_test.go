package s3local

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/clientzone/clientzone/infra/local/sigv4local"
)

const testBucket = "b"

func startLocal(t *testing.T) *s3.Client {
	t.Helper()
	srv, err := Start(testBucket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	return s3.New(s3.Options{
		Region:       "eu-central-1",
		Credentials:  credentials.NewStaticCredentialsProvider(sigv4local.LocalAccessKey, sigv4local.LocalSecretKey, ""),
		BaseEndpoint: aws.String(srv.Endpoint),
		UsePathStyle: true,
	})
}

func put(t *testing.T, c *s3.Client, key, tagging string) error {
	t.Helper()
	in := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), Body: strings.NewReader("hello"), ContentType: aws.String("text/plain")}
	if tagging != "" {
		in.Tagging = aws.String(tagging)
	}
	_, err := c.PutObject(context.Background(), in)
	return err
}

// tagsOf is GetObjectTagging as "k=v k2=v2" (sorted by key).
func tagsOf(t *testing.T, c *s3.Client, key string) string {
	t.Helper()
	out, err := c.GetObjectTagging(context.Background(), &s3.GetObjectTaggingInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObjectTagging %s: %v", key, err)
	}
	var parts []string
	for _, tg := range out.TagSet {
		parts = append(parts, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
	}
	return strings.Join(parts, " ")
}

func statusOf(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestObjectTagging(t *testing.T) {
	c := startLocal(t)
	ctx := context.Background()

	if err := put(t, c, "a/x", "clientzone-upload=pending&team=support%20desk"); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, c, "a/x"); got != "clientzone-upload=pending team=support desk" {
		t.Errorf("tags after PutObject = %q", got)
	}
	obj, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("a/x")})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if string(body) != "hello" || aws.ToInt32(obj.TagCount) != 2 {
		t.Errorf("GetObject = %q, TagCount %d", body, aws.ToInt32(obj.TagCount))
	}
	// The tags are not kept as metadata (gofakes3 would answer x-amz-*).
	get, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("a/x")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("x-amz-tagging") != "" || resp.Header.Get("x-amz-tagging-count") != "2" {
		t.Errorf("GET %d, headers %v", resp.StatusCode, resp.Header)
	}

	// DeleteObjectTagging removes the tags, not the object.
	if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(testBucket), Key: aws.String("a/x")}); err != nil {
		t.Fatalf("DeleteObjectTagging: %v", err)
	}
	if got := tagsOf(t, c, "a/x"); got != "" {
		t.Errorf("tags after DeleteObjectTagging = %q", got)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("a/x")}); err != nil {
		t.Errorf("object after DeleteObjectTagging: %v", err)
	}
	// Untagged objects: deleting no tags is fine too.
	if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(testBucket), Key: aws.String("a/x")}); err != nil {
		t.Errorf("DeleteObjectTagging of an untagged object: %v", err)
	}

	// PutObjectTagging replaces the set; a new PutObject replaces it again.
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String(testBucket), Key: aws.String("a/x"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}})
	if err != nil {
		t.Fatalf("PutObjectTagging: %v", err)
	}
	if got := tagsOf(t, c, "a/x"); got != "k=v" {
		t.Errorf("tags after PutObjectTagging = %q", got)
	}
	if err := put(t, c, "a/x", ""); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, c, "a/x"); got != "" {
		t.Errorf("tags after an untagged PutObject = %q", got)
	}

	// A copy keeps the source's tags unless told to replace them.
	if err := put(t, c, "a/src", "clientzone-upload=pending"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("a/copy"), CopySource: aws.String(testBucket + "/a/src")}); err != nil {
		t.Fatalf("CopyObject: %v", err)
	}
	if got := tagsOf(t, c, "a/copy"); got != "clientzone-upload=pending" {
		t.Errorf("tags of a copy = %q", got)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("a/copy2"), CopySource: aws.String(testBucket + "/a/src"),
		TaggingDirective: types.TaggingDirectiveReplace, Tagging: aws.String("x=1")}); err != nil {
		t.Fatalf("CopyObject REPLACE: %v", err)
	}
	if got := tagsOf(t, c, "a/copy2"); got != "x=1" {
		t.Errorf("tags of a REPLACE copy = %q", got)
	}

	// Deleting the object deletes its tags; a missing key is 404.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("a/src")}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"a/src", "a/never"} {
		_, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
		if statusOf(err) != 404 || !strings.Contains(err.Error(), "NoSuchKey") {
			t.Errorf("GetObjectTagging of missing %s: %v", key, err)
		}
		_, err = c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
		if statusOf(err) != 404 {
			t.Errorf("DeleteObjectTagging of missing %s: %v", key, err)
		}
	}
	if err := put(t, c, "a/src", ""); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, c, "a/src"); got != "" {
		t.Errorf("tags of a re-created object = %q", got)
	}

	// Invalid tags are refused and store nothing.
	for _, bad := range []string{"k=1&k=2", "aws:x=1", "=v", "%zz=1", strings.Repeat("k", 129) + "=v"} {
		err := put(t, c, "a/bad", bad)
		if statusOf(err) != 400 || !strings.Contains(err.Error(), "InvalidTag") {
			t.Errorf("tagging %q: %v", bad, err)
		}
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("a/bad")}); statusOf(err) != 404 {
		t.Errorf("object of a refused tagging: %v", err)
	}
}

// The tag of a presigned PUT is a signed header: the upload must send it
// exactly, and an x-amz-* header that was not signed is refused, as S3
// does.
func TestPresignedTaggingSigned(t *testing.T) {
	c := startLocal(t)
	req, err := s3.NewPresignClient(c).PresignPutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(testBucket), Key: aws.String("up/1"), ContentType: aws.String("text/plain"), ContentLength: aws.Int64(5),
		Tagging: aws.String("clientzone-upload=pending"),
	}, s3.WithPresignExpires(time.Minute), func(o *s3.PresignOptions) {
		o.ClientOptions = append(o.ClientOptions, func(o *s3.Options) { o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired })
	})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Query().Has("X-Amz-Tagging") || !strings.Contains(u.Query().Get("X-Amz-SignedHeaders"), "x-amz-tagging") ||
		req.SignedHeader.Get("X-Amz-Tagging") != "clientzone-upload=pending" {
		t.Fatalf("x-amz-tagging is expected as a signed header: %s %v", req.URL, req.SignedHeader)
	}
	upload := func(headers map[string]string) (int, string) {
		r, err := http.NewRequest("PUT", req.URL, bytes.NewReader([]byte("hello")))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range headers {
			r.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		name    string
		headers map[string]string
		code    string
	}{
		{"no tag", map[string]string{"Content-Type": "text/plain"}, "SignatureDoesNotMatch"},
		{"another tag", map[string]string{"Content-Type": "text/plain", "x-amz-tagging": "clientzone-upload=claimed"}, "SignatureDoesNotMatch"},
		{"an unsigned x-amz header", map[string]string{"Content-Type": "text/plain", "x-amz-tagging": "clientzone-upload=pending", "x-amz-acl": "public-read"}, "AccessDenied"},
	} {
		if status, body := upload(tc.headers); status != 403 || !strings.Contains(body, tc.code) {
			t.Errorf("%s: %d %s, want 403 %s", tc.name, status, body, tc.code)
		}
	}
	if _, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("up/1")}); statusOf(err) != 404 {
		t.Errorf("a refused upload stored the object: %v", err)
	}
	if status, body := upload(map[string]string{"Content-Type": "text/plain", "x-amz-tagging": "clientzone-upload=pending"}); status != 200 {
		t.Fatalf("upload with the signed tag: %d %s", status, body)
	}
	if got := tagsOf(t, c, "up/1"); got != "clientzone-upload=pending" {
		t.Errorf("tags of the upload = %q", got)
	}
}

func TestParseTagging(t *testing.T) {
	for in, want := range map[string]int{"": 0, "a=1": 1, "a=1&b=": 2, "a=%20x": 1} {
		got, err := parseTagging(in)
		if err != nil || len(got) != want {
			t.Errorf("parseTagging(%q) = %v, %v", in, got, err)
		}
	}
	eleven := "k0=0&k1=1&k2=2&k3=3&k4=4&k5=5&k6=6&k7=7&k8=8&k9=9&k10=10"
	if _, err := parseTagging(eleven); err == nil {
		t.Error("11 tags accepted")
	}
}
