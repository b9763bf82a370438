package s3store

import "testing"

func TestContentDisposition(t *testing.T) {
	for in, want := range map[string]string{
		"FA2026110.pdf":         `attachment; filename=FA2026110.pdf`,
		"VCRM-2026/0042.pdf":    `attachment; filename=VCRM-2026_0042.pdf`,
		"a\"b\r\nX-Evil: 1.pdf": `attachment; filename=a_b__X-Evil__1.pdf`,
		"../../etc/passwd":      `attachment; filename=_.._etc_passwd`,
		"Faktúra č. 1.pdf":      `attachment; filename=Fakt_ra__._1.pdf`,
		"":                      `attachment; filename=download`,
	} {
		if got := ContentDisposition(in); got != want {
			t.Errorf("ContentDisposition(%q) = %q, want %q", in, got, want)
		}
	}
}
