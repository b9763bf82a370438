package app

import (
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
	"github.com/clientzone/clientzone/shared/httpapi"
)

// Contracts, tariffs, addons, suspension and termination.

// contractsService builds the contract use cases. The daily suspension fee
// shown to customers is the one the suspension-fees job charges.
func (d *Deps) contractsService() *contracts.Service {
	return &contracts.Service{Store: d.DB, PIN: d.PINVerifier(), Clock: d.Clock, SuspensionFees: d.Config.SuspensionDailyFees,
		Currency: d.Config.Currency, DefaultLanguage: clientzone.Language(d.Config.DefaultLanguage)}
}

func (d *Deps) contractsHandler(h func(*httpapi.API, *contracts.Service) httpapi.Handler) (httpapi.Handler, error) {
	return With(d, d.contractsService(), nil, h)
}

// ContractsList is GET /v1/contracts.
func ContractsList(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.ListContracts)
}

// ContractGet is GET /v1/contracts/{contractId}.
func ContractGet(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.GetContract)
}

// TariffsList is GET /v1/tariffs.
func TariffsList(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.ListTariffs)
}

// TariffUpsert is PUT /admin/v1/tariffs/{tariffId} (back office).
func TariffUpsert(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.UpsertTariff)
}

// TariffChange is POST /v1/contracts/{contractId}/services/{serviceId}/tariff-change.
func TariffChange(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.ChangeTariff)
}

// AddonAdd is POST /v1/contracts/{contractId}/addons.
func AddonAdd(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.AddAddon)
}

// AddonRemove is DELETE /v1/contracts/{contractId}/addons/{addonId}.
func AddonRemove(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.RemoveAddon)
}

// SuspensionStart is POST /v1/contracts/{contractId}/suspension.
func SuspensionStart(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.StartSuspension)
}

// SuspensionEnd is DELETE /v1/contracts/{contractId}/suspension.
func SuspensionEnd(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.EndSuspension)
}

// TerminationRequest is POST /v1/contracts/{contractId}/termination-request.
func TerminationRequest(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.RequestTermination)
}

// ContractUpsert is PUT /admin/v1/customers/{customerId}/contracts/{contractId} (back office).
func ContractUpsert(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(httpapi.UpsertContract)
}
