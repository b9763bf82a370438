package devserver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gopkg.in/yaml.v3"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/s3store"
	"github.com/clientzone/clientzone/shared/support"
)

// An upload is tagged pending (the bucket's lifecycle rule deletes it if
// no reply claims it); the reply that claims it removes the tag, and an
// upload no reply claimed keeps it.
func TestTicketAttachmentPendingTag(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	attach := base + "/v1/tickets/" + demo.TicketSK + "/attachments"
	ctx := context.Background()
	bucket := aws.String(st.Deps.Config.BucketName)

	content := []byte("ping 8.8.8.8: 12 ms\n")
	type upload struct {
		Attachment clientzone.TicketAttachment `json:"attachment"`
		UploadURL  string                      `json:"uploadUrl"`
		Headers    map[string]string           `json:"headers"`
	}
	uploadOne := func() upload {
		t.Helper()
		r := do(t, "POST", attach, admin, fmt.Sprintf(`{"fileName":"ping.txt","contentType":"text/plain","size":%d}`, len(content)))
		if r.status != 201 {
			t.Fatalf("presign: %d %s", r.status, r.body)
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
		key := support.AttachmentKey(demo.CustomerSK, demo.TicketSK, a.ID)
		out, err := st.S3.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: bucket, Key: aws.String(key)})
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
	replies := base + "/v1/tickets/" + demo.TicketSK + "/replies"
	r := do(t, "POST", replies, admin, `{"body":"x","attachmentIds":["`+claimed.Attachment.ID+`","01JUNKNOWN0000000000000000"]}`)
	if r.status != 400 {
		t.Fatalf("reply with an unknown attachment: %d %s", r.status, r.body)
	}
	if got := tags(claimed.Attachment); got != s3store.PendingTag {
		t.Errorf("tags after a refused reply = %q", got)
	}

	r = do(t, "POST", replies, admin, `{"body":"Meranie.","attachmentIds":["`+claimed.Attachment.ID+`"]}`)
	if r.status != 201 {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	if got := tags(claimed.Attachment); got != "" {
		t.Errorf("tags of the claimed upload = %q, want none", got)
	}
	if got := tags(unclaimed.Attachment); got != s3store.PendingTag {
		t.Errorf("tags of the unclaimed upload = %q, want %q", got, s3store.PendingTag)
	}
	// The claimed file is still there.
	obj, err := st.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String(support.AttachmentKey(demo.CustomerSK, demo.TicketSK, claimed.Attachment.ID))})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if !bytes.Equal(got, content) {
		t.Errorf("claimed object = %q", got)
	}
}

// TestAttachmentLifecycle checks the bucket's lifecycle rule of abandoned
// ticket uploads in template.yaml: it expires objects under the
// attachments' prefix that carry the pending tag, only after the claim
// window, and both functions may set and remove the tag.
func TestAttachmentLifecycle(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	type statement struct {
		Effect   string    `yaml:"Effect"`
		Action   yaml.Node `yaml:"Action"`
		Resource yaml.Node `yaml:"Resource"`
	}
	var doc struct {
		Resources map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				LifecycleConfiguration struct {
					Rules []struct {
						ID         string `yaml:"Id"`
						Status     string `yaml:"Status"`
						Prefix     string `yaml:"Prefix"`
						TagFilters []struct {
							Key   string `yaml:"Key"`
							Value string `yaml:"Value"`
						} `yaml:"TagFilters"`
						ExpirationInDays int `yaml:"ExpirationInDays"`
					} `yaml:"Rules"`
				} `yaml:"LifecycleConfiguration"`
				Policies []yaml.Node `yaml:"Policies"` // !Ref names or documents
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	bucket, ok := doc.Resources["InvoiceBucket"]
	if !ok || bucket.Type != "AWS::S3::Bucket" {
		t.Fatalf("InvoiceBucket: missing or not a bucket (%q)", bucket.Type)
	}
	found := false
	prefix := "attachments/"
	if !strings.HasPrefix(support.AttachmentKey("c", "t", "a"), prefix) {
		t.Fatalf("attachments are no longer under %s", prefix)
	}
	for _, r := range bucket.Properties.LifecycleConfiguration.Rules {
		if r.ID != "abandoned-ticket-uploads" {
			continue
		}
		found = true
		if r.Status != "Enabled" || r.Prefix != prefix {
			t.Errorf("rule status %q, prefix %q (want Enabled, %q)", r.Status, r.Prefix, prefix)
		}
		if len(r.TagFilters) != 1 || r.TagFilters[0].Key != s3store.PendingTagKey || r.TagFilters[0].Value != s3store.PendingTagValue {
			t.Errorf("rule tag filters %+v, want only %s", r.TagFilters, s3store.PendingTag)
		}
		// An upload may be claimed until the claim window closes: it must
		// not expire before.
		if exp := time.Duration(r.ExpirationInDays) * 24 * time.Hour; r.ExpirationInDays != 2 || exp <= support.AttachmentClaimWindow+support.UploadTTL {
			t.Errorf("rule expires after %d days (want 2, beyond the %v claim window)", r.ExpirationInDays, support.AttachmentClaimWindow)
		}
	}
	if !found {
		t.Error("InvoiceBucket has no lifecycle rule abandoned-ticket-uploads")
	}

	// The presigned upload carries x-amz-tagging (s3:PutObjectTagging); the
	// reply removes the tag (s3:DeleteObjectTagging), both under attachments/.
	for fn, want := range map[string][]string{
		"TicketAttachmentUploadFunction": {"s3:PutObject", "s3:PutObjectTagging"},
		"TicketReplyFunction":            {"s3:GetObject", "s3:DeleteObjectTagging"},
	} {
		var got []string
		for _, node := range doc.Resources[fn].Properties.Policies {
			var p struct {
				Statement []statement `yaml:"Statement"`
			}
			if node.Kind != yaml.MappingNode {
				continue
			}
			if err := node.Decode(&p); err != nil {
				t.Fatalf("%s policy: %v", fn, err)
			}
			for _, st := range p.Statement {
				if st.Effect != "Allow" || !strings.Contains(st.Resource.Value, "/"+prefix+"*") {
					continue
				}
				if st.Action.Kind == yaml.ScalarNode {
					got = append(got, st.Action.Value)
				}
				for _, a := range st.Action.Content {
					got = append(got, a.Value)
				}
			}
		}
		for _, a := range want {
			if !slices.Contains(got, a) {
				t.Errorf("%s may not %s on %s* (allowed: %v)", fn, a, prefix, got)
			}
		}
	}
}
