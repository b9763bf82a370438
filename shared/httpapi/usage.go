package httpapi

import (
	"context"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/usage"
)

type listCallsRequest struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	From       string `query:"from" validate:"max=40"`
	To         string `query:"to" validate:"max=40"`
	Direction  string `query:"direction" validate:"omitempty,oneof=outgoing incoming"`
	Limit      *int   `query:"limit" validate:"omitempty,min=1,max=500"`
	Cursor     string `query:"cursor" validate:"max=2048"`
	Format     string `query:"format" validate:"omitempty,oneof=json csv"`
	Accept     string `json:"-" header:"Accept" validate:"max=1024"`
}

// CallList is a page of a contract's VoIP calls, newest first, with the
// range it covers (from included, to excluded). With ?format=csv (or
// Accept: text/csv) the whole range is answered as a CSV file instead.
type CallList struct {
	ContractID string             `json:"contractId"`
	From       time.Time          `json:"from"`
	To         time.Time          `json:"to"`
	Items      []*clientzone.Call `json:"items"`
	NextCursor string             `json:"nextCursor,omitempty"`

	csv      []byte
	filename string
}

// RawBody answers the CSV export as text/csv.
func (l *CallList) RawBody() (string, []byte, bool) {
	if l.csv == nil {
		return "", nil, false
	}
	return "text/csv; charset=utf-8", l.csv, true
}

// wantsCSV reports whether the caller asked for CSV: ?format=csv, or no
// format and an Accept header preferring text/csv to JSON.
func (r *listCallsRequest) wantsCSV() bool {
	if r.Format != "" {
		return r.Format == "csv"
	}
	for _, part := range strings.Split(r.Accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true
		case "application/json", "*/*":
			return false
		}
	}
	return false
}

// ListCalls serves GET /v1/contracts/{contractId}/calls: the contract's
// VoIP calls in a date range (default: the current month), newest first,
// cursor-paginated, optionally one direction; or the whole range as CSV.
func ListCalls(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[listCallsRequest, CallList]{
		Route:  "GET /v1/contracts/{contractId}/calls",
		Access: Needs(clientzone.RightCalls),
		Exec: func(ctx context.Context, req *listCallsRequest) (*CallList, error) {
			cid := PrincipalOf(ctx).Person.CustomerID
			q := usage.CallQuery{From: req.From, To: req.To, Direction: req.Direction, Cursor: req.Cursor}
			if req.Limit != nil {
				q.Limit = *req.Limit
			}
			if req.wantsCSV() {
				b, r, err := svc.CallsCSV(ctx, cid, req.ContractID, q)
				if err != nil {
					return nil, err
				}
				name := "calls-" + req.ContractID + "-" + r.From.Format("20060102") + "-" + r.To.Add(-time.Second).Format("20060102") + ".csv"
				return &CallList{ContractID: req.ContractID, From: r.From, To: r.To, Items: []*clientzone.Call{}, csv: b, filename: name}, nil
			}
			l, err := svc.Calls(ctx, cid, req.ContractID, q)
			if err != nil {
				return nil, err
			}
			return &CallList{ContractID: req.ContractID, From: l.Range.From, To: l.Range.To, Items: l.Page.Calls, NextCursor: l.Page.NextCursor}, nil
		},
		Headers: func(l *CallList) http.Header {
			if l.csv == nil {
				return nil
			}
			return http.Header{"Content-Disposition": {mime.FormatMediaType("attachment", map[string]string{"filename": l.filename})}}
		},
	})
}

type trafficRequest struct {
	ContractID  string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	Granularity string `query:"granularity" validate:"omitempty,oneof=daily monthly"`
	From        string `query:"from" validate:"omitempty,datetime=2006-01-02"`
	To          string `query:"to" validate:"omitempty,datetime=2006-01-02"`
}

// GetTraffic serves GET /v1/contracts/{contractId}/traffic: downloaded and
// uploaded bytes per day (default: the last 30 days) or per month (default:
// the last 12 months), with totals.
func GetTraffic(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[trafficRequest, usage.TrafficStats]{
		Route:  "GET /v1/contracts/{contractId}/traffic",
		Access: Needs(clientzone.RightTraffic),
		Exec: func(ctx context.Context, req *trafficRequest) (*usage.TrafficStats, error) {
			return svc.Traffic(ctx, PrincipalOf(ctx).Person.CustomerID, req.ContractID, req.Granularity, req.From, req.To)
		},
	})
}

type trafficByIPRequest struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	IP         string `query:"ip" validate:"omitempty,ip"`
	From       string `query:"from" validate:"omitempty,datetime=2006-01-02"`
	To         string `query:"to" validate:"omitempty,datetime=2006-01-02"`
}

// GetTrafficByIP serves GET /v1/contracts/{contractId}/traffic/by-ip: the
// traffic of each IP address of the contract (serverhousing) in a date
// range (default: the last 30 days); with ?ip= one address and its daily
// series.
func GetTrafficByIP(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[trafficByIPRequest, usage.TrafficByIP]{
		Route:  "GET /v1/contracts/{contractId}/traffic/by-ip",
		Access: Needs(clientzone.RightTraffic),
		Exec: func(ctx context.Context, req *trafficByIPRequest) (*usage.TrafficByIP, error) {
			return svc.TrafficByIP(ctx, PrincipalOf(ctx).Person.CustomerID, req.ContractID, req.IP, req.From, req.To)
		},
	})
}

type historyRequest struct {
	ContractID string `json:"-" path:"contractId" validate:"required,max=64,excludesall=#"`
	Limit      *int   `query:"limit" validate:"omitempty,min=1,max=100"`
	Cursor     string `query:"cursor" validate:"max=2048"`
}

func (r *historyRequest) limit() int {
	if r.Limit == nil {
		return 0
	}
	return *r.Limit
}

// ServiceProtocolList is a page of a contract's service protocols, newest
// first.
type ServiceProtocolList struct {
	Items      []*clientzone.ServiceProtocol `json:"items"`
	NextCursor string                        `json:"nextCursor,omitempty"`
}

// ListServiceProtocols serves GET /v1/contracts/{contractId}/service-protocols.
func ListServiceProtocols(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[historyRequest, ServiceProtocolList]{
		Route:  "GET /v1/contracts/{contractId}/service-protocols",
		Access: Needs(clientzone.RightContracts),
		Exec: func(ctx context.Context, req *historyRequest) (*ServiceProtocolList, error) {
			page, err := svc.ServiceProtocols(ctx, PrincipalOf(ctx).Person.CustomerID, req.ContractID, req.limit(), req.Cursor)
			if err != nil {
				return nil, err
			}
			return &ServiceProtocolList{Items: page.Protocols, NextCursor: page.NextCursor}, nil
		},
	})
}

// SupportRequestList is a page of a contract's support requests, newest
// first.
type SupportRequestList struct {
	Items      []*clientzone.SupportRequest `json:"items"`
	NextCursor string                       `json:"nextCursor,omitempty"`
}

// ListSupportRequests serves GET /v1/contracts/{contractId}/support-requests.
func ListSupportRequests(api *API, svc *usage.Service) Handler {
	return Handle(api, Endpoint[historyRequest, SupportRequestList]{
		Route:  "GET /v1/contracts/{contractId}/support-requests",
		Access: Needs(clientzone.RightContracts),
		Exec: func(ctx context.Context, req *historyRequest) (*SupportRequestList, error) {
			page, err := svc.SupportRequests(ctx, PrincipalOf(ctx).Person.CustomerID, req.ContractID, req.limit(), req.Cursor)
			if err != nil {
				return nil, err
			}
			return &SupportRequestList{Items: page.Requests, NextCursor: page.NextCursor}, nil
		},
	})
}
