package billing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
)

// ProformaStore is the persistence of proformas, renewals and the
// bank-statement import.
type ProformaStore interface {
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Invoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error)
	Invoices(ctx context.Context, cid string, f dynamo.InvoiceFilter) (*dynamo.InvoicePage, error)
	Service(ctx context.Context, cid, sid string) (*clientzone.Service, error)
	CreateProforma(ctx context.Context, p *clientzone.Proforma, customerVS string) error
	Proformas(ctx context.Context, cid string, limit int) ([]*clientzone.Proforma, error)
	LookupVariableSymbol(ctx context.Context, vs string) (*clientzone.ByVariableSymbol, error)
	Settlement(ctx context.Context, ref string) (*dynamo.SettlementRecord, error)
}

var _ ProformaStore = (*dynamo.DB)(nil)

// BankAccount is the provider's account that transfers go to.
type BankAccount struct {
	IBAN        string
	BIC         string
	Beneficiary string
}

// Proformas implements proformas for bank transfer, service renewals and
// the bank-statement import. Payments are applied by Billing.Settle.
type Proformas struct {
	Store   ProformaStore
	Billing *Service
	Clock   clientzone.Clock
	Bank    BankAccount
}

// ProformaDueDays is how long a proforma waits for the transfer.
const ProformaDueDays = 14

// MaxRenewalPeriods bounds a renewal.
const MaxRenewalPeriods = 5

// Errors of proformas and renewals.
var (
	ErrProformaInvoiceNotUnpaid = clientzone.Errorf(clientzone.ECONFLICT, "Only an unpaid invoice can be paid by a proforma.")
	ErrNotRenewable             = clientzone.Errorf(clientzone.ECONFLICT, "Only hosting, domain and cloud services with an expiry date can be renewed.")
	ErrServiceTerminated        = clientzone.Errorf(clientzone.ECONFLICT, "A terminated service cannot be renewed.")
)

// Top-up proforma bounds in minor units (a sanity bound, not a policy).
const (
	MinTopUpMinor = 100
	MaxTopUpMinor = 100_000_000
)

// ProformaView is a proforma with what is needed to pay it by transfer.
type ProformaView struct {
	*clientzone.Proforma
	BankTransfer *clientzone.BankTransfer `json:"bankTransfer,omitempty"`
}

// View adds the bank-transfer instructions to an open proforma.
func (s *Proformas) View(p *clientzone.Proforma) *ProformaView {
	v := &ProformaView{Proforma: p}
	if p.Status == clientzone.ProformaOpen {
		v.BankTransfer = &clientzone.BankTransfer{
			IBAN: s.Bank.IBAN, BIC: s.Bank.BIC, Beneficiary: s.Bank.Beneficiary,
			VariableSymbol: p.VariableSymbol, Amount: p.Amount, DueOn: p.DueOn,
			QR: EPCQR(s.Bank, p.Amount, p.VariableSymbol),
		}
	}
	return v
}

// EPCQR is the EPC069-12 (SEPA credit transfer) QR payload of a transfer;
// the variable symbol goes in the unstructured remittance as "/VS<vs>" so
// Slovak and Czech banks fill it in. Only EUR transfers can be encoded
// (the standard is for SEPA); other currencies get "".
func EPCQR(bank BankAccount, amt clientzone.Money, vs string) string {
	if amt.Currency != "EUR" {
		return ""
	}
	name := bank.Beneficiary
	if r := []rune(name); len(r) > 70 {
		name = string(r[:70])
	}
	return strings.Join([]string{
		"BCD", "002", "1", "SCT",
		bank.BIC, name, strings.ReplaceAll(bank.IBAN, " ", ""),
		fmt.Sprintf("EUR%d.%02d", amt.Amount/100, amt.Amount%100),
		"", "", "/VS" + vs,
	}, "\n")
}

func (s *Proformas) newProforma(cid, purpose, desc string, amt clientzone.Money) *clientzone.Proforma {
	now := s.Clock.Now().UTC()
	return &clientzone.Proforma{
		ID: clientzone.NewID(), CustomerID: cid, Purpose: purpose, Description: desc, Amount: amt,
		Status: clientzone.ProformaOpen, IssuedOn: now.Format(time.DateOnly),
		DueOn: now.AddDate(0, 0, ProformaDueDays).Format(time.DateOnly), CreatedAt: now,
	}
}

func (s *Proformas) create(ctx context.Context, p *clientzone.Proforma) (*ProformaView, error) {
	cust, err := s.Store.Customer(ctx, p.CustomerID)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateProforma(ctx, p, cust.VariableSymbol); err != nil {
		return nil, err
	}
	return s.View(p), nil
}

// ForInvoice issues a proforma for an unpaid (or overdue) invoice of the
// customer, for its total.
func (s *Proformas) ForInvoice(ctx context.Context, cid, invoiceID string) (*ProformaView, error) {
	inv, err := s.Store.Invoice(ctx, cid, invoiceID)
	if err != nil {
		return nil, err
	}
	if inv.Status != clientzone.InvoiceUnpaid {
		return nil, ErrProformaInvoiceNotUnpaid
	}
	p := s.newProforma(cid, clientzone.ProformaForInvoice, "Payment of invoice "+inv.Number, inv.Total)
	p.InvoiceID = inv.ID
	return s.create(ctx, p)
}

// TopUp issues a proforma crediting the prepaid balance.
func (s *Proformas) TopUp(ctx context.Context, cid string, amt clientzone.Money) (*ProformaView, error) {
	cust, err := s.Store.Customer(ctx, cid)
	if err != nil {
		return nil, err
	}
	var fields []clientzone.FieldError
	if amt.Currency != cust.Currency {
		fields = append(fields, clientzone.FieldError{Field: "amount.currency", Code: "oneof", Message: "The currency must be the account's currency.", Param: cust.Currency})
	}
	switch {
	case amt.Amount < MinTopUpMinor:
		fields = append(fields, clientzone.FieldError{Field: "amount.amount", Code: "min", Message: "This value is too small.", Param: fmt.Sprint(MinTopUpMinor)})
	case amt.Amount > MaxTopUpMinor:
		fields = append(fields, clientzone.FieldError{Field: "amount.amount", Code: "max", Message: "This value is too large.", Param: fmt.Sprint(MaxTopUpMinor)})
	}
	if len(fields) > 0 {
		return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.", Fields: fields}
	}
	return s.create(ctx, s.newProforma(cid, clientzone.ProformaTopUp, "Prepaid balance top-up", amt))
}

// RenewableService returns the customer's service if it can be renewed:
// hosting, domain or cloud with an expiry date, not terminated.
func (s *Proformas) RenewableService(ctx context.Context, cid, sid string) (*clientzone.Service, error) {
	svc, err := s.Store.Service(ctx, cid, sid)
	if err != nil {
		return nil, err
	}
	switch svc.Kind {
	case clientzone.ServiceHosting, clientzone.ServiceDomain, clientzone.ServiceCloud:
	default:
		return nil, ErrNotRenewable
	}
	if svc.ExpiresOn == "" || svc.Price.Amount <= 0 {
		return nil, ErrNotRenewable
	}
	if svc.Status == clientzone.StatusTerminated {
		return nil, ErrServiceTerminated
	}
	return svc, nil
}

// Renewal issues a proforma renewing a service for periods billing
// periods; the service is extended when the transfer is credited.
func (s *Proformas) Renewal(ctx context.Context, cid, sid string, periods int) (*ProformaView, error) {
	svc, err := s.RenewableService(ctx, cid, sid)
	if err != nil {
		return nil, err
	}
	amt := clientzone.Money{Amount: svc.Price.Amount * int64(periods), Currency: svc.Price.Currency}
	unit := "month"
	if svc.BillingPeriod == "yearly" {
		unit = "year"
	}
	if periods > 1 {
		unit += "s"
	}
	p := s.newProforma(cid, clientzone.ProformaRenewal, fmt.Sprintf("Renewal of %s for %d %s", svc.Name, periods, unit), amt)
	p.ServiceID, p.Periods = svc.ID, periods
	return s.create(ctx, p)
}

// List returns the customer's proformas, newest first.
func (s *Proformas) List(ctx context.Context, cid string) ([]*ProformaView, error) {
	ps, err := s.Store.Proformas(ctx, cid, 100)
	if err != nil {
		return nil, err
	}
	out := make([]*ProformaView, 0, len(ps))
	for _, p := range ps {
		out = append(out, s.View(p))
	}
	return out, nil
}

// Kinds of matched bank lines.
const (
	MatchProforma = "proforma"
	MatchInvoice  = "invoice"
	MatchTopUp    = "top-up"
)

// MatchedLine is a bank line applied to a customer.
type MatchedLine struct {
	Line       int              `json:"line"`
	Reference  string           `json:"reference"`
	Kind       string           `json:"kind"`
	CustomerID string           `json:"customerId"`
	ProformaID string           `json:"proformaId,omitempty"`
	InvoiceID  string           `json:"invoiceId,omitempty"` // the invoice paid or issued
	ServiceID  string           `json:"serviceId,omitempty"`
	ExpiresOn  string           `json:"expiresOn,omitempty"`
	Amount     clientzone.Money `json:"amount"`
}

// UnmatchedLine is a credit that could not be applied.
type UnmatchedLine struct {
	Line           int              `json:"line"`
	Reference      string           `json:"reference"`
	Amount         clientzone.Money `json:"amount"`
	VariableSymbol string           `json:"variableSymbol,omitempty"`
	Counterparty   string           `json:"counterparty,omitempty"`
	Reason         string           `json:"reason"`
}

// ImportResult is the outcome of a bank-statement import.
type ImportResult struct {
	Lines      int             `json:"lines"`   // every line of the statement
	Credits    int             `json:"credits"` // lines of money in
	Ignored    int             `json:"ignored"` // debits
	Matched    []MatchedLine   `json:"matched"`
	Unmatched  []UnmatchedLine `json:"unmatched"`
	Duplicates int             `json:"duplicates"` // credits applied by an earlier import
}

// BankReference is the settlement reference of a statement line.
func BankReference(statementID, lineID string) string {
	return "bank:" + statementID + ":" + lineID
}

// ImportStatement applies a statement's credits by variable symbol:
//
//	(a) an open proforma with that symbol and the same amount is settled
//	    (tax invoice issued or its invoice paid, renewal applied);
//	(b) else, for a customer's own symbol, their oldest unpaid invoice with
//	    that symbol and exactly that amount is paid;
//	(c) else the customer's prepaid balance is topped up (also for a
//	    proforma paid twice or with another amount);
//	(d) else the line is reported unmatched.
//
// Each line settles under reference bank:<statement>:<line id>, so
// importing a statement again applies nothing twice (reported as
// duplicates).
func (s *Proformas) ImportStatement(ctx context.Context, statementID string, lines []BankLine) (*ImportResult, error) {
	res := &ImportResult{Lines: len(lines), Matched: []MatchedLine{}, Unmatched: []UnmatchedLine{}}
	for _, l := range lines {
		if !l.Credit {
			res.Ignored++
			continue
		}
		res.Credits++
		ref := BankReference(statementID, l.ID)
		if _, err := s.Store.Settlement(ctx, ref); err == nil {
			res.Duplicates++
			continue
		} else if clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			return nil, err
		}
		unmatched := func(reason string) {
			res.Unmatched = append(res.Unmatched, UnmatchedLine{Line: l.Index, Reference: ref, Amount: l.Amount,
				VariableSymbol: l.VariableSymbol, Counterparty: l.Counterparty, Reason: reason})
		}
		if l.VariableSymbol == "" {
			unmatched("no variable symbol")
			continue
		}
		found, err := s.Store.LookupVariableSymbol(ctx, l.VariableSymbol)
		if err != nil {
			return nil, err
		}
		st := Settlement{Amount: l.Amount, Reference: ref, Method: "transfer"}
		kind := ""
		var cust *clientzone.Customer
		for _, p := range found.Proformas {
			st.CustomerID = p.CustomerID
			if p.Status == clientzone.ProformaOpen && p.Amount == l.Amount {
				st.ProformaID, kind = p.ID, MatchProforma
				break
			}
		}
		if kind == "" && st.CustomerID == "" && found.Customer != nil {
			cust = found.Customer
			st.CustomerID = cust.ID
			inv, err := s.unpaidInvoice(ctx, cust.ID, l.VariableSymbol, l.Amount)
			if err != nil {
				return nil, err
			}
			if inv != nil {
				st.InvoiceID, kind = inv.ID, MatchInvoice
			}
		}
		if st.CustomerID == "" {
			unmatched("unknown variable symbol")
			continue
		}
		if kind == "" {
			if cust == nil {
				if cust, err = s.Store.Customer(ctx, st.CustomerID); err != nil {
					return nil, err
				}
			}
			if cust.Currency != "" && cust.Currency != l.Amount.Currency {
				unmatched("currency differs from the customer's")
				continue
			}
			st.TopUp, kind = true, MatchTopUp
		}
		out, err := s.Billing.Settle(ctx, st)
		if err != nil {
			if clientzone.ErrorCode(err) == clientzone.ECONFLICT || clientzone.ErrorCode(err) == clientzone.EINVALID {
				unmatched(clientzone.ErrorMessage(err))
				continue
			}
			return nil, err
		}
		if out.AlreadySettled {
			res.Duplicates++
			continue
		}
		res.Matched = append(res.Matched, MatchedLine{Line: l.Index, Reference: ref, Kind: kind, CustomerID: st.CustomerID,
			ProformaID: st.ProformaID, InvoiceID: out.InvoiceID(), ServiceID: out.ServiceID, ExpiresOn: out.ExpiresOn, Amount: l.Amount})
	}
	return res, nil
}

// unpaidInvoice returns the customer's oldest unpaid invoice with variable
// symbol vs and total amt, or nil.
func (s *Proformas) unpaidInvoice(ctx context.Context, cid, vs string, amt clientzone.Money) (*clientzone.Invoice, error) {
	var match *clientzone.Invoice
	cursor := ""
	for {
		page, err := s.Store.Invoices(ctx, cid, dynamo.InvoiceFilter{Status: clientzone.InvoiceUnpaid, Limit: MaxPageSize, Cursor: cursor, Now: s.Clock.Now()})
		if err != nil {
			return nil, err
		}
		for _, inv := range page.Invoices {
			if inv.VariableSymbol == vs && inv.Total == amt {
				match = inv // newest first: the last match is the oldest
			}
		}
		if page.NextCursor == "" {
			return match, nil
		}
		cursor = page.NextCursor
	}
}
