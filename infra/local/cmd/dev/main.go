// Command dev is the local dev server: every HTTP function of template.yaml
// on one port, backed by DynamoDB Local and an in-process S3, with demo data.
//
//	go run ./infra/local/cmd/dev [-addr 127.0.0.1:8080]
//
// DYNAMODB_ENDPOINT and S3_ENDPOINT point it at servers already running.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/shared/app"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "dev: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (loopback)")
	tmpl := flag.String("template", "", "path of template.yaml (default: found from the working directory)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := app.NewLogger(os.Stdout, os.Getenv("LOG_LEVEL"))
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	stack, err := devserver.Start(startCtx, devserver.Options{
		TemplatePath:     *tmpl,
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		S3Endpoint:       os.Getenv("S3_ENDPOINT"),
		Logger:           logger,
		Metrics:          os.Stdout, // EMF lines among the JSON logs, as in Lambda
	})
	cancel()
	if err != nil {
		return err
	}
	defer stack.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: stack.Handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprint(os.Stderr, stack.Describe("http://"+ln.Addr().String()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
