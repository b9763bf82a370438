package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// SetInvoicePDFKey records the S3 key of an invoice's rendered PDF, only if
// the invoice exists and has none yet (PutInvoice stores an empty PDFKey,
// so empty counts as none). It returns the key now on the invoice: key
// itself, or the key a concurrent request stored first. A missing invoice
// is not found.
func (db *DB) SetInvoicePDFKey(ctx context.Context, cid, id, pdfKey string) (string, error) {
	if pdfKey == "" {
		return "", errors.New("dynamo: set invoice PDF key: empty key")
	}
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &db.table,
		Key:                 key(customerPK(cid), invoiceSK(id)),
		UpdateExpression:    aws.String("SET PDFKey = :key"),
		ConditionExpression: aws.String("attribute_exists(pk) AND (attribute_not_exists(PDFKey) OR PDFKey = :none)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":key":  &types.AttributeValueMemberS{Value: pdfKey},
			":none": &types.AttributeValueMemberS{Value: ""},
		},
	})
	if isConditionFailed(err) {
		inv, err := db.Invoice(ctx, cid, id)
		if err != nil {
			return "", err
		}
		if inv.PDFKey == "" {
			return "", errors.New("dynamo: set invoice PDF key: condition failed but the invoice has no key")
		}
		return inv.PDFKey, nil
	}
	if err != nil {
		return "", fmt.Errorf("dynamo: set invoice PDF key: %w", err)
	}
	return pdfKey, nil
}
