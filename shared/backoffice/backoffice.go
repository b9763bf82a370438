// Package backoffice holds the use cases of the provider's billing and CRM
// systems writing into the client zone over the admin API: customers and
// invoices are upserted by the id the provider's systems chose, so a sync
// or a migration can be run again safely.
//
// The rules of an upsert (a unique variable symbol outside other
// customers' proforma symbols, a currency that no longer changes once
// billed, an unchanged write being a no-op) are checked here; Store is the
// persistence they need, in backoffice's terms, and its conflicts are
// backoffice's errors (ErrVariableSymbolTaken, ErrVariableSymbolClash,
// ErrCustomerChanged). shared/dynamo implements Store and re-checks the
// symbol rules in its write transaction, where concurrent upserts meet.
package backoffice

import (
	"context"
	"reflect"
	"strings"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Store is what the back-office use cases read and write.
type Store interface {
	CustomerForUpdate(ctx context.Context, cid string) (*clientzone.Customer, error)
	// UpsertCustomer creates c (prev nil) or replaces prev with it, with
	// its variable-symbol claims: ErrCustomerChanged when the stored
	// customer is no longer prev, ErrVariableSymbolTaken or
	// ErrVariableSymbolClash when another customer's symbol got in the way
	// meanwhile.
	UpsertCustomer(ctx context.Context, c, prev *clientzone.Customer, audit *clientzone.AuditEntry) error
	LookupVariableSymbol(ctx context.Context, vs string) (*clientzone.ByVariableSymbol, error)
	// VariableSymbolSpaceUsers returns the customers other than cid whose
	// symbol is vs + 3 digits (in vs's proforma space).
	VariableSymbolSpaceUsers(ctx context.Context, vs, cid string) ([]string, error)
	HasBillingHistory(ctx context.Context, cid string) (bool, error)
	InvoiceForUpdate(ctx context.Context, cid, id string) (*clientzone.Invoice, error)
	UpsertInvoice(ctx context.Context, inv, prev *clientzone.Invoice, audit *clientzone.AuditEntry) error
	Contract(ctx context.Context, cid, ctid string) (*clientzone.Contract, error)
}

// Conflicts of UpsertCustomer: the variable symbol (409 on
// variableSymbol) and concurrent writes.
var (
	ErrVariableSymbolTaken = &clientzone.Error{Code: clientzone.ECONFLICT, Message: "The variable symbol is already used by another customer.",
		Fields: []clientzone.FieldError{{Field: "variableSymbol", Code: "taken", Message: "Another customer already uses this variable symbol."}}}
	ErrVariableSymbolClash = &clientzone.Error{Code: clientzone.ECONFLICT, Message: "The variable symbol clashes with another customer's proforma symbols.",
		Fields: []clientzone.FieldError{{Field: "variableSymbol", Code: "clash", Message: "This variable symbol overlaps another customer's proforma symbols (a symbol plus 3 digits)."}}}
	// ErrCustomerChanged is the conflict of a customer changed (or created)
	// between reading and writing it.
	ErrCustomerChanged = clientzone.Errorf(clientzone.ECONFLICT, "The customer was changed concurrently; try again.")
)

// Service runs the back-office upserts.
type Service struct {
	Store Store
	Clock clientzone.Clock
}

// Actor is who called the admin API (for the audit log).
type Actor struct {
	IP, UserAgent string
	// IAMUser is the caller's IAM ARN, when API Gateway authorised it.
	IAMUser string
}

func (s *Service) now() clientzone.Clock {
	if s.Clock == nil {
		return clientzone.SystemClock{}
	}
	return s.Clock
}

func (s *Service) entry(a Actor, cid, action, target string, details map[string]string) *clientzone.AuditEntry {
	if a.IAMUser != "" {
		details["iamUser"] = a.IAMUser
	}
	ua := a.UserAgent
	if len(ua) > 256 {
		ua = ua[:256]
	}
	return &clientzone.AuditEntry{CustomerID: cid, At: s.now().Now(), Action: action, ActorID: "backoffice", TargetID: target,
		IP: a.IP, UserAgent: ua, Details: details}
}

// UpsertCustomer creates customer c or replaces it (by c.ID) and reports
// whether it was created. A replace keeps the creation time. The variable
// symbol must not be another customer's, nor overlap another customer's
// proforma symbols (409 on variableSymbol); the currency of a customer with
// invoices or ledger transactions cannot change (409 on currency). Writing
// what is already stored changes nothing.
func (s *Service) UpsertCustomer(ctx context.Context, a Actor, c *clientzone.Customer) (bool, *clientzone.Customer, error) {
	prev, err := s.Store.CustomerForUpdate(ctx, c.ID)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return false, nil, err
	}
	next := *c
	next.VariableSymbol = clientzone.NormalizeVariableSymbol(next.VariableSymbol)
	if prev != nil {
		next.CreatedAt = prev.CreatedAt
		if reflect.DeepEqual(*prev, next) {
			return false, prev, nil
		}
		if prev.Currency != "" && prev.Currency != next.Currency {
			used, err := s.Store.HasBillingHistory(ctx, c.ID)
			if err != nil {
				return false, nil, err
			}
			if used {
				return false, nil, &clientzone.Error{Code: clientzone.ECONFLICT, Message: "The currency of a customer with invoices or transactions cannot change.",
					Fields: []clientzone.FieldError{{Field: "currency", Code: "locked", Message: "The customer already has invoices or transactions in another currency."}}}
			}
		}
	} else {
		next.CreatedAt = s.now().Now().UTC()
	}
	if vs := next.VariableSymbol; vs != "" && (prev == nil || clientzone.NormalizeVariableSymbol(prev.VariableSymbol) != vs) {
		// Symbols stored before claims existed, and proformas, are only in
		// the GSI1 symbol index: look there too.
		found, err := s.Store.LookupVariableSymbol(ctx, vs)
		if err != nil {
			return false, nil, err
		}
		if found.Customer != nil && found.Customer.ID != c.ID {
			return false, nil, ErrVariableSymbolTaken
		}
		for _, p := range found.Proformas {
			if p.CustomerID != c.ID {
				return false, nil, ErrVariableSymbolClash
			}
		}
		users, err := s.Store.VariableSymbolSpaceUsers(ctx, vs, c.ID)
		if err != nil {
			return false, nil, err
		}
		if len(users) > 0 {
			return false, nil, ErrVariableSymbolClash
		}
	}
	action, details := "customer.create", map[string]string{}
	if prev != nil {
		action, details["fields"] = "customer.update", strings.Join(changedCustomerFields(prev, &next), ",")
	}
	if err := s.Store.UpsertCustomer(ctx, &next, prev, s.entry(a, c.ID, action, c.ID, details)); err != nil {
		return false, nil, err
	}
	return prev == nil, &next, nil
}

func changedCustomerFields(a, b *clientzone.Customer) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("kind", a.Kind != b.Kind)
	add("name", a.Name != b.Name)
	add("email", a.Email != b.Email)
	add("phone", a.Phone != b.Phone)
	add("region", a.Region != b.Region)
	add("variableSymbol", a.VariableSymbol != b.VariableSymbol)
	add("currency", a.Currency != b.Currency)
	add("billingAddress", a.BillingAddress != b.BillingAddress)
	add("companyId", a.CompanyID != b.CompanyID)
	add("vatId", a.VATID != b.VATID)
	add("language", a.Language != b.Language)
	return out
}
