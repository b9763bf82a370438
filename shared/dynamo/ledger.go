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

// The ledger: a balance item per customer and one item per transaction,
// always written together in one DynamoDB transaction, so the balance equals
// the sum of the transactions whatever runs concurrently.
//
//	CUST#<cid>               BALANCE        Amount, Currency, UpdatedAt
//	CUST#<cid>               TXN#<ULID>     transaction
//	LEDGERREF#<cid>#<ref>    REF            guard: a reference is booked once

type txnItem struct {
	keys
	clientzone.Transaction
}

// Ledger adds transaction t to the customer's ledger and moves the balance
// by its amount in this transaction. With a Reference the entry happens at
// most once (billing.ErrDuplicateReference otherwise); a balance in another
// currency fails with billing.ErrBalanceCurrency, and with o.NoOverdraft a
// debit taking the balance below zero with billing.ErrInsufficientBalance.
func (tx *Tx) Ledger(t *clientzone.Transaction, o billing.LedgerOptions) error {
	if t.ID == "" {
		t.ID = clientzone.NewID()
	}
	if t.Amount.Currency == "" {
		return fmt.Errorf("dynamo: ledger entry without currency")
	}
	pk := customerPK(t.CustomerID)
	cond := "(attribute_not_exists(Currency) OR Currency = :cur)"
	values := map[string]any{":amt": t.Amount.Amount, ":cur": t.Amount.Currency, ":now": t.CreatedAt}
	onConflict := billing.ErrBalanceCurrency
	if o.NoOverdraft && t.Amount.Amount < 0 {
		cond += " AND Amount >= :need"
		values[":need"] = -t.Amount.Amount
		onConflict = billing.ErrInsufficientBalance
	}
	if err := tx.Update(pk, "BALANCE", "ADD Amount :amt SET Currency = :cur, UpdatedAt = :now", cond, nil, values, onConflict); err != nil {
		return err
	}
	if err := tx.Put(txnItem{keys: keys{PK: pk, SK: "TXN#" + t.ID}, Transaction: *t}, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	if t.Reference != "" {
		guard := map[string]any{"pk": "LEDGERREF#" + t.CustomerID + "#" + t.Reference, "sk": "REF", "TransactionID": t.ID}
		return tx.Put(guard, "attribute_not_exists(pk)", nil, nil, billing.ErrDuplicateReference)
	}
	return nil
}

type balanceItem struct {
	Amount    int64
	Currency  string
	UpdatedAt time.Time
}

// Balance returns a customer's prepaid balance; a customer without ledger
// entries has a zero balance in currency def.
func (db *DB) Balance(ctx context.Context, cid, def string) (clientzone.Balance, error) {
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(customerPK(cid), "BALANCE"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return clientzone.Balance{}, fmt.Errorf("dynamo: balance: %w", err)
	}
	if res.Item == nil {
		return clientzone.Balance{Amount: clientzone.Money{Currency: def}}, nil
	}
	var b balanceItem
	if err := attributevalue.UnmarshalMap(res.Item, &b); err != nil {
		return clientzone.Balance{}, fmt.Errorf("dynamo: decode balance: %w", err)
	}
	return clientzone.Balance{Amount: clientzone.Money{Amount: b.Amount, Currency: b.Currency}, UpdatedAt: b.UpdatedAt}, nil
}

// Transactions lists a customer's ledger newest first with one Query.
func (db *DB) Transactions(ctx context.Context, cid string, limit int, cursor string) (*billing.TransactionPage, error) {
	return db.TransactionsOfKind(ctx, cid, "", limit, cursor)
}

// SumTransactions adds up every transaction of a customer (paginated
// Query): the check behind the ledger invariant tests and reconciliation.
func (db *DB) SumTransactions(ctx context.Context, cid string) (int64, int, error) {
	var sum int64
	n := 0
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: customerPK(cid)},
			":sk": &types.AttributeValueMemberS{Value: "TXN#"},
		},
		ConsistentRead: aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf("dynamo: sum transactions: %w", err)
		}
		for _, raw := range page.Items {
			var t txnItem
			if err := attributevalue.UnmarshalMap(raw, &t); err != nil {
				return 0, 0, fmt.Errorf("dynamo: decode transaction: %w", err)
			}
			sum += t.Amount.Amount
			n++
		}
	}
	return sum, n, nil
}
