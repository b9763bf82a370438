package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
)

type refreshRequest struct {
	RefreshToken string `json:"refreshToken" validate:"required,max=256"`
}

// Refresh serves POST /v1/auth/refresh: a valid refresh token is exchanged
// for a new access token and a new refresh token (rotation); reusing an
// old one ends the session.
func Refresh(api *API, svc *account.Issuer) Handler {
	return Handle(api, Endpoint[refreshRequest, TokenResponse]{
		Route:  "POST /v1/auth/refresh",
		Access: Public,
		Exec: func(ctx context.Context, req *refreshRequest) (*TokenResponse, error) {
			c := ClientFrom(ctx)
			t, err := svc.Refresh(ctx, account.RefreshInput{RefreshToken: req.RefreshToken, UserAgent: c.UserAgent, IP: c.IP})
			if err != nil {
				return nil, err
			}
			return tokenResponse(t), nil
		},
	})
}
