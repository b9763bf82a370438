package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// The ledger: a balance item per customer and one item per transaction,
// always written together in one DynamoDB transaction, so the balance equals
// the sum of the transactions whatever runs concurrently.
//
//	CUST#<cid>               BALANCE        Amount, Currency, UpdatedAt
//	CUST#<cid>               TXN#<ULID>     transaction
//	LEDGERREF#<cid>#<ref>    REF            guard: a reference is booked once

// ErrDuplicateReference is returned (as the conflict) when a transaction's
// reference was already booked: the caller treats it as done.
var ErrDuplicateReference = &clientzone.Error{Code: clientzone.ECONFLICT, Message: "This payment was already recorded."}

// ErrInsufficientBalance is returned when a debit would overdraw a balance
// that must not go negative.
var ErrInsufficientBalance = &clientzone.Error{Code: clientzone.ECONFLICT, Message: "The prepaid balance is too low for this payment."}

type txnItem struct {
	keys
	clientzone.Transaction
}

// LedgerOptions tune one ledger entry.
type LedgerOptions struct {
	// NoOverdraft makes a debit fail with ErrInsufficientBalance when the
	// balance would drop below zero.
	NoOverdraft bool
}

// Ledger adds transaction t to the customer's ledger and moves the balance
// by its amount in this transaction. With a Reference the entry happens at
// most once (ErrDuplicateReference otherwise).
func (tx *Tx) Ledger(t *clientzone.Transaction, o LedgerOptions) error {
	if t.ID == "" {
		t.ID = clientzone.NewID()
	}
	if t.Amount.Currency == "" {
		return fmt.Errorf("dynamo: ledger entry without currency")
	}
	pk := customerPK(t.CustomerID)
	cond := "(attribute_not_exists(Currency) OR Currency = :cur)"
	values := map[string]any{":amt": t.Amount.Amount, ":cur": t.Amount.Currency, ":now": t.CreatedAt}
	onConflict := error(&clientzone.Error{Code: clientzone.ECONFLICT, Message: "The payment currency does not match the balance currency."})
	if o.NoOverdraft && t.Amount.Amount < 0 {
		cond += " AND Amount >= :need"
		values[":need"] = -t.Amount.Amount
		onConflict = ErrInsufficientBalance
	}
	if err := tx.Update(pk, "BALANCE", "ADD Amount :amt SET Currency = :cur, UpdatedAt = :now", cond, nil, values, onConflict); err != nil {
		return err
	}
	if err := tx.Put(txnItem{keys: keys{PK: pk, SK: "TXN#" + t.ID}, Transaction: *t}, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	if t.Reference != "" {
		guard := map[string]any{"pk": "LEDGERREF#" + t.CustomerID + "#" + t.Reference, "sk": "REF", "TransactionID": t.ID}
		return tx.Put(guard, "attribute_not_exists(pk)", nil, nil, ErrDuplicateReference)
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

// TransactionPage is a page of ledger transactions, newest first.
type TransactionPage struct {
	Transactions []clientzone.Transaction
	NextCursor   string
}

// Transactions lists a customer's ledger newest first with one Query.
func (db *DB) Transactions(ctx context.Context, cid string, limit int, cursor string) (*TransactionPage, error) {
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
