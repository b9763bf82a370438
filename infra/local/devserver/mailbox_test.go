package devserver

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

func TestDevMailbox(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL

	// Empty at first (demo data sends nothing): a JSON object with a list.
	r := do(t, "GET", base+MailboxPath+"?format=json", "", "")
	if r.status != 200 || !strings.Contains(string(r.body), `"messages":[]`) {
		t.Fatalf("empty mailbox: %d %s", r.status, r.body)
	}

	// Password reset by SMS for the demo admin (Slovak).
	r = do(t, "POST", base+"/v1/password-resets", "", `{"login":"jan.novak@example.sk","channel":"sms"}`)
	if r.status != 200 {
		t.Fatalf("password reset: %d %s", r.status, r.body)
	}
	msgs, err := st.Deps.DB.OutboxMessages(context.Background(), st.Deps.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	var code string
	for _, m := range msgs {
		if m.Template == "password-reset-code" {
			code = m.Data["code"]
		}
	}
	if !regexp.MustCompile(`^\d{6}$`).MatchString(code) {
		t.Fatalf("no 6-digit code in the outbox: %+v", msgs)
	}

	r = do(t, "GET", base+MailboxPath+"?format=json", "", "")
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("mailbox: %d %s", r.status, r.body)
	}
	var box struct {
		Messages []MailboxEntry `json:"messages"`
	}
	if err := json.Unmarshal(r.body, &box); err != nil {
		t.Fatal(err)
	}
	if len(box.Messages) == 0 {
		t.Fatal("mailbox is empty")
	}
	m := box.Messages[0] // newest first
	if m.Template != "password-reset-code" || m.Channel != clientzone.ChannelSMS || m.To != "+421900123456" || m.Language != "sk" || m.Error != "" {
		t.Errorf("newest message %+v", m)
	}
	if !strings.Contains(m.Body, "kod na obnovu hesla je "+code) || !strings.Contains(m.Body, st.Deps.Config.Brand) {
		t.Errorf("SMS not rendered in Slovak with the code: %q", m.Body)
	}

	// HTML view shows the same message.
	r = do(t, "GET", base+MailboxPath, "", "")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), code) ||
		!strings.Contains(string(r.body), "password-reset-code") {
		t.Errorf("HTML mailbox: %d %s", r.status, r.body)
	}

	if !strings.Contains(st.Describe(base), base+MailboxPath) {
		t.Error("the banner does not mention the dev mailbox")
	}
	if strings.Contains(logs.String(), code) {
		t.Error("the reset code reached the logs")
	}
}
