// Package clientzone holds the domain types of the customer self-service
// backend: customers, the persons who log in on their behalf, contracts with
// their services, invoices, and the error type every layer speaks, with the
// rules more than one use case applies: how logins, variable symbols and
// invoice numbers compare (NormalizeLogin, NormalizeVariableSymbol,
// NormalizeInvoiceNumber) and the record of an idempotent request
// (SavedResponse). It has no dependencies on AWS or HTTP; implementations
// live in sibling packages.
package clientzone

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Money is an amount in integer minor units (cents, fillér, kopeks) of an
// ISO 4217 currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// IsCurrencyCode reports whether s has the form of an ISO 4217 code: three
// upper-case ASCII letters (template.yaml's AllowedPattern of Currency).
func IsCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Language is a supported UI / notification language.
type Language string

// Supported languages.
const (
	LangEN Language = "en"
	LangSK Language = "sk"
	LangHU Language = "hu"
	LangRU Language = "ru"
)

// Languages lists every supported language, default first.
var Languages = []Language{LangEN, LangSK, LangHU, LangRU}

// Customer is the contract holder: a person or a company.
type Customer struct {
	ID             string    `json:"id"`
	Kind           string    `json:"kind"` // "person" or "company"
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	Phone          string    `json:"phone"`
	Region         string    `json:"region,omitempty"`
	VariableSymbol string    `json:"variableSymbol"` // payment reference for bank transfers
	Currency       string    `json:"currency"`
	BillingAddress Address   `json:"billingAddress"`
	CompanyID      string    `json:"companyId,omitempty"` // IČO / cégjegyzékszám
	VATID          string    `json:"vatId,omitempty"`
	Language       Language  `json:"language,omitempty"` // of messages to the contact; deployment default when empty
	CreatedAt      time.Time `json:"createdAt"`
}

// Address is a postal address.
type Address struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	PostalCode string `json:"postalCode"`
	Country    string `json:"country"` // ISO 3166-1 alpha-2
}

// Role of a person on a customer account.
type Role string

// Roles. An admin (statutory representative or accounts administrator) has
// every right; a regular person has only the rights listed on them.
const (
	RoleAdmin   Role = "admin"
	RoleRegular Role = "regular"
)

// Right is a permission a regular person may hold.
type Right string

// Rights a regular person can be given.
const (
	RightInvoices  Right = "invoices"
	RightPayments  Right = "payments"
	RightCalls     Right = "calls"
	RightTraffic   Right = "traffic"
	RightContracts Right = "contracts"
	RightTickets   Right = "tickets"
	RightPersons   Right = "persons"
)

// AllRights lists every right.
var AllRights = []Right{RightInvoices, RightPayments, RightCalls, RightTraffic, RightContracts, RightTickets, RightPersons}

// Notifications are a person's per-topic notification settings.
type Notifications struct {
	Invoices bool `json:"invoices"` // new invoice, overdue reminders
	Expiry   bool `json:"expiry"`   // service expiry reminders
	Outages  bool `json:"outages"`  // planned works, incidents
	News     bool `json:"news"`     // promotions
}

// Person is a login on a customer account.
type Person struct {
	ID            string        `json:"id"`
	CustomerID    string        `json:"customerId"`
	Name          string        `json:"name"`
	Email         string        `json:"email"`
	Username      string        `json:"username,omitempty"`
	Phone         string        `json:"phone,omitempty"`
	Role          Role          `json:"role"`
	Rights        []Right       `json:"rights"`
	Language      Language      `json:"language"`
	Notifications Notifications `json:"notifications"`
	Disabled      bool          `json:"disabled"`
	// MustChangePassword is set when staff issued a temporary password.
	MustChangePassword bool `json:"mustChangePassword"`
	// PasswordHash is a PHC-style hash string; never serialized to clients.
	PasswordHash string `json:"-"`
	// TokenVersion is bumped by "log out everywhere" and password changes;
	// access tokens carrying an older version are rejected.
	TokenVersion int       `json:"-"`
	CreatedAt    time.Time `json:"createdAt"`
}

// Can reports whether the person holds right r. Admins hold every right.
func (p *Person) Can(r Right) bool {
	return p.Role == RoleAdmin || slices.Contains(p.Rights, r)
}

// ContractStatus is the state of a contract or service.
type ContractStatus string

// Contract and service states.
const (
	StatusActive     ContractStatus = "active"
	StatusSuspended  ContractStatus = "suspended"
	StatusTerminated ContractStatus = "terminated"
)

// Contract is an agreement of a customer, with services under it.
type Contract struct {
	ID         string         `json:"id"`
	CustomerID string         `json:"-"`
	Number     string         `json:"number"`
	Status     ContractStatus `json:"status"`
	SignedAt   time.Time      `json:"signedAt"`
	// SuspendedOn is the start of a suspension (YYYY-MM-DD).
	SuspendedOn string `json:"suspendedOn,omitempty"`
	// SuspensionKind says who suspended it: SuspensionVoluntary (the
	// customer) or SuspensionProvider (back office, e.g. for debt).
	SuspensionKind string `json:"suspensionKind,omitempty"`
	// FeesFrom is the first day a voluntary suspension is charged (after
	// the free days left in the year of its start).
	FeesFrom string `json:"-"`
	// FreeSuspensionYear and FreeSuspensionDaysUsed count the free days
	// of voluntary suspensions used in that calendar year.
	FreeSuspensionYear     int       `json:"-"`
	FreeSuspensionDaysUsed int       `json:"-"`
	Services               []Service `json:"services"`
	// Termination is the pending termination request, if any (stored
	// apart from the contract, so a back-office upsert keeps it).
	Termination *TerminationRequest `json:"terminationRequest,omitempty"`
}

// Service kinds.
const (
	ServiceInternet      = "internet"
	ServiceVoIP          = "voip"
	ServiceTV            = "tv"
	ServiceServerhousing = "serverhousing"
	ServiceHosting       = "hosting"
	ServiceDomain        = "domain"
	ServiceCloud         = "cloud"
)

// Service is one product running under a contract.
type Service struct {
	ID             string         `json:"id"`
	ContractID     string         `json:"contractId"`
	Kind           string         `json:"kind"`
	Name           string         `json:"name"`
	TariffID       string         `json:"tariffId"`
	Status         ContractStatus `json:"status"`
	BillingPeriod  string         `json:"billingPeriod"` // "monthly" or "yearly"
	Price          Money          `json:"price"`
	NextChargeDate string         `json:"nextChargeDate,omitempty"` // YYYY-MM-DD
	ExpiresOn      string         `json:"expiresOn,omitempty"`      // YYYY-MM-DD, hosting/domains
	SuspendedOn    string         `json:"suspendedOn,omitempty"`    // YYYY-MM-DD, suspension start
	// SuspensionKind of a suspended service: SuspensionVoluntary or
	// SuspensionProvider.
	SuspensionKind string `json:"suspensionKind,omitempty"`
	// FeesFrom is the first day the suspension-fee job charges a
	// voluntarily suspended service.
	FeesFrom string `json:"-"`
	// Version counts writes of the service item; every write is
	// conditional on the version read (optimistic locking).
	Version int64 `json:"-"`
	// Addon services are extra services (public IP, TV package) the
	// customer adds and removes; their tariff is an addon tariff.
	Addon bool `json:"addon,omitempty"`
	// PendingTariffChange is a requested tariff change not yet effective.
	PendingTariffChange *TariffChange `json:"pendingTariffChange,omitempty"`
}

// InvoiceStatus is the state of an invoice as shown to customers.
type InvoiceStatus string

// Invoice states. Overdue is derived: an unpaid invoice past its due date.
const (
	InvoiceUnpaid    InvoiceStatus = "unpaid"
	InvoicePaid      InvoiceStatus = "paid"
	InvoiceOverdue   InvoiceStatus = "overdue"
	InvoiceCancelled InvoiceStatus = "cancelled"
)

// Invoice is a tax document issued to a customer.
type Invoice struct {
	ID             string        `json:"id"`
	CustomerID     string        `json:"-"`
	Number         string        `json:"number"`
	ContractID     string        `json:"contractId,omitempty"`
	Status         InvoiceStatus `json:"status"`
	IssuedOn       string        `json:"issuedOn"` // YYYY-MM-DD
	DueOn          string        `json:"dueOn"`    // YYYY-MM-DD
	PaidAt         *time.Time    `json:"paidAt,omitempty"`
	Total          Money         `json:"total"`
	VAT            Money         `json:"vat"`
	VariableSymbol string        `json:"variableSymbol"`
	Lines          []InvoiceLine `json:"lines,omitempty"`
	PDFKey         string        `json:"-"` // S3 object key, when rendered
}

// NormalizeInvoiceNumber is the compared form of an invoice number
// (unique among invoices): trimmed of spaces.
func NormalizeInvoiceNumber(n string) string { return strings.TrimSpace(n) }

// InvoiceLine is one item of an invoice.
type InvoiceLine struct {
	Description string `json:"description"`
	Quantity    int    `json:"quantity"`
	UnitPrice   Money  `json:"unitPrice"`
	Total       Money  `json:"total"`
}

// EffectiveStatus returns the status a customer sees at time now: an unpaid
// invoice whose due date has passed is overdue.
func (inv *Invoice) EffectiveStatus(now time.Time) InvoiceStatus {
	if inv.Status == InvoiceUnpaid && inv.DueOn != "" && inv.DueOn < now.UTC().Format(time.DateOnly) {
		return InvoiceOverdue
	}
	return inv.Status
}

// Principal is the authenticated person behind a request.
type Principal struct {
	Person    *Person
	SessionID string
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the authenticated principal of ctx, if any.
func PrincipalFrom(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}
