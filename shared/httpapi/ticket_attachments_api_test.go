package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/s3store"
	"github.com/clientzone/clientzone/shared/support"
)

// A reply may only claim attachments whose upload really happened with the
// declared size (checked with HeadObject in the local S3), and a ticket
// takes at most 20 attachments.
func TestTicketAttachmentUploadChecks(t *testing.T) {
	s := apitest.Start(t)
	f := newSupportFixture(t, s)
	h, admin := f.h, f.admin
	attach := "/v1/tickets/" + f.ticketSK + "/attachments"
	replies := "/v1/tickets/" + f.ticketSK + "/replies"

	presign := func() clientzone.TicketAttachment {
		t.Helper()
		r := s.Do(t, "POST", attach, admin, `{"fileName":"log.txt","contentType":"text/plain","size":12}`)
		if r.Status != 201 {
			t.Fatalf("presign: %d %s", r.Status, r.Body)
		}
		return decodeSupport[struct {
			Attachment clientzone.TicketAttachment `json:"attachment"`
		}](t, r).Attachment
	}
	fieldCode := func(r apitest.Response) string {
		t.Helper()
		if r.Status != 400 {
			t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
		}
		p := r.Problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "attachmentIds" {
			t.Fatalf("errors %+v, want one on attachmentIds", p.Errors)
		}
		return p.Errors[0].Code
	}
	putObject := func(a clientzone.TicketAttachment, body string) {
		t.Helper()
		// An upload of another size than presigned: only a direct write
		// to the bucket makes one (the presigned URL binds the size).
		_, err := s.S3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(s.Deps.Config.BucketName),
			Key: aws.String("attachments/" + h.ID + "/" + f.ticketSK + "/" + a.ID), Body: bytes.NewReader([]byte(body)),
			ContentType: aws.String("text/plain")})
		if err != nil {
			t.Fatal(err)
		}
	}
	reply := func(a clientzone.TicketAttachment) apitest.Response {
		return s.Do(t, "POST", replies, admin, `{"body":"Log.","attachmentIds":["`+a.ID+`"]}`, "Accept-Language", "sk")
	}

	// Presigned but never uploaded.
	a := presign()
	if code := fieldCode(reply(a)); code != "not_uploaded" {
		t.Errorf("not uploaded: code %q", code)
	}
	// Uploaded with another size than declared.
	putObject(a, "only 7 b")
	r := reply(a)
	if code := fieldCode(r); code != "size" {
		t.Errorf("wrong size: code %q", code)
	}
	if p := r.Problem(t); !strings.Contains(p.Errors[0].Message, "veľkosť") {
		t.Errorf("size message not in Slovak: %q", p.Errors[0].Message)
	}
	// The declared size: accepted, and claimed.
	putObject(a, "hello world\n")
	if r := reply(a); r.Status != 201 {
		t.Fatalf("reply with the uploaded attachment: %d %s", r.Status, r.Body)
	}
	v := decodeSupport[ticketView](t, s.Do(t, "GET", "/v1/tickets/"+f.ticketSK, admin, ""))
	if len(v.Attachments) != 1 || v.Attachments[0].ID != a.ID || v.Attachments[0].ReplyID == "" {
		t.Fatalf("attachments after reply = %+v", v.Attachments)
	}

	// 20 attachments per ticket (this one is the first): the 21st is 409.
	for i := 2; i <= 20; i++ {
		presign()
	}
	r = s.Do(t, "POST", attach, admin, `{"fileName":"x.txt","contentType":"text/plain","size":1}`, "Accept-Language", "sk")
	if r.Status != 409 || r.Problem(t).Code != clientzone.ECONFLICT || !strings.Contains(r.Problem(t).Detail, fmt.Sprint(20)) ||
		!strings.Contains(r.Problem(t).Detail, "príloh") {
		t.Errorf("21st attachment: %d %s", r.Status, r.Body)
	}
}

// An upload is tagged pending (the bucket's lifecycle rule deletes it if
// no reply claims it); the reply that claims it removes the tag, and an
// upload no reply claimed keeps it.
func TestTicketAttachmentPendingTag(t *testing.T) {
	s := apitest.Start(t)
	f := newSupportFixture(t, s)
	h, admin := f.h, f.admin
	attach := "/v1/tickets/" + f.ticketSK + "/attachments"
	ctx := context.Background()
	bucket := aws.String(s.Deps.Config.BucketName)

	content := []byte("ping 8.8.8.8: 12 ms\n")
	type upload struct {
		Attachment clientzone.TicketAttachment `json:"attachment"`
		UploadURL  string                      `json:"uploadUrl"`
		Headers    map[string]string           `json:"headers"`
	}
	uploadOne := func() upload {
		t.Helper()
		r := s.Do(t, "POST", attach, admin, fmt.Sprintf(`{"fileName":"ping.txt","contentType":"text/plain","size":%d}`, len(content)))
		if r.Status != 201 {
			t.Fatalf("presign: %d %s", r.Status, r.Body)
		}
		up := decodeSupport[upload](t, r)
		if len(up.Headers) != 2 || up.Headers["Content-Type"] != "text/plain" || up.Headers["x-amz-tagging"] != "clientzone-upload=pending" {
			t.Errorf("headers to send = %v", up.Headers)
		}
		put := func(headers map[string]string) (int, string) {
			req, err := http.NewRequest("PUT", up.UploadURL, bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range headers {
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
		// Without the tag (a client ignoring headers) the upload is refused:
		// nothing lands in the bucket that the lifecycle rule would miss.
		if code, body := put(map[string]string{"Content-Type": "text/plain"}); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
			t.Errorf("upload without x-amz-tagging: %d %s", code, body)
		}
		if code, body := put(up.Headers); code != 200 {
			t.Fatalf("upload with the headers: %d %s", code, body)
		}
		return up
	}
	tags := func(a clientzone.TicketAttachment) string {
		t.Helper()
		key := support.AttachmentKey(h.ID, f.ticketSK, a.ID)
		out, err := s.S3.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: bucket, Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObjectTagging %s: %v", key, err)
		}
		var kv []string
		for _, tg := range out.TagSet {
			kv = append(kv, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
		}
		return strings.Join(kv, "&")
	}

	claimed, unclaimed := uploadOne(), uploadOne()
	for _, up := range []upload{claimed, unclaimed} {
		if got := tags(up.Attachment); got != s3store.PendingTag {
			t.Errorf("tags after upload = %q, want %q", got, s3store.PendingTag)
		}
	}

	// A refused reply (one attachment is unknown) untags none.
	replies := "/v1/tickets/" + f.ticketSK + "/replies"
	r := s.Do(t, "POST", replies, admin, `{"body":"x","attachmentIds":["`+claimed.Attachment.ID+`","01JUNKNOWN0000000000000000"]}`)
	if r.Status != 400 {
		t.Fatalf("reply with an unknown attachment: %d %s", r.Status, r.Body)
	}
	if got := tags(claimed.Attachment); got != s3store.PendingTag {
		t.Errorf("tags after a refused reply = %q", got)
	}

	r = s.Do(t, "POST", replies, admin, `{"body":"Meranie.","attachmentIds":["`+claimed.Attachment.ID+`"]}`)
	if r.Status != 201 {
		t.Fatalf("reply: %d %s", r.Status, r.Body)
	}
	if got := tags(claimed.Attachment); got != "" {
		t.Errorf("tags of the claimed upload = %q, want none", got)
	}
	if got := tags(unclaimed.Attachment); got != s3store.PendingTag {
		t.Errorf("tags of the unclaimed upload = %q, want %q", got, s3store.PendingTag)
	}
	// The claimed file is still there.
	obj, err := s.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String(support.AttachmentKey(h.ID, f.ticketSK, claimed.Attachment.ID))})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if !bytes.Equal(got, content) {
		t.Errorf("claimed object = %q", got)
	}
}
