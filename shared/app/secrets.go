package app

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
)

// Secrets are the deployment's secret values. They are never in a
// function's environment (anyone with lambda:GetFunctionConfiguration could
// read them there): the environment names the AWS Secrets Manager secret of
// each one the function needs, and loadSecrets reads those once per cold
// start. Rotating a secret therefore takes effect in new execution
// environments (README, "Rotating keys").
type Secrets struct {
	TokenSigningKey     string // base64 Ed25519 seed (TOKEN_SIGNING_KEY_SECRET_ID)
	StripeSecretKey     string // sk_... (STRIPE_SECRET_KEY_SECRET_ID)
	StripeWebhookSecret string // whsec_... (STRIPE_WEBHOOK_SECRET_SECRET_ID)
}

// secretReader is the Secrets Manager call loadSecrets needs.
type secretReader interface {
	GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// newSecretsClient is the Secrets Manager client of cfg (its local
// stand-in when SECRETSMANAGER_ENDPOINT is set).
func newSecretsClient(cfg Config, awsCfg aws.Config) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(awsCfg, func(o *secretsmanager.Options) {
		if cfg.SecretsManagerEndpoint != "" {
			o.BaseEndpoint = aws.String(cfg.SecretsManagerEndpoint)
		}
	})
}

// loadSecrets reads the secrets cfg names, concurrently (one GetSecretValue
// of the AWSCURRENT version each); a function whose environment names none
// makes no call. An error names the secret and the service's error code,
// never a value.
func loadSecrets(ctx context.Context, cfg Config, c secretReader) (Secrets, error) {
	var s Secrets
	wanted := []struct {
		env, id string
		dst     *string
	}{
		{"TOKEN_SIGNING_KEY_SECRET_ID", cfg.TokenSigningKeySecretID, &s.TokenSigningKey},
		{"STRIPE_SECRET_KEY_SECRET_ID", cfg.StripeSecretKeySecretID, &s.StripeSecretKey},
		{"STRIPE_WEBHOOK_SECRET_SECRET_ID", cfg.StripeWebhookSecretSecretID, &s.StripeWebhookSecret},
	}
	var wg sync.WaitGroup
	errs := make([]error, len(wanted))
	for i, w := range wanted {
		if w.id == "" {
			continue
		}
		wg.Go(func() {
			v, err := readSecret(ctx, c, w.id)
			if err != nil {
				errs[i] = fmt.Errorf("app: %s %q: %w", w.env, w.id, err)
				return
			}
			*w.dst = v
		})
	}
	wg.Wait()
	return s, errors.Join(errs...)
}

// readSecret returns the current string value of secret id.
func readSecret(ctx context.Context, c secretReader, id string) (string, error) {
	out, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return "", fmt.Errorf("secrets manager: %s", ae.ErrorCode())
		}
		return "", fmt.Errorf("secrets manager: %w", err)
	}
	if out.SecretString == nil || *out.SecretString == "" {
		return "", errors.New("the secret has no string value (put one with aws secretsmanager put-secret-value --secret-string)")
	}
	return *out.SecretString, nil
}
