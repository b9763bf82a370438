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
		Billing: &billing.Service{Store: d.DB, Clock: d.Clock, VATPercent: vat},
		Clock:   d.Clock,
		Bank:    billing.BankAccount{IBAN: iban, BIC: d.Config.BankBIC, Beneficiary: d.Config.BankBeneficiary},
	}, nil
}

func (d *Deps) proformasHandler(authenticated bool, h func(*httpapi.API, *billing.Proformas) httpapi.Handler) (httpapi.Handler, error) {
	api, err := d.api(authenticated)
	if err != nil {
		return httpapi.Handler{}, err
	}
	svc, err := d.proformas()
	if err != nil {
		return httpapi.Handler{}, err
	}
	return h(api, svc), nil
}

// ProformaCreate is POST /v1/proformas.
func ProformaCreate(d *Deps) (httpapi.Handler, error) {
	return d.proformasHandler(true, httpapi.CreateProforma)
}

// ProformasList is GET /v1/proformas.
func ProformasList(d *Deps) (httpapi.Handler, error) {
	return d.proformasHandler(true, httpapi.ListProformas)
}

// ServiceRenewal is POST /v1/services/{serviceId}/renewals: by proforma
// (renewed when the transfer is credited) or by card (renewed when the
// provider confirms the payment).
func ServiceRenewal(d *Deps) (httpapi.Handler, error) {
	card, err := d.checkoutPayments()
	if err != nil {
		return httpapi.Handler{}, err
	}
	return d.proformasHandler(true, func(api *httpapi.API, svc *billing.Proformas) httpapi.Handler {
		return httpapi.RenewService(api, svc, card.Renew)
	})
}

// BankStatementImport is POST /admin/v1/bank-statements (back office).
func BankStatementImport(d *Deps) (httpapi.Handler, error) {
	return d.proformasHandler(false, httpapi.ImportBankStatement)
}
