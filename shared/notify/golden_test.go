package notify

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.txt from the current templates (-args -update)")

// goldenCase is one set of message data a template is rendered with.
type goldenCase struct {
	name string
	data map[string]string
}

var optionalKeyRE = regexp.MustCompile(`index \. "([^"]+)"`)

// goldenCases are the data every template is rendered with in the golden
// files: its sample data (for contract-change, once per action with that
// action's values); then, for each optional key (read with index), the
// same without it and with it empty; then without any optional key.
func goldenCases(name string) []goldenCase {
	base := []goldenCase{{"sample", clone(sampleData[name].data)}}
	if name == "contract-change" {
		for _, a := range []struct {
			action string
			data   map[string]string
		}{
			{"tariff-change", map[string]string{"serviceName": "Optik 500/100", "tariffName": "Optik 1000", "effectiveOn": "2026-12-01"}},
			{"addon-add", map[string]string{"serviceName": "Verejná IP adresa"}},
			{"addon-remove", map[string]string{"serviceName": "TV Štart"}},
			{"suspension-start", map[string]string{"since": "2026-11-23", "freeUntil": "2027-01-21", "dailyFee": "1.00 EUR"}},
			{"suspension-end", map[string]string{"resumedOn": "2026-12-02"}},
			{"termination-request", map[string]string{"endOn": "2026-12-31"}},
			{"unknown-action", nil},
		} {
			d := map[string]string{"action": a.action, "contractNumber": "2024001", "name": "Ján Novák"}
			for k, v := range a.data {
				d[k] = v
			}
			base = append(base, goldenCase{"action " + a.action, d})
		}
	}
	if name == "message-status" {
		d := clone(sampleData[name].data)
		d["status"] = "closed"
		base = append(base, goldenCase{"closed", d})
	}
	optional := map[string]bool{}
	for _, src := range sources[name] {
		for _, m := range optionalKeyRE.FindAllStringSubmatch(src.Subject+src.Body+src.SMS, -1) {
			optional[m[1]] = true
		}
	}
	keys := make([]string, 0, len(optional))
	for k := range optional {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []goldenCase
	for _, b := range base {
		out = append(out, b)
		if len(keys) == 0 {
			continue
		}
		none := clone(b.data)
		for _, k := range keys {
			without, empty := clone(b.data), clone(b.data)
			delete(without, k)
			empty[k] = ""
			delete(none, k)
			out = append(out, goldenCase{b.name + " without " + k, without}, goldenCase{b.name + " with empty " + k, empty})
		}
		out = append(out, goldenCase{b.name + " without optional keys", none})
	}
	return out
}

// renderGolden renders template name in every language and channel for
// every golden case, as the golden file holds it.
func renderGolden(t *testing.T, r *Renderer, name string) string {
	t.Helper()
	var b strings.Builder
	for _, lang := range clientzone.Languages {
		src := sources[name][lang]
		var channels []string
		if src.Subject != "" {
			channels = append(channels, clientzone.ChannelEmail)
		}
		if src.SMS != "" {
			channels = append(channels, clientzone.ChannelSMS)
		}
		for _, ch := range channels {
			for _, c := range goldenCases(name) {
				out, err := r.Render(clientzone.Message{ID: "m1", Channel: ch, To: "x", Template: name, Language: lang, Data: c.data})
				fmt.Fprintf(&b, "=== %s %s: %s\n", lang, ch, c.name)
				if err != nil {
					fmt.Fprintf(&b, "error\n")
					continue
				}
				if ch == clientzone.ChannelEmail {
					fmt.Fprintf(&b, "Subject: %s\n\n", out.Subject)
				}
				fmt.Fprintf(&b, "%s\n", out.Body)
			}
		}
	}
	return b.String()
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestRenderGolden renders every template in every language and channel
// (with and without its optional keys, every action of contract-change)
// and compares with testdata/golden/<template>.txt. The files were first
// written by the hand-rolled engine (tmpl.go) text/template replaced, after
// a test compared the two on every case: the texts customers get did not
// change. go test ./shared/notify -run TestRenderGolden -args -update
// rewrites them after a deliberate change of a template.
func TestRenderGolden(t *testing.T) {
	r, err := NewRenderer("Acme Net")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "golden")
	names := Templates()
	for _, name := range names {
		got := renderGolden(t, r, name)
		file := filepath.Join(dir, name+".txt")
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v (go test -run TestRenderGolden -update writes it)", name, err)
			continue
		}
		if got != string(want) {
			t.Errorf("%s renders differently from %s:\n%s", name, file, firstDifference(string(want), got))
		}
		if !strings.Contains(got, "Acme Net") || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
			t.Errorf("%s: golden output without the brand or with unfilled actions", name)
		}
	}
	// No golden file of a template that no longer exists.
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(names) {
		t.Errorf("%d golden files for %d templates", len(files), len(names))
	}
}

// firstDifference shows the first line where want and got differ.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return "(equal lines, different ends)"
}
