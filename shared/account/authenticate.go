package account

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/token"
)

// Authenticator turns a bearer token into a principal. It reads the person
// on every request (one GetItem), so disabling a person, changing rights or
// "log out everywhere" take effect at once rather than when tokens expire.
type Authenticator struct {
	Verifier *token.Verifier
	Store    interface {
		Person(ctx context.Context, cid, pid string) (*clientzone.Person, error)
	}
}

var errUnauthenticated = clientzone.Errorf(clientzone.EUNAUTHENTICATED, "Log in to continue.")

// Authenticate verifies raw and loads the person behind it.
func (a *Authenticator) Authenticate(ctx context.Context, raw string) (*clientzone.Principal, error) {
	if raw == "" {
		return nil, errUnauthenticated
	}
	c, err := a.Verifier.Verify(raw)
	if err != nil {
		return nil, clientzone.Errorf(clientzone.EUNAUTHENTICATED, "The access token is invalid or expired.")
	}
	p, err := a.Store.Person(ctx, c.CustomerID, c.Subject)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return nil, errUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	if p.Disabled || p.TokenVersion != c.Version {
		return nil, clientzone.Errorf(clientzone.EUNAUTHENTICATED, "The session has ended; log in again.")
	}
	return &clientzone.Principal{Person: p, SessionID: c.SessionID}, nil
}
