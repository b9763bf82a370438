package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/statuspage"
)

// Status serves GET /v1/status: the public system status page.
func Status(api *API, svc *statuspage.Service) Handler {
	return Handle(api, Endpoint[struct{}, statuspage.Summary]{
		Route:  "GET /v1/status",
		Access: Public,
		Exec: func(ctx context.Context, _ *struct{}) (*statuspage.Summary, error) {
			return svc.Summary(ctx)
		},
	})
}
