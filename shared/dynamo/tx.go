package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Tx collects the writes of one DynamoDB transaction: the change itself plus
// its outbox messages and audit entries, so that either all happen or none.
// Each write may carry the error to return when its condition fails.
type Tx struct {
	db        *DB
	items     []types.TransactWriteItem
	conflicts []error
}

// NewTx starts a transaction.
func (db *DB) NewTx() *Tx { return &Tx{db: db} }

func (tx *Tx) add(it types.TransactWriteItem, onConflict error) {
	tx.items = append(tx.items, it)
	tx.conflicts = append(tx.conflicts, onConflict)
}

// Put writes item (a struct embedding keys, or a map) if cond holds ("" for
// none); names and values fill the condition's placeholders.
func (tx *Tx) Put(item any, cond string, names map[string]string, values map[string]any, onConflict error) error {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return fmt.Errorf("dynamo: encode: %w", err)
	}
	p := &types.Put{TableName: &tx.db.table, Item: av}
	if cond != "" {
		p.ConditionExpression = aws.String(cond)
		p.ExpressionAttributeNames = names
		if p.ExpressionAttributeValues, err = marshalValues(values); err != nil {
			return err
		}
	}
	tx.add(types.TransactWriteItem{Put: p}, onConflict)
	return nil
}

// Update applies update to the item at pk/sk if cond holds.
func (tx *Tx) Update(pk, sk, update, cond string, names map[string]string, values map[string]any, onConflict error) error {
	vals, err := marshalValues(values)
	if err != nil {
		return err
	}
	u := &types.Update{
		TableName:                 &tx.db.table,
		Key:                       key(pk, sk),
		UpdateExpression:          aws.String(update),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: vals,
	}
	if cond != "" {
		u.ConditionExpression = aws.String(cond)
	}
	tx.add(types.TransactWriteItem{Update: u}, onConflict)
	return nil
}

// Delete removes the item at pk/sk if cond holds.
func (tx *Tx) Delete(pk, sk, cond string, names map[string]string, values map[string]any, onConflict error) error {
	vals, err := marshalValues(values)
	if err != nil {
		return err
	}
	d := &types.Delete{TableName: &tx.db.table, Key: key(pk, sk), ExpressionAttributeNames: names, ExpressionAttributeValues: vals}
	if cond != "" {
		d.ConditionExpression = aws.String(cond)
	}
	tx.add(types.TransactWriteItem{Delete: d}, onConflict)
	return nil
}

// Check requires cond to hold on the item at pk/sk without writing it.
func (tx *Tx) Check(pk, sk, cond string, names map[string]string, values map[string]any, onConflict error) error {
	vals, err := marshalValues(values)
	if err != nil {
		return err
	}
	tx.add(types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: &tx.db.table, Key: key(pk, sk), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: names, ExpressionAttributeValues: vals,
	}}, onConflict)
	return nil
}

// OutboxRetention is how long delivered-or-not messages stay in the table.
const OutboxRetention = 7 * 24 * time.Hour

type outboxItem struct {
	keys
	clientzone.Message
}

// OutboxPK is the partition of one day's outbox messages.
func OutboxPK(day time.Time) string { return "OUTBOX#" + day.UTC().Format(time.DateOnly) }

// Outbox adds a message to the outbox in this transaction.
func (tx *Tx) Outbox(m *clientzone.Message) error {
	if m.ID == "" {
		m.ID = clientzone.NewID()
	}
	return tx.Put(outboxItem{
		keys:    keys{PK: OutboxPK(m.CreatedAt), SK: m.ID, TTL: m.CreatedAt.Add(OutboxRetention).Unix()},
		Message: *m,
	}, "", nil, nil, nil)
}

// AuditRetention is how long audit entries are kept.
const AuditRetention = 400 * 24 * time.Hour

type auditItem struct {
	keys
	clientzone.AuditEntry
}

// Audit adds an audit entry in this transaction.
func (tx *Tx) Audit(e *clientzone.AuditEntry) error {
	if e.ID == "" {
		e.ID = clientzone.NewID()
	}
	return tx.Put(auditItem{
		keys:       keys{PK: customerPK(e.CustomerID), SK: "AUDIT#" + e.ID, TTL: e.At.Add(AuditRetention).Unix()},
		AuditEntry: *e,
	}, "", nil, nil, nil)
}

// Len is the number of writes so far.
func (tx *Tx) Len() int { return len(tx.items) }

// Commit runs the transaction. A failed condition returns that write's
// onConflict error (or a generic conflict); a transaction cancelled by a
// concurrent one returns an error matching clientzone.ErrTransactionConflict
// (nothing was written; the caller may retry).
func (tx *Tx) Commit(ctx context.Context) error {
	if len(tx.items) == 0 {
		return nil
	}
	if len(tx.items) > maxTxItems {
		return fmt.Errorf("dynamo: transaction of %d items exceeds %d", len(tx.items), maxTxItems)
	}
	return tx.db.transact(ctx, tx.items, func(i int) error {
		if tx.conflicts[i] != nil {
			return tx.conflicts[i]
		}
		return errDataChanged
	})
}

// errDataChanged is the conflict of a write whose condition failed and
// which names no error of its own: the item changed since it was read.
var errDataChanged = clientzone.Errorf(clientzone.ECONFLICT, "The data was changed concurrently; try again.")

func marshalValues(values map[string]any) (map[string]types.AttributeValue, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out := make(map[string]types.AttributeValue, len(values))
	for k, v := range values {
		av, err := attributevalue.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("dynamo: encode %s: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}
