package app

import (
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/statuspage"
	"github.com/clientzone/clientzone/shared/support"
)

// Authorized messages, support tickets, promotions and the status-page
// back office.

func (d *Deps) messages() (*support.Messages, error) {
	return &support.Messages{Store: d.DB, Clock: d.Clock}, nil
}

// Tickets is the support ticket use case; the functions that touch
// attachments add the bucket (package files).
func (d *Deps) Tickets() (*support.Tickets, error) {
	return &support.Tickets{Store: d.DB, Clock: d.Clock}, nil
}

// MessagesList is GET /v1/messages.
func MessagesList(d *Deps) (httpapi.Handler, error) {
	svc, err := d.messages()
	return With(d, svc, err, httpapi.ListMessages)
}

// MessageCreate is POST /v1/messages.
func MessageCreate(d *Deps) (httpapi.Handler, error) {
	svc, err := d.messages()
	return With(d, svc, err, httpapi.CreateMessage)
}

// MessageGet is GET /v1/messages/{messageId}.
func MessageGet(d *Deps) (httpapi.Handler, error) {
	svc, err := d.messages()
	return With(d, svc, err, httpapi.GetMessage)
}

// MessageStatusUpdate is PUT /admin/v1/customers/{customerId}/messages/{messageId}/status (back office).
func MessageStatusUpdate(d *Deps) (httpapi.Handler, error) {
	svc, err := d.messages()
	return With(d, svc, err, httpapi.SetMessageStatus)
}

// TicketCreate is POST /v1/tickets.
func TicketCreate(d *Deps) (httpapi.Handler, error) {
	svc, err := d.Tickets()
	return With(d, svc, err, httpapi.CreateTicket)
}

// TicketsList is GET /v1/tickets.
func TicketsList(d *Deps) (httpapi.Handler, error) {
	svc, err := d.Tickets()
	return With(d, svc, err, httpapi.ListTickets)
}

// TicketClose is POST /v1/tickets/{ticketId}/close.
func TicketClose(d *Deps) (httpapi.Handler, error) {
	svc, err := d.Tickets()
	return With(d, svc, err, httpapi.CloseTicket)
}

// TicketStaffReply is POST /admin/v1/customers/{customerId}/tickets/{ticketId}/replies (back office).
func TicketStaffReply(d *Deps) (httpapi.Handler, error) {
	svc, err := d.Tickets()
	return With(d, svc, err, httpapi.StaffReplyTicket)
}

func (d *Deps) statusAdmin() (*statuspage.Admin, error) {
	return &statuspage.Admin{Store: d.DB, Clock: d.Clock, Changes: d.StatusChanges}, nil
}

// StatusComponentUpsert is PUT /admin/v1/status/components/{componentId} (back office).
func StatusComponentUpsert(d *Deps) (httpapi.Handler, error) {
	svc, err := d.statusAdmin()
	return With(d, svc, err, httpapi.UpsertStatusComponent)
}

// StatusIncidentUpsert is PUT /admin/v1/status/incidents/{incidentId} (back office).
func StatusIncidentUpsert(d *Deps) (httpapi.Handler, error) {
	svc, err := d.statusAdmin()
	return With(d, svc, err, httpapi.UpsertStatusIncident)
}

// promotions builds the promotions service with the configured
// documentation links (DOCUMENTATION_LINKS), else support.DefaultDocs.
func (d *Deps) promotions() (*support.Promotions, error) {
	docs := d.Config.DocumentationLinks
	if docs == nil {
		docs = support.DefaultDocs
	}
	return &support.Promotions{Store: d.DB, Clock: d.Clock, Docs: docs}, nil
}

// PromotionsList is GET /v1/promotions.
func PromotionsList(d *Deps) (httpapi.Handler, error) {
	svc, err := d.promotions()
	return With(d, svc, err, httpapi.ListPromotions)
}

// PromotionUpsert is PUT /admin/v1/promotions/{promotionId} (back office).
func PromotionUpsert(d *Deps) (httpapi.Handler, error) {
	svc, err := d.promotions()
	return With(d, svc, err, httpapi.UpsertPromotion)
}
