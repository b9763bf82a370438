package app

import (
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/usage"
)

// Usage (VoIP calls, traffic) and contract history (service protocols,
// support requests), and their back-office ingestion.

func (d *Deps) usageHandler(h func(*httpapi.API, *usage.Service) httpapi.Handler) (httpapi.Handler, error) {
	return With(d, &usage.Service{Store: d.DB, Clock: d.Clock}, nil, h)
}

// CallsList is GET /v1/contracts/{contractId}/calls.
func CallsList(d *Deps) (httpapi.Handler, error) { return d.usageHandler(httpapi.ListCalls) }

// Traffic is GET /v1/contracts/{contractId}/traffic.
func Traffic(d *Deps) (httpapi.Handler, error) { return d.usageHandler(httpapi.GetTraffic) }

// TrafficByIp is GET /v1/contracts/{contractId}/traffic/by-ip.
func TrafficByIp(d *Deps) (httpapi.Handler, error) {
	return d.usageHandler(httpapi.GetTrafficByIP)
}

// ServiceProtocols is GET /v1/contracts/{contractId}/service-protocols.
func ServiceProtocols(d *Deps) (httpapi.Handler, error) {
	return d.usageHandler(httpapi.ListServiceProtocols)
}

// SupportRequests is GET /v1/contracts/{contractId}/support-requests.
func SupportRequests(d *Deps) (httpapi.Handler, error) {
	return d.usageHandler(httpapi.ListSupportRequests)
}

// CallsIngest is POST /admin/v1/customers/{customerId}/contracts/{contractId}/calls (back office).
func CallsIngest(d *Deps) (httpapi.Handler, error) { return d.usageHandler(httpapi.IngestCalls) }

// TrafficIngest is POST /admin/v1/customers/{customerId}/contracts/{contractId}/traffic (back office).
func TrafficIngest(d *Deps) (httpapi.Handler, error) {
	return d.usageHandler(httpapi.IngestTraffic)
}

// ServiceProtocolUpsert is PUT /admin/v1/customers/{customerId}/contracts/{contractId}/service-protocols/{protocolId} (back office).
func ServiceProtocolUpsert(d *Deps) (httpapi.Handler, error) {
	return d.usageHandler(httpapi.UpsertServiceProtocol)
}

// SupportRequestUpsert is PUT /admin/v1/customers/{customerId}/contracts/{contractId}/support-requests/{requestId} (back office).
func SupportRequestUpsert(d *Deps) (httpapi.Handler, error) {
	return d.usageHandler(httpapi.UpsertSupportRequest)
}
