// Package usage holds the usage and history use cases of a contract: VoIP
// calls (list, CSV export, back-office ingestion), traffic statistics
// (daily, monthly, per IP address), service protocols and support-request
// history. Every read first checks the contract belongs to the caller's
// customer. Store, with its filter and page types, is what the use cases
// need, in usage's terms; shared/dynamo implements it.
package usage

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Store is what the use cases read and write.
type Store interface {
	EnsureContract(ctx context.Context, cid, ctid string) error
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	PutCalls(ctx context.Context, cid, ctid string, calls []clientzone.Call) (int, error)
	Calls(ctx context.Context, cid, ctid string, f CallFilter) (*CallPage, error)
	PutTraffic(ctx context.Context, cid, ctid string, days []clientzone.TrafficDay) (int, error)
	Traffic(ctx context.Context, cid, ctid, from, to string) ([]clientzone.TrafficDay, error)
	TrafficByIP(ctx context.Context, cid, ctid, ip, from, to string) ([]clientzone.TrafficDay, error)
	PutServiceProtocol(ctx context.Context, cid string, p *clientzone.ServiceProtocol) error
	ServiceProtocols(ctx context.Context, cid, ctid string, limit int, cursor string) (*ServiceProtocolPage, error)
	PutSupportRequest(ctx context.Context, cid string, r *clientzone.SupportRequest) error
	SupportRequests(ctx context.Context, cid, ctid string, limit int, cursor string) (*SupportRequestPage, error)
}

// CallFilter selects a page of a contract's calls.
type CallFilter struct {
	// From and To bound the start of the calls: From <= startedAt < To
	// (to the second).
	From, To time.Time
	// Direction is empty (all), outgoing or incoming. It is a filter
	// applied after the limit, so a page may be short.
	Direction string
	Limit     int
	Cursor    string
}

// CallPage is one page of calls, newest first.
type CallPage struct {
	Calls      []*clientzone.Call
	NextCursor string
}

// ServiceProtocolPage is one page of service protocols, newest first.
type ServiceProtocolPage struct {
	Protocols  []*clientzone.ServiceProtocol
	NextCursor string
}

// SupportRequestPage is one page of support requests, newest first.
type SupportRequestPage struct {
	Requests   []*clientzone.SupportRequest
	NextCursor string
}

// Service implements the use cases.
type Service struct {
	Store Store
	Clock clientzone.Clock
	// Location is where "today" and month boundaries of default ranges
	// and date-only bounds are taken; UTC when nil.
	Location *time.Location
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now().UTC()
	}
	return s.Clock.Now().UTC()
}

func (s *Service) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

func invalidField(field, code, msg string) error {
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: field, Code: code, Message: msg}}}
}

// Page limits of the history listings.
const (
	DefaultHistoryLimit = 50
	MaxHistoryLimit     = 100
)

// ServiceProtocols lists a contract's service protocols newest first.
func (s *Service) ServiceProtocols(ctx context.Context, cid, ctid string, limit int, cursor string) (*ServiceProtocolPage, error) {
	if err := s.Store.EnsureContract(ctx, cid, ctid); err != nil {
		return nil, err
	}
	return s.Store.ServiceProtocols(ctx, cid, ctid, historyLimit(limit), cursor)
}

// SupportRequests lists a contract's support requests newest first.
func (s *Service) SupportRequests(ctx context.Context, cid, ctid string, limit int, cursor string) (*SupportRequestPage, error) {
	if err := s.Store.EnsureContract(ctx, cid, ctid); err != nil {
		return nil, err
	}
	return s.Store.SupportRequests(ctx, cid, ctid, historyLimit(limit), cursor)
}

func historyLimit(n int) int {
	if n <= 0 {
		return DefaultHistoryLimit
	}
	return min(n, MaxHistoryLimit)
}

// PutServiceProtocol creates or replaces a protocol of an existing
// contract (back office).
func (s *Service) PutServiceProtocol(ctx context.Context, cid string, p *clientzone.ServiceProtocol) error {
	if _, err := time.Parse(time.DateOnly, p.Date); err != nil {
		return invalidField("date", "date", "Use the format YYYY-MM-DD.")
	}
	if err := s.Store.EnsureContract(ctx, cid, p.ContractID); err != nil {
		return err
	}
	return s.Store.PutServiceProtocol(ctx, cid, p)
}

// PutSupportRequest creates or replaces a support request of an existing
// contract (back office).
func (s *Service) PutSupportRequest(ctx context.Context, cid string, r *clientzone.SupportRequest) error {
	r.OpenedAt = r.OpenedAt.UTC()
	if r.ClosedAt != nil {
		c := r.ClosedAt.UTC()
		if c.Before(r.OpenedAt) {
			return invalidField("closedAt", "gtefield", "This must not be before openedAt.")
		}
		r.ClosedAt = &c
	}
	if err := s.Store.EnsureContract(ctx, cid, r.ContractID); err != nil {
		return err
	}
	return s.Store.PutSupportRequest(ctx, cid, r)
}
