package devserver

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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// supportSampleChecks are the TestEventsReplay expectations of the
// events/ samples of messages, tickets, promotions and the status back
// office.
var supportSampleChecks = map[string]func(t *testing.T, b map[string]any){
	"messages-list": func(t *testing.T, b map[string]any) {
		items, _ := b["items"].([]any)
		if len(items) != 2 { // the admin sees the customer's two demo messages, not the HU one
			t.Errorf("messages-list body = %v", b)
		}
	},
	"message-create": func(t *testing.T, b map[string]any) {
		if b["type"] != "technical" || b["status"] != "received" || b["contractId"] != demo.ContractSK || b["id"] == "" {
			t.Errorf("message-create body = %v", b)
		}
	},
	"message-get": func(t *testing.T, b map[string]any) {
		if b["id"] != demo.MessageSK || b["type"] != "billing" || b["status"] != "in_progress" {
			t.Errorf("message-get body = %v", b)
		}
	},
	"ticket-create": func(t *testing.T, b map[string]any) {
		if b["status"] != "open" || b["category"] != "technical" || b["authorId"] != demo.PersonAdmin {
			t.Errorf("ticket-create body = %v", b)
		}
	},
	"tickets-list": func(t *testing.T, b map[string]any) { // status=open
		items, _ := b["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != demo.TicketSK {
			t.Errorf("tickets-list body = %v", b)
		}
	},
	"ticket-get": func(t *testing.T, b map[string]any) {
		replies, _ := b["replies"].([]any)
		if b["status"] != "awaiting_customer" || len(replies) != 1 || replies[0].(map[string]any)["by"] != "staff" {
			t.Errorf("ticket-get body = %v", b)
		}
	},
	"ticket-reply": func(t *testing.T, b map[string]any) {
		replies, _ := b["replies"].([]any)
		if b["status"] != "open" || len(replies) != 2 || replies[1].(map[string]any)["by"] != "customer" {
			t.Errorf("ticket-reply body = %v", b)
		}
	},
	"ticket-close": func(t *testing.T, b map[string]any) {
		if b["status"] != "closed" || b["closedAt"] == nil {
			t.Errorf("ticket-close body = %v", b)
		}
	},
	"ticket-attachment-upload": func(t *testing.T, b map[string]any) {
		a, _ := b["attachment"].(map[string]any)
		u, _ := b["uploadUrl"].(string)
		if a["contentType"] != "image/png" || a["size"] != float64(48213) || !strings.Contains(u, "X-Amz-Signature=") ||
			!strings.Contains(u, "/attachments/"+demo.CustomerSK+"/"+demo.TicketSK+"/") || b["method"] != "PUT" {
			t.Errorf("ticket-attachment-upload body = %v", b)
		}
	},
	"ticket-staff-reply": func(t *testing.T, b map[string]any) {
		replies, _ := b["replies"].([]any)
		if b["status"] != "closed" || len(replies) != 2 || replies[1].(map[string]any)["staffName"] != "Mária (support)" {
			t.Errorf("ticket-staff-reply body = %v", b)
		}
	},
	"status-component-upsert": func(t *testing.T, b map[string]any) {
		if b["id"] != "mail" || b["status"] != "operational" || b["updatedAt"] == nil {
			t.Errorf("status-component-upsert body = %v", b)
		}
	},
	"status-incident-upsert": func(t *testing.T, b map[string]any) {
		if b["status"] != "scheduled" || b["resolvedAt"] != nil || fmt.Sprint(b["components"]) != "[dc-ba1]" {
			t.Errorf("status-incident-upsert body = %v", b)
		}
	},
	"promotions-list": func(t *testing.T, b map[string]any) {
		items, _ := b["items"].([]any)
		docs, _ := b["documentation"].([]any)
		if b["language"] != "sk" || len(items) != 2 || len(docs) == 0 {
			t.Errorf("promotions-list body = %v", b)
		}
	},
	"promotion-upsert": func(t *testing.T, b map[string]any) {
		if b["id"] != "black-friday" || fmt.Sprint(b["serviceKinds"]) != "[hosting]" {
			t.Errorf("promotion-upsert body = %v", b)
		}
	},
}

func decodeSupport[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

// fieldsOf returns the field names of a 400 problem.
func fieldsOf(t *testing.T, r response) []string {
	t.Helper()
	if r.status != 400 {
		t.Fatalf("status %d, want 400: %s", r.status, r.body)
	}
	var names []string
	for _, f := range r.problem(t).Errors {
		names = append(names, f.Field)
	}
	slices.Sort(names)
	return names
}

type devEventList struct {
	Events []DevEvent `json:"events"`
}

func devEventsOf(t *testing.T, base, detailType string) []DevEvent {
	t.Helper()
	r := do(t, "GET", base+EventsPath+"?format=json", "", "")
	if r.status != 200 {
		t.Fatalf("dev events: %d %s", r.status, r.body)
	}
	var out []DevEvent
	for _, e := range decodeSupport[devEventList](t, r).Events {
		if e.DetailType == detailType {
			out = append(out, e)
		}
	}
	return out
}

func TestAuthorizedMessages(t *testing.T) {
	_, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	eva := login(t, base, "eva.novakova@example.sk", demo.BillsPassword).AccessToken

	// Validation: enum, lengths, required.
	r := do(t, "POST", base+"/v1/messages", admin, fmt.Sprintf(`{"type":"spam","subject":%q,"body":%q}`, strings.Repeat("s", 201), strings.Repeat("b", 10001)))
	if got := fieldsOf(t, r); fmt.Sprint(got) != "[body subject type]" {
		t.Errorf("invalid message fields = %v", got)
	}
	if got := fieldsOf(t, do(t, "POST", base+"/v1/messages", admin, `{}`)); fmt.Sprint(got) != "[body subject type]" {
		t.Errorf("empty message fields = %v", got)
	}
	// Another customer's contract is 404.
	r = do(t, "POST", base+"/v1/messages", admin, `{"type":"billing","contractId":"`+demo.ContractHU+`","subject":"x","body":"y"}`)
	if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
		t.Errorf("foreign contract: %d %s", r.status, r.body)
	}

	// Eva (regular, no special right) sends one: 201 with Location.
	r = do(t, "POST", base+"/v1/messages", eva, `{"type":"contract_change","contractId":"`+demo.ContractSK+`","subject":"Vyšší paušál","body":"Chceme prejsť na Optik 1000."}`)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	msg := decodeSupport[clientzone.AuthorizedMessage](t, r)
	if msg.Status != clientzone.MessageReceived || msg.PersonID != demo.PersonBills || r.header.Get("Location") != "/v1/messages/"+msg.ID {
		t.Errorf("created %+v, Location %q", msg, r.header.Get("Location"))
	}

	// The routing event is in the outbox (same transaction), shown on /dev/events.
	evs := devEventsOf(t, base, "clientzone.message.contract_change")
	if len(evs) != 1 || evs[0].Source != "clientzone" || evs[0].CustomerID != demo.CustomerSK {
		t.Fatalf("events = %+v", evs)
	}
	var detail clientzone.AuthorizedMessage
	if err := json.Unmarshal(evs[0].Detail, &detail); err != nil || detail.ID != msg.ID || detail.Body != "Chceme prejsť na Optik 1000." || detail.ContractID != demo.ContractSK {
		t.Errorf("event detail %s (%v)", evs[0].Detail, err)
	}
	if html := do(t, "GET", base+EventsPath, "", ""); html.status != 200 || !strings.Contains(string(html.body), "clientzone.message.contract_change") {
		t.Errorf("events page: %d", html.status)
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
	r = do(t, "GET", base+"/v1/messages", eva, "")
	if got := ids(decodeSupport[list](t, r)); fmt.Sprint(got) != fmt.Sprint([]string{msg.ID, demo.MessageSKBills}) {
		t.Errorf("eva's list = %v", got)
	}
	r = do(t, "GET", base+"/v1/messages?limit=2", admin, "")
	page := decodeSupport[struct {
		Items      []clientzone.AuthorizedMessage `json:"items"`
		NextCursor string                         `json:"nextCursor"`
	}](t, r)
	if len(page.Items) != 2 || page.Items[0].ID != msg.ID || page.NextCursor == "" {
		t.Fatalf("admin page 1 = %s", r.body)
	}
	r = do(t, "GET", base+"/v1/messages?limit=2&cursor="+page.NextCursor, admin, "")
	if got := ids(decodeSupport[list](t, r)); !slices.Contains(got, demo.MessageSK) || slices.Contains(got, demo.MessageHU) {
		t.Errorf("admin page 2 = %v", got)
	}

	// Get: own 200; another person's is 404 for a regular person, 200 for the admin.
	if r := do(t, "GET", base+"/v1/messages/"+msg.ID, eva, ""); r.status != 200 {
		t.Errorf("own message: %d %s", r.status, r.body)
	}
	if r := do(t, "GET", base+"/v1/messages/"+demo.MessageSK, eva, ""); r.status != 404 || r.problem(t).Code != clientzone.ENOTFOUND {
		t.Errorf("another person's message: %d %s", r.status, r.body)
	}
	if r := do(t, "GET", base+"/v1/messages/"+msg.ID, admin, ""); r.status != 200 {
		t.Errorf("admin reads eva's message: %d %s", r.status, r.body)
	}
	if r := do(t, "GET", base+"/v1/messages/"+demo.MessageHU, admin, ""); r.status != 404 {
		t.Errorf("foreign message: %d %s", r.status, r.body)
	}
}

type ticketView struct {
	clientzone.Ticket
	Replies     []clientzone.TicketReply      `json:"replies"`
	Attachments []clientzone.TicketAttachment `json:"attachments"`
}

func TestSupportTickets(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	tech := login(t, base, "technik", demo.TechPassword).AccessToken

	// Without the tickets right: 403.
	if r := do(t, "POST", base+"/v1/tickets", tech, `{"category":"technical","subject":"x","body":"y"}`); r.status != 403 || r.problem(t).Code != clientzone.EFORBIDDEN {
		t.Errorf("tech creates a ticket: %d %s", r.status, r.body)
	}
	if got := fieldsOf(t, do(t, "POST", base+"/v1/tickets", admin, `{"category":"wishes","subject":"","body":"y"}`)); fmt.Sprint(got) != "[category subject]" {
		t.Errorf("invalid ticket fields = %v", got)
	}
	if r := do(t, "POST", base+"/v1/tickets", admin, `{"category":"billing","contractId":"`+demo.ContractHU+`","subject":"x","body":"y"}`); r.status != 404 {
		t.Errorf("foreign contract: %d %s", r.status, r.body)
	}

	r := do(t, "POST", base+"/v1/tickets", admin, `{"category":"technical","contractId":"`+demo.ContractSK+`","subject":"VoIP nezvoní","body":"Prichádzajúce hovory nezvonia."}`)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	tk := decodeSupport[clientzone.Ticket](t, r)
	if tk.Status != clientzone.TicketOpen || r.header.Get("Location") != "/v1/tickets/"+tk.ID {
		t.Errorf("created %+v", tk)
	}
	if evs := devEventsOf(t, base, "clientzone.ticket.created"); len(evs) != 1 || !strings.Contains(string(evs[0].Detail), tk.ID) {
		t.Errorf("created events = %+v", evs)
	}

	type list struct {
		Items []clientzone.Ticket `json:"items"`
	}
	listIDs := func(q string) (out []string) {
		r := do(t, "GET", base+"/v1/tickets"+q, admin, "")
		if r.status != 200 {
			t.Fatalf("list %s: %d %s", q, r.status, r.body)
		}
		for _, x := range decodeSupport[list](t, r).Items {
			out = append(out, x.ID)
		}
		return out
	}
	if got := listIDs("?status=open"); fmt.Sprint(got) != fmt.Sprint([]string{tk.ID, demo.TicketSK}) {
		t.Errorf("open = %v", got)
	}
	if got := listIDs("?status=closed"); fmt.Sprint(got) != fmt.Sprint([]string{demo.TicketSKClosed}) {
		t.Errorf("closed = %v", got)
	}
	if got := listIDs(""); len(got) != 3 || got[0] != tk.ID {
		t.Errorf("all = %v", got)
	}
	if got := fieldsOf(t, do(t, "GET", base+"/v1/tickets?status=pending", admin, "")); fmt.Sprint(got) != "[status]" {
		t.Errorf("bad status filter = %v", got)
	}

	// The customer's reply reopens a ticket awaiting the customer.
	r = do(t, "POST", base+"/v1/tickets/"+demo.TicketSK+"/replies", admin, `{"body":"Stále je to pomalé."}`)
	if r.status != 201 {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	v := decodeSupport[ticketView](t, r)
	if v.Status != clientzone.TicketOpen || len(v.Replies) != 2 || v.Replies[1].By != clientzone.ReplyByCustomer || v.Replies[1].PersonID != demo.PersonAdmin || v.Replies[0].By != clientzone.ReplyByStaff {
		t.Errorf("after reply %+v", v)
	}
	if evs := devEventsOf(t, base, "clientzone.ticket.reply"); len(evs) != 1 || !strings.Contains(string(evs[0].Detail), "Stále je to pomalé.") {
		t.Errorf("reply events = %+v", evs)
	}
	if got := fieldsOf(t, do(t, "POST", base+"/v1/tickets/"+demo.TicketSK+"/replies", admin, `{"body":""}`)); fmt.Sprint(got) != "[body]" {
		t.Errorf("empty reply fields = %v", got)
	}

	// Staff answer (back office): awaiting the customer, email to the author in Slovak.
	r = do(t, "POST", base+"/admin/v1/customers/"+demo.CustomerSK+"/tickets/"+demo.TicketSK+"/replies", "", `{"body":"Vymenili sme modem.","staffName":"Peter"}`)
	if r.status != 201 {
		t.Fatalf("staff reply: %d %s", r.status, r.body)
	}
	if v := decodeSupport[ticketView](t, r); v.Status != clientzone.TicketAwaitingCustomer || v.Replies[len(v.Replies)-1].StaffName != "Peter" {
		t.Errorf("after staff reply %+v", v)
	}
	if got := fieldsOf(t, do(t, "POST", base+"/admin/v1/customers/"+demo.CustomerSK+"/tickets/"+demo.TicketSK+"/replies", "", `{"body":"x","status":"done"}`)); fmt.Sprint(got) != "[status]" {
		t.Errorf("staff reply bad status = %v", got)
	}
	if r := do(t, "POST", base+"/admin/v1/customers/"+demo.CustomerHU+"/tickets/"+demo.TicketSK+"/replies", "", `{"body":"x"}`); r.status != 404 {
		t.Errorf("staff reply under the wrong customer: %d", r.status)
	}
	msgs, err := st.Deps.DB.OutboxMessages(context.Background(), st.Deps.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	var mail *clientzone.Message
	for i := range msgs {
		if msgs[i].Template == "ticket-reply" {
			mail = &msgs[i]
		}
	}
	if mail == nil || mail.To != "jan.novak@example.sk" || mail.Language != clientzone.LangSK || mail.Data["reply"] != "Vymenili sme modem." {
		t.Fatalf("ticket-reply email = %+v", mail)
	}
	box := do(t, "GET", base+MailboxPath+"?format=json", "", "")
	if !strings.Contains(string(box.body), "nová odpoveď na váš tiket") || !strings.Contains(string(box.body), "Vymenili sme modem.") {
		t.Errorf("mailbox lacks the rendered Slovak email: %s", box.body)
	}

	// Close; then replying or closing again is 409.
	r = do(t, "POST", base+"/v1/tickets/"+demo.TicketSK+"/close", admin, "")
	if r.status != 200 || decodeSupport[clientzone.Ticket](t, r).Status != clientzone.TicketClosed {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	for path, body := range map[string]string{"/close": "", "/replies": `{"body":"Ešte niečo."}`} {
		r := do(t, "POST", base+"/v1/tickets/"+demo.TicketSK+path, admin, body)
		if r.status != 409 || r.problem(t).Code != clientzone.ECONFLICT {
			t.Errorf("%s on a closed ticket: %d %s", path, r.status, r.body)
		}
	}
	if got := listIDs("?status=closed"); len(got) != 2 || !slices.Contains(got, demo.TicketSK) {
		t.Errorf("closed after close = %v", got)
	}

	// Get: with replies; another customer's ticket is 404.
	r = do(t, "GET", base+"/v1/tickets/"+demo.TicketSK, admin, "")
	if v := decodeSupport[ticketView](t, r); r.status != 200 || len(v.Replies) != 3 || v.Ticket.Replies != 3 {
		t.Errorf("get: %d %s", r.status, r.body)
	}
	if r := do(t, "GET", base+"/v1/tickets/"+demo.TicketHU, admin, ""); r.status != 404 {
		t.Errorf("foreign ticket: %d", r.status)
	}
}

func TestTicketAttachmentPresignedUpload(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	attach := base + "/v1/tickets/" + demo.TicketSK + "/attachments"

	if got := fieldsOf(t, do(t, "POST", attach, admin, `{"fileName":"x.zip","contentType":"application/zip","size":10485761}`)); fmt.Sprint(got) != "[contentType size]" {
		t.Errorf("invalid attachment fields = %v", got)
	}
	if r := do(t, "POST", base+"/v1/tickets/"+demo.TicketSKClosed+"/attachments", admin, `{"fileName":"a.txt","contentType":"text/plain","size":3}`); r.status != 409 {
		t.Errorf("attachment to a closed ticket: %d %s", r.status, r.body)
	}

	content := []byte("%PDF-1.4 speed test report\n")
	r := do(t, "POST", attach, admin, fmt.Sprintf(`{"fileName":"../report.pdf","contentType":"application/pdf","size":%d}`, len(content)))
	if r.status != 201 {
		t.Fatalf("presign: %d %s", r.status, r.body)
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
	key := "attachments/" + demo.CustomerSK + "/" + demo.TicketSK + "/" + up.Attachment.ID
	obj, err := st.S3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(st.Deps.Config.BucketName), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("uploaded object %s: %v", key, err)
	}
	got, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if !bytes.Equal(got, content) || aws.ToString(obj.ContentType) != "application/pdf" {
		t.Errorf("stored %q (%s)", got, aws.ToString(obj.ContentType))
	}

	// A reply references it once; unknown or reused ids are 400.
	replies := base + "/v1/tickets/" + demo.TicketSK + "/replies"
	if got := fieldsOf(t, do(t, "POST", replies, admin, `{"body":"x","attachmentIds":["01JUNKNOWN0000000000000000"]}`)); fmt.Sprint(got) != "[attachmentIds]" {
		t.Errorf("unknown attachment = %v", got)
	}
	r = do(t, "POST", replies, admin, `{"body":"Posielam meranie.","attachmentIds":["`+up.Attachment.ID+`"]}`)
	if r.status != 201 {
		t.Fatalf("reply with attachment: %d %s", r.status, r.body)
	}
	v := decodeSupport[ticketView](t, r)
	last := v.Replies[len(v.Replies)-1]
	if fmt.Sprint(last.AttachmentIDs) != "["+up.Attachment.ID+"]" || len(v.Attachments) != 1 || v.Attachments[0].ReplyID != last.ID {
		t.Errorf("ticket after reply %s", r.body)
	}
	if got := fieldsOf(t, do(t, "POST", replies, admin, `{"body":"again","attachmentIds":["`+up.Attachment.ID+`"]}`)); fmt.Sprint(got) != "[attachmentIds]" {
		t.Errorf("reused attachment = %v", got)
	}

	// Reading the ticket gives a download link of the uploaded file.
	r = do(t, "GET", base+"/v1/tickets/"+demo.TicketSK, admin, "")
	v = decodeSupport[ticketView](t, r)
	if len(v.Attachments) != 1 || v.Attachments[0].DownloadURL == "" {
		t.Fatalf("ticket attachments %s", r.body)
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

func TestStatusPageBackOffice(t *testing.T) {
	_, srv, _ := newStack(t)
	base := srv.URL

	if got := fieldsOf(t, do(t, "PUT", base+"/admin/v1/status/components/mail", "", `{"name":"E-mail","group":"cloud","status":"down"}`)); fmt.Sprint(got) != "[group status]" {
		t.Errorf("component fields = %v", got)
	}
	r := do(t, "PUT", base+"/admin/v1/status/components/dc-ke1", "", `{"name":"Datacenter Košice","group":"datacenter","status":"outage"}`)
	if r.status != 200 {
		t.Fatalf("component: %d %s", r.status, r.body)
	}
	if got := fieldsOf(t, do(t, "PUT", base+"/admin/v1/status/incidents/not-a-ulid", "", `{"title":"x","status":"fixed","impact":"huge","startedAt":"2026-11-23T10:00:00Z"}`)); fmt.Sprint(got) != "[impact incidentId status]" {
		t.Errorf("incident fields = %v", got)
	}
	id := clientzone.NewID()
	r = do(t, "PUT", base+"/admin/v1/status/incidents/"+id, "", `{"title":"Výpadok Košice","status":"resolved","impact":"critical","components":["dc-ke1"],"startedAt":"2026-11-23T10:00:00Z"}`)
	if inc := decodeSupport[clientzone.Incident](t, r); r.status != 200 || inc.ResolvedAt == nil {
		t.Fatalf("incident: %d %s", r.status, r.body)
	}
	r = do(t, "PUT", base+"/admin/v1/status/incidents/"+id, "", `{"title":"x","status":"resolved","impact":"minor","startedAt":"2026-11-23T10:00:00Z","resolvedAt":"2026-11-22T10:00:00Z"}`)
	if got := fieldsOf(t, r); fmt.Sprint(got) != "[resolvedAt]" {
		t.Errorf("resolved before started = %v", got)
	}

	r = do(t, "GET", base+"/v1/status", "", "")
	page := decodeSupport[struct {
		Overall    string                       `json:"overall"`
		Components []clientzone.StatusComponent `json:"components"`
		Incidents  []clientzone.Incident        `json:"incidents"`
	}](t, r)
	if page.Overall != "outage" || len(page.Components) != 6 || page.Incidents[0].ID != id || page.Incidents[0].Title != "Výpadok Košice" {
		t.Errorf("status page %s", r.body)
	}
}

func TestPromotions(t *testing.T) {
	_, srv, _ := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken // sk, Bratislava, internet + hosting
	hu := login(t, base, "admin@kovacs.hu", demo.HUPassword).AccessToken            // hu, Budapest, hosting
	tech := login(t, base, "technik", demo.TechPassword).AccessToken                // en, same customer

	type list struct {
		Language string `json:"language"`
		Items    []struct {
			ID, Title, Description string
		} `json:"items"`
		Documentation []struct{ ID, Title, URL string } `json:"documentation"`
	}
	get := func(tok, q string) list {
		r := do(t, "GET", base+"/v1/promotions"+q, tok, "")
		if r.status != 200 {
			t.Fatalf("promotions: %d %s", r.status, r.body)
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
	if got := fieldsOf(t, do(t, "GET", base+"/v1/promotions?language=de", admin, "")); fmt.Sprint(got) != "[language]" {
		t.Errorf("bad language = %v", got)
	}

	// Back office upsert: validation, then visible to its target.
	r := do(t, "PUT", base+"/admin/v1/promotions/tv-hu", "", `{"title":{"sk":"TV"},"validFrom":"2026-01-01T00:00:00Z","validTo":"2025-01-01T00:00:00Z","serviceKinds":["radio"]}`)
	if got := fieldsOf(t, r); fmt.Sprint(got) != "[serviceKinds[0]]" {
		t.Errorf("promotion validator fields = %v", got)
	}
	r = do(t, "PUT", base+"/admin/v1/promotions/tv-hu", "", `{"title":{"sk":"TV"},"validFrom":"2026-01-01T00:00:00Z","validTo":"2025-01-01T00:00:00Z"}`)
	if got := fieldsOf(t, r); fmt.Sprint(got) != "[title.en validTo]" {
		t.Errorf("promotion service fields = %v", got)
	}
	r = do(t, "PUT", base+"/admin/v1/promotions/tv-hu", "", `{"title":{"en":"TV for hosting customers","hu":"TV tárhely-ügyfeleknek"},"validFrom":"2020-01-01T00:00:00Z","validTo":"2099-01-01T00:00:00Z","regions":["budapest"],"serviceKinds":["hosting"]}`)
	if r.status != 200 {
		t.Fatalf("upsert: %d %s", r.status, r.body)
	}
	if l := get(hu, ""); !slices.Contains(ids(l), "tv-hu") || l.Items[len(l.Items)-1].Title != "TV tárhely-ügyfeleknek" {
		t.Errorf("HU after upsert %+v", l)
	}
	if slices.Contains(ids(get(admin, "")), "tv-hu") {
		t.Error("a Budapest promotion reached a Bratislava customer")
	}
}
