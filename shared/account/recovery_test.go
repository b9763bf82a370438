package account

import (
	"regexp"
	"strings"
	"testing"
)

func TestNewTemporaryPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw, err := NewTemporaryPassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != TemporaryPasswordLength || strings.ContainsAny(pw, "0O1lIo") ||
			!strings.ContainsAny(pw, "ABCDEFGHJKLMNPQRSTUVWXYZ") || !strings.ContainsAny(pw, "abcdefghijkmnpqrstuvwxyz") || !strings.ContainsAny(pw, "23456789") {
			t.Fatalf("temporary password %q", pw)
		}
		if seen[pw] {
			t.Fatalf("repeated temporary password %q", pw)
		}
		seen[pw] = true
	}
}

func TestRecoveryCodesAndLinks(t *testing.T) {
	six := regexp.MustCompile(`^[0-9]{6}$`)
	for range 100 {
		c, err := recNewCode()
		if err != nil || !six.MatchString(c) {
			t.Fatalf("code %q %v", c, err)
		}
	}
	tok, hash, err := recActivationToken()
	if err != nil || len(tok) != 43 || hash != recHash(tok) || len(hash) != 64 {
		t.Fatalf("token %q hash %q %v", tok, hash, err)
	}
	if recHashCode("a", "123456") == recHashCode("b", "123456") {
		t.Error("code hashes are not bound to their reset")
	}
	if got := recLink("https://x.example/activate", "a+b"); got != "https://x.example/activate?token=a%2Bb" {
		t.Errorf("link %q", got)
	}
	if got := recLink("https://x.example/p?lang=sk", "t"); got != "https://x.example/p?lang=sk&token=t" {
		t.Errorf("link %q", got)
	}
}

func TestRecoveryMatching(t *testing.T) {
	if !recSamePhone("+421 900 123 456", "+421900123456") || recSamePhone("+421900123456", "+421900123457") || recSamePhone("", "") {
		t.Error("phone matching")
	}
	if !recSameEmail(" Jan@Example.SK", "jan@example.sk") || recSameEmail("", "") || recSameEmail("a@b.c", "a@b.cd") {
		t.Error("email matching")
	}
}
