package legacyimport

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Options of an import run.
type Options struct {
	// BaseURL is the API's base URL (https://<id>.execute-api.<region>.amazonaws.com).
	BaseURL string
	// Credentials sign requests with SigV4 for execute-api in Region; nil
	// sends them unsigned (the local dev server).
	Credentials aws.CredentialsProvider
	Region      string
	Concurrency int
	// Retries is how often a request is retried on 429, 5xx or a network
	// error, with exponential backoff (honouring Retry-After).
	Retries int
	// BaseDelay is the first backoff (doubles per retry, with jitter).
	BaseDelay time.Duration
	// Progress receives the progress bar (stderr); nil for none.
	Progress io.Writer
	// ReportPath receives one JSON line per failed record; "" for none.
	ReportPath string
	Client     *http.Client
	UserAgent  string
}

// Summary is the outcome of a run.
type Summary struct {
	Records  int
	OK       int
	Failures []Failure
	Requests int
	Retries  int
	Elapsed  time.Duration
}

// Run sends the plan's requests kind by kind (a kind starts when the
// previous one is done, as later kinds refer to earlier ones), up to
// Concurrency at a time, and collects per-record failures. It returns an
// error only when it could not run (context cancelled, report not
// written); failed records are in the summary.
func Run(ctx context.Context, plan *Plan, o Options) (*Summary, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 60 * time.Second}
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = 250 * time.Millisecond
	}
	if o.UserAgent == "" {
		o.UserAgent = "clientzone-legacy-import/1"
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	start := time.Now()
	sum := &Summary{Records: plan.Records, Failures: append([]Failure(nil), plan.Invalid...)}
	bar := newProgress(o.Progress, plan.Records)
	bar.add(0, len(plan.Invalid))
	bar.start()
	var mu sync.Mutex
	var retries atomic.Int64
	for _, kind := range Kinds {
		reqs := plan.Requests[kind]
		if len(reqs) == 0 {
			continue
		}
		bar.setKind(kind)
		work := make(chan *Request)
		var wg sync.WaitGroup
		for range min(o.Concurrency, len(reqs)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range work {
					fails, n := o.send(ctx, r)
					retries.Add(int64(n))
					mu.Lock()
					sum.Requests++
					sum.Failures = append(sum.Failures, fails...)
					mu.Unlock()
					bar.add(len(r.Records)-len(fails), len(fails))
				}
			}()
		}
	feed:
		for _, r := range reqs {
			select {
			case work <- r:
			case <-ctx.Done():
				break feed
			}
		}
		close(work)
		wg.Wait()
		if ctx.Err() != nil {
			break
		}
	}
	bar.stop()
	sum.Retries = int(retries.Load())
	sum.OK = sum.Records - len(sum.Failures)
	sum.Elapsed = time.Since(start)
	order := map[string]int{}
	for i, k := range Kinds {
		order[k] = i
	}
	sort.SliceStable(sum.Failures, func(i, j int) bool {
		a, b := sum.Failures[i], sum.Failures[j]
		if a.Kind != b.Kind {
			return order[a.Kind] < order[b.Kind]
		}
		return a.Line < b.Line
	})
	if o.ReportPath != "" {
		if err := writeReport(o.ReportPath, sum.Failures); err != nil {
			return sum, err
		}
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	return sum, nil
}

func writeReport(p string, fails []Failure) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, f := range fails {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return os.WriteFile(p, b.Bytes(), 0o644)
}

// problem is the part of an RFC 9457 answer the report keeps.
type problem struct {
	Code   string       `json:"code"`
	Detail string       `json:"detail"`
	Errors []FieldError `json:"errors"`
}

// send performs one request with retries; it returns the failed records
// and the number of retries made.
func (o *Options) send(ctx context.Context, r *Request) ([]Failure, int) {
	fail := func(status int, code, detail string, fields []FieldError) []Failure {
		out := make([]Failure, len(r.Records))
		for i, rec := range r.Records {
			out[i] = Failure{Record: rec, Status: status, Code: code, Detail: detail, Fields: fields}
		}
		return out
	}
	var status int
	var body []byte
	var lastErr error
	retries := 0
	for attempt := 0; ; attempt++ {
		var wait time.Duration
		status, body, wait, lastErr = o.do(ctx, r)
		retryable := lastErr != nil || status == http.StatusTooManyRequests || status >= 500
		if !retryable || attempt >= o.Retries || ctx.Err() != nil {
			break
		}
		retries++
		backoff := o.BaseDelay << attempt
		if backoff > 20*time.Second || backoff <= 0 {
			backoff = 20 * time.Second
		}
		backoff = backoff/2 + rand.N(backoff/2+1) // jitter
		if wait > backoff {
			backoff = wait
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
		}
	}
	if lastErr != nil {
		return fail(0, "network", lastErr.Error(), nil), retries
	}
	if status < 200 || status > 299 {
		var p problem
		if json.Unmarshal(body, &p) != nil || p.Code == "" {
			p.Code, p.Detail = "http_"+strconv.Itoa(status), truncate(string(body), 300)
		}
		return fail(status, p.Code, p.Detail, p.Errors), retries
	}
	if r.Partial { // persons import: 200 with per-person errors
		var res struct {
			Errors []struct {
				Index   int    `json:"index"`
				Field   string `json:"field"`
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(body, &res); err != nil {
			return fail(status, "bad_response", "the answer is not the expected JSON", nil), retries
		}
		var out []Failure
		for _, e := range res.Errors {
			if e.Index >= 0 && e.Index < len(r.Records) {
				out = append(out, Failure{Record: r.Records[e.Index], Status: status, Code: e.Code, Detail: e.Message,
					Fields: []FieldError{{Field: e.Field, Code: e.Code, Message: e.Message}}})
			}
		}
		return out, retries
	}
	return nil, retries
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// do sends r once: status, body, and how long the server asked to wait.
func (o *Options) do(ctx context.Context, r *Request) (int, []byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, r.Method, o.BaseURL+r.Path, bytes.NewReader(r.Body))
	if err != nil {
		return 0, nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", o.UserAgent)
	if err := o.sign(ctx, req, r.Body); err != nil {
		return 0, nil, 0, err
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		return 0, nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, 0, err
	}
	var wait time.Duration
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 && s < 300 {
		wait = time.Duration(s) * time.Second
	}
	return resp.StatusCode, b, wait, nil
}

var signer = v4.NewSigner()

// sign adds the SigV4 headers (Authorization, X-Amz-Date and, for
// temporary credentials, X-Amz-Security-Token) for execute-api.
func (o *Options) sign(ctx context.Context, req *http.Request, body []byte) error {
	if o.Credentials == nil {
		return nil
	}
	creds, err := o.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	h := sha256.Sum256(body)
	if o.Region == "" {
		return errors.New("sign: no region")
	}
	return signer.SignHTTP(ctx, creds, req, hex.EncodeToString(h[:]), "execute-api", o.Region, time.Now().UTC())
}
