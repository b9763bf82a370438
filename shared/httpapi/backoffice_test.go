package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/clientzone/clientzone/shared/clientzone"
)

type boRequest struct {
	CustomerID string `path:"customerId"`
}

type boResponse struct {
	CustomerID string `json:"customerId"`
}

func backOfficeEndpoint(api *API) Handler {
	return Handle(api, Endpoint[boRequest, boResponse]{
		Route:  "POST /admin/v1/customers/{customerId}/pin",
		Access: BackOffice,
		Exec: func(_ context.Context, req *boRequest) (*boResponse, error) {
			return &boResponse{CustomerID: req.CustomerID}, nil
		},
	})
}

func backOfficeEvent(iam *events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription) events.APIGatewayV2HTTPRequest {
	ev := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       "POST /admin/v1/customers/{customerId}/pin",
		RawPath:        "/admin/v1/customers/C1/pin",
		Headers:        map[string]string{"accept": "application/json", "user-agent": "provisioning/1.0"},
		PathParameters: map[string]string{"customerId": "C1"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:  "POST /admin/v1/customers/{customerId}/pin",
			RequestID: "backoffice-test-0001",
			Stage:     "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: "POST", Path: "/admin/v1/customers/C1/pin", Protocol: "HTTP/1.1", SourceIP: "203.0.113.10",
			},
		},
	}
	if iam != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{IAM: iam}
	}
	return ev
}

// The BackOffice rule admits a request only with API Gateway's IAM
// authorizer context, unless the API is the local dev server's.
func TestBackOfficeAccessNeedsIAMAuthorizer(t *testing.T) {
	t.Parallel()
	api, _ := newTestAPI()
	h := backOfficeEndpoint(api)

	t.Run("plain HTTP request without IAM context is refused", func(t *testing.T) {
		w := call(h, "POST", "/admin/v1/customers/C1/pin", "")
		problemOf(t, w, http.StatusForbidden, clientzone.EFORBIDDEN)
	})

	proxy := func(t *testing.T, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
		t.Helper()
		resp, err := httpadapter.NewV2(h).ProxyWithContext(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	t.Run("Lambda event without authorizer is refused", func(t *testing.T) {
		resp := proxy(t, backOfficeEvent(nil))
		var p Problem
		if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || resp.StatusCode != 403 || p.Code != clientzone.EFORBIDDEN {
			t.Fatalf("status %d body %s", resp.StatusCode, resp.Body)
		}
	})
	t.Run("Lambda event with an IAM principal but no userArn is refused", func(t *testing.T) {
		resp := proxy(t, backOfficeEvent(&events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{AccountID: "123456789012"}))
		if resp.StatusCode != 403 {
			t.Fatalf("status %d body %s", resp.StatusCode, resp.Body)
		}
	})
	t.Run("Lambda event with IAM userArn is accepted", func(t *testing.T) {
		resp := proxy(t, backOfficeEvent(&events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
			AccountID: "123456789012",
			UserARN:   "arn:aws:sts::123456789012:assumed-role/clientzone-backoffice/provisioning",
		}))
		var b boResponse
		if err := json.Unmarshal([]byte(resp.Body), &b); err != nil || resp.StatusCode != 200 || b.CustomerID != "C1" {
			t.Fatalf("status %d body %s", resp.StatusCode, resp.Body)
		}
	})
	t.Run("LocalBackOffice admits a plain request", func(t *testing.T) {
		local, _ := newTestAPI()
		local.LocalBackOffice = true
		w := call(backOfficeEndpoint(local), "POST", "/admin/v1/customers/C1/pin", "")
		if w.Code != 200 {
			t.Fatalf("status %d body %s", w.Code, w.Body)
		}
	})
}
