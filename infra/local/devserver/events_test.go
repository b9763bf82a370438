package devserver

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/clientzone/clientzone/infra/local/demo"
)

// TestEventsReplay replays every events/<function>.json through the Lambda
// adapter into the function's handler, built exactly as its main.go builds
// it, against DynamoDB Local with the demo data.
func TestEventsReplay(t *testing.T) {
	st, srv, _ := newStack(t)
	token := login(t, srv.URL, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	// What each sample must produce, beyond 200 and a JSON body.
	checks := map[string]func(t *testing.T, body map[string]any){
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
		"invoices-list": func(t *testing.T, b map[string]any) {
			items := b["items"].([]any)
			if len(items) != 2 {
				t.Errorf("unpaid invoices = %d, want 2 (one overdue)", len(items))
			}
		},
	}
	for _, f := range st.Template.Functions {
		if len(f.Routes) == 0 {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(repoRoot(t), "events", f.Name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			raw = []byte(strings.ReplaceAll(string(raw), "{{accessToken}}", token))
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
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-req-1"})
			resp, err := httpadapter.NewV2(h).ProxyWithContext(ctx, ev)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
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
