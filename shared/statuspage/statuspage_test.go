package statuspage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/statuspage"
)

type fixedStatus struct {
	comps []clientzone.StatusComponent
	incs  []clientzone.Incident
	err   error
}

func (f fixedStatus) Status(context.Context) ([]clientzone.StatusComponent, []clientzone.Incident, error) {
	return f.comps, f.incs, f.err
}

func TestSummaryOverall(t *testing.T) {
	t.Parallel()
	comps := func(states ...string) []clientzone.StatusComponent {
		var out []clientzone.StatusComponent
		for i, s := range states {
			out = append(out, clientzone.StatusComponent{ID: string(rune('a' + i)), Status: s})
		}
		return out
	}
	tests := []struct {
		name   string
		states []string
		want   string
	}{
		{"no components", nil, clientzone.ComponentOperational},
		{"all operational", []string{"operational", "operational"}, clientzone.ComponentOperational},
		{"maintenance", []string{"operational", "maintenance"}, clientzone.ComponentMaintenance},
		{"degraded beats maintenance", []string{"maintenance", "degraded", "operational"}, clientzone.ComponentDegraded},
		{"outage beats everything", []string{"degraded", "outage", "maintenance"}, clientzone.ComponentOutage},
		{"outage first", []string{"outage", "degraded"}, clientzone.ComponentOutage},
		{"unknown state counts as operational", []string{"weird"}, clientzone.ComponentOperational},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			incs := []clientzone.Incident{{ID: "2"}, {ID: "1"}}
			svc := &statuspage.Service{Store: fixedStatus{comps: comps(tt.states...), incs: incs}}
			s, err := svc.Summary(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if s.Overall != tt.want {
				t.Fatalf("Overall = %q, want %q", s.Overall, tt.want)
			}
			if len(s.Components) != len(tt.states) || len(s.Incidents) != 2 || s.Incidents[0].ID != "2" {
				t.Fatalf("summary = %+v", s)
			}
		})
	}
}

func TestSummaryStoreError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	s, err := (&statuspage.Service{Store: fixedStatus{err: boom}}).Summary(context.Background())
	if s != nil || !errors.Is(err, boom) {
		t.Fatalf("Summary = %v, %v; want the store's error", s, err)
	}
}
