package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/metrics/metricstest"
)

// unavailableStore fails the first read of a login, as DynamoDB being
// unreachable would.
type unavailableStore struct{ *dynamo.DB }

func (unavailableStore) LoginAttempt(context.Context, string, time.Duration, time.Time) (*clientzone.Person, string, int, error) {
	return nil, "", 0, errors.New("dynamodb: connection refused")
}

func TestLoginMetrics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	const pw = "Správne-Heslo-2026"
	e.person(t, "eva@example.sk", "", e.hash(t, pw), nil)
	e.person(t, "off@example.sk", "", e.hash(t, pw), func(p *clientzone.Person) { p.Disabled = true })
	e.person(t, "invited@example.sk", "", "", nil)
	e.person(t, "locked@example.sk", "", e.hash(t, pw), nil)
	for range account.MaxFailedLogins { // uncounted: no Metrics yet
		if _, err := e.svc.Login(ctx, account.LoginInput{Login: "locked@example.sk", Password: "Zle-Heslo"}); clientzone.ErrorCode(err) != clientzone.ECREDENTIALS {
			t.Fatalf("failing login: %v", err)
		}
	}

	tests := []struct {
		name            string
		login, password string
		store           account.Store // nil: the table
		code            string        // expected error code, "" for success
		succeeded       int
		failed          int
	}{
		{"right password", "eva@example.sk", pw, nil, "", 1, 0},
		{"wrong password", "eva@example.sk", "Zle-Heslo", nil, clientzone.ECREDENTIALS, 0, 1},
		{"unknown login", "nobody@example.sk", pw, nil, clientzone.ECREDENTIALS, 0, 1},
		{"disabled person", "off@example.sk", pw, nil, clientzone.ECREDENTIALS, 0, 1},
		{"not activated", "invited@example.sk", pw, nil, clientzone.ECREDENTIALS, 0, 1},
		{"limit reached, right password", "locked@example.sk", pw, nil, clientzone.ERATELIMITED, 0, 1},
		{"store unavailable", "eva@example.sk", pw, unavailableStore{e.db}, clientzone.EINTERNAL, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, rec := metricstest.New(e.svc.Clock.Now)
			base := *e.svc.Service
			base.Metrics = w
			if tt.store != nil {
				base.Store = tt.store
			}
			svc, err := account.NewIssuer(&base, e.signer)
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.Login(ctx, account.LoginInput{Login: tt.login, Password: tt.password})
			if got := clientzone.ErrorCode(err); got != tt.code {
				t.Fatalf("error %v (code %q), want code %q", err, got, tt.code)
			}
			lines := rec.Lines(t)
			if len(lines) != tt.succeeded+tt.failed {
				t.Fatalf("%d metric lines %+v, want %d", len(lines), lines, tt.succeeded+tt.failed)
			}
			if got := rec.Sum(t, account.MetricLoginSucceeded); got != tt.succeeded {
				t.Errorf("LoginSucceeded = %d, want %d", got, tt.succeeded)
			}
			if got := rec.Sum(t, account.MetricLoginFailed); got != tt.failed {
				t.Errorf("LoginFailed = %d, want %d", got, tt.failed)
			}
		})
	}
}
