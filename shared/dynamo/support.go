package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/support"
)

// Authorized messages, support tickets and promotions.
//
//	CUST#<cid>  MSG#<mid>                    authorized message  gsi1: CUST#<cid>#PERSON#<pid>#MSG / MSG#<mid>
//	CUST#<cid>  TICKET#<tid>                 ticket              gsi1: CUST#<cid>#TICKET#<open|closed> / TICKET#<tid>
//	CUST#<cid>  TKITEM#<tid>#R#<rid>         ticket reply
//	CUST#<cid>  TKITEM#<tid>#A#<aid>         ticket attachment (ttl until a reply claims it)
//	CUST#<cid>  TKITEM#<tid>#N               attachment counter: Attachments = attachments created (≤ support.MaxTicketAttachments)
//	PROMO       PROMO#<id>                   promotion

type messageItem struct {
	keys
	clientzone.AuthorizedMessage
}

type ticketItem struct {
	keys
	clientzone.Ticket
}

type replyItem struct {
	keys
	clientzone.TicketReply
}

type attachmentItem struct {
	keys
	clientzone.TicketAttachment
}

type promotionItem struct {
	keys
	clientzone.Promotion
}

func messageSK(id string) string             { return "MSG#" + id }
func messageAuthorPK(cid, pid string) string { return customerPK(cid) + "#PERSON#" + pid + "#MSG" }
func ticketSK(id string) string              { return "TICKET#" + id }
func ticketItemsPrefix(tid string) string    { return "TKITEM#" + tid + "#" }
func replySK(tid, rid string) string         { return ticketItemsPrefix(tid) + "R#" + rid }
func attachmentSK(tid, aid string) string    { return ticketItemsPrefix(tid) + "A#" + aid }
func attachmentCountSK(tid string) string    { return ticketItemsPrefix(tid) + "N" }

var (
	_ support.TicketStore    = (*DB)(nil)
	_ support.PromotionStore = (*DB)(nil)
)

// ticketListPK is the GSI1 partition of a customer's open (open and
// awaiting_customer) or closed tickets.
func ticketListPK(cid, status string) string {
	list := "open"
	if status == clientzone.TicketClosed {
		list = "closed"
	}
	return customerPK(cid) + "#TICKET#" + list
}

const promoPK = "PROMO"

// checkContract adds a condition that contract ctid of cid exists.
func (tx *Tx) checkContract(cid, ctid string) error {
	// Number: only contract items have it (not services, termination
	// requests or other items sharing the CONTRACT#<id> prefix).
	return tx.Check(customerPK(cid), contractSK(ctid), "attribute_exists(pk) AND attribute_exists(#num)", map[string]string{"#num": "Number"}, nil, clientzone.NotFound("Contract"))
}

// CreateMessage stores a new authorized message together with its outbox
// entries (its EventBridge event) in one transaction; a contract id must
// name a contract of the customer.
func (db *DB) CreateMessage(ctx context.Context, m *clientzone.AuthorizedMessage, outbox ...*clientzone.Message) error {
	tx := db.NewTx()
	if m.ContractID != "" {
		if err := tx.checkContract(m.CustomerID, m.ContractID); err != nil {
			return err
		}
	}
	if err := tx.Put(messageItem{
		keys: keys{PK: customerPK(m.CustomerID), SK: messageSK(m.ID),
			GSI1PK: messageAuthorPK(m.CustomerID, m.PersonID), GSI1SK: messageSK(m.ID)},
		AuthorizedMessage: *m,
	}, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	for _, o := range outbox {
		if err := tx.Outbox(o); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// AuthorizedMessage returns message mid of customer cid.
func (db *DB) AuthorizedMessage(ctx context.Context, cid, mid string) (*clientzone.AuthorizedMessage, error) {
	var it messageItem
	if err := db.get(ctx, customerPK(cid), messageSK(mid), "Message", &it); err != nil {
		return nil, err
	}
	return &it.AuthorizedMessage, nil
}

// AuthorizedMessages lists a customer's messages newest first: all of them,
// or (personID set) only those that person sent, through GSI1.
func (db *DB) AuthorizedMessages(ctx context.Context, cid, personID string, limit int, cursor string) ([]*clientzone.AuthorizedMessage, string, error) {
	var items []messageItem
	var next string
	var err error
	if personID == "" {
		items, next, err = newestFirst[messageItem](ctx, db, cid, "MSG#", limit, cursor, "", nil)
	} else {
		items, next, err = newestFirstGSI1[messageItem](ctx, db, messageAuthorPK(cid, personID), limit, cursor)
	}
	if err != nil {
		return nil, "", err
	}
	out := make([]*clientzone.AuthorizedMessage, len(items))
	for i := range items {
		out[i] = &items[i].AuthorizedMessage
	}
	return out, next, nil
}

// newestFirstGSI1 reads one page of the GSI1 partition pk, newest first.
func newestFirstGSI1[T any](ctx context.Context, db *DB, pk string, limit int, cursor string) ([]T, string, error) {
	start, err := decodeCursor(cursor, "gsi1pk", pk, gsi1KeyAttrs...)
	if err != nil {
		return nil, "", err
	}
	res, err := db.api.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &db.table,
		IndexName:                 aws.String(GSI1),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
		ExclusiveStartKey:         start,
	})
	if err != nil {
		return nil, "", fmt.Errorf("dynamo: list %s: %w", pk, err)
	}
	items := make([]T, 0, len(res.Items))
	if err := attributevalue.UnmarshalListOfMaps(res.Items, &items); err != nil {
		return nil, "", fmt.Errorf("dynamo: decode %s: %w", pk, err)
	}
	next, err := encodeCursor(res.LastEvaluatedKey)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

func newTicketItem(t *clientzone.Ticket) ticketItem {
	return ticketItem{
		keys: keys{PK: customerPK(t.CustomerID), SK: ticketSK(t.ID),
			GSI1PK: ticketListPK(t.CustomerID, t.Status), GSI1SK: ticketSK(t.ID)},
		Ticket: *t,
	}
}

// CreateTicket stores a new ticket with its outbox entries in one
// transaction; a contract id must name a contract of the customer.
func (db *DB) CreateTicket(ctx context.Context, t *clientzone.Ticket, outbox ...*clientzone.Message) error {
	tx := db.NewTx()
	if t.ContractID != "" {
		if err := tx.checkContract(t.CustomerID, t.ContractID); err != nil {
			return err
		}
	}
	if err := tx.Put(newTicketItem(t), "attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	for _, o := range outbox {
		if err := tx.Outbox(o); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// Ticket returns ticket tid of customer cid (without its conversation).
func (db *DB) Ticket(ctx context.Context, cid, tid string) (*clientzone.Ticket, error) {
	var it ticketItem
	if err := db.get(ctx, customerPK(cid), ticketSK(tid), "Ticket", &it); err != nil {
		return nil, err
	}
	return &it.Ticket, nil
}

// TicketThread returns a ticket with its replies and attachments, oldest
// first: one GetItem and one Query.
func (db *DB) TicketThread(ctx context.Context, cid, tid string) (*clientzone.Ticket, []*clientzone.TicketReply, []*clientzone.TicketAttachment, error) {
	t, err := db.Ticket(ctx, cid, tid)
	if err != nil {
		return nil, nil, nil, err
	}
	replies := []*clientzone.TicketReply{}
	atts := []*clientzone.TicketAttachment{}
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: customerPK(cid)},
			":sk": &types.AttributeValueMemberS{Value: ticketItemsPrefix(tid)},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("dynamo: ticket thread: %w", err)
		}
		for _, raw := range page.Items {
			sk, _ := raw["sk"].(*types.AttributeValueMemberS)
			if sk == nil {
				continue
			}
			switch rest := strings.TrimPrefix(sk.Value, ticketItemsPrefix(tid)); {
			case strings.HasPrefix(rest, "R#"):
				var it replyItem
				if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
					return nil, nil, nil, fmt.Errorf("dynamo: decode reply: %w", err)
				}
				replies = append(replies, &it.TicketReply)
			case strings.HasPrefix(rest, "A#"):
				var it attachmentItem
				if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
					return nil, nil, nil, fmt.Errorf("dynamo: decode attachment: %w", err)
				}
				atts = append(atts, &it.TicketAttachment)
			}
		}
	}
	return t, replies, atts, nil
}

// Tickets lists a customer's tickets newest first: all of them (table
// Query), or the open or closed ones (GSI1).
func (db *DB) Tickets(ctx context.Context, cid, list string, limit int, cursor string) (*support.TicketPage, error) {
	var items []ticketItem
	var next string
	var err error
	switch list {
	case "":
		items, next, err = newestFirst[ticketItem](ctx, db, cid, "TICKET#", limit, cursor, "", nil)
	case "open":
		items, next, err = newestFirstGSI1[ticketItem](ctx, db, ticketListPK(cid, clientzone.TicketOpen), limit, cursor)
	case "closed":
		items, next, err = newestFirstGSI1[ticketItem](ctx, db, ticketListPK(cid, clientzone.TicketClosed), limit, cursor)
	default:
		return nil, clientzone.Errorf(clientzone.EINVALID, "Unknown ticket status %q.", list)
	}
	if err != nil {
		return nil, err
	}
	page := &support.TicketPage{Tickets: make([]*clientzone.Ticket, len(items)), NextCursor: next}
	for i := range items {
		page.Tickets[i] = &items[i].Ticket
	}
	return page, nil
}

// AddTicketReply adds a reply, claims its attachments (each once), moves
// the ticket to c.Status and writes the outbox entries, in one transaction.
// A ticket in none of c.From is support.ErrTicketClosed, an attachment
// that is not an unclaimed, unexpired one of the ticket
// support.ErrAttachmentUnusable.
func (db *DB) AddTicketReply(ctx context.Context, c support.TicketChange) error {
	r := c.Reply
	tx := db.NewTx()
	if err := db.ticketStatusUpdate(tx, c.CustomerID, r.TicketID, c.Status, c.From, c.At, true); err != nil {
		return err
	}
	if err := tx.Put(replyItem{keys: keys{PK: customerPK(c.CustomerID), SK: replySK(r.TicketID, r.ID)}, TicketReply: *r},
		"attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	for _, aid := range r.AttachmentIDs {
		// Claimed for good: the expiry of an unclaimed upload goes.
		if err := tx.Update(customerPK(c.CustomerID), attachmentSK(r.TicketID, aid), "SET ReplyID = :rid REMOVE #ttl",
			"attribute_exists(pk) AND attribute_not_exists(ReplyID) AND (attribute_not_exists(#ttl) OR #ttl > :now)",
			map[string]string{"#ttl": "ttl"}, map[string]any{":rid": r.ID, ":now": c.At.Unix()}, support.ErrAttachmentUnusable); err != nil {
			return err
		}
	}
	for _, o := range c.Outbox {
		if err := tx.Outbox(o); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// ticketStatusUpdate adds the update of a ticket's state (and list
// partition) to tx, conditional on its current state being one of from.
func (db *DB) ticketStatusUpdate(tx *Tx, cid, tid, status string, from []string, at time.Time, reply bool) error {
	set := "SET #st = :st, UpdatedAt = :at, gsi1pk = :list"
	values := map[string]any{":st": status, ":at": at.UTC(), ":list": ticketListPK(cid, status)}
	if reply {
		set += ", Replies = if_not_exists(Replies, :zero) + :one"
		values[":zero"], values[":one"] = 0, 1
	}
	if status == clientzone.TicketClosed {
		set += ", ClosedAt = :at"
	} else {
		set += " REMOVE ClosedAt"
	}
	var in []string
	for i, s := range from {
		k := fmt.Sprintf(":from%d", i)
		in = append(in, k)
		values[k] = s
	}
	cond := "attribute_exists(pk)"
	if len(in) > 0 {
		cond += " AND #st IN (" + strings.Join(in, ", ") + ")"
	}
	return tx.Update(customerPK(cid), ticketSK(tid), set, cond, map[string]string{"#st": "Status"}, values, support.ErrTicketClosed)
}

// CloseTicket closes a ticket that is not closed yet (else
// support.ErrTicketClosed), with its outbox entries.
func (db *DB) CloseTicket(ctx context.Context, cid, tid string, at time.Time, outbox ...*clientzone.Message) error {
	tx := db.NewTx()
	if err := db.ticketStatusUpdate(tx, cid, tid, clientzone.TicketClosed,
		[]string{clientzone.TicketOpen, clientzone.TicketAwaitingCustomer}, at, false); err != nil {
		return err
	}
	for _, o := range outbox {
		if err := tx.Outbox(o); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// PutTicketAttachment records an attachment about to be uploaded to a
// ticket that is not closed (else support.ErrTicketClosed), counting it
// against the ticket's support.MaxTicketAttachments (else
// support.ErrTooManyAttachments) in the same transaction. The item expires
// (DynamoDB TTL) after support.AttachmentClaimWindow unless a reply claims
// it.
func (db *DB) PutTicketAttachment(ctx context.Context, cid string, a *clientzone.TicketAttachment) error {
	tx := db.NewTx()
	if err := tx.Check(customerPK(cid), ticketSK(a.TicketID), "attribute_exists(pk) AND #st <> :closed",
		map[string]string{"#st": "Status"}, map[string]any{":closed": clientzone.TicketClosed}, support.ErrTicketClosed); err != nil {
		return err
	}
	if err := tx.Update(customerPK(cid), attachmentCountSK(a.TicketID), "ADD #n :one", "attribute_not_exists(#n) OR #n < :max",
		map[string]string{"#n": "Attachments"}, map[string]any{":one": 1, ":max": support.MaxTicketAttachments}, support.ErrTooManyAttachments); err != nil {
		return err
	}
	k := keys{PK: customerPK(cid), SK: attachmentSK(a.TicketID, a.ID), TTL: a.CreatedAt.Add(support.AttachmentClaimWindow).Unix()}
	if err := tx.Put(attachmentItem{keys: k, TicketAttachment: *a}, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// PutPromotion creates or replaces a promotion.
func (db *DB) PutPromotion(ctx context.Context, p *clientzone.Promotion) error {
	return db.put(ctx, promotionItem{keys: keys{PK: promoPK, SK: "PROMO#" + p.ID}, Promotion: *p})
}

// Promotions returns every promotion (one paginated Query on the PROMO
// partition; the caller picks the active ones).
func (db *DB) Promotions(ctx context.Context) ([]*clientzone.Promotion, error) {
	out := []*clientzone.Promotion{}
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: promoPK},
			":sk": &types.AttributeValueMemberS{Value: "PROMO#"},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: promotions: %w", err)
		}
		var items []promotionItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, fmt.Errorf("dynamo: decode promotions: %w", err)
		}
		for i := range items {
			out = append(out, &items[i].Promotion)
		}
	}
	return out, nil
}
