package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type invoiceIDRequest struct {
	InvoiceID string `json:"-" path:"invoiceId" validate:"required,max=64"`
}

// GetInvoice serves GET /v1/invoices/{invoiceId}: one invoice with its
// lines and the status it has now (unpaid past due is overdue). Another
// customer's invoice is 404.
func GetInvoice(api *API, svc *billing.Service) Handler {
	return Handle(api, Endpoint[invoiceIDRequest, clientzone.Invoice]{
		Route:  "GET /v1/invoices/{invoiceId}",
		Access: Needs(clientzone.RightInvoices),
		Exec: func(ctx context.Context, req *invoiceIDRequest) (*clientzone.Invoice, error) {
			return svc.GetInvoice(ctx, PrincipalOf(ctx).Person.CustomerID, req.InvoiceID)
		},
	})
}

type invoicePDFRequest struct {
	InvoiceID      string `json:"-" path:"invoiceId" validate:"required,max=64"`
	AcceptLanguage string `json:"-" header:"Accept-Language"`
}

// InvoicePDF serves GET /v1/invoices/{invoiceId}/pdf. It answers 200 with
// JSON {"url", "expiresAt", "filename"}: a presigned S3 GET URL valid for 5
// minutes that downloads the PDF as an attachment. JSON rather than a 302
// redirect, so that browser and mobile front ends, which call the API with
// a bearer token, can open or download the URL themselves. The ownership
// check comes first (another customer's invoice is 404, and nothing is
// rendered or stored). The first request renders the PDF in the language
// of Accept-Language (else the person's language) and stores it; later
// requests reuse it.
func InvoicePDF(api *API, svc *billing.InvoicePDFs) Handler {
	return Handle(api, Endpoint[invoicePDFRequest, billing.PDFLink]{
		Route:  "GET /v1/invoices/{invoiceId}/pdf",
		Access: Needs(clientzone.RightInvoices),
		Exec: func(ctx context.Context, req *invoicePDFRequest) (*billing.PDFLink, error) {
			p := PrincipalOf(ctx).Person
			lang, ok := acceptedLanguage(req.AcceptLanguage)
			if !ok {
				lang = p.Language
			}
			return svc.Link(ctx, p.CustomerID, req.InvoiceID, lang)
		},
	})
}

// acceptedLanguage is the best supported language Accept-Language names,
// and false when it names none (Language would then answer the default).
func acceptedLanguage(header string) (clientzone.Language, bool) {
	lang := Language(&http.Request{Header: http.Header{"Accept-Language": {header}}})
	if lang != DefaultLanguage {
		return lang, true
	}
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if base != string(DefaultLanguage) {
			continue
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if q, err := strconv.ParseFloat(v, 64); err == nil && q <= 0 {
				continue
			}
		}
		return lang, true
	}
	return "", false
}
