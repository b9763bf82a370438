package notify

import (
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Every action of the contract-change confirmation renders in every
// language with its own values.
func TestContractChangeActions(t *testing.T) {
	r, err := NewRenderer("Acme Net")
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]map[string]string{
		"tariff-change":       {"serviceName": "Optik 500/100", "tariffName": "Optik 1000", "effectiveOn": "2026-12-01"},
		"addon-add":           {"serviceName": "Verejná IP adresa"},
		"addon-remove":        {"serviceName": "TV Štart"},
		"suspension-start":    {"since": "2026-11-23", "freeUntil": "2027-01-21", "dailyFee": "1.00 EUR"},
		"suspension-end":      {"resumedOn": "2026-12-02"},
		"termination-request": {"endOn": "2026-12-31"},
	}
	for action, data := range actions {
		for _, lang := range clientzone.Languages {
			d := map[string]string{"action": action, "contractNumber": "2024001", "name": "Ján"}
			for k, v := range data {
				d[k] = v
			}
			out, err := r.Render(clientzone.Message{ID: "m", Channel: clientzone.ChannelEmail, To: "x", Template: "contract-change", Language: lang, Data: d})
			if err != nil {
				t.Fatalf("%s/%s: %v", action, lang, err)
			}
			for _, v := range data {
				if !strings.Contains(out.Body, v) {
					t.Errorf("%s/%s: %q missing from %q", action, lang, v, out.Body)
				}
			}
			if !strings.Contains(out.Subject, "2024001") {
				t.Errorf("%s/%s: subject %q", action, lang, out.Subject)
			}
		}
	}
}
