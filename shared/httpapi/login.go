package httpapi

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type loginRequest struct {
	// Login is an email, a username or a contract number.
	Login    string `json:"login" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
}

// TokenResponse is the body of a successful login or refresh.
type TokenResponse struct {
	TokenType          string             `json:"tokenType"`
	AccessToken        string             `json:"accessToken"`
	ExpiresIn          int                `json:"expiresIn"` // seconds
	ExpiresAt          time.Time          `json:"expiresAt"`
	RefreshToken       string             `json:"refreshToken"`
	RefreshExpiresAt   time.Time          `json:"refreshExpiresAt"`
	MustChangePassword bool               `json:"mustChangePassword"`
	Person             *clientzone.Person `json:"person"`
}

func tokenResponse(t *account.Tokens) *TokenResponse {
	return &TokenResponse{
		TokenType:          "Bearer",
		AccessToken:        t.AccessToken,
		ExpiresIn:          int(t.AccessTTL.Seconds()),
		ExpiresAt:          t.AccessExpiresAt,
		RefreshToken:       t.RefreshToken,
		RefreshExpiresAt:   t.RefreshExpiresAt,
		MustChangePassword: t.MustChangePassword,
		Person:             profile(t.Person),
	}
}

// Login serves POST /v1/auth/login.
func Login(api *API, svc *account.Issuer) Handler {
	return Handle(api, Endpoint[loginRequest, TokenResponse]{
		Route:  "POST /v1/auth/login",
		Access: Public,
		Exec: func(ctx context.Context, req *loginRequest) (*TokenResponse, error) {
			c := ClientFrom(ctx)
			t, err := svc.Login(ctx, account.LoginInput{Login: req.Login, Password: req.Password, UserAgent: c.UserAgent, IP: c.IP})
			if err != nil {
				return nil, err
			}
			return tokenResponse(t), nil
		},
	})
}
