package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/statuspage"
)

// StatusCacheControl lets browsers and shared caches (a CDN in front of the
// API) keep the status page for 30 seconds and revalidate it with its ETag:
// during an outage it is the most requested page.
const StatusCacheControl = "public, max-age=30"

// Status serves GET /v1/status: the public system status page, cacheable
// (StatusCacheControl) with a strong ETag, so a revalidation whose
// If-None-Match still matches is answered 304 without a body.
func Status(api *API, svc *statuspage.Service) Handler {
	return Handle(api, Endpoint[struct{}, statuspage.Summary]{
		Route:        "GET /v1/status",
		Access:       Public,
		CacheControl: StatusCacheControl,
		ETag:         true,
		Exec: func(ctx context.Context, _ *struct{}) (*statuspage.Summary, error) {
			return svc.Summary(ctx)
		},
	})
}
