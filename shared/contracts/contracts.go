// Package contracts holds the use cases of a customer's contracts and
// services: reading them with their tariffs, the tariff catalogue, tariff
// changes (effective from the next billing period), addons (extra
// services), voluntary suspension and resumption, termination requests
// (only without debt), and the back office's upserts of contracts and
// tariffs. Every change is one store transaction with its audit entry and
// confirmation email. The rules are checked here; Store is the persistence
// they need, and the conflicts its conditions answer with are this
// package's errors (each change names them in clientzone.ContractChange;
// ErrContractChanged and ErrNoPendingTermination for the back office's
// upserts). shared/dynamo implements Store.
package contracts

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/support"
)

// Store is the persistence the use cases need.
type Store interface {
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Contracts(ctx context.Context, cid string) ([]*clientzone.Contract, error)
	Contract(ctx context.Context, cid, ctid string) (*clientzone.Contract, error)
	PutContract(ctx context.Context, c *clientzone.Contract, loginPersonID string) error
	Tariffs(ctx context.Context, kind string) ([]*clientzone.Tariff, error)
	Tariff(ctx context.Context, id string) (*clientzone.Tariff, error)
	PutTariff(ctx context.Context, t *clientzone.Tariff) error
	WriteContractChange(ctx context.Context, ch *clientzone.ContractChange) error
	UnpaidInvoices(ctx context.Context, cid string) ([]*clientzone.Invoice, error)
	Balance(ctx context.Context, cid, def string) (clientzone.Balance, error)
}

// PINVerifier checks the customer's authorization PIN (account.PINVerifier).
type PINVerifier interface {
	Verify(ctx context.Context, cid, pin string) error
}

// FreeSuspensionDays is how many days of voluntary suspension are free per
// contract and calendar year. Suspending on day D with F free days left in
// D's year stores FeesFrom = D+F on the contract and its services; the
// daily suspension-fee job (shared/schedule) charges from FeesFrom on.
// Resuming adds the free days actually used to the count of the year of
// D, so resume + suspend does not start a new 60 days. A suspension is
// counted in the year it starts (one crossing New Year keeps its FeesFrom).
const FreeSuspensionDays = 60

// Service runs the contract use cases.
type Service struct {
	Store Store
	PIN   PINVerifier
	Clock clientzone.Clock
	// SuspensionFees is the daily fee per suspended service, per currency
	// in minor units: the suspension-fees job's SUSPENSION_DAILY_FEE.
	SuspensionFees map[string]int64
	// Currency is the deployment currency (services without one).
	Currency string
	// DefaultLanguage is used for persons without a language.
	DefaultLanguage clientzone.Language
}

// Request is who asks, from where.
type Request struct {
	Person    *clientzone.Person
	IP        string
	UserAgent string
	PIN       string
}

// Errors of the use cases (client-safe, translated in httpapi).
var (
	ErrContractNotFound   = clientzone.NotFound("Contract")
	ErrServiceNotFound    = clientzone.NotFound("Service")
	ErrAddonNotFound      = clientzone.NotFound("Addon")
	ErrContractNotActive  = clientzone.Errorf(clientzone.ECONFLICT, "This contract is not active.")
	ErrAlreadySuspended   = clientzone.Errorf(clientzone.ECONFLICT, "This contract is already suspended.")
	ErrNotSuspended       = clientzone.Errorf(clientzone.ECONFLICT, "This contract is not suspended.")
	ErrTerminated         = clientzone.Errorf(clientzone.ECONFLICT, "This contract is terminated.")
	ErrServiceNotActive   = clientzone.Errorf(clientzone.ECONFLICT, "Only an active service can change its tariff.")
	ErrAddonNoChange      = clientzone.Errorf(clientzone.ECONFLICT, "An extra service cannot change its tariff; remove it and add another one.")
	ErrNotAddon           = clientzone.Errorf(clientzone.ECONFLICT, "Only extra services can be removed; ask for a termination of the contract instead.")
	ErrTerminationPending = clientzone.Errorf(clientzone.ECONFLICT, "A termination request for this contract is already pending.")
	ErrCustomerNotFound   = clientzone.NotFound("Customer")
	// ErrProviderSuspension: the provider's block (e.g. for debt) is
	// lifted by the back office only.
	ErrProviderSuspension = clientzone.Errorf(clientzone.ESUSPENDEDBYPROVIDER, "This contract was suspended by the provider; contact customer care to have the block lifted.")
	// ErrContractChanged: the contract's status changed since it was read.
	ErrContractChanged = clientzone.Errorf(clientzone.ECONFLICT, "This contract was changed meanwhile; reload it and try again.")
	// ErrServiceChanged: a service changed since it was read (e.g. a
	// renewal or another change).
	ErrServiceChanged = clientzone.Errorf(clientzone.ECONFLICT, "A service of this contract was changed meanwhile; reload it and try again.")
)

// ContractEventPrefix + action is the detail-type of the EventBridge event
// published (through the outbox, in the change's transaction) for every
// change a customer makes to a contract: tariff_change, addon_add,
// addon_remove, suspend, resume, termination_request.
const ContractEventPrefix = "clientzone.contract."

// ContractEvent is the detail of a clientzone.contract.* event.
type ContractEvent struct {
	Action         string            `json:"action"`
	CustomerID     string            `json:"customerId"`
	ContractID     string            `json:"contractId"`
	ContractNumber string            `json:"contractNumber"`
	ServiceID      string            `json:"serviceId,omitempty"`
	PersonID       string            `json:"personId"`
	Details        map[string]string `json:"details,omitempty"`
	At             time.Time         `json:"at"`
}

// event is the outbox entry of the clientzone.contract.<action> event.
func (s *Service) event(r Request, c *clientzone.Contract, action, sid string, details map[string]string) ([]*clientzone.Message, error) {
	now := s.Clock.Now().UTC()
	ev, err := support.Event(ContractEventPrefix+action, ContractEvent{Action: action, CustomerID: r.Person.CustomerID, ContractID: c.ID,
		ContractNumber: c.Number, ServiceID: sid, PersonID: r.Person.ID, Details: details, At: now}, r.Person.CustomerID, now)
	if err != nil {
		return nil, err
	}
	return []*clientzone.Message{ev}, nil
}

// suspensionKind is the kind of a suspension; suspensions stored before
// kinds existed were the customer's own.
func suspensionKind(k string) string {
	if k == "" {
		return clientzone.SuspensionVoluntary
	}
	return k
}

// freeDaysLeft is how many free suspension days contract c has left in
// the calendar year of day (YYYY-MM-DD): FreeSuspensionDays per calendar
// year, counted by the year a suspension starts in.
func freeDaysLeft(c *clientzone.Contract, day string) int {
	used := 0
	if y, _ := strconv.Atoi(day[:4]); y == c.FreeSuspensionYear {
		used = c.FreeSuspensionDaysUsed
	}
	return max(0, FreeSuspensionDays-used)
}

// daysBetween is the number of days from a to b (YYYY-MM-DD).
func daysBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// feesFromOf is the first charged day of a voluntary suspension since
// day since: stored, or (suspensions from before it was stored) since +
// FreeSuspensionDays.
func feesFromOf(stored, since string) string {
	if stored != "" {
		return stored
	}
	return addDays(since, FreeSuspensionDays)
}

func (s *Service) today() string { return s.Clock.Now().UTC().Format(time.DateOnly) }

func (s *Service) lang(p *clientzone.Person) clientzone.Language {
	if p.Language != "" {
		return p.Language
	}
	if s.DefaultLanguage != "" {
		return s.DefaultLanguage
	}
	return clientzone.LangEN
}

func fieldError(field, code, msg string) *clientzone.Error {
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: field, Code: code, Message: msg}}}
}

func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// ---- views ----

// ServiceView is a service as the customer sees it now (a pending tariff
// change whose date has come is applied) with its tariff's name.
type ServiceView struct {
	clientzone.Service
	// TariffName is the name of the tariff in the catalogue.
	TariffName string `json:"tariffName,omitempty"`
}

// SuspensionInfo describes a contract's suspension.
type SuspensionInfo struct {
	// Kind is "voluntary" (the customer's own: free days, then fees; the
	// customer can end it) or "provider" (the provider's block, e.g. for
	// debt: no fees, lifted by the back office only).
	Kind string `json:"kind"`
	// Since is the first day of the suspension (YYYY-MM-DD).
	Since string `json:"since"`
	// FreeUntil is the last free day (FeesFrom - 1 day; absent when no
	// free day was left, and for a provider suspension).
	FreeUntil string `json:"freeUntil,omitempty"`
	// FeesFrom is the first day charged: Since + the free days left in
	// that calendar year (at most 60). Absent for a provider suspension.
	FeesFrom string `json:"feesFrom,omitempty"`
	// DailyFee is charged every day from FeesFrom for the whole contract:
	// DailyFeePerService for each suspended service.
	DailyFee           clientzone.Money `json:"dailyFee"`
	DailyFeePerService clientzone.Money `json:"dailyFeePerService"`
	SuspendedServices  int              `json:"suspendedServices"`
}

// ContractView is a contract with its services as the customer sees them.
type ContractView struct {
	ID       string                    `json:"id"`
	Number   string                    `json:"number"`
	Status   clientzone.ContractStatus `json:"status"`
	SignedAt time.Time                 `json:"signedAt"`
	// NextChargeDate is the earliest next charge date of its services.
	NextChargeDate string `json:"nextChargeDate,omitempty"`
	// ExpiresOn is the earliest expiry date of its services.
	ExpiresOn          string                         `json:"expiresOn,omitempty"`
	Services           []ServiceView                  `json:"services"`
	Suspension         *SuspensionInfo                `json:"suspension,omitempty"`
	TerminationRequest *clientzone.TerminationRequest `json:"terminationRequest,omitempty"`
}

func (s *Service) tariffNames(ctx context.Context) (map[string]string, error) {
	ts, err := s.Store.Tariffs(ctx, "")
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ts))
	for _, t := range ts {
		names[t.ID] = t.Name
	}
	return names, nil
}

func (s *Service) feeFor(cur string) clientzone.Money {
	if cur == "" {
		cur = s.Currency
	}
	return clientzone.Money{Amount: s.SuspensionFees[cur], Currency: cur}
}

func (s *Service) view(c *clientzone.Contract, names map[string]string) *ContractView {
	now := s.Clock.Now()
	v := &ContractView{ID: c.ID, Number: c.Number, Status: c.Status, SignedAt: c.SignedAt,
		Services: make([]ServiceView, 0, len(c.Services)), TerminationRequest: c.Termination}
	since, kind, feesFrom := c.SuspendedOn, c.SuspensionKind, c.FeesFrom
	suspended := 0
	cur := ""
	for _, svc := range c.Services {
		e := clientzone.EffectiveService(svc, now)
		v.Services = append(v.Services, ServiceView{Service: e, TariffName: names[e.TariffID]})
		if e.Status != clientzone.StatusTerminated {
			if e.NextChargeDate != "" && (v.NextChargeDate == "" || e.NextChargeDate < v.NextChargeDate) {
				v.NextChargeDate = e.NextChargeDate
			}
			if e.ExpiresOn != "" && (v.ExpiresOn == "" || e.ExpiresOn < v.ExpiresOn) {
				v.ExpiresOn = e.ExpiresOn
			}
		}
		if e.SuspendedOn != "" {
			suspended++
			if cur == "" {
				cur = e.Price.Currency
			}
			if since == "" || e.SuspendedOn < since {
				since = e.SuspendedOn
			}
			if kind == "" {
				kind = e.SuspensionKind
			}
			if feesFrom == "" || (e.FeesFrom != "" && e.FeesFrom < feesFrom) {
				feesFrom = e.FeesFrom
			}
		}
	}
	if since != "" {
		per := s.feeFor(cur)
		info := &SuspensionInfo{Kind: suspensionKind(kind), Since: since, DailyFeePerService: per,
			DailyFee: clientzone.Money{Amount: per.Amount * int64(suspended), Currency: per.Currency}, SuspendedServices: suspended}
		if info.Kind == clientzone.SuspensionVoluntary {
			info.FeesFrom = feesFromOf(feesFrom, since)
			if info.FeesFrom > since {
				info.FreeUntil = addDays(info.FeesFrom, -1)
			}
		} else {
			info.DailyFee.Amount, info.DailyFeePerService.Amount = 0, 0
		}
		v.Suspension = info
	}
	return v
}

// List returns the customer's contracts.
func (s *Service) List(ctx context.Context, cid string) ([]*ContractView, error) {
	cs, err := s.Store.Contracts(ctx, cid)
	if err != nil {
		return nil, err
	}
	names, err := s.tariffNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*ContractView, 0, len(cs))
	for _, c := range cs {
		out = append(out, s.view(c, names))
	}
	return out, nil
}

// Get returns one contract of the customer (another customer's is 404).
func (s *Service) Get(ctx context.Context, cid, ctid string) (*ContractView, error) {
	c, err := s.contract(ctx, cid, ctid)
	if err != nil {
		return nil, err
	}
	names, err := s.tariffNames(ctx)
	if err != nil {
		return nil, err
	}
	return s.view(c, names), nil
}

func (s *Service) contract(ctx context.Context, cid, ctid string) (*clientzone.Contract, error) {
	c, err := s.Store.Contract(ctx, cid, ctid)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return nil, ErrContractNotFound
	}
	return c, err
}

// Tariffs lists the catalogue (kind "" for every kind), sorted by kind,
// base tariffs before addons, then price.
func (s *Service) Tariffs(ctx context.Context, kind string) ([]*clientzone.Tariff, error) {
	ts, err := s.Store.Tariffs(ctx, kind)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Addon != b.Addon {
			return !a.Addon
		}
		if a.Price.Amount != b.Price.Amount {
			return a.Price.Amount < b.Price.Amount
		}
		return a.ID < b.ID
	})
	return ts, nil
}

// ---- changes ----

func (s *Service) audit(r Request, action, target string, details map[string]string) *clientzone.AuditEntry {
	ua := r.UserAgent
	if len(ua) > 256 {
		ua = ua[:256]
	}
	return &clientzone.AuditEntry{CustomerID: r.Person.CustomerID, At: s.Clock.Now(), Action: action, ActorID: r.Person.ID,
		TargetID: target, IP: r.IP, UserAgent: ua, Details: details}
}

// message is the confirmation email to the person who asked ("contract-change"
// template; data["action"] names the change).
func (s *Service) message(r Request, c *clientzone.Contract, data map[string]string) *clientzone.Message {
	if r.Person.Email == "" {
		return nil
	}
	data["contractNumber"] = c.Number
	data["name"] = r.Person.Name
	return &clientzone.Message{Channel: clientzone.ChannelEmail, To: r.Person.Email, Template: "contract-change", Language: s.lang(r.Person),
		Data: data, CustomerID: r.Person.CustomerID, PersonID: r.Person.ID, CreatedAt: s.Clock.Now()}
}

func findService(c *clientzone.Contract, sid string) *clientzone.Service {
	for i := range c.Services {
		if c.Services[i].ID == sid {
			return &c.Services[i]
		}
	}
	return nil
}

// effectiveFrom is the first day of a service's next billing period: its
// next charge date, or the day after it expires (prepaid and yearly
// services), or else the first day of next month; never before tomorrow.
func effectiveFrom(svc *clientzone.Service, today string) string {
	tomorrow := addDays(today, 1)
	var on string
	switch {
	case svc.NextChargeDate != "":
		on = svc.NextChargeDate
	case svc.ExpiresOn != "":
		on = addDays(svc.ExpiresOn, 1)
	default:
		t, _ := time.Parse(time.DateOnly, today)
		on = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	if on < tomorrow {
		on = tomorrow
	}
	return on
}

// TariffChangeResult is the accepted tariff change.
type TariffChangeResult struct {
	ContractID string                  `json:"contractId"`
	ServiceID  string                  `json:"serviceId"`
	Current    string                  `json:"currentTariffId"`
	Change     clientzone.TariffChange `json:"pendingTariffChange"`
}

// ChangeTariff asks for service sid of contract ctid to move to tariff
// tariffID from the start of its next billing period. The tariff must be
// an available base tariff of the service's kind other than the current
// one; a pending change is replaced. PIN step-up.
func (s *Service) ChangeTariff(ctx context.Context, r Request, ctid, sid, tariffID string) (*TariffChangeResult, error) {
	cid := r.Person.CustomerID
	c, err := s.contract(ctx, cid, ctid)
	if err != nil {
		return nil, err
	}
	stored := findService(c, sid)
	if stored == nil {
		return nil, ErrServiceNotFound
	}
	now := s.Clock.Now()
	svc := clientzone.EffectiveService(*stored, now)
	t, err := s.Store.Tariff(ctx, tariffID)
	switch {
	case clientzone.ErrorCode(err) == clientzone.ENOTFOUND:
		return nil, fieldError("tariffId", "unknown", "There is no such tariff.")
	case err != nil:
		return nil, err
	case t.Addon:
		return nil, fieldError("tariffId", "addon", "An extra service is not a tariff; add it as an addon.")
	case t.Kind != svc.Kind:
		return nil, fieldError("tariffId", "kind", "The tariff is for another kind of service.")
	case !t.Available:
		return nil, fieldError("tariffId", "unavailable", "This tariff can no longer be ordered.")
	case t.ID == svc.TariffID:
		return nil, fieldError("tariffId", "current", "The service already has this tariff.")
	case svc.BillingPeriod != "" && t.BillingPeriod != svc.BillingPeriod:
		return nil, fieldError("tariffId", "billing_period", "The tariff has another billing period than the service; ask customer care to change it.")
	}
	if err := s.PIN.Verify(ctx, cid, r.PIN); err != nil {
		return nil, err
	}
	switch {
	case c.Status == clientzone.StatusTerminated:
		return nil, ErrTerminated
	case svc.Addon:
		return nil, ErrAddonNoChange
	case svc.Status != clientzone.StatusActive:
		return nil, ErrServiceNotActive
	}
	change := clientzone.TariffChange{TariffID: t.ID, TariffName: t.Name, Price: t.Price,
		EffectiveOn: effectiveFrom(&svc, now.UTC().Format(time.DateOnly)), RequestedAt: now.UTC(), RequestedBy: r.Person.ID}
	next := svc
	next.PendingTariffChange = &change
	events, err := s.event(r, c, "tariff_change", sid, map[string]string{"from": svc.TariffID, "to": t.ID, "effectiveOn": change.EffectiveOn})
	if err != nil {
		return nil, err
	}
	ch := &clientzone.ContractChange{CustomerID: cid, ContractID: ctid, Events: events,
		Conflict: ErrContractChanged, ServiceConflict: ErrServiceChanged,
		Services: []clientzone.ServicePut{{Service: next, ExpectStatus: stored.Status, ExpectTariffID: stored.TariffID}},
		Audit:    s.audit(r, "contract.tariff-change", sid, map[string]string{"contractId": ctid, "from": svc.TariffID, "to": t.ID, "effectiveOn": change.EffectiveOn}),
		Message: s.message(r, c, map[string]string{"action": "tariff-change", "serviceName": svc.Name, "tariffName": t.Name,
			"effectiveOn": change.EffectiveOn})}
	if err := s.Store.WriteContractChange(ctx, ch); err != nil {
		return nil, err
	}
	return &TariffChangeResult{ContractID: ctid, ServiceID: sid, Current: svc.TariffID, Change: change}, nil
}

// AddAddon adds an extra service of addon tariff tariffID to an active
// contract that has a service the addon is for (see hasKind), billed from
// today (next charge: first day of next month for
// monthly, a year from today for yearly tariffs).
func (s *Service) AddAddon(ctx context.Context, r Request, ctid, tariffID string) (*ServiceView, error) {
	cid := r.Person.CustomerID
	c, err := s.contract(ctx, cid, ctid)
	if err != nil {
		return nil, err
	}
	t, err := s.Store.Tariff(ctx, tariffID)
	switch {
	case clientzone.ErrorCode(err) == clientzone.ENOTFOUND:
		return nil, fieldError("tariffId", "unknown", "There is no such tariff.")
	case err != nil:
		return nil, err
	case !t.Addon:
		return nil, fieldError("tariffId", "not_addon", "Only extra services can be added; change the tariff of a service instead.")
	case !t.Available:
		return nil, fieldError("tariffId", "unavailable", "This tariff can no longer be ordered.")
	case !hasKind(c, t.Kind):
		return nil, fieldError("tariffId", "kind", "The contract has no service this extra service is for.")
	}
	if c.Status != clientzone.StatusActive {
		return nil, ErrContractNotActive
	}
	now := s.Clock.Now().UTC()
	next := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	if t.BillingPeriod == "yearly" {
		next = now.AddDate(1, 0, 0)
	}
	svc := clientzone.Service{ID: clientzone.NewID(), ContractID: ctid, Kind: t.Kind, Name: t.Name, TariffID: t.ID,
		Status: clientzone.StatusActive, BillingPeriod: t.BillingPeriod, Price: t.Price, Addon: true,
		NextChargeDate: next.Format(time.DateOnly)}
	events, err := s.event(r, c, "addon_add", svc.ID, map[string]string{"tariffId": t.ID})
	if err != nil {
		return nil, err
	}
	ch := &clientzone.ContractChange{CustomerID: cid, ContractID: ctid, ExpectStatus: clientzone.StatusActive, Events: events,
		Services: []clientzone.ServicePut{{Service: svc, Create: true}},
		Audit:    s.audit(r, "contract.addon-add", svc.ID, map[string]string{"contractId": ctid, "tariffId": t.ID}),
		Message:  s.message(r, c, map[string]string{"action": "addon-add", "serviceName": t.Name}),
		Conflict: ErrContractNotActive}
	if err := s.Store.WriteContractChange(ctx, ch); err != nil {
		return nil, err
	}
	return &ServiceView{Service: svc, TariffName: t.Name}, nil
}

// AddonRemoval is the answer of removing an addon.
type AddonRemoval struct {
	ContractID string `json:"contractId"`
	AddonID    string `json:"addonId"`
	Removed    bool   `json:"removed"`
	// RemovedOn is today: an addon ends immediately (the back office bills
	// the current period up to today).
	RemovedOn string `json:"removedOn"`
}

// RemoveAddon removes extra service addonID of a contract immediately.
// Only addons can be removed (others: 409).
func (s *Service) RemoveAddon(ctx context.Context, r Request, ctid, addonID string) (*AddonRemoval, error) {
	cid := r.Person.CustomerID
	c, err := s.contract(ctx, cid, ctid)
	if err != nil {
		return nil, err
	}
	svc := findService(c, addonID)
	switch {
	case svc == nil:
		return nil, ErrAddonNotFound
	case !svc.Addon:
		return nil, ErrNotAddon
	case c.Status == clientzone.StatusTerminated:
		return nil, ErrTerminated
	}
	events, err := s.event(r, c, "addon_remove", addonID, map[string]string{"tariffId": svc.TariffID})
	if err != nil {
		return nil, err
	}
	ch := &clientzone.ContractChange{CustomerID: cid, ContractID: ctid, ExpectStatus: c.Status, Events: events,
		Conflict: ErrContractChanged, DeleteConflict: ErrAddonNotFound,
		DeleteServices: []string{addonID},
		Audit:          s.audit(r, "contract.addon-remove", addonID, map[string]string{"contractId": ctid, "tariffId": svc.TariffID}),
		Message:        s.message(r, c, map[string]string{"action": "addon-remove", "serviceName": svc.Name})}
	if err := s.Store.WriteContractChange(ctx, ch); err != nil {
		return nil, err // ErrAddonNotFound when removed concurrently, ErrContractChanged when the contract changed
	}
	return &AddonRemoval{ContractID: ctid, AddonID: addonID, Removed: true, RemovedOn: s.today()}, nil
}

// Suspend blocks a whole active contract from today: every active service
// is suspended. The first FreeSuspensionDays days are free, then the daily
// fee is charged per suspended service. PIN step-up.
func (s *Service) Suspend(ctx context.Context, r Request, ctid string) (*ContractView, error) {
	cid := r.Person.CustomerID
	c, err := s.contract(ctx, cid, ctid)
	if err != nil {
		return nil, err
	}
	if err := s.PIN.Verify(ctx, cid, r.PIN); err != nil {
		return nil, err
	}
	switch c.Status {
	case clientzone.StatusSuspended:
		return nil, ErrAlreadySuspended
	case clientzone.StatusTerminated:
		return nil, ErrTerminated
	}
	now := s.Clock.Now()
	today := s.today()
	feesFrom := addDays(today, freeDaysLeft(c, today))
	ch := &clientzone.ContractChange{CustomerID: cid, ContractID: ctid, ExpectStatus: clientzone.StatusActive,
		SetStatus: clientzone.StatusSuspended, SuspendedOn: today, SuspensionKind: clientzone.SuspensionVoluntary, FeesFrom: feesFrom,
		Conflict: ErrContractChanged, ServiceConflict: ErrServiceChanged}
	n := 0
	for _, stored := range c.Services {
		if stored.Status != clientzone.StatusActive {
			continue
		}
		next := clientzone.EffectiveService(stored, now)
		next.Status, next.SuspendedOn, next.SuspensionKind, next.FeesFrom = clientzone.StatusSuspended, today, clientzone.SuspensionVoluntary, feesFrom
		ch.Services = append(ch.Services, clientzone.ServicePut{Service: next, ExpectStatus: stored.Status, ExpectTariffID: stored.TariffID})
		n++
	}
	per := s.feeFor(currencyOf(c))
	freeUntil := ""
	if feesFrom > today {
		freeUntil = addDays(feesFrom, -1)
	}
	ch.Audit = s.audit(r, "contract.suspend", ctid, map[string]string{"services": fmt.Sprint(n), "since": today, "feesFrom": feesFrom})
	ch.Message = s.message(r, c, map[string]string{"action": "suspension-start", "since": today, "feesFrom": feesFrom,
		"freeUntil": freeUntil, "dailyFee": FormatMoney(clientzone.Money{Amount: per.Amount * int64(n), Currency: per.Currency})})
	if ch.Events, err = s.event(r, c, "suspend", "", map[string]string{"since": today, "feesFrom": feesFrom, "services": fmt.Sprint(n)}); err != nil {
		return nil, err
	}
	if err := s.Store.WriteContractChange(ctx, ch); err != nil {
		return nil, err
	}
	return s.Get(ctx, cid, ctid)
}

// Resume ends a contract's suspension: its suspended services are active
// again from today. PIN step-up.
func (s *Service) Resume(ctx context.Context, r Request, ctid string) (*ContractView, error) {
	cid := r.Person.CustomerID
	c, err := s.contract(ctx, cid, ctid)
	if err != nil {
		return nil, err
	}
	if err := s.PIN.Verify(ctx, cid, r.PIN); err != nil {
		return nil, err
	}
	if c.Status != clientzone.StatusSuspended {
		return nil, ErrNotSuspended
	}
	if suspensionKind(c.SuspensionKind) != clientzone.SuspensionVoluntary {
		return nil, ErrProviderSuspension
	}
	for _, svc := range c.Services {
		if svc.Status == clientzone.StatusSuspended && suspensionKind(svc.SuspensionKind) != clientzone.SuspensionVoluntary {
			return nil, ErrProviderSuspension
		}
	}
	now := s.Clock.Now()
	today := s.today()
	// The free days this suspension used count for the year it started.
	free := FreeSuspensionDays
	if c.SuspendedOn != "" {
		free = min(max(0, daysBetween(c.SuspendedOn, today)), max(0, daysBetween(c.SuspendedOn, feesFromOf(c.FeesFrom, c.SuspendedOn))))
	}
	days := &clientzone.FreeSuspensionDays{Year: now.UTC().Year(), Used: free}
	if c.SuspendedOn != "" {
		days.Year, _ = strconv.Atoi(c.SuspendedOn[:4])
		if days.Year == c.FreeSuspensionYear {
			days.Used = min(FreeSuspensionDays, c.FreeSuspensionDaysUsed+free)
		}
	}
	ch := &clientzone.ContractChange{CustomerID: cid, ContractID: ctid, ExpectStatus: clientzone.StatusSuspended,
		ExpectSuspensionKind: clientzone.SuspensionVoluntary, FreeDays: days,
		SetStatus: clientzone.StatusActive, Conflict: ErrContractChanged, ServiceConflict: ErrServiceChanged}
	for _, stored := range c.Services {
		if stored.Status != clientzone.StatusSuspended {
			continue
		}
		next := clientzone.EffectiveService(stored, now)
		next.Status, next.SuspendedOn, next.SuspensionKind, next.FeesFrom = clientzone.StatusActive, "", "", ""
		ch.Services = append(ch.Services, clientzone.ServicePut{Service: next, ExpectStatus: stored.Status, ExpectTariffID: stored.TariffID})
	}
	if ch.Events, err = s.event(r, c, "resume", "", map[string]string{"suspendedOn": c.SuspendedOn, "resumedOn": today,
		"freeDaysUsed": strconv.Itoa(days.Used)}); err != nil {
		return nil, err
	}
	ch.Audit = s.audit(r, "contract.resume", ctid, map[string]string{"suspendedOn": c.SuspendedOn, "services": fmt.Sprint(len(ch.Services))})
	ch.Message = s.message(r, c, map[string]string{"action": "suspension-end", "resumedOn": s.today()})
	if err := s.Store.WriteContractChange(ctx, ch); err != nil {
		return nil, err
	}
	return s.Get(ctx, cid, ctid)
}

// hasKind says whether contract c has a (not terminated, base) service an
// addon of kind is for: a service of that kind, or, for TV packages
// (IPTV, delivered over the connection), also an internet service.
func hasKind(c *clientzone.Contract, kind string) bool {
	for _, svc := range c.Services {
		if svc.Addon || svc.Status == clientzone.StatusTerminated {
			continue
		}
		if svc.Kind == kind || kind == clientzone.ServiceTV && svc.Kind == clientzone.ServiceInternet {
			return true
		}
	}
	return false
}

// currencyOf is the currency of a contract's prices.
func currencyOf(c *clientzone.Contract) string {
	for _, svc := range c.Services {
		if svc.Price.Currency != "" {
			return svc.Price.Currency
		}
	}
	return ""
}

// FormatMoney shows an amount as "29.90 EUR".
func FormatMoney(m clientzone.Money) string {
	sign, a := "", m.Amount
	if a < 0 {
		sign, a = "-", -a
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, a/100, a%100, m.Currency)
}

// Debt is what a customer owes: unpaid (and overdue) invoices plus a
// negative prepaid balance, per currency.
type Debt struct {
	UnpaidInvoices int
	Amounts        map[string]int64
}

func (d Debt) zero() bool {
	for _, a := range d.Amounts {
		if a > 0 {
			return false
		}
	}
	return d.UnpaidInvoices == 0
}

func (d Debt) String() string {
	curs := make([]string, 0, len(d.Amounts))
	for c := range d.Amounts {
		curs = append(curs, c)
	}
	sort.Strings(curs)
	parts := make([]string, 0, len(curs))
	for _, c := range curs {
		parts = append(parts, FormatMoney(clientzone.Money{Amount: d.Amounts[c], Currency: c}))
	}
	return strings.Join(parts, " + ")
}

// DebtOf adds up what customer cid owes.
func (s *Service) DebtOf(ctx context.Context, cid, currency string) (Debt, error) {
	d := Debt{Amounts: map[string]int64{}}
	invs, err := s.Store.UnpaidInvoices(ctx, cid)
	if err != nil {
		return d, err
	}
	for _, inv := range invs {
		if inv.Status != clientzone.InvoiceUnpaid {
			continue
		}
		d.UnpaidInvoices++
		d.Amounts[inv.Total.Currency] += inv.Total.Amount
	}
	b, err := s.Store.Balance(ctx, cid, currency)
	if err != nil {
		return d, err
	}
	if b.Amount.Amount < 0 {
		d.Amounts[b.Amount.Currency] += -b.Amount.Amount
	}
	return d, nil
}

// RequestTermination asks the provider to end contract ctid on
// desiredEndOn (YYYY-MM-DD, today or later). Accepted only when the
// customer owes nothing (no unpaid or overdue invoice, no negative prepaid
// balance; otherwise EDEBT with the amount due) and no other request is
// pending. PIN step-up.
func (s *Service) RequestTermination(ctx context.Context, r Request, ctid, desiredEndOn, reason string) (*clientzone.TerminationRequest, error) {
	cid := r.Person.CustomerID
	c, err := s.contract(ctx, cid, ctid)
	if err != nil {
		return nil, err
	}
	today := s.today()
	if _, err := time.Parse(time.DateOnly, desiredEndOn); err != nil {
		return nil, fieldError("desiredEndOn", "date", "Give a date as YYYY-MM-DD.")
	}
	if desiredEndOn < today {
		return nil, fieldError("desiredEndOn", "past", "The end date cannot be in the past.")
	}
	if err := s.PIN.Verify(ctx, cid, r.PIN); err != nil {
		return nil, err
	}
	switch {
	case c.Status == clientzone.StatusTerminated:
		return nil, ErrTerminated
	case c.Termination != nil && c.Termination.Status == clientzone.TerminationPending:
		return nil, ErrTerminationPending
	}
	cur := s.Currency
	if cu, err := s.Store.Customer(ctx, cid); err == nil && cu.Currency != "" {
		cur = cu.Currency
	} else if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return nil, err
	}
	debt, err := s.DebtOf(ctx, cid, cur)
	if err != nil {
		return nil, err
	}
	if !debt.zero() {
		return nil, clientzone.Errorf(clientzone.EDEBT, "You owe %s (%d unpaid invoices or a negative prepaid balance); pay it before asking for termination.", debt.String(), debt.UnpaidInvoices)
	}
	now := s.Clock.Now().UTC()
	tr := &clientzone.TerminationRequest{ContractID: ctid, RequestedAt: now, RequestedBy: r.Person.ID, DesiredEndOn: desiredEndOn,
		Reason: reason, Status: clientzone.TerminationPending}
	events, err := s.event(r, c, "termination_request", "", map[string]string{"desiredEndOn": desiredEndOn, "reason": reason})
	if err != nil {
		return nil, err
	}
	ch := &clientzone.ContractChange{CustomerID: cid, ContractID: ctid, ExpectStatus: c.Status, Termination: tr, Events: events,
		TerminationConflict: ErrTerminationPending, Conflict: ErrContractChanged,
		Audit:   s.audit(r, "contract.termination-request", ctid, map[string]string{"desiredEndOn": desiredEndOn}),
		Message: s.message(r, c, map[string]string{"action": "termination-request", "endOn": desiredEndOn})}
	if err := s.Store.WriteContractChange(ctx, ch); err != nil {
		return nil, err
	}
	return tr, nil
}
