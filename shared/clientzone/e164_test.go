package clientzone

import (
	"regexp"
	"testing"
)

func TestIsE164(t *testing.T) {
	re := regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`) // the rule IsE164 implements
	cases := []string{"", "+", "+4219001", "+421900123456", "+421900123456789", "+4219001234567890",
		"+0421900123", "421900123456", "+421 900 123", "+42190012a", "++421900123", "+1234567", "+123456", "+٣٢١٤٥٦٧٨"}
	for _, s := range cases {
		if got, want := IsE164(s), re.MatchString(s); got != want {
			t.Errorf("IsE164(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzIsE164(f *testing.F) {
	re := regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	for _, s := range []string{"+421900123456", "+0", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsE164(s), re.MatchString(s); got != want {
			t.Errorf("IsE164(%q) = %v, want %v", s, got, want)
		}
	})
}
