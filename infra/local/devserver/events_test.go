package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/billing"
)

// TestEventsReplay replays every events/<function>.json through the Lambda
// adapter into the function's handler, built exactly as its main.go builds
// it. Each sample runs against its own fresh demo-data stack, so samples
// that change state (logout, password change, PIN change) cannot affect
// each other, whatever the order.
func TestEventsReplay(t *testing.T) {
	// Success status of samples that do not answer 200.
	statuses := map[string]int{"invoice-payment": 201, "top-up": 201, "person-create": 201, "correction-request": 201, "proforma-create": 201, "service-renewal": 201}
	for name, status := range map[string]int{"message-create": 201, "ticket-create": 201, "ticket-reply": 201, "ticket-attachment-upload": 201, "ticket-staff-reply": 201} {
		statuses[name] = status // support samples (support_test.go)
	}
	statuses["customer-upsert"], statuses["invoice-upsert"] = 201, 201 // back-office upserts that create
	for name, status := range contractSampleStatuses {
		statuses[name] = status // contract samples (contracts_test.go)
	}
	// What each sample must produce, beyond its status and a JSON body.
	checks := map[string]func(t *testing.T, body map[string]any){
		"customer-upsert": func(t *testing.T, b map[string]any) {
			if b["id"] != "01JDEM0SK00000000000000002" || b["variableSymbol"] != "2024002" || b["kind"] != "company" || b["createdAt"] == "" {
				t.Errorf("customer-upsert body = %v", b)
			}
		},
		"invoice-upsert": func(t *testing.T, b map[string]any) {
			if b["customerId"] != demo.CustomerHU || b["number"] != "VCRM-2026-0107" || b["status"] != "unpaid" || len(b["lines"].([]any)) != 1 {
				t.Errorf("invoice-upsert body = %v", b)
			}
		},
		// Authorized messages, tickets, promotions, status back office.
		"messages-list":            supportSampleChecks["messages-list"],
		"message-create":           supportSampleChecks["message-create"],
		"message-get":              supportSampleChecks["message-get"],
		"message-status-update":    messageStatusSampleCheck,
		"ticket-create":            supportSampleChecks["ticket-create"],
		"tickets-list":             supportSampleChecks["tickets-list"],
		"ticket-get":               supportSampleChecks["ticket-get"],
		"ticket-reply":             supportSampleChecks["ticket-reply"],
		"ticket-close":             supportSampleChecks["ticket-close"],
		"ticket-attachment-upload": supportSampleChecks["ticket-attachment-upload"],
		"ticket-staff-reply":       supportSampleChecks["ticket-staff-reply"],
		"status-component-upsert":  supportSampleChecks["status-component-upsert"],
		"status-incident-upsert":   supportSampleChecks["status-incident-upsert"],
		"promotions-list":          supportSampleChecks["promotions-list"],
		"promotion-upsert":         supportSampleChecks["promotion-upsert"],

		"invoice-payment": checkPaymentStarted,
		"top-up":          checkPaymentStarted,
		"payment-webhook": func(t *testing.T, b map[string]any) {
			if b["received"] != true || b["duplicate"] != nil {
				t.Errorf("payment-webhook body = %v", b)
			}
		},
		"status": func(t *testing.T, b map[string]any) {
			if b["overall"] != "maintenance" || len(b["components"].([]any)) != 5 {
				t.Errorf("status body = %v", b)
			}
		},
		"login": func(t *testing.T, b map[string]any) {
			if b["tokenType"] != "Bearer" || b["accessToken"] == "" || b["refreshToken"] == "" {
				t.Errorf("login body = %v", b)
			}
		},
		"me": func(t *testing.T, b map[string]any) {
			if b["email"] != "jan.novak@example.sk" || b["role"] != "admin" {
				t.Errorf("me body = %v", b)
			}
		},
		"persons-list": func(t *testing.T, b map[string]any) {
			if items, _ := b["items"].([]any); len(items) < 3 {
				t.Errorf("persons body = %v", b)
			}
		},
		"person-create": func(t *testing.T, b map[string]any) { // answers 201 Created
			if b["email"] != "maria.kovacova@example.sk" || b["id"] == "" {
				t.Errorf("person-create body = %v", b)
			}
		},
		"person-get": func(t *testing.T, b map[string]any) {
			if b["email"] != "eva.novakova@example.sk" {
				t.Errorf("person-get body = %v", b)
			}
		},
		"person-update": func(t *testing.T, b map[string]any) {
			if fmt.Sprint(b["rights"]) != "[calls traffic tickets]" {
				t.Errorf("person-update body = %v", b)
			}
		},
		"person-disable": func(t *testing.T, b map[string]any) {
			if b["disabled"] != true {
				t.Errorf("person-disable body = %v", b)
			}
		},
		"audit-log": func(t *testing.T, b map[string]any) {
			if _, ok := b["items"].([]any); !ok {
				t.Errorf("audit-log body = %v", b)
			}
		},
		"persons-import": func(t *testing.T, b map[string]any) {
			if b["imported"] != float64(2) || len(b["errors"].([]any)) != 0 {
				t.Errorf("persons-import body = %v", b)
			}
		},
		"account-request": func(t *testing.T, b map[string]any) {
			if !strings.Contains(fmt.Sprint(b["message"]), "aktivačný odkaz") || b["salesContact"] == "" {
				t.Errorf("account-request body = %v", b)
			}
		},
		"account-request-confirm": func(t *testing.T, b map[string]any) {
			if b["activated"] != true || b["login"] != "peter@example.sk" {
				t.Errorf("account-request-confirm body = %v", b)
			}
		},
		"password-reset": func(t *testing.T, b map[string]any) {
			if b["channel"] != "sms" || b["resetId"] == "" || b["message"] == "" {
				t.Errorf("password-reset body = %v", b)
			}
		},
		"password-reset-confirm": func(t *testing.T, b map[string]any) {
			if b["reset"] != true {
				t.Errorf("password-reset-confirm body = %v", b)
			}
		},
		"refresh": func(t *testing.T, b map[string]any) {
			if b["tokenType"] != "Bearer" || b["accessToken"] == "" || b["refreshToken"] == "" {
				t.Errorf("refresh body = %v", b)
			}
		},
		"logout": func(t *testing.T, b map[string]any) {
			if b["loggedOut"] != true || b["everywhere"] != false {
				t.Errorf("logout body = %v", b)
			}
		},
		"password-change": func(t *testing.T, b map[string]any) {
			if b["accessToken"] == "" || b["mustChangePassword"] != false {
				t.Errorf("password-change body = %v", b)
			}
		},
		"me-update": func(t *testing.T, b map[string]any) {
			n, _ := b["notifications"].(map[string]any)
			if b["language"] != "sk" || n["news"] != true || n["invoices"] != true || b["email"] != "jan.novak@example.sk" {
				t.Errorf("me-update body = %v", b)
			}
		},
		"temporary-password": func(t *testing.T, b map[string]any) {
			if pw, _ := b["temporaryPassword"].(string); len(pw) != 12 {
				t.Errorf("temporary-password body = %v", b)
			}
		},
		"customer": func(t *testing.T, b map[string]any) {
			if b["id"] != demo.CustomerSK || b["pinSet"] != true {
				t.Errorf("customer body = %v", b)
			}
		},
		"billing-data-update": func(t *testing.T, b map[string]any) {
			if a, _ := b["billingAddress"].(map[string]any); a["street"] != "Štúrova 14" {
				t.Errorf("billing-data-update body = %v", b)
			}
		},
		"pin-change": func(t *testing.T, b map[string]any) {
			if b["changed"] != true {
				t.Errorf("pin-change body = %v", b)
			}
		},
		"pin-issue": func(t *testing.T, b map[string]any) {
			if b["issued"] != true || b["sentTo"] != "+363 *** *** 567" {
				t.Errorf("pin-issue body = %v", b)
			}
		},
		"invoice-get": func(t *testing.T, b map[string]any) {
			if b["status"] != "unpaid" || len(b["lines"].([]any)) != 1 || b["variableSymbol"] != "2024001" {
				t.Errorf("invoice-get body = %v", b)
			}
		},
		"invoice-pdf": func(t *testing.T, b map[string]any) {
			if u, _ := b["url"].(string); !strings.Contains(u, "X-Amz-Signature=") || !strings.HasSuffix(b["filename"].(string), ".pdf") || b["expiresAt"] == nil {
				t.Errorf("invoice-pdf body = %v", b)
			}
		},
		"balance": func(t *testing.T, b map[string]any) {
			bal, _ := b["balance"].(map[string]any)
			ap, _ := b["autopay"].(map[string]any)
			if bal["amount"] != float64(0) || bal["currency"] != "EUR" || ap["enabled"] != false {
				t.Errorf("balance body = %v", b)
			}
		},
		"transactions": func(t *testing.T, b map[string]any) {
			if items, ok := b["items"].([]any); !ok || len(items) != 0 {
				t.Errorf("transactions body = %v", b)
			}
		},
		"autopay-enable": func(t *testing.T, b map[string]any) {
			if b["enabled"] != true || b["method"] != "balance" {
				t.Errorf("autopay-enable body = %v", b)
			}
		},
		"autopay-disable": func(t *testing.T, b map[string]any) {
			if b["enabled"] != false {
				t.Errorf("autopay-disable body = %v", b)
			}
		},
		"direct-debit": func(t *testing.T, b map[string]any) {
			if b["iban"] != "SK31 **** **** **** **** 7541" || b["status"] != "active" || b["id"] == "" {
				t.Errorf("direct-debit body = %v", b)
			}
		},
		"standing-order": func(t *testing.T, b map[string]any) {
			amt, _ := b["amount"].(map[string]any)
			if b["eligible"] != true || b["variableSymbol"] != "2024001" || amt["amount"] != float64(2990) {
				t.Errorf("standing-order body = %v", b)
			}
		},
		"correction-request": func(t *testing.T, b map[string]any) { // answers 201 Created
			fee, _ := b["feeInvoice"].(map[string]any)
			if b["requestId"] == "" || fee["status"] != "unpaid" {
				t.Errorf("correction-request body = %v", b)
			}
		},
		"invoices-list": func(t *testing.T, b map[string]any) {
			items := b["items"].([]any)
			if len(items) != 2 {
				t.Errorf("unpaid invoices = %d, want 2 (one overdue)", len(items))
			}
		},
		"proforma-create": func(t *testing.T, b map[string]any) { // answers 201 Created
			bt, _ := b["bankTransfer"].(map[string]any)
			if b["purpose"] != "invoice" || b["variableSymbol"] != "2024001001" || bt["iban"] == "" {
				t.Errorf("proforma-create body = %v", b)
			}
		},
		"proformas-list": func(t *testing.T, b map[string]any) {
			if items, ok := b["items"].([]any); !ok || len(items) != 0 {
				t.Errorf("proformas-list body = %v", b)
			}
		},
		"service-renewal": func(t *testing.T, b map[string]any) { // answers 201 Created
			pf, _ := b["proforma"].(map[string]any)
			if b["method"] != "proforma" || pf["purpose"] != "renewal" {
				t.Errorf("service-renewal body = %v", b)
			}
		},
		"bank-statement-import": func(t *testing.T, b map[string]any) {
			matched, _ := b["matched"].([]any)
			unmatched, _ := b["unmatched"].([]any)
			if b["lines"] != float64(3) || len(matched) != 1 || len(unmatched) != 1 {
				t.Errorf("bank-statement-import body = %v", b)
			}
		},
		"calls-list": func(t *testing.T, b map[string]any) {
			items, ok := b["items"].([]any)
			if !ok || len(items) > 20 || b["contractId"] != demo.ContractSK || b["from"] == nil || b["to"] == nil {
				t.Errorf("calls-list body = %v", b)
			}
		},
		"traffic": func(t *testing.T, b map[string]any) {
			items, _ := b["items"].([]any)
			total, _ := b["total"].(map[string]any)
			if b["granularity"] != "monthly" || len(items) != 12 || total["downloadBytes"].(float64) <= 0 {
				t.Errorf("traffic body = %v", b)
			}
		},
		"traffic-by-ip": func(t *testing.T, b map[string]any) {
			if items, _ := b["items"].([]any); len(items) != len(demo.TrafficIPs) {
				t.Errorf("traffic-by-ip body = %v", b)
			}
		},
		"service-protocols": func(t *testing.T, b map[string]any) {
			if items, _ := b["items"].([]any); len(items) != 2 {
				t.Errorf("service-protocols body = %v", b)
			}
		},
		"support-requests": func(t *testing.T, b map[string]any) {
			if items, _ := b["items"].([]any); len(items) != 3 {
				t.Errorf("support-requests body = %v", b)
			}
		},
		"calls-ingest": func(t *testing.T, b map[string]any) {
			if b["received"] != float64(2) || b["written"] != float64(2) {
				t.Errorf("calls-ingest body = %v", b)
			}
		},
		"traffic-ingest": func(t *testing.T, b map[string]any) {
			if b["received"] != float64(2) || b["written"] != float64(2) {
				t.Errorf("traffic-ingest body = %v", b)
			}
		},
		"service-protocol-upsert": func(t *testing.T, b map[string]any) {
			if b["id"] != demo.ProtocolRepair || b["kind"] != "repair" || b["contractId"] != demo.ContractSK {
				t.Errorf("service-protocol-upsert body = %v", b)
			}
		},
		"support-request-upsert": func(t *testing.T, b map[string]any) {
			if b["id"] != demo.SupportOpen || b["status"] != "resolved" || b["closedAt"] == nil {
				t.Errorf("support-request-upsert body = %v", b)
			}
		},
	}
	for name, check := range contractSampleChecks {
		checks[name] = check
	}
	for _, f := range loadTemplate(t).Functions {
		if len(f.Routes) == 0 {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			st, srv, _ := newStack(t)
			if prepare, ok := samplePrepare[f.Name]; ok {
				prepare(t, st) // state the sample needs (e.g. a suspended contract)
			}
			raw, err := os.ReadFile(filepath.Join(repoRoot(t), "events", f.Name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			tk := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword)
			// {{invoiceId}}: the demo customer's newest invoice (ids follow the clock).
			newest, err := st.Deps.DB.Invoices(context.Background(), demo.CustomerSK, billing.InvoiceFilter{Limit: 1})
			if err != nil || len(newest.Invoices) == 0 {
				t.Fatalf("newest demo invoice: %v", err)
			}
			raw = []byte(strings.NewReplacer("{{accessToken}}", tk.AccessToken, "{{refreshToken}}", tk.RefreshToken,
				"{{invoiceId}}", newest.Invoices[0].ID).Replace(string(raw)))
			raw = signStripeSample(t, raw) // {{stripeSignature}}: see payments_test.go
			var ev events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(raw, &ev); err != nil {
				t.Fatal(err)
			}
			r := f.Routes[0]
			if want := r.Method + " " + r.Path; ev.RouteKey != want || ev.RequestContext.RouteKey != want {
				t.Fatalf("event routeKey = %q, template route %q", ev.RouteKey, want)
			}
			h, err := Constructors[f.Name](st.Deps)
			if err != nil {
				t.Fatal(err)
			}
			h.Handler = checkedHandler(t, h.Handler) // validated against the OpenAPI document
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-req-1"})
			resp, err := httpadapter.NewV2(h).ProxyWithContext(ctx, ev)
			if err != nil {
				t.Fatal(err)
			}
			want := 200
			if s, ok := statuses[f.Name]; ok {
				want = s
			}
			if resp.StatusCode != want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, want, resp.Body)
			}
			if ct := resp.Headers["Content-Type"]; ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if id := resp.Headers["X-Request-Id"]; id != ev.RequestContext.RequestID {
				t.Errorf("X-Request-Id = %q, want API Gateway's %q", id, ev.RequestContext.RequestID)
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
				t.Fatalf("body is not a JSON object: %v\n%s", err, resp.Body)
			}
			check, ok := checks[f.Name]
			if !ok {
				t.Fatalf("no expectation for events/%s.json in TestEventsReplay", f.Name)
			}
			check(t, body)
		})
	}
}
