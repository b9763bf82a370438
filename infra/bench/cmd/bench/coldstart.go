package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxRetries is how many failed runs of one function are done again before
// its measurement fails.
const maxRetries = 2

// coldStart is one function's cold-start measurement.
type coldStart struct {
	Runs   []time.Duration // process start → first complete response
	Median time.Duration
	// Warm is the same event's second invocation in the same process
	// (invoke → response): the request's own work (its DynamoDB round
	// trips, password hashing) without any cold-start cost.
	Warm       []time.Duration
	WarmMedian time.Duration
	// Overhead is, per run, first response − warm response: what starting
	// a process adds to the request (package initialisation, main's
	// wiring, first-use work such as new connections and caches).
	Overhead       []time.Duration
	OverheadMedian time.Duration
	// Ready is process start → the runtime's first "next invocation"
	// request: the function's init (Lambda's Init Duration), without the
	// first request's work and I/O. Only the built-in emulator sees it.
	Ready       []time.Duration
	ReadyMedian time.Duration
	Note        string // first response's status, or the failure
}

// invocation is one cold process: started, invoked with an event, then
// invoked again with the same event.
type invocation struct {
	Ready   time.Duration // process start → first "next invocation" (0: not seen)
	First   time.Duration // process start → first complete response
	Warm    time.Duration // second invoke → its complete response
	Out     []byte        // the first response
	WarmOut []byte        // the second response
}

// invoker starts a bootstrap, invokes it twice with event and times it.
type invoker interface {
	Name() string
	Invoke(bootstrap string, env []string, event []byte) (invocation, error)
}

func measureColdStart(inv invoker, bootstrap string, env []string, event []byte, runs int) coldStart {
	var cs coldStart
	retries := 0
	for i := 0; i < runs; i++ {
		r, err := inv.Invoke(bootstrap, env, event)
		if err != nil && retries < maxRetries {
			// The emulator itself occasionally hangs or dies on a start
			// (seen about once in a thousand runs); such a run is done
			// again, and the retries are reported.
			retries++
			log.Printf("%s: run %d failed (%v); retried", filepath.Base(bootstrap), i+1, err)
			i--
			continue
		}
		if err != nil {
			cs.Note = err.Error()
			return cs
		}
		cs.Runs = append(cs.Runs, r.First)
		cs.Warm = append(cs.Warm, r.Warm)
		cs.Overhead = append(cs.Overhead, r.First-r.Warm)
		if r.Ready > 0 {
			cs.Ready = append(cs.Ready, r.Ready)
		}
		if i == 0 {
			cs.Note = responseNote(r.Out)
			if w := responseNote(r.WarmOut); w != cs.Note {
				cs.Note += " (warm answer " + w + ")"
			}
		}
	}
	if retries > 0 {
		cs.Note += fmt.Sprintf(" (%d failed emulator run(s) retried)", retries)
	}
	cs.Median, cs.WarmMedian, cs.OverheadMedian = median(cs.Runs), median(cs.Warm), median(cs.Overhead)
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
// and invokes it through the emulator's HTTP endpoint; the first response's
// time runs from starting the emulator process (which starts the bootstrap)
// to the invoke's response, the warm one from the second invoke's request to
// its response.
type rie struct{ path string }

func (r rie) Name() string { return "aws-lambda-rie (" + r.path + ")" }

func (r rie) Invoke(bootstrap string, env []string, event []byte) (invocation, error) {
	port, err := freePort()
	if err != nil {
		return invocation{}, err
	}
	apiPort, err := freePort()
	if err != nil {
		return invocation{}, err
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
		return invocation{}, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	u := "http://" + addr + "/2015-03-31/functions/function/invocations"
	client := &http.Client{Timeout: 30 * time.Second}
	invoke := func() (int, []byte, error) {
		resp, err := client.Post(u, "application/json", bytes.NewReader(event))
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		return resp.StatusCode, out, err
	}
	for time.Since(t0) < 30*time.Second {
		code, out, err := invoke()
		if err != nil && code == 0 {
			time.Sleep(200 * time.Microsecond) // the emulator is not listening yet
			continue
		}
		first := time.Since(t0)
		if err != nil || code != 200 {
			return invocation{}, fmt.Errorf("rie answered %d (%v): %s %s", code, err, out, lastLine(logs.String()))
		}
		t1 := time.Now()
		code, warmOut, err := invoke()
		warm := time.Since(t1)
		if err != nil || code != 200 {
			return invocation{}, fmt.Errorf("second invoke: rie answered %d (%v): %s", code, err, lastLine(logs.String()))
		}
		return invocation{First: first, Warm: warm, Out: out, WarmOut: warmOut}, nil
	}
	return invocation{}, fmt.Errorf("no response within 30 s: %s", lastLine(logs.String()))
}

// runtimeAPI is the fallback when aws-lambda-rie cannot be installed: a
// minimal Lambda Runtime API (next invocation, response, error, init error)
// serving the event twice. The first response's time runs from starting the
// bootstrap process to its response, so it has none of an emulator's own
// start-up; the warm one from handing out the second event to its response.
type runtimeAPI struct{}

func (runtimeAPI) Name() string {
	return "built-in Lambda Runtime API emulator (aws-lambda-rie was not installable)"
}

func (runtimeAPI) Invoke(bootstrap string, env []string, event []byte) (invocation, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return invocation{}, err
	}
	type result struct {
		body []byte
		err  error
		at   time.Time
	}
	results := make(chan result, 2)
	var (
		mu      sync.Mutex
		served  int
		readyAt time.Time
		handed  [2]time.Time
	)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n := served
		served++
		now := time.Now()
		if n == 0 {
			readyAt = now
		}
		if n < 2 {
			handed[n] = now
		}
		mu.Unlock()
		if n >= 2 {
			<-r.Context().Done() // two invocations per process
			return
		}
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", "bench-"+strconv.Itoa(n+1))
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-central-1:123456789012:function:bench")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
		_, _ = w.Write(event)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		at := time.Now()
		w.WriteHeader(http.StatusAccepted)
		results <- result{body: b, at: at}
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		results <- result{err: fmt.Errorf("invocation error: %s", b)}
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		results <- result{err: fmt.Errorf("init error: %s", b)}
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
		return invocation{}, err
	}
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var inv invocation
	for i := 0; i < 2; i++ {
		select {
		case r := <-results:
			if r.err != nil {
				return invocation{}, r.err
			}
			mu.Lock()
			if i == 0 {
				inv.Ready, inv.First, inv.Out = readyAt.Sub(t0), r.at.Sub(t0), r.body
			} else {
				inv.Warm, inv.WarmOut = r.at.Sub(handed[1]), r.body
			}
			mu.Unlock()
		case err := <-exited:
			exited <- err
			return invocation{}, fmt.Errorf("bootstrap exited (%v): %s", err, lastLine(logs.String()))
		case <-ctx.Done():
			return invocation{}, errors.New("no response within 30 s")
		}
	}
	return inv, nil
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
