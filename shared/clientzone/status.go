package clientzone

import "time"

// Component states on the public status page.
const (
	ComponentOperational = "operational"
	ComponentDegraded    = "degraded"
	ComponentOutage      = "outage"
	ComponentMaintenance = "maintenance"
)

// StatusComponent is a datacenter or hosting service shown on the public
// status page.
type StatusComponent struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Group     string    `json:"group"` // "datacenter" or "hosting"
	Status    string    `json:"status"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Incident is an outage or planned work affecting components.
type Incident struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Status     string     `json:"status"` // investigating, identified, monitoring, resolved, scheduled
	Impact     string     `json:"impact"` // none, minor, major, critical
	Components []string   `json:"components"`
	StartedAt  time.Time  `json:"startedAt"`
	ResolvedAt *time.Time `json:"resolvedAt,omitempty"`
	Message    string     `json:"message"`
}
