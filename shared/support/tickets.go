package support

import (
	"context"
	"errors"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// TicketStore keeps tickets; shared/dynamo implements it.
type TicketStore interface {
	// CreateTicket stores t with its outbox entries; a contract id must
	// name a contract of the customer (else NotFound).
	CreateTicket(ctx context.Context, t *clientzone.Ticket, outbox ...*clientzone.Message) error
	Ticket(ctx context.Context, cid, tid string) (*clientzone.Ticket, error)
	TicketThread(ctx context.Context, cid, tid string) (*clientzone.Ticket, []*clientzone.TicketReply, []*clientzone.TicketAttachment, error)
	// Tickets lists all ("") or the "open" or "closed" tickets.
	Tickets(ctx context.Context, cid, list string, limit int, cursor string) (*TicketPage, error)
	// AddTicketReply writes c: ErrTicketClosed when the ticket is not in
	// one of c.From, ErrAttachmentUnusable when an attachment is not an
	// unclaimed, unexpired one of the ticket.
	AddTicketReply(ctx context.Context, c TicketChange) error
	// CloseTicket closes an open or awaiting ticket (else ErrTicketClosed).
	CloseTicket(ctx context.Context, cid, tid string, at time.Time, outbox ...*clientzone.Message) error
	// PutTicketAttachment records a new attachment of a ticket that is not
	// closed (else ErrTicketClosed), at most MaxTicketAttachments per
	// ticket (else ErrTooManyAttachments), unclaimed until a reply claims
	// it and gone after AttachmentClaimWindow otherwise.
	PutTicketAttachment(ctx context.Context, cid string, a *clientzone.TicketAttachment) error
	Person(ctx context.Context, cid, pid string) (*clientzone.Person, error)
}

// TicketPage is one page of tickets, newest first.
type TicketPage struct {
	Tickets    []*clientzone.Ticket
	NextCursor string
}

// TicketChange is a reply added to a ticket: the reply, the state the
// ticket moves to, and the outbox entries it causes.
type TicketChange struct {
	CustomerID string
	Reply      *clientzone.TicketReply
	// From lists the states the ticket must be in (else ErrTicketClosed).
	From   []string
	Status string
	At     time.Time
	Outbox []*clientzone.Message
}

// Attachment limits: a ticket gets at most MaxTicketAttachments
// attachments (uploads started, claimed or not), and an attachment that no
// reply claims within AttachmentClaimWindow expires (it is hidden and
// unclaimable from then on, and the store deletes it eventually).
const (
	MaxTicketAttachments  = 20
	AttachmentClaimWindow = 24 * time.Hour
)

// Ticket errors.
var (
	// ErrTicketClosed is the conflict of changing a closed ticket.
	ErrTicketClosed = clientzone.Errorf(clientzone.ECONFLICT, "This ticket is closed.")
	// ErrTooManyAttachments is the conflict of a ticket's attachment past
	// MaxTicketAttachments.
	ErrTooManyAttachments = clientzone.Errorf(clientzone.ECONFLICT, "A ticket can have at most %d attachments.", MaxTicketAttachments)
	// ErrAttachmentUnusable answers a reply naming an attachment that is
	// not this ticket's, is already part of another reply or expired.
	ErrAttachmentUnusable = &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: "attachmentIds", Code: "invalid", Message: "An attachment is unknown or already used."}}}
)

// Uploads presigns attachment uploads; *s3store.Store implements it.
type Uploads interface {
	// PresignPut returns a PUT URL for key valid for ttl that accepts only
	// a body of exactly size bytes sent with contentType, and the headers
	// the upload must carry (Content-Type, the pending tag).
	PresignPut(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (string, map[string]string, error)
}

// Objects reports and claims uploaded objects; *s3store.Store implements
// it.
type Objects interface {
	// ObjectSize returns the size of the object at key, or a not-found
	// error when nothing was uploaded there.
	ObjectSize(ctx context.Context, key string) (int64, error)
	// Claim removes the pending tag of the object at key, so the bucket's
	// lifecycle rule of abandoned uploads no longer deletes it.
	Claim(ctx context.Context, key string) error
}

// Downloads presigns attachment downloads; *s3store.Store implements it.
type Downloads interface {
	PresignGetFile(ctx context.Context, key string, ttl time.Duration, filename, contentType string) (string, error)
}

// DownloadTTL is how long an attachment download link is valid.
const DownloadTTL = 5 * time.Minute

// UploadTTL is how long an attachment upload URL is valid.
const UploadTTL = 10 * time.Minute

// Tickets implements support tickets.
type Tickets struct {
	Store   TicketStore
	Uploads Uploads // only the attachment upload needs it
	// Downloads, when set, adds download links to the attachments that a
	// reply references (only those were uploaded for good).
	Downloads Downloads
	// Objects checks, when a reply claims attachments, that each was
	// uploaded with its declared size (only the reply needs it).
	Objects Objects
	Clock   clientzone.Clock
}

// NewTicket is what a person opens a ticket with.
type NewTicket struct {
	Category   string
	ContractID string
	Subject    string
	Body       string
}

// TicketView is a ticket with its conversation.
type TicketView struct {
	*clientzone.Ticket
	Replies     []*clientzone.TicketReply      `json:"replies"`
	Attachments []*clientzone.TicketAttachment `json:"attachments"`
}

// ticketEvent is the detail of the clientzone.ticket.* events.
type ticketEvent struct {
	TicketID   string                  `json:"ticketId"`
	CustomerID string                  `json:"customerId"`
	ContractID string                  `json:"contractId,omitempty"`
	Category   string                  `json:"category"`
	Subject    string                  `json:"subject"`
	Status     string                  `json:"status"`
	Body       string                  `json:"body,omitempty"`
	Reply      *clientzone.TicketReply `json:"reply,omitempty"`
}

func detailOf(t *clientzone.Ticket) ticketEvent {
	return ticketEvent{TicketID: t.ID, CustomerID: t.CustomerID, ContractID: t.ContractID, Category: t.Category, Subject: t.Subject, Status: t.Status}
}

// Create opens a ticket for person p (a contract id must be the
// customer's) and publishes clientzone.ticket.created.
func (s *Tickets) Create(ctx context.Context, p *clientzone.Person, in NewTicket) (*clientzone.Ticket, error) {
	now := s.Clock.Now().UTC()
	t := &clientzone.Ticket{
		ID: clientzone.NewID(), CustomerID: p.CustomerID, AuthorID: p.ID, ContractID: in.ContractID,
		Category: in.Category, Subject: in.Subject, Body: in.Body, Status: clientzone.TicketOpen,
		CreatedAt: now, UpdatedAt: now,
	}
	d := detailOf(t)
	d.Body = t.Body
	ev, err := Event(TicketCreated, d, t.CustomerID, now)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateTicket(ctx, t, ev); err != nil {
		return nil, err
	}
	return t, nil
}

// List returns one page of the customer's tickets, newest first, all or
// only "open" or "closed" ones.
func (s *Tickets) List(ctx context.Context, cid, list string, limit int, cursor string) (*TicketPage, error) {
	if limit <= 0 {
		limit = 20
	}
	return s.Store.Tickets(ctx, cid, list, limit, cursor)
}

// Get returns a ticket of customer cid with its replies and attachments.
func (s *Tickets) Get(ctx context.Context, cid, tid string) (*TicketView, error) {
	t, replies, atts, err := s.Store.TicketThread(ctx, cid, tid)
	if err != nil {
		return nil, err
	}
	// Unclaimed uploads past their claim window are gone (DynamoDB TTL
	// deletes them eventually).
	now := s.Clock.Now()
	atts = slices.DeleteFunc(atts, func(a *clientzone.TicketAttachment) bool { return expired(a, now) })
	if s.Downloads != nil {
		for _, a := range atts {
			if a.ReplyID == "" {
				continue
			}
			if a.DownloadURL, err = s.Downloads.PresignGetFile(ctx, a.Key, DownloadTTL, a.FileName, a.ContentType); err != nil {
				return nil, err
			}
		}
	}
	return &TicketView{Ticket: t, Replies: replies, Attachments: atts}, nil
}

// Reply adds person p's reply (with uploaded attachments of this ticket)
// to an open ticket; a ticket awaiting the customer is reopened, a closed
// one is 409. Publishes clientzone.ticket.reply.
func (s *Tickets) Reply(ctx context.Context, p *clientzone.Person, tid, body string, attachmentIDs []string) (*TicketView, error) {
	t, err := s.Store.Ticket(ctx, p.CustomerID, tid)
	if err != nil {
		return nil, err
	}
	if t.Status == clientzone.TicketClosed {
		return nil, ErrTicketClosed
	}
	now := s.Clock.Now().UTC()
	r := &clientzone.TicketReply{ID: clientzone.NewID(), TicketID: tid, By: clientzone.ReplyByCustomer, PersonID: p.ID,
		Body: body, AttachmentIDs: dedupe(attachmentIDs), CreatedAt: now}
	if err := s.claimUploads(ctx, p.CustomerID, tid, r.AttachmentIDs); err != nil {
		return nil, err
	}
	t.Status = clientzone.TicketOpen
	d := detailOf(t)
	d.Reply = r
	ev, err := Event(TicketReplied, d, t.CustomerID, now)
	if err != nil {
		return nil, err
	}
	err = s.Store.AddTicketReply(ctx, TicketChange{
		CustomerID: p.CustomerID, Reply: r, Status: clientzone.TicketOpen, At: now, Outbox: []*clientzone.Message{ev},
		From: []string{clientzone.TicketOpen, clientzone.TicketAwaitingCustomer},
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p.CustomerID, tid)
}

// StaffReply adds the provider's answer to a ticket of customer cid and
// moves it to status (default awaiting_customer; closed closes it). The
// ticket's author gets an email in their language. A closed ticket is 409
// unless status reopens it.
func (s *Tickets) StaffReply(ctx context.Context, cid, tid, staffName, body, status string) (*TicketView, error) {
	t, err := s.Store.Ticket(ctx, cid, tid)
	if err != nil {
		return nil, err
	}
	if status == "" {
		status = clientzone.TicketAwaitingCustomer
	}
	from := []string{clientzone.TicketOpen, clientzone.TicketAwaitingCustomer}
	if status != clientzone.TicketClosed {
		from = append(from, clientzone.TicketClosed) // staff may reopen
	}
	if !slices.Contains(from, t.Status) {
		return nil, ErrTicketClosed
	}
	now := s.Clock.Now().UTC()
	r := &clientzone.TicketReply{ID: clientzone.NewID(), TicketID: tid, By: clientzone.ReplyByStaff, StaffName: staffName, Body: body, CreatedAt: now}
	t.Status = status
	d := detailOf(t)
	d.Reply = r
	ev, err := Event(TicketStaffReplied, d, cid, now)
	if err != nil {
		return nil, err
	}
	outbox := []*clientzone.Message{ev}
	author, err := s.Store.Person(ctx, cid, t.AuthorID)
	switch {
	case err == nil && !author.Disabled && author.Email != "":
		outbox = append(outbox, &clientzone.Message{
			Channel: clientzone.ChannelEmail, To: author.Email, Template: "ticket-reply", Language: author.Language,
			Data:       ticketReplyData(author.Name, t.Subject, t.ID, staffName, body, status),
			CustomerID: cid, PersonID: author.ID, CreatedAt: now,
		})
	case err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND:
		return nil, err
	}
	if err := s.Store.AddTicketReply(ctx, TicketChange{CustomerID: cid, Reply: r, Status: status, From: from, At: now, Outbox: outbox}); err != nil {
		return nil, err
	}
	return s.Get(ctx, cid, tid)
}

// Close closes a ticket of the customer (409 when already closed) and
// publishes clientzone.ticket.closed.
func (s *Tickets) Close(ctx context.Context, cid, tid string) (*clientzone.Ticket, error) {
	t, err := s.Store.Ticket(ctx, cid, tid)
	if err != nil {
		return nil, err
	}
	if t.Status == clientzone.TicketClosed {
		return nil, ErrTicketClosed
	}
	now := s.Clock.Now().UTC()
	t.Status, t.UpdatedAt, t.ClosedAt = clientzone.TicketClosed, now, &now
	ev, err := Event(TicketClosed, detailOf(t), cid, now)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CloseTicket(ctx, cid, tid, now, ev); err != nil {
		return nil, err
	}
	return t, nil
}

// NewAttachment is an attachment a person is about to upload.
type NewAttachment struct {
	FileName    string
	ContentType string
	Size        int64
}

// AttachmentUpload is where and how to upload an attachment.
type AttachmentUpload struct {
	Attachment *clientzone.TicketAttachment `json:"attachment"`
	// UploadURL takes one PUT of exactly Size bytes with the Headers.
	UploadURL string `json:"uploadUrl"`
	Method    string `json:"method"`
	// Headers are all signed: Content-Type and x-amz-tagging (the pending
	// tag, which the claiming reply removes; the bucket deletes unclaimed
	// uploads after 2 days).
	Headers   map[string]string `json:"headers"`
	ExpiresAt time.Time         `json:"expiresAt"`
}

// AttachmentKey is the S3 key of an attachment.
func AttachmentKey(cid, tid, aid string) string {
	return "attachments/" + cid + "/" + tid + "/" + aid
}

// Attachment records an attachment of an open ticket of customer cid and
// returns a presigned PUT URL bound to its content type and size; a reply
// then references it by id.
func (s *Tickets) Attachment(ctx context.Context, cid, tid string, in NewAttachment) (*AttachmentUpload, error) {
	now := s.Clock.Now().UTC()
	a := &clientzone.TicketAttachment{
		ID: clientzone.NewID(), TicketID: tid, FileName: cleanName(in.FileName), ContentType: in.ContentType, Size: in.Size,
		CreatedAt: now,
	}
	a.Key = AttachmentKey(cid, tid, a.ID)
	if _, err := s.Store.Ticket(ctx, cid, tid); err != nil {
		return nil, err
	}
	if err := s.Store.PutTicketAttachment(ctx, cid, a); err != nil {
		return nil, err
	}
	url, headers, err := s.Uploads.PresignPut(ctx, a.Key, a.ContentType, a.Size, UploadTTL)
	if err != nil {
		return nil, err
	}
	return &AttachmentUpload{Attachment: a, UploadURL: url, Method: "PUT", ExpiresAt: now.Add(UploadTTL), Headers: headers}, nil
}

// Attachment upload errors of a reply (400 on attachmentIds).
var (
	ErrAttachmentNotUploaded = &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: "attachmentIds", Code: "not_uploaded", Message: "An attachment was not uploaded."}}}
	ErrAttachmentSizeMismatch = &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: "attachmentIds", Code: "size", Message: "An uploaded attachment does not have its declared size."}}}
)

// claimUploads makes sure that every attachment a reply claims is an
// unclaimed attachment of the ticket whose object exists with the declared
// size: a presigned URL that was never used (or an object replaced
// otherwise) cannot be attached. Then it removes the pending tag of each
// object (Objects.Claim), so the lifecycle rule of abandoned uploads keeps
// it. The claim itself is conditional in the reply's transaction, which
// comes after: should it fail, the objects are merely untagged orphans
// (kept; a retried reply still claims them, as the items are unclaimed).
// The reverse order could lose a claimed file: a reply recorded whose tag
// removal then failed would be deleted by the lifecycle rule.
func (s *Tickets) claimUploads(ctx context.Context, cid, tid string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if s.Objects == nil {
		return errors.New("support: Tickets.Objects is needed to claim attachments")
	}
	_, _, atts, err := s.Store.TicketThread(ctx, cid, tid)
	if err != nil {
		return err
	}
	var keys []string
	for _, id := range ids {
		i := slices.IndexFunc(atts, func(a *clientzone.TicketAttachment) bool { return a.ID == id })
		if i < 0 || atts[i].ReplyID != "" || expired(atts[i], s.Clock.Now()) {
			return ErrAttachmentUnusable
		}
		size, err := s.Objects.ObjectSize(ctx, atts[i].Key)
		switch {
		case clientzone.ErrorCode(err) == clientzone.ENOTFOUND:
			return ErrAttachmentNotUploaded
		case err != nil:
			return err
		case size != atts[i].Size:
			return ErrAttachmentSizeMismatch
		}
		keys = append(keys, atts[i].Key)
	}
	// Only once all are checked: a refused reply untags none.
	for _, key := range keys {
		err := s.Objects.Claim(ctx, key)
		switch {
		case clientzone.ErrorCode(err) == clientzone.ENOTFOUND:
			return ErrAttachmentNotUploaded
		case err != nil:
			return err
		}
	}
	return nil
}

// expired reports whether a is an upload no reply claimed within
// AttachmentClaimWindow.
func expired(a *clientzone.TicketAttachment, now time.Time) bool {
	return a.ReplyID == "" && !now.Before(a.CreatedAt.Add(AttachmentClaimWindow))
}

// cleanName keeps the base name of a client's file name, without control
// characters.
func cleanName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return '_'
		}
		return r
	}, name)
	name = path.Base(strings.TrimSpace(name))
	if name == "." || name == "/" || name == "" {
		name = "attachment"
	}
	return name
}

func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// ticketReplyData fills the "ticket-reply" email template.
func ticketReplyData(name, subject, tid, staff, reply, status string) map[string]string {
	d := map[string]string{"name": name, "subject": subject, "ticketId": tid, "reply": reply}
	if staff != "" {
		d["staff"] = staff
	}
	if status == clientzone.TicketClosed {
		d["closed"] = "yes"
	}
	return d
}
