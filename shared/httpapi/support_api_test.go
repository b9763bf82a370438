package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/infra/local/devserver"
	"github.com/clientzone/clientzone/shared/clientzone"
)

func decodeSupport[T any](t *testing.T, r apitest.Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return v
}

// fieldsOf returns the field names of a 400 problem.
func fieldsOf(t *testing.T, r apitest.Response) []string {
	t.Helper()
	if r.Status != 400 {
		t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
	}
	var names []string
	for _, f := range r.Problem(t).Errors {
		names = append(names, f.Field)
	}
	slices.Sort(names)
	return names
}

// supportFixture is what the support tests start from, made through the
// public and back-office APIs as the demo has it: the household with its
// contract; the admin's billing message (in progress) and the
// accountant's; a ticket of the admin awaiting the customer after a staff
// answer and a closed one; and a Hungarian company with its own message
// and ticket.
type supportFixture struct {
	h                        *household
	ct                       *clientzone.Contract
	admin, eva               string
	msgSK, msgSKBills, msgHU string
	ticketSK, ticketSKClosed string
	ticketHU                 string
	hu                       *apitest.Account
	huCt                     *clientzone.Contract
}

func newSupportFixture(t *testing.T, s *apitest.Stack) *supportFixture {
	t.Helper()
	f := &supportFixture{h: newHousehold(t, s)}
	f.ct = f.h.withContract(t, s)
	f.hu, f.huCt = hufAccount(t, s)
	f.admin, f.eva = s.LoginAs(t, f.h.Admin), s.LoginAs(t, f.h.Bills)
	create := func(path, token string, body map[string]any) string {
		t.Helper()
		r := s.Do(t, "POST", path, token, apitest.JSON(t, body))
		return apitest.Decode[struct{ ID string }](t, r, 201).ID
	}
	staff := func(cid, ticket, body string) {
		t.Helper()
		if r := s.Do(t, "POST", "/admin/v1/customers/"+cid+"/tickets/"+ticket+"/replies", "", apitest.JSON(t, map[string]any{"body": body, "staffName": "Mária (podpora)"})); r.Status != 201 {
			t.Fatalf("staff reply: %d %s", r.Status, r.Body)
		}
	}
	f.ticketSKClosed = create("/v1/tickets", f.admin, map[string]any{"category": "account", "subject": "Zmena e-mailovej adresy", "body": "Prosím o zmenu kontaktného e-mailu."})
	staff(f.h.ID, f.ticketSKClosed, "E-mail sme zmenili.")
	if r := s.Do(t, "POST", "/v1/tickets/"+f.ticketSKClosed+"/close", f.admin, ""); r.Status != 200 {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	f.ticketSK = create("/v1/tickets", f.admin, map[string]any{"category": "technical", "contractId": f.ct.ID, "subject": "Pomalý internet večer",
		"body": "Od pondelka je rýchlosť večer okolo 5 Mbit/s namiesto 300."})
	staff(f.h.ID, f.ticketSK, "Dobrý deň, na vašej linke sme vymenili port.")
	f.ticketHU = create("/v1/tickets", f.hu.Token, map[string]any{"category": "billing", "subject": "Számla másolat", "body": "Kérjük a számla másolatát."})
	f.msgSK = create("/v1/messages", f.admin, map[string]any{"type": "billing", "contractId": f.ct.ID, "subject": "Dvojitá platba za október",
		"body": "Októbrovú faktúru sme zaplatili dvakrát."})
	if r := s.Do(t, "PUT", "/admin/v1/customers/"+f.h.ID+"/messages/"+f.msgSK+"/status", "", `{"status":"in_progress"}`); r.Status != 200 {
		t.Fatalf("message status: %d %s", r.Status, r.Body)
	}
	f.msgSKBills = create("/v1/messages", f.eva, map[string]any{"type": "other", "subject": "Faktúry e-mailom", "body": "Prosím posielať faktúry aj účtovníčke."})
	f.msgHU = create("/v1/messages", f.hu.Token, map[string]any{"type": "contract_change", "contractId": f.huCt.ID, "subject": "Sávszélesség bővítése",
		"body": "Szeretnénk 1 Gbit/s-ra bővíteni."})
	return f
}

// eventsMentioning keeps the events whose detail contains text.
func eventsMentioning(evs []devserver.DevEvent, text string) []devserver.DevEvent {
	var out []devserver.DevEvent
	for _, e := range evs {
		if strings.Contains(string(e.Detail), text) {
			out = append(out, e)
		}
	}
	return out
}

func TestAuthorizedMessages(t *testing.T) {
	s := apitest.Start(t)
	f := newSupportFixture(t, s)
	h := f.h
	admin, eva := f.admin, f.eva

	// Validation: enum, lengths, required.
	r := s.Do(t, "POST", "/v1/messages", admin, fmt.Sprintf(`{"type":"spam","subject":%q,"body":%q}`, strings.Repeat("s", 201), strings.Repeat("b", 10001)))
	if got := fieldsOf(t, r); fmt.Sprint(got) != "[body subject type]" {
		t.Errorf("invalid message fields = %v", got)
	}
	if got := fieldsOf(t, s.Do(t, "POST", "/v1/messages", admin, `{}`)); fmt.Sprint(got) != "[body subject type]" {
		t.Errorf("empty message fields = %v", got)
	}
	// Another customer's contract is 404.
	r = s.Do(t, "POST", "/v1/messages", admin, `{"type":"billing","contractId":"`+f.huCt.ID+`","subject":"x","body":"y"}`)
	if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
		t.Errorf("foreign contract: %d %s", r.Status, r.Body)
	}

	// Eva (regular, no special right) sends one: 201 with Location.
	r = s.Do(t, "POST", "/v1/messages", eva, `{"type":"contract_change","contractId":"`+f.ct.ID+`","subject":"Vyšší paušál","body":"Chceme prejsť na Optik 1000."}`)
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	msg := decodeSupport[clientzone.AuthorizedMessage](t, r)
	if msg.Status != clientzone.MessageReceived || msg.PersonID != h.Bills.ID || r.Header.Get("Location") != "/v1/messages/"+msg.ID {
		t.Errorf("created %+v, Location %q", msg, r.Header.Get("Location"))
	}

	// The routing event is in the outbox (same transaction), shown on /dev/events.
	evs := devEvents(t, s, h.ID, "clientzone.message.contract_change")
	if len(evs) != 1 || evs[0].Source != "clientzone" || evs[0].CustomerID != h.ID {
		t.Fatalf("events = %+v", evs)
	}
	var detail clientzone.AuthorizedMessage
	if err := json.Unmarshal(evs[0].Detail, &detail); err != nil || detail.ID != msg.ID || detail.Body != "Chceme prejsť na Optik 1000." || detail.ContractID != f.ct.ID {
		t.Errorf("event detail %s (%v)", evs[0].Detail, err)
	}
	if html := s.Do(t, "GET", devserver.EventsPath, "", ""); html.Status != 200 || !strings.Contains(string(html.Body), "clientzone.message.contract_change") {
		t.Errorf("events page: %d", html.Status)
	}

	type list struct {
		Items []clientzone.AuthorizedMessage `json:"items"`
	}
	ids := func(l list) (out []string) {
		for _, m := range l.Items {
			out = append(out, m.ID)
		}
		return out
	}
	// Eva sees her own messages only, newest first; the admin sees all.
	r = s.Do(t, "GET", "/v1/messages", eva, "")
	if got := ids(decodeSupport[list](t, r)); fmt.Sprint(got) != fmt.Sprint([]string{msg.ID, f.msgSKBills}) {
		t.Errorf("eva's list = %v", got)
	}
	r = s.Do(t, "GET", "/v1/messages?limit=2", admin, "")
	page := decodeSupport[struct {
		Items      []clientzone.AuthorizedMessage `json:"items"`
		NextCursor string                         `json:"nextCursor"`
	}](t, r)
	if len(page.Items) != 2 || page.Items[0].ID != msg.ID || page.NextCursor == "" {
		t.Fatalf("admin page 1 = %s", r.Body)
	}
	r = s.Do(t, "GET", "/v1/messages?limit=2&cursor="+page.NextCursor, admin, "")
	if got := ids(decodeSupport[list](t, r)); !slices.Contains(got, f.msgSK) || slices.Contains(got, f.msgHU) {
		t.Errorf("admin page 2 = %v", got)
	}

	// Get: own 200; another person's is 404 for a regular person, 200 for the admin.
	if r := s.Do(t, "GET", "/v1/messages/"+msg.ID, eva, ""); r.Status != 200 {
		t.Errorf("own message: %d %s", r.Status, r.Body)
	}
	if r := s.Do(t, "GET", "/v1/messages/"+f.msgSK, eva, ""); r.Status != 404 || r.Problem(t).Code != clientzone.ENOTFOUND {
		t.Errorf("another person's message: %d %s", r.Status, r.Body)
	}
	if r := s.Do(t, "GET", "/v1/messages/"+msg.ID, admin, ""); r.Status != 200 {
		t.Errorf("admin reads eva's message: %d %s", r.Status, r.Body)
	}
	if r := s.Do(t, "GET", "/v1/messages/"+f.msgHU, admin, ""); r.Status != 404 {
		t.Errorf("foreign message: %d %s", r.Status, r.Body)
	}
}

type ticketView struct {
	clientzone.Ticket
	Replies     []clientzone.TicketReply      `json:"replies"`
	Attachments []clientzone.TicketAttachment `json:"attachments"`
}

func TestSupportTickets(t *testing.T) {
	s := apitest.Start(t)
	f := newSupportFixture(t, s)
	h := f.h
	admin, tech := f.admin, s.LoginAs(t, h.Tech)

	// Without the tickets right: 403.
	if r := s.Do(t, "POST", "/v1/tickets", tech, `{"category":"technical","subject":"x","body":"y"}`); r.Status != 403 || r.Problem(t).Code != clientzone.EFORBIDDEN {
		t.Errorf("tech creates a ticket: %d %s", r.Status, r.Body)
	}
	if got := fieldsOf(t, s.Do(t, "POST", "/v1/tickets", admin, `{"category":"wishes","subject":"","body":"y"}`)); fmt.Sprint(got) != "[category subject]" {
		t.Errorf("invalid ticket fields = %v", got)
	}
	if r := s.Do(t, "POST", "/v1/tickets", admin, `{"category":"billing","contractId":"`+f.huCt.ID+`","subject":"x","body":"y"}`); r.Status != 404 {
		t.Errorf("foreign contract: %d %s", r.Status, r.Body)
	}

	r := s.Do(t, "POST", "/v1/tickets", admin, `{"category":"technical","contractId":"`+f.ct.ID+`","subject":"VoIP nezvoní","body":"Prichádzajúce hovory nezvonia."}`)
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	tk := decodeSupport[clientzone.Ticket](t, r)
	if tk.Status != clientzone.TicketOpen || r.Header.Get("Location") != "/v1/tickets/"+tk.ID {
		t.Errorf("created %+v", tk)
	}
	if evs := eventsMentioning(devEvents(t, s, h.ID, "clientzone.ticket.created"), tk.ID); len(evs) != 1 {
		t.Errorf("created events = %+v", evs)
	}

	type list struct {
		Items []clientzone.Ticket `json:"items"`
	}
	listIDs := func(q string) (out []string) {
		r := s.Do(t, "GET", "/v1/tickets"+q, admin, "")
		if r.Status != 200 {
			t.Fatalf("list %s: %d %s", q, r.Status, r.Body)
		}
		for _, x := range decodeSupport[list](t, r).Items {
			out = append(out, x.ID)
		}
		return out
	}
	if got := listIDs("?status=open"); fmt.Sprint(got) != fmt.Sprint([]string{tk.ID, f.ticketSK}) {
		t.Errorf("open = %v", got)
	}
	if got := listIDs("?status=closed"); fmt.Sprint(got) != fmt.Sprint([]string{f.ticketSKClosed}) {
		t.Errorf("closed = %v", got)
	}
	if got := listIDs(""); len(got) != 3 || got[0] != tk.ID {
		t.Errorf("all = %v", got)
	}
	if got := fieldsOf(t, s.Do(t, "GET", "/v1/tickets?status=pending", admin, "")); fmt.Sprint(got) != "[status]" {
		t.Errorf("bad status filter = %v", got)
	}

	// The customer's reply reopens a ticket awaiting the customer.
	r = s.Do(t, "POST", "/v1/tickets/"+f.ticketSK+"/replies", admin, `{"body":"Stále je to pomalé."}`)
	if r.Status != 201 {
		t.Fatalf("reply: %d %s", r.Status, r.Body)
	}
	v := decodeSupport[ticketView](t, r)
	if v.Status != clientzone.TicketOpen || len(v.Replies) != 2 || v.Replies[1].By != clientzone.ReplyByCustomer || v.Replies[1].PersonID != h.Admin.ID || v.Replies[0].By != clientzone.ReplyByStaff {
		t.Errorf("after reply %+v", v)
	}
	if evs := eventsMentioning(devEvents(t, s, h.ID, "clientzone.ticket.reply"), "Stále je to pomalé."); len(evs) != 1 {
		t.Errorf("reply events = %+v", evs)
	}
	if got := fieldsOf(t, s.Do(t, "POST", "/v1/tickets/"+f.ticketSK+"/replies", admin, `{"body":""}`)); fmt.Sprint(got) != "[body]" {
		t.Errorf("empty reply fields = %v", got)
	}

	// Staff answer (back office): awaiting the customer, email to the author in Slovak.
	r = s.Do(t, "POST", "/admin/v1/customers/"+h.ID+"/tickets/"+f.ticketSK+"/replies", "", `{"body":"Vymenili sme modem.","staffName":"Peter"}`)
	if r.Status != 201 {
		t.Fatalf("staff reply: %d %s", r.Status, r.Body)
	}
	if v := decodeSupport[ticketView](t, r); v.Status != clientzone.TicketAwaitingCustomer || v.Replies[len(v.Replies)-1].StaffName != "Peter" {
		t.Errorf("after staff reply %+v", v)
	}
	if got := fieldsOf(t, s.Do(t, "POST", "/admin/v1/customers/"+h.ID+"/tickets/"+f.ticketSK+"/replies", "", `{"body":"x","status":"done"}`)); fmt.Sprint(got) != "[status]" {
		t.Errorf("staff reply bad status = %v", got)
	}
	if r := s.Do(t, "POST", "/admin/v1/customers/"+f.hu.ID+"/tickets/"+f.ticketSK+"/replies", "", `{"body":"x"}`); r.Status != 404 {
		t.Errorf("staff reply under the wrong customer: %d", r.Status)
	}
	mail := s.LastMessage(t, func(m clientzone.Message) bool { return m.Template == "ticket-reply" && m.CustomerID == h.ID })
	if mail == nil || mail.To != h.Email || mail.Language != clientzone.LangSK || mail.Data["reply"] != "Vymenili sme modem." {
		t.Fatalf("ticket-reply email = %+v", mail)
	}
	box := s.Do(t, "GET", devserver.MailboxPath+"?format=json", "", "")
	if !strings.Contains(string(box.Body), "nová odpoveď na váš tiket") || !strings.Contains(string(box.Body), "Vymenili sme modem.") {
		t.Errorf("mailbox lacks the rendered Slovak email: %s", box.Body)
	}

	// Close; then replying or closing again is 409.
	r = s.Do(t, "POST", "/v1/tickets/"+f.ticketSK+"/close", admin, "")
	if r.Status != 200 || decodeSupport[clientzone.Ticket](t, r).Status != clientzone.TicketClosed {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	for path, body := range map[string]string{"/close": "", "/replies": `{"body":"Ešte niečo."}`} {
		r := s.Do(t, "POST", "/v1/tickets/"+f.ticketSK+path, admin, body)
		if r.Status != 409 || r.Problem(t).Code != clientzone.ECONFLICT {
			t.Errorf("%s on a closed ticket: %d %s", path, r.Status, r.Body)
		}
	}
	if got := listIDs("?status=closed"); len(got) != 2 || !slices.Contains(got, f.ticketSK) {
		t.Errorf("closed after close = %v", got)
	}

	// Get: with replies; another customer's ticket is 404.
	r = s.Do(t, "GET", "/v1/tickets/"+f.ticketSK, admin, "")
	if v := decodeSupport[ticketView](t, r); r.Status != 200 || len(v.Replies) != 3 || v.Ticket.Replies != 3 {
		t.Errorf("get: %d %s", r.Status, r.Body)
	}
	if r := s.Do(t, "GET", "/v1/tickets/"+f.ticketHU, admin, ""); r.Status != 404 {
		t.Errorf("foreign ticket: %d", r.Status)
	}
}

func TestTicketAttachmentPresignedUpload(t *testing.T) {
	s := apitest.Start(t)
	f := newSupportFixture(t, s)
	h := f.h
	admin := f.admin
	attach := "/v1/tickets/" + f.ticketSK + "/attachments"

	if got := fieldsOf(t, s.Do(t, "POST", attach, admin, `{"fileName":"x.zip","contentType":"application/zip","size":10485761}`)); fmt.Sprint(got) != "[contentType size]" {
		t.Errorf("invalid attachment fields = %v", got)
	}
	if r := s.Do(t, "POST", "/v1/tickets/"+f.ticketSKClosed+"/attachments", admin, `{"fileName":"a.txt","contentType":"text/plain","size":3}`); r.Status != 409 {
		t.Errorf("attachment to a closed ticket: %d %s", r.Status, r.Body)
	}

	content := []byte("%PDF-1.4 speed test report\n")
	r := s.Do(t, "POST", attach, admin, fmt.Sprintf(`{"fileName":"../report.pdf","contentType":"application/pdf","size":%d}`, len(content)))
	if r.Status != 201 {
		t.Fatalf("presign: %d %s", r.Status, r.Body)
	}
	up := decodeSupport[struct {
		Attachment clientzone.TicketAttachment `json:"attachment"`
		UploadURL  string                      `json:"uploadUrl"`
		Headers    map[string]string           `json:"headers"`
	}](t, r)
	if up.Attachment.FileName != "report.pdf" || up.Headers["Content-Type"] != "application/pdf" {
		t.Errorf("upload %+v", up)
	}
	put := func(body []byte, contentType string) (int, string) {
		req, err := http.NewRequest("PUT", up.UploadURL, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("x-amz-tagging", up.Headers["x-amz-tagging"]) // signed: see TestTicketAttachmentPendingTag
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// The signature binds the content type and the size.
	if code, body := put(content, "image/png"); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("wrong content type: %d %s", code, body)
	}
	if code, body := put(append(content, "more"...), "application/pdf"); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("wrong size: %d %s", code, body)
	}
	if code, body := put(content, "application/pdf"); code != 200 {
		t.Fatalf("upload: %d %s", code, body)
	}
	key := "attachments/" + h.ID + "/" + f.ticketSK + "/" + up.Attachment.ID
	obj, err := s.S3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(s.Deps.Config.BucketName), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("uploaded object %s: %v", key, err)
	}
	got, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if !bytes.Equal(got, content) || aws.ToString(obj.ContentType) != "application/pdf" {
		t.Errorf("stored %q (%s)", got, aws.ToString(obj.ContentType))
	}

	// A reply references it once; unknown or reused ids are 400.
	replies := "/v1/tickets/" + f.ticketSK + "/replies"
	if got := fieldsOf(t, s.Do(t, "POST", replies, admin, `{"body":"x","attachmentIds":["01JUNKNOWN0000000000000000"]}`)); fmt.Sprint(got) != "[attachmentIds]" {
		t.Errorf("unknown attachment = %v", got)
	}
	r = s.Do(t, "POST", replies, admin, `{"body":"Posielam meranie.","attachmentIds":["`+up.Attachment.ID+`"]}`)
	if r.Status != 201 {
		t.Fatalf("reply with attachment: %d %s", r.Status, r.Body)
	}
	v := decodeSupport[ticketView](t, r)
	last := v.Replies[len(v.Replies)-1]
	if fmt.Sprint(last.AttachmentIDs) != "["+up.Attachment.ID+"]" || len(v.Attachments) != 1 || v.Attachments[0].ReplyID != last.ID {
		t.Errorf("ticket after reply %s", r.Body)
	}
	if got := fieldsOf(t, s.Do(t, "POST", replies, admin, `{"body":"again","attachmentIds":["`+up.Attachment.ID+`"]}`)); fmt.Sprint(got) != "[attachmentIds]" {
		t.Errorf("reused attachment = %v", got)
	}

	// Reading the ticket gives a download link of the uploaded file.
	r = s.Do(t, "GET", "/v1/tickets/"+f.ticketSK, admin, "")
	v = decodeSupport[ticketView](t, r)
	if len(v.Attachments) != 1 || v.Attachments[0].DownloadURL == "" {
		t.Fatalf("ticket attachments %s", r.Body)
	}
	resp, err := http.Get(v.Attachments[0].DownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	dl, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(dl, content) || !strings.Contains(resp.Header.Get("Content-Disposition"), "report.pdf") {
		t.Errorf("download: %d %q %v", resp.StatusCode, dl, resp.Header)
	}
}

// withStatusPage gives the status page the demo's five components (mail
// in maintenance) and two incidents (one resolved), through the back
// office.
func withStatusPage(t *testing.T, s *apitest.Stack) {
	t.Helper()
	for id, c := range map[string]string{
		"dc-ba1": `{"name":"Datacenter Bratislava 1","group":"datacenter","status":"operational"}`,
		"dc-ba2": `{"name":"Datacenter Bratislava 2","group":"datacenter","status":"operational"}`,
		"web":    `{"name":"Webhosting","group":"hosting","status":"operational"}`,
		"mail":   `{"name":"E-mail","group":"hosting","status":"maintenance"}`,
		"dns":    `{"name":"DNS","group":"hosting","status":"operational"}`,
	} {
		if r := s.Do(t, "PUT", "/admin/v1/status/components/"+id, "", c); r.Status != 200 {
			t.Fatalf("component %s: %d %s", id, r.Status, r.Body)
		}
	}
	now := time.Now().UTC().Truncate(time.Second)
	started := now.AddDate(0, 0, -10)
	for _, in := range []map[string]any{
		{"title": "Packet loss in Bratislava 2", "status": "resolved", "impact": "minor", "components": []string{"dc-ba2"},
			"startedAt": started, "resolvedAt": started.Add(2 * time.Hour), "message": "A faulty line card was replaced."},
		{"title": "Mail server upgrade", "status": "monitoring", "impact": "minor", "components": []string{"mail"},
			"startedAt": now.Add(-time.Hour), "message": "Delivery may be delayed by a few minutes."},
	} {
		if r := s.Do(t, "PUT", "/admin/v1/status/incidents/"+clientzone.NewID(), "", apitest.JSON(t, in)); r.Status != 200 {
			t.Fatalf("incident: %d %s", r.Status, r.Body)
		}
	}
}

// withPromotions publishes the demo's promotions through the back office:
// fibre for Bratislava internet customers, SSL for hosting customers, TV
// for Budapest, and an ended one.
func withPromotions(t *testing.T, s *apitest.Stack) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	for id, p := range map[string]map[string]any{
		"fiber-upgrade": {"url": "https://www.example.sk/optika",
			"title": map[string]string{"en": "Fibre 1 Gbit/s for the price of 300 Mbit/s", "sk": "Optika 1 Gbit/s za cenu 300 Mbit/s",
				"hu": "1 Gbit/s optika 300 Mbit/s áráért"},
			"description": map[string]string{"en": "Upgrade your internet for free for 6 months.", "sk": "Zrýchlite si internet na 6 mesiacov zadarmo."},
			"validFrom":   now.Add(-10 * day), "validTo": now.Add(30 * day), "serviceKinds": []string{"internet"}, "regions": []string{"Bratislava"}},
		"hosting-ssl": {"title": map[string]string{"en": "Free SSL certificate with every hosting", "sk": "SSL certifikát zadarmo ku každému hostingu"},
			"description": map[string]string{"en": "Order by the end of the month."},
			"validFrom":   now.Add(-day), "validTo": now.Add(20 * day), "serviceKinds": []string{"hosting"}},
		"budapest-tv": {"title": map[string]string{"en": "TV package for Budapest", "hu": "TV-csomag budapesti ügyfeleknek"},
			"validFrom": now.Add(-day), "validTo": now.Add(60 * day), "regions": []string{"Budapest"}},
		"summer-2026": {"title": map[string]string{"en": "Summer discount (ended)"}, "validFrom": now.Add(-120 * day), "validTo": now.Add(-30 * day)},
	} {
		if r := s.Do(t, "PUT", "/admin/v1/promotions/"+id, "", apitest.JSON(t, p)); r.Status != 200 {
			t.Fatalf("promotion %s: %d %s", id, r.Status, r.Body)
		}
	}
}

// TestStatusPage: the public status page shows the components and
// incidents the back office maintains (the status page is global: only
// this test writes it).
func TestStatusPage(t *testing.T) {
	s := apitest.Start(t)
	withStatusPage(t, s)

	t.Run("status is public", func(t *testing.T) {
		r := s.Do(t, "GET", "/v1/status", "", "")
		page := apitest.Decode[struct {
			Overall    string
			Components []clientzone.StatusComponent
			Incidents  []clientzone.Incident
		}](t, r, 200)
		if page.Overall != "maintenance" || len(page.Components) != 5 || len(page.Incidents) != 2 || !page.Incidents[0].StartedAt.After(page.Incidents[1].StartedAt) {
			t.Errorf("status = %+v", page)
		}
	})

	if got := fieldsOf(t, s.Do(t, "PUT", "/admin/v1/status/components/mail", "", `{"name":"E-mail","group":"cloud","status":"down"}`)); fmt.Sprint(got) != "[group status]" {
		t.Errorf("component fields = %v", got)
	}
	r := s.Do(t, "PUT", "/admin/v1/status/components/dc-ke1", "", `{"name":"Datacenter Košice","group":"datacenter","status":"outage"}`)
	if r.Status != 200 {
		t.Fatalf("component: %d %s", r.Status, r.Body)
	}
	if got := fieldsOf(t, s.Do(t, "PUT", "/admin/v1/status/incidents/not-a-ulid", "", `{"title":"x","status":"fixed","impact":"huge","startedAt":"2026-11-23T10:00:00Z"}`)); fmt.Sprint(got) != "[impact incidentId status]" {
		t.Errorf("incident fields = %v", got)
	}
	id := clientzone.NewID()
	r = s.Do(t, "PUT", "/admin/v1/status/incidents/"+id, "", `{"title":"Výpadok Košice","status":"resolved","impact":"critical","components":["dc-ke1"],"startedAt":"2026-11-23T10:00:00Z"}`)
	if inc := decodeSupport[clientzone.Incident](t, r); r.Status != 200 || inc.ResolvedAt == nil {
		t.Fatalf("incident: %d %s", r.Status, r.Body)
	}
	r = s.Do(t, "PUT", "/admin/v1/status/incidents/"+id, "", `{"title":"x","status":"resolved","impact":"minor","startedAt":"2026-11-23T10:00:00Z","resolvedAt":"2026-11-22T10:00:00Z"}`)
	if got := fieldsOf(t, r); fmt.Sprint(got) != "[resolvedAt]" {
		t.Errorf("resolved before started = %v", got)
	}

	r = s.Do(t, "GET", "/v1/status", "", "")
	page := decodeSupport[struct {
		Overall    string                       `json:"overall"`
		Components []clientzone.StatusComponent `json:"components"`
		Incidents  []clientzone.Incident        `json:"incidents"`
	}](t, r)
	if page.Overall != "outage" || len(page.Components) != 6 || page.Incidents[0].ID != id || page.Incidents[0].Title != "Výpadok Košice" {
		t.Errorf("status page %s", r.Body)
	}
}

func TestPromotions(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s) // sk, Bratislava, internet + hosting
	h.withContract(t, s)
	huAcct, _ := hufAccount(t, s) // hu, Budapest, hosting
	admin := s.LoginAs(t, h.Admin)
	hu := huAcct.Token
	tech := s.LoginAs(t, h.Tech) // en, same customer
	withPromotions(t, s)

	type list struct {
		Language string `json:"language"`
		Items    []struct {
			ID, Title, Description string
		} `json:"items"`
		Documentation []struct{ ID, Title, URL string } `json:"documentation"`
	}
	get := func(tok, q string) list {
		r := s.Do(t, "GET", "/v1/promotions"+q, tok, "")
		if r.Status != 200 {
			t.Fatalf("promotions: %d %s", r.Status, r.Body)
		}
		return decodeSupport[list](t, r)
	}
	ids := func(l list) (out []string) {
		for _, p := range l.Items {
			out = append(out, p.ID)
		}
		return out
	}
	sk := get(admin, "")
	if fmt.Sprint(ids(sk)) != "[hosting-ssl fiber-upgrade]" || sk.Language != "sk" || sk.Items[1].Title != "Optika 1 Gbit/s za cenu 300 Mbit/s" {
		t.Errorf("SK promotions %+v", sk)
	}
	if d := sk.Documentation; len(d) != 3 || d[0].Title != "Nastavenie routera" || d[2].URL != "https://docs.example.com/en/prices" {
		t.Errorf("SK documentation %+v", d)
	}
	// English fallback for a language without a text.
	ru := get(admin, "?language=ru")
	if ru.Items[0].Title != "Free SSL certificate with every hosting" || ru.Items[0].Description != "Order by the end of the month." {
		t.Errorf("RU fallback %+v", ru.Items)
	}
	if en := get(tech, ""); en.Language != "en" || en.Items[1].Title != "Fibre 1 Gbit/s for the price of 300 Mbit/s" {
		t.Errorf("EN promotions %+v", en)
	}
	if got := ids(get(hu, "")); fmt.Sprint(got) != "[hosting-ssl budapest-tv]" {
		t.Errorf("HU promotions = %v", got)
	}
	if got := fieldsOf(t, s.Do(t, "GET", "/v1/promotions?language=de", admin, "")); fmt.Sprint(got) != "[language]" {
		t.Errorf("bad language = %v", got)
	}

	// Back office upsert: validation, then visible to its target.
	r := s.Do(t, "PUT", "/admin/v1/promotions/tv-hu", "", `{"title":{"sk":"TV"},"validFrom":"2026-01-01T00:00:00Z","validTo":"2025-01-01T00:00:00Z","serviceKinds":["radio"]}`)
	if got := fieldsOf(t, r); fmt.Sprint(got) != "[serviceKinds[0]]" {
		t.Errorf("promotion validator fields = %v", got)
	}
	r = s.Do(t, "PUT", "/admin/v1/promotions/tv-hu", "", `{"title":{"sk":"TV"},"validFrom":"2026-01-01T00:00:00Z","validTo":"2025-01-01T00:00:00Z"}`)
	if got := fieldsOf(t, r); fmt.Sprint(got) != "[title.en validTo]" {
		t.Errorf("promotion service fields = %v", got)
	}
	r = s.Do(t, "PUT", "/admin/v1/promotions/tv-hu", "", `{"title":{"en":"TV for hosting customers","hu":"TV tárhely-ügyfeleknek"},"validFrom":"2020-01-01T00:00:00Z","validTo":"2099-01-01T00:00:00Z","regions":["budapest"],"serviceKinds":["hosting"]}`)
	if r.Status != 200 {
		t.Fatalf("upsert: %d %s", r.Status, r.Body)
	}
	if l := get(hu, ""); !slices.Contains(ids(l), "tv-hu") || l.Items[len(l.Items)-1].Title != "TV tárhely-ügyfeleknek" {
		t.Errorf("HU after upsert %+v", l)
	}
	if slices.Contains(ids(get(admin, "")), "tv-hu") {
		t.Error("a Budapest promotion reached a Bratislava customer")
	}
}
