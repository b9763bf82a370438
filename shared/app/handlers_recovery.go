package app

import (
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/password"
)

// Account requests and password recovery: public routes (and one
// back-office route) that need no token verifier and issue no tokens.

func (d *Deps) recoveryService() *account.Recovery {
	return &account.Recovery{
		Store:             d.DB,
		Hasher:            password.NewHasher(d.PasswordParams),
		Clock:             d.Clock,
		Logger:            d.Logger,
		DefaultLanguage:   clientzone.Language(d.Config.DefaultLanguage),
		ActivationURLBase: d.Config.ActivationURLBase,
		ResetURLBase:      d.Config.ResetURLBase,
	}
}

// AccountRequest is POST /v1/account-requests.
func AccountRequest(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler {
		return httpapi.AccountRequest(api, d.recoveryService(), d.Config.SalesContact)
	})
}

// AccountRequestConfirm is POST /v1/account-requests/confirm.
func AccountRequestConfirm(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.AccountRequestConfirm(api, d.recoveryService()) })
}

// PasswordReset is POST /v1/password-resets.
func PasswordReset(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.PasswordReset(api, d.recoveryService()) })
}

// PasswordResetConfirm is POST /v1/password-resets/confirm.
func PasswordResetConfirm(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.PasswordResetConfirm(api, d.recoveryService()) })
}

// TemporaryPassword is POST
// /admin/v1/customers/{customerId}/persons/{personId}/temporary-password.
func TemporaryPassword(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.TemporaryPassword(api, d.recoveryService()) })
}
