package dynamo

import (
	"errors"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// An invoice number is unique in the deployment (tax law), across
// customers and whoever issued the invoice (the back office, a legacy
// import or the client zone's own tax invoices):
//
//	INVNO#<number>  INVNO   claim: invoice invoiceId of customerId owns number
//
// The claim is written in the same transaction as the invoice, on the
// condition that it is free or already the same invoice's (re-running an
// upsert or an import is idempotent); changing a number deletes the old
// claim in that transaction. Numbers compare exactly after trimming
// spaces; an invoice without a number claims none.

type invoiceNumberItem struct {
	keys
	CustomerID string `dynamodbav:"customerId"`
	InvoiceID  string `dynamodbav:"invoiceId"`
}

func invoiceNumberPK(n string) string { return "INVNO#" + clientzone.NormalizeInvoiceNumber(n) }

// invoiceNumberTakenFormat is the message (and translation key) of
// ErrInvoiceNumberTaken.
const invoiceNumberTakenFormat = "Invoice number %s is already used by another invoice."

// ErrInvoiceNumberTaken is the conflict (409 on number) of an invoice
// whose number another invoice already has.
func ErrInvoiceNumberTaken(number string) error {
	e := clientzone.Errorf(clientzone.ECONFLICT, invoiceNumberTakenFormat, clientzone.NormalizeInvoiceNumber(number))
	e.Fields = []clientzone.FieldError{{Field: "number", Code: "taken", Message: "Another invoice already uses this number."}}
	return e
}

// IsInvoiceNumberTaken reports whether err is an ErrInvoiceNumberTaken.
func IsInvoiceNumberTaken(err error) bool {
	var e *clientzone.Error
	return errors.As(err, &e) && e.Format == invoiceNumberTakenFormat
}

// claimInvoiceNumber adds to tx the claim of inv's number for inv and,
// when prevNumber (the stored invoice's, "" for a new one) differs, the
// release of prevNumber.
func (tx *Tx) claimInvoiceNumber(inv *clientzone.Invoice, prevNumber string) error {
	newNo, oldNo := clientzone.NormalizeInvoiceNumber(inv.Number), clientzone.NormalizeInvoiceNumber(prevNumber)
	mine := map[string]any{":cid": inv.CustomerID, ":iid": inv.ID}
	const cond = "attribute_not_exists(pk) OR (customerId = :cid AND invoiceId = :iid)"
	if newNo != "" {
		// Written even when unchanged: it restores a missing claim (an
		// invoice stored before numbers were claimed).
		if err := tx.Put(invoiceNumberItem{keys: keys{PK: invoiceNumberPK(newNo), SK: "INVNO"}, CustomerID: inv.CustomerID, InvoiceID: inv.ID},
			cond, nil, mine, ErrInvoiceNumberTaken(newNo)); err != nil {
			return err
		}
	}
	if oldNo != "" && oldNo != newNo {
		if err := tx.Delete(invoiceNumberPK(oldNo), "INVNO", cond, nil, mine, ErrInvoiceChanged); err != nil {
			return err
		}
	}
	return nil
}
