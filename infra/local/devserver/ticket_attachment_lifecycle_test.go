package devserver

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/clientzone/clientzone/shared/s3store"
	"github.com/clientzone/clientzone/shared/support"
)

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
