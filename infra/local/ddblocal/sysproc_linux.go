package ddblocal

import (
	"os/exec"
	"syscall"
)

// setSysProcAttr makes the kernel SIGKILL the JVM when its parent dies (a
// second guard next to the launcher exiting on stdin EOF), and puts it in its
// own process group so that a Ctrl-C in the terminal reaches the Go program,
// which decides when to stop DynamoDB Local, instead of killing the JVM too.
func setSysProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if !testNoPdeathsig {
		cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	}
}
