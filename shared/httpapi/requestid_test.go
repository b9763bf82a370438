package httpapi

import (
	"regexp"
	"strings"
	"testing"
)

func TestValidRequestID(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9._:-]{8,128}$`) // the rule validRequestID implements
	cases := []string{"", "abc", "abcdefg", "abcdefgh", "req-1234:5678_9.0", strings.Repeat("a", 128), strings.Repeat("a", 129),
		"abcd efgh", "abcdefgh\n", "abcdéfgh", "abcd/efgh", "ABCD-1234", "<script>x"}
	for _, s := range cases {
		if got, want := validRequestID(s), re.MatchString(s); got != want {
			t.Errorf("validRequestID(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzValidRequestID(f *testing.F) {
	re := regexp.MustCompile(`^[A-Za-z0-9._:-]{8,128}$`)
	for _, s := range []string{"abcdefgh", "a b", strings.Repeat("z", 130)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validRequestID(s), re.MatchString(s); got != want {
			t.Errorf("validRequestID(%q) = %v, want %v", s, got, want)
		}
	})
}
