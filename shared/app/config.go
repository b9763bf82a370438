package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/metrics"
	"github.com/clientzone/clientzone/shared/schedule"
)

// Config is read from the environment (template.yaml sets it in AWS; the dev
// server and tests set it locally).
type Config struct {
	TableName  string // TABLE_NAME (required)
	BucketName string // BUCKET_NAME
	Region     string // AWS_REGION

	// Local endpoints; empty in AWS.
	DynamoDBEndpoint       string // DYNAMODB_ENDPOINT
	S3Endpoint             string // S3_ENDPOINT
	SecretsManagerEndpoint string // SECRETSMANAGER_ENDPOINT

	TokenIssuer   string // TOKEN_ISSUER
	TokenAudience string // TOKEN_AUDIENCE
	// TokenVerifyKeys are the base64 Ed25519 public keys access tokens are
	// verified with, comma-separated: the current signing key's first, then
	// the previous one (key rotation; see token.KeyID).
	TokenVerifyKeys string        // TOKEN_VERIFY_KEYS
	AccessTokenTTL  time.Duration // ACCESS_TOKEN_TTL
	RefreshTokenTTL time.Duration // REFRESH_TOKEN_TTL

	// Secrets are never in the environment: it names the AWS Secrets
	// Manager secrets (name or ARN) that hold them, and only the functions
	// that need a secret get its name (template.yaml) and the right to read
	// it. Deps.Secrets holds the values, read once per cold start.
	TokenSigningKeySecretID     string // TOKEN_SIGNING_KEY_SECRET_ID: base64 Ed25519 seed; only token issuers
	StripeSecretKeySecretID     string // STRIPE_SECRET_KEY_SECRET_ID: only the functions creating checkouts
	StripeWebhookSecretSecretID string // STRIPE_WEBHOOK_SECRET_SECRET_ID: only the webhook function

	Brand           string // BRAND
	Currency        string // CURRENCY
	DefaultLanguage string // DEFAULT_LANGUAGE
	LogLevel        string // AWS_LAMBDA_LOG_LEVEL or LOG_LEVEL
	// MetricsNamespace is the CloudWatch namespace of the business metrics
	// (shared/metrics); template.yaml sets clientzone/<stack name>.
	MetricsNamespace string // METRICS_NAMESPACE

	// StatusCacheTTL is how long a process reuses the status page's summary
	// (STATUS_CACHE_TTL, default 10s, 0 reads every time; at most 5m).
	StatusCacheTTL time.Duration

	// Account requests and password recovery.
	ActivationURLBase string // ACTIVATION_URL_BASE: front-end page of activation links
	ResetURLBase      string // RESET_URL_BASE: front-end page of password reset links
	SalesContact      string // SALES_CONTACT: shown when an account request does not match

	// Card payments (payments area; see handlers_payments.go).
	PaymentProvider   string // PAYMENT_PROVIDER: "stripe" (default) or "devpay" (dev server only)
	StripeAPIBase     string // STRIPE_API_BASE: stripe-mock in tests; empty in AWS
	PaymentSuccessURL string // PAYMENT_SUCCESS_URL: front-end page after a paid checkout
	PaymentCancelURL  string // PAYMENT_CANCEL_URL: front-end page after a cancelled checkout
	TopUpMax          string // TOP_UP_MAX: largest top-up in minor units
	InvoiceVATPercent string // INVOICE_VAT_PERCENT: VAT % of invoices issued on payment, e.g. "EUR:23,HUF:27" or "23"
	DevPayBaseURL     string // DEVPAY_BASE_URL: dev server URL of devpay checkout pages

	// Bank account for transfers and standing orders.
	BankIBAN        string // BANK_IBAN
	BankBIC         string // BANK_BIC
	BankBeneficiary string // BANK_BENEFICIARY: account name
	// Invoice correction requests (balance area; parsed by
	// billing.ParseFees in handlers_balance.go).
	BillingDepartmentEmail  string // BILLING_DEPARTMENT_EMAIL
	CorrectionFee           string // CORRECTION_FEE: "400000" or "HUF:400000:27,EUR:1500:23" (minor units[, VAT %])
	CorrectionFeeCurrency   string // CORRECTION_FEE_CURRENCY: currency of a plain CORRECTION_FEE (default CURRENCY)
	CorrectionFeeVATPercent string // CORRECTION_FEE_VAT_PERCENT: VAT % where an entry names none (default 27)

	// Contracts and scheduled jobs.
	// SuspensionDailyFees is what a suspended service costs a day once the
	// free days are used, in minor units per currency (SUSPENSION_DAILY_FEE,
	// "EUR:50,HUF:200"): the contract functions show it and the
	// suspension-fees job charges it.
	SuspensionDailyFees map[string]int64
	AutopayDaysAhead    int // AUTOPAY_DAYS_AHEAD: autopay pays invoices due within this many days (0..90, default 3)
	AutopayDaysBack     int // AUTOPAY_DAYS_BACK: and overdue up to this many days (0..90, default 30)

	// DocumentationLinks are the links the client zone lists beside the
	// promotions (DOCUMENTATION_LINKS: a JSON list of {"id", "title": {lang:
	// text}, "url": {lang: url}}, each with an English title and url); nil
	// when unset, for support.DefaultDocs.
	DocumentationLinks []clientzone.DocLink

	// The outbox sender (package app/outbox).
	EmailFrom    string // EMAIL_FROM: sender of the emails (default "<BRAND> <no-reply@example.com>")
	SMSSenderID  string // SMS_SENDER_ID: alphanumeric sender id of text messages, up to 11 characters (empty: none)
	EventBusName string // EVENT_BUS_NAME: EventBridge bus of the domain events, name or ARN (default "default")
}

// DefaultSuspensionDailyFee is SUSPENSION_DAILY_FEE when unset (minor
// units per currency).
const DefaultSuspensionDailyFee = "EUR:50,HUF:200"

// MaxStatusCacheTTL bounds STATUS_CACHE_TTL: an incident posted by the back
// office must reach the public page within minutes.
const MaxStatusCacheTTL = 5 * time.Minute

// ConfigFromEnv reads the configuration through getenv (os.Getenv in
// production, a map in tests) and checks it.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		TableName:        get("TABLE_NAME", ""),
		BucketName:       get("BUCKET_NAME", ""),
		Region:           get("AWS_REGION", "us-east-1"),
		DynamoDBEndpoint: get("DYNAMODB_ENDPOINT", ""),
		S3Endpoint:       get("S3_ENDPOINT", ""),
		TokenIssuer:      get("TOKEN_ISSUER", "clientzone"),
		TokenAudience:    get("TOKEN_AUDIENCE", "clientzone-api"),
		TokenVerifyKeys:  get("TOKEN_VERIFY_KEYS", ""),

		SecretsManagerEndpoint:      get("SECRETSMANAGER_ENDPOINT", ""),
		TokenSigningKeySecretID:     get("TOKEN_SIGNING_KEY_SECRET_ID", ""),
		StripeSecretKeySecretID:     get("STRIPE_SECRET_KEY_SECRET_ID", ""),
		StripeWebhookSecretSecretID: get("STRIPE_WEBHOOK_SECRET_SECRET_ID", ""),
		Brand:                       get("BRAND", "clientzone"),
		Currency:                    get("CURRENCY", "EUR"),
		DefaultLanguage:             get("DEFAULT_LANGUAGE", "en"),
		LogLevel:                    get("AWS_LAMBDA_LOG_LEVEL", get("LOG_LEVEL", "INFO")),
		MetricsNamespace:            get("METRICS_NAMESPACE", "clientzone"),

		// Account requests and password recovery.
		ActivationURLBase: get("ACTIVATION_URL_BASE", "https://portal.example.com/activate"),
		ResetURLBase:      get("RESET_URL_BASE", "https://portal.example.com/reset-password"),
		SalesContact:      get("SALES_CONTACT", "sales@example.com"),

		PaymentProvider:   get("PAYMENT_PROVIDER", "stripe"),
		StripeAPIBase:     get("STRIPE_API_BASE", ""),
		PaymentSuccessURL: get("PAYMENT_SUCCESS_URL", "https://portal.example.com/payments/done"),
		PaymentCancelURL:  get("PAYMENT_CANCEL_URL", "https://portal.example.com/payments/cancelled"),
		TopUpMax:          get("TOP_UP_MAX", "100000000"),
		InvoiceVATPercent: get("INVOICE_VAT_PERCENT", "EUR:23,HUF:27"),
		DevPayBaseURL:     get("DEVPAY_BASE_URL", "http://127.0.0.1:8080"),

		BankIBAN:                get("BANK_IBAN", "SK3112000000198742637541"),
		BankBIC:                 get("BANK_BIC", "TATRSKBX"),
		BankBeneficiary:         get("BANK_BENEFICIARY", "clientzone s.r.o."),
		BillingDepartmentEmail:  get("BILLING_DEPARTMENT_EMAIL", "billing@example.com"),
		CorrectionFee:           get("CORRECTION_FEE", "HUF:400000:27,EUR:1500:23"),
		CorrectionFeeCurrency:   get("CORRECTION_FEE_CURRENCY", ""),
		CorrectionFeeVATPercent: get("CORRECTION_FEE_VAT_PERCENT", "27"),

		SMSSenderID:  get("SMS_SENDER_ID", ""),
		EventBusName: get("EVENT_BUS_NAME", "default"),
	}
	c.EmailFrom = get("EMAIL_FROM", c.Brand+" <no-reply@example.com>")
	var errs []error
	var err error
	if c.AccessTokenTTL, err = time.ParseDuration(get("ACCESS_TOKEN_TTL", "15m")); err != nil || c.AccessTokenTTL <= 0 {
		errs = append(errs, fmt.Errorf("ACCESS_TOKEN_TTL: want a positive duration like 15m"))
	}
	if c.RefreshTokenTTL, err = time.ParseDuration(get("REFRESH_TOKEN_TTL", "720h")); err != nil || c.RefreshTokenTTL <= 0 {
		errs = append(errs, fmt.Errorf("REFRESH_TOKEN_TTL: want a positive duration like 720h"))
	}
	if c.StatusCacheTTL, err = time.ParseDuration(get("STATUS_CACHE_TTL", "10s")); err != nil || c.StatusCacheTTL < 0 || c.StatusCacheTTL > MaxStatusCacheTTL {
		errs = append(errs, fmt.Errorf("STATUS_CACHE_TTL: want a duration from 0s to %s like 10s", MaxStatusCacheTTL))
	}
	if c.TableName == "" {
		errs = append(errs, errors.New("TABLE_NAME is required"))
	}
	if !clientzone.IsCurrencyCode(c.Currency) {
		errs = append(errs, errors.New("CURRENCY: want an ISO 4217 code"))
	}
	switch c.DefaultLanguage {
	case "en", "sk", "hu", "ru":
	default:
		errs = append(errs, errors.New("DEFAULT_LANGUAGE: want en, sk, hu or ru"))
	}
	if err := metrics.CheckNamespace(c.MetricsNamespace); err != nil {
		errs = append(errs, fmt.Errorf("METRICS_NAMESPACE: %w", err))
	}
	errs = append(errs, c.checkBalance()...)
	if c.SuspensionDailyFees, err = schedule.ParseFees(get("SUSPENSION_DAILY_FEE", DefaultSuspensionDailyFee)); err != nil {
		errs = append(errs, fmt.Errorf("SUSPENSION_DAILY_FEE: %w", err))
	}
	days := func(name string, def int) int {
		v := get(name, strconv.Itoa(def))
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 90 {
			errs = append(errs, fmt.Errorf("%s: want 0..90 days", name))
		}
		return n
	}
	c.AutopayDaysAhead = days("AUTOPAY_DAYS_AHEAD", 3)
	c.AutopayDaysBack = days("AUTOPAY_DAYS_BACK", 30)
	if raw := get("DOCUMENTATION_LINKS", ""); raw != "" {
		if c.DocumentationLinks, err = parseDocLinks(raw); err != nil {
			errs = append(errs, fmt.Errorf("DOCUMENTATION_LINKS: %w", err))
		}
	}
	if _, err := mail.ParseAddress(c.EmailFrom); err != nil && getenv("EMAIL_FROM") != "" {
		errs = append(errs, errors.New("EMAIL_FROM: want an address such as Acme <no-reply@acme.example>"))
	}
	if !validSenderID(c.SMSSenderID) {
		errs = append(errs, errors.New("SMS_SENDER_ID: want up to 11 letters and digits"))
	}
	if !validEventBus(c.EventBusName) {
		errs = append(errs, errors.New("EVENT_BUS_NAME: want an EventBridge bus name or ARN"))
	}
	if err := errors.Join(errs...); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// parseDocLinks reads DOCUMENTATION_LINKS: every link needs an id and an
// English title and url.
func parseDocLinks(raw string) ([]clientzone.DocLink, error) {
	var docs []clientzone.DocLink
	if err := json.Unmarshal([]byte(raw), &docs); err != nil {
		return nil, fmt.Errorf("want a JSON list of links: %w", err)
	}
	for _, l := range docs {
		if l.ID == "" || l.Title[clientzone.LangEN] == "" || l.URL[clientzone.LangEN] == "" {
			return nil, errors.New("every link needs an id and an English title and url")
		}
	}
	return docs, nil
}

// validSenderID tells whether s is an SMS sender id SNS takes: up to 11
// letters and digits (template.yaml's SmsSenderId pattern), or none.
func validSenderID(s string) bool {
	if len(s) > 11 {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// validEventBus tells whether s is an EventBridge bus name (letters,
// digits, and . - _ /, at most 256) or the ARN of one.
func validEventBus(s string) bool {
	if strings.HasPrefix(s, "arn:") {
		_, name, ok := strings.Cut(s, ":event-bus/")
		return ok && strings.Contains(s, ":events:") && validEventBus(name)
	}
	if s == "" || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("._-/", r)) {
			return false
		}
	}
	return true
}
