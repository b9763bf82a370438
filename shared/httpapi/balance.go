package httpapi

import (
	"context"
	"net/http"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Prepaid balance, transactions and autopay (right "payments"); direct
// debit and standing-order information (admins, authorization PIN); invoice
// correction requests (admins).

func billingActor(ctx context.Context) billing.Actor {
	p := PrincipalOf(ctx).Person
	c := ClientFrom(ctx)
	return billing.Actor{CustomerID: p.CustomerID, PersonID: p.ID, IP: c.IP, UserAgent: c.UserAgent}
}

// Balance serves GET /v1/balance: the prepaid balance (zero in the
// customer's currency before the first entry) and the autopay setting.
func Balance(api *API, svc *billing.Prepaid) Handler {
	return Handle(api, Endpoint[struct{}, billing.BalanceView]{
		Route:  "GET /v1/balance",
		Access: Needs(clientzone.RightPayments),
		Exec: func(ctx context.Context, _ *struct{}) (*billing.BalanceView, error) {
			return svc.Balance(ctx, PrincipalOf(ctx).Person.CustomerID)
		},
	})
}

type transactionsRequest struct {
	Kind   string `query:"kind" validate:"omitempty,oneof=top-up payment charge fee refund adjustment"`
	Limit  *int   `query:"limit" validate:"omitempty,min=1,max=100"`
	Cursor string `query:"cursor" validate:"max=2048"`
}

// TransactionList is a page of ledger transactions.
type TransactionList struct {
	Items      []clientzone.Transaction `json:"items"`
	NextCursor string                   `json:"nextCursor,omitempty"`
}

// Transactions serves GET /v1/transactions: the prepaid balance's history
// newest first, limit 1–100 (default 20), cursor-paginated, optionally one
// kind. With a kind filter a page can hold fewer items than the limit (even
// none) while nextCursor is still set: keep following nextCursor until it
// is absent.
func Transactions(api *API, svc *billing.Prepaid) Handler {
	return Handle(api, Endpoint[transactionsRequest, TransactionList]{
		Route:  "GET /v1/transactions",
		Access: Needs(clientzone.RightPayments),
		Exec: func(ctx context.Context, req *transactionsRequest) (*TransactionList, error) {
			limit := 0
			if req.Limit != nil {
				limit = *req.Limit
			}
			page, err := svc.Transactions(ctx, PrincipalOf(ctx).Person.CustomerID, req.Kind, limit, req.Cursor)
			if err != nil {
				return nil, err
			}
			return &TransactionList{Items: page.Transactions, NextCursor: page.NextCursor}, nil
		},
	})
}

type autopayRequest struct {
	Method    string            `json:"method" validate:"required,oneof=balance"`
	Threshold *clientzone.Money `json:"threshold"`
}

// AutopayEnable serves PUT /v1/autopay: unpaid invoices are then paid
// automatically from the prepaid balance when it covers them (by the daily
// scheduler), optionally only up to threshold.
func AutopayEnable(api *API, svc *billing.Prepaid) Handler {
	return Handle(api, Endpoint[autopayRequest, clientzone.Autopay]{
		Route:  "PUT /v1/autopay",
		Access: Needs(clientzone.RightPayments),
		Exec: func(ctx context.Context, req *autopayRequest) (*clientzone.Autopay, error) {
			return svc.EnableAutopay(ctx, billingActor(ctx), req.Method, req.Threshold)
		},
	})
}

// AutopayDisable serves DELETE /v1/autopay; answers 200 {"enabled": false}.
func AutopayDisable(api *API, svc *billing.Prepaid) Handler {
	return Handle(api, Endpoint[struct{}, clientzone.Autopay]{
		Route:  "DELETE /v1/autopay",
		Access: Needs(clientzone.RightPayments),
		Exec: func(ctx context.Context, _ *struct{}) (*clientzone.Autopay, error) {
			return svc.DisableAutopay(ctx, billingActor(ctx))
		},
	})
}

type directDebitRequest struct {
	PIN             string `json:"pin" validate:"max=64"`
	IBAN            string `json:"iban" validate:"required,max=64"`
	AccountHolder   string `json:"accountHolder" validate:"required,max=140"`
	MandateAccepted bool   `json:"mandateAccepted"`
}

// DirectDebitSetup serves PUT /v1/customer/direct-debit (admins, with the
// authorization PIN): checks the IBAN (ISO 13616), stores an active SEPA
// mandate replacing any previous one, emails the customer, and answers the
// mandate with the IBAN masked. mandateAccepted must be true.
func DirectDebitSetup(api *API, svc *billing.DirectDebit) Handler {
	return Handle(api, Endpoint[directDebitRequest, clientzone.DirectDebitMandate]{
		Route:  "PUT /v1/customer/direct-debit",
		Access: AdminOnly,
		Exec: func(ctx context.Context, req *directDebitRequest) (*clientzone.DirectDebitMandate, error) {
			p := PrincipalOf(ctx).Person
			return svc.SetupDirectDebit(ctx, billing.MandateInput{By: billingActor(ctx), Language: p.Language, PersonName: p.Name,
				PIN: req.PIN, IBAN: req.IBAN, AccountHolder: req.AccountHolder, MandateAccepted: req.MandateAccepted})
		},
	})
}

// PINHeader carries the authorization PIN on GET requests that need the
// step-up (a GET has no body). It is never logged.
const PINHeader = "X-Authorization-PIN"

type standingOrderRequest struct {
	PIN string `header:"X-Authorization-PIN" validate:"max=64"`
}

// StandingOrder serves GET /v1/customer/standing-order (admins, with the
// authorization PIN in the X-Authorization-PIN header; without it 403
// pin_required): the provider's account, the customer's variable symbol,
// the fixed monthly amount and whether a standing order is possible
// (reasons when not: no-fixed-monthly-fee, no-variable-symbol,
// mixed-currencies).
func StandingOrder(api *API, svc *billing.DirectDebit) Handler {
	return Handle(api, Endpoint[standingOrderRequest, billing.StandingOrderInfo]{
		Route:  "GET /v1/customer/standing-order",
		Access: AdminOnly,
		Exec: func(ctx context.Context, req *standingOrderRequest) (*billing.StandingOrderInfo, error) {
			return svc.StandingOrder(ctx, PrincipalOf(ctx).Person.CustomerID, req.PIN)
		},
	})
}

type correctionRequest struct {
	InvoiceID string   `json:"-" path:"invoiceId" validate:"required,max=64"`
	Reason    string   `json:"reason" validate:"required,min=10,max=2000"`
	Fields    []string `json:"fields" validate:"max=9,dive,oneof=billingAddress name vatId companyId amount lines dueDate variableSymbol other"`
}

// CorrectionRequest serves POST /v1/invoices/{invoiceId}/correction-requests
// (admins; Idempotency-Key required): records the request, issues the
// configured admin fee as a new unpaid invoice and notifies the billing
// department and the customer. Another customer's invoice is 404, a
// cancelled one 409. Answers 201 {requestId, status, feeInvoice}.
func CorrectionRequest(api *API, svc *billing.Corrections) Handler {
	return Handle(api, Endpoint[correctionRequest, billing.CorrectionResult]{
		Route:      "POST /v1/invoices/{invoiceId}/correction-requests",
		Access:     AdminOnly,
		Status:     http.StatusCreated,
		Idempotent: true,
		Exec: func(ctx context.Context, req *correctionRequest) (*billing.CorrectionResult, error) {
			return svc.RequestCorrection(ctx, billing.CorrectionInput{By: billingActor(ctx), Language: PrincipalOf(ctx).Person.Language,
				InvoiceID: req.InvoiceID, Reason: req.Reason, Fields: req.Fields})
		},
	})
}
