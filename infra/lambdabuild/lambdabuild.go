// Package lambdabuild is how the Lambda bootstraps are built: the Go build
// tags and linker flags of flags.mk, which the Makefile includes, so that
// make build, sam build's build-<LogicalId> targets, make test, the bench
// and the tests all use the same ones.
package lambdabuild

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed flags.mk
var flagsMK string

// Tags are the build tags of every bootstrap and of the tests
// (comma-separated, as go build -tags takes them).
var Tags = mustVar("LAMBDA_TAGS")

// LDFlags are the linker flags of every bootstrap.
var LDFlags = mustVar("LAMBDA_LDFLAGS")

// Var returns the value of the NAME := value line of mk.
func Var(mk, name string) (string, error) {
	for _, line := range strings.Split(mk, "\n") {
		k, v, ok := strings.Cut(line, ":=")
		if ok && !strings.HasPrefix(strings.TrimSpace(line), "#") && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("lambdabuild: flags.mk has no %s := line", name)
}

func mustVar(name string) string {
	v, err := Var(flagsMK, name)
	if err != nil {
		panic(err) // flags.mk is embedded: a test catches this before any build
	}
	return v
}
