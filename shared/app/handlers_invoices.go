package app

import (
	"errors"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/invoicepdf"
	"github.com/clientzone/clientzone/shared/s3store"
)

// Invoice detail and PDFs.

// InvoiceGet is GET /v1/invoices/{invoiceId}.
func InvoiceGet(d *Deps) (httpapi.Handler, error) {
	api, err := d.api(true)
	if err != nil {
		return httpapi.Handler{}, err
	}
	return httpapi.GetInvoice(api, &billing.Service{Store: d.DB, Clock: d.Clock}), nil
}

// InvoicePdf is GET /v1/invoices/{invoiceId}/pdf.
func InvoicePdf(d *Deps) (httpapi.Handler, error) {
	api, err := d.api(true)
	if err != nil {
		return httpapi.Handler{}, err
	}
	if d.Config.BucketName == "" {
		return httpapi.Handler{}, errors.New("app: BUCKET_NAME is required")
	}
	client, presign := d.s3Clients()
	return httpapi.InvoicePDF(api, &billing.InvoicePDFs{
		Store:  d.DB,
		Files:  s3store.New(client, presign, d.Config.BucketName),
		Render: invoicepdf.Render,
		Clock:  d.Clock,
		Brand:  d.Config.Brand,
	}), nil
}
