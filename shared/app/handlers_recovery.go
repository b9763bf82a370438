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
	api, err := d.API(false)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.AccountRequest(api, d.recoveryService(), d.Config.SalesContact), nil
}

// AccountRequestConfirm is POST /v1/account-requests/confirm.
func AccountRequestConfirm(d *Deps) (httpapi.Handler, error) {
	api, err := d.API(false)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.AccountRequestConfirm(api, d.recoveryService()), nil
}

// PasswordReset is POST /v1/password-resets.
func PasswordReset(d *Deps) (httpapi.Handler, error) {
	api, err := d.API(false)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.PasswordReset(api, d.recoveryService()), nil
}

// PasswordResetConfirm is POST /v1/password-resets/confirm.
func PasswordResetConfirm(d *Deps) (httpapi.Handler, error) {
	api, err := d.API(false)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.PasswordResetConfirm(api, d.recoveryService()), nil
}

// TemporaryPassword is POST
// /admin/v1/customers/{customerId}/persons/{personId}/temporary-password.
func TemporaryPassword(d *Deps) (httpapi.Handler, error) {
	api, err := d.API(false)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.TemporaryPassword(api, d.recoveryService()), nil
}
