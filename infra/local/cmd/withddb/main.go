// Command withddb runs a command with a DynamoDB Local available to it.
//
// Usage:
//
//	go run ./infra/local/cmd/withddb [-v] -- COMMAND [ARG...]
//
// For example, from the repository root:
//
//	go run ./infra/local/cmd/withddb -- go test ./...
//
// withddb starts one in-memory DynamoDB Local on 127.0.0.1 (see package
// ddblocal), prints its endpoint on stderr, and runs COMMAND with
// DYNAMODB_ENDPOINT=<endpoint> added to its environment and with stdin, stdout
// and stderr passed through. SIGINT and SIGTERM are forwarded to COMMAND. When
// COMMAND ends, DynamoDB Local is stopped and withddb exits with COMMAND's exit
// code.
//
// If DYNAMODB_ENDPOINT is already set, withddb starts nothing and runs COMMAND
// against that endpoint. If DynamoDB Local cannot start, withddb prints the
// reason and exits with status 1.
//
// Flags:
//
//	-v    copy DynamoDB Local's own output to stderr
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/clientzone/clientzone/infra/local/ddblocal"
)

// envEndpoint is how the command learns where DynamoDB Local is.
const envEndpoint = "DYNAMODB_ENDPOINT"

func main() {
	os.Exit(run())
}

func run() int {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: withddb [-v] -- command [arg...]\n\n"+
			"Runs command with %s set to a fresh in-memory DynamoDB Local on 127.0.0.1\n"+
			"(or to the existing %s, if set).\n\nFlags:\n", envEndpoint, envEndpoint)
		flag.PrintDefaults()
	}
	verbose := flag.Bool("v", false, "copy DynamoDB Local's own output to stderr")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		flag.Usage()
		return 2
	}

	// Fail before the slow DynamoDB Local startup if the command cannot run.
	if _, err := exec.LookPath(args[0]); err != nil {
		fmt.Fprintf(os.Stderr, "withddb: %v\n", err)
		return 127
	}

	// Catch SIGINT/SIGTERM from now on: during startup they cancel it,
	// afterwards they are forwarded to the command.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)

	endpoint := os.Getenv(envEndpoint)
	if endpoint != "" {
		fmt.Fprintf(os.Stderr, "withddb: using existing DynamoDB at %s (from $%s)\n", endpoint, envEndpoint)
	} else {
		srv, sig, err := startDynamoDB(sigs, *verbose)
		if sig != nil {
			fmt.Fprintf(os.Stderr, "withddb: %v; the command was not run\n", err)
			return signalExitCode(sig)
		}
		if err != nil {
			loudError(err)
			return 1
		}
		defer func() {
			if err := srv.Stop(); err != nil {
				fmt.Fprintf(os.Stderr, "withddb: stopping DynamoDB Local: %v\n", err)
			}
		}()
		endpoint = srv.Endpoint
	}

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), envEndpoint+"="+endpoint)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "withddb: %v\n", err)
		return 127
	}

	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				_ = cmd.Process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	return exitCode(cmd, err)
}

// startDynamoDB starts DynamoDB Local. A signal arriving meanwhile cancels the
// startup; it is returned so that the caller can exit accordingly.
func startDynamoDB(sigs <-chan os.Signal, verbose bool) (*ddblocal.Server, os.Signal, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopWatching := make(chan struct{})
	caught := make(chan os.Signal, 1)
	go func() {
		defer close(caught)
		select {
		case sig := <-sigs:
			caught <- sig
			cancel()
		case <-stopWatching:
		}
	}()

	var log io.Writer
	if verbose {
		log = os.Stderr
	}
	begin := time.Now()
	srv, err := ddblocal.Start(ctx, ddblocal.Options{Log: log})
	close(stopWatching)
	if sig, ok := <-caught; ok { // from here on, signals are for the command
		if srv != nil {
			_ = srv.Stop()
		}
		return nil, sig, fmt.Errorf("got %v while starting DynamoDB Local", sig)
	}
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(os.Stderr, "withddb: DynamoDB Local listening at %s (started in %v); running the command with %s set\n",
		srv.Endpoint, time.Since(begin).Round(10*time.Millisecond), envEndpoint)
	return srv, nil, nil
}

// exitCode maps the command's fate to withddb's exit status, shell style.
func exitCode(cmd *exec.Cmd, err error) int {
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		if ws, ok := exitErr.Sys().(interface {
			Signaled() bool
			Signal() syscall.Signal
		}); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		if code := exitErr.ExitCode(); code >= 0 {
			return code
		}
		return 1
	default:
		fmt.Fprintf(os.Stderr, "withddb: %s: %v\n", cmd.Path, err)
		return 1
	}
}

// signalExitCode is the shell's exit status for death by sig.
func signalExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// loudError reports that DynamoDB Local could not start, so that it stands
// out even at the end of a long CI log.
func loudError(err error) {
	bar := strings.Repeat("!", 78)
	fmt.Fprintf(os.Stderr, "\n%s\n!!! withddb: DynamoDB Local could not be started; the command was NOT run.\n%s\n%v\n%s\n\n",
		bar, bar, err, bar)
}
