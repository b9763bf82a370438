package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

func TestLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   clientzone.Language
	}{
		{"", clientzone.LangEN},
		{"hu-HU,hu;q=0.9,en;q=0.8", clientzone.LangHU},
		{"de", clientzone.LangEN},
		{"ru;q=0.1, sk;q=0.5", clientzone.LangSK},
		{"*", clientzone.LangEN},
		{"sk", clientzone.LangSK},
		{"sk-SK", clientzone.LangSK},
		{"SK-sk", clientzone.LangSK},
		{"ru-RU", clientzone.LangRU},
		{"en-GB,en;q=0.9", clientzone.LangEN},
		{"de-DE,de;q=0.9,hu;q=0.8,sk;q=0.7", clientzone.LangHU},
		{"de, fr;q=0.9, ru;q=0.2", clientzone.LangRU},
		{"sk;q=0, hu;q=0.1", clientzone.LangHU},
		{"sk;q=0", clientzone.LangEN},
		{"en;q=0.2, sk;q=0.8, hu;q=0.8", clientzone.LangSK}, // ties keep header order
		{" , ,hu", clientzone.LangHU},
		{"xx-YY;q=1, ru;q=0.3", clientzone.LangRU},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Language", tt.header)
			if got := Language(r); got != tt.want {
				t.Fatalf("Language(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang clientzone.Language
		msg  string
		want string
	}{
		{clientzone.LangEN, "Internal error.", "Internal error."},
		{clientzone.LangSK, "Internal error.", "Vnútorná chyba."},
		{clientzone.LangHU, "Internal error.", "Belső hiba."},
		{clientzone.LangRU, "Internal error.", "Внутренняя ошибка."},
		{clientzone.LangSK, "A message nobody translated.", "A message nobody translated."},
	}
	for _, tt := range tests {
		if got := Translate(tt.lang, tt.msg); got != tt.want {
			t.Errorf("Translate(%s, %q) = %q, want %q", tt.lang, tt.msg, got, tt.want)
		}
	}
}

func TestCatalogIsComplete(t *testing.T) {
	t.Parallel()
	if len(catalog()) == 0 {
		t.Fatal("catalog is empty")
	}
	for msg, tr := range catalog() {
		if strings.TrimSpace(msg) == "" {
			t.Errorf("catalog has an empty key")
		}
		for _, lang := range []clientzone.Language{clientzone.LangSK, clientzone.LangHU, clientzone.LangRU} {
			if s, ok := tr[lang]; !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%q has no %s translation", msg, lang)
			}
		}
		for lang, s := range tr {
			switch lang {
			case clientzone.LangSK, clientzone.LangHU, clientzone.LangRU:
			default:
				t.Errorf("%q has a translation for unsupported or default language %q: %q", msg, lang, s)
			}
		}
	}
}

// Every field message the validator can produce is translated.
func TestFieldMessagesAreTranslated(t *testing.T) {
	t.Parallel()
	msgs := []string{"This value is too long.", "This value is too short.", "This value is too large.",
		"This value is too small.", "This value is invalid.", "This value has the wrong type.", "This field is not known."}
	for _, m := range fieldMessages {
		msgs = append(msgs, m)
	}
	for _, m := range msgs {
		if _, ok := catalog()[m]; !ok {
			t.Errorf("field message %q is not in the catalog", m)
		}
	}
}

// Messages written by the HTTP layer itself (string literals passed to
// Errorf or used as Message in this package's non-test files) are in the
// catalog, so a client never gets English by accident.
func TestHTTPLayerMessagesAreTranslated(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var lit *ast.BasicLit
			switch n := n.(type) {
			case *ast.CallExpr: // clientzone.Errorf(code, "literal")
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Errorf" || len(n.Args) < 2 {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "clientzone" {
					return true
				}
				lit, _ = n.Args[1].(*ast.BasicLit)
			case *ast.KeyValueExpr: // clientzone.Error{Message: "literal"}, FieldError{Message: ...}
				if k, ok := n.Key.(*ast.Ident); !ok || k.Name != "Message" {
					return true
				}
				lit, _ = n.Value.(*ast.BasicLit)
			}
			if lit == nil || lit.Kind != token.STRING {
				return true
			}
			msg, _ := strconv.Unquote(lit.Value)
			if strings.Contains(msg, "%") {
				return true
			}
			found++
			if _, ok := catalog()[msg]; !ok {
				t.Errorf("%s: message %q is not in the catalog", name, msg)
			}
			return true
		})
	}
	if found < 10 {
		t.Fatalf("found only %d messages: the scan is broken", found)
	}
}

func TestStatusOf(t *testing.T) {
	t.Parallel()
	want := map[string]int{
		clientzone.EINVALID:             http.StatusBadRequest,
		clientzone.EUNAUTHENTICATED:     http.StatusUnauthorized,
		clientzone.ECREDENTIALS:         http.StatusUnauthorized,
		clientzone.EPASSWORDCHANGE:      http.StatusForbidden,
		clientzone.EFORBIDDEN:           http.StatusForbidden,
		clientzone.ENOTFOUND:            http.StatusNotFound,
		clientzone.ECONFLICT:            http.StatusConflict,
		clientzone.ERATELIMITED:         http.StatusTooManyRequests,
		clientzone.EUNSUPPORTEDMEDIA:    http.StatusUnsupportedMediaType,
		clientzone.EPINREQUIRED:         http.StatusForbidden,
		clientzone.EPININVALID:          http.StatusForbidden,
		clientzone.EPINLOCKED:           http.StatusLocked,
		clientzone.EDEBT:                http.StatusConflict,
		clientzone.ESUSPENDEDBYPROVIDER: http.StatusConflict,
		clientzone.EINTERNAL:            http.StatusInternalServerError,
	}
	for code, status := range want {
		if got := StatusOf(code); got != status {
			t.Errorf("StatusOf(%q) = %d, want %d", code, got, status)
		}
	}
	for _, code := range []string{"", "unknown", "NOT_FOUND"} {
		if got := StatusOf(code); got != http.StatusInternalServerError {
			t.Errorf("StatusOf(%q) = %d, want 500", code, got)
		}
	}

	// Every code constant declared in shared/clientzone/error.go is in the
	// table above, so a new code cannot ship without a decided status.
	declared := tErrorCodeConstants(t)
	if len(declared) < len(want) {
		t.Fatalf("found only %d code constants in error.go: %v", len(declared), declared)
	}
	for name, value := range declared {
		if _, ok := want[value]; !ok {
			t.Errorf("code %s = %q has no expected status in this test", name, value)
		}
		if _, ok := statusOf[value]; !ok {
			t.Errorf("code %s = %q is not mapped in statusOf", name, value)
		}
	}
}

var tCodeConstName = regexp.MustCompile(`^E[A-Z]+$`)

// tErrorCodeConstants returns the E... string constants of clientzone/error.go.
func tErrorCodeConstants(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../clientzone/error.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !tCodeConstName.MatchString(n.Name) || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					out[n.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
	}
	return out
}

func TestFormattedMessagesTranslate(t *testing.T) {
	e := clientzone.Errorf(clientzone.EPINLOCKED, "Too many wrong PINs; the authorization PIN is locked until %s.", "2026-11-23T15:00:00Z")
	if got := detail(clientzone.LangSK, e); got != "Príliš veľa nesprávnych PIN; autorizačný PIN je zablokovaný do 2026-11-23T15:00:00Z." {
		t.Errorf("sk detail = %q", got)
	}
	if got := detail(clientzone.LangEN, e); got != e.Message {
		t.Errorf("en detail = %q", got)
	}
	plain := clientzone.Errorf(clientzone.ENOTFOUND, "Invoice not found.")
	if got := detail(clientzone.LangHU, plain); got != "A számla nem található." {
		t.Errorf("hu detail = %q", got)
	}
}
