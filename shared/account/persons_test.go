package account

import (
	"fmt"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

func TestPersonsHelpers(t *testing.T) {
	t.Parallel()
	if got := normalizeRights([]clientzone.Right{"persons", "invoices", "bogus", "invoices"}); fmt.Sprint(got) != "[invoices persons]" {
		t.Errorf("normalizeRights = %v", got)
	}
	if got := normalizeRights(nil); got == nil || len(got) != 0 {
		t.Errorf("normalizeRights(nil) = %#v, want empty non-nil", got)
	}
	for base, want := range map[string]string{
		"https://portal.example.com/activate":        "https://portal.example.com/activate?token=abc-_",
		"https://portal.example.com/activate?lng=sk": "https://portal.example.com/activate?lng=sk&token=abc-_",
	} {
		if got := invitationLink(base, "abc-_"); got != want {
			t.Errorf("invitationLink(%q) = %q", base, got)
		}
	}
	tok, hash, err := newInvitationToken()
	if err != nil || len(tok) != 43 || hash != HashInvitationToken(tok) || len(hash) != 64 {
		t.Errorf("token %q hash %q err %v", tok, hash, err)
	}
	for u, ok := range map[string]bool{"": true, "jnovak": true, "j.novak-2": true, "a@b": false, "a b": false, "2024001": false} {
		if err := checkUsername(u, "username"); (err == nil) != ok {
			t.Errorf("checkUsername(%q) = %v", u, err)
		}
	}
	for h, want := range map[string]string{"$2b$04$x": "bcrypt", "$1$salt$x": "md5-crypt", "$argon2id$v=19$x": "argon2id"} {
		if got := hashScheme(h); got != want {
			t.Errorf("hashScheme(%q) = %q", h, got)
		}
	}
}
