package app

import (
	"github.com/clientzone/clientzone/shared/backoffice"
	"github.com/clientzone/clientzone/shared/httpapi"
)

// Back-office upserts of customers and invoices (CRM / billing sync and
// the legacy import).

func (d *Deps) backOffice() *backoffice.Service {
	return &backoffice.Service{Store: d.DB, Clock: d.Clock}
}

// CustomerUpsert is PUT /admin/v1/customers/{customerId} (back office).
func CustomerUpsert(d *Deps) (httpapi.Handler, error) {
	return With(d, d.backOffice(), nil, httpapi.CustomerUpsert)
}

// InvoiceUpsert is PUT /admin/v1/customers/{customerId}/invoices/{invoiceId}
// (back office).
func InvoiceUpsert(d *Deps) (httpapi.Handler, error) {
	return With(d, d.backOffice(), nil, httpapi.InvoiceUpsert)
}
