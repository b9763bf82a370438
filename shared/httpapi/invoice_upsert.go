package httpapi

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/backoffice"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type moneyInput struct {
	Amount   *int64 `json:"amount" validate:"required,min=0"`
	Currency string `json:"currency" validate:"required,iso4217"`
}

func (m moneyInput) money() clientzone.Money {
	var amt int64
	if m.Amount != nil {
		amt = *m.Amount
	}
	return clientzone.Money{Amount: amt, Currency: m.Currency}
}

type invoiceLineInput struct {
	Description string     `json:"description" validate:"required,max=300"`
	Quantity    int        `json:"quantity" validate:"min=1,max=1000000"`
	UnitPrice   moneyInput `json:"unitPrice" validate:"required"`
	Total       moneyInput `json:"total" validate:"required"`
}

type invoiceUpsertRequest struct {
	CustomerID     string             `json:"-" path:"customerId" validate:"required,max=64,printascii,excludesall=#/"`
	InvoiceID      string             `json:"-" path:"invoiceId" validate:"required,ulid"`
	Number         string             `json:"number" validate:"required,max=64"`
	ContractID     string             `json:"contractId" validate:"max=64,excludesall=#"`
	Status         string             `json:"status" validate:"required,oneof=unpaid paid cancelled"`
	IssuedOn       string             `json:"issuedOn" validate:"required,datetime=2006-01-02"`
	DueOn          string             `json:"dueOn" validate:"required,datetime=2006-01-02"`
	PaidAt         *time.Time         `json:"paidAt"`
	Total          moneyInput         `json:"total" validate:"required"`
	VAT            moneyInput         `json:"vat" validate:"required"`
	VariableSymbol string             `json:"variableSymbol" validate:"omitempty,number,max=10"`
	Lines          []invoiceLineInput `json:"lines" validate:"max=500,dive"`
}

// UpsertedInvoice is an invoice as the back office wrote it.
type UpsertedInvoice struct {
	CustomerID string `json:"customerId"`
	*clientzone.Invoice
	created bool
}

// StatusCode is 201 for a created invoice, 200 for a replaced one.
func (u *UpsertedInvoice) StatusCode() int { return createdStatus(u.created) }

// InvoiceUpsert serves PUT /admin/v1/customers/{customerId}/invoices/{invoiceId}
// (back office): the billing system creates (201) or replaces (200) an
// invoice under its ULID; the status (unpaid, paid, cancelled) and due-date
// indexes follow. A payment the client zone recorded is never undone: a
// paid invoice cannot become unpaid or cancelled or change its total, and a
// cancelled one cannot be reopened (409). Invoice numbers are unique in the
// deployment: a number another invoice has is a 409 on number. Unknown
// customer: 404.
func InvoiceUpsert(api *API, svc *backoffice.Service) Handler {
	return Handle(api, Endpoint[invoiceUpsertRequest, UpsertedInvoice]{
		Route:  "PUT /admin/v1/customers/{customerId}/invoices/{invoiceId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *invoiceUpsertRequest) (*UpsertedInvoice, error) {
			inv := &clientzone.Invoice{ID: req.InvoiceID, CustomerID: req.CustomerID, Number: req.Number, ContractID: req.ContractID,
				Status: clientzone.InvoiceStatus(req.Status), IssuedOn: req.IssuedOn, DueOn: req.DueOn, PaidAt: req.PaidAt,
				Total: req.Total.money(), VAT: req.VAT.money(), VariableSymbol: req.VariableSymbol}
			for _, l := range req.Lines {
				inv.Lines = append(inv.Lines, clientzone.InvoiceLine{Description: l.Description, Quantity: l.Quantity,
					UnitPrice: l.UnitPrice.money(), Total: l.Total.money()})
			}
			created, out, err := svc.UpsertInvoice(ctx, backOfficeActor(ctx), inv)
			if err != nil {
				return nil, err
			}
			return &UpsertedInvoice{CustomerID: req.CustomerID, Invoice: out, created: created}, nil
		},
	})
}
