package backoffice

import (
	"context"
	"fmt"
	"reflect"

	"github.com/clientzone/clientzone/shared/clientzone"
)

func invalid(field, code, msg string) error {
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: field, Code: code, Message: msg}}}
}

func conflict(msg, field, code, fieldMsg string) error {
	return &clientzone.Error{Code: clientzone.ECONFLICT, Message: msg,
		Fields: []clientzone.FieldError{{Field: field, Code: code, Message: fieldMsg}}}
}

// Conflicts of UpsertInvoice with what the client zone recorded.
var (
	ErrInvoicePaid = conflict("This invoice is already paid; a paid invoice cannot become unpaid or cancelled (issue a credit note).",
		"status", "paid", "The invoice is already paid.")
	ErrInvoicePaidTotal = conflict("The total of a paid invoice cannot change.",
		"total", "paid", "The invoice is already paid.")
	ErrInvoiceCancelled = conflict("A cancelled invoice cannot be reopened.",
		"status", "cancelled", "The invoice is cancelled.")
)

// checkInvoice checks what validation tags cannot: a number that is not
// only spaces, consistent currencies and amounts, dates in order, paidAt
// exactly for paid invoices.
func checkInvoice(inv *clientzone.Invoice, cust *clientzone.Customer) error {
	if inv.Number == "" {
		return invalid("number", "required", "This field is required.")
	}
	cur := inv.Total.Currency
	if cust.Currency != "" && cur != cust.Currency {
		return invalid("total.currency", "currency_mismatch", "The currency must be the customer's currency.")
	}
	if inv.VAT.Currency != cur {
		return invalid("vat.currency", "currency_mismatch", "The currency must be the invoice total's currency.")
	}
	if inv.VAT.Amount > inv.Total.Amount {
		return invalid("vat.amount", "too_large", "The VAT cannot exceed the total.")
	}
	if inv.DueOn < inv.IssuedOn {
		return invalid("dueOn", "before_issue", "The due date cannot be before the issue date.")
	}
	for i, l := range inv.Lines {
		if l.UnitPrice.Currency != cur || l.Total.Currency != cur {
			return invalid(fmt.Sprintf("lines[%d].total.currency", i), "currency_mismatch", "The currency must be the invoice total's currency.")
		}
		if int64(l.Quantity)*l.UnitPrice.Amount != l.Total.Amount {
			return invalid(fmt.Sprintf("lines[%d].total.amount", i), "mismatch", "The line total must be quantity × unit price.")
		}
	}
	switch {
	case inv.Status == clientzone.InvoicePaid && inv.PaidAt == nil:
		return invalid("paidAt", "required", "This field is required.")
	case inv.Status != clientzone.InvoicePaid && inv.PaidAt != nil:
		return invalid("paidAt", "not_paid", "Only a paid invoice has a payment time.")
	}
	return nil
}

// UpsertInvoice creates invoice inv (by inv.CustomerID and inv.ID, a ULID)
// or replaces it, and reports whether it was created. The variable symbol
// defaults to the customer's. What the client zone recorded wins over the
// billing system's copy:
//   - a paid invoice stays paid (409 on status), with its total (409 on
//     total) and its recorded payment time;
//   - a cancelled invoice stays cancelled (409 on status).
//
// An unpaid invoice may become paid (paid outside the client zone),
// cancelled or change. The number (trimmed of spaces) is unique in the
// deployment: one another invoice has is a 409 on number; a changed number
// frees the old one. The write is conditional on the status read, so a
// payment made meanwhile is a 409 instead of being overwritten. A changed
// invoice drops its rendered PDF (rendered again on the next download).
// Writing what is already stored changes nothing.
func (s *Service) UpsertInvoice(ctx context.Context, a Actor, inv *clientzone.Invoice) (bool, *clientzone.Invoice, error) {
	cust, err := s.Store.CustomerForUpdate(ctx, inv.CustomerID)
	if err != nil {
		return false, nil, err
	}
	next := *inv
	next.Number = clientzone.NormalizeInvoiceNumber(next.Number)
	if next.VariableSymbol == "" {
		next.VariableSymbol = cust.VariableSymbol
	}
	next.VariableSymbol = clientzone.NormalizeVariableSymbol(next.VariableSymbol)
	if next.PaidAt != nil {
		t := next.PaidAt.UTC()
		next.PaidAt = &t
	}
	if err := checkInvoice(&next, cust); err != nil {
		return false, nil, err
	}
	if next.ContractID != "" {
		if _, err := s.Store.Contract(ctx, inv.CustomerID, next.ContractID); clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
			return false, nil, invalid("contractId", "unknown", "The customer has no such contract.")
		} else if err != nil {
			return false, nil, err
		}
	}
	prev, err := s.Store.InvoiceForUpdate(ctx, inv.CustomerID, inv.ID)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return false, nil, err
	}
	var audit *clientzone.AuditEntry
	if prev != nil {
		switch prev.Status {
		case clientzone.InvoicePaid:
			if next.Status != clientzone.InvoicePaid {
				return false, nil, ErrInvoicePaid
			}
			if next.Total != prev.Total {
				return false, nil, ErrInvoicePaidTotal
			}
			next.PaidAt = prev.PaidAt
		case clientzone.InvoiceCancelled:
			if next.Status != clientzone.InvoiceCancelled {
				return false, nil, ErrInvoiceCancelled
			}
		}
		next.PDFKey = prev.PDFKey
		if len(next.Lines) == 0 && len(prev.Lines) == 0 {
			next.Lines = prev.Lines // nil or empty: the same
		}
		if reflect.DeepEqual(*prev, next) {
			return false, prev, nil
		}
		next.PDFKey = ""
		details := map[string]string{"number": next.Number}
		if prev.Status != next.Status {
			details["status"] = string(prev.Status) + "→" + string(next.Status)
		}
		if prev.Total != next.Total {
			details["total"] = fmt.Sprintf("%d→%d %s", prev.Total.Amount, next.Total.Amount, next.Total.Currency)
		}
		audit = s.entry(a, inv.CustomerID, "invoice.update", inv.ID, details)
	}
	if err := s.Store.UpsertInvoice(ctx, &next, prev, audit); err != nil {
		return false, nil, err
	}
	return prev == nil, &next, nil
}
