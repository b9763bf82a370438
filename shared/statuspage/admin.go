package statuspage

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// AdminStore writes the status page; *dynamo.DB implements it.
type AdminStore interface {
	PutStatusComponent(ctx context.Context, c *clientzone.StatusComponent) error
	PutIncident(ctx context.Context, in *clientzone.Incident) error
}

// Admin is the back office's upkeep of the status page.
type Admin struct {
	Store AdminStore
	Clock clientzone.Clock
	// Changes is told of every write, so the Service of the same process
	// stops reusing its summary (see Service.Changes); may be nil.
	Changes *Changes
}

// PutComponent creates or replaces a component, stamped with the time.
func (a *Admin) PutComponent(ctx context.Context, c *clientzone.StatusComponent) (*clientzone.StatusComponent, error) {
	c.UpdatedAt = a.Clock.Now().UTC()
	// Also after a failed write: it may have been applied.
	defer a.Changes.Changed()
	if err := a.Store.PutStatusComponent(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// PutIncident creates or replaces an incident. A resolved incident gets a
// resolution time (now unless given); any other state has none.
func (a *Admin) PutIncident(ctx context.Context, in *clientzone.Incident) (*clientzone.Incident, error) {
	in.StartedAt = in.StartedAt.UTC()
	if in.Status == "resolved" {
		if in.ResolvedAt == nil {
			now := a.Clock.Now().UTC()
			in.ResolvedAt = &now
		}
		r := in.ResolvedAt.UTC()
		if r.Before(in.StartedAt) {
			return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
				Fields: []clientzone.FieldError{{Field: "resolvedAt", Code: "gtefield", Message: "This must not be before startedAt.", Param: "startedAt"}}}
		}
		in.ResolvedAt = &r
	} else {
		in.ResolvedAt = nil
	}
	if in.Components == nil {
		in.Components = []string{}
	}
	defer a.Changes.Changed() // also after a failed write: it may have been applied
	if err := a.Store.PutIncident(ctx, in); err != nil {
		return nil, err
	}
	return in, nil
}
