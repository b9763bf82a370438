package httpapi

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/statuspage"
)

type componentUpsertRequest struct {
	ComponentID string `path:"componentId" validate:"required,max=64,excludesall=#/ "`
	Name        string `json:"name" validate:"required,max=100"`
	Group       string `json:"group" validate:"required,oneof=datacenter hosting"`
	Status      string `json:"status" validate:"required,oneof=operational degraded outage maintenance"`
}

// UpsertStatusComponent serves PUT /admin/v1/status/components/{componentId}
// (back office): creates or replaces a datacenter or hosting component of
// the public status page with its state.
func UpsertStatusComponent(api *API, svc *statuspage.Admin) Handler {
	return Handle(api, Endpoint[componentUpsertRequest, clientzone.StatusComponent]{
		Route:  "PUT /admin/v1/status/components/{componentId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *componentUpsertRequest) (*clientzone.StatusComponent, error) {
			return svc.PutComponent(ctx, &clientzone.StatusComponent{ID: req.ComponentID, Name: req.Name, Group: req.Group, Status: req.Status})
		},
	})
}

type incidentUpsertRequest struct {
	IncidentID string     `path:"incidentId" validate:"required,ulid"`
	Title      string     `json:"title" validate:"required,max=200"`
	Status     string     `json:"status" validate:"required,oneof=investigating identified monitoring resolved scheduled"`
	Impact     string     `json:"impact" validate:"required,oneof=none minor major critical"`
	Components []string   `json:"components" validate:"max=50,dive,required,max=64"`
	StartedAt  time.Time  `json:"startedAt" validate:"required"`
	ResolvedAt *time.Time `json:"resolvedAt"`
	Message    string     `json:"message" validate:"max=5000"`
}

// UpsertStatusIncident serves PUT /admin/v1/status/incidents/{incidentId}
// (back office): creates or replaces an incident or planned work. The id
// is a ULID (the page lists incidents newest first by id); a resolved
// incident gets resolvedAt (now when not given), others none.
func UpsertStatusIncident(api *API, svc *statuspage.Admin) Handler {
	return Handle(api, Endpoint[incidentUpsertRequest, clientzone.Incident]{
		Route:  "PUT /admin/v1/status/incidents/{incidentId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *incidentUpsertRequest) (*clientzone.Incident, error) {
			return svc.PutIncident(ctx, &clientzone.Incident{
				ID: req.IncidentID, Title: req.Title, Status: req.Status, Impact: req.Impact, Components: req.Components,
				StartedAt: req.StartedAt, ResolvedAt: req.ResolvedAt, Message: req.Message,
			})
		},
	})
}
