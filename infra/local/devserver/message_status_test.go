package devserver

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// messageStatusSampleCheck is the TestEventsReplay expectation of
// events/message-status-update.json (the demo billing message answered).
func messageStatusSampleCheck(t *testing.T, b map[string]any) {
	if b["id"] != demo.MessageSK || b["status"] != "answered" || b["answeredBy"] != "Zuzana (billing)" ||
		!strings.Contains(fmt.Sprint(b["answer"]), "refunded") || b["answeredAt"] == nil {
		t.Errorf("message-status-update body = %v", b)
	}
}

func TestMessageStatusUpdate(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	ctx := context.Background()
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	eva := login(t, base, "eva.novakova@example.sk", demo.BillsPassword).AccessToken
	statusURL := func(cid, mid string) string {
		return base + "/admin/v1/customers/" + cid + "/messages/" + mid + "/status"
	}
	u := statusURL(demo.CustomerSK, demo.MessageSK) // the SK admin's billing message, in_progress
	emails := func(to string) []clientzone.Message {
		t.Helper()
		msgs, err := st.Deps.DB.OutboxMessages(ctx, st.Deps.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		var out []clientzone.Message
		for _, m := range msgs {
			if m.Template == "message-status" && m.To == to {
				out = append(out, m)
			}
		}
		return out
	}
	audits := func() int {
		t.Helper()
		page, err := st.Deps.DB.AuditLog(ctx, demo.CustomerSK, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range page.Entries {
			if e.Action == "message.status" {
				n++
			}
		}
		return n
	}

	// Validation: the status enum (received cannot be set again), the
	// answer of answered (trimmed), lengths.
	for body, want := range map[string]string{
		`{}`:                                   "[status]",
		`{"status":"received"}`:                "[status]",
		`{"status":"done","answer":"x"}`:       "[status]",
		`{"status":"answered"}`:                "[answer]",
		`{"status":"answered","answer":"   "}`: "[answer]",
		fmt.Sprintf(`{"status":"answered","answer":%q}`, strings.Repeat("a", 5001)):      "[answer]",
		fmt.Sprintf(`{"status":"in_progress","staffName":%q}`, strings.Repeat("s", 101)): "[staffName]",
	} {
		if got := fieldsOf(t, do(t, "PUT", u, "", body)); fmt.Sprint(got) != want {
			t.Errorf("%.60s: fields %v, want %s", body, got, want)
		}
	}
	r := do(t, "PUT", u, "", `{"status":"answered"}`, "Accept-Language", "sk")
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Message != "Toto pole je povinné." {
		t.Errorf("Slovak answer error: %s", r.body)
	}

	// Another customer's message, or an unknown one: 404 Message.
	for _, path := range []string{statusURL(demo.CustomerHU, demo.MessageSK), statusURL(demo.CustomerSK, demo.MessageHU), statusURL(demo.CustomerSK, clientzone.NewID())} {
		r := do(t, "PUT", path, "", `{"status":"in_progress"}`)
		if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND || p.Detail != "Message not found." {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
	if len(emails("jan.novak@example.sk")) != 0 || audits() != 0 {
		t.Fatal("a refused change wrote something")
	}

	// Answered: the answer shows for the customer, the author gets a Slovak email.
	r = do(t, "PUT", u, "", `{"status":"answered","answer":"  Preplatok 29,90 EUR vrátime do 5 pracovných dní.  ","staffName":"Zuzana"}`)
	if r.status != 200 {
		t.Fatalf("answer: %d %s", r.status, r.body)
	}
	m := decodeSupport[clientzone.AuthorizedMessage](t, r)
	if m.Status != clientzone.MessageAnswered || m.Answer != "Preplatok 29,90 EUR vrátime do 5 pracovných dní." || m.AnsweredBy != "Zuzana" || m.AnsweredAt == nil {
		t.Errorf("answered %+v", m)
	}
	got := decodeSupport[clientzone.AuthorizedMessage](t, do(t, "GET", base+"/v1/messages/"+demo.MessageSK, admin, ""))
	if got.Status != clientzone.MessageAnswered || got.Answer != m.Answer || got.AnsweredBy != "Zuzana" || got.AnsweredAt == nil {
		t.Errorf("customer's GET %+v", got)
	}
	list := decodeSupport[messageListBody](t, do(t, "GET", base+"/v1/messages", admin, ""))
	for _, x := range list.Items {
		if x.ID == demo.MessageSK && x.Answer != m.Answer {
			t.Errorf("list item %+v", x)
		}
	}
	mails := emails("jan.novak@example.sk")
	if len(mails) != 1 || mails[0].Language != clientzone.LangSK || mails[0].Data["status"] != "answered" || mails[0].Data["answer"] != m.Answer || mails[0].PersonID != demo.PersonAdmin {
		t.Fatalf("answer emails = %+v", mails)
	}
	box := do(t, "GET", base+MailboxPath+"?format=json", "", "")
	if !strings.Contains(string(box.body), "odpoveď na vašu správu") || !strings.Contains(string(box.body), "Preplatok 29,90 EUR") {
		t.Errorf("mailbox lacks the rendered Slovak email: %s", box.body)
	}
	if audits() != 1 {
		t.Errorf("audit entries = %d, want 1", audits())
	}

	// The same status and answer again: 200, nothing written.
	r = do(t, "PUT", u, "", `{"status":"answered","answer":"Preplatok 29,90 EUR vrátime do 5 pracovných dní.","staffName":"Zuzana"}`)
	if again := decodeSupport[clientzone.AuthorizedMessage](t, r); r.status != 200 || again.Answer != m.Answer || !again.UpdatedAt.Equal(m.UpdatedAt) {
		t.Errorf("repeat: %d %s", r.status, r.body)
	}
	if len(emails("jan.novak@example.sk")) != 1 || audits() != 1 {
		t.Errorf("the repeat wrote: %d emails, %d audit entries", len(emails("jan.novak@example.sk")), audits())
	}

	// A follow-up: back to in_progress (no email), the answer stays.
	r = do(t, "PUT", u, "", `{"status":"in_progress"}`)
	if m := decodeSupport[clientzone.AuthorizedMessage](t, r); r.status != 200 || m.Status != clientzone.MessageInProgress || m.AnsweredBy != "Zuzana" {
		t.Errorf("follow-up: %d %s", r.status, r.body)
	}
	if len(emails("jan.novak@example.sk")) != 1 || audits() != 2 {
		t.Errorf("follow-up: %d emails, %d audit entries", len(emails("jan.novak@example.sk")), audits())
	}

	// The 5000-character answer (once trimmed) fits.
	long := strings.Repeat("a", 5000)
	r = do(t, "PUT", u, "", fmt.Sprintf(`{"status":"answered","answer":%q}`, " "+long+" \n"))
	if m := decodeSupport[clientzone.AuthorizedMessage](t, r); r.status != 200 || m.Answer != long || m.AnsweredBy != "" {
		t.Errorf("long answer: %d %.200s", r.status, r.body)
	}

	// Eva's message is closed straight from received: Eva gets the email.
	ue := statusURL(demo.CustomerSK, demo.MessageSKBills)
	r = do(t, "PUT", ue, "", `{"status":"closed","staffName":"Zuzana"}`)
	if m := decodeSupport[clientzone.AuthorizedMessage](t, r); r.status != 200 || m.Status != clientzone.MessageClosed || m.Answer != "" {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	if mails := emails("eva.novakova@example.sk"); len(mails) != 1 || mails[0].Data["status"] != "closed" || mails[0].Data["answer"] != "" {
		t.Errorf("close emails = %+v", mails)
	}
	if got := decodeSupport[clientzone.AuthorizedMessage](t, do(t, "GET", base+"/v1/messages/"+demo.MessageSKBills, eva, "")); got.Status != clientzone.MessageClosed {
		t.Errorf("eva's message %+v", got)
	}
	// Closed is final: 409, translated; closing again is a repeat (200).
	for _, body := range []string{`{"status":"in_progress"}`, `{"status":"answered","answer":"Ešte niečo."}`, `{"status":"closed","answer":"Doplnok."}`} {
		r := do(t, "PUT", ue, "", body, "Accept-Language", "sk")
		if p := r.problem(t); r.status != 409 || p.Code != clientzone.ECONFLICT || p.Detail != "Táto správa je uzavretá a už sa nedá zmeniť." {
			t.Errorf("%s on a closed message: %d %s", body, r.status, r.body)
		}
	}
	if r := do(t, "PUT", ue, "", `{"status":"closed"}`); r.status != 200 {
		t.Errorf("closing again: %d %s", r.status, r.body)
	}
	if n := len(emails("eva.novakova@example.sk")); n != 1 {
		t.Errorf("eva got %d emails, want 1", n)
	}
}

// messageListBody is the GET /v1/messages body.
type messageListBody struct {
	Items []clientzone.AuthorizedMessage `json:"items"`
}
