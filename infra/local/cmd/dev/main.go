// Command dev is the local dev server: every HTTP function of template.yaml
// on one port, backed by DynamoDB Local and an in-process S3, with demo data.
//
//	go run ./infra/local/cmd/dev [-addr 127.0.0.1:8080] [-allow-origin http://localhost:5173]
//
// -addr may name port 0 to take a free port; the banner, devpay's checkout
// links and everything else use the address actually bound. CORS allows
// the origins of template.yaml (AllowedOrigins) and those of -allow-origin
// (repeatable or comma-separated). DYNAMODB_ENDPOINT and S3_ENDPOINT point
// it at servers already running.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/shared/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stderr, devserver.Options{
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		S3Endpoint:       os.Getenv("S3_ENDPOINT"),
		Logger:           app.NewLogger(os.Stdout, os.Getenv("LOG_LEVEL")),
		Metrics:          os.Stdout, // EMF lines among the JSON logs, as in Lambda
	})
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2) // the flag package printed why
	case err != nil:
		fmt.Fprintf(os.Stderr, "dev: %v\n", err)
		os.Exit(1)
	}
}

// errUsage is a command line the flag set rejected (and explained).
var errUsage = errors.New("usage")

// origins is the repeatable, comma-separated -allow-origin flag.
type origins []string

func (o *origins) String() string { return strings.Join(*o, ",") }

func (o *origins) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if err := devserver.CheckOrigin(s); err != nil {
			return errors.New(strings.TrimPrefix(err.Error(), "devserver: "))
		}
		*o = append(*o, s)
	}
	return nil
}

// run parses args, listens on -addr, starts the local stack of o (plus
// what the flags set) with the address actually bound as its base URL,
// prints the banner on stderr and serves until ctx ends.
func run(ctx context.Context, args []string, stderr io.Writer, o devserver.Options) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (loopback; port 0 takes a free port)")
	tmpl := fs.String("template", "", "path of template.yaml (default: found from the working directory)")
	var extra origins
	fs.Var(&extra, "allow-origin", "web origin CORS allows besides template.yaml's AllowedOrigins, e.g. http://localhost:5173 (repeatable or comma-separated)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dev: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return errUsage
	}

	// Listen first: the stack needs the real address (devpay's checkout
	// links), and a port in use fails before DynamoDB Local starts.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	base := baseURL(ln.Addr())
	o.TemplatePath, o.BaseURL = *tmpl, base
	o.AllowOrigins = append(o.AllowOrigins, extra...)

	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	stack, err := devserver.Start(startCtx, o)
	cancel()
	if err != nil {
		return err
	}
	defer stack.Close()

	srv := &http.Server{Handler: stack.Handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprint(stderr, stack.Describe(base))
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

// baseURL is the URL of a listener: its address, with an unspecified IP
// (0.0.0.0, ::) replaced by the loopback address, which a browser can open.
func baseURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}
