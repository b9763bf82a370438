package app

import (
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/password"
)

// accountService is the identity service; hasher for the functions that
// check passwords (nil otherwise).
func (d *Deps) accountService(hasher *password.Hasher) *account.Service {
	return &account.Service{
		Store:      d.DB,
		Hasher:     hasher,
		Clock:      d.Clock,
		RefreshTTL: d.Config.RefreshTokenTTL,
		Logger:     d.Logger,
		Metrics:    d.Metrics,
	}
}

// issuer is the identity service of the functions that issue tokens, with
// the signer of the token signing key (an error without one).
func (d *Deps) issuer(hasher *password.Hasher) (*account.Issuer, error) {
	s, err := d.signer()
	if err != nil {
		return nil, err
	}
	return account.NewIssuer(d.accountService(hasher), s)
}

// Refresh is POST /v1/auth/refresh.
func Refresh(d *Deps) (httpapi.Handler, error) {
	svc, err := d.issuer(nil)
	return With(d, svc, err, httpapi.Refresh)
}

// Logout is POST /v1/auth/logout.
func Logout(d *Deps) (httpapi.Handler, error) {
	return With(d, d.accountService(nil), nil, httpapi.Logout)
}

// PasswordChange is POST /v1/me/password.
func PasswordChange(d *Deps) (httpapi.Handler, error) {
	svc, err := d.issuer(password.NewHasher(d.PasswordParams))
	return With(d, svc, err, httpapi.PasswordChange)
}

// MeUpdate is PATCH /v1/me.
func MeUpdate(d *Deps) (httpapi.Handler, error) {
	return With(d, d.accountService(nil), nil, httpapi.MeUpdate)
}
