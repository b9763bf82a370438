package argon2

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// copiedFrom is the golang.org/x/crypto release this package was copied
// from (the package doc says the same).
const copiedFrom = "v0.58.0"

// unchanged are the files copied from upstream's argon2 without a change.
var unchanged = []string{"blake2b.go", "blamka_amd64.go", "blamka_amd64.s"}

// TestCopyMatchesGoModVersion is the tripwire of this copy: it fails when
// go.mod moves golang.org/x/crypto to another release, so that the fixes
// upstream made to argon2 in between are looked at and carried over
// before copiedFrom (and the package doc) name the new release.
func TestCopyMatchesGoModVersion(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	required := ""
	for _, line := range strings.Split(string(mod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "golang.org/x/crypto" {
			required = f[1]
		}
	}
	if required == "" {
		t.Fatal("go.mod does not require golang.org/x/crypto")
	}
	if required != copiedFrom {
		t.Fatalf("go.mod requires golang.org/x/crypto %s, but shared/password/internal/argon2 was copied from %s: "+
			"compare $(go list -m -f '{{.Dir}}' golang.org/x/crypto)/argon2 with this package, carry the fixes over, "+
			"then set copiedFrom and the package doc to %s", required, copiedFrom, required)
	}
	doc, err := os.ReadFile("argon2.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("golang.org/x/crypto/argon2 ("+copiedFrom+",")) {
		t.Errorf("the package doc does not name %s as the release it was copied from", copiedFrom)
	}
}

// The files copied unchanged are still upstream's, byte for byte.
func TestUnchangedFilesMatchUpstream(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/crypto").Output()
	if err != nil {
		t.Fatalf("go list -m golang.org/x/crypto: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "argon2")
	for _, name := range unchanged {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from upstream's %s", name, filepath.Join(dir, name))
		}
	}
}
