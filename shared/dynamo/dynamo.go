// Package dynamo implements the clientzone stores on one DynamoDB table
// (single-table design). Every method takes a context, reads with GetItem or
// Query on designed keys (never Scan), and writes conditionally or in a
// transaction so nothing is half-written.
//
// The stores are the use cases' ports: account, backoffice, contracts,
// statuspage, support and usage each declare the store interface they need
// in their own types, with the errors a failed condition means to them
// (e.g. support.ErrTicketClosed, backoffice.ErrVariableSymbolTaken,
// account.ErrPersonChanged), and httpapi declares its IdempotencyStore over
// clientzone.SavedResponse. This package imports those use-case packages
// (never the reverse: the dependency points from the adapter to the use
// case), implements their interfaces (asserted at compile time beside the
// methods) and returns their errors from its conditions. What it owns is
// how: keys, indexes, conditions, transactions and cursors.
//
// The use cases own their ports, and this package implements them: DB is
// billing's stores (NewBillingTx gives its Tx), schedule's per-run Store
// (JobStores, NewJobTx) and notify's Store, in the use cases' own types and
// errors (billing.SettlementRecord, billing.ErrInsufficientBalance,
// schedule.ErrStepDone, clientzone.OutboxClaim, ...); the dependency points
// from this adapter to the use cases, never back. What stays here is keys,
// conditions and transactions: which item a write touches, the condition
// that guards it, and the error a failed condition means. A transaction
// cancelled by a concurrent one is reported as
// clientzone.ErrTransactionConflict, which callers retry (shared/retry).
//
// Key layout (pk / sk, and the two GSIs):
//
//	CUST#<cid>            CUSTOMER                       customer     gsi1: VS#<variable symbol> / CUSTOMER
//	VSCLAIM#<vs>          VSCLAIM                        claim of a unique variable symbol → customerId (customers_admin.go)
//	VSPREFIX#<p>          <cid>                          customer cid's symbol is p + 3 digits (p's proforma symbols)
//	VSSPACE#<p>           VSSPACE                        guard of p's proforma space: customers = string set of those cids (checked in upsert transactions)
//	CUST#<cid>            PERSON#<pid>                   person
//	CUST#<cid>            CONTRACT#<ctid>                contract
//	CUST#<cid>            CONTRACT#<ctid>#SVC#<sid>      service      gsi2: EXPIRY#<date> / <cid>#<sid>; gsi1 (suspended): SUSPENDED / <cid>#<sid>
//	                                                     Version: optimistic lock
//	CUST#<cid>            CONTRACT#<ctid>#TERMINATION    latest termination request of a contract (pending or resolved)
//	CATALOG               TARIFF#<id>                    tariff catalogue (base tariffs and addons)
//	CUST#<cid>            INV#<invoice ULID>             invoice      gsi1: CUST#<cid>#INV#<status> / INV#<ULID>
//	LOGIN#<kind>#<value>  LOGIN                          login alias → (cid, pid)
//	SESSION#<sid>         SESSION                        refresh-token family
//	STATUS                COMPONENT#<id> | INCIDENT#<id> public status page
//	CUST#<cid>            MSG#<mid>                      authorized message  gsi1: CUST#<cid>#PERSON#<pid>#MSG / MSG#<mid> (support.go)
//	CUST#<cid>            TICKET#<tid>                   ticket       gsi1: CUST#<cid>#TICKET#<open|closed> / TICKET#<tid>
//	CUST#<cid>            TKITEM#<tid>#R#<rid>           ticket reply
//	CUST#<cid>            TKITEM#<tid>#A#<aid>           ticket attachment (object attachments/<cid>/<tid>/<aid> in the bucket); ttl until a reply claims it
//	CUST#<cid>            TKITEM#<tid>#N                 ticket attachment counter (Attachments ≤ MaxTicketAttachments)
//	PROMO                 PROMO#<id>                     promotion
//
// Usage and history of a contract (usage.go), one partition per contract
// and kind, read with one Query on a key range:
//
//	CUST#<cid>#CALLS#<ctid>    <startedAt UTC 2006-01-02T15:04:05Z>#<callId>   VoIP call (range = BETWEEN)
//	CUST#<cid>#TRAFFIC#<ctid>  D#<date>                      traffic of the contract on a day
//	CUST#<cid>#TRAFFIC#<ctid>  IPD#<date>#<ip>               traffic of one IP address on a day (a date range reads every address)
//	CUST#<cid>#PROTO#<ctid>    PROTO#<id>                    service protocol  gsi1: same pk / <date>#<id>
//	CUST#<cid>#SUPPORT#<ctid>  REQ#<id>                      support request   gsi1: same pk / <openedAt>#<id>
//
// Monthly traffic is summed from the daily items when read, so ingestion
// stays an idempotent upsert; protocols and support requests are upserted
// by id and listed newest first on GSI1.
package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Index names, as declared in template.yaml.
const (
	GSI1 = "GSI1"
	GSI2 = "GSI2"
)

// API is the subset of the DynamoDB client the stores use; *dynamodb.Client
// satisfies it.
type API interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// DB is a handle on the table.
type DB struct {
	api   API
	table string
}

// New returns a DB using table through api.
func New(api API, table string) *DB {
	return &DB{api: api, table: table}
}

// keys are the key attributes every item carries.
type keys struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	GSI1PK string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK string `dynamodbav:"gsi1sk,omitempty"`
	GSI2PK string `dynamodbav:"gsi2pk,omitempty"`
	GSI2SK string `dynamodbav:"gsi2sk,omitempty"`
	// TTL is the expiry (Unix seconds) for items DynamoDB may delete.
	TTL int64 `dynamodbav:"ttl,omitempty"`
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: pk},
		"sk": &types.AttributeValueMemberS{Value: sk},
	}
}

func customerPK(cid string) string { return "CUST#" + cid }

// get reads one item into out; a missing item is clientzone.NotFound(what).
func (db *DB) get(ctx context.Context, pk, sk, what string, out any) error {
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &db.table,
		Key:       key(pk, sk),
	})
	if err != nil {
		return fmt.Errorf("dynamo: get %s: %w", what, err)
	}
	if res.Item == nil {
		return clientzone.NotFound(what)
	}
	if err := attributevalue.UnmarshalMap(res.Item, out); err != nil {
		return fmt.Errorf("dynamo: decode %s: %w", what, err)
	}
	return nil
}

// put writes one item unconditionally (an upsert).
func (db *DB) put(ctx context.Context, item any) error {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return fmt.Errorf("dynamo: encode: %w", err)
	}
	_, err = db.api.PutItem(ctx, &dynamodb.PutItemInput{TableName: &db.table, Item: av})
	if err != nil {
		return fmt.Errorf("dynamo: put: %w", err)
	}
	return nil
}

func (db *DB) putTx(item any, cond string, values map[string]types.AttributeValue) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("dynamo: encode: %w", err)
	}
	p := &types.Put{TableName: &db.table, Item: av}
	if cond != "" {
		p.ConditionExpression = &cond
		p.ExpressionAttributeValues = values
	}
	return types.TransactWriteItem{Put: p}, nil
}

// transact runs a write transaction. When a condition fails, conflict is
// returned for the first failed item, so callers can say what clashed; a
// transaction cancelled by a concurrent one (or still in progress) returns
// an error matching clientzone.ErrTransactionConflict, which the caller
// may retry.
func (db *DB) transact(ctx context.Context, items []types.TransactWriteItem, conflict func(i int) error) error {
	_, err := db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		for i, r := range tce.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" && conflict != nil {
				return conflict(i)
			}
		}
	}
	if isTransactionConflict(err) {
		return fmt.Errorf("dynamo: transaction: %w: %w", clientzone.ErrTransactionConflict, err)
	}
	return fmt.Errorf("dynamo: transaction: %w", err)
}

// isTransactionConflict reports whether err is a transaction cancelled
// because another transaction touched the same items at the same time, or
// one rejected because the same request is still in progress.
func isTransactionConflict(err error) bool {
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		for _, r := range tce.CancellationReasons {
			if aws.ToString(r.Code) == "TransactionConflict" {
				return true
			}
		}
	}
	var tip *types.TransactionInProgressException
	return errors.As(err, &tip)
}

// cursor is an opaque page token: the LastEvaluatedKey, checked on the way
// back in so a client cannot use it to start in another customer's data.
func encodeCursor(lek map[string]types.AttributeValue) (string, error) {
	if len(lek) == 0 {
		return "", nil
	}
	m := map[string]string{}
	for k, v := range lek {
		s, ok := v.(*types.AttributeValueMemberS)
		if !ok {
			return "", fmt.Errorf("dynamo: cursor key %s is not a string", k)
		}
		m[k] = s.Value
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

var errBadCursor = &clientzone.Error{
	Code:    clientzone.EINVALID,
	Message: "The cursor is invalid.",
	Fields:  []clientzone.FieldError{{Field: "cursor", Code: "invalid", Message: "The cursor is invalid or expired."}},
}

// decodeCursor returns the ExclusiveStartKey of cursor, requiring that its
// attributes are exactly keyAttrs (the key attributes of the listing's
// LastEvaluatedKey) and that its partition attribute pkAttr equals pk.
func decodeCursor(cursor, pkAttr, pk string, keyAttrs ...string) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, errBadCursor
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || m[pkAttr] != pk || len(m) != len(keyAttrs) {
		return nil, errBadCursor
	}
	out := make(map[string]types.AttributeValue, len(m))
	for _, k := range keyAttrs {
		v, ok := m[k]
		if !ok {
			return nil, errBadCursor
		}
		out[k] = &types.AttributeValueMemberS{Value: v}
	}
	return out, nil
}

// Key attributes of a LastEvaluatedKey: of a table Query, and of a GSI1
// Query (the index key plus the table key).
var (
	tableKeyAttrs = []string{"pk", "sk"}
	gsi1KeyAttrs  = []string{"pk", "sk", "gsi1pk", "gsi1sk"}
)

// newestFirst reads one page of a customer's items whose sort key starts
// with prefix, newest first (ULID sort keys), with an optional filter
// (applied after the Limit, so a filtered page may be short); what gets
// decoded is T.
func newestFirst[T any](ctx context.Context, db *DB, cid, prefix string, limit int, cursor, filter string, filterValues map[string]types.AttributeValue) ([]T, string, error) {
	pk := customerPK(cid)
	start, err := decodeCursor(cursor, "pk", pk, tableKeyAttrs...)
	if err != nil {
		return nil, "", err
	}
	values := map[string]types.AttributeValue{
		":pk": &types.AttributeValueMemberS{Value: pk},
		":sk": &types.AttributeValueMemberS{Value: prefix},
	}
	for k, v := range filterValues {
		values[k] = v
	}
	in := &dynamodb.QueryInput{
		TableName:                 &db.table,
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :sk)"),
		ExpressionAttributeValues: values,
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
		ExclusiveStartKey:         start,
	}
	if filter != "" {
		in.FilterExpression = aws.String(filter)
	}
	res, err := db.api.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("dynamo: list %s: %w", prefix, err)
	}
	items := make([]T, 0, len(res.Items))
	if err := attributevalue.UnmarshalListOfMaps(res.Items, &items); err != nil {
		return nil, "", fmt.Errorf("dynamo: decode %s: %w", prefix, err)
	}
	next, err := encodeCursor(res.LastEvaluatedKey)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}
