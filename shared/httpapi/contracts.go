package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
)

// ContractList is the customer's contracts.
type ContractList struct {
	Items []*contracts.ContractView `json:"items"`
}

// ListContracts serves GET /v1/contracts: the customer's contracts with
// their services (tariff and its catalogue name, status, billing period,
// next charge date, expiry, pending tariff change), suspension info (since,
// free until, daily fee after) and a pending termination request.
func ListContracts(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[struct{}, ContractList]{
		Route:  "GET /v1/contracts",
		Access: Needs(clientzone.RightContracts),
		Exec: func(ctx context.Context, _ *struct{}) (*ContractList, error) {
			cs, err := svc.List(ctx, PrincipalOf(ctx).Person.CustomerID)
			if err != nil {
				return nil, err
			}
			return &ContractList{Items: cs}, nil
		},
	})
}

type contractPath struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
}

// GetContract serves GET /v1/contracts/{contractId}: one contract of the
// customer (another customer's is 404).
func GetContract(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[contractPath, contracts.ContractView]{
		Route:  "GET /v1/contracts/{contractId}",
		Access: Needs(clientzone.RightContracts),
		Exec: func(ctx context.Context, req *contractPath) (*contracts.ContractView, error) {
			return svc.Get(ctx, PrincipalOf(ctx).Person.CustomerID, req.ContractID)
		},
	})
}

type tariffsRequest struct {
	Kind string `json:"kind" query:"kind" validate:"omitempty,oneof=internet voip tv serverhousing hosting domain cloud"`
}

// TariffList is the tariff catalogue.
type TariffList struct {
	Items []*clientzone.Tariff `json:"items"`
}

// ListTariffs serves GET /v1/tariffs[?kind=]: the tariff catalogue (base
// tariffs and addons, available or not), by kind, base tariffs first, then
// by price.
func ListTariffs(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[tariffsRequest, TariffList]{
		Route:  "GET /v1/tariffs",
		Access: Needs(clientzone.RightContracts),
		Exec: func(ctx context.Context, req *tariffsRequest) (*TariffList, error) {
			ts, err := svc.Tariffs(ctx, req.Kind)
			if err != nil {
				return nil, err
			}
			return &TariffList{Items: ts}, nil
		},
	})
}

type priceInput struct {
	Amount   int64  `json:"amount" validate:"min=0"`
	Currency string `json:"currency" validate:"required,iso4217"`
}

type tariffUpsertRequest struct {
	TariffID      string            `json:"-" path:"tariffId" validate:"required,max=64,printascii,excludesall=#/ "`
	Kind          string            `json:"kind" validate:"required,oneof=internet voip tv serverhousing hosting domain cloud"`
	Name          string            `json:"name" validate:"required,max=200"`
	Description   string            `json:"description" validate:"max=2000"`
	Price         *priceInput       `json:"price" validate:"required"`
	BillingPeriod string            `json:"billingPeriod" validate:"required,oneof=monthly yearly"`
	Addon         bool              `json:"addon"`
	Parameters    map[string]string `json:"parameters" validate:"max=20,dive,keys,min=1,max=64,endkeys,max=200"`
	Available     bool              `json:"available"`
}

// UpsertTariff serves PUT /admin/v1/tariffs/{tariffId} (back office):
// creates or replaces a tariff of the catalogue.
func UpsertTariff(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[tariffUpsertRequest, clientzone.Tariff]{
		Route:  "PUT /admin/v1/tariffs/{tariffId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *tariffUpsertRequest) (*clientzone.Tariff, error) {
			return svc.UpsertTariff(ctx, &clientzone.Tariff{ID: req.TariffID, Kind: req.Kind, Name: req.Name, Description: req.Description,
				Price: clientzone.Money{Amount: req.Price.Amount, Currency: req.Price.Currency}, BillingPeriod: req.BillingPeriod,
				Addon: req.Addon, Parameters: req.Parameters, Available: req.Available})
		},
	})
}

func request(ctx context.Context, pin string) contracts.Request {
	c := ClientFrom(ctx)
	return contracts.Request{Person: PrincipalOf(ctx).Person, IP: c.IP, UserAgent: c.UserAgent, PIN: pin}
}

type tariffChangeRequest struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	ServiceID  string `json:"-" path:"serviceId" validate:"required,max=64,excludesall=#"`
	TariffID   string `json:"tariffId" validate:"required,max=64,excludesall=#"`
	// PIN is the authorization PIN (step-up); missing is 403 pin_required.
	PIN string `json:"pin" validate:"max=64"`
}

// ChangeTariff serves POST
// /v1/contracts/{contractId}/services/{serviceId}/tariff-change: moves a
// service to another available base tariff of its kind from the start of
// its next billing period (its next charge date, or the day after it
// expires); a pending change is replaced. Authorization PIN required;
// Idempotency-Key required. Answers 202 Accepted with the pending change.
func ChangeTariff(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[tariffChangeRequest, contracts.TariffChangeResult]{
		Route:      "POST /v1/contracts/{contractId}/services/{serviceId}/tariff-change",
		Access:     Needs(clientzone.RightContracts),
		Status:     http.StatusAccepted,
		Idempotent: true,
		Exec: func(ctx context.Context, req *tariffChangeRequest) (*contracts.TariffChangeResult, error) {
			return svc.ChangeTariff(ctx, request(ctx, req.PIN), req.ContractID, req.ServiceID, req.TariffID)
		},
	})
}

type addonAddRequest struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	TariffID   string `json:"tariffId" validate:"required,max=64,excludesall=#"`
}

// AddAddon serves POST /v1/contracts/{contractId}/addons: adds an extra
// service (an addon tariff of the catalogue, e.g. a public IP address or a
// TV package) to an active contract, billed from today. Idempotency-Key
// required. Answers 201 with the new service.
func AddAddon(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[addonAddRequest, contracts.ServiceView]{
		Route:      "POST /v1/contracts/{contractId}/addons",
		Access:     Needs(clientzone.RightContracts),
		Status:     http.StatusCreated,
		Idempotent: true,
		Exec: func(ctx context.Context, req *addonAddRequest) (*contracts.ServiceView, error) {
			return svc.AddAddon(ctx, request(ctx, ""), req.ContractID, req.TariffID)
		},
		Headers: func(s *contracts.ServiceView) http.Header {
			return http.Header{"Location": {"/v1/contracts/" + s.ContractID + "/addons/" + s.ID}}
		},
	})
}

type addonRemoveRequest struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	AddonID    string `json:"-" path:"addonId" validate:"required,max=64,excludesall=#"`
}

// RemoveAddon serves DELETE /v1/contracts/{contractId}/addons/{addonId}:
// removes an extra service immediately (the current period is billed up to
// today). Only addons can be removed (other services: 409).
func RemoveAddon(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[addonRemoveRequest, contracts.AddonRemoval]{
		Route:  "DELETE /v1/contracts/{contractId}/addons/{addonId}",
		Access: Needs(clientzone.RightContracts),
		Exec: func(ctx context.Context, req *addonRemoveRequest) (*contracts.AddonRemoval, error) {
			return svc.RemoveAddon(ctx, request(ctx, ""), req.ContractID, req.AddonID)
		},
	})
}

type pinContractRequest struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	// PIN is the authorization PIN (step-up); missing is 403 pin_required.
	PIN string `json:"pin" validate:"max=64"`
}

// StartSuspension serves POST /v1/contracts/{contractId}/suspension: a
// voluntary block of the whole contract from today; every active service
// is suspended. Free for 60 days (suspension.freeUntil), then the daily fee
// (suspension.dailyFee) is charged from suspension.feesFrom. An already
// suspended contract is 409. Authorization PIN and Idempotency-Key
// required. Answers with the contract.
func StartSuspension(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[pinContractRequest, contracts.ContractView]{
		Route:      "POST /v1/contracts/{contractId}/suspension",
		Access:     Needs(clientzone.RightContracts),
		Idempotent: true,
		Exec: func(ctx context.Context, req *pinContractRequest) (*contracts.ContractView, error) {
			return svc.Suspend(ctx, request(ctx, req.PIN), req.ContractID)
		},
	})
}

type suspensionEndRequest struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	// PIN is the authorization PIN (step-up) in the X-Authorization-PIN
	// header, as on other requests without a body; missing is 403
	// pin_required.
	PIN string `json:"-" header:"X-Authorization-PIN" validate:"max=64"`
}

// EndSuspension serves DELETE /v1/contracts/{contractId}/suspension: ends
// the voluntary suspension; the suspended services are active again. The
// request has no body: the authorization PIN goes in the
// X-Authorization-PIN header. A contract that is not suspended is 409
// conflict; a suspension by the provider (e.g. for debt) is 409
// suspended_by_provider. Answers with the contract.
func EndSuspension(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[suspensionEndRequest, contracts.ContractView]{
		Route:  "DELETE /v1/contracts/{contractId}/suspension",
		Access: Needs(clientzone.RightContracts),
		Exec: func(ctx context.Context, req *suspensionEndRequest) (*contracts.ContractView, error) {
			return svc.Resume(ctx, request(ctx, req.PIN), req.ContractID)
		},
	})
}

type terminationRequest struct {
	ContractID   string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	DesiredEndOn string `json:"desiredEndOn" validate:"required,datetime=2006-01-02"`
	Reason       string `json:"reason" validate:"max=1000"`
	// PIN is the authorization PIN (step-up); missing is 403 pin_required.
	PIN string `json:"pin" validate:"max=64"`
}

// RequestTermination serves POST
// /v1/contracts/{contractId}/termination-request: asks for the contract to
// end on desiredEndOn (today or later). Accepted only when the customer
// owes nothing: unpaid or overdue invoices or a negative prepaid balance
// answer 409 debt_outstanding with the amount due; a second request while
// one is pending is 409 conflict. Authorization PIN and Idempotency-Key
// required. Answers 201 with the stored request.
func RequestTermination(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[terminationRequest, clientzone.TerminationRequest]{
		Route:      "POST /v1/contracts/{contractId}/termination-request",
		Access:     Needs(clientzone.RightContracts),
		Status:     http.StatusCreated,
		Idempotent: true,
		Exec: func(ctx context.Context, req *terminationRequest) (*clientzone.TerminationRequest, error) {
			return svc.RequestTermination(ctx, request(ctx, req.PIN), req.ContractID, req.DesiredEndOn, req.Reason)
		},
	})
}

type serviceInput struct {
	ID             string      `json:"id" validate:"required,max=64,printascii,excludesall=# "`
	Kind           string      `json:"kind" validate:"required,oneof=internet voip tv serverhousing hosting domain cloud"`
	Name           string      `json:"name" validate:"required,max=200"`
	TariffID       string      `json:"tariffId" validate:"required,max=64,excludesall=#"`
	Status         string      `json:"status" validate:"required,oneof=active suspended terminated"`
	BillingPeriod  string      `json:"billingPeriod" validate:"required,oneof=monthly yearly"`
	Price          *priceInput `json:"price" validate:"required"`
	NextChargeDate string      `json:"nextChargeDate" validate:"omitempty,datetime=2006-01-02"`
	ExpiresOn      string      `json:"expiresOn" validate:"omitempty,datetime=2006-01-02"`
	SuspendedOn    string      `json:"suspendedOn" validate:"omitempty,datetime=2006-01-02"`
	// SuspensionKind of a suspended service: voluntary or provider
	// (default: the stored kind when it was already suspended that day,
	// else provider).
	SuspensionKind string `json:"suspensionKind" validate:"omitempty,oneof=voluntary provider"`
	Addon          bool   `json:"addon"`
	// PendingTariffChange, when present, replaces the stored pending
	// tariff change ({"tariffId", "effectiveOn"}); null clears it; absent
	// keeps it.
	PendingTariffChange json.RawMessage `json:"pendingTariffChange"`
}

type pendingChangeInput struct {
	TariffID    string `json:"tariffId"`
	EffectiveOn string `json:"effectiveOn"`
}

type terminationResolution struct {
	Status string `json:"status" validate:"required,oneof=accepted rejected withdrawn"`
}

type contractUpsertRequest struct {
	CustomerID string     `json:"-" path:"customerId" validate:"required,max=64,excludesall=#"`
	ContractID string     `json:"-" path:"contractId" validate:"required,max=64,printascii,excludesall=# "`
	Number     string     `json:"number" validate:"required,max=64"`
	Status     string     `json:"status" validate:"required,oneof=active suspended terminated"`
	SignedAt   *time.Time `json:"signedAt" validate:"required"`
	// SuspensionKind of a suspended contract (default as for services).
	SuspensionKind string          `json:"suspensionKind" validate:"omitempty,oneof=voluntary provider"`
	Services       []*serviceInput `json:"services" validate:"max=97,dive,required"`
	// TerminationRequest, when set, resolves the pending termination
	// request.
	TerminationRequest *terminationResolution `json:"terminationRequest"`
}

// UpsertContract serves PUT
// /admin/v1/customers/{customerId}/contracts/{contractId} (back office):
// creates or replaces a contract with its services (services not listed
// are removed). Tariffs must be in the catalogue, prices in the customer's
// currency. A suspended contract or service is a provider suspension
// unless suspensionKind says voluntary (or it was already suspended that
// day: its kind is kept). Stored pending tariff changes are kept unless a
// service carries pendingTariffChange (null clears it); a service moved to
// the pending tariff loses it. terminationRequest.status resolves the
// pending termination request (409 when none is pending); a terminated
// contract accepts it. 409 when a customer changed the contract meanwhile;
// 404 when the customer does not exist. Answers with the contract as
// customers see it.
func UpsertContract(api *API, svc *contracts.Service) Handler {
	return Handle(api, Endpoint[contractUpsertRequest, contracts.ContractView]{
		Route:  "PUT /admin/v1/customers/{customerId}/contracts/{contractId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *contractUpsertRequest) (*contracts.ContractView, error) {
			c := &clientzone.Contract{ID: req.ContractID, CustomerID: req.CustomerID, Number: req.Number,
				Status: clientzone.ContractStatus(req.Status), SignedAt: req.SignedAt.UTC(), SuspensionKind: req.SuspensionKind,
				Services: []clientzone.Service{}}
			u := &contracts.ContractUpsert{Contract: c, PendingSet: map[string]bool{}}
			if req.TerminationRequest != nil {
				u.TerminationStatus = req.TerminationRequest.Status
			}
			for i, s := range req.Services {
				sv := clientzone.Service{ID: s.ID, ContractID: req.ContractID, Kind: s.Kind, Name: s.Name,
					TariffID: s.TariffID, Status: clientzone.ContractStatus(s.Status), BillingPeriod: s.BillingPeriod,
					Price:          clientzone.Money{Amount: s.Price.Amount, Currency: s.Price.Currency},
					NextChargeDate: s.NextChargeDate, ExpiresOn: s.ExpiresOn, SuspendedOn: s.SuspendedOn, SuspensionKind: s.SuspensionKind, Addon: s.Addon}
				if raw := bytes.TrimSpace(s.PendingTariffChange); len(raw) > 0 {
					u.PendingSet[s.ID] = true
					if !bytes.Equal(raw, []byte("null")) {
						field := fmt.Sprintf("services[%d].pendingTariffChange", i)
						var in pendingChangeInput
						dec := json.NewDecoder(bytes.NewReader(raw))
						dec.DisallowUnknownFields()
						if err := dec.Decode(&in); err != nil {
							return nil, upsertFieldError(field, "object", "Give the pending change as {\"tariffId\", \"effectiveOn\"} or null.")
						}
						if in.TariffID == "" || len(in.TariffID) > 64 || strings.Contains(in.TariffID, "#") {
							return nil, upsertFieldError(field+".tariffId", "required", "There is no such tariff.")
						}
						if _, err := time.Parse(time.DateOnly, in.EffectiveOn); err != nil {
							return nil, upsertFieldError(field+".effectiveOn", "date", "Give a date as YYYY-MM-DD.")
						}
						sv.PendingTariffChange = &clientzone.TariffChange{TariffID: in.TariffID, EffectiveOn: in.EffectiveOn, RequestedBy: "back-office"}
					}
				}
				c.Services = append(c.Services, sv)
			}
			return svc.UpsertContract(ctx, u)
		},
	})
}

func upsertFieldError(field, code, msg string) *clientzone.Error {
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: field, Code: code, Message: msg}}}
}
