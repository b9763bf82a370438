package notify

import (
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// The message-status email renders for answered and closed, with and
// without an answer and a staff name, in every language.
func TestMessageStatusEmail(t *testing.T) {
	r, err := NewRenderer("Acme Net")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		data map[string]string
		want []string
	}{
		{map[string]string{"status": "answered", "answer": "Faktúra bola opravená.", "staff": "Mária"}, []string{"Faktúra bola opravená.", "Mária"}},
		{map[string]string{"status": "answered", "answer": "Faktúra bola opravená."}, []string{"Faktúra bola opravená."}},
		{map[string]string{"status": "closed", "answer": "Vybavené."}, []string{"Vybavené."}},
		{map[string]string{"status": "closed"}, nil},
	} {
		for _, lang := range clientzone.Languages {
			d := map[string]string{"name": "Ján", "subject": "Faktúra za október", "messageId": "01JMSG"}
			for k, v := range c.data {
				d[k] = v
			}
			out, err := r.Render(clientzone.Message{ID: "m", Channel: clientzone.ChannelEmail, To: "x", Template: "message-status", Language: lang, Data: d})
			if err != nil {
				t.Fatalf("%v/%s: %v", c.data, lang, err)
			}
			for _, w := range append(c.want, "01JMSG", "Ján") {
				if !strings.Contains(out.Body, w) {
					t.Errorf("%v/%s: %q missing from %q", c.data, lang, w, out.Body)
				}
			}
			if !strings.Contains(out.Subject, "Faktúra za október") || strings.Contains(out.Body, "\n\n\n") {
				t.Errorf("%v/%s: %q / %q", c.data, lang, out.Subject, out.Body)
			}
		}
	}
	// The subject tells answered from closed.
	a, _ := r.Render(clientzone.Message{ID: "m", Channel: clientzone.ChannelEmail, To: "x", Template: "message-status", Language: clientzone.LangSK,
		Data: map[string]string{"name": "J", "subject": "S", "messageId": "M", "status": "answered", "answer": "A"}})
	c, _ := r.Render(clientzone.Message{ID: "m", Channel: clientzone.ChannelEmail, To: "x", Template: "message-status", Language: clientzone.LangSK,
		Data: map[string]string{"name": "J", "subject": "S", "messageId": "M", "status": "closed"}})
	if a.Subject == c.Subject || !strings.Contains(c.Subject, "uzavretá") {
		t.Errorf("subjects %q / %q", a.Subject, c.Subject)
	}
}
