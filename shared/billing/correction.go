package billing

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/retry"
)

// Fee is an admin fee: a net amount plus VAT at VATPercent.
type Fee struct {
	Net        clientzone.Money
	VATPercent int
}

// ParseFees reads the CORRECTION_FEE setting: either one net amount in
// minor units ("400000", in currency def with VAT defVAT %), or a comma
// list of CUR:amount[:vat%] entries, one per currency customers are billed
// in ("HUF:400000:27,EUR:1500:23"; an entry without a VAT rate uses defVAT).
func ParseFees(spec, def string, defVAT int) (map[string]Fee, error) {
	fees := map[string]Fee{}
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return fees, nil
	}
	if n, err := strconv.ParseInt(spec, 10, 64); err == nil {
		if n < 0 {
			return nil, fmt.Errorf("negative fee %d", n)
		}
		fees[def] = Fee{Net: clientzone.Money{Amount: n, Currency: def}, VATPercent: defVAT}
		return fees, nil
	}
	for _, entry := range strings.Split(spec, ",") {
		parts := strings.Split(strings.TrimSpace(entry), ":")
		if len(parts) < 2 || len(parts) > 3 || len(parts[0]) != 3 || strings.ToUpper(parts[0]) != parts[0] {
			return nil, fmt.Errorf("entry %q: want CUR:amount[:vat]", entry)
		}
		n, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("entry %q: the amount must be a non-negative integer in minor units", entry)
		}
		vat := defVAT
		if len(parts) == 3 {
			if vat, err = strconv.Atoi(parts[2]); err != nil || vat < 0 || vat > 100 {
				return nil, fmt.Errorf("entry %q: the VAT rate must be 0 to 100", entry)
			}
		}
		if _, dup := fees[parts[0]]; dup {
			return nil, fmt.Errorf("currency %s twice", parts[0])
		}
		fees[parts[0]] = Fee{Net: clientzone.Money{Amount: n, Currency: parts[0]}, VATPercent: vat}
	}
	return fees, nil
}

// VAT is the VAT on the net fee, rounded half up to the minor unit.
func (f Fee) VAT() int64 { return (f.Net.Amount*int64(f.VATPercent)*2 + 100) / 200 }

// CorrectionStore is the persistence of invoice correction requests.
type CorrectionStore interface {
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Invoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error)
	NextInvoiceNumber(ctx context.Context, year int) (int64, error)
	// CreateCorrectionRequest records r, issues fee (nil for none; its
	// number claimed, clientzone.ErrInvoiceNumberTaken when another invoice
	// has it) and writes the audit entry and messages, in one transaction
	// that fails with ErrInvoiceCancelled when r's invoice is cancelled.
	CreateCorrectionRequest(ctx context.Context, r *clientzone.CorrectionRequest, fee *clientzone.Invoice, audit *clientzone.AuditEntry, msgs []*clientzone.Message) error
}

// Corrections implements invoice correction requests.
type Corrections struct {
	Store CorrectionStore
	Clock clientzone.Clock
	// Fees is the admin fee per currency; a customer billed in a currency
	// without a fee gets no fee invoice.
	Fees map[string]Fee
	// BillingEmail is the billing department's address.
	BillingEmail    string
	DefaultLanguage clientzone.Language
	// PaymentDays is the due period of the fee invoice (14 when zero).
	PaymentDays int
}

// CorrectionFields are the invoice parts a correction may concern.
var CorrectionFields = []string{"billingAddress", "name", "vatId", "companyId", "amount", "lines", "dueDate", "variableSymbol", "other"}

// CorrectionInput is a request to correct an invoice.
type CorrectionInput struct {
	By        Actor
	Language  clientzone.Language
	InvoiceID string
	Reason    string
	Fields    []string
}

// CorrectionResult is a recorded request and its fee invoice (if any).
type CorrectionResult struct {
	RequestID  string              `json:"requestId"`
	Status     string              `json:"status"`
	FeeInvoice *clientzone.Invoice `json:"feeInvoice,omitempty"`
}

// correctionAttempts bounds the attempts of recording a correction request.
const correctionAttempts = 3

// RequestCorrection records a correction request for one of the
// customer's invoices (another customer's is 404, a cancelled one 409),
// issues the admin fee as a new unpaid invoice (fee line + VAT line; a
// sequence number another invoice has is skipped for the next one), and
// queues emails to the billing department and to the customer, all in one
// transaction.
func (s *Corrections) RequestCorrection(ctx context.Context, in CorrectionInput) (*CorrectionResult, error) {
	inv, err := s.Store.Invoice(ctx, in.By.CustomerID, in.InvoiceID)
	if err != nil {
		return nil, err
	}
	if inv.Status == clientzone.InvoiceCancelled {
		return nil, ErrInvoiceCancelled
	}
	c, err := s.Store.Customer(ctx, in.By.CustomerID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	fields := append([]string(nil), in.Fields...)
	sort.Strings(fields)
	fields = compact(fields)
	req := &clientzone.CorrectionRequest{ID: clientzone.NewID(), CustomerID: c.ID, InvoiceID: inv.ID, Reason: strings.TrimSpace(in.Reason),
		Fields: fields, RequestedBy: in.By.PersonID, Status: "open", CreatedAt: now}
	var fee *clientzone.Invoice
	if f, ok := s.Fees[c.Currency]; ok && f.Net.Amount > 0 {
		seq, err := s.Store.NextInvoiceNumber(ctx, now.Year())
		if err != nil {
			return nil, err
		}
		days := s.PaymentDays
		if days <= 0 {
			days = 14
		}
		vat := clientzone.Money{Amount: f.VAT(), Currency: f.Net.Currency}
		total := clientzone.Money{Amount: f.Net.Amount + vat.Amount, Currency: f.Net.Currency}
		fee = &clientzone.Invoice{
			ID: clientzone.NewID(), CustomerID: c.ID, Number: fmt.Sprintf("FA%d%06d", now.Year(), seq), ContractID: inv.ContractID,
			Status: clientzone.InvoiceUnpaid, IssuedOn: now.UTC().Format(time.DateOnly), DueOn: now.UTC().AddDate(0, 0, days).Format(time.DateOnly),
			Total: total, VAT: vat, VariableSymbol: c.VariableSymbol,
			Lines: []clientzone.InvoiceLine{
				{Description: "Invoice correction fee (invoice " + inv.Number + ")", Quantity: 1, UnitPrice: f.Net, Total: f.Net},
				{Description: fmt.Sprintf("VAT %d%%", f.VATPercent), Quantity: 1, UnitPrice: vat, Total: vat},
			},
		}
		req.FeeInvoiceID = fee.ID
	}
	details := map[string]string{"invoiceId": inv.ID, "requestId": req.ID, "fields": strings.Join(fields, ",")}
	if fee != nil {
		details["feeInvoiceId"] = fee.ID
		details["fee"] = fmt.Sprintf("%d %s", fee.Total.Amount, fee.Total.Currency)
	}
	lang := in.Language
	if lang == "" {
		lang = s.DefaultLanguage
	}
	data := map[string]string{"requestId": req.ID, "invoiceNumber": inv.Number, "invoiceId": inv.ID, "reason": req.Reason,
		"fields": strings.Join(fields, ","), "customerId": c.ID, "customerName": c.Name}
	if fee != nil {
		data["feeInvoiceNumber"] = fee.Number
		data["feeAmount"] = strconv.FormatInt(fee.Total.Amount, 10)
		data["feeCurrency"] = fee.Total.Currency
	}
	var msgs []*clientzone.Message
	if s.BillingEmail != "" {
		def := s.DefaultLanguage
		if def == "" {
			def = clientzone.LangEN
		}
		msgs = append(msgs, &clientzone.Message{Channel: clientzone.ChannelEmail, To: s.BillingEmail, Template: "invoice-correction-request",
			Language: def, Data: data, CustomerID: c.ID, PersonID: in.By.PersonID, CreatedAt: now})
	}
	if c.Email != "" {
		msgs = append(msgs, &clientzone.Message{Channel: clientzone.ChannelEmail, To: c.Email, Template: "invoice-correction-received",
			Language: lang, Data: data, CustomerID: c.ID, PersonID: in.By.PersonID, CreatedAt: now})
	}
	audit := in.By.audit("invoice.correction", now, details)
	// A transaction cancelled by a concurrent one is tried again; so is a
	// fee invoice number the back office used for another invoice, with the
	// sequence's next number (the messages share data).
	retryable := func(err error) bool {
		return clientzone.IsTransactionConflict(err) || fee != nil && clientzone.IsInvoiceNumberTaken(err)
	}
	var last error
	err = retry.Do(ctx, retry.Policy{Attempts: correctionAttempts}, retryable, func(ctx context.Context) error {
		if clientzone.IsInvoiceNumberTaken(last) {
			seq, err := s.Store.NextInvoiceNumber(ctx, now.Year())
			if err != nil {
				return err
			}
			fee.Number = fmt.Sprintf("FA%d%06d", now.Year(), seq)
			data["feeInvoiceNumber"] = fee.Number
		}
		last = s.Store.CreateCorrectionRequest(ctx, req, fee, audit, msgs)
		return last
	})
	if err != nil {
		return nil, err
	}
	return &CorrectionResult{RequestID: req.ID, Status: req.Status, FeeInvoice: fee}, nil
}

func compact(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
