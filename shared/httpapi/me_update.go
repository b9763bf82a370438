package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type meUpdateRequest struct {
	Name     *string `json:"name"`
	Phone    *string `json:"phone"` // E.164; "" removes it
	Language *string `json:"language"`
	// Notifications changes only the topics given.
	Notifications *struct {
		Invoices *bool `json:"invoices"`
		Expiry   *bool `json:"expiry"`
		Outages  *bool `json:"outages"`
		News     *bool `json:"news"`
	} `json:"notifications"`
}

// MeUpdate serves PATCH /v1/me: the logged-in person changes their name,
// phone, language or notification settings; only the fields given change.
// It answers with the profile, like GET /v1/me.
func MeUpdate(api *API, svc *account.Service) Handler {
	return Handle(api, Endpoint[meUpdateRequest, clientzone.Person]{
		Route:  "PATCH /v1/me",
		Access: AnyPerson.DuringPasswordChange(),
		Exec: func(ctx context.Context, req *meUpdateRequest) (*clientzone.Person, error) {
			ch := account.ProfileChanges{Name: req.Name, Phone: req.Phone, Language: req.Language}
			if n := req.Notifications; n != nil {
				ch.Notifications = &account.NotificationChanges{Invoices: n.Invoices, Expiry: n.Expiry, Outages: n.Outages, News: n.News}
			}
			c := ClientFrom(ctx)
			p, err := svc.UpdateProfile(ctx, PrincipalOf(ctx), ch, c.IP, c.UserAgent)
			if err != nil {
				return nil, err
			}
			return profile(p), nil
		},
	})
}
