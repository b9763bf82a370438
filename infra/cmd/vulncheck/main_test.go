package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// A govulncheck -format json stream: one vulnerability called (through two
// traces), one only imported, one only required.
const stream = `{"config":{"protocol_version":"v1.0.0","scanner_name":"govulncheck"}}
{"osv":{"id":"GO-2026-0001","summary":"Crash in net/http"}}
{"osv":{"id":"GO-2026-0002","summary":"Imported, never called"}}
{"osv":{"id":"GO-2026-0003","summary":"Required, never imported"}}
{"finding":{"osv":"GO-2026-0003","fixed_version":"v1.2.3","trace":[{"module":"example.com/m","version":"v1.0.0"}]}}
{"finding":{"osv":"GO-2026-0002","fixed_version":"v1.26.9","trace":[{"module":"stdlib","version":"v1.26.8","package":"html/template"}]}}
{"finding":{"osv":"GO-2026-0001","fixed_version":"v1.26.9","trace":[{"module":"stdlib","version":"v1.26.8","package":"net/http","function":"Read","receiver":"*gzipReader"},{"module":"github.com/clientzone/clientzone","package":"github.com/clientzone/clientzone/shared/app","function":"WarmConnection","position":{"filename":"shared/app/app.go","line":126}}]}}
{"finding":{"osv":"GO-2026-0001","fixed_version":"v1.26.9","trace":[{"module":"stdlib","version":"v1.26.8","package":"net/http","function":"Write"},{"module":"github.com/clientzone/clientzone","function":"Load","position":{"filename":"infra/legacyimport/export.go","line":161}}]}}
`

func TestCalledVulns(t *testing.T) {
	found, err := calledVulns(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 {
		t.Fatalf("found %+v, want only the called GO-2026-0001", found)
	}
	v := found["GO-2026-0001"]
	if v.Module != "stdlib" || v.Fixed != "v1.26.9" || v.Summary != "Crash in net/http" || v.Example != "shared/app/app.go:126 WarmConnection" {
		t.Errorf("vuln %+v", v)
	}
	if _, err := calledVulns(strings.NewReader(`{"finding":`)); err == nil {
		t.Error("a cut stream: no error")
	}
}

func TestVerdict(t *testing.T) {
	found := map[string]vuln{"GO-2026-0001": {ID: "GO-2026-0001", Module: "stdlib", Fixed: "v1.26.9", Summary: "Crash"}}
	for _, tt := range []struct {
		name     string
		accepted map[string]string
		want     []string // in the error; none: no error
	}{
		{"accepted", map[string]string{"GO-2026-0001": "toolchain upgrade pending"}, nil},
		{"not accepted", map[string]string{}, []string{"not accepted: GO-2026-0001"}},
		{"stale entry", map[string]string{"GO-2026-0001": "r", "GO-2025-0009": "fixed long ago"}, []string{"no longer found: GO-2025-0009"}},
		{"both", map[string]string{"GO-2025-0009": "r"}, []string{"not accepted: GO-2026-0001", "no longer found: GO-2025-0009"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := verdict(&out, found, tt.accepted)
			if !strings.Contains(out.String(), "GO-2026-0001 Crash (stdlib; fixed in v1.26.9)") {
				t.Errorf("output %q does not list the finding", out.String())
			}
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want %q", err, w)
				}
			}
		})
	}
}

func TestParseAccepted(t *testing.T) {
	got, err := parseAccepted(strings.NewReader("# comment\n\nGO-2026-0001 standard library, fixed in go1.26.9\n"))
	if err != nil || len(got) != 1 || got["GO-2026-0001"] != "standard library, fixed in go1.26.9" {
		t.Fatalf("parseAccepted = %v, %v", got, err)
	}
	for _, bad := range []string{"GO-2026-0001", "CVE-2026-1 reason"} {
		if _, err := parseAccepted(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	// The project's own list parses, and every entry says why.
	f, err := os.Open("accepted.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := parseAccepted(f); err != nil {
		t.Errorf("accepted.txt: %v", err)
	}
}
