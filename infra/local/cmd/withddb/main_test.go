package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/clientzone/clientzone/infra/local/ddblocal"
)

// The test binary doubles as withddb and as the command withddb runs,
// depending on WITHDDB_TEST_ROLE.
func TestMain(m *testing.M) {
	switch os.Getenv("WITHDDB_TEST_ROLE") {
	case "withddb":
		os.Setenv("WITHDDB_TEST_ROLE", "child")
		os.Exit(run())
	case "child":
		os.Exit(child())
	}
	os.Exit(m.Run())
}

// child reports the endpoint it got, optionally checks it answers, and exits
// with status 3, or with 5 on SIGINT when asked to wait for one.
func child() int {
	endpoint := os.Getenv(envEndpoint)
	fmt.Println("ENDPOINT " + endpoint)
	if os.Getenv("CHILD_PING") == "1" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := ddblocal.Client(endpoint).ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
			fmt.Println("LISTTABLES " + err.Error())
			return 1
		}
		fmt.Println("LISTTABLES ok")
	}
	if os.Getenv("CHILD_WAIT_SIGINT") == "1" {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt)
		fmt.Println("WAITING")
		select {
		case <-sigs:
			return 5
		case <-time.After(time.Minute):
			return 1
		}
	}
	return 3
}

// withddb returns a command running withddb (this test binary) with a child.
func withddb(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "--", os.Args[0])
	cmd.Env = append(os.Environ(), "WITHDDB_TEST_ROLE=withddb")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func exitStatus(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	t.Fatalf("running withddb: %v", err)
	return -1
}

func TestStartsDynamoDBForCommand(t *testing.T) {
	t.Parallel()
	cmd := withddb(t, envEndpoint+"=", "CHILD_PING=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if code := exitStatus(t, err); code != 3 {
		t.Errorf("exit status %d, want the command's 3\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
	if !strings.Contains(string(out), "ENDPOINT http://127.0.0.1:") || !strings.Contains(string(out), "LISTTABLES ok") {
		t.Errorf("the command did not reach DynamoDB Local via $%s:\n%s\nstderr:\n%s", envEndpoint, out, stderr.String())
	}
	if !strings.Contains(stderr.String(), "withddb: DynamoDB Local listening at http://127.0.0.1:") {
		t.Errorf("stderr lacks the endpoint line:\n%s", stderr.String())
	}
}

func TestReusesExistingEndpoint(t *testing.T) {
	t.Parallel()
	const existing = "http://127.0.0.1:1"
	cmd := withddb(t, envEndpoint+"="+existing)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if code := exitStatus(t, err); code != 3 {
		t.Errorf("exit status %d, want 3", code)
	}
	if !strings.Contains(string(out), "ENDPOINT "+existing+"\n") {
		t.Errorf("the command did not get the existing endpoint:\n%s", out)
	}
	if !strings.Contains(stderr.String(), "using existing") {
		t.Errorf("stderr should say the endpoint is reused:\n%s", stderr.String())
	}
}

func TestForwardsSIGINT(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT delivery to a single process on Windows")
	}
	t.Parallel()
	cmd := withddb(t, envEndpoint+"=", "CHILD_WAIT_SIGINT=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "WAITING" {
	}
	// Only withddb gets the signal; it must pass it on.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
	}
	if code := exitStatus(t, cmd.Wait()); code != 5 {
		t.Errorf("exit status %d, want 5 from the command's SIGINT handler\nstderr:\n%s", code, stderr.String())
	}
}

func TestNoCommand(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "WITHDDB_TEST_ROLE=withddb")
	if code := exitStatus(t, cmd.Run()); code != 2 {
		t.Errorf("exit status %d, want 2 (usage)", code)
	}
}
