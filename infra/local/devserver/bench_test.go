package devserver

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/password"
	"github.com/clientzone/clientzone/shared/samtemplate"
	"github.com/clientzone/clientzone/shared/token"
)

// BenchmarkHandlers runs each function's handler in process, excluding I/O:
// its events/<function>.json sample is replayed once against DynamoDB Local
// while a recorder keeps every DynamoDB answer, then the benchmark loop
// replays the same request through the Lambda adapter into the handler with
// those answers served from memory. What is measured is the function's own
// work per request: adapter, routing, token verification, validation,
// (un)marshalling, the use case and logging (to io.Discard, JSON as in
// Lambda). Password hashing is not part of login here (the stack uses
// minimal argon2id costs); BenchmarkPasswordVerify measures it alone.
//
// Besides ns/op and allocs/op each reports p50-ns and p99-ns from the
// per-iteration timings. Functions doing other I/O (S3, SES, Stripe) or
// whose sample cannot be replayed deterministically are skipped with the
// reason.
func BenchmarkHandlers(b *testing.B) {
	if dynamotest.Endpoint() == "" {
		b.Skip("needs DynamoDB Local (go run ./infra/local/cmd/withddb -- go test -bench ...)")
	}
	tplPath, err := samtemplate.Find()
	if err != nil {
		b.Fatal(err)
	}
	tpl, err := samtemplate.Load(tplPath)
	if err != nil {
		b.Fatal(err)
	}
	// Functions whose handler does I/O beyond DynamoDB, or cannot be replayed.
	skip := map[string]string{
		"invoice-pdf":     "renders and stores the PDF in S3",
		"payment-webhook": "its sample's signature is time-bound",
	}
	for _, f := range tpl.Functions {
		if len(f.Routes) == 0 {
			continue
		}
		b.Run(f.Name, func(b *testing.B) {
			if why, ok := skip[f.Name]; ok {
				b.Skip(why)
			}
			benchHandler(b, filepath.Dir(tplPath), f.Name)
		})
	}
}

// benchHandler records one request of function name and benchmarks its replay.
func benchHandler(b *testing.B, root, name string) {
	st, base := benchStack(b)
	raw, err := os.ReadFile(filepath.Join(root, "events", name+".json"))
	if err != nil {
		b.Fatal(err)
	}
	if bytes.Contains(raw, []byte("{{stripeSignature}}")) {
		b.Skip("sample needs a time-bound signature")
	}
	access, refresh := benchLogin(b, base)
	newest, err := st.Deps.DB.Invoices(context.Background(), demo.CustomerSK, billing.InvoiceFilter{Limit: 1})
	if err != nil || len(newest.Invoices) == 0 {
		b.Fatalf("newest demo invoice: %v", err)
	}
	raw = []byte(strings.NewReplacer("{{accessToken}}", access, "{{refreshToken}}", refresh,
		"{{invoiceId}}", newest.Invoices[0].ID).Replace(string(raw)))
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		b.Fatal(err)
	}
	rec := &recordingAPI{real: dynamodb.New(st.Deps.Dynamo.Options())}
	deps := *st.Deps
	deps.Logger = app.NewLogger(io.Discard, "INFO")
	// Measure the status page's full work per request, not its
	// in-process cache (which would answer every iteration but the first).
	deps.Config.StatusCacheTTL = 0
	deps.DB = dynamo.New(rec, deps.Config.TableName)
	h, err := Constructors[name](&deps)
	if err != nil {
		b.Fatal(err)
	}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "bench"})
	first, err := httpadapter.NewV2(h).ProxyWithContext(ctx, ev)
	if err != nil {
		b.Fatal(err)
	}
	if first.StatusCode >= 300 {
		b.Skipf("sample answered %d: %s", first.StatusCode, first.Body)
	}
	// The measured handler reads the recorded answers.
	rp := &replayAPI{calls: rec.calls}
	deps.DB = dynamo.New(rp, deps.Config.TableName)
	if h, err = Constructors[name](&deps); err != nil {
		b.Fatal(err)
	}
	adapter := httpadapter.NewV2(h)
	check := func() {
		rp.next = 0
		resp, err := adapter.ProxyWithContext(ctx, ev)
		if err != nil || resp.StatusCode != first.StatusCode || rp.err != nil {
			b.Skipf("not replayable: status %d (first %d), err %v, replay %v", resp.StatusCode, first.StatusCode, err, rp.err)
		}
	}
	check()
	times := make([]time.Duration, 0, 1<<16)
	hashes := password.Argon2Runs()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rp.next = 0
		t0 := time.Now()
		resp, err := adapter.ProxyWithContext(ctx, ev)
		d := time.Since(t0)
		if err != nil || resp.StatusCode != first.StatusCode {
			b.Fatalf("status %d, err %v", resp.StatusCode, err)
		}
		if len(times) < cap(times) {
			times = append(times, d)
		}
	}
	b.StopTimer()
	if rp.err != nil {
		b.Fatal(rp.err)
	}
	reportPercentiles(b, times)
	b.ReportMetric(float64(len(rec.calls)), "ddb-calls/op")
	// Password and PIN checks (argon2id, here at minimal costs) are apart
	// from the handler goal: make bench lists these handlers separately.
	b.ReportMetric(float64(password.Argon2Runs()-hashes)/float64(b.N), "argon2/op")
}

// reportPercentiles adds p50-ns and p99-ns metrics from per-iteration times.
func reportPercentiles(b *testing.B, times []time.Duration) {
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	at := func(q float64) float64 { return float64(times[min(len(times)-1, int(q*float64(len(times))))]) }
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
}

// BenchmarkPasswordVerify is login's password check at the production
// argon2id costs (password.OWASP), reported apart from BenchmarkHandlers.
func BenchmarkPasswordVerify(b *testing.B) {
	h := password.NewHasher(password.OWASP)
	hash, err := h.Hash("Demo-Heslo-2026")
	if err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := h.Verify("Demo-Heslo-2026", hash); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	reportPercentiles(b, times)
}

// BenchmarkTokenVerify is the per-request access-token check of every
// authenticated route.
func BenchmarkTokenVerify(b *testing.B) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	s := token.NewSigner(priv, "clientzone", "clientzone-api", 15*time.Minute)
	v := token.NewVerifier("clientzone", "clientzone-api", pub)
	raw, _, err := s.Sign(time.Now(), clientzone.NewID(), clientzone.NewID(), clientzone.NewID(), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// benchStack starts a demo stack on the shared DynamoDB Local with fresh
// tables, served over HTTP for logging in.
func benchStack(b *testing.B) (*Stack, string) {
	b.Helper()
	st, err := Start(context.Background(), Options{
		DynamoDBEndpoint: dynamotest.Endpoint(),
		TablePrefix:      "b" + strings.ToLower(clientzone.NewID()) + "-",
		Logger:           app.NewLogger(io.Discard, "ERROR"),
		PasswordParams:   &fastHash,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(st.Close)
	srv := httptest.NewServer(st.Handler)
	b.Cleanup(srv.Close)
	return st, srv.URL
}

func benchLogin(b *testing.B, base string) (access, refresh string) {
	b.Helper()
	body, _ := json.Marshal(map[string]string{"login": "jan.novak@example.sk", "password": demo.AdminPassword})
	// Not http.DefaultClient: TestMain makes it check exchanges against the
	// OpenAPI document, which is not what a benchmark measures.
	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Post(base+"/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var tk tokens
	if err := json.NewDecoder(resp.Body).Decode(&tk); err != nil || resp.StatusCode != 200 {
		b.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	return tk.AccessToken, tk.RefreshToken
}

// recordedCall is one DynamoDB call's answer.
type recordedCall struct {
	op  string
	out any
	err error
}

// recordingAPI passes calls to DynamoDB and keeps their answers.
type recordingAPI struct {
	real  *dynamodb.Client
	calls []recordedCall
}

func record[O any](r *recordingAPI, op string, out O, err error) (O, error) {
	r.calls = append(r.calls, recordedCall{op, out, err})
	return out, err
}

func (r *recordingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	out, err := r.real.GetItem(ctx, in, o...)
	return record(r, "GetItem", out, err)
}

func (r *recordingAPI) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	out, err := r.real.BatchGetItem(ctx, in, o...)
	return record(r, "BatchGetItem", out, err)
}

func (r *recordingAPI) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	out, err := r.real.PutItem(ctx, in, o...)
	return record(r, "PutItem", out, err)
}

func (r *recordingAPI) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	out, err := r.real.UpdateItem(ctx, in, o...)
	return record(r, "UpdateItem", out, err)
}

func (r *recordingAPI) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	out, err := r.real.DeleteItem(ctx, in, o...)
	return record(r, "DeleteItem", out, err)
}

func (r *recordingAPI) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := r.real.Query(ctx, in, o...)
	return record(r, "Query", out, err)
}

func (r *recordingAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	out, err := r.real.TransactWriteItems(ctx, in, o...)
	return record(r, "TransactWriteItems", out, err)
}

func (r *recordingAPI) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	out, err := r.real.BatchWriteItem(ctx, in, o...)
	return record(r, "BatchWriteItem", out, err)
}

// replayAPI answers calls, in order, with recorded answers; a call out of
// sequence sets err (the request did something else than when recorded).
type replayAPI struct {
	calls []recordedCall
	next  int
	err   error
}

func replay[O any](r *replayAPI, op string) (O, error) {
	var zero O
	if r.next >= len(r.calls) || r.calls[r.next].op != op {
		if r.err == nil {
			r.err = fmt.Errorf("replay: call %d is %s, recorded %d calls", r.next, op, len(r.calls))
		}
		return zero, r.err
	}
	c := r.calls[r.next]
	r.next++
	out, _ := c.out.(O)
	return out, c.err
}

func (r *replayAPI) GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return replay[*dynamodb.GetItemOutput](r, "GetItem")
}

func (r *replayAPI) BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	return replay[*dynamodb.BatchGetItemOutput](r, "BatchGetItem")
}

func (r *replayAPI) PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return replay[*dynamodb.PutItemOutput](r, "PutItem")
}

func (r *replayAPI) UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	return replay[*dynamodb.UpdateItemOutput](r, "UpdateItem")
}

func (r *replayAPI) DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	return replay[*dynamodb.DeleteItemOutput](r, "DeleteItem")
}

func (r *replayAPI) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return replay[*dynamodb.QueryOutput](r, "Query")
}

func (r *replayAPI) TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	return replay[*dynamodb.TransactWriteItemsOutput](r, "TransactWriteItems")
}

func (r *replayAPI) BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	return replay[*dynamodb.BatchWriteItemOutput](r, "BatchWriteItem")
}
