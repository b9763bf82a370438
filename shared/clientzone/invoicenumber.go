package clientzone

import (
	"errors"
	"strings"
)

// invoiceNumberTakenFormat is the message (and translation key) of
// ErrInvoiceNumberTaken.
const invoiceNumberTakenFormat = "Invoice number %s is already used by another invoice."

// ErrInvoiceNumberTaken is the conflict (409 on number) of an invoice
// whose number another invoice already has: invoice numbers are unique in
// the deployment (tax law), whoever issued the invoice.
func ErrInvoiceNumberTaken(number string) error {
	e := Errorf(ECONFLICT, invoiceNumberTakenFormat, strings.TrimSpace(number))
	e.Fields = []FieldError{{Field: "number", Code: "taken", Message: "Another invoice already uses this number."}}
	return e
}

// IsInvoiceNumberTaken reports whether err is an ErrInvoiceNumberTaken.
func IsInvoiceNumberTaken(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Format == invoiceNumberTakenFormat
}
