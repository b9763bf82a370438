// Command bench measures the functions and writes BENCHMARKS.md (`make
// bench`; not part of `make test`). Run it from the repository with a
// DynamoDB Local available:
//
//	go run ./infra/local/cmd/withddb -- go run ./infra/bench/cmd/bench
//
// It measures, in one run:
//   - the build time of every function (`make build`, linux/arm64) and each
//     bootstrap's size (goal ≤ 12 MiB; the outbox sender ≤ 20 MiB);
//   - each function's cold start, built for the host: from starting the
//     process to the first response, under aws-lambda-rie when installed
//     (else a built-in Lambda Runtime API emulator), median of -runs, against
//     a hello-world aws-lambda-go function measured in the same run (goal ≤
//     1.15× hello); the functions run against a demo stack on DynamoDB Local;
//   - the Go benchmarks of every handler without I/O (BenchmarkHandlers in
//     infra/local/devserver; goal p99 ≤ 2 ms, password hashing apart);
//   - DynamoDB calls per request of every route (TestDynamoDBCallBudget);
//   - a closed-loop load test on the dev server (DynamoDB Local) for login,
//     the invoice list and the calls list: requests/s and p99.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clientzone/clientzone/infra/lambdabuild"
	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/infra/local/secretslocal"
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/payments/stripe"
	"github.com/clientzone/clientzone/shared/samtemplate"
)

const (
	coldGoal = 1.15 // × hello world
	p99Goal  = 2 * time.Millisecond
)

// sizeGoal is the bootstrap size goal of a function, in bytes: 12 MiB, and
// 20 MiB for the outbox sender, which renders its messages with
// text/template (its reflection keeps every exported method linked) and is
// a stream consumer, on no person's path.
func sizeGoal(function string) int64 {
	if function == "outbox-sender" {
		return 20 << 20
	}
	return 12 << 20
}

func main() {
	var (
		out       = flag.String("out", "BENCHMARKS.md", "report file")
		runs      = flag.Int("runs", 15, "cold starts per function (median)")
		workers   = flag.Int("workers", 8, "concurrent clients of the load test")
		loadFor   = flag.Duration("load", 10*time.Second, "duration of each load test")
		benchtime = flag.String("benchtime", "1s", "go test -benchtime of the handler benchmarks")
		skipBuild = flag.Bool("skip-build", false, "use the bootstraps already under build/ (build time not measured)")
		riePath   = flag.String("rie", "", "aws-lambda-rie binary (default: PATH, then $(go env GOPATH)/bin)")
		onlyRE    = flag.String("only", "", "measure only the cold starts of the functions matching this regexp (no load, handler or budget runs; for iterating)")
	)
	flag.Parse()
	log.SetFlags(log.Ltime)
	var only *regexp.Regexp
	if *onlyRE != "" {
		only = regexp.MustCompile(*onlyRE)
	}
	tplPath, err := samtemplate.Find()
	if err != nil {
		log.Fatal(err)
	}
	root := filepath.Dir(tplPath)
	if err := os.Chdir(root); err != nil {
		log.Fatal(err)
	}
	if os.Getenv("DYNAMODB_ENDPOINT") == "" {
		log.Fatal("bench: DYNAMODB_ENDPOINT is not set; run it under go run ./infra/local/cmd/withddb --")
	}
	tpl, err := samtemplate.Load(tplPath)
	if err != nil {
		log.Fatal(err)
	}
	r := &report{Date: time.Now().UTC(), Runs: *runs}
	r.facts()

	// 1. Build and sizes.
	fns := functionDirs()
	if !*skipBuild {
		log.Printf("make build (%d functions, linux/arm64)", len(fns))
		t0 := time.Now()
		cmd := exec.Command("make", "build")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			log.Fatalf("make build: %v", err)
		}
		r.BuildTime = time.Since(t0)
	}
	for _, f := range fns {
		fi, err := os.Stat(filepath.Join("build", f, "bootstrap"))
		if err != nil {
			log.Printf("size of %s: %v (run without -skip-build)", f, err)
			r.Sizes = append(r.Sizes, sized{f, -1})
			continue
		}
		r.Sizes = append(r.Sizes, sized{f, fi.Size()})
	}

	// 2. A demo stack on DynamoDB Local, shared by cold starts and load.
	signing, verify := newKeys()
	os.Setenv("TOKEN_SIGNING_KEY", signing)
	os.Setenv("TOKEN_VERIFY_KEY", verify)
	ctx := context.Background()
	st, err := devserver.Start(ctx, devserver.Options{
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		TablePrefix:      "bench" + strings.ToLower(clientzone.NewID()[20:]) + "-",
		Logger:           app.NewLogger(io.Discard, "ERROR"),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(st.Handler)
	defer srv.Close()
	access, refresh := loginTokens(srv.URL)
	newest, err := st.Deps.DB.Invoices(ctx, demo.CustomerSK, billing.InvoiceFilter{Limit: 1})
	if err != nil || len(newest.Invoices) == 0 {
		log.Fatalf("newest demo invoice: %v", err)
	}
	fill := strings.NewReplacer("{{accessToken}}", access, "{{refreshToken}}", refresh, "{{invoiceId}}", newest.Invoices[0].ID)

	// Load on the dev server first: the cold starts replay samples that
	// change the demo data (password change, logout everywhere, ...).
	for _, t := range loadTargets(tpl, srv.URL, fill, r) {
		if only != nil {
			break
		}
		log.Printf("load %s for %s", t.Name, *loadFor)
		r.Load = append(r.Load, load(t, *workers, *loadFor))
	}

	// 3. Cold starts of host-arch builds.
	hostDir, err := os.MkdirTemp("", "clientzone-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(hostDir)
	log.Printf("building %d functions + hello for %s/%s", len(fns), runtime.GOOS, runtime.GOARCH)
	args := []string{"build", "-tags", lambdabuild.Tags, "-trimpath", "-ldflags", lambdabuild.LDFlags, "-o", hostDir + "/"}
	for _, f := range fns {
		args = append(args, "./functions/"+f)
	}
	args = append(args, "./infra/bench/hello", "./infra/bench/floor")
	build := exec.Command("go", args...)
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+runtime.GOARCH, "CGO_ENABLED=0")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		log.Fatalf("host build: %v", err)
	}
	inv := pickInvoker(*riePath)
	r.Emulator = inv.Name()
	cfg := st.Deps.Config
	env := []string{"TABLE_NAME=" + cfg.TableName, "BUCKET_NAME=" + cfg.BucketName, "DYNAMODB_ENDPOINT=" + cfg.DynamoDBEndpoint,
		"S3_ENDPOINT=" + cfg.S3Endpoint, "SECRETSMANAGER_ENDPOINT=" + cfg.SecretsManagerEndpoint, "TOKEN_VERIFY_KEYS=" + cfg.TokenVerifyKeys,
		"PAYMENT_PROVIDER=devpay", "AWS_REGION=" + cfg.Region,
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_LAMBDA_LOG_LEVEL=ERROR"}
	// Each function gets the names of the secrets template.yaml gives it
	// (and reads them at cold start, as in AWS); the checkout functions'
	// Stripe key is put beside the dev stack's secrets.
	if err := secretslocal.Put(ctx, cfg.SecretsManagerEndpoint, cfg.Region, map[string]string{benchStripeKeySecret: "sk_test_bench"}); err != nil {
		log.Fatal(err)
	}
	secretIDs := map[string]string{
		"TOKEN_SIGNING_KEY_SECRET_ID":     cfg.TokenSigningKeySecretID,
		"STRIPE_WEBHOOK_SECRET_SECRET_ID": cfg.StripeWebhookSecretSecretID,
		"STRIPE_SECRET_KEY_SECRET_ID":     benchStripeKeySecret,
	}
	httpFns := map[string]bool{}
	fnEnv := map[string][]string{}
	for _, f := range tpl.Functions {
		if len(f.Routes) > 0 {
			httpFns[f.Name] = true
		}
		fe := slices.Clone(env)
		for k := range f.Env {
			if strings.HasSuffix(k, "_SECRET_ID") {
				if secretIDs[k] == "" {
					log.Fatalf("bench: %s names a secret (%s) the bench has no value for", f.LogicalID, k)
				}
				fe = append(fe, k+"="+secretIDs[k])
			}
		}
		// The checkouts go through devpay here (no Stripe), which signs its
		// webhooks with the webhook secret: one more secret read at cold
		// start than in AWS, in parallel with the Stripe key's.
		if _, ok := f.Env["STRIPE_SECRET_KEY_SECRET_ID"]; ok {
			if _, has := f.Env["STRIPE_WEBHOOK_SECRET_SECRET_ID"]; !has {
				fe = append(fe, "STRIPE_WEBHOOK_SECRET_SECRET_ID="+cfg.StripeWebhookSecretSecretID)
			}
		}
		fnEnv[f.Name] = fe
	}
	floorSecretEnv := append(slices.Clone(env), "FLOOR_SECRET_ID="+cfg.TokenSigningKeySecretID)
	statusEvent := eventFor("status", true, fill)
	floorReadEvent := withHeaders(statusEvent, map[string]string{"x-validate": "1", "x-getitem": "1"})
	var hello, floor, floorRead, floorSecret coldStart // all baseline runs, spread across the run
	addRuns := func(to *coldStart, cs coldStart) {
		to.Runs, to.Warm, to.Overhead = append(to.Runs, cs.Runs...), append(to.Warm, cs.Warm...), append(to.Overhead, cs.Overhead...)
		to.Ready = append(to.Ready, cs.Ready...)
	}
	// Each function is compared with the baselines measured just before
	// and just after it (blocks[k] and blocks[k+1]): the machine's speed
	// drifts over a run, a comparison with neighbours does not.
	type block struct{ hello, floorRead coldStart }
	var (
		blocks  []block
		blockOf []int // per r.Cold row: the block measured before it
	)
	measureBaselines := func() {
		var blk block
		for _, b := range []struct {
			name, bin string
			env       []string
			event     []byte
			to, local *coldStart
		}{
			{"hello world", "hello", env, statusEvent, &hello, &blk.hello},
			{"floor", "floor", env, statusEvent, &floor, nil},
			{"floor with a read", "floor", env, floorReadEvent, &floorRead, &blk.floorRead},
			{"floor with a read and a secret", "floor", floorSecretEnv, floorReadEvent, &floorSecret, nil},
		} {
			cs := measureColdStart(inv, filepath.Join(hostDir, b.bin), b.env, b.event, *runs)
			if len(cs.Runs) == 0 || !strings.HasPrefix(cs.Note, "HTTP 200") {
				log.Fatalf("%s cold start: %s", b.name, cs.Note)
			}
			addRuns(b.to, cs)
			if b.local != nil {
				*b.local = cs
			}
		}
		blocks = append(blocks, blk)
	}
	measureBaselines()
	for i, f := range coldOrder(fns) {
		if only != nil && !only.MatchString(f) {
			continue
		}
		if i > 0 && i%5 == 0 {
			measureBaselines() // the machine's load drifts: the baselines are re-measured along the way
		}
		log.Printf("cold start %s", f)
		// Fresh tokens for every function: an earlier sample may have
		// ended the session (logout) or every token (password change).
		if a, r, err := tryLogin(srv.URL); err == nil {
			access, refresh = a, r
		} else {
			log.Printf("fresh tokens for %s: %v (the previous ones are used)", f, err)
		}
		fill := strings.NewReplacer("{{accessToken}}", access, "{{refreshToken}}", refresh, "{{invoiceId}}", newest.Invoices[0].ID)
		cs := measureColdStart(inv, filepath.Join(hostDir, f), fnEnv[f], eventFor(f, httpFns[f], fill), *runs)
		r.Cold = append(r.Cold, coldRow{Function: f, coldStart: cs})
		blockOf = append(blockOf, len(blocks)-1)
	}
	measureBaselines()
	for i := range r.Cold {
		before, after := blocks[blockOf[i]], blocks[blockOf[i]+1]
		c := &r.Cold[i]
		c.Hello = median(append(append([]time.Duration{}, before.hello.Runs...), after.hello.Runs...))
		c.HelloOverhead = median(append(append([]time.Duration{}, before.hello.Overhead...), after.hello.Overhead...))
		c.FloorReadOverhead = median(append(append([]time.Duration{}, before.floorRead.Overhead...), after.floorRead.Overhead...))
	}
	for _, b := range []*coldStart{&hello, &floor, &floorRead, &floorSecret} {
		b.Median, b.WarmMedian, b.OverheadMedian = median(b.Runs), median(b.Warm), median(b.Overhead)
		if len(b.Ready) > 0 {
			b.ReadyMedian = median(b.Ready)
		}
	}
	r.Hello, r.Floor, r.FloorRead, r.FloorSecret, r.HelloRuns = hello, floor, floorRead, floorSecret, len(hello.Runs)

	if only != nil {
		log.Printf("-only: handler benchmarks and DynamoDB budgets skipped")
		if err := os.WriteFile(*out, []byte(r.markdown()), 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote %s", *out)
		return
	}

	// 4. Handler benchmarks and DynamoDB calls per route.
	log.Printf("go test -bench (handlers)")
	r.Bench, r.BenchRaw = goBench(*benchtime)
	log.Printf("go test -run TestDynamoDBCallBudget")
	r.Budget, r.BudgetOK = callBudget()

	if err := os.WriteFile(*out, []byte(r.markdown()), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", *out)
}

func functionDirs() []string {
	ents, err := os.ReadDir("functions")
	if err != nil {
		log.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if _, err := os.Stat(filepath.Join("functions", e.Name(), "main.go")); err == nil {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// benchStripeKeySecret names the Stripe key the checkout functions read at
// cold start (devpay serves their checkouts; the key is only read).
const benchStripeKeySecret = "clientzone/stripe-secret-key"

func newKeys() (signing, verify string) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(priv.Seed()), base64.StdEncoding.EncodeToString(pub)
}

func loginTokens(base string) (access, refresh string) {
	access, refresh, err := tryLogin(base)
	if err != nil {
		log.Fatal(err)
	}
	return access, refresh
}

// tryLogin logs the demo admin in on the dev server.
func tryLogin(base string) (access, refresh string, err error) {
	b, _ := json.Marshal(map[string]string{"login": "jan.novak@example.sk", "password": demo.AdminPassword})
	resp, err := http.Post(base+"/v1/auth/login", "application/json", bytes.NewReader(b))
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	var tk struct{ AccessToken, RefreshToken string }
	if err := json.NewDecoder(resp.Body).Decode(&tk); err != nil || resp.StatusCode != 200 {
		return "", "", fmt.Errorf("login: %d %v", resp.StatusCode, err)
	}
	return tk.AccessToken, tk.RefreshToken, nil
}

// tokenKillers are the samples that end the demo admin's tokens or change
// the password: their cold starts are measured last.
var tokenKillers = []string{"temporary-password", "password-change"}

// coldOrder is fns with the token killers moved to the end, in the order
// of tokenKillers (the password change last: no login works after it).
func coldOrder(fns []string) []string {
	var out []string
	for _, f := range fns {
		if !slices.Contains(tokenKillers, f) {
			out = append(out, f)
		}
	}
	for _, f := range tokenKillers {
		if slices.Contains(fns, f) {
			out = append(out, f)
		}
	}
	return out
}

// signStripe fills a sample's {{stripeSignature}} with a valid signature of
// its body by the dev server's webhook secret, as Stripe would send it.
func signStripe(raw []byte) []byte {
	if !bytes.Contains(raw, []byte("{{stripeSignature}}")) {
		return raw
	}
	var ev struct {
		Body string `json:"body"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		log.Fatalf("stripe sample: %v", err)
	}
	sig := stripe.SignatureHeader([]byte(ev.Body), devserver.DevWebhookSecret, time.Now())
	return bytes.ReplaceAll(raw, []byte("{{stripeSignature}}"), []byte(sig))
}

// eventFor is the invoke payload of a function: its events/ sample with the
// placeholders filled for HTTP functions, else an empty scheduled event or
// an empty stream batch.
// withHeaders returns the API Gateway event with headers added.
func withHeaders(event []byte, h map[string]string) []byte {
	var ev map[string]any
	if err := json.Unmarshal(event, &ev); err != nil {
		log.Fatalf("event: %v", err)
	}
	hs, _ := ev["headers"].(map[string]any)
	if hs == nil {
		hs = map[string]any{}
	}
	for k, v := range h {
		hs[k] = v
	}
	ev["headers"] = hs
	out, err := json.Marshal(ev)
	if err != nil {
		log.Fatalf("event: %v", err)
	}
	return out
}

func eventFor(f string, isHTTP bool, fill *strings.Replacer) []byte {
	if isHTTP {
		raw, err := os.ReadFile(filepath.Join("events", f+".json"))
		if err == nil {
			return signStripe([]byte(fill.Replace(string(raw))))
		}
	}
	if strings.Contains(f, "sender") {
		return []byte(`{"Records":[]}`)
	}
	return []byte(`{}`)
}

func pickInvoker(path string) invoker {
	if path == "" {
		if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
			path = p
		} else if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			p := filepath.Join(strings.TrimSpace(string(out)), "bin", "aws-lambda-rie")
			if _, err := os.Stat(p); err == nil {
				path = p
			}
		}
	}
	if path != "" {
		return rie{path}
	}
	return runtimeAPI{}
}

// benchLine is one result line of go test -bench.
type benchLine struct {
	Name    string
	N       int
	Metrics map[string]float64 // unit → value
}

var benchRE = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$`)

func goBench(benchtime string) ([]benchLine, string) {
	cmd := exec.Command("go", "test", "-tags", lambdabuild.Tags, "-timeout", "60m", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", benchtime, "./infra/local/devserver")
	var buf bytes.Buffer
	cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		log.Printf("go test -bench: %v", err)
	}
	var out []benchLine
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		m := benchRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		bl := benchLine{Name: m[1], N: n, Metrics: map[string]float64{}}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				bl.Metrics[f[i+1]] = v
			}
		}
		out = append(out, bl)
	}
	return out, buf.String()
}

// callBudget runs the per-route DynamoDB call budget test and returns the
// measured lines it logs.
func callBudget() ([]string, bool) {
	cmd := exec.Command("go", "test", "-tags", lambdabuild.Tags, "-count=1", "-timeout", "60m", "-run", "^TestDynamoDBCallBudget$", "-v", "./infra/local/devserver")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	var lines []string
	in := false
	for _, l := range strings.Split(buf.String(), "\n") {
		switch {
		case strings.Contains(l, "DynamoDB calls per request:"):
			in = true
		case in && strings.HasPrefix(l, "        "):
			lines = append(lines, strings.TrimSpace(l))
		default:
			in = false
		}
	}
	if err != nil {
		log.Printf("TestDynamoDBCallBudget failed: %v\n%s", err, lastLine(buf.String()))
	}
	return lines, err == nil
}

// loadTargets are login, the invoice list and the calls list (or, until a
// calls route exists, the contracts list), from their events/ samples.
func loadTargets(tpl *samtemplate.Template, base string, fill *strings.Replacer, r *report) []target {
	names := []string{"login", "invoices-list"}
	calls := ""
	for _, f := range tpl.Functions {
		for _, rt := range f.Routes {
			if rt.Method == "GET" && strings.HasSuffix(rt.Path, "/calls") && calls == "" {
				calls = f.Name
			}
		}
	}
	if calls == "" {
		calls = "contracts-list"
		r.LoadNote = "No calls-list route exists yet; the contracts list stands in for it."
	}
	names = append(names, calls)
	var out []target
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join("events", n+".json"))
		if err != nil {
			log.Printf("load target %s: %v", n, err)
			continue
		}
		var ev struct {
			RawPath        string            `json:"rawPath"`
			RawQueryString string            `json:"rawQueryString"`
			Headers        map[string]string `json:"headers"`
			Body           string            `json:"body"`
			RequestContext struct {
				HTTP struct{ Method string } `json:"http"`
			} `json:"requestContext"`
		}
		if err := json.Unmarshal([]byte(fill.Replace(string(raw))), &ev); err != nil {
			log.Fatalf("events/%s.json: %v", n, err)
		}
		u := base + ev.RawPath
		if ev.RawQueryString != "" {
			u += "?" + ev.RawQueryString
		}
		delete(ev.Headers, "x-forwarded-for") // one client address would trip login's per-address limits
		out = append(out, target{Name: n, Method: ev.RequestContext.HTTP.Method, URL: u, Headers: ev.Headers, Body: []byte(ev.Body)})
	}
	return out
}
