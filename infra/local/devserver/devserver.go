// Package devserver runs every HTTP function of template.yaml in one process:
// it reads the routes from the template, builds each function's handler with
// the same constructor its Lambda main.go uses, and mounts it at its route.
// It also brings up the local stack: DynamoDB Local, an S3-compatible
// server, the tables from the template, and demo data.
package devserver

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/clientzone/clientzone/infra/local/ddblocal"
	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/infra/local/s3local"
	"github.com/clientzone/clientzone/infra/local/secretslocal"
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/app/cardpay"
	"github.com/clientzone/clientzone/shared/app/files"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/schema"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/password"
	"github.com/clientzone/clientzone/shared/samtemplate"
)

// Mounted is one route served by the dev server.
type Mounted struct {
	Route    samtemplate.Route
	Function string // folder name
	Access   httpapi.Access
}

// Mount builds every function with HttpApi routes and mounts it at its
// template route. A function without a constructor, or whose handler
// declares a different route than the template, is an error: the template
// is the one route table.
func Mount(mux *http.ServeMux, t *samtemplate.Template, d *app.Deps) ([]Mounted, error) {
	var out []Mounted
	for _, f := range t.Functions {
		if len(f.Routes) == 0 {
			continue
		}
		ctor, ok := Constructors[f.Name]
		if !ok {
			return nil, fmt.Errorf("devserver: %s (%s) has no constructor in devserver.Constructors", f.LogicalID, f.Dir)
		}
		h, err := ctor(d)
		if err != nil {
			return nil, fmt.Errorf("devserver: build %s: %w", f.LogicalID, err)
		}
		for _, r := range f.Routes {
			if h.Route != r.Pattern() {
				return nil, fmt.Errorf("devserver: %s: template route %q, handler route %q", f.LogicalID, r.Pattern(), h.Route)
			}
			mux.Handle(r.Pattern(), h)
			out = append(out, Mounted{Route: r, Function: f.Name, Access: h.Access})
		}
	}
	return out, nil
}

// DevWebhookSecret is the dev server's Stripe webhook secret (events/
// samples are signed with it at replay time).
const DevWebhookSecret = "whsec_dev_clientzone"

// The dev server's region and the names of its secrets in its local
// Secrets Manager (the template's defaults).
const (
	DevRegion                    = "eu-central-1"
	DevTokenSigningKeySecret     = "clientzone/token-signing-key"
	DevStripeWebhookSecretSecret = "clientzone/stripe-webhook-secret"
)

// Options configure a local stack.
type Options struct {
	// TemplatePath is template.yaml; empty finds it from the working dir.
	TemplatePath string
	// DynamoDBEndpoint and S3Endpoint use running servers instead of
	// starting DynamoDB Local and the in-process S3.
	DynamoDBEndpoint string
	S3Endpoint       string
	// TablePrefix names the tables (prefix + logical id).
	TablePrefix string
	// DropTables marks throwaway test stacks: their tables have no stream
	// and are deleted on Close (DynamoDB Local slows down as tables and
	// stream records pile up).
	DropTables bool
	// BucketName of the invoice bucket.
	BucketName string
	Logger     *slog.Logger
	// PasswordParams default to the production argon2id costs.
	PasswordParams *password.Params
	// Clock defaults to the system clock.
	Clock clientzone.Clock
	// DDBLog receives DynamoDB Local's own output.
	DDBLog *os.File
	// Metrics receives the business metrics as CloudWatch EMF lines, as a
	// Lambda's log would; nil writes none.
	Metrics io.Writer
	// BaseURL is where the dev server is reached, e.g. the address the
	// dev command bound: devpay's checkout links point there. Empty keeps
	// DEVPAY_BASE_URL (default http://127.0.0.1:8080).
	BaseURL string
	// NoDemoData leaves the tables empty: API tests create their own
	// customers, persons and invoices through the API (infra/local/apitest)
	// and must not lean on the demo seed, which is for `make dev`.
	NoDemoData bool
	// AllowOrigins are web origins CORS allows besides the template's
	// (AllowedOrigins of the HttpApi's CorsConfiguration), such as a local
	// front end's http://localhost:5173; see CheckOrigin.
	AllowOrigins []string
}

// Stack is a running local backend.
type Stack struct {
	Handler http.Handler
	// Mounted lists every served route with its access rule.
	Mounted []Mounted
	Deps    *app.Deps
	// S3 is a client of the local S3 server holding the bucket.
	S3       *s3.Client
	Template *samtemplate.Template
	// Jobs are the scheduled jobs JobsPath runs.
	Jobs []string
	// Origins are the origins CORS allows: the template's and the extra ones.
	Origins []string
	closers []func() error
}

// Start brings up the local stack and builds the handler serving every route.
func Start(ctx context.Context, o Options) (_ *Stack, err error) {
	s := &Stack{}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if o.TemplatePath == "" {
		if o.TemplatePath, err = samtemplate.Find(); err != nil {
			return nil, err
		}
	}
	if s.Template, err = samtemplate.Load(o.TemplatePath); err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if o.Clock == nil {
		o.Clock = clientzone.SystemClock{}
	}
	if o.TablePrefix == "" {
		o.TablePrefix = "clientzone-"
	}
	if o.BucketName == "" {
		o.BucketName = "clientzone-invoices"
	}
	cors, err := newCORSPolicy(s.Template.CORS, o.AllowOrigins)
	if err != nil {
		return nil, err
	}
	if o.DynamoDBEndpoint == "" {
		opts := ddblocal.Options{}
		if o.DDBLog != nil {
			opts.Log = o.DDBLog
		}
		srv, err := ddblocal.Start(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("devserver: DynamoDB Local: %w", err)
		}
		s.closers = append(s.closers, srv.Stop)
		o.DynamoDBEndpoint = srv.Endpoint
	}
	if o.S3Endpoint == "" {
		srv, err := s3local.Start(o.BucketName)
		if err != nil {
			return nil, err
		}
		s.closers = append(s.closers, srv.Stop)
		o.S3Endpoint = srv.Endpoint
	}
	ddb := ddblocal.Client(o.DynamoDBEndpoint)
	names, err := schema.Create(ctx, ddb, s.Template.Tables, o.TablePrefix, schema.Options{KeepExisting: true, NoStreams: o.DropTables})
	if err != nil {
		return nil, err
	}
	if o.DropTables {
		s.closers = append(s.closers, func() error {
			for _, n := range names {
				_, _ = ddb.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(n)})
			}
			return nil
		})
	}
	// Secrets live in a local Secrets Manager, read by app.New through the
	// same SDK path as in AWS.
	sm, err := secretslocal.Start(DevRegion)
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, sm.Stop)
	signing, verify, err := keys()
	if err != nil {
		return nil, err
	}
	if err := secretslocal.Put(ctx, sm.Endpoint, DevRegion, map[string]string{
		DevTokenSigningKeySecret:     signing,
		DevStripeWebhookSecretSecret: DevWebhookSecret,
	}); err != nil {
		return nil, err
	}
	env := map[string]string{
		"TABLE_NAME":                      names["MainTable"],
		"BUCKET_NAME":                     o.BucketName,
		"AWS_REGION":                      DevRegion,
		"DYNAMODB_ENDPOINT":               o.DynamoDBEndpoint,
		"S3_ENDPOINT":                     o.S3Endpoint,
		"SECRETSMANAGER_ENDPOINT":         sm.Endpoint,
		"TOKEN_SIGNING_KEY_SECRET_ID":     DevTokenSigningKeySecret,
		"TOKEN_VERIFY_KEYS":               verify,
		"STRIPE_WEBHOOK_SECRET_SECRET_ID": DevStripeWebhookSecretSecret,
		// Card payments: the devpay stand-in, signing with a fixed dev secret.
		"PAYMENT_PROVIDER": "devpay",
	}
	if o.BaseURL != "" {
		env["DEVPAY_BASE_URL"] = o.BaseURL
	}
	cfg, err := app.ConfigFromEnv(func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return os.Getenv(k)
	})
	if err != nil {
		return nil, err
	}
	if s.Deps, err = app.New(ctx, cfg, o.Logger); err != nil {
		return nil, err
	}
	s.S3, _ = files.Clients(s.Deps)
	s.Deps.Clock = o.Clock
	s.Deps.LocalBackOffice = true
	if o.PasswordParams != nil {
		s.Deps.PasswordParams = *o.PasswordParams
	}
	if o.Metrics != nil {
		s.Deps.WriteMetricsTo(o.Metrics)
	}
	if !o.NoDemoData {
		if _, err := demo.Seed(ctx, s.Deps.DB, password.NewHasher(s.Deps.PasswordParams), o.Clock.Now()); err != nil {
			return nil, fmt.Errorf("devserver: demo data: %w", err)
		}
	}
	mux := http.NewServeMux()
	if s.Mounted, err = Mount(mux, s.Template, s.Deps); err != nil {
		return nil, err
	}
	if cardpay.UsesDevPay(s.Deps) {
		h, err := cardpay.DevPayCheckout(s.Deps, mux)
		if err != nil {
			return nil, err
		}
		mux.Handle("GET /dev/checkout/{id}", h) // devpay: opening a checkout link pays it
	}
	if h, err := mailbox(s.Deps); err != nil {
		return nil, err
	} else {
		mux.Handle("GET "+MailboxPath, h) // every outbox message, rendered (mailbox.go)
	}
	mux.Handle("GET "+EventsPath, devEvents(s.Deps)) // EventBridge events of the outbox (devevents.go)
	mux.HandleFunc("GET "+OpenAPIPath, serveOpenAPI) // the API description (openapi.go)
	jobs, jobNames := jobRunner(s.Deps)
	mux.Handle("POST "+JobsPath, jobs) // run a scheduled job (jobs.go)
	s.Jobs = jobNames
	if cors != nil {
		s.Origins = cors.origins
	}
	s.Handler = withCORS(cors, fallback(mux))
	return s, nil
}

// keys returns the token keys from the environment (TOKEN_SIGNING_KEY and
// TOKEN_VERIFY_KEY, for tokens that survive a restart of the dev server), or
// a fresh pair (tokens then do not survive a restart, which is fine
// locally). The signing key goes into the local Secrets Manager.
func keys() (signing, verify string, err error) {
	if sk, vk := os.Getenv("TOKEN_SIGNING_KEY"), os.Getenv("TOKEN_VERIFY_KEY"); sk != "" && vk != "" {
		return sk, vk, nil
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	return base64.StdEncoding.EncodeToString(priv.Seed()), base64.StdEncoding.EncodeToString(pub), nil
}

// Routes lists the mounted routes, sorted by path then method.
func (s *Stack) Routes() []samtemplate.Route {
	var out []samtemplate.Route
	for _, f := range s.Template.Functions {
		out = append(out, f.Routes...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// Close stops what Start started.
func (s *Stack) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		_ = s.closers[i]()
	}
	s.closers = nil
}

// fallback answers unknown routes with problem+json, as API Gateway would
// answer with its own 404.
func fallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" {
			httpapi.WriteError(w, r, clientzone.Errorf(clientzone.ENOTFOUND, "No such resource."))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// jobExampleNow is the now of the banner's job example.
const jobExampleNow = "2026-12-01T06:00:00Z"

// Describe is the banner the dev server prints.
func (s *Stack) Describe(baseURL string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nclientzone dev server: %s\n\nRoutes (from template.yaml):\n", baseURL)
	for _, r := range s.Routes() {
		fmt.Fprintf(&b, "  %-7s %s\n", r.Method, r.Path)
	}
	b.WriteString("\nDemo logins (POST /v1/auth/login {\"login\":...,\"password\":...}):\n")
	for _, l := range demo.Logins {
		fmt.Fprintf(&b, "  %-26s %-20s %s\n", l.Login, l.Password, l.Who)
	}
	fmt.Fprintf(&b, "\nTry:\n  curl -s %s/v1/status\n  curl -s -X POST %s/v1/auth/login -H 'Content-Type: application/json' -d '{\"login\":\"jan.novak@example.sk\",\"password\":\"%s\"}'\n\n",
		baseURL, baseURL, demo.AdminPassword)
	fmt.Fprintf(&b, "Dev mailbox (every email/SMS from the outbox, codes included):\n  %s%s   (JSON: ?format=json)\n\n", baseURL, MailboxPath)
	fmt.Fprintf(&b, "Dev events (EventBridge events from the outbox: messages, tickets):\n  %s%s   (JSON: ?format=json)\n\n", baseURL, EventsPath)
	fmt.Fprintf(&b, "OpenAPI 3.1 description of every route:\n  %s%s\n\n", baseURL, OpenAPIPath)
	fmt.Fprintf(&b, "Scheduled jobs (%s), run on this server's data as of now=<RFC 3339> (default: the clock); answers the report:\n"+
		"  curl -s -X POST '%s/dev/jobs/expiry-reminders?now=%s'\n  emails of that day: %s%s?day=%s\n\n",
		strings.Join(s.Jobs, ", "), baseURL, jobExampleNow, baseURL, MailboxPath, jobExampleNow[:10])
	if len(s.Origins) > 0 {
		fmt.Fprintf(&b, "CORS origins (template.yaml AllowedOrigins + -allow-origin):\n  %s\n\n", strings.Join(s.Origins, "\n  "))
	}
	return b.String()
}
