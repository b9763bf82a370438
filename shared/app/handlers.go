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

// Endpoint builds one function's handler with build, on the function's
// endpoint toolkit. Whether the handler needs the access-token check comes
// from the endpoint it builds (its Access): every access rule but Public
// and BackOffice gets the Authenticator, which needs TOKEN_VERIFY_KEYS.
func (d *Deps) Endpoint(build func(*httpapi.API) httpapi.Handler) (httpapi.Handler, error) {
	api := &httpapi.API{Logger: d.Logger, LocalBackOffice: d.LocalBackOffice, Idempotency: d.DB, Clock: d.Clock}
	h := build(api)
	if h.Access.IsPublic() {
		return h, nil
	}
	v, err := d.verifier()
	if err != nil {
		return httpapi.Handler{}, err
	}
	api.Auth = &account.Authenticator{Verifier: v, Store: d.DB}
	return h, nil
}

// Status is GET /v1/status.
func Status(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler {
		return httpapi.Status(api, &statuspage.Service{Store: d.DB, TTL: d.Config.StatusCacheTTL, Clock: d.Clock, Changes: d.StatusChanges})
	})
}

// Login is POST /v1/auth/login.
func Login(d *Deps) (httpapi.Handler, error) {
	svc, err := d.issuer(password.NewHasher(d.PasswordParams))
	return With(d, svc, err, httpapi.Login)
}

// Me is GET /v1/me.
func Me(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.Me(api) })
}

// InvoicesList is GET /v1/invoices.
func InvoicesList(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler {
		return httpapi.ListInvoices(api, &billing.Service{Store: d.DB, Clock: d.Clock})
	})
}

// With builds an endpoint from the API and one service; err is the error of
// building that service, passed on first.
func With[S any](d *Deps, svc S, err error, h func(*httpapi.API, S) httpapi.Handler) (httpapi.Handler, error) {
	if err != nil {
		return httpapi.Handler{}, err
	}
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return h(api, svc) })
}
