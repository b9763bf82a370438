package notify

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"text/template" // only to check that tmpl.go means the same; never in non-test code

	"github.com/clientzone/clientzone/shared/clientzone"
)

func execTmpl(t *testing.T, src string, data map[string]string) (string, error) {
	t.Helper()
	tp, err := parseTmpl("t", src)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	var b strings.Builder
	err = tp.execute(&b, data)
	return b.String(), err
}

func TestTmplConstructs(t *testing.T) {
	data := map[string]string{"a": "A", "b": "Bee", "empty": "", "action": "x", "u": "žltý kôň {{.a}}"}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"text only", "Hello, world! } { }} {", "Hello, world! } { }} {"},
		{"field", "{{.a}}", "A"},
		{"fields and text", "x{{.a}}y{{.b}}z", "xAyBeez"},
		{"spaces in action", "{{ .a }}{{\t.b\n}}", "ABee"},
		{"value copied verbatim", "<{{.u}}>", "<žltý kôň {{.a}}>"},
		{"empty value", "[{{.empty}}]", "[]"},
		{"index", `{{index . "a"}}`, "A"},
		{"index missing", `[{{index . "nope"}}]`, "[]"},
		{"index raw string", "{{index . `b`}}", "Bee"},
		{"index escaped string", `{{index . "\x61"}}`, "A"},
		{"index key with braces", `{{index . "}}"}}`, ""},
		{"if field true", "{{if .a}}yes{{end}}", "yes"},
		{"if field empty", "{{if .empty}}yes{{end}}-", "-"},
		{"if index true", `{{if index . "a"}}yes{{end}}`, "yes"},
		{"if index missing", `{{if index . "nope"}}yes{{else}}no{{end}}`, "no"},
		{"if index empty", `{{if index . "empty"}}yes{{else}}no{{end}}`, "no"},
		{"if eq true", `{{if eq .action "x"}}yes{{else}}no{{end}}`, "yes"},
		{"if eq false", `{{if eq .action "y"}}yes{{else}}no{{end}}`, "no"},
		{"else if chain first", `{{if eq .a "A"}}1{{else if eq .a "B"}}2{{else if .a}}3{{else}}4{{end}}`, "1"},
		{"else if chain middle", `{{if eq .b "A"}}1{{else if eq .b "Bee"}}2{{else if .b}}3{{else}}4{{end}}`, "2"},
		{"else if chain later", `{{if eq .action "A"}}1{{else if eq .action "B"}}2{{else if .action}}3{{else}}4{{end}}`, "3"},
		{"else if chain else", `{{if eq .empty "A"}}1{{else if eq .empty "B"}}2{{else if .empty}}3{{else}}4{{end}}`, "4"},
		{"else if without else", `{{if .empty}}1{{else if index . "nope"}}2{{end}}.`, "."},
		{"nested", `{{if .a}}a{{if .empty}}E{{else}}{{if eq .b "Bee"}}[{{.b}}]{{end}}e{{end}}z{{else}}no{{end}}`, "a[Bee]ez"},
		{"nested in else if", `{{if .empty}}1{{else if .a}}{{if index . "x"}}2{{else if .b}}{{.b}}{{end}}{{end}}`, "Bee"},
		{"empty bodies", `{{if .a}}{{else}}{{end}}`, ""},
		{"untaken branch may miss keys", `{{if .a}}ok{{else}}{{.missing}}{{if .missing2}}{{end}}{{end}}`, "ok"},
		{"untaken else if may miss keys", `{{if .a}}ok{{else if eq .missing "x"}}{{.missing}}{{end}}`, "ok"},
		{"untaken if may miss keys", `{{if .empty}}{{.missing}}{{else}}ok{{end}}`, "ok"},
		{"unicode key", "{{index . \"ключ\"}}{{if index . \"ключ\"}}x{{end}}.", "."},
		{"newline in text", "a\n{{.a}}\n\nb", "a\nA\n\nb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := execTmpl(t, tc.src, data)
			if err != nil || got != tc.want {
				t.Errorf("%q = %q, %v; want %q", tc.src, got, err, tc.want)
			}
			// The same as text/template.
			want, err := textTemplate(tc.src, data)
			if err != nil || want != got {
				t.Errorf("%q: text/template = %q, %v; tmpl = %q", tc.src, want, err, got)
			}
		})
	}
}

func TestTmplMissingKey(t *testing.T) {
	data := map[string]string{"code": "SECRET-482913", "other": "PRIVATE-VALUE", "action": "SENSITIVE-ACTION"}
	for _, tc := range []struct{ src, key, pos string }{
		{"Code {{.code}}, {{.nope}}", "nope", ":1:19:"},
		{"{{if .nope}}x{{end}}", "nope", ":1:6:"},
		{`{{if eq .nope "x"}}x{{end}}`, "nope", ":1:9:"},
		{"line\n{{if .code}}{{if eq .action \"SENSITIVE-ACTION\"}}\n  {{.nope}}{{end}}{{end}}", "nope", ":3:5:"},
		{`{{if .other}}{{.nope}}{{else}}{{.code}}{{end}}`, "nope", ":1:16:"},
		{`{{if index . "x"}}{{else if .nope}}{{end}}`, "nope", ":1:29:"},
		{`{{if eq .action "y"}}{{else if eq .nope "x"}}{{end}}`, "nope", ":1:35:"},
	} {
		tp, err := parseTmpl("password-reset-code/sk/sms", tc.src)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		var b strings.Builder
		err = tp.execute(&b, data)
		if err == nil {
			t.Errorf("%q: no error", tc.src)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "password-reset-code/sk/sms"+tc.pos) || !strings.Contains(msg, `"`+tc.key+`"`) {
			t.Errorf("%q: error %q does not name the template, position %s and key %q", tc.src, msg, tc.pos, tc.key)
		}
		for _, v := range data {
			if strings.Contains(msg, v) {
				t.Errorf("%q: error %q leaks a value", tc.src, msg)
			}
		}
		if _, terr := textTemplate(tc.src, data); terr == nil {
			t.Errorf("%q: text/template did not fail", tc.src)
		}
	}
}

func TestTmplParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, pos, want string }{
		{"abc {{.a", ":1:5:", "unterminated"},
		{"abc {{.a}", ":1:5:", "unterminated"},
		{"abc {{", ":1:5:", "unterminated"},
		{"x\n{{if .a}}{{.b", ":2:10:", "unterminated"},
		{`{{index . "a}}`, ":1:11:", "unterminated string"},
		{"{{}}", ":1:1:", "empty action"},
		{"{{ }}", ":1:1:", "empty action"},
		{"{{printf .a}}", ":1:3:", `"printf"`},
		{"{{if ne .a \"x\"}}{{end}}", ":1:6:", `"ne"`},
		{"{{if and .a .b}}{{end}}", ":1:6:", `"and"`},
		{"{{html .a}}", ":1:3:", `"html"`},
		{"{{range .a}}{{end}}", ":1:3:", `"range"`},
		{"{{with .a}}{{end}}", ":1:3:", `"with"`},
		{`{{template "x"}}`, ":1:3:", `"template"`},
		{"{{.a | html}}", ":1:6:", "|"},
		{"{{.a.b}}", ":1:5:", "'.'"},
		{"{{.}}", ":1:3:", "unsupported action"},
		{"{{$x := .a}}", ":1:3:", "'$'"},
		{"{{/* comment */}}", ":1:3:", "'/'"},
		{"{{- .a}}", ":1:3:", "trim marker"},
		{"{{.a -}}", ":1:6:", "trim marker"},
		{`{{"lit"}}`, ":1:3:", "unsupported action"},
		{"{{.1a}}", ":1:3:", "bad field"},
		{`{{index .a "b"}}`, ":1:3:", "index takes"},
		{`{{index . "a" "b"}}`, ":1:3:", "index takes"},
		{`{{index .}}`, ":1:3:", "index takes"},
		{`{{if eq .a .b}}{{end}}`, ":1:6:", "eq takes"},
		{`{{if eq "x" .a}}{{end}}`, ":1:6:", "eq takes"},
		{`{{if eq .a "x" "y"}}{{end}}`, ":1:6:", "eq takes"},
		{"{{if}}{{end}}", ":1:1:", "missing condition"},
		{"{{if .a}}x{{else if}}{{end}}", ":1:11:", "missing condition"},
		{"{{if .a .b}}{{end}}", ":1:6:", "unsupported condition"},
		{"{{end}}", ":1:1:", "unexpected {{end}}"},
		{"a{{.a}}\n{{else}}", ":2:1:", "unexpected {{else}}"},
		{"{{else if .a}}", ":1:1:", "unexpected {{else if}}"},
		{"{{if .a}}x{{end}}{{end}}", ":1:18:", "unexpected {{end}}"},
		{"{{end x}}", ":1:7:", "in {{end}}"},
		{"{{if .a}}{{else x}}{{end}}", ":1:17:", "in {{else}}"},
		{"{{if .a}}x", ":1:1:", "no {{end}}"},
		{"{{if .a}}x{{else}}y", ":1:1:", "no {{end}}"},
		{"{{if .a}}x{{else if .b}}y", ":1:1:", "no {{end}}"},
		{"{{if .a}}{{if .b}}x{{end}}", ":1:1:", "no {{end}}"},
		{"{{if .a}}{{if .b}}x{{else}}{{end}}", ":1:1:", "no {{end}}"},
		{"{{if .a}}x{{else}}y{{else}}z{{end}}", ":1:20:", "expected {{end}} after {{else}}"},
		{"{{if .a}}x{{else}}y{{else if .b}}z{{end}}", ":1:20:", "expected {{end}} after {{else}}"},
	} {
		_, err := parseTmpl("tpl/sk/body", tc.src)
		if err == nil {
			t.Errorf("%q: no error", tc.src)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "template tpl/sk/body"+tc.pos) || !strings.Contains(msg, tc.want) {
			t.Errorf("%q: error %q, want tpl/sk/body%s … %s", tc.src, msg, tc.pos, tc.want)
		}
	}
}

// NewRenderer fails on a template it cannot parse.
func TestNewRendererBadTemplate(t *testing.T) {
	sources["zz-bad"] = map[clientzone.Language]text{clientzone.LangEN: {SMS: "{{.a"}}
	defer delete(sources, "zz-bad")
	if _, err := NewRenderer("Acme"); err == nil || !strings.Contains(err.Error(), "zz-bad/en/sms") {
		t.Errorf("NewRenderer = %v, want an error naming zz-bad/en/sms", err)
	}
}

func textTemplate(src string, data map[string]string) (string, error) {
	tt, err := template.New("t").Option("missingkey=error").Parse(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = tt.Execute(&b, data)
	return b.String(), err
}

var indexKeyRE = regexp.MustCompile(`index \. "([^"]+)"`)

// TestTmplMatchesTextTemplate renders every template in every language and
// channel with tmpl.go and with text/template: full data, without each
// optional (index) key, with them empty, and without each other key (both
// must then fail, unless the key is only in a branch not taken).
func TestTmplMatchesTextTemplate(t *testing.T) {
	actions := []string{"tariff-change", "addon-add", "addon-remove", "suspension-start", "suspension-end", "termination-request", "other"}
	// Every key any template uses, for the actions of contract-change.
	all := map[string]string{"brand": "Acme Net", "tariffName": "Optik 1000", "effectiveOn": "2026-12-01", "resumedOn": "2026-12-02", "endOn": "2026-12-31"}
	for _, s := range sampleData {
		for k, v := range s.data {
			all[k] = v
		}
	}
	compared := 0
	compare := func(id, src string, data map[string]string) {
		t.Helper()
		tp, err := parseTmpl(id, src)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		var b strings.Builder
		err = tp.execute(&b, data)
		got := b.String()
		want, werr := textTemplate(src, data)
		compared++
		switch {
		case (err == nil) != (werr == nil):
			t.Errorf("%s with %v: tmpl error %v, text/template error %v", id, keys(data), err, werr)
		case err == nil && got != want:
			t.Errorf("%s with %v:\ntmpl          %q\ntext/template %q", id, keys(data), got, want)
		}
	}
	names := Templates()
	for _, name := range names {
		for _, lang := range clientzone.Languages {
			src, ok := sources[name][lang]
			if !ok {
				continue
			}
			for field, s := range map[string]string{"subject": src.Subject, "body": src.Body, "sms": src.SMS} {
				if s == "" {
					continue
				}
				id := fmt.Sprintf("%s/%s/%s", name, lang, field)
				sample := clone(sampleData[name].data)
				sample["brand"] = "Acme Net"
				datas := []map[string]string{sample, all}
				if name == "contract-change" {
					for _, a := range actions {
						d := clone(all)
						d["action"] = a
						datas = append(datas, d)
					}
				}
				optional := map[string]bool{}
				for _, m := range indexKeyRE.FindAllStringSubmatch(s, -1) {
					optional[m[1]] = true
				}
				for _, full := range datas {
					compare(id, s, full)
					// Without and with empty optional keys: each and all.
					none, empty := clone(full), clone(full)
					for k := range optional {
						d := clone(full)
						delete(d, k)
						compare(id, s, d)
						d[k] = ""
						compare(id, s, d)
						delete(none, k)
						empty[k] = ""
					}
					compare(id, s, none)
					compare(id, s, empty)
					// Without each other key.
					for k := range full {
						if optional[k] {
							continue
						}
						d := clone(none)
						delete(d, k)
						compare(id, s, d)
					}
				}
			}
		}
	}
	if compared < 1000 {
		t.Errorf("only %d comparisons", compared)
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Executing allocates nothing beyond the output.
func TestTmplExecuteAllocs(t *testing.T) {
	tp, err := parseTmpl("ticket-reply/en/body", sources["ticket-reply"][clientzone.LangEN].Body)
	if err != nil {
		t.Fatal(err)
	}
	data := clone(sampleData["ticket-reply"].data)
	data["brand"] = "Acme Net"
	allocs := testing.AllocsPerRun(100, func() {
		var b strings.Builder
		b.Grow(4096)
		if err := tp.execute(&b, data); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("%v allocations per execution, want only the builder's", allocs)
	}
}

// FuzzTmpl checks that whatever tmpl.go accepts, text/template accepts and
// renders the same (or fails at execution likewise).
func FuzzTmpl(f *testing.F) {
	for _, s := range []string{
		"{{.a}}", `{{index . "b"}}`, `{{if .a}}x{{else if eq .c "x"}}y{{else}}{{.nope}}{{end}}`,
		`{{if index . "nope"}}{{.nope}}{{end}}`, "{{ .a\n}}", "{{index . `c`}}", `{{if eq .b ""}}e{{end}}`,
		sources["ticket-reply"][clientzone.LangSK].Body, sources["contract-change"][clientzone.LangEN].Body,
	} {
		f.Add(s)
	}
	data := map[string]string{"a": "A", "b": "", "c": "x", "ключ": "k"}
	f.Fuzz(func(t *testing.T, src string) {
		tp, err := parseTmpl("f", src)
		if err != nil {
			return
		}
		var b strings.Builder
		err = tp.execute(&b, data)
		want, werr := textTemplate(src, data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: tmpl error %v, text/template error %v", src, err, werr)
		}
		if err == nil && b.String() != want {
			t.Fatalf("%q: tmpl %q, text/template %q", src, b.String(), want)
		}
	})
}

// TestRendererMatchesOldEngine renders every template in every language and
// channel for every golden case through the Renderer (text/template) and
// through tmpl.go, the engine it replaces, as the Renderer used it: the
// same texts, or both an error.
func TestRendererMatchesOldEngine(t *testing.T) {
	r, err := NewRenderer("Acme Net")
	if err != nil {
		t.Fatal(err)
	}
	old := func(name string, lang clientzone.Language, part, src string, data map[string]string) (string, error) {
		tp, err := parseTmpl(name+"/"+string(lang)+"/"+part, src)
		if err != nil {
			t.Fatalf("%s/%s/%s: %v", name, lang, part, err)
		}
		d := clone(data)
		d["brand"] = "Acme Net"
		var b strings.Builder
		err = tp.execute(&b, d)
		return b.String(), err
	}
	compared := 0
	for _, name := range Templates() {
		for _, lang := range clientzone.Languages {
			src := sources[name][lang]
			for _, c := range goldenCases(name) {
				if src.Subject != "" {
					out, err := r.Render(clientzone.Message{Channel: clientzone.ChannelEmail, To: "x", Template: name, Language: lang, Data: c.data})
					subject, serr := old(name, lang, "subject", src.Subject, c.data)
					body, berr := old(name, lang, "body", src.Body, c.data)
					subject = strings.Join(strings.Fields(subject), " ")
					switch {
					case (err == nil) != (serr == nil && berr == nil):
						t.Errorf("%s/%s email %s: text/template error %v, tmpl errors %v, %v", name, lang, c.name, err, serr, berr)
					case err == nil && (out.Subject != subject || out.Body != body):
						t.Errorf("%s/%s email %s:\ntext/template %q\n%q\ntmpl          %q\n%q", name, lang, c.name, out.Subject, out.Body, subject, body)
					}
					compared++
				}
				if src.SMS != "" {
					out, err := r.Render(clientzone.Message{Channel: clientzone.ChannelSMS, To: "x", Template: name, Language: lang, Data: c.data})
					body, berr := old(name, lang, "sms", src.SMS, c.data)
					switch {
					case (err == nil) != (berr == nil):
						t.Errorf("%s/%s sms %s: text/template error %v, tmpl error %v", name, lang, c.name, err, berr)
					case err == nil && out.Body != body:
						t.Errorf("%s/%s sms %s:\ntext/template %q\ntmpl          %q", name, lang, c.name, out.Body, body)
					}
					compared++
				}
			}
		}
	}
	if compared < 100 {
		t.Errorf("only %d comparisons", compared)
	}
	t.Logf("%d renderings compared", compared)
}
