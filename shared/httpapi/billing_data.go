package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type addressInput struct {
	Street     string `json:"street" validate:"required,max=200"`
	City       string `json:"city" validate:"required,max=100"`
	PostalCode string `json:"postalCode" validate:"required,max=16"`
	Country    string `json:"country" validate:"required,iso3166_1_alpha2"`
}

type billingDataRequest struct {
	// PIN is the authorization PIN (step-up); missing is 403 pin_required.
	PIN            string        `json:"pin" validate:"max=64"`
	Name           *string       `json:"name" validate:"omitnil,min=1,max=200"`
	Email          *string       `json:"email" validate:"omitnil,email,max=254"`
	Phone          *string       `json:"phone" validate:"omitnil,e164"`
	BillingAddress *addressInput `json:"billingAddress"`
	CompanyID      *string       `json:"companyId" validate:"omitnil,max=32"`
	VATID          *string       `json:"vatId" validate:"omitnil,max=32"`
}

// BillingDataUpdate serves PATCH /v1/customer/billing-data: an admin changes
// the customer's billing data, confirmed with the authorization PIN.
func BillingDataUpdate(api *API, svc *account.PINService) Handler {
	return Handle(api, Endpoint[billingDataRequest, account.CustomerView]{
		Route:  "PATCH /v1/customer/billing-data",
		Access: AdminOnly,
		Exec: func(ctx context.Context, req *billingDataRequest) (*account.CustomerView, error) {
			c := ClientFrom(ctx)
			ch := account.BillingDataChange{PIN: req.PIN, Name: req.Name, Email: req.Email, Phone: req.Phone,
				CompanyID: req.CompanyID, VATID: req.VATID}
			if a := req.BillingAddress; a != nil {
				ch.BillingAddress = &clientzone.Address{Street: a.Street, City: a.City, PostalCode: a.PostalCode, Country: a.Country}
			}
			return svc.UpdateBillingData(ctx, PrincipalOf(ctx).Person, ch, c.IP, c.UserAgent)
		},
	})
}
