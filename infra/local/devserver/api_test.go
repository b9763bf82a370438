package devserver

import (
	"encoding/json"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// TestSlice: the status page on the demo data (to be moved to
// shared/httpapi with the status area).
func TestSlice(t *testing.T) {
	_, srv, _ := newStack(t)
	base := srv.URL

	t.Run("status is public", func(t *testing.T) {
		r := do(t, "GET", base+"/v1/status", "", "")
		var s struct {
			Overall    string
			Components []clientzone.StatusComponent
			Incidents  []clientzone.Incident
		}
		if err := json.Unmarshal(r.body, &s); err != nil || r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if s.Overall != "maintenance" || len(s.Components) != 5 || len(s.Incidents) != 2 || !s.Incidents[0].StartedAt.After(s.Incidents[1].StartedAt) {
			t.Errorf("status = %+v", s)
		}
	})
}
