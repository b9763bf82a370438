package app

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The warm-up's connection is the one the first DynamoDB call uses: one
// dial in all, the GET of the root first.
func TestWarmConnectionIsReusedByTheFirstCall(t *testing.T) {
	t.Parallel()
	var (
		mu       sync.Mutex
		dials    int
		requests []string
	)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.Method+" "+r.URL.Path+" "+r.Header.Get("X-Amz-Target"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		if r.Method == http.MethodGet {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken","Message":"no key"}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			dials++
			mu.Unlock()
		}
	}
	srv.Start()
	defer srv.Close()

	cfg := Config{Region: "eu-central-1", DynamoDBEndpoint: srv.URL, TableName: "main"}
	d, err := New(context.Background(), cfg, NewLogger(io.Discard, "ERROR"))
	if err != nil {
		t.Fatal(err)
	}
	WarmConnection(context.Background(), d.Dynamo, cfg.Region)
	out, err := d.Dynamo.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String("main"),
		Key:       map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "x"}, "SK": &types.AttributeValueMemberS{Value: "y"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Item != nil {
		t.Fatalf("item = %v, want none", out.Item)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(requests) != 2 || requests[0] != "GET / " || requests[1] != "POST / DynamoDB_20120810.GetItem" {
		t.Fatalf("requests = %q, want the warm-up GET then the GetItem", requests)
	}
	if dials != 1 {
		t.Fatalf("connections = %d, want 1: the GetItem must reuse the warm-up's connection", dials)
	}
}
