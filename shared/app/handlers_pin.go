package app

import (
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/password"
)

// pinService builds the authorization PIN and billing-data use cases.
func (d *Deps) pinService() *account.PINService {
	return &account.PINService{
		Store:           d.DB,
		Hasher:          password.NewHasher(d.PasswordParams),
		Clock:           d.Clock,
		DefaultLanguage: clientzone.Language(d.Config.DefaultLanguage),
		PasswordCounter: account.FailedLoginCounter,
		Logger:          d.Logger,
	}
}

// PINVerifier is the authorization PIN step-up check for actions that
// change or affect the service.
func (d *Deps) PINVerifier() *account.PINVerifier {
	return &account.PINVerifier{Store: d.DB, Hasher: password.NewHasher(d.PasswordParams), Clock: d.Clock}
}

// PinIssue is POST /admin/v1/customers/{customerId}/pin (back office).
func PinIssue(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.PinIssue(api, d.pinService()) })
}

// PinChange is PUT /v1/customer/pin.
func PinChange(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.PinChange(api, d.pinService()) })
}

// Customer is GET /v1/customer.
func Customer(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.Customer(api, d.pinService()) })
}

// BillingDataUpdate is PATCH /v1/customer/billing-data.
func BillingDataUpdate(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.BillingDataUpdate(api, d.pinService()) })
}
