package devserver

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// A reply may only claim attachments whose upload really happened with the
// declared size (checked with HeadObject in the local S3), and a ticket
// takes at most 20 attachments.
func TestTicketAttachmentUploadChecks(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	attach := base + "/v1/tickets/" + demo.TicketSK + "/attachments"
	replies := base + "/v1/tickets/" + demo.TicketSK + "/replies"

	presign := func() clientzone.TicketAttachment {
		t.Helper()
		r := do(t, "POST", attach, admin, `{"fileName":"log.txt","contentType":"text/plain","size":12}`)
		if r.status != 201 {
			t.Fatalf("presign: %d %s", r.status, r.body)
		}
		return decodeSupport[struct {
			Attachment clientzone.TicketAttachment `json:"attachment"`
		}](t, r).Attachment
	}
	fieldCode := func(r response) string {
		t.Helper()
		if r.status != 400 {
			t.Fatalf("status %d, want 400: %s", r.status, r.body)
		}
		p := r.problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "attachmentIds" {
			t.Fatalf("errors %+v, want one on attachmentIds", p.Errors)
		}
		return p.Errors[0].Code
	}
	putObject := func(a clientzone.TicketAttachment, body string) {
		t.Helper()
		_, err := st.S3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(st.Deps.Config.BucketName),
			Key: aws.String("attachments/" + demo.CustomerSK + "/" + demo.TicketSK + "/" + a.ID), Body: bytes.NewReader([]byte(body)),
			ContentType: aws.String("text/plain")})
		if err != nil {
			t.Fatal(err)
		}
	}
	reply := func(a clientzone.TicketAttachment) response {
		return do(t, "POST", replies, admin, `{"body":"Log.","attachmentIds":["`+a.ID+`"]}`, "Accept-Language", "sk")
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
	if p := r.problem(t); !strings.Contains(p.Errors[0].Message, "veľkosť") {
		t.Errorf("size message not in Slovak: %q", p.Errors[0].Message)
	}
	// The declared size: accepted, and claimed.
	putObject(a, "hello world\n")
	if r := reply(a); r.status != 201 {
		t.Fatalf("reply with the uploaded attachment: %d %s", r.status, r.body)
	}
	v := decodeSupport[ticketView](t, do(t, "GET", base+"/v1/tickets/"+demo.TicketSK, admin, ""))
	if len(v.Attachments) != 1 || v.Attachments[0].ID != a.ID || v.Attachments[0].ReplyID == "" {
		t.Fatalf("attachments after reply = %+v", v.Attachments)
	}

	// 20 attachments per ticket (this one is the first): the 21st is 409.
	for i := 2; i <= 20; i++ {
		presign()
	}
	r = do(t, "POST", attach, admin, `{"fileName":"x.txt","contentType":"text/plain","size":1}`, "Accept-Language", "sk")
	if r.status != 409 || r.problem(t).Code != clientzone.ECONFLICT || !strings.Contains(r.problem(t).Detail, fmt.Sprint(20)) ||
		!strings.Contains(r.problem(t).Detail, "príloh") {
		t.Errorf("21st attachment: %d %s", r.status, r.body)
	}
}
