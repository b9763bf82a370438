package httpapi

import (
	"context"
	"net/http"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/support"
)

type ticketCreateRequest struct {
	Category   string `json:"category" validate:"required,oneof=technical billing account other"`
	ContractID string `json:"contractId" validate:"max=64,excludesall=#"`
	Subject    string `json:"subject" validate:"required,max=200"`
	Body       string `json:"body" validate:"required,max=10000"`
}

// CreateTicket serves POST /v1/tickets: opens a support ticket (optionally
// for one of the customer's contracts) and queues the EventBridge event
// clientzone.ticket.created. Answers 201.
func CreateTicket(api *API, svc *support.Tickets) Handler {
	return Handle(api, Endpoint[ticketCreateRequest, clientzone.Ticket]{
		Route:  "POST /v1/tickets",
		Access: Needs(clientzone.RightTickets),
		Status: http.StatusCreated,
		Exec: func(ctx context.Context, req *ticketCreateRequest) (*clientzone.Ticket, error) {
			return svc.Create(ctx, PrincipalOf(ctx).Person, support.NewTicket{
				Category: req.Category, ContractID: req.ContractID, Subject: req.Subject, Body: req.Body,
			})
		},
		Headers: func(t *clientzone.Ticket) http.Header {
			return http.Header{"Location": {"/v1/tickets/" + t.ID}}
		},
	})
}

type ticketListRequest struct {
	Status string `query:"status" validate:"omitempty,oneof=open closed"`
	Limit  *int   `query:"limit" validate:"omitempty,min=1,max=100"`
	Cursor string `query:"cursor" validate:"max=2048"`
}

// TicketList is a page of tickets.
type TicketList struct {
	Items      []*clientzone.Ticket `json:"items"`
	NextCursor string               `json:"nextCursor,omitempty"`
}

// ListTickets serves GET /v1/tickets: the customer's tickets newest first,
// optionally only open (open or awaiting_customer) or closed ones,
// cursor-paginated.
func ListTickets(api *API, svc *support.Tickets) Handler {
	return Handle(api, Endpoint[ticketListRequest, TicketList]{
		Route:  "GET /v1/tickets",
		Access: Needs(clientzone.RightTickets),
		Exec: func(ctx context.Context, req *ticketListRequest) (*TicketList, error) {
			page, err := svc.List(ctx, PrincipalOf(ctx).Person.CustomerID, req.Status, intOr0(req.Limit), req.Cursor)
			if err != nil {
				return nil, err
			}
			return &TicketList{Items: page.Tickets, NextCursor: page.NextCursor}, nil
		},
	})
}

type ticketRequest struct {
	TicketID string `path:"ticketId" validate:"required,max=64"`
}

// GetTicket serves GET /v1/tickets/{ticketId}: a ticket with its replies
// and attachments, oldest first; attachments referenced by a reply carry a
// presigned download link valid 5 minutes.
func GetTicket(api *API, svc *support.Tickets) Handler {
	return Handle(api, Endpoint[ticketRequest, support.TicketView]{
		Route:  "GET /v1/tickets/{ticketId}",
		Access: Needs(clientzone.RightTickets),
		Exec: func(ctx context.Context, req *ticketRequest) (*support.TicketView, error) {
			return svc.Get(ctx, PrincipalOf(ctx).Person.CustomerID, req.TicketID)
		},
	})
}

type ticketReplyRequest struct {
	TicketID      string   `path:"ticketId" validate:"required,max=64"`
	Body          string   `json:"body" validate:"required,max=10000"`
	AttachmentIDs []string `json:"attachmentIds" validate:"max=10,dive,required,max=64"`
}

// ReplyTicket serves POST /v1/tickets/{ticketId}/replies: the customer's
// reply, with attachments uploaded before (by id). A ticket awaiting the
// customer is reopened; a closed ticket is 409. Queues the EventBridge
// event clientzone.ticket.reply. Answers 201 with the whole ticket.
func ReplyTicket(api *API, svc *support.Tickets) Handler {
	return Handle(api, Endpoint[ticketReplyRequest, support.TicketView]{
		Route:  "POST /v1/tickets/{ticketId}/replies",
		Access: Needs(clientzone.RightTickets),
		Status: http.StatusCreated,
		Exec: func(ctx context.Context, req *ticketReplyRequest) (*support.TicketView, error) {
			return svc.Reply(ctx, PrincipalOf(ctx).Person, req.TicketID, req.Body, req.AttachmentIDs)
		},
	})
}

// CloseTicket serves POST /v1/tickets/{ticketId}/close: closes the ticket
// (409 when it is closed already) and queues clientzone.ticket.closed.
func CloseTicket(api *API, svc *support.Tickets) Handler {
	return Handle(api, Endpoint[ticketRequest, clientzone.Ticket]{
		Route:  "POST /v1/tickets/{ticketId}/close",
		Access: Needs(clientzone.RightTickets),
		Exec: func(ctx context.Context, req *ticketRequest) (*clientzone.Ticket, error) {
			return svc.Close(ctx, PrincipalOf(ctx).Person.CustomerID, req.TicketID)
		},
	})
}

type ticketAttachmentRequest struct {
	TicketID    string `path:"ticketId" validate:"required,max=64"`
	FileName    string `json:"fileName" validate:"required,max=200"`
	ContentType string `json:"contentType" validate:"required,oneof=application/pdf image/png image/jpeg text/plain"`
	Size        int64  `json:"size" validate:"required,min=1,max=10485760"`
}

// UploadTicketAttachment serves POST /v1/tickets/{ticketId}/attachments:
// records an attachment of an open ticket and answers 201 with its id and
// a presigned S3 PUT URL (valid 10 minutes) that accepts exactly the
// declared content type (PDF, PNG, JPEG or plain text) and size (at most
// 10 MiB). A reply then lists the id in attachmentIds.
func UploadTicketAttachment(api *API, svc *support.Tickets) Handler {
	return Handle(api, Endpoint[ticketAttachmentRequest, support.AttachmentUpload]{
		Route:  "POST /v1/tickets/{ticketId}/attachments",
		Access: Needs(clientzone.RightTickets),
		Status: http.StatusCreated,
		Exec: func(ctx context.Context, req *ticketAttachmentRequest) (*support.AttachmentUpload, error) {
			return svc.Attachment(ctx, PrincipalOf(ctx).Person.CustomerID, req.TicketID, support.NewAttachment{
				FileName: req.FileName, ContentType: req.ContentType, Size: req.Size,
			})
		},
	})
}

type staffReplyRequest struct {
	CustomerID string `path:"customerId" validate:"required,max=64"`
	TicketID   string `path:"ticketId" validate:"required,max=64"`
	Body       string `json:"body" validate:"required,max=10000"`
	StaffName  string `json:"staffName" validate:"max=100"`
	Status     string `json:"status" validate:"omitempty,oneof=open awaiting_customer closed"`
}

// StaffReplyTicket serves POST /admin/v1/customers/{customerId}/tickets/{ticketId}/replies
// (back office): the provider's answer. The ticket moves to status
// (default awaiting_customer; closed closes it, open keeps it with
// support; a closed ticket can be reopened), its author gets an email in
// their language, and clientzone.ticket.staff_reply is queued. Answers 201.
func StaffReplyTicket(api *API, svc *support.Tickets) Handler {
	return Handle(api, Endpoint[staffReplyRequest, support.TicketView]{
		Route:  "POST /admin/v1/customers/{customerId}/tickets/{ticketId}/replies",
		Access: BackOffice,
		Status: http.StatusCreated,
		Exec: func(ctx context.Context, req *staffReplyRequest) (*support.TicketView, error) {
			return svc.StaffReply(ctx, req.CustomerID, req.TicketID, req.StaffName, req.Body, req.Status)
		},
	})
}
