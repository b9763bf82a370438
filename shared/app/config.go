package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/metrics"
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
}

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
	}
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
	if err := errors.Join(errs...); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	return c, nil
}
