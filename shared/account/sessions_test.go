package account

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

func TestCheckPasswordPolicy(t *testing.T) {
	p := &clientzone.Person{Email: "Jan.Novak@example.sk", Username: "jnovak"}
	short := &clientzone.Person{Email: "al@example.sk", Username: "x"}
	cases := []struct {
		who         *clientzone.Person
		pw, current string
		want        string
	}{
		{p, "Zelene-Jablko-77", "old", "[]"},
		{p, "123456789", "", "[min]"},
		{p, strings.Repeat("ž", 10), "", "[]"}, // characters, not bytes
		{p, strings.Repeat("a", 257), "", "[max]"},
		{p, "Same-Password-1", "Same-Password-1", "[same_as_current]"},
		{p, "xxJAN.NOVAKxx-2026", "", "[contains_personal_data]"},
		{p, "Moje-jNoVaK-heslo", "", "[contains_personal_data]"},
		{p, "jnovak", "jnovak", "[min same_as_current contains_personal_data]"},
		{short, "al-x-long-enough", "", "[]"}, // too short to forbid
	}
	for _, c := range cases {
		var got []string
		for _, f := range CheckPasswordPolicy(c.who, c.pw, c.current, "newPassword") {
			got = append(got, f.Code)
			if f.Field != "newPassword" || f.Message == "" {
				t.Errorf("%q: field error %+v", c.pw, f)
			}
		}
		if s := fmt.Sprint(got); s != c.want && !(c.want == "[]" && got == nil) {
			t.Errorf("%q: %s, want %s", c.pw, s, c.want)
		}
	}
}

func TestNormalizeE164(t *testing.T) {
	for in, want := range map[string]string{
		"+421900123456": "+421900123456", " +421 900 123-456 ": "+421900123456", "+36 (30) 123.4567": "+36301234567",
		"0900123456": "", "+0900123456": "", "+4219001234567890": "", "+42190012A": "", "+12345": "",
	} {
		got, ok := NormalizeE164(in)
		if ok != (want != "") || (ok && got != want) {
			t.Errorf("NormalizeE164(%q) = %q, %v", in, got, ok)
		}
	}
}

func TestTooManyAttemptsRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 14, 45, 30, 0, time.UTC)
	err := tooManyAttempts(now)
	ra, ok := err.(*RetryAfterError)
	if !ok || ra.RetryAfter() != 14*time.Minute+30*time.Second || clientzone.ErrorCode(err) != clientzone.ERATELIMITED {
		t.Errorf("tooManyAttempts = %#v", err)
	}
}

func TestValidSessionID(t *testing.T) {
	if !validSessionID(clientzone.NewID()) {
		t.Error("a new id is not valid")
	}
	for _, id := range []string{"", "abc", "LOGIN#jnovak", strings.Repeat("a", 26), "01JDEM0SK00000000000000001x"} {
		if validSessionID(id) {
			t.Errorf("%q accepted", id)
		}
	}
}
