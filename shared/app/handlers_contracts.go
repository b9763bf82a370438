package app

import (
	"fmt"
	"os"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/schedule"
)

// Contracts, tariffs, addons, suspension and termination.

// contractsService builds the contract use cases. The daily suspension fee
// shown to customers comes from SUSPENSION_DAILY_FEE, the setting the
// suspension-fees job charges (same default).
func (d *Deps) contractsService() (*contracts.Service, error) {
	fees := os.Getenv("SUSPENSION_DAILY_FEE")
	if fees == "" {
		fees = DefaultSuspensionDailyFee
	}
	f, err := schedule.ParseFees(fees)
	if err != nil {
		return nil, fmt.Errorf("app: SUSPENSION_DAILY_FEE: %w", err)
	}
	return &contracts.Service{Store: d.DB, PIN: d.PINVerifier(), Clock: d.Clock, SuspensionFees: f,
		Currency: d.Config.Currency, DefaultLanguage: clientzone.Language(d.Config.DefaultLanguage)}, nil
}

func (d *Deps) contractsHandler(authenticated bool, h func(*httpapi.API, *contracts.Service) httpapi.Handler) (httpapi.Handler, error) {
	svc, err := d.contractsService()
	return With(d, authenticated, svc, err, h)
}

// ContractsList is GET /v1/contracts.
func ContractsList(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.ListContracts)
}

// ContractGet is GET /v1/contracts/{contractId}.
func ContractGet(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.GetContract)
}

// TariffsList is GET /v1/tariffs.
func TariffsList(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.ListTariffs)
}

// TariffUpsert is PUT /admin/v1/tariffs/{tariffId} (back office).
func TariffUpsert(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(false, httpapi.UpsertTariff)
}

// TariffChange is POST /v1/contracts/{contractId}/services/{serviceId}/tariff-change.
func TariffChange(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.ChangeTariff)
}

// AddonAdd is POST /v1/contracts/{contractId}/addons.
func AddonAdd(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.AddAddon)
}

// AddonRemove is DELETE /v1/contracts/{contractId}/addons/{addonId}.
func AddonRemove(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.RemoveAddon)
}

// SuspensionStart is POST /v1/contracts/{contractId}/suspension.
func SuspensionStart(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.StartSuspension)
}

// SuspensionEnd is DELETE /v1/contracts/{contractId}/suspension.
func SuspensionEnd(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.EndSuspension)
}

// TerminationRequest is POST /v1/contracts/{contractId}/termination-request.
func TerminationRequest(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(true, httpapi.RequestTermination)
}

// ContractUpsert is PUT /admin/v1/customers/{customerId}/contracts/{contractId} (back office).
func ContractUpsert(d *Deps) (httpapi.Handler, error) {
	return d.contractsHandler(false, httpapi.UpsertContract)
}
