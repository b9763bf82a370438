package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

// callBudget is the most DynamoDB calls one request of a route may make.
//
// Every call of the request counts, by the SDK middleware
// dynamotest.CountCalls (a retried call counts once). The default rule, for a
// route without an entry in callBudgets:
//   - reads (GetItem, BatchGetItem, Query): at most 2, plus 1 on
//     authenticated routes for the authentication's person GetItem;
//   - GET routes write nothing; other routes make at most 1 write call (one
//     TransactWriteItems or one conditional Put/Update/Delete);
//   - no route ever Scans (not even with an entry).
type callBudget struct {
	Reads, Writes int
	Why           string // required for an entry in callBudgets
}

// callBudgets are the routes that need more than the default rule, each
// with its reason. Keyed by function folder name.
//
// Recurring reasons: an Idempotency-Key record costs a PutItem before the
// action and an UpdateItem after it (Endpoint.Idempotent); a PIN step-up
// reads the PIN item and reserves an attempt before checking (UpdateItem),
// giving it back on success (UpdateItem); rate limits are counters taken
// with UpdateItem before the check. Each is a conditional single-item write
// outside the action's one transaction, so a failure cannot half-write.
var callBudgets = map[string]callBudget{
	"login":                 {Reads: 2, Writes: 3, Why: "login alias GetItem + person BatchGetItem; the failed-login counter is taken before the password check and given back on success (2 UpdateItem), then the session transaction"},
	"account-request":       {Reads: 3, Writes: 2, Why: "public: rate-limit counter (UpdateItem) before matching the contract number (Query) and the customer/login (GetItem), then one transaction"},
	"password-reset":        {Reads: 3, Writes: 2, Why: "public: rate-limit counter (UpdateItem) before finding the login, person and customer (GetItem), then one transaction"},
	"balance":               {Reads: 4, Writes: 0, Why: "authentication + customer (currency) + balance + autopay items: three GetItems on the customer partition (could become one Query)"},
	"standing-order":        {Reads: 4, Writes: 2, Why: "PIN step-up (GetItem + reserve/give back UpdateItems) before the customer GetItem and contracts Query"},
	"billing-data-update":   {Reads: 5, Writes: 3, Why: "PIN step-up (GetItem + reserve/give back UpdateItems); customer reads; one transaction"},
	"direct-debit":          {Reads: 4, Writes: 3, Why: "PIN step-up (GetItem + reserve/give back UpdateItems); customer reads; one transaction"},
	"correction-request":    {Reads: 3, Writes: 4, Why: "Idempotency-Key record (PutItem + UpdateItem); the fee invoice's number from the yearly sequence counter (UpdateItem); one transaction"},
	"invoice-payment":       {Reads: 3, Writes: 3, Why: "Idempotency-Key record (PutItem + UpdateItem) around the checkout provider call; one transaction"},
	"top-up":                {Reads: 3, Writes: 3, Why: "Idempotency-Key record (PutItem + UpdateItem) around the checkout provider call; one transaction"},
	"proforma-create":       {Reads: 4, Writes: 3, Why: "Idempotency-Key record (PutItem + UpdateItem); authentication and the paid object/customer reads; one transaction"},
	"service-renewal":       {Reads: 4, Writes: 3, Why: "Idempotency-Key record (PutItem + UpdateItem); the contract (Query) and customer reads; one transaction"},
	"invoice-pdf":           {Reads: 3, Writes: 1, Why: "GET that renders the PDF on first request and records its S3 key (one conditional UpdateItem); later requests only read"},
	"persons-import":        {Reads: 3, Writes: 2, Why: "writes scale with the imported rows: one transaction per person (the sample imports 2)"},
	"addon-add":             {Reads: 3, Writes: 3, Why: "Idempotency-Key record (PutItem + UpdateItem); authentication, the contract (Query) and the addon tariff (GetItem); one transaction"},
	"tariff-change":         {Reads: 4, Writes: 5, Why: "Idempotency-Key record (PutItem + UpdateItem) and PIN step-up (GetItem + reserve/give back UpdateItems); the contract (Query) and the new tariff (GetItem); one transaction"},
	"suspension-start":      {Reads: 5, Writes: 5, Why: "Idempotency-Key record (PutItem + UpdateItem) and PIN step-up (GetItem + reserve/give back UpdateItems); the contract (Query) and this year's used free days; one transaction"},
	"suspension-end":        {Reads: 5, Writes: 3, Why: "PIN step-up (GetItem + reserve/give back UpdateItems); the contract (Query) and this year's used free days; one transaction"},
	"termination-request":   {Reads: 6, Writes: 5, Why: "Idempotency-Key record (PutItem + UpdateItem) and PIN step-up (GetItem + reserve/give back UpdateItems); the contract, unpaid invoices (GSI1 Query) and the balance for the zero-debt rule; one transaction"},
	"promotions-list":       {Reads: 4, Writes: 0, Why: "targeting by the customer's region (GetItem) and active service kinds (contracts Query) before the promotions Query"},
	"ticket-reply":          {Reads: 4, Writes: 1, Why: "the ticket and the attachments to claim (GetItem each) besides authentication and the thread Query; one transaction"},
	"ticket-staff-reply":    {Reads: 4, Writes: 1, Why: "back office: the customer and the ticket's author (language and email for the notification) besides the ticket; one transaction"},
	"contract-upsert":       {Reads: 6, Writes: 1, Why: "back office: the customer (currency), the tariff catalogue and the stored contract with its services, pending changes and termination request are read to validate and merge; one transaction"},
	"customer-upsert":       {Reads: 3, Writes: 1, Why: "back office: the stored customer plus the variable-symbol claim and proforma-space guard items; one transaction"},
	"invoice-upsert":        {Reads: 3, Writes: 1, Why: "back office: the customer (currency), the stored invoice (payment state) and the contract check; one transaction"},
	"bank-statement-import": {Reads: 7, Writes: 1, Why: "back office batch: reads scale with the statement's lines (the sample has 3); one transaction"},
}

// defaultBudget is the rule for a route without an entry.
func defaultBudget(method string, public bool) callBudget {
	b := callBudget{Reads: 2, Writes: 1}
	if !public {
		b.Reads++ // the authentication's person GetItem
	}
	if method == "GET" {
		b.Writes = 0
	}
	return b
}

// TestDynamoDBCallBudget replays each events/<function>.json sample (as
// TestEventsReplay does, one fresh demo stack each) with a call counter in
// the request's context and checks the route's budget. It fails listing
// every route over budget with its counts.
func TestDynamoDBCallBudget(t *testing.T) {
	var (
		mu       sync.Mutex
		offences []string
		measured []string
	)
	t.Cleanup(func() {
		sort.Strings(measured)
		t.Logf("DynamoDB calls per request:\n%s", strings.Join(measured, "\n"))
		if len(offences) > 0 {
			sort.Strings(offences)
			t.Errorf("routes over their DynamoDB call budget (see callBudgets in budget_test.go):\n%s", strings.Join(offences, "\n"))
		}
	})
	for _, f := range loadTemplate(t).Functions {
		if len(f.Routes) == 0 {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			calls, status, public := replayCounted(t, f.Name, f.Routes[0].Method+" "+f.Routes[0].Path)
			if status >= 300 {
				t.Fatalf("events/%s.json answered %d; TestEventsReplay tells why", f.Name, status)
			}
			method := f.Routes[0].Method
			b, custom := callBudgets[f.Name]
			if custom && b.Why == "" {
				t.Errorf("callBudgets[%q] has no reason", f.Name)
			}
			if !custom {
				b = defaultBudget(method, public)
			}
			line := fmt.Sprintf("%-26s %-6s reads %d/%d writes %d/%d  %s", f.Name, method, calls.Reads(), b.Reads, calls.Writes(), b.Writes, calls)
			mu.Lock()
			defer mu.Unlock()
			measured = append(measured, line)
			if calls.Count("Scan") > 0 || calls.Reads() > b.Reads || calls.Writes() > b.Writes {
				offences = append(offences, line)
			}
		})
	}
}

// TestDefaultCallBudget pins the default rule's arithmetic.
func TestDefaultCallBudget(t *testing.T) {
	for _, c := range []struct {
		method        string
		public        bool
		reads, writes int
	}{
		{"GET", true, 2, 0}, {"GET", false, 3, 0}, {"POST", true, 2, 1}, {"PUT", false, 3, 1},
	} {
		if b := defaultBudget(c.method, c.public); b.Reads != c.reads || b.Writes != c.writes {
			t.Errorf("defaultBudget(%s, public=%v) = %+v", c.method, c.public, b)
		}
	}
}

// replayCounted replays events/<name>.json on a fresh demo stack whose
// DynamoDB client counts calls, and returns the calls of that one request,
// its status and whether the route is public.
func replayCounted(t *testing.T, name, routeKey string) (*dynamotest.Calls, int, bool) {
	t.Helper()
	st, srv, _ := newStack(t)
	if prepare, ok := samplePrepare[name]; ok {
		prepare(t, st) // state the sample needs, as in TestEventsReplay
	}
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "events", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	tk := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword)
	newest, err := st.Deps.DB.Invoices(context.Background(), demo.CustomerSK, billing.InvoiceFilter{Limit: 1})
	if err != nil || len(newest.Invoices) == 0 {
		t.Fatalf("newest demo invoice: %v", err)
	}
	raw = []byte(strings.NewReplacer("{{accessToken}}", tk.AccessToken, "{{refreshToken}}", tk.RefreshToken,
		"{{invoiceId}}", newest.Invoices[0].ID).Replace(string(raw)))
	raw = signStripeSample(t, raw)
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.RouteKey != routeKey {
		t.Fatalf("event routeKey = %q, template route %q", ev.RouteKey, routeKey)
	}
	// The handler under test gets a counting client on the same table.
	counted := dynamodb.New(st.Deps.Dynamo.Options(), dynamotest.CountCalls)
	deps := *st.Deps
	deps.Dynamo = counted
	deps.DB = dynamo.New(counted, deps.Config.TableName)
	h, err := Constructors[name](&deps)
	if err != nil {
		t.Fatal(err)
	}
	calls := &dynamotest.Calls{}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-req-1"})
	resp, err := httpadapter.NewV2(h).ProxyWithContext(dynamotest.WithCalls(ctx, calls), ev)
	if err != nil {
		t.Fatal(err)
	}
	return calls, resp.StatusCode, h.Access.IsPublic()
}
