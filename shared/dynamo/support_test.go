package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/support"
)

// A message is stored with its outbox event in one transaction (or
// neither, when the contract is not the customer's); authors list their
// own messages through GSI1, admins all of them, with cursors.
func TestAuthorizedMessagesStore(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	cid, other := clientzone.NewID(), clientzone.NewID()
	ct := &clientzone.Contract{ID: clientzone.NewID(), CustomerID: cid, Number: "C-1", Status: clientzone.StatusActive, SignedAt: now}
	if err := db.PutContract(ctx, ct, ""); err != nil {
		t.Fatal(err)
	}
	event := func() *clientzone.Message {
		return &clientzone.Message{ID: clientzone.NewID(), Channel: clientzone.ChannelEvent, To: "clientzone", Template: "clientzone.message.billing",
			Data: map[string]string{"detail": `{"x":1}`}, CreatedAt: now}
	}

	// Foreign contract: 404 and nothing written (no message, no event).
	bad := &clientzone.AuthorizedMessage{ID: clientzone.NewID(), CustomerID: other, PersonID: "P1", ContractID: ct.ID, Type: "billing", CreatedAt: now}
	ev := event()
	wantErrCode(t, db.CreateMessage(ctx, bad, ev), clientzone.ENOTFOUND)
	if _, err := db.AuthorizedMessage(ctx, other, bad.ID); err == nil {
		t.Fatal("message written despite the failed contract check")
	}
	if _, err := db.OutboxDelivery(ctx, now, ev.ID); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("event written despite the failed contract check: %v", err)
	}

	var ids []string
	for i, author := range []string{"P1", "P2", "P1", "P1"} {
		m := &clientzone.AuthorizedMessage{ID: clientzone.NewID(), CustomerID: cid, PersonID: author, Type: "billing",
			Subject: "s", Body: "b", Status: clientzone.MessageReceived, CreatedAt: now.Add(time.Duration(i) * time.Second)}
		if i == 0 {
			m.ContractID = ct.ID
		}
		ev := event()
		if err := db.CreateMessage(ctx, m, ev); err != nil {
			t.Fatal(err)
		}
		if _, err := db.OutboxDelivery(ctx, now, ev.ID); err != nil {
			t.Fatalf("event of message %d: %v", i, err)
		}
		ids = append(ids, m.ID)
		time.Sleep(2 * time.Millisecond) // distinct ULID milliseconds
	}
	got, err := db.AuthorizedMessage(ctx, cid, ids[0])
	if err != nil || got.ContractID != ct.ID || got.PersonID != "P1" {
		t.Fatalf("get = %+v, %v", got, err)
	}
	wantErrCode(t, func() error { _, err := db.AuthorizedMessage(ctx, other, ids[0]); return err }(), clientzone.ENOTFOUND)

	page, next, err := db.AuthorizedMessages(ctx, cid, "P1", 2, "")
	if err != nil || len(page) != 2 || page[0].ID != ids[3] || page[1].ID != ids[2] || next == "" {
		t.Fatalf("P1 page 1 = %v %q %v", page, next, err)
	}
	page, next, err = db.AuthorizedMessages(ctx, cid, "P1", 2, next)
	if err != nil || len(page) != 1 || page[0].ID != ids[0] {
		t.Fatalf("P1 page 2 = %v %q %v", page, next, err)
	}
	all, _, err := db.AuthorizedMessages(ctx, cid, "", 10, "")
	if err != nil || len(all) != 4 || all[0].ID != ids[3] {
		t.Fatalf("all = %v %v", all, err)
	}
	// A cursor of one author cannot page through another's messages.
	_, p1next, _ := db.AuthorizedMessages(ctx, cid, "P1", 1, "")
	if _, _, err := db.AuthorizedMessages(ctx, cid, "P2", 1, p1next); clientzone.ErrorCode(err) != clientzone.EINVALID {
		t.Errorf("foreign cursor: %v", err)
	}
}

// Tickets move between the open and closed GSI1 lists; replies claim each
// attachment once; a closed ticket takes no customer reply or attachment.
func TestTicketsStore(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	cid := clientzone.NewID()
	var tickets []*clientzone.Ticket
	for range 3 {
		tk := &clientzone.Ticket{ID: clientzone.NewID(), CustomerID: cid, AuthorID: "P1", Category: "technical", Subject: "s", Body: "b",
			Status: clientzone.TicketOpen, CreatedAt: now, UpdatedAt: now}
		if err := db.CreateTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
		tickets = append(tickets, tk)
		time.Sleep(2 * time.Millisecond)
	}
	list := func(which string) (out []string) {
		page, err := db.Tickets(ctx, cid, which, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page.Tickets {
			if x.CustomerID != cid {
				t.Errorf("ticket %s lost its customer id", x.ID)
			}
			out = append(out, x.ID)
		}
		return out
	}
	if got := list("open"); len(got) != 3 || got[0] != tickets[2].ID {
		t.Fatalf("open = %v", got)
	}

	att := &clientzone.TicketAttachment{ID: clientzone.NewID(), TicketID: tickets[0].ID, FileName: "a.pdf", ContentType: "application/pdf",
		Size: 10, Key: "attachments/x", CreatedAt: now}
	if err := db.PutTicketAttachment(ctx, cid, att); err != nil {
		t.Fatal(err)
	}
	if err := db.PutTicketAttachment(ctx, clientzone.NewID(), &clientzone.TicketAttachment{ID: clientzone.NewID(), TicketID: tickets[0].ID}); err == nil {
		t.Fatal("attachment recorded for another customer's ticket")
	}
	reply := func(rid string, atts ...string) error {
		return db.AddTicketReply(ctx, support.TicketChange{CustomerID: cid, Status: clientzone.TicketAwaitingCustomer,
			From: []string{clientzone.TicketOpen, clientzone.TicketAwaitingCustomer}, At: now,
			Reply: &clientzone.TicketReply{ID: rid, TicketID: tickets[0].ID, By: clientzone.ReplyByStaff, Body: "r", AttachmentIDs: atts, CreatedAt: now}})
	}
	r1 := clientzone.NewID()
	if err := reply(r1, att.ID); err != nil {
		t.Fatal(err)
	}
	// Reusing the attachment fails as a whole: no second reply.
	wantField(t, wantErrCode(t, reply(clientzone.NewID(), att.ID), clientzone.EINVALID), "attachmentIds")
	tk, replies, atts, err := db.TicketThread(ctx, cid, tickets[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != clientzone.TicketAwaitingCustomer || tk.Replies != 1 || len(replies) != 1 || replies[0].ID != r1 ||
		len(atts) != 1 || atts[0].ReplyID != r1 || atts[0].Key != "attachments/x" {
		t.Fatalf("thread = %+v %+v %+v", tk, replies, atts)
	}

	if err := db.CloseTicket(ctx, cid, tickets[0].ID, now); err != nil {
		t.Fatal(err)
	}
	wantErrCode(t, db.CloseTicket(ctx, cid, tickets[0].ID, now), clientzone.ECONFLICT)
	wantErrCode(t, reply(clientzone.NewID()), clientzone.ECONFLICT)
	wantErrCode(t, db.PutTicketAttachment(ctx, cid, &clientzone.TicketAttachment{ID: clientzone.NewID(), TicketID: tickets[0].ID}), clientzone.ECONFLICT)
	if got := list("closed"); len(got) != 1 || got[0] != tickets[0].ID {
		t.Fatalf("closed = %v", got)
	}
	if got := list("open"); len(got) != 2 {
		t.Fatalf("open after close = %v", got)
	}
	if got := list(""); len(got) != 3 {
		t.Fatalf("all = %v", got)
	}
	closed, err := db.Ticket(ctx, cid, tickets[0].ID)
	if err != nil || closed.ClosedAt == nil {
		t.Fatalf("closed ticket = %+v, %v", closed, err)
	}
	wantErrCode(t, func() error { _, err := db.Ticket(ctx, clientzone.NewID(), tickets[0].ID); return err }(), clientzone.ENOTFOUND)
}

func TestPromotionsStore(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	p := &clientzone.Promotion{ID: "p1", Title: map[clientzone.Language]string{clientzone.LangEN: "A", clientzone.LangSK: "Á"},
		ValidFrom: now, ValidTo: now.Add(time.Hour), Regions: []string{"Bratislava"}}
	if err := db.PutPromotion(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.Title[clientzone.LangEN] = "B" // replace
	if err := db.PutPromotion(ctx, p); err != nil {
		t.Fatal(err)
	}
	all, err := db.Promotions(ctx)
	if err != nil || len(all) != 1 || all[0].Title[clientzone.LangEN] != "B" || all[0].Title[clientzone.LangSK] != "Á" || !all[0].ValidTo.Equal(p.ValidTo) {
		t.Fatalf("promotions = %+v, %v", all, err)
	}
}
