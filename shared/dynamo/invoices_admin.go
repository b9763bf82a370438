package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/retry"
)

// ErrInvoiceChanged is the conflict of an invoice created, paid or
// otherwise changed between reading and replacing it.
var ErrInvoiceChanged = clientzone.Errorf(clientzone.ECONFLICT, "The invoice was changed concurrently; try again.")

// InvoiceForUpdate reads an invoice with a strongly consistent read (the
// base of a conditional replace).
func (db *DB) InvoiceForUpdate(ctx context.Context, cid, id string) (*clientzone.Invoice, error) {
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(customerPK(cid), invoiceSK(id)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("dynamo: get invoice: %w", err)
	}
	if res.Item == nil {
		return nil, clientzone.NotFound("Invoice")
	}
	var it invoiceItem
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: decode invoice: %w", err)
	}
	it.Invoice.CustomerID = cid
	return &it.Invoice, nil
}

// UpsertInvoice creates inv (prev nil) or replaces prev with it, in one
// transaction with the claim of its number and an optional audit entry. The
// customer must exist (otherwise NotFound("Customer")). The write is
// conditional on prev (nothing there for a create; the same stored status
// for a replace), so a payment recorded meanwhile by the client zone is
// ErrInvoiceChanged rather than overwritten. A number another invoice has is
// clientzone.ErrInvoiceNumberTaken; a changed number frees the old one. The status
// (GSI1) and due-date (GSI2) index keys are rewritten from inv, so both
// indexes follow every change.
func (db *DB) UpsertInvoice(ctx context.Context, inv, prev *clientzone.Invoice, audit *clientzone.AuditEntry) error {
	if inv.Status == clientzone.InvoiceOverdue {
		return clientzone.Errorf(clientzone.EINVALID, "Overdue is derived from the due date; store the invoice as unpaid.")
	}
	tx := db.NewTx()
	if err := tx.Check(customerPK(inv.CustomerID), "CUSTOMER", "attribute_exists(pk)", nil, nil, clientzone.NotFound("Customer")); err != nil {
		return err
	}
	it := invoiceItem{
		keys: keys{
			PK: customerPK(inv.CustomerID), SK: invoiceSK(inv.ID),
			GSI1PK: invoiceStatusPK(inv.CustomerID, inv.Status), GSI1SK: invoiceSK(inv.ID),
		},
		Invoice: *inv,
	}
	it.GSI2PK, it.GSI2SK = invoiceDueKeys(inv)
	cond, names, values := "attribute_not_exists(pk)", map[string]string(nil), map[string]any(nil)
	if prev != nil {
		cond, names, values = "attribute_exists(pk) AND #st = :st", map[string]string{"#st": "Status"}, map[string]any{":st": prev.Status}
	}
	if err := tx.Put(it, cond, names, values, ErrInvoiceChanged); err != nil {
		return err
	}
	prevNumber := ""
	if prev != nil {
		prevNumber = prev.Number
	}
	if err := tx.claimInvoiceNumber(inv, prevNumber); err != nil {
		return err
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	// A concurrent transaction on the same number claim cancels this one
	// without a verdict; once it has finished, the conditions give one.
	err := retry.Do(ctx, retry.Policy{Attempts: 4}, clientzone.IsTransactionConflict, tx.Commit)
	if clientzone.IsTransactionConflict(err) && ctx.Err() == nil {
		return ErrInvoiceChanged
	}
	return err
}
