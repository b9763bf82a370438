package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// coldStart is one function's cold-start measurement.
type coldStart struct {
	Runs   []time.Duration // process start → first complete response
	Median time.Duration
	// Ready is process start → the runtime's first "next invocation"
	// request: the function's init (Lambda's Init Duration), without the
	// first request's work and I/O. Zero under aws-lambda-rie.
	Ready       []time.Duration
	ReadyMedian time.Duration
	Note        string // first response's status, or the failure
}

// invoker starts a bootstrap and returns the time from process start to the
// runtime asking for its first invocation (0 when the invoker cannot see
// it) and to the first complete response to event.
type invoker interface {
	Name() string
	Invoke(bootstrap string, env []string, event []byte) (ready, total time.Duration, out []byte, err error)
}

func measureColdStart(inv invoker, bootstrap string, env []string, event []byte, runs int) coldStart {
	var cs coldStart
	for i := 0; i < runs; i++ {
		ready, d, out, err := inv.Invoke(bootstrap, env, event)
		if err != nil {
			cs.Note = err.Error()
			return cs
		}
		cs.Runs = append(cs.Runs, d)
		if ready > 0 {
			cs.Ready = append(cs.Ready, ready)
		}
		if i == 0 {
			cs.Note = responseNote(out)
		}
	}
	cs.Median = median(cs.Runs)
	if len(cs.Ready) > 0 {
		cs.ReadyMedian = median(cs.Ready)
	}
	return cs
}

// responseNote summarises a Lambda response: the HTTP status of a proxy
// response, else the start of the payload.
func responseNote(out []byte) string {
	s := string(out)
	if i := strings.Index(s, `"statusCode":`); i >= 0 {
		rest := s[i+len(`"statusCode":`):]
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		return "HTTP " + rest[:n]
	}
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// rie runs each bootstrap under the AWS Lambda Runtime Interface Emulator
// and invokes it through the emulator's HTTP endpoint; the time runs from
// starting the emulator process to the invoke's response.
type rie struct{ path string }

func (r rie) Name() string { return "aws-lambda-rie (" + r.path + ")" }

func (r rie) Invoke(bootstrap string, env []string, event []byte) (_, _ time.Duration, _ []byte, _ error) {
	port, err := freePort()
	if err != nil {
		return 0, 0, nil, err
	}
	apiPort, err := freePort()
	if err != nil {
		return 0, 0, nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(r.path, "--log-level", "error",
		"--runtime-interface-emulator-address", addr,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(apiPort), bootstrap)
	cmd.Env = append(os.Environ(), env...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, nil, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	u := "http://" + addr + "/2015-03-31/functions/function/invocations"
	client := &http.Client{Timeout: 30 * time.Second}
	for time.Since(t0) < 30*time.Second {
		resp, err := client.Post(u, "application/json", bytes.NewReader(event))
		if err != nil {
			time.Sleep(time.Millisecond) // the emulator is not listening yet
			continue
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if resp.StatusCode != 200 {
			return 0, 0, nil, fmt.Errorf("rie answered %d: %s", resp.StatusCode, out)
		}
		return 0, d, out, nil
	}
	return 0, 0, nil, fmt.Errorf("no response within 30 s: %s", logs.String())
}

// runtimeAPI is the fallback when aws-lambda-rie cannot be installed: a
// minimal Lambda Runtime API (next invocation, response, error, init error)
// serving one queued event. The time runs from starting the bootstrap
// process to its response, so it has none of the emulator's own start-up.
type runtimeAPI struct{}

func (runtimeAPI) Name() string {
	return "built-in Lambda Runtime API emulator (aws-lambda-rie was not installable)"
}

func (runtimeAPI) Invoke(bootstrap string, env []string, event []byte) (_, _ time.Duration, _ []byte, _ error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, nil, err
	}
	type result struct {
		body []byte
		err  error
		at   time.Time
	}
	done := make(chan result, 1)
	var once sync.Once
	finish := func(r result) { once.Do(func() { done <- r }) }
	served := false
	var readyAt time.Time
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := !served
		if first {
			readyAt = time.Now()
		}
		served = true
		mu.Unlock()
		if !first {
			<-r.Context().Done() // one invocation per process
			return
		}
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", "bench-1")
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-central-1:123456789012:function:bench")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
		_, _ = w.Write(event)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		at := time.Now()
		w.WriteHeader(http.StatusAccepted)
		finish(result{body: b, at: at})
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		finish(result{err: fmt.Errorf("invocation error: %s", b)})
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		finish(result{err: fmt.Errorf("init error: %s", b)})
	})
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	cmd := exec.Command(bootstrap)
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String(), "_HANDLER=bootstrap",
		"AWS_LAMBDA_FUNCTION_NAME=bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	exited := make(chan error, 1)
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, nil, err
	}
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case r := <-done:
		if r.err != nil {
			return 0, 0, nil, r.err
		}
		mu.Lock()
		ready := readyAt.Sub(t0)
		mu.Unlock()
		return ready, r.at.Sub(t0), r.body, nil
	case err := <-exited:
		exited <- err
		return 0, 0, nil, fmt.Errorf("bootstrap exited (%v): %s", err, lastLine(logs.String()))
	case <-ctx.Done():
		return 0, 0, nil, errors.New("no response within 30 s")
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
