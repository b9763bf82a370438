package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/shared/clientzone"
)

func TestMessageStatusUpdate(t *testing.T) {
	s := apitest.Start(t)
	f := newSupportFixture(t, s)
	h, admin, eva := f.h, f.admin, f.eva
	statusURL := func(cid, mid string) string {
		return "/admin/v1/customers/" + cid + "/messages/" + mid + "/status"
	}
	u := statusURL(h.ID, f.msgSK) // the SK admin's billing message, in_progress
	emails := func(to string) []clientzone.Message {
		t.Helper()
		return s.Outbox(t, func(m clientzone.Message) bool { return m.Template == "message-status" && m.To == to })
	}
	// Status changes since the fixture moved the message to in progress.
	baseline := len(auditFor(t, s, h.ID, "message.status"))
	audits := func() int {
		t.Helper()
		return len(auditFor(t, s, h.ID, "message.status")) - baseline
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
		if got := fieldsOf(t, s.Do(t, "PUT", u, "", body)); fmt.Sprint(got) != want {
			t.Errorf("%.60s: fields %v, want %s", body, got, want)
		}
	}
	r := s.Do(t, "PUT", u, "", `{"status":"answered"}`, "Accept-Language", "sk")
	if p := r.Problem(t); len(p.Errors) != 1 || p.Errors[0].Message != "Toto pole je povinné." {
		t.Errorf("Slovak answer error: %s", r.Body)
	}

	// Another customer's message, or an unknown one: 404 Message.
	for _, path := range []string{statusURL(f.hu.ID, f.msgSK), statusURL(h.ID, f.msgHU), statusURL(h.ID, clientzone.NewID())} {
		r := s.Do(t, "PUT", path, "", `{"status":"in_progress"}`)
		if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND || p.Detail != "Message not found." {
			t.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
	}
	if len(emails(h.Email)) != 0 || audits() != 0 {
		t.Fatal("a refused change wrote something")
	}

	// Answered: the answer shows for the customer, the author gets a Slovak email.
	r = s.Do(t, "PUT", u, "", `{"status":"answered","answer":"  Preplatok 29,90 EUR vrátime do 5 pracovných dní.  ","staffName":"Zuzana"}`)
	if r.Status != 200 {
		t.Fatalf("answer: %d %s", r.Status, r.Body)
	}
	m := decodeSupport[clientzone.AuthorizedMessage](t, r)
	if m.Status != clientzone.MessageAnswered || m.Answer != "Preplatok 29,90 EUR vrátime do 5 pracovných dní." || m.AnsweredBy != "Zuzana" || m.AnsweredAt == nil {
		t.Errorf("answered %+v", m)
	}
	got := decodeSupport[clientzone.AuthorizedMessage](t, s.Do(t, "GET", "/v1/messages/"+f.msgSK, admin, ""))
	if got.Status != clientzone.MessageAnswered || got.Answer != m.Answer || got.AnsweredBy != "Zuzana" || got.AnsweredAt == nil {
		t.Errorf("customer's GET %+v", got)
	}
	list := decodeSupport[messageListBody](t, s.Do(t, "GET", "/v1/messages", admin, ""))
	for _, x := range list.Items {
		if x.ID == f.msgSK && x.Answer != m.Answer {
			t.Errorf("list item %+v", x)
		}
	}
	mails := emails(h.Email)
	if len(mails) != 1 || mails[0].Language != clientzone.LangSK || mails[0].Data["status"] != "answered" || mails[0].Data["answer"] != m.Answer || mails[0].PersonID != h.Admin.ID {
		t.Fatalf("answer emails = %+v", mails)
	}
	box := s.Do(t, "GET", devserver.MailboxPath+"?format=json", "", "")
	if !strings.Contains(string(box.Body), "odpoveď na vašu správu") || !strings.Contains(string(box.Body), "Preplatok 29,90 EUR") {
		t.Errorf("mailbox lacks the rendered Slovak email: %s", box.Body)
	}
	if audits() != 1 {
		t.Errorf("audit entries = %d, want 1", audits())
	}

	// The same status and answer again: 200, nothing written.
	r = s.Do(t, "PUT", u, "", `{"status":"answered","answer":"Preplatok 29,90 EUR vrátime do 5 pracovných dní.","staffName":"Zuzana"}`)
	if again := decodeSupport[clientzone.AuthorizedMessage](t, r); r.Status != 200 || again.Answer != m.Answer || !again.UpdatedAt.Equal(m.UpdatedAt) {
		t.Errorf("repeat: %d %s", r.Status, r.Body)
	}
	if len(emails(h.Email)) != 1 || audits() != 1 {
		t.Errorf("the repeat wrote: %d emails, %d audit entries", len(emails(h.Email)), audits())
	}

	// A follow-up: back to in_progress (no email), the answer stays.
	r = s.Do(t, "PUT", u, "", `{"status":"in_progress"}`)
	if m := decodeSupport[clientzone.AuthorizedMessage](t, r); r.Status != 200 || m.Status != clientzone.MessageInProgress || m.AnsweredBy != "Zuzana" {
		t.Errorf("follow-up: %d %s", r.Status, r.Body)
	}
	if len(emails(h.Email)) != 1 || audits() != 2 {
		t.Errorf("follow-up: %d emails, %d audit entries", len(emails(h.Email)), audits())
	}

	// The 5000-character answer (once trimmed) fits.
	long := strings.Repeat("a", 5000)
	r = s.Do(t, "PUT", u, "", fmt.Sprintf(`{"status":"answered","answer":%q}`, " "+long+" \n"))
	if m := decodeSupport[clientzone.AuthorizedMessage](t, r); r.Status != 200 || m.Answer != long || m.AnsweredBy != "" {
		t.Errorf("long answer: %d %.200s", r.Status, r.Body)
	}

	// Eva's message is closed straight from received: Eva gets the email.
	ue := statusURL(h.ID, f.msgSKBills)
	r = s.Do(t, "PUT", ue, "", `{"status":"closed","staffName":"Zuzana"}`)
	if m := decodeSupport[clientzone.AuthorizedMessage](t, r); r.Status != 200 || m.Status != clientzone.MessageClosed || m.Answer != "" {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	if mails := emails(h.Bills.Email); len(mails) != 1 || mails[0].Data["status"] != "closed" || mails[0].Data["answer"] != "" {
		t.Errorf("close emails = %+v", mails)
	}
	if got := decodeSupport[clientzone.AuthorizedMessage](t, s.Do(t, "GET", "/v1/messages/"+f.msgSKBills, eva, "")); got.Status != clientzone.MessageClosed {
		t.Errorf("eva's message %+v", got)
	}
	// Closed is final: 409, translated; closing again is a repeat (200).
	for _, body := range []string{`{"status":"in_progress"}`, `{"status":"answered","answer":"Ešte niečo."}`, `{"status":"closed","answer":"Doplnok."}`} {
		r := s.Do(t, "PUT", ue, "", body, "Accept-Language", "sk")
		if p := r.Problem(t); r.Status != 409 || p.Code != clientzone.ECONFLICT || p.Detail != "Táto správa je uzavretá a už sa nedá zmeniť." {
			t.Errorf("%s on a closed message: %d %s", body, r.Status, r.Body)
		}
	}
	if r := s.Do(t, "PUT", ue, "", `{"status":"closed"}`); r.Status != 200 {
		t.Errorf("closing again: %d %s", r.Status, r.Body)
	}
	if n := len(emails(h.Bills.Email)); n != 1 {
		t.Errorf("eva got %d emails, want 1", n)
	}
}

// messageListBody is the GET /v1/messages body.
type messageListBody struct {
	Items []clientzone.AuthorizedMessage `json:"items"`
}
