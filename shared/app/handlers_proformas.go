package app

import (
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/httpapi"
)

// Proformas for bank transfer, service renewals and the back-office
// bank-statement import.

func (d *Deps) proformas() (*billing.Proformas, error) {
	vat, err := vatPercents(d.Config.InvoiceVATPercent)
	if err != nil {
		return nil, err
	}
	iban, _ := billing.NormalizeIBAN(d.Config.BankIBAN)
	return &billing.Proformas{
		Store:   d.DB,
		Billing: d.settlements(vat),
		Clock:   d.Clock,
		Bank:    billing.BankAccount{IBAN: iban, BIC: d.Config.BankBIC, Beneficiary: d.Config.BankBeneficiary},
	}, nil
}

// ProformasHandler builds an endpoint from the API and the proforma use case.
func (d *Deps) ProformasHandler(h func(*httpapi.API, *billing.Proformas) httpapi.Handler) (httpapi.Handler, error) {
	svc, err := d.proformas()
	if err != nil {
		return httpapi.Handler{}, err
	}
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return h(api, svc) })
}

// ProformaCreate is POST /v1/proformas.
func ProformaCreate(d *Deps) (httpapi.Handler, error) {
	return d.ProformasHandler(httpapi.CreateProforma)
}

// ProformasList is GET /v1/proformas.
func ProformasList(d *Deps) (httpapi.Handler, error) {
	return d.ProformasHandler(httpapi.ListProformas)
}

// BankStatementImport is POST /admin/v1/bank-statements (back office).
func BankStatementImport(d *Deps) (httpapi.Handler, error) {
	return d.ProformasHandler(httpapi.ImportBankStatement)
}
