package devserver

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/password"
)

// TestMain also validates every test's requests and responses against the
// OpenAPI document (openapi_test.go).
func TestMain(m *testing.M) {
	oapi.Install()
	os.Exit(openAPIReport(dynamotest.Main(m)))
}

// fastHash keeps tests quick; production costs are tested in shared/password.
var fastHash = password.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newStack starts the whole local backend on the shared DynamoDB Local with
// fresh tables and an in-process S3, served at the test server's own URL
// (devpay's checkout links point there); logs go to the returned buffer.
func newStack(t *testing.T) (*Stack, *httptest.Server, *syncBuffer) {
	t.Helper()
	return newStackWith(t, nil)
}

// newStackWith is newStack with options changed by mod (when not nil).
func newStackWith(t *testing.T, mod func(*Options)) (*Stack, *httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	srv := httptest.NewUnstartedServer(nil)
	o := Options{
		DynamoDBEndpoint: dynamotest.Endpoint(),
		TablePrefix:      "t" + strings.ToLower(clientzone.NewID()) + "-",
		Logger:           app.NewLogger(logs, "DEBUG"),
		PasswordParams:   &fastHash,
		DropTables:       true,
		BaseURL:          "http://" + srv.Listener.Addr().String(),
	}
	if mod != nil {
		mod(&o)
	}
	st, err := Start(context.Background(), o)
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	srv.Config.Handler = st.Handler
	srv.Start()
	t.Cleanup(srv.Close)
	if srv.URL != o.BaseURL {
		t.Fatalf("test server at %s, stack told %s", srv.URL, o.BaseURL)
	}
	return st, srv, logs
}
