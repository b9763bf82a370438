package httpapi

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/usage"
)

// Back-office ingestion of usage (calls, traffic) and contract history
// (service protocols, support requests). Every write is an upsert by id,
// so a repeated request changes nothing.

// MoneyInput is a non-negative amount in minor units and its ISO 4217
// currency.
type MoneyInput struct {
	Amount   *int64 `json:"amount" validate:"required,min=0"`
	Currency string `json:"currency" validate:"required,iso4217"`
}

// CallInput is one rated call sent by the back office.
type CallInput struct {
	ID              string     `json:"id" validate:"required,max=64,excludesall=#$"`
	StartedAt       time.Time  `json:"startedAt" validate:"required"`
	Direction       string     `json:"direction" validate:"required,oneof=outgoing incoming"`
	From            string     `json:"from" validate:"required,max=40"`
	To              string     `json:"to" validate:"required,max=40"`
	Destination     string     `json:"destination" validate:"max=100"`
	DurationSeconds *int       `json:"durationSeconds" validate:"required,min=0,max=86400"`
	Price           MoneyInput `json:"price"`
}

type callsIngestRequest struct {
	CustomerID string      `json:"-" path:"customerId" validate:"required,max=64"`
	ContractID string      `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	Calls      []CallInput `json:"calls" validate:"required,min=1,max=1000,dive"`
}

// CallsIngested counts an ingestion: calls received, and distinct calls
// written (a call repeated in one request is written once).
type CallsIngested struct {
	Received int `json:"received"`
	Written  int `json:"written"`
}

// IngestCalls serves POST /admin/v1/customers/{customerId}/contracts/{contractId}/calls:
// up to 1000 rated calls, upserted by start time and id. Prices are not
// negative and in the customer's currency (400 on calls[i].price.currency
// otherwise).
func IngestCalls(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[callsIngestRequest, CallsIngested]{
		Route:  "POST /admin/v1/customers/{customerId}/contracts/{contractId}/calls",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *callsIngestRequest) (*CallsIngested, error) {
			calls := make([]clientzone.Call, len(req.Calls))
			for i, c := range req.Calls {
				calls[i] = clientzone.Call{
					ID: c.ID, StartedAt: c.StartedAt, Direction: c.Direction, From: c.From, To: c.To,
					Destination: c.Destination, DurationSeconds: *c.DurationSeconds,
					Price: clientzone.Money{Amount: *c.Price.Amount, Currency: c.Price.Currency},
				}
			}
			n, err := svc.IngestCalls(ctx, req.CustomerID, req.ContractID, calls)
			if err != nil {
				return nil, err
			}
			return &CallsIngested{Received: len(calls), Written: n}, nil
		},
	})
}

// TrafficInput is one day of traffic: of the contract, or of one of its IP
// addresses when ip is set.
type TrafficInput struct {
	Date          string `json:"date" validate:"required,datetime=2006-01-02"`
	IP            string `json:"ip,omitempty" validate:"omitempty,ip"`
	DownloadBytes *int64 `json:"downloadBytes" validate:"required,min=0"`
	UploadBytes   *int64 `json:"uploadBytes" validate:"required,min=0"`
}

type trafficIngestRequest struct {
	CustomerID string         `json:"-" path:"customerId" validate:"required,max=64"`
	ContractID string         `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	Records    []TrafficInput `json:"records" validate:"required,min=1,max=1000,dive"`
}

// TrafficIngested counts an ingestion: records received, and distinct
// (date, ip) records written.
type TrafficIngested struct {
	Received int `json:"received"`
	Written  int `json:"written"`
}

// IngestTraffic serves POST /admin/v1/customers/{customerId}/contracts/{contractId}/traffic:
// up to 1000 daily records, upserted by date and IP address.
func IngestTraffic(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[trafficIngestRequest, TrafficIngested]{
		Route:  "POST /admin/v1/customers/{customerId}/contracts/{contractId}/traffic",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *trafficIngestRequest) (*TrafficIngested, error) {
			days := make([]clientzone.TrafficDay, len(req.Records))
			for i, r := range req.Records {
				days[i] = clientzone.TrafficDay{Date: r.Date, IP: r.IP, DownloadBytes: *r.DownloadBytes, UploadBytes: *r.UploadBytes}
			}
			n, err := svc.IngestTraffic(ctx, req.CustomerID, req.ContractID, days)
			if err != nil {
				return nil, err
			}
			return &TrafficIngested{Received: len(days), Written: n}, nil
		},
	})
}

type protocolUpsertRequest struct {
	CustomerID  string `json:"-" path:"customerId" validate:"required,max=64"`
	ContractID  string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	ProtocolID  string `json:"-" path:"protocolId" validate:"required,max=64,excludesall=#$"`
	Number      string `json:"number" validate:"required,max=40"`
	Kind        string `json:"kind" validate:"required,oneof=installation handover repair other"`
	Date        string `json:"date" validate:"required,datetime=2006-01-02"`
	Title       string `json:"title" validate:"required,max=200"`
	Technician  string `json:"technician" validate:"max=100"`
	Summary     string `json:"summary" validate:"max=4000"`
	DocumentURL string `json:"documentUrl" validate:"omitempty,max=2048,https_url"`
}

// UpsertServiceProtocol serves PUT /admin/v1/customers/{customerId}/contracts/{contractId}/service-protocols/{protocolId}.
func UpsertServiceProtocol(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[protocolUpsertRequest, clientzone.ServiceProtocol]{
		Route:  "PUT /admin/v1/customers/{customerId}/contracts/{contractId}/service-protocols/{protocolId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *protocolUpsertRequest) (*clientzone.ServiceProtocol, error) {
			p := &clientzone.ServiceProtocol{
				ID: req.ProtocolID, ContractID: req.ContractID, Number: req.Number, Kind: req.Kind, Date: req.Date,
				Title: req.Title, Technician: req.Technician, Summary: req.Summary, DocumentURL: req.DocumentURL,
			}
			if err := svc.PutServiceProtocol(ctx, req.CustomerID, p); err != nil {
				return nil, err
			}
			return p, nil
		},
	})
}

type supportRequestUpsertRequest struct {
	CustomerID string     `json:"-" path:"customerId" validate:"required,max=64"`
	ContractID string     `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	RequestID  string     `json:"-" path:"requestId" validate:"required,max=64,excludesall=#$"`
	Number     string     `json:"number" validate:"required,max=40"`
	OpenedAt   time.Time  `json:"openedAt" validate:"required"`
	ClosedAt   *time.Time `json:"closedAt"`
	Status     string     `json:"status" validate:"required,oneof=open in_progress resolved closed"`
	Subject    string     `json:"subject" validate:"required,max=200"`
	Resolution string     `json:"resolution" validate:"max=4000"`
}

// UpsertSupportRequest serves PUT /admin/v1/customers/{customerId}/contracts/{contractId}/support-requests/{requestId}.
func UpsertSupportRequest(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[supportRequestUpsertRequest, clientzone.SupportRequest]{
		Route:  "PUT /admin/v1/customers/{customerId}/contracts/{contractId}/support-requests/{requestId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *supportRequestUpsertRequest) (*clientzone.SupportRequest, error) {
			r := &clientzone.SupportRequest{
				ID: req.RequestID, ContractID: req.ContractID, Number: req.Number, OpenedAt: req.OpenedAt,
				ClosedAt: req.ClosedAt, Status: req.Status, Subject: req.Subject, Resolution: req.Resolution,
			}
			if err := svc.PutSupportRequest(ctx, req.CustomerID, r); err != nil {
				return nil, err
			}
			return r, nil
		},
	})
}
