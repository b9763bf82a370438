package devserver

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/infra/lambdabuild"
)

// coldStartBanned are packages whose initialisation costs every cold start
// of a function that links them, and which the functions avoid:
//   - the schemas packages of aws-sdk-go-v2 services with schema-based
//     (de)serialization (dynamodb ≥ v1.69.0, dynamodbstreams ≥ v1.42.0,
//     sesv2 ≥ v1.75.0, eventbridge ≥ v1.49.0): building every shape's
//     schema at start-up took 2.2–2.5 ms of DynamoDB's and 3.7 ms of the
//     outbox sender's init (go.mod pins the last versions with generated
//     serializers);
//   - oklog/ulid, which seeds a math/rand source at init
//     (clientzone.NewID makes ULIDs itself, from crypto/rand, on first use).
var coldStartBanned = []string{"/schemas", "github.com/oklog/ulid"}

// coldStartOnly are packages with a cost that only the named function may
// pay: fpdf brings encoding/gob (about 1 ms of init) and the embedded
// fonts, which only the invoice PDF needs (package app/pdf is apart from
// app/files for this); text/template's reflection (MethodByName) makes the
// linker keep every exported method of every type, about 8 MiB of a
// bootstrap, which only the outbox sender (a stream consumer, on no
// person's path) renders its messages with (package app/outbox).
var coldStartOnly = map[string]string{
	"github.com/go-pdf/fpdf": "github.com/clientzone/clientzone/functions/invoice-pdf",
	"encoding/gob":           "github.com/clientzone/clientzone/functions/invoice-pdf",
	"text/template":          "github.com/clientzone/clientzone/functions/outbox-sender",
}

// TestFunctionsAvoidSlowInitPackages fails when a function's bootstrap
// links one of coldStartBanned, e.g. after an SDK upgrade brings the
// schema-based serializers back, or one of coldStartOnly it may not.
func TestFunctionsAvoidSlowInitPackages(t *testing.T) {
	root := repoRoot(t)
	cmd := exec.Command("go", "list", "-tags", lambdabuild.Tags,
		"-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./functions/...")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		n++
		for _, dep := range fields[1:] {
			for _, banned := range coldStartBanned {
				if strings.HasSuffix(dep, banned) || strings.HasPrefix(dep, banned) || (banned == "/schemas" && strings.Contains(dep, "/schemas/")) {
					t.Errorf("%s links %s", fields[0], dep)
				}
			}
			if only, ok := coldStartOnly[dep]; ok && fields[0] != only {
				t.Errorf("%s links %s, which only %s may", fields[0], dep, only)
			}
		}
	}
	if fns := loadTemplate(t).Functions; n != len(fns) {
		t.Errorf("go list saw %d function packages, template.yaml has %d functions", n, len(fns))
	}
}
