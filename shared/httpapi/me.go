package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// profile is the person as shown to themselves: admins list every right.
func profile(p *clientzone.Person) *clientzone.Person {
	out := *p
	if out.Role == clientzone.RoleAdmin {
		out.Rights = clientzone.AllRights
	}
	if out.Rights == nil {
		out.Rights = []clientzone.Right{}
	}
	return &out
}

// Me serves GET /v1/me: the logged-in person's profile, rights and settings.
func Me(api *API) Handler {
	return Handle(api, Endpoint[struct{}, clientzone.Person]{
		Route:  "GET /v1/me",
		Access: AnyPerson.DuringPasswordChange(),
		Exec: func(ctx context.Context, _ *struct{}) (*clientzone.Person, error) {
			p, _ := clientzone.PrincipalFrom(ctx)
			return profile(p.Person), nil
		},
	})
}
