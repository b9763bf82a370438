package dynamo

import (
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
// spaces; an invoice without a number claims none. A number another
// invoice owns fails the transaction with clientzone.ErrInvoiceNumberTaken.

type invoiceNumberItem struct {
	keys
	CustomerID string `dynamodbav:"customerId"`
	InvoiceID  string `dynamodbav:"invoiceId"`
}

func invoiceNumberPK(n string) string { return "INVNO#" + clientzone.NormalizeInvoiceNumber(n) }

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
			cond, nil, mine, clientzone.ErrInvoiceNumberTaken(newNo)); err != nil {
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
