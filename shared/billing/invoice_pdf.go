package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// PDFStore is the persistence the invoice PDFs need.
type PDFStore interface {
	Invoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error)
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	// SetInvoicePDFKey stores key on the invoice unless it has one already,
	// and returns the key the invoice then has.
	SetInvoicePDFKey(ctx context.Context, cid, id, key string) (string, error)
}

// Files is the object storage of the PDFs (the S3 bucket).
type Files interface {
	Put(ctx context.Context, key string, body []byte, contentType string) error
	PresignGet(ctx context.Context, key string, ttl time.Duration, filename string) (string, error)
}

// Renderer renders an invoice PDF (invoicepdf.Render).
type Renderer func(inv *clientzone.Invoice, cust *clientzone.Customer, lang clientzone.Language, brand string) ([]byte, error)

// DefaultPDFLinkTTL is how long a PDF download link works.
const DefaultPDFLinkTTL = 5 * time.Minute

// InvoicePDFs renders invoices to PDF once, keeps them in the bucket and
// hands out short-lived download links.
type InvoicePDFs struct {
	Store  PDFStore
	Files  Files
	Render Renderer
	Clock  clientzone.Clock
	Brand  string
	// TTL of the links; DefaultPDFLinkTTL when zero.
	TTL time.Duration
}

// PDFLink is a presigned download URL of an invoice PDF.
type PDFLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
	Filename  string    `json:"filename"`
}

// PDFKey is the bucket key of one rendering of an invoice's PDF. Each
// rendering gets its own key, so a slow render of an older state (say,
// "unpaid") can never overwrite the document recorded for a newer one.
func PDFKey(cid, id, render string) string {
	return "invoices/" + cid + "/" + id + "/" + render + ".pdf"
}

// Link returns a download link for the PDF of one of the customer's
// invoices. The ownership check (reading the invoice under the caller's
// customer) comes first: another customer's invoice is not found before
// anything touches the bucket. A PDF not rendered yet is rendered in lang,
// stored, and only then recorded on the invoice (conditionally: when a
// concurrent request recorded its PDF first, that one is used), so a
// failed upload leaves the invoice as it was. Once rendered, the PDF is
// kept: later requests get the same document, whatever their language.
func (s *InvoicePDFs) Link(ctx context.Context, cid, id string, lang clientzone.Language) (*PDFLink, error) {
	inv, err := s.Store.Invoice(ctx, cid, id)
	if err != nil {
		return nil, err
	}
	key := inv.PDFKey
	if key == "" {
		cust, err := s.Store.Customer(ctx, cid)
		if err != nil {
			return nil, err
		}
		inv.Status = inv.EffectiveStatus(s.Clock.Now())
		body, err := s.Render(inv, cust, lang, s.Brand)
		if err != nil {
			return nil, fmt.Errorf("billing: render invoice %s: %w", id, err)
		}
		key = PDFKey(cid, id, clientzone.NewID())
		if err := s.Files.Put(ctx, key, body, "application/pdf"); err != nil {
			return nil, err
		}
		if key, err = s.Store.SetInvoicePDFKey(ctx, cid, id, key); err != nil {
			return nil, err
		}
	}
	ttl := s.TTL
	if ttl <= 0 {
		ttl = DefaultPDFLinkTTL
	}
	filename := inv.Number + ".pdf"
	url, err := s.Files.PresignGet(ctx, key, ttl, filename)
	if err != nil {
		return nil, err
	}
	return &PDFLink{URL: url, ExpiresAt: s.Clock.Now().UTC().Add(ttl).Truncate(time.Second), Filename: filename}, nil
}
