package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
)

type pinChangeRequest struct {
	Password string `json:"password" validate:"required,max=1024"`
	NewPIN   string `json:"newPin" validate:"required,max=64"`
}

// PINChanged is the answer to a PIN change.
type PINChanged struct {
	Changed bool `json:"changed"`
}

// PinChange serves PUT /v1/customer/pin: any person of the customer sets a
// new authorization PIN after confirming their password.
func PinChange(api *API, svc *account.PINService) Handler {
	return Handle(api, Endpoint[pinChangeRequest, PINChanged]{
		Route:  "PUT /v1/customer/pin",
		Access: AnyPerson,
		Exec: func(ctx context.Context, req *pinChangeRequest) (*PINChanged, error) {
			c := ClientFrom(ctx)
			err := svc.ChangePIN(ctx, account.ChangePINInput{
				Person: PrincipalOf(ctx).Person, Password: req.Password, NewPIN: req.NewPIN, IP: c.IP, UserAgent: c.UserAgent,
			})
			if err != nil {
				return nil, err
			}
			return &PINChanged{Changed: true}, nil
		},
	})
}
