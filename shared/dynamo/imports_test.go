package dynamo_test

import (
	"os/exec"
	"strings"
	"testing"
)

// storeImporters are the only packages that may import shared/dynamo: the
// store itself, its test helpers, and the wiring that builds the store and
// hands it to the use cases behind their own ports. Everything else (the
// use cases, httpapi, clientzone) says what it needs in its own terms.
var storeImporters = []string{
	"github.com/clientzone/clientzone/shared/dynamo",
	"github.com/clientzone/clientzone/shared/app",
	"github.com/clientzone/clientzone/infra/",
	"github.com/clientzone/clientzone/functions/",
}

// TestUseCasesOwnTheirPorts fails when a package outside storeImporters
// imports shared/dynamo (tests excluded: they may set up data directly).
func TestUseCasesOwnTheirPorts(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "github.com/clientzone/clientzone/...")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		checked++
		allowed := false
		for _, p := range storeImporters {
			if f[0] == p || strings.HasPrefix(f[0], p+"/") || strings.HasSuffix(p, "/") && strings.HasPrefix(f[0], p) {
				allowed = true
			}
		}
		if allowed {
			continue
		}
		for _, imp := range f[1:] {
			if imp == "github.com/clientzone/clientzone/shared/dynamo" || strings.HasPrefix(imp, "github.com/clientzone/clientzone/shared/dynamo/") {
				t.Errorf("%s imports %s: declare the store interface in the use case and let shared/dynamo implement it", f[0], imp)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("go list saw only %d packages", checked)
	}
}
