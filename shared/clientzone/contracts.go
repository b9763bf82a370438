package clientzone

import "time"

// Tariff is one product of the provider's catalogue: a base tariff of a
// service kind, or an addon (extra service such as a public IP address or a
// TV package) that can be added to a contract.
type Tariff struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"` // a service kind: internet, voip, tv, serverhousing, hosting, domain, cloud
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Price is the price per billing period.
	Price         Money  `json:"price"`
	BillingPeriod string `json:"billingPeriod"` // "monthly" or "yearly"
	// Addon tariffs are extra services added to and removed from a contract
	// by the customer; base tariffs can only be changed to another base
	// tariff of the same kind.
	Addon bool `json:"addon"`
	// Parameters are the tariff's technical parameters, e.g.
	// {"downloadMbps": "500", "uploadMbps": "100"}.
	Parameters map[string]string `json:"parameters,omitempty"`
	// Available tariffs can be ordered; others are kept for existing
	// services only.
	Available bool      `json:"available"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// ServiceKinds lists every service kind.
var ServiceKinds = []string{ServiceInternet, ServiceVoIP, ServiceTV, ServiceServerhousing, ServiceHosting, ServiceDomain, ServiceCloud}

// TariffChange is a requested change of a service's tariff, effective from
// the start of the next billing period.
type TariffChange struct {
	TariffID    string    `json:"tariffId"`
	TariffName  string    `json:"tariffName"`
	Price       Money     `json:"price"`
	EffectiveOn string    `json:"effectiveOn"` // YYYY-MM-DD
	RequestedAt time.Time `json:"requestedAt"`
	RequestedBy string    `json:"requestedBy"` // person id
}

// TerminationRequest is a customer's request to end a contract.
type TerminationRequest struct {
	ContractID   string    `json:"contractId"`
	RequestedAt  time.Time `json:"requestedAt"`
	RequestedBy  string    `json:"requestedBy"`  // person id
	DesiredEndOn string    `json:"desiredEndOn"` // YYYY-MM-DD
	Reason       string    `json:"reason,omitempty"`
	Status       string    `json:"status"` // pending, accepted, rejected, withdrawn
	// ResolvedAt is when the back office resolved the request.
	ResolvedAt *time.Time `json:"resolvedAt,omitempty"`
}

// States of a termination request: pending until the back office resolves
// it (accepted, rejected, withdrawn); only a pending one blocks a new one.
const (
	TerminationPending   = "pending"
	TerminationAccepted  = "accepted"
	TerminationRejected  = "rejected"
	TerminationWithdrawn = "withdrawn"
)

// Suspension kinds: a voluntary suspension is the customer's own (they
// can end it; charged after the free days), a provider suspension is the
// back office's block (e.g. for debt; the customer cannot end it, no
// suspension fees).
const (
	SuspensionVoluntary = "voluntary"
	SuspensionProvider  = "provider"
)

// EffectiveService returns s as seen at time now: a pending tariff change
// whose effective date has come is applied (tariff, price, no longer
// pending), like an unpaid invoice past its due date reads as overdue.
func EffectiveService(s Service, now time.Time) Service {
	if c := s.PendingTariffChange; c != nil && c.EffectiveOn != "" && c.EffectiveOn <= now.UTC().Format(time.DateOnly) {
		s.TariffID = c.TariffID
		s.Price = c.Price
		s.PendingTariffChange = nil
	}
	return s
}

// ServicePut is one service written by a ContractChange: created (Create),
// or replaced only while it still has ExpectStatus, ExpectTariffID and
// Version (Service.Version as read; the write stores Version+1).
type ServicePut struct {
	Service        Service
	Create         bool
	ExpectStatus   ContractStatus
	ExpectTariffID string
}

// FreeSuspensionDays is the free-day count of a contract's voluntary
// suspensions in one calendar year.
type FreeSuspensionDays struct {
	Year int
	Used int
}

// ContractChange is one all-or-nothing change of a contract made by the
// customer: the contract's status, services created, replaced or deleted, a
// termination request, with the audit entry and the notification.
type ContractChange struct {
	CustomerID string
	ContractID string
	// ExpectStatus is the contract status the change requires ("" for any
	// existing contract).
	ExpectStatus ContractStatus
	// SetStatus, when set, becomes the contract's status, with SuspendedOn
	// ("" removes it).
	SetStatus   ContractStatus
	SuspendedOn string
	// SuspensionKind and FeesFrom are stored with SetStatus suspended.
	SuspensionKind string
	FeesFrom       string
	// ExpectSuspensionKind, when set, requires the contract's suspension
	// kind to be it (or unset: suspensions from before kinds existed).
	ExpectSuspensionKind string
	// FreeDays, when set, is stored as the contract's free suspension days.
	FreeDays *FreeSuspensionDays
	Services []ServicePut
	// DeleteServices are removed (they must exist).
	DeleteServices []string
	// Events are EventBridge events (outbox entries) published with the
	// change.
	Events []*Message
	// Termination is stored unless one is already pending
	// (TerminationConflict then).
	Termination         *TerminationRequest
	TerminationConflict error
	Audit               *AuditEntry
	Message             *Message
	// Conflict is returned when the contract no longer has the expected
	// status (or suspension kind), ServiceConflict when a service changed
	// since it was read, DeleteConflict when a deleted service is gone.
	Conflict        error
	ServiceConflict error
	DeleteConflict  error
}
