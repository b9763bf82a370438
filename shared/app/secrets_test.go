package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/infra/local/secretslocal"
)

// app.New reads the secrets the environment names from Secrets Manager
// (here its local stand-in, through the same SDK client as in AWS), only
// those, and reports a missing or empty one by name, never by value.
func TestNewLoadsSecrets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sm := startSecrets(t)
	if err := secretslocal.Put(ctx, sm.Endpoint, "eu-central-1", map[string]string{
		"cz/token": "dG9rZW4tc2VlZA==",
		"cz/sk":    "sk_test_123",
		"cz/whsec": "whsec_abc",
		"cz/empty": "",
	}); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"TABLE_NAME": "t", "AWS_REGION": "eu-central-1", "DYNAMODB_ENDPOINT": "http://127.0.0.1:1",
		"SECRETSMANAGER_ENDPOINT": sm.Endpoint}
	with := func(kv ...string) func(string) string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return envOf(m)
	}
	tests := []struct {
		name    string
		env     func(string) string
		want    Secrets
		wantErr []string // in the error; "" cases succeed
	}{
		{"none named, no call", with("SECRETSMANAGER_ENDPOINT", "http://127.0.0.1:1"), Secrets{}, nil},
		{"token issuer", with("TOKEN_SIGNING_KEY_SECRET_ID", "cz/token"), Secrets{TokenSigningKey: "dG9rZW4tc2VlZA=="}, nil},
		{"checkout and webhook", with("STRIPE_SECRET_KEY_SECRET_ID", "cz/sk", "STRIPE_WEBHOOK_SECRET_SECRET_ID", "cz/whsec"),
			Secrets{StripeSecretKey: "sk_test_123", StripeWebhookSecret: "whsec_abc"}, nil},
		{"all three", with("TOKEN_SIGNING_KEY_SECRET_ID", "cz/token", "STRIPE_SECRET_KEY_SECRET_ID", "cz/sk", "STRIPE_WEBHOOK_SECRET_SECRET_ID", "cz/whsec"),
			Secrets{TokenSigningKey: "dG9rZW4tc2VlZA==", StripeSecretKey: "sk_test_123", StripeWebhookSecret: "whsec_abc"}, nil},
		{"missing secret", with("TOKEN_SIGNING_KEY_SECRET_ID", "cz/nope", "STRIPE_SECRET_KEY_SECRET_ID", "cz/sk"), Secrets{},
			[]string{"TOKEN_SIGNING_KEY_SECRET_ID", `"cz/nope"`, "ResourceNotFoundException"}},
		{"empty value", with("STRIPE_WEBHOOK_SECRET_SECRET_ID", "cz/empty"), Secrets{},
			[]string{"STRIPE_WEBHOOK_SECRET_SECRET_ID", "put-secret-value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ConfigFromEnv(tt.env)
			if err != nil {
				t.Fatal(err)
			}
			d, err := New(ctx, cfg, slog.New(slog.DiscardHandler))
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("New succeeded with %+v, want an error", d.Secrets)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "sk_test_123") {
					t.Errorf("error %q leaks a secret value", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Secrets != tt.want {
				t.Fatalf("Secrets = %+v, want %+v", d.Secrets, tt.want)
			}
		})
	}
}

// A rotated secret (put-secret-value) is what the next cold start reads.
func TestNewReadsTheCurrentVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sm := startSecrets(t)
	env := envOf(map[string]string{"TABLE_NAME": "t", "AWS_REGION": "eu-central-1", "DYNAMODB_ENDPOINT": "http://127.0.0.1:1",
		"SECRETSMANAGER_ENDPOINT": sm.Endpoint, "STRIPE_WEBHOOK_SECRET_SECRET_ID": "cz/whsec"})
	cfg, err := ConfigFromEnv(env)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"whsec_first", "whsec_second"} {
		if err := secretslocal.Put(ctx, sm.Endpoint, "eu-central-1", map[string]string{"cz/whsec": v}); err != nil {
			t.Fatal(err)
		}
		d, err := New(ctx, cfg, slog.New(slog.DiscardHandler))
		if err != nil || d.Secrets.StripeWebhookSecret != v {
			t.Fatalf("after putting %q: %+v, %v", v, d, err)
		}
	}
}

// startSecrets starts a local Secrets Manager for one test.
func startSecrets(t *testing.T) *secretslocal.Server {
	t.Helper()
	sm, err := secretslocal.Start("eu-central-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sm.Stop() })
	return sm
}
