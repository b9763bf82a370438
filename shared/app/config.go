package app

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Config is read from the environment (template.yaml sets it in AWS; the dev
// server and tests set it locally).
type Config struct {
	TableName  string // TABLE_NAME (required)
	BucketName string // BUCKET_NAME
	Region     string // AWS_REGION

	// Local endpoints; empty in AWS.
	DynamoDBEndpoint string // DYNAMODB_ENDPOINT
	S3Endpoint       string // S3_ENDPOINT

	TokenIssuer     string        // TOKEN_ISSUER
	TokenAudience   string        // TOKEN_AUDIENCE
	TokenSigningKey string        // TOKEN_SIGNING_KEY: base64 Ed25519 seed; only token issuers
	TokenVerifyKey  string        // TOKEN_VERIFY_KEY: base64 Ed25519 public key
	AccessTokenTTL  time.Duration // ACCESS_TOKEN_TTL
	RefreshTokenTTL time.Duration // REFRESH_TOKEN_TTL

	Brand           string // BRAND
	Currency        string // CURRENCY
	DefaultLanguage string // DEFAULT_LANGUAGE
	LogLevel        string // AWS_LAMBDA_LOG_LEVEL or LOG_LEVEL

	// Account requests and password recovery.
	ActivationURLBase string // ACTIVATION_URL_BASE: front-end page of activation links
	ResetURLBase      string // RESET_URL_BASE: front-end page of password reset links
	SalesContact      string // SALES_CONTACT: shown when an account request does not match
}

// currencyCode is template.yaml's AllowedPattern of Currency.
var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

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
		TokenSigningKey:  get("TOKEN_SIGNING_KEY", ""),
		TokenVerifyKey:   get("TOKEN_VERIFY_KEY", ""),
		Brand:            get("BRAND", "clientzone"),
		Currency:         get("CURRENCY", "EUR"),
		DefaultLanguage:  get("DEFAULT_LANGUAGE", "en"),
		LogLevel:         get("AWS_LAMBDA_LOG_LEVEL", get("LOG_LEVEL", "INFO")),

		// Account requests and password recovery.
		ActivationURLBase: get("ACTIVATION_URL_BASE", "https://portal.example.com/activate"),
		ResetURLBase:      get("RESET_URL_BASE", "https://portal.example.com/reset-password"),
		SalesContact:      get("SALES_CONTACT", "sales@example.com"),
	}
	var errs []error
	var err error
	if c.AccessTokenTTL, err = time.ParseDuration(get("ACCESS_TOKEN_TTL", "15m")); err != nil || c.AccessTokenTTL <= 0 {
		errs = append(errs, fmt.Errorf("ACCESS_TOKEN_TTL: want a positive duration like 15m"))
	}
	if c.RefreshTokenTTL, err = time.ParseDuration(get("REFRESH_TOKEN_TTL", "720h")); err != nil || c.RefreshTokenTTL <= 0 {
		errs = append(errs, fmt.Errorf("REFRESH_TOKEN_TTL: want a positive duration like 720h"))
	}
	if c.TableName == "" {
		errs = append(errs, errors.New("TABLE_NAME is required"))
	}
	if !currencyCode.MatchString(c.Currency) {
		errs = append(errs, errors.New("CURRENCY: want an ISO 4217 code"))
	}
	switch c.DefaultLanguage {
	case "en", "sk", "hu", "ru":
	default:
		errs = append(errs, errors.New("DEFAULT_LANGUAGE: want en, sk, hu or ru"))
	}
	if err := errors.Join(errs...); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	return c, nil
}
