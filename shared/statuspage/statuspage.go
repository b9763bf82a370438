// Package statuspage serves the public system status: datacenters, hosting
// services and incidents.
package statuspage

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Store is the persistence the status page needs.
type Store interface {
	Status(ctx context.Context) ([]clientzone.StatusComponent, []clientzone.Incident, error)
}

// Overall states, worst first.
var severity = map[string]int{
	clientzone.ComponentOutage:      3,
	clientzone.ComponentDegraded:    2,
	clientzone.ComponentMaintenance: 1,
	clientzone.ComponentOperational: 0,
}

// Summary is the status page.
type Summary struct {
	Overall    string                       `json:"overall"`
	Components []clientzone.StatusComponent `json:"components"`
	Incidents  []clientzone.Incident        `json:"incidents"`
}

// Service implements the status page.
type Service struct {
	Store Store
}

// Summary returns every component, the incidents newest first, and the
// overall state: the worst state of any component.
func (s *Service) Summary(ctx context.Context) (*Summary, error) {
	comps, incs, err := s.Store.Status(ctx)
	if err != nil {
		return nil, err
	}
	overall := clientzone.ComponentOperational
	for _, c := range comps {
		if severity[c.Status] > severity[overall] {
			overall = c.Status
		}
	}
	return &Summary{Overall: overall, Components: comps, Incidents: incs}, nil
}
