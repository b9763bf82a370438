package dynamo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/support"
)

// A ticket takes at most MaxTicketAttachments attachments, counted in the
// transaction that records each, so concurrent uploads cannot exceed it;
// an unclaimed attachment carries a TTL that its claim removes, and one
// past its claim window cannot be claimed.
func TestTicketAttachmentLimitAndExpiry(t *testing.T) {
	table := dynamotest.NewTable(t)
	db := dynamo.New(dynamotest.Client(), table)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	cid := clientzone.NewID()
	tk := &clientzone.Ticket{ID: clientzone.NewID(), CustomerID: cid, AuthorID: "P1", Category: "technical", Subject: "s", Body: "b",
		Status: clientzone.TicketOpen, CreatedAt: now, UpdatedAt: now}
	if err := db.CreateTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	newAtt := func(created time.Time) *clientzone.TicketAttachment {
		id := clientzone.NewID()
		return &clientzone.TicketAttachment{ID: id, TicketID: tk.ID, FileName: "a.txt", ContentType: "text/plain", Size: 3,
			Key: "attachments/" + cid + "/" + tk.ID + "/" + id, CreatedAt: created}
	}

	// 25 uploads, 24 of them concurrent: exactly 20 are recorded, the rest
	// are 409.
	const n = 25
	atts := make([]*clientzone.TicketAttachment, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	// The first, recorded before the others, is already past its claim
	// window.
	atts[0] = newAtt(now.Add(-support.AttachmentClaimWindow))
	if errs[0] = db.PutTicketAttachment(ctx, cid, atts[0]); errs[0] != nil {
		t.Fatal(errs[0])
	}
	for i := 1; i < n; i++ {
		atts[i] = newAtt(now)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				errs[i] = db.PutTicketAttachment(ctx, cid, atts[i])
				if !clientzone.IsTransactionConflict(errs[i]) {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	var ok []*clientzone.TicketAttachment
	for i, err := range errs {
		switch {
		case err == nil:
			ok = append(ok, atts[i])
		case err == support.ErrTooManyAttachments:
		default:
			t.Fatalf("upload %d: %v", i, err)
		}
	}
	if len(ok) != support.MaxTicketAttachments {
		t.Fatalf("%d attachments recorded, want %d", len(ok), support.MaxTicketAttachments)
	}
	if _, _, got, err := db.TicketThread(ctx, cid, tk.ID); err != nil || len(got) != support.MaxTicketAttachments {
		t.Fatalf("thread has %d attachments, %v", len(got), err)
	}
	wantErrCode(t, db.PutTicketAttachment(ctx, cid, newAtt(now)), clientzone.ECONFLICT)

	ttlOf := func(a *clientzone.TicketAttachment) (int64, bool) {
		t.Helper()
		res, err := dynamotest.Client().GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{
				"pk": &types.AttributeValueMemberS{Value: "CUST#" + cid},
				"sk": &types.AttributeValueMemberS{Value: "TKITEM#" + tk.ID + "#A#" + a.ID},
			}})
		if err != nil || res.Item == nil {
			t.Fatalf("attachment item %s: %v", a.ID, err)
		}
		v, found := res.Item["ttl"].(*types.AttributeValueMemberN)
		if !found {
			return 0, false
		}
		var ttl int64
		for _, c := range v.Value {
			ttl = ttl*10 + int64(c-'0')
		}
		return ttl, true
	}
	stale, fresh := atts[0], ok[1]
	if ttl, found := ttlOf(fresh); !found || ttl != now.Add(support.AttachmentClaimWindow).Unix() {
		t.Fatalf("unclaimed attachment ttl = %d (%v), want created + %v", ttl, found, support.AttachmentClaimWindow)
	}
	reply := func(aids ...string) error {
		return db.AddTicketReply(ctx, support.TicketChange{CustomerID: cid, Status: clientzone.TicketOpen,
			From: []string{clientzone.TicketOpen}, At: now,
			Reply: &clientzone.TicketReply{ID: clientzone.NewID(), TicketID: tk.ID, By: clientzone.ReplyByCustomer, Body: "r", AttachmentIDs: aids, CreatedAt: now}})
	}
	wantField(t, wantErrCode(t, reply(stale.ID), clientzone.EINVALID), "attachmentIds")
	if err := reply(fresh.ID); err != nil {
		t.Fatal(err)
	}
	if ttl, found := ttlOf(fresh); found {
		t.Errorf("claimed attachment still expires at %d", ttl)
	}
}
