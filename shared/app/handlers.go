package app

import (
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/password"
	"github.com/clientzone/clientzone/shared/statuspage"
)

// One constructor per function in template.yaml, named after its logical id
// without "Function". Each builds only what its action needs.

// API is the endpoint toolkit of one function; authenticated adds the
// access-token check.
func (d *Deps) API(authenticated bool) (*httpapi.API, error) {
	api := &httpapi.API{Logger: d.Logger, LocalBackOffice: d.LocalBackOffice, Idempotency: d.DB, Clock: d.Clock}
	if !authenticated {
		return api, nil
	}
	v, err := d.verifier()
	if err != nil {
		return nil, err
	}
	api.Auth = &account.Authenticator{Verifier: v, Store: d.DB}
	return api, nil
}

// Status is GET /v1/status.
func Status(d *Deps) (httpapi.Handler, error) {
	api, err := d.API(false)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.Status(api, &statuspage.Service{Store: d.DB, TTL: d.Config.StatusCacheTTL, Clock: d.Clock, Changes: d.StatusChanges}), nil
}

// Login is POST /v1/auth/login.
func Login(d *Deps) (httpapi.Handler, error) {
	api, err := d.API(false)
	if err != nil {
		return httpapi.Handler{}, err
	}
	svc, err := d.accountService(true)
	if err != nil {
		return httpapi.Handler{}, err
	}
	svc.Hasher = password.NewHasher(d.PasswordParams)
	return httpapi.Login(api, svc), nil
}

// Me is GET /v1/me.
func Me(d *Deps) (httpapi.Handler, error) {
	api, err := d.API(true)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.Me(api), nil
}

// InvoicesList is GET /v1/invoices.
func InvoicesList(d *Deps) (httpapi.Handler, error) {
	api, err := d.API(true)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.ListInvoices(api, &billing.Service{Store: d.DB, Clock: d.Clock}), nil
}

// With builds an endpoint from the API and one service; err is the error of
// building that service, passed on first.
func With[S any](d *Deps, authenticated bool, svc S, err error, h func(*httpapi.API, S) httpapi.Handler) (httpapi.Handler, error) {
	if err != nil {
		return httpapi.Handler{}, err
	}
	api, err := d.API(authenticated)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return h(api, svc), nil
}
