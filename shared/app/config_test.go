package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	c, err := ConfigFromEnv(envOf(map[string]string{"TABLE_NAME": "main"}))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		TableName:        "main",
		Region:           "us-east-1",
		TokenIssuer:      "clientzone",
		TokenAudience:    "clientzone-api",
		AccessTokenTTL:   15 * time.Minute,
		RefreshTokenTTL:  720 * time.Hour,
		Brand:            "clientzone",
		Currency:         "EUR",
		DefaultLanguage:  "en",
		LogLevel:         "INFO",
		MetricsNamespace: "clientzone",
		StatusCacheTTL:   10 * time.Second,

		SuspensionDailyFees: map[string]int64{"EUR": 50, "HUF": 200},
		AutopayDaysAhead:    3,
		AutopayDaysBack:     30,
		EmailFrom:           "clientzone <no-reply@example.com>",
		EventBusName:        "default",
	}
	checkConfig(t, c, want)
}

// checkConfig compares the fields this test knows about (the struct grows
// as actions are added).
func checkConfig(t *testing.T, got, want Config) {
	t.Helper()
	pairs := []struct {
		name      string
		got, want any
	}{
		{"TableName", got.TableName, want.TableName},
		{"BucketName", got.BucketName, want.BucketName},
		{"Region", got.Region, want.Region},
		{"DynamoDBEndpoint", got.DynamoDBEndpoint, want.DynamoDBEndpoint},
		{"S3Endpoint", got.S3Endpoint, want.S3Endpoint},
		{"TokenIssuer", got.TokenIssuer, want.TokenIssuer},
		{"TokenAudience", got.TokenAudience, want.TokenAudience},
		{"TokenVerifyKeys", got.TokenVerifyKeys, want.TokenVerifyKeys},
		{"SecretsManagerEndpoint", got.SecretsManagerEndpoint, want.SecretsManagerEndpoint},
		{"TokenSigningKeySecretID", got.TokenSigningKeySecretID, want.TokenSigningKeySecretID},
		{"StripeSecretKeySecretID", got.StripeSecretKeySecretID, want.StripeSecretKeySecretID},
		{"StripeWebhookSecretSecretID", got.StripeWebhookSecretSecretID, want.StripeWebhookSecretSecretID},
		{"AccessTokenTTL", got.AccessTokenTTL, want.AccessTokenTTL},
		{"RefreshTokenTTL", got.RefreshTokenTTL, want.RefreshTokenTTL},
		{"Brand", got.Brand, want.Brand},
		{"Currency", got.Currency, want.Currency},
		{"DefaultLanguage", got.DefaultLanguage, want.DefaultLanguage},
		{"LogLevel", got.LogLevel, want.LogLevel},
		{"MetricsNamespace", got.MetricsNamespace, want.MetricsNamespace},
		{"StatusCacheTTL", got.StatusCacheTTL, want.StatusCacheTTL},
		{"SuspensionDailyFees", got.SuspensionDailyFees, want.SuspensionDailyFees},
		{"AutopayDaysAhead", got.AutopayDaysAhead, want.AutopayDaysAhead},
		{"AutopayDaysBack", got.AutopayDaysBack, want.AutopayDaysBack},
		{"DocumentationLinks", got.DocumentationLinks, want.DocumentationLinks},
		{"EmailFrom", got.EmailFrom, want.EmailFrom},
		{"SMSSenderID", got.SMSSenderID, want.SMSSenderID},
		{"EventBusName", got.EventBusName, want.EventBusName},
	}
	for _, p := range pairs {
		if !reflect.DeepEqual(p.got, p.want) {
			t.Errorf("%s = %v, want %v", p.name, p.got, p.want)
		}
	}
}

func TestConfigOverrides(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"TABLE_NAME":                      "  tbl  ",
		"BUCKET_NAME":                     "invoices",
		"AWS_REGION":                      "eu-central-1",
		"DYNAMODB_ENDPOINT":               "http://127.0.0.1:8000",
		"S3_ENDPOINT":                     "http://127.0.0.1:9000",
		"TOKEN_ISSUER":                    "isp",
		"TOKEN_AUDIENCE":                  "isp-api",
		"TOKEN_VERIFY_KEYS":               "cHVi,b2xk",
		"SECRETSMANAGER_ENDPOINT":         "http://127.0.0.1:9100",
		"TOKEN_SIGNING_KEY_SECRET_ID":     "isp/token-signing-key",
		"STRIPE_SECRET_KEY_SECRET_ID":     "arn:aws:secretsmanager:eu-central-1:1:secret:isp/stripe-AbCdEf",
		"STRIPE_WEBHOOK_SECRET_SECRET_ID": "isp/stripe-webhook",
		// A value in the environment is not read: secrets come from
		// Secrets Manager only.
		"TOKEN_SIGNING_KEY": "c2VlZA==",
		"ACCESS_TOKEN_TTL":  "5m",
		"REFRESH_TOKEN_TTL": "24h",
		"BRAND":             "Ügyfélkapu",
		"CURRENCY":          "HUF",
		"DEFAULT_LANGUAGE":  "hu",
		"LOG_LEVEL":         "DEBUG",
		"METRICS_NAMESPACE": "clientzone/isp-prod",
		"STATUS_CACHE_TTL":  "3s",

		"SUSPENSION_DAILY_FEE": "EUR:100, huf:400",
		"AUTOPAY_DAYS_AHEAD":   "0",
		"AUTOPAY_DAYS_BACK":    "90",
		"DOCUMENTATION_LINKS":  `[{"id":"faq","title":{"en":"FAQ","hu":"GYIK"},"url":{"en":"https://isp.example/faq"}}]`,
		"EMAIL_FROM":           "Ügyfélkapu <noreply@isp.example>",
		"SMS_SENDER_ID":        "ISP2026",
		"EVENT_BUS_NAME":       "arn:aws:events:eu-central-1:123456789012:event-bus/isp-prod",
	}
	c, err := ConfigFromEnv(envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		TableName: "tbl", BucketName: "invoices", Region: "eu-central-1",
		DynamoDBEndpoint: "http://127.0.0.1:8000", S3Endpoint: "http://127.0.0.1:9000",
		TokenIssuer: "isp", TokenAudience: "isp-api", TokenVerifyKeys: "cHVi,b2xk",
		SecretsManagerEndpoint: "http://127.0.0.1:9100", TokenSigningKeySecretID: "isp/token-signing-key",
		StripeSecretKeySecretID:     "arn:aws:secretsmanager:eu-central-1:1:secret:isp/stripe-AbCdEf",
		StripeWebhookSecretSecretID: "isp/stripe-webhook",
		AccessTokenTTL:              5 * time.Minute, RefreshTokenTTL: 24 * time.Hour,
		Brand: "Ügyfélkapu", Currency: "HUF", DefaultLanguage: "hu", LogLevel: "DEBUG",
		MetricsNamespace: "clientzone/isp-prod",
		StatusCacheTTL:   3 * time.Second,

		SuspensionDailyFees: map[string]int64{"EUR": 100, "HUF": 400},
		AutopayDaysAhead:    0,
		AutopayDaysBack:     90,
		DocumentationLinks: []clientzone.DocLink{{ID: "faq",
			Title: map[clientzone.Language]string{clientzone.LangEN: "FAQ", clientzone.LangHU: "GYIK"},
			URL:   map[clientzone.Language]string{clientzone.LangEN: "https://isp.example/faq"}}},
		EmailFrom:    "Ügyfélkapu <noreply@isp.example>",
		SMSSenderID:  "ISP2026",
		EventBusName: "arn:aws:events:eu-central-1:123456789012:event-bus/isp-prod",
	}
	checkConfig(t, c, want)

	// Without EMAIL_FROM the emails come from the brand.
	delete(env, "EMAIL_FROM")
	if c, err := ConfigFromEnv(envOf(env)); err != nil || c.EmailFrom != "Ügyfélkapu <no-reply@example.com>" {
		t.Fatalf("EmailFrom = %q, %v; want the brand's", c.EmailFrom, err)
	}

	// Lambda's own log level wins over LOG_LEVEL.
	env["AWS_LAMBDA_LOG_LEVEL"] = "WARN"
	if c, err := ConfigFromEnv(envOf(env)); err != nil || c.LogLevel != "WARN" {
		t.Fatalf("LogLevel = %q, %v; want WARN", c.LogLevel, err)
	}

	// 0 turns the status page cache off.
	env["STATUS_CACHE_TTL"] = "0"
	if c, err := ConfigFromEnv(envOf(env)); err != nil || c.StatusCacheTTL != 0 {
		t.Fatalf("StatusCacheTTL = %v, %v; want 0", c.StatusCacheTTL, err)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want []string // variable names the error must mention
	}{
		{"table missing", map[string]string{}, []string{"TABLE_NAME"}},
		{"table blank", map[string]string{"TABLE_NAME": "  "}, []string{"TABLE_NAME"}},
		{"access ttl not a duration", map[string]string{"TABLE_NAME": "t", "ACCESS_TOKEN_TTL": "15"}, []string{"ACCESS_TOKEN_TTL"}},
		{"access ttl zero", map[string]string{"TABLE_NAME": "t", "ACCESS_TOKEN_TTL": "0s"}, []string{"ACCESS_TOKEN_TTL"}},
		{"access ttl negative", map[string]string{"TABLE_NAME": "t", "ACCESS_TOKEN_TTL": "-5m"}, []string{"ACCESS_TOKEN_TTL"}},
		{"refresh ttl not a duration", map[string]string{"TABLE_NAME": "t", "REFRESH_TOKEN_TTL": "30d"}, []string{"REFRESH_TOKEN_TTL"}},
		{"refresh ttl zero", map[string]string{"TABLE_NAME": "t", "REFRESH_TOKEN_TTL": "0"}, []string{"REFRESH_TOKEN_TTL"}},
		{"currency too long", map[string]string{"TABLE_NAME": "t", "CURRENCY": "EURO"}, []string{"CURRENCY"}},
		{"currency too short", map[string]string{"TABLE_NAME": "t", "CURRENCY": "E"}, []string{"CURRENCY"}},
		{"currency lower case", map[string]string{"TABLE_NAME": "t", "CURRENCY": "eur"}, []string{"CURRENCY"}},
		{"currency symbol of three bytes", map[string]string{"TABLE_NAME": "t", "CURRENCY": "€"}, []string{"CURRENCY"}},
		{"unsupported language", map[string]string{"TABLE_NAME": "t", "DEFAULT_LANGUAGE": "de"}, []string{"DEFAULT_LANGUAGE"}},
		{"language with region", map[string]string{"TABLE_NAME": "t", "DEFAULT_LANGUAGE": "sk-SK"}, []string{"DEFAULT_LANGUAGE"}},
		{"metrics namespace of AWS", map[string]string{"TABLE_NAME": "t", "METRICS_NAMESPACE": "AWS/Lambda"}, []string{"METRICS_NAMESPACE"}},
		{"metrics namespace with an unexpanded placeholder", map[string]string{"TABLE_NAME": "t", "METRICS_NAMESPACE": "clientzone/${AWS::StackName}"}, []string{"METRICS_NAMESPACE"}},
		{"suspension fee not a number", map[string]string{"TABLE_NAME": "t", "SUSPENSION_DAILY_FEE": "EUR:lots"}, []string{"SUSPENSION_DAILY_FEE"}},
		{"suspension fee without a currency", map[string]string{"TABLE_NAME": "t", "SUSPENSION_DAILY_FEE": "50"}, []string{"SUSPENSION_DAILY_FEE"}},
		{"suspension fee negative", map[string]string{"TABLE_NAME": "t", "SUSPENSION_DAILY_FEE": "EUR:-5"}, []string{"SUSPENSION_DAILY_FEE"}},
		{"autopay ahead not a number", map[string]string{"TABLE_NAME": "t", "AUTOPAY_DAYS_AHEAD": "three"}, []string{"AUTOPAY_DAYS_AHEAD"}},
		{"autopay ahead over 90", map[string]string{"TABLE_NAME": "t", "AUTOPAY_DAYS_AHEAD": "91"}, []string{"AUTOPAY_DAYS_AHEAD"}},
		{"autopay back negative", map[string]string{"TABLE_NAME": "t", "AUTOPAY_DAYS_BACK": "-1"}, []string{"AUTOPAY_DAYS_BACK"}},
		{"documentation links not JSON", map[string]string{"TABLE_NAME": "t", "DOCUMENTATION_LINKS": "faq=https://isp.example/faq"}, []string{"DOCUMENTATION_LINKS"}},
		{"documentation link without an English title", map[string]string{"TABLE_NAME": "t",
			"DOCUMENTATION_LINKS": `[{"id":"faq","title":{"sk":"FAQ"},"url":{"en":"https://isp.example/faq"}}]`}, []string{"DOCUMENTATION_LINKS"}},
		{"documentation link without an id", map[string]string{"TABLE_NAME": "t",
			"DOCUMENTATION_LINKS": `[{"title":{"en":"FAQ"},"url":{"en":"https://isp.example/faq"}}]`}, []string{"DOCUMENTATION_LINKS"}},
		{"email sender without an address", map[string]string{"TABLE_NAME": "t", "EMAIL_FROM": "Acme Net"}, []string{"EMAIL_FROM"}},
		{"email sender with a header break", map[string]string{"TABLE_NAME": "t", "EMAIL_FROM": "a@b.example\r\nBcc: x@y.example"}, []string{"EMAIL_FROM"}},
		{"sms sender id too long", map[string]string{"TABLE_NAME": "t", "SMS_SENDER_ID": "AcmeNetwork1"}, []string{"SMS_SENDER_ID"}},
		{"sms sender id with a space", map[string]string{"TABLE_NAME": "t", "SMS_SENDER_ID": "Acme Net"}, []string{"SMS_SENDER_ID"}},
		{"event bus with a space", map[string]string{"TABLE_NAME": "t", "EVENT_BUS_NAME": "isp prod"}, []string{"EVENT_BUS_NAME"}},
		{"event bus ARN of another service", map[string]string{"TABLE_NAME": "t", "EVENT_BUS_NAME": "arn:aws:sns:eu-central-1:123456789012:isp"}, []string{"EVENT_BUS_NAME"}},
		{"everything wrong at once", map[string]string{
			"ACCESS_TOKEN_TTL": "x", "REFRESH_TOKEN_TTL": "y", "CURRENCY": "EURO", "DEFAULT_LANGUAGE": "xx",
			"SUSPENSION_DAILY_FEE": "x", "AUTOPAY_DAYS_AHEAD": "x", "AUTOPAY_DAYS_BACK": "x", "DOCUMENTATION_LINKS": "x",
			"EMAIL_FROM": "x", "SMS_SENDER_ID": "x-x", "EVENT_BUS_NAME": "x x",
		}, []string{"TABLE_NAME", "ACCESS_TOKEN_TTL", "REFRESH_TOKEN_TTL", "CURRENCY", "DEFAULT_LANGUAGE",
			"SUSPENSION_DAILY_FEE", "AUTOPAY_DAYS_AHEAD", "AUTOPAY_DAYS_BACK", "DOCUMENTATION_LINKS", "EMAIL_FROM", "SMS_SENDER_ID", "EVENT_BUS_NAME"}},
	}
	all := []string{"TABLE_NAME", "ACCESS_TOKEN_TTL", "REFRESH_TOKEN_TTL", "CURRENCY", "DEFAULT_LANGUAGE", "METRICS_NAMESPACE",
		"SUSPENSION_DAILY_FEE", "AUTOPAY_DAYS_AHEAD", "AUTOPAY_DAYS_BACK", "DOCUMENTATION_LINKS", "EMAIL_FROM", "SMS_SENDER_ID", "EVENT_BUS_NAME"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ConfigFromEnv(envOf(tt.env))
			if err == nil {
				t.Fatal("ConfigFromEnv succeeded, want an error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "config: ") {
				t.Fatalf("error %q lacks the config: prefix", msg)
			}
			for _, name := range all {
				mentioned := strings.Contains(msg, name)
				if want := contains(tt.want, name); mentioned != want {
					t.Fatalf("error %q: mentions %s = %v, want %v", msg, name, mentioned, want)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestNewLogger(t *testing.T) {
	t.Parallel()
	tests := []struct {
		level     string
		debug     bool
		info      bool
		warnLevel bool
	}{
		{"DEBUG", true, true, true},
		{"debug", true, true, true},
		{"INFO", false, true, true},
		{"WARN", false, false, true},
		{"bogus", false, true, true},
		{"", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			var buf bytes.Buffer
			l := NewLogger(&buf, tt.level)
			ctx := context.Background()
			if got := l.Enabled(ctx, slog.LevelDebug); got != tt.debug {
				t.Errorf("debug enabled = %v, want %v", got, tt.debug)
			}
			if got := l.Enabled(ctx, slog.LevelInfo); got != tt.info {
				t.Errorf("info enabled = %v, want %v", got, tt.info)
			}
			if got := l.Enabled(ctx, slog.LevelWarn); got != tt.warnLevel {
				t.Errorf("warn enabled = %v, want %v", got, tt.warnLevel)
			}
			l.Warn("hello", "k", "v")
			if !strings.Contains(buf.String(), `"k":"v"`) || !strings.HasPrefix(buf.String(), "{") {
				t.Fatalf("log output %q is not JSON", buf.String())
			}
		})
	}
}

// Constructors fail cleanly, before touching AWS, when their key is missing
// or malformed, and a signer refuses a key whose public half the verifiers
// would not accept.
func TestConstructorsCheckKeys(t *testing.T) {
	t.Parallel()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	oldPub, _, _ := ed25519.GenerateKey(rand.Reader)
	std := base64.StdEncoding.EncodeToString
	deps := func(signing, verify string) *Deps {
		return &Deps{
			Config: Config{TokenIssuer: "i", TokenAudience: "a", AccessTokenTTL: time.Minute, RefreshTokenTTL: time.Hour,
				TokenVerifyKeys: verify},
			Secrets:        Secrets{TokenSigningKey: signing},
			Logger:         slog.New(slog.DiscardHandler),
			PasswordParams: password.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		}
	}
	tests := []struct {
		name    string
		ctor    Constructor
		d       *Deps
		wantErr string
	}{
		{"status needs no key", Status, deps("", ""), ""},
		{"me without verify keys", Me, deps("", ""), "TOKEN_VERIFY_KEYS"},
		{"me with a bad verify key", Me, deps("", "short"), "TOKEN_VERIFY_KEYS"},
		{"me", Me, deps("", std(pub)), ""},
		{"me with the current and the previous key", Me, deps("", std(pub)+","+std(oldPub)), ""},
		{"invoices without verify keys", InvoicesList, deps(std(priv.Seed()), ""), "TOKEN_VERIFY_KEYS"},
		{"invoices", InvoicesList, deps("", std(pub)), ""},
		{"login without signing key", Login, deps("", std(pub)), "TOKEN_SIGNING_KEY_SECRET_ID"},
		{"login with a 16-byte signing key", Login, deps(std(pub[:16]), std(pub)), "token:"},
		{"login with a key the verifiers do not hold", Login, deps(std(priv.Seed()), std(oldPub)), "not among TOKEN_VERIFY_KEYS"},
		{"login without verify keys", Login, deps(std(priv.Seed()), ""), "TOKEN_VERIFY_KEYS"},
		{"login", Login, deps(std(priv.Seed()), std(pub)), ""},
		{"login after a rotation", Login, deps(std(priv.Seed()), std(pub)+","+std(oldPub)), ""},
		{"refresh without signing key", Refresh, deps("", std(pub)), "TOKEN_SIGNING_KEY_SECRET_ID"},
		{"password change without signing key", PasswordChange, deps("", std(pub)), "TOKEN_SIGNING_KEY_SECRET_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := tt.ctor(tt.d)
			if tt.wantErr == "" {
				if err != nil || h.Handler == nil || h.Route == "" {
					t.Fatalf("constructor = %+v, %v", h, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

// The configuration is read in one place: ConfigFromEnv, fed os.Getenv by
// LambdaDeps (app.go, which also hands the AWS credentials Lambda puts in
// the environment to the SDK). No other code of the functions reads the
// environment; a setting they need is a Config field, checked at cold
// start.
func TestConfigIsReadOnlyInConfig(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{
		"shared/app/config.go":                   true,
		"shared/app/app.go":                      true,
		"shared/dynamo/dynamotest/dynamotest.go": true, // tests' DynamoDB Local
	}
	read := regexp.MustCompile(`\bos\.(Getenv|LookupEnv|Environ)\b|\bsyscall\.Getenv\b`)
	n := 0
	for _, dir := range []string{"shared", "functions"} {
		err := filepath.WalkDir(filepath.Join("..", "..", dir), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			n++
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel := filepath.ToSlash(strings.TrimPrefix(p, filepath.Join("..", "..")+string(filepath.Separator)))
			if read.Match(src) && !allowed[rel] {
				t.Errorf("%s reads the environment: add the setting to app.Config (config.go) instead", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 100 {
		t.Errorf("only %d Go files looked at", n)
	}
}

// Whether a function checks access tokens follows from its endpoint's
// Access: public and back-office endpoints need no verify keys, every
// other one gets the Authenticator (and refuses a request without a token).
func TestEndpointAuthenticatesByAccess(t *testing.T) {
	t.Parallel()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	deps := func(verify string) *Deps {
		return &Deps{Config: Config{TokenIssuer: "i", TokenAudience: "a", TokenVerifyKeys: verify},
			Logger: slog.New(slog.DiscardHandler), Clock: clientzone.SystemClock{}}
	}
	for _, tt := range []struct {
		name   string
		ctor   Constructor
		public bool
		target string
	}{
		{"status", Status, true, "GET /v1/status"},
		{"pin issue (back office)", PinIssue, true, "POST /admin/v1/customers/C/pin"},
		{"persons import (back office)", PersonsImport, true, "POST /admin/v1/customers/C/persons/import"},
		{"me", Me, false, "GET /v1/me"},
		{"persons list", PersonsList, false, "GET /v1/persons"},
		{"logout", Logout, false, "POST /v1/auth/logout"},
		{"contracts list", ContractsList, false, "GET /v1/contracts"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, err := tt.ctor(deps(""))
			if tt.public != (err == nil) {
				t.Fatalf("without verify keys: %v (public %v)", err, tt.public)
			}
			if tt.public {
				if !h.Access.IsPublic() {
					t.Fatalf("%s: Access is not public", h.Route)
				}
				return
			}
			if h, err = tt.ctor(deps(base64.StdEncoding.EncodeToString(pub))); err != nil {
				t.Fatal(err)
			}
			method, path, _ := strings.Cut(tt.target, " ")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(method, path, nil))
			if w.Code != http.StatusUnauthorized {
				t.Errorf("%s without a token = %d, want 401: %s", tt.target, w.Code, w.Body)
			}
		})
	}
}
