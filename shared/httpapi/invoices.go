package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type listInvoicesRequest struct {
	Status string `query:"status" validate:"omitempty,oneof=unpaid overdue paid cancelled"`
	Limit  *int   `query:"limit" validate:"omitempty,min=1,max=100"`
	Cursor string `query:"cursor" validate:"max=2048"`
}

// InvoiceList is a page of invoices.
type InvoiceList struct {
	Items      []*clientzone.Invoice `json:"items"`
	NextCursor string                `json:"nextCursor,omitempty"`
}

// ListInvoices serves GET /v1/invoices: newest first, optionally one status
// ("unpaid" includes overdue ones), cursor-paginated.
func ListInvoices(api *API, svc *billing.Service) Handler {
	return Handle(api, Endpoint[listInvoicesRequest, InvoiceList]{
		Route:  "GET /v1/invoices",
		Access: Needs(clientzone.RightInvoices),
		Exec: func(ctx context.Context, req *listInvoicesRequest) (*InvoiceList, error) {
			p, _ := clientzone.PrincipalFrom(ctx)
			limit := 0
			if req.Limit != nil {
				limit = *req.Limit
			}
			page, err := svc.ListInvoices(ctx, p.Person.CustomerID, clientzone.InvoiceStatus(req.Status), limit, req.Cursor)
			if err != nil {
				return nil, err
			}
			return &InvoiceList{Items: page.Invoices, NextCursor: page.NextCursor}, nil
		},
	})
}
