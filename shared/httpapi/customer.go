package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
)

// Customer serves GET /v1/customer: the customer's billing data and whether
// an authorization PIN is set (admins only).
func Customer(api *API, svc *account.PINService) Handler {
	return Handle(api, Endpoint[struct{}, account.CustomerView]{
		Route:  "GET /v1/customer",
		Access: AdminOnly,
		Exec: func(ctx context.Context, _ *struct{}) (*account.CustomerView, error) {
			return svc.Customer(ctx, PrincipalOf(ctx).Person.CustomerID)
		},
	})
}
