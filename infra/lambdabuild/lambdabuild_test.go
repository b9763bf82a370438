package lambdabuild

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"
)

func TestVar(t *testing.T) {
	mk := "# LAMBDA_TAGS := commented\nOTHER := x\n LAMBDA_TAGS :=  a,b \n"
	if v, err := Var(mk, "LAMBDA_TAGS"); err != nil || v != "a,b" {
		t.Errorf("Var = %q, %v; want a,b", v, err)
	}
	if _, err := Var(mk, "MISSING"); err == nil {
		t.Error("Var of a missing name: no error")
	}
	if !strings.Contains(Tags, "validator_novalidatefn") || !strings.Contains(Tags, "lambda.norpc") || LDFlags != "-s -w" {
		t.Errorf("Tags = %q, LDFlags = %q", Tags, LDFlags)
	}
}

// The tests are built with the bootstraps' tags (make test passes them),
// so a validation rule that panics in Lambda panics in the tests too:
// under validator_novalidatefn, validateFn panics instead of calling the
// method.
func TestTestsRunWithTheLambdaTags(t *testing.T) {
	panicked := func() (p bool) {
		defer func() { p = recover() != nil }()
		_ = validator.New().Var(0, "validateFn")
		return false
	}()
	if !panicked {
		t.Fatalf("the tests were built without the Lambda build tags: run them as make test does, go test -tags %s", Tags)
	}
}

// Every way the Makefile builds or tests uses the tags and flags of
// flags.mk.
func TestMakefileUsesTheFlags(t *testing.T) {
	for _, target := range []string{"build-StatusFunction", "build/status/bootstrap", "test", "vet"} {
		out, err := exec.Command("make", "-s", "-n", "-C", "../..", target, "ARTIFACTS_DIR=/tmp/artifacts").CombinedOutput()
		if err != nil {
			t.Fatalf("make -n %s: %v\n%s", target, err, out)
		}
		want := []string{"-tags " + Tags + " "}
		if strings.HasPrefix(target, "build") {
			want = append(want, "-ldflags='"+LDFlags+"'", "GOARCH=arm64", "-trimpath")
		}
		for _, w := range want {
			if !strings.Contains(string(out), w) {
				t.Errorf("make %s = %q, missing %q", target, out, w)
			}
		}
	}
}
