//go:build !linux

package ddblocal

import "os/exec"

// setSysProcAttr does nothing outside Linux, which has no parent-death
// signal; the launcher still exits when its standard input is closed.
func setSysProcAttr(cmd *exec.Cmd) {}
