package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
)

type logoutRequest struct {
	// Everywhere logs the person out on every device.
	Everywhere bool `json:"everywhere"`
}

type logoutResponse struct {
	LoggedOut  bool `json:"loggedOut"`
	Everywhere bool `json:"everywhere"`
}

// Logout serves POST /v1/auth/logout: the caller's session ends (its
// refresh token stops working); with {"everywhere": true} every access
// token and session of the person end at once.
func Logout(api *API, svc *account.Service) Handler {
	return Handle(api, Endpoint[logoutRequest, logoutResponse]{
		Route:  "POST /v1/auth/logout",
		Access: AnyPerson.DuringPasswordChange(),
		Exec: func(ctx context.Context, req *logoutRequest) (*logoutResponse, error) {
			c := ClientFrom(ctx)
			err := svc.Logout(ctx, account.LogoutInput{Principal: PrincipalOf(ctx), Everywhere: req.Everywhere, UserAgent: c.UserAgent, IP: c.IP})
			if err != nil {
				return nil, err
			}
			return &logoutResponse{LoggedOut: true, Everywhere: req.Everywhere}, nil
		},
	})
}
