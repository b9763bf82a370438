package app

import (
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/password"
)

// accountService is the identity service; withSigner for functions that
// issue tokens.
func (d *Deps) accountService(withSigner bool) (*account.Service, error) {
	svc := &account.Service{
		Store:      d.DB,
		Clock:      d.Clock,
		RefreshTTL: d.Config.RefreshTokenTTL,
		Logger:     d.Logger,
		Metrics:    d.Metrics,
	}
	if withSigner {
		s, err := d.signer()
		if err != nil {
			return nil, err
		}
		svc.Signer = s
	}
	return svc, nil
}

// Refresh is POST /v1/auth/refresh.
func Refresh(d *Deps) (httpapi.Handler, error) {
	svc, err := d.accountService(true)
	return With(d, false, svc, err, httpapi.Refresh)
}

// Logout is POST /v1/auth/logout.
func Logout(d *Deps) (httpapi.Handler, error) {
	svc, err := d.accountService(false)
	return With(d, true, svc, err, httpapi.Logout)
}

// PasswordChange is POST /v1/me/password.
func PasswordChange(d *Deps) (httpapi.Handler, error) {
	svc, err := d.accountService(true)
	if err == nil {
		svc.Hasher = password.NewHasher(d.PasswordParams)
	}
	return With(d, true, svc, err, httpapi.PasswordChange)
}

// MeUpdate is PATCH /v1/me.
func MeUpdate(d *Deps) (httpapi.Handler, error) {
	svc, err := d.accountService(false)
	return With(d, true, svc, err, httpapi.MeUpdate)
}
