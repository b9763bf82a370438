// Package pdf builds the invoice PDF function. It is apart from package
// files so that only invoice-pdf links and initialises the PDF library
// (fpdf brings encoding/gob, about 1 ms of every cold start) and the fonts.
package pdf

import (
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/app/files"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/invoicepdf"
)

// InvoicePdf is GET /v1/invoices/{invoiceId}/pdf: rendered once, kept in
// the bucket, answered with a presigned download link.
func InvoicePdf(d *app.Deps) (httpapi.Handler, error) {
	store, err := files.Bucket(d)
	svc := &billing.InvoicePDFs{Store: d.DB, Files: store, Render: invoicepdf.Render, Clock: d.Clock, Brand: d.Config.Brand}
	return app.With(d, svc, err, httpapi.InvoicePDF)
}
