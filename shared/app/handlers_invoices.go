package app

import (
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/httpapi"
)

// Invoice detail (the PDF function is built by package files).

// InvoiceGet is GET /v1/invoices/{invoiceId}.
func InvoiceGet(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler {
		return httpapi.GetInvoice(api, &billing.Service{Store: d.DB, Clock: d.Clock})
	})
}
