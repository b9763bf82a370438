// Package invoicepdf renders an invoice as a PDF in the customer's language
// (English, Slovak, Hungarian, Russian) with an embedded UTF-8 TrueType font
// (the Go fonts, which cover Latin Extended-A and Cyrillic), so every
// language's letters render and can be extracted as text.
package invoicepdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/clientzone/clientzone/shared/clientzone"
)

const font = "Go"

// Page geometry in millimetres (A4, 15 mm margins).
const (
	margin   = 15.0
	width    = 210.0 - 2*margin
	lineH    = 5.0
	colDesc  = 90.0
	colQty   = 20.0
	colUnit  = 35.0
	colTotal = width - colDesc - colQty - colUnit
)

// Render returns the PDF of inv for cust in lang under the brand name. The
// status printed is inv.Status as given (pass the effective status). The
// output is deterministic: the document dates are the issue date.
func Render(inv *clientzone.Invoice, cust *clientzone.Customer, lang clientzone.Language, brand string) ([]byte, error) {
	if inv == nil || cust == nil {
		return nil, fmt.Errorf("invoicepdf: invoice and customer are required")
	}
	l := labelsFor(lang)
	issued, err := time.Parse(time.DateOnly, inv.IssuedOn)
	if err != nil {
		return nil, fmt.Errorf("invoicepdf: issue date %q: %w", inv.IssuedOn, err)
	}

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetProducer(brand, true)
	pdf.SetCreator(brand, true)
	pdf.SetTitle(l.Title+" "+inv.Number, true)
	pdf.SetAuthor(brand, true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AddUTF8FontFromBytes(font, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(font, "B", gobold.TTF)
	pdf.AddPage()

	// Header: brand left, title and number right.
	pdf.SetFont(font, "B", 18)
	pdf.CellFormat(width/2, 10, brand, "", 0, "L", false, 0, "")
	pdf.CellFormat(width/2, 10, l.Title, "", 1, "R", false, 0, "")
	pdf.SetFont(font, "", 11)
	pdf.CellFormat(width, 6, inv.Number, "", 1, "R", false, 0, "")
	pdf.Ln(4)

	// Invoice facts.
	kv := func(k, v string) {
		pdf.SetFont(font, "B", 10)
		pdf.CellFormat(50, lineH+1, k, "", 0, "L", false, 0, "")
		pdf.SetFont(font, "", 10)
		pdf.CellFormat(width-50, lineH+1, v, "", 1, "L", false, 0, "")
	}
	kv(l.Number, inv.Number)
	kv(l.Issued, formatDate(inv.IssuedOn, l))
	kv(l.Due, formatDate(inv.DueOn, l))
	if vs := inv.VariableSymbol; vs != "" {
		kv(l.VariableSymbol, vs)
	}
	kv(l.Status, statusLabel(inv.Status, l))
	pdf.Ln(4)

	// Customer.
	pdf.SetFont(font, "B", 11)
	pdf.CellFormat(width, 6, l.Customer, "", 1, "L", false, 0, "")
	pdf.SetFont(font, "", 10)
	pdf.CellFormat(width, lineH+1, cust.Name, "", 1, "L", false, 0, "")
	if cust.CompanyID != "" {
		pdf.CellFormat(width, lineH+1, l.CompanyID+": "+cust.CompanyID, "", 1, "L", false, 0, "")
	}
	if cust.VATID != "" {
		pdf.CellFormat(width, lineH+1, l.VATID+": "+cust.VATID, "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)
	pdf.SetFont(font, "B", 10)
	pdf.CellFormat(width, lineH+1, l.BillingAddress, "", 1, "L", false, 0, "")
	pdf.SetFont(font, "", 10)
	a := cust.BillingAddress
	for _, line := range []string{a.Street, strings.TrimSpace(a.PostalCode + " " + a.City), a.Country} {
		if line != "" {
			pdf.CellFormat(width, lineH+1, line, "", 1, "L", false, 0, "")
		}
	}
	pdf.Ln(6)

	// Lines.
	pdf.SetFont(font, "B", 10)
	pdf.SetFillColor(235, 235, 235)
	pdf.CellFormat(colDesc, 7, l.Description, "B", 0, "L", true, 0, "")
	pdf.CellFormat(colQty, 7, l.Quantity, "B", 0, "R", true, 0, "")
	pdf.CellFormat(colUnit, 7, l.UnitPrice, "B", 0, "R", true, 0, "")
	pdf.CellFormat(colTotal, 7, l.LineTotal, "B", 1, "R", true, 0, "")
	pdf.SetFont(font, "", 10)
	for _, ln := range inv.Lines {
		desc := pdf.SplitText(ln.Description, colDesc-2)
		if len(desc) == 0 {
			desc = []string{""}
		}
		h := float64(len(desc)) * lineH
		if pdf.GetY()+h > 297-margin {
			pdf.AddPage()
		}
		x, y := pdf.GetXY()
		for i, d := range desc {
			pdf.SetXY(x, y+float64(i)*lineH)
			pdf.CellFormat(colDesc, lineH, d, "", 0, "L", false, 0, "")
		}
		pdf.SetXY(x+colDesc, y)
		pdf.CellFormat(colQty, lineH, strconv.Itoa(ln.Quantity), "", 0, "R", false, 0, "")
		pdf.CellFormat(colUnit, lineH, formatMoney(ln.UnitPrice, l), "", 0, "R", false, 0, "")
		pdf.CellFormat(colTotal, lineH, formatMoney(ln.Total, l), "", 1, "R", false, 0, "")
		pdf.SetXY(x, y+h+1)
	}
	pdf.Line(margin, pdf.GetY(), margin+width, pdf.GetY())
	pdf.Ln(3)

	// Totals.
	total := func(k, v string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont(font, style, 11)
		pdf.CellFormat(width-colTotal-colUnit, 7, "", "", 0, "L", false, 0, "")
		pdf.CellFormat(colUnit, 7, k, "", 0, "R", false, 0, "")
		pdf.CellFormat(colTotal, 7, v, "", 1, "R", false, 0, "")
	}
	total(l.VAT, formatMoney(inv.VAT, l), false)
	total(l.Total, formatMoney(inv.Total, l), true)

	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("invoicepdf: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("invoicepdf: %w", err)
	}
	return buf.Bytes(), nil
}

func formatDate(d string, l labels) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format(l.DateLayout)
}

func statusLabel(s clientzone.InvoiceStatus, l labels) string {
	if v, ok := l.Statuses[s]; ok {
		return v
	}
	return string(s)
}
