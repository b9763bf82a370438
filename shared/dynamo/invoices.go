package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type invoiceItem struct {
	keys
	clientzone.Invoice
}

func invoiceSK(id string) string { return "INV#" + id }

func invoiceStatusPK(cid string, s clientzone.InvoiceStatus) string {
	return customerPK(cid) + "#INV#" + string(s)
}

// PutInvoice creates or replaces an invoice (seed data and tests) in one
// transaction with the claim of its number, clientzone.ErrInvoiceNumberTaken when
// another invoice has it. A replace through PutInvoice does not free a
// previous number: the back office changes numbers through UpsertInvoice.
// Its id must be a ULID (or otherwise sort by issue time): listings are
// ordered by it. The stored status is unpaid, paid or cancelled; overdue is
// derived when read.
func (db *DB) PutInvoice(ctx context.Context, inv *clientzone.Invoice) error {
	if inv.Status == clientzone.InvoiceOverdue {
		return clientzone.Errorf(clientzone.EINVALID, "Overdue is derived from the due date; store the invoice as unpaid.")
	}
	it := invoiceItem{
		keys: keys{
			PK: customerPK(inv.CustomerID), SK: invoiceSK(inv.ID),
			GSI1PK: invoiceStatusPK(inv.CustomerID, inv.Status), GSI1SK: invoiceSK(inv.ID),
		},
		Invoice: *inv,
	}
	it.GSI2PK, it.GSI2SK = invoiceDueKeys(inv)
	tx := db.NewTx()
	if err := tx.Put(it, "", nil, nil, nil); err != nil {
		return err
	}
	if err := tx.claimInvoiceNumber(inv, ""); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Invoice returns one invoice of a customer.
func (db *DB) Invoice(ctx context.Context, cid, id string) (*clientzone.Invoice, error) {
	var it invoiceItem
	if err := db.get(ctx, customerPK(cid), invoiceSK(id), "Invoice", &it); err != nil {
		return nil, err
	}
	return &it.Invoice, nil
}

// Invoices lists a customer's invoices newest first with one Query: on the
// table for all invoices, on GSI1 for one status.
func (db *DB) Invoices(ctx context.Context, cid string, f billing.InvoiceFilter) (*billing.InvoicePage, error) {
	in := &dynamodb.QueryInput{
		TableName:        &db.table,
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(f.Limit)),
	}
	pkAttr, pk, keyAttrs := "pk", customerPK(cid), tableKeyAttrs
	values := map[string]types.AttributeValue{}
	switch f.Status {
	case "":
		in.KeyConditionExpression = aws.String("pk = :pk AND begins_with(sk, :sk)")
		values[":sk"] = &types.AttributeValueMemberS{Value: "INV#"}
	case clientzone.InvoiceUnpaid, clientzone.InvoicePaid, clientzone.InvoiceCancelled, clientzone.InvoiceOverdue:
		stored := f.Status
		if stored == clientzone.InvoiceOverdue {
			stored = clientzone.InvoiceUnpaid
			in.FilterExpression = aws.String("DueOn < :today")
			values[":today"] = &types.AttributeValueMemberS{Value: f.Now.UTC().Format(time.DateOnly)}
		}
		in.IndexName = aws.String(GSI1)
		pkAttr, pk, keyAttrs = "gsi1pk", invoiceStatusPK(cid, stored), gsi1KeyAttrs
		in.KeyConditionExpression = aws.String("gsi1pk = :pk")
	default:
		return nil, clientzone.Errorf(clientzone.EINVALID, "Unknown invoice status %q.", f.Status)
	}
	values[":pk"] = &types.AttributeValueMemberS{Value: pk}
	in.ExpressionAttributeValues = values
	start, err := decodeCursor(f.Cursor, pkAttr, pk, keyAttrs...)
	if err != nil {
		return nil, err
	}
	in.ExclusiveStartKey = start
	res, err := db.api.Query(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("dynamo: invoices: %w", err)
	}
	var items []invoiceItem
	if err := attributevalue.UnmarshalListOfMaps(res.Items, &items); err != nil {
		return nil, fmt.Errorf("dynamo: decode invoices: %w", err)
	}
	page := &billing.InvoicePage{Invoices: make([]*clientzone.Invoice, 0, len(items))}
	for i := range items {
		page.Invoices = append(page.Invoices, &items[i].Invoice)
	}
	if page.NextCursor, err = encodeCursor(res.LastEvaluatedKey); err != nil {
		return nil, err
	}
	return page, nil
}
