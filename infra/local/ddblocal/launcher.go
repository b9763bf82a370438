package ddblocal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	_ "embed" // for the launcher source
)

// launcherSource is the Java class that starts DynamoDB Local bound to 127.0.0.1.
//
//go:embed Launcher.java
var launcherSource []byte

const (
	launcherClass = "Launcher"
	launcherFile  = launcherClass + ".java"
)

// launcherClassDir returns a directory holding the compiled launcher, compiling
// it with javac on first use. Results are cached in the user cache directory
// (or the temp directory), keyed by the launcher source and the jar it is
// compiled against. Concurrent callers, in this or other processes, are safe:
// each compiles into a private temporary directory that is then renamed into
// place; the loser of a race simply uses the winner's result.
func launcherClassDir(ctx context.Context, d distribution) (string, error) {
	key := launcherKey(d)
	roots := cacheRoots()
	for _, root := range roots {
		if dir := filepath.Join(root, "launcher-"+key); isFile(filepath.Join(dir, launcherClass+".class")) {
			return dir, nil
		}
	}

	javac, err := findJDKTool("javac")
	if err != nil {
		return "", err
	}
	var errs []error
	for _, root := range roots {
		dir, err := compileInto(ctx, javac, d, root, key)
		if err == nil {
			return dir, nil
		}
		var ce *compileError
		if errors.As(err, &ce) || ctx.Err() != nil {
			return "", err // the same would happen in any other directory
		}
		errs = append(errs, err)
	}
	return "", fmt.Errorf("ddblocal: no usable cache directory for the compiled launcher: %w", errors.Join(errs...))
}

// launcherKey identifies a compiled launcher: it depends on the launcher
// source and on the DynamoDB Local jar it was compiled against.
func launcherKey(d distribution) string {
	h := sha256.New()
	h.Write(launcherSource)
	h.Write([]byte{0})
	h.Write([]byte(d.jar))
	if fi, err := os.Stat(d.jar); err == nil {
		h.Write([]byte{0})
		h.Write([]byte(strconv.FormatInt(fi.Size(), 10)))
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// cacheRoots lists the directories to try, in order, for the launcher cache.
func cacheRoots() []string {
	var roots []string
	if dir, err := os.UserCacheDir(); err == nil {
		roots = append(roots, filepath.Join(dir, "clientzone", "ddblocal"))
	}
	return append(roots, filepath.Join(os.TempDir(), "clientzone-ddblocal"))
}

// compileError is a javac failure, as opposed to a file system problem.
type compileError struct {
	err    error
	output []byte
}

func (e *compileError) Error() string {
	return fmt.Sprintf("ddblocal: compiling %s failed: %v\n%s", launcherFile, e.err, bytes.TrimSpace(e.output))
}

func (e *compileError) Unwrap() error { return e.err }

// compileInto compiles the launcher into root/launcher-<key> and returns that directory.
func compileInto(ctx context.Context, javac string, d distribution, root, key string) (string, error) {
	final := filepath.Join(root, "launcher-"+key)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(root, ".tmp-launcher-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // no-op after a successful rename

	if err := os.WriteFile(filepath.Join(tmp, launcherFile), launcherSource, 0o644); err != nil {
		return "", err
	}
	// The jar's manifest Class-Path brings in Jetty and the other libraries.
	cmd := exec.CommandContext(ctx, javac, "-nowarn", "-encoding", "UTF-8", "-d", tmp, "-cp", d.jar, launcherFile)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("ddblocal: compiling %s: %w", launcherFile, ctx.Err())
		}
		return "", &compileError{err: err, output: out}
	}
	if err := os.Rename(tmp, final); err != nil {
		// Another process may have won the race; its result is as good as ours.
		if isFile(filepath.Join(final, launcherClass+".class")) {
			return final, nil
		}
		return "", err
	}
	return final, nil
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
