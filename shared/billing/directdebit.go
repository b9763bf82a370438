package billing

import (
	"context"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// PINChecker is the authorization PIN step-up (account.PINVerifier).
type PINChecker interface {
	Verify(ctx context.Context, cid, pin string) error
}

// DirectDebitStore is the persistence of direct debit and standing orders.
type DirectDebitStore interface {
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Contracts(ctx context.Context, cid string) ([]*clientzone.Contract, error)
	DirectDebitMandate(ctx context.Context, cid string) (*clientzone.DirectDebitMandate, error)
	SaveDirectDebitMandate(ctx context.Context, m, previous *clientzone.DirectDebitMandate, audit *clientzone.AuditEntry, msg *clientzone.Message) error
}

// Beneficiary is the provider's bank account customers pay to.
type Beneficiary struct {
	Name string `json:"name"`
	IBAN string `json:"iban"`
	BIC  string `json:"bic"`
}

// DirectDebit implements direct debit (SEPA mandate) setup and the
// standing-order information: both for account administrators with the
// authorization PIN.
type DirectDebit struct {
	Store       DirectDebitStore
	PIN         PINChecker
	Clock       clientzone.Clock
	Beneficiary Beneficiary
	// DefaultLanguage is the language of messages when the person has none.
	DefaultLanguage clientzone.Language
}

// MandateInput is an administrator's direct debit setup.
type MandateInput struct {
	By              Actor
	Language        clientzone.Language
	PersonName      string
	PIN             string
	IBAN            string
	AccountHolder   string
	MandateAccepted bool
}

// SetupDirectDebit checks the PIN and the IBAN, then stores a new active
// SEPA mandate as the customer's current one (the previous one, if any, is
// cancelled), with an audit entry (masked IBAN only) and an email to the
// customer's contact address, in one transaction. The IBAN is checked before
// the PIN is, so a typo costs no PIN attempt.
func (s *DirectDebit) SetupDirectDebit(ctx context.Context, in MandateInput) (*clientzone.DirectDebitMandate, error) {
	iban, reason := NormalizeIBAN(in.IBAN)
	if reason != "" {
		return nil, fieldError("iban", reason, "This is not a valid IBAN.")
	}
	if !in.MandateAccepted {
		return nil, fieldError("mandateAccepted", "required", "You must accept the direct debit mandate.")
	}
	holder := strings.TrimSpace(in.AccountHolder)
	if holder == "" {
		return nil, fieldError("accountHolder", "required", "This field is required.")
	}
	if err := s.PIN.Verify(ctx, in.By.CustomerID, in.PIN); err != nil {
		return nil, err
	}
	c, err := s.Store.Customer(ctx, in.By.CustomerID)
	if err != nil {
		return nil, err
	}
	prev, err := s.Store.DirectDebitMandate(ctx, c.ID)
	switch clientzone.ErrorCode(err) {
	case "":
	case clientzone.ENOTFOUND:
		prev = nil
	default:
		return nil, err
	}
	now := s.Clock.Now()
	m := &clientzone.DirectDebitMandate{ID: mandateReference(c, now), CustomerID: c.ID, IBAN: iban, MaskedIBAN: MaskIBAN(iban),
		AccountHolder: holder, SignedAt: now, SignedBy: in.By.PersonID, Status: clientzone.MandateActive}
	details := map[string]string{"mandateId": m.ID, "iban": m.MaskedIBAN}
	if prev != nil {
		details["replaces"] = prev.ID
	}
	audit := in.By.audit("direct-debit.setup", now, details)
	var msg *clientzone.Message
	if c.Email != "" {
		lang := in.Language
		if lang == "" {
			lang = s.DefaultLanguage
		}
		msg = &clientzone.Message{Channel: clientzone.ChannelEmail, To: c.Email, Template: "direct-debit-mandate", Language: lang,
			Data: map[string]string{"mandateId": m.ID, "iban": m.MaskedIBAN, "accountHolder": holder,
				"signedAt": now.UTC().Format(time.RFC3339), "signedBy": in.PersonName, "creditor": s.Beneficiary.Name},
			CustomerID: c.ID, PersonID: in.By.PersonID, CreatedAt: now}
	}
	if err := s.Store.SaveDirectDebitMandate(ctx, m, prev, audit, msg); err != nil {
		return nil, err
	}
	return m, nil
}

// mandateReference is the SEPA mandate reference (max 35 characters of
// A–Z, 0–9): "DD" + a whole ULID (28 characters), unique per mandate even
// when one customer signs twice within seconds.
func mandateReference(_ *clientzone.Customer, _ time.Time) string {
	return "DD" + clientzone.NewID()
}

// StandingOrderInfo is what a customer needs to set up a standing order in
// their bank, and whether they may (SPEC seed: a fixed monthly service fee
// and an assigned variable symbol).
type StandingOrderInfo struct {
	Eligible       bool                   `json:"eligible"`
	Reasons        []string               `json:"reasons"`
	Beneficiary    Beneficiary            `json:"beneficiary"`
	VariableSymbol string                 `json:"variableSymbol,omitempty"`
	Amount         *clientzone.Money      `json:"amount,omitempty"`
	Frequency      string                 `json:"frequency"`
	Services       []StandingOrderService `json:"services"`
}

// StandingOrderService is one monthly service the standing order covers.
type StandingOrderService struct {
	ID         string           `json:"id"`
	ContractID string           `json:"contractId"`
	Name       string           `json:"name"`
	Price      clientzone.Money `json:"price"`
}

// Reasons a customer is not eligible for a standing order.
const (
	ReasonNoMonthlyFee     = "no-fixed-monthly-fee" // no active monthly service
	ReasonNoVariableSymbol = "no-variable-symbol"   // none assigned yet
	ReasonMixedCurrencies  = "mixed-currencies"     // monthly prices in several currencies
)

// StandingOrder checks the PIN and returns the standing-order information:
// the provider's account, the customer's variable symbol and the fixed
// monthly amount (the sum of the monthly prices of the active services of
// active contracts). Yearly services (hosting, domains) are invoiced
// separately and are not part of it.
func (s *DirectDebit) StandingOrder(ctx context.Context, cid, pin string) (*StandingOrderInfo, error) {
	if err := s.PIN.Verify(ctx, cid, pin); err != nil {
		return nil, err
	}
	c, err := s.Store.Customer(ctx, cid)
	if err != nil {
		return nil, err
	}
	contracts, err := s.Store.Contracts(ctx, cid)
	if err != nil {
		return nil, err
	}
	info := &StandingOrderInfo{Beneficiary: s.Beneficiary, VariableSymbol: c.VariableSymbol, Frequency: "monthly",
		Reasons: []string{}, Services: []StandingOrderService{}}
	currencies := map[string]int64{}
	for _, ct := range contracts {
		if ct.Status != clientzone.StatusActive {
			continue
		}
		for _, sv := range ct.Services {
			if sv.Status != clientzone.StatusActive || sv.BillingPeriod != "monthly" || sv.Price.Amount <= 0 {
				continue
			}
			info.Services = append(info.Services, StandingOrderService{ID: sv.ID, ContractID: ct.ID, Name: sv.Name, Price: sv.Price})
			currencies[sv.Price.Currency] += sv.Price.Amount
		}
	}
	switch len(currencies) {
	case 0:
		info.Reasons = append(info.Reasons, ReasonNoMonthlyFee)
	case 1:
		for cur, amt := range currencies {
			info.Amount = &clientzone.Money{Amount: amt, Currency: cur}
		}
	default:
		info.Reasons = append(info.Reasons, ReasonMixedCurrencies)
	}
	if c.VariableSymbol == "" {
		info.Reasons = append(info.Reasons, ReasonNoVariableSymbol)
	}
	info.Eligible = len(info.Reasons) == 0
	return info, nil
}
