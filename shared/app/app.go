// Package app wires the dependencies of the Lambda functions and the dev
// server: configuration, logger, AWS clients, stores, token keys. Each
// function's main.go calls Build with one of the handler constructors in
// handlers*.go, once per cold start. The functions that need the S3 bucket
// (package files), a card provider (package cardpay) or SES/SNS/EventBridge
// (package outbox) have their constructors in those subpackages, so every
// other function neither links nor initialises those clients.
package app

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/metrics"
	"github.com/clientzone/clientzone/shared/password"
	"github.com/clientzone/clientzone/shared/statuspage"
	"github.com/clientzone/clientzone/shared/token"
)

// Deps are the dependencies shared by every handler of one process.
type Deps struct {
	Config Config
	Logger *slog.Logger
	Clock  clientzone.Clock
	AWS    aws.Config
	Dynamo *dynamodb.Client
	DB     *dynamo.DB
	// Secrets are the secret values the configuration names, read from
	// AWS Secrets Manager by New (secrets.go).
	Secrets Secrets
	// Metrics writes the business metrics (CloudWatch EMF lines on stdout
	// in Lambda, see LambdaDeps and WriteMetricsTo); nil writes none.
	Metrics *metrics.Writer
	// PasswordParams are the argon2id costs; tests lower them.
	PasswordParams password.Params
	// LocalBackOffice admits /admin/v1 calls without API Gateway's IAM
	// context (dev server and tests only).
	LocalBackOffice bool
	// StatusChanges tells the status page's cache (Status) of back-office
	// changes made through the same process (the dev server's upserts).
	StatusChanges *statuspage.Changes
}

// Constructor builds one action's handler from the dependencies.
type Constructor func(*Deps) (httpapi.Handler, error)

// Build loads the dependencies from the environment and builds the handler:
// what every functions/<name>/main.go does once per cold start.
func Build(ctx context.Context, c Constructor) (http.Handler, error) {
	d, err := LambdaDeps(ctx)
	if err != nil {
		return nil, err
	}
	go WarmConnection(ctx, d.Dynamo, d.Config.Region)
	return c(d)
}

// LambdaDeps loads the dependencies of a Lambda function from its
// environment, with the logs and the business metrics on stdout: the
// function's log, from which CloudWatch Logs extracts the metrics.
func LambdaDeps(ctx context.Context) (*Deps, error) {
	return lambdaDeps(ctx, os.Getenv, os.Stdout)
}

func lambdaDeps(ctx context.Context, getenv func(string) string, stdout io.Writer) (*Deps, error) {
	cfg, err := ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	d, err := New(ctx, cfg, NewLogger(stdout, cfg.LogLevel))
	if err != nil {
		return nil, err
	}
	d.WriteMetricsTo(stdout)
	return d, nil
}

// WriteMetricsTo makes the business metrics go to w as CloudWatch EMF lines
// in the configured namespace, timestamped by d.Clock (read at each line,
// so a clock set later applies).
func (d *Deps) WriteMetricsTo(w io.Writer) {
	d.Metrics = metrics.New(w, d.Config.MetricsNamespace, func() time.Time { return d.Clock.Now() })
}

// WarmConnection opens the DynamoDB client's first connection (TCP and, on
// AWS, TLS) while the Lambda runtime is still fetching the first event, so
// the first request does not wait for it: an unsigned GET of the endpoint's
// root, answered by DynamoDB without any table access or permission (a
// health line on AWS, a 400 on DynamoDB Local); its body is drained so the
// connection goes back to the client's pool for the first real call. It
// gives up after two seconds and never reports: a failed warm-up only means
// the first call dials, as it would have anyway.
func WarmConnection(ctx context.Context, ddb *dynamodb.Client, region string) {
	o := ddb.Options()
	ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, dynamodb.EndpointParameters{Region: aws.String(region), Endpoint: o.BaseEndpoint})
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep.URI.String(), nil)
	if err != nil {
		return
	}
	resp, err := o.HTTPClient.Do(req)
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// NewLogger returns a JSON logger in the Lambda log format (timestamp,
// level, message); handlers add requestId to every line.
func NewLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l, ReplaceAttr: lambdacontext.ReplaceAttr}))
}

// New builds the dependencies for cfg, reading the secrets it names; it
// writes no metrics until WriteMetricsTo is called (LambdaDeps does).
func New(ctx context.Context, cfg Config, logger *slog.Logger) (*Deps, error) {
	awsCfg := awsConfig(cfg, os.Getenv)
	ddb := dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		if cfg.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(cfg.DynamoDBEndpoint)
		}
	})
	var secrets Secrets
	if cfg.TokenSigningKeySecretID != "" || cfg.StripeSecretKeySecretID != "" || cfg.StripeWebhookSecretSecretID != "" {
		var err error
		if secrets, err = loadSecrets(ctx, cfg, newSecretsClient(cfg, awsCfg)); err != nil {
			return nil, err
		}
	}
	return &Deps{
		Secrets:        secrets,
		Config:         cfg,
		Logger:         logger,
		Clock:          clientzone.SystemClock{},
		AWS:            awsCfg,
		Dynamo:         ddb,
		DB:             dynamo.New(ddb, cfg.TableName),
		PasswordParams: password.OWASP,
		StatusChanges:  &statuspage.Changes{},
	}, nil
}

// verifyKeys are the public keys access tokens are verified with.
func (d *Deps) verifyKeys() ([]ed25519.PublicKey, error) {
	if d.Config.TokenVerifyKeys == "" {
		return nil, errors.New("app: TOKEN_VERIFY_KEYS is required")
	}
	keys, err := token.ParsePublicKeys(d.Config.TokenVerifyKeys)
	if err != nil {
		return nil, fmt.Errorf("app: TOKEN_VERIFY_KEYS: %w", err)
	}
	return keys, nil
}

// verifier returns the access-token verifier, required by every function
// with authenticated routes.
func (d *Deps) verifier() (*token.Verifier, error) {
	keys, err := d.verifyKeys()
	if err != nil {
		return nil, err
	}
	return token.NewVerifier(d.Config.TokenIssuer, d.Config.TokenAudience, keys...), nil
}

// signer returns the access-token signer, only for functions issuing
// tokens. Its public key must be among TOKEN_VERIFY_KEYS: a rotation
// publishes the new public key before the new signing key is put (README,
// "Rotating keys"), so a signer whose tokens nobody would accept is a
// deployment error, reported at cold start.
func (d *Deps) signer() (*token.Signer, error) {
	if d.Secrets.TokenSigningKey == "" {
		return nil, errors.New("app: the token signing key is required (TOKEN_SIGNING_KEY_SECRET_ID names its secret)")
	}
	priv, err := token.ParsePrivateKey(d.Secrets.TokenSigningKey)
	if err != nil {
		return nil, fmt.Errorf("app: the secret TOKEN_SIGNING_KEY_SECRET_ID names: %w", err)
	}
	keys, err := d.verifyKeys()
	if err != nil {
		return nil, err
	}
	s := token.NewSigner(priv, d.Config.TokenIssuer, d.Config.TokenAudience, d.Config.AccessTokenTTL)
	if !slices.ContainsFunc(keys, func(k ed25519.PublicKey) bool { return token.KeyID(k) == s.KeyID() }) {
		return nil, fmt.Errorf("app: the token signing key (kid %s) is not among TOKEN_VERIFY_KEYS: publish its public key first", s.KeyID())
	}
	return s, nil
}

// awsConfig is the AWS configuration of a function: the region and the
// credentials Lambda puts in the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; valid for the execution
// environment's life). It deliberately avoids config.LoadDefaultConfig,
// whose shared-config, SSO, STS and IMDS providers no Lambda function uses
// and which add about 1.9 MB to every bootstrap and time to every cold start.
// On a local stack (DYNAMODB_ENDPOINT set) without credentials, any static
// credentials do.
func awsConfig(cfg Config, getenv func(string) string) aws.Config {
	id, secret, session := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")
	var creds aws.CredentialsProvider
	switch {
	case id != "" && secret != "":
		creds = credentials.NewStaticCredentialsProvider(id, secret, session)
	case cfg.DynamoDBEndpoint != "":
		creds = credentials.NewStaticCredentialsProvider("local", "local", "")
	default:
		creds = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{}, errors.New("app: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
		})
	}
	return aws.Config{Region: cfg.Region, Credentials: aws.NewCredentialsCache(creds)}
}
