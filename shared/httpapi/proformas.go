package httpapi

import (
	"context"
	"net/http"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type proformaCreateRequest struct {
	Purpose   string            `json:"purpose" validate:"required,oneof=invoice top-up"`
	InvoiceID string            `json:"invoiceId" validate:"required_if=Purpose invoice,excluded_unless=Purpose invoice,max=64"`
	Amount    *clientzone.Money `json:"amount" validate:"required_if=Purpose top-up,excluded_unless=Purpose top-up"`
}

// CreateProforma serves POST /v1/proformas: a proforma (díjbekérő) for
// paying an unpaid invoice (amount = its total) or topping up the prepaid
// balance by bank transfer. Answers 201 with the proforma and the transfer
// instructions: the provider's IBAN, BIC and name, the proforma's variable
// symbol, amount, due date (14 days) and an EPC QR payload for banking
// apps. Idempotent (Idempotency-Key).
func CreateProforma(api *API, svc *billing.Proformas) Handler {
	return Handle(api, Endpoint[proformaCreateRequest, billing.ProformaView]{
		Route:      "POST /v1/proformas",
		Access:     Needs(clientzone.RightPayments),
		Status:     http.StatusCreated,
		Idempotent: true,
		Exec: func(ctx context.Context, req *proformaCreateRequest) (*billing.ProformaView, error) {
			cid := PrincipalOf(ctx).Person.CustomerID
			if req.Purpose == clientzone.ProformaForInvoice {
				return svc.ForInvoice(ctx, cid, req.InvoiceID)
			}
			return svc.TopUp(ctx, cid, *req.Amount)
		},
		Headers: func(p *billing.ProformaView) http.Header {
			return http.Header{"Location": {"/v1/proformas/" + p.ID}}
		},
	})
}

// ProformaList is the customer's proformas.
type ProformaList struct {
	Items []*billing.ProformaView `json:"items"`
}

// ListProformas serves GET /v1/proformas: the customer's proformas, newest
// first (at most 100); open ones with their transfer instructions.
func ListProformas(api *API, svc *billing.Proformas) Handler {
	return Handle(api, Endpoint[struct{}, ProformaList]{
		Route:  "GET /v1/proformas",
		Access: Needs(clientzone.RightPayments),
		Exec: func(ctx context.Context, _ *struct{}) (*ProformaList, error) {
			ps, err := svc.List(ctx, PrincipalOf(ctx).Person.CustomerID)
			if err != nil {
				return nil, err
			}
			return &ProformaList{Items: ps}, nil
		},
	})
}

type serviceRenewalRequest struct {
	ServiceID string `json:"-" path:"serviceId" validate:"required,max=64,excludesall=#"`
	Periods   int    `json:"periods" validate:"required,min=1,max=5"`
	Method    string `json:"method" validate:"required,oneof=card proforma"`
}

// ServiceRenewal is the answer of a renewal: a proforma to pay by transfer
// (the service is extended when it is credited), or a card checkout (the
// service is extended when the payment succeeds).
type ServiceRenewal struct {
	Method      string                `json:"method"`
	Proforma    *billing.ProformaView `json:"proforma,omitempty"`
	PaymentID   string                `json:"paymentId,omitempty"`
	CheckoutURL string                `json:"checkoutUrl,omitempty"`
}

// CardRenewal starts a card payment renewing a service for periods
// billing periods; it returns the payment id and the checkout URL. The
// payments area provides it; nil means card renewals are not offered.
type CardRenewal func(ctx context.Context, p *clientzone.Person, svc *clientzone.Service, periods int) (paymentID, checkoutURL string, err error)

// ErrCardRenewalUnavailable answers a card renewal where no card payment
// provider is wired.
var ErrCardRenewalUnavailable = clientzone.Errorf(clientzone.ECONFLICT, "Card renewal is not available; renew by proforma (bank transfer).")

// RenewService serves POST /v1/services/{serviceId}/renewals: renews a
// hosting, domain or cloud service (with an expiry date) of the customer
// for 1–5 billing periods, by proforma or by card. Another customer's
// service is 404; a service that cannot be renewed is 409. Idempotent.
func RenewService(api *API, svc *billing.Proformas, card CardRenewal) Handler {
	return Handle(api, Endpoint[serviceRenewalRequest, ServiceRenewal]{
		Route:      "POST /v1/services/{serviceId}/renewals",
		Access:     Needs(clientzone.RightPayments),
		Status:     http.StatusCreated,
		Idempotent: true,
		Exec: func(ctx context.Context, req *serviceRenewalRequest) (*ServiceRenewal, error) {
			p := PrincipalOf(ctx).Person
			if req.Method == "proforma" {
				pf, err := svc.Renewal(ctx, p.CustomerID, req.ServiceID, req.Periods)
				if err != nil {
					return nil, err
				}
				return &ServiceRenewal{Method: req.Method, Proforma: pf}, nil
			}
			s, err := svc.RenewableService(ctx, p.CustomerID, req.ServiceID)
			if err != nil {
				return nil, err
			}
			if card == nil {
				return nil, ErrCardRenewalUnavailable
			}
			id, url, err := card(ctx, p, s, req.Periods)
			if err != nil {
				return nil, err
			}
			return &ServiceRenewal{Method: req.Method, PaymentID: id, CheckoutURL: url}, nil
		},
	})
}

type bankStatementRequest struct {
	Format      string `json:"format" validate:"required,oneof=csv camt053"`
	Content     string `json:"content" validate:"required,max=900000"`
	StatementID string `json:"statementId" validate:"required,min=1,max=100,printascii,excludesall=: "`
}

// ImportBankStatement serves POST /admin/v1/bank-statements (back office):
// applies a bank statement's credits (CSV or camt.053) by variable symbol —
// open proformas, then unpaid invoices, then prepaid top-ups — and reports
// matched, unmatched and duplicate lines. Importing a statement again
// applies nothing twice.
func ImportBankStatement(api *API, svc *billing.Proformas) Handler {
	return Handle(api, Endpoint[bankStatementRequest, billing.ImportResult]{
		Route:  "POST /admin/v1/bank-statements",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *bankStatementRequest) (*billing.ImportResult, error) {
			lines, err := billing.ParseStatement(req.Format, req.Content)
			if err != nil {
				return nil, err
			}
			return svc.ImportStatement(ctx, req.StatementID, lines)
		},
	})
}
