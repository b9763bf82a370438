package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
)

type passwordChangeRequest struct {
	CurrentPassword string `json:"currentPassword" validate:"required,max=1024"`
	// NewPassword's policy (length, not the current one, no email or
	// username) is checked by the use case, with field errors.
	NewPassword string `json:"newPassword" validate:"required,max=1024"`
}

// PasswordChange serves POST /v1/me/password: the logged-in person changes
// their password (also a pending staff-issued one); other devices are
// logged out and fresh tokens are returned.
func PasswordChange(api *API, svc *account.Issuer) Handler {
	return Handle(api, Endpoint[passwordChangeRequest, TokenResponse]{
		Route:  "POST /v1/me/password",
		Access: AnyPerson.DuringPasswordChange(),
		Exec: func(ctx context.Context, req *passwordChangeRequest) (*TokenResponse, error) {
			c := ClientFrom(ctx)
			t, err := svc.ChangePassword(ctx, account.PasswordChangeInput{
				Principal: PrincipalOf(ctx), CurrentPassword: req.CurrentPassword, NewPassword: req.NewPassword,
				UserAgent: c.UserAgent, IP: c.IP,
			})
			if err != nil {
				return nil, err
			}
			return tokenResponse(t), nil
		},
	})
}
