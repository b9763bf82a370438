package httpapi

import (
	"context"
	"net/http"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/clientzone/clientzone/shared/backoffice"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Back-office upserts (PUT) answer 201 Created when they created the object
// and 200 OK when they replaced it: their responses implement StatusCoder.

func createdStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// backOfficeActor is the caller of a back-office route, for the audit log.
func backOfficeActor(ctx context.Context) backoffice.Actor {
	c := ClientFrom(ctx)
	a := backoffice.Actor{IP: c.IP, UserAgent: c.UserAgent}
	if gw, ok := core.GetAPIGatewayV2ContextFromContext(ctx); ok && gw.Authorizer != nil && gw.Authorizer.IAM != nil {
		a.IAMUser = gw.Authorizer.IAM.UserARN
	}
	return a
}

type customerUpsertRequest struct {
	CustomerID     string              `json:"-" path:"customerId" validate:"required,max=64,printascii,excludesall=#/"`
	Kind           string              `json:"kind" validate:"required,oneof=person company"`
	Name           string              `json:"name" validate:"required,max=200"`
	Email          string              `json:"email" validate:"required,email,max=254"`
	Phone          string              `json:"phone" validate:"required,e164"`
	Region         string              `json:"region" validate:"max=100"`
	VariableSymbol string              `json:"variableSymbol" validate:"omitempty,number,max=7,startsnotwith=0"`
	Currency       string              `json:"currency" validate:"required,iso4217"`
	BillingAddress addressInput        `json:"billingAddress" validate:"required"`
	CompanyID      string              `json:"companyId" validate:"required_if=Kind company,max=32"`
	VATID          string              `json:"vatId" validate:"max=32"`
	Language       clientzone.Language `json:"language" validate:"omitempty,oneof=en sk hu ru"`
}

// CustomerUpsert serves PUT /admin/v1/customers/{customerId} (back office):
// the provider's CRM creates (201) or replaces (200) a customer under its
// id. The variable symbol (up to 7 digits, no leading zero: proformas add a
// 3-digit sequence and banks carry up to 10) is unique: one used by another
// customer, or overlapping another customer's proforma symbols, is 409 on
// variableSymbol; changing it moves the claim in the same transaction. The
// currency of a customer with invoices cannot change (409). The creation
// time is kept on replace.
func CustomerUpsert(api *API, svc *backoffice.Service) Handler {
	return Handle(api, Endpoint[customerUpsertRequest, upsertedCustomer]{
		Route:  "PUT /admin/v1/customers/{customerId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *customerUpsertRequest) (*upsertedCustomer, error) {
			a := req.BillingAddress
			created, c, err := svc.UpsertCustomer(ctx, backOfficeActor(ctx), &clientzone.Customer{
				ID: req.CustomerID, Kind: req.Kind, Name: req.Name, Email: req.Email, Phone: req.Phone, Region: req.Region,
				VariableSymbol: req.VariableSymbol, Currency: req.Currency, CompanyID: req.CompanyID, VATID: req.VATID, Language: req.Language,
				BillingAddress: clientzone.Address{Street: a.Street, City: a.City, PostalCode: a.PostalCode, Country: a.Country},
			})
			if err != nil {
				return nil, err
			}
			return &upsertedCustomer{Customer: c, created: created}, nil
		},
	})
}

// upsertedCustomer is a customer as the back office wrote it; 201 when it
// was created.
type upsertedCustomer struct {
	*clientzone.Customer
	created bool
}

func (u *upsertedCustomer) StatusCode() int { return createdStatus(u.created) }
