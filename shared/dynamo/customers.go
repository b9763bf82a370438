package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

type customerItem struct {
	keys
	clientzone.Customer
}

// PutCustomer creates or replaces a customer record. GSI1 indexes it by
// variable symbol (VS#<vs> / CUSTOMER) for bank-statement matching; the
// symbol is claimed (unique) in the same transaction, see UpsertCustomer.
func (db *DB) PutCustomer(ctx context.Context, c *clientzone.Customer) error {
	prev, err := db.CustomerForUpdate(ctx, c.ID)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return err
	}
	return db.UpsertCustomer(ctx, c, prev, nil)
}

// Customer returns a customer by id.
func (db *DB) Customer(ctx context.Context, cid string) (*clientzone.Customer, error) {
	var it customerItem
	if err := db.get(ctx, customerPK(cid), "CUSTOMER", "Customer", &it); err != nil {
		return nil, err
	}
	return &it.Customer, nil
}

type aliasItem struct {
	keys
	Kind       string `dynamodbav:"kind"`
	CustomerID string `dynamodbav:"customerId"`
	PersonID   string `dynamodbav:"personId"`
}

// aliasPK is the key of a login alias (of kind clientzone.LoginEmail,
// LoginUsername or LoginContract). Emails, usernames and contract numbers
// share one namespace, so whatever a person types in the single login field
// resolves with one GetItem and can never be ambiguous.
func aliasPK(value string) string {
	return "LOGIN#" + clientzone.NormalizeLogin(value)
}

// aliasTx claims a login alias for a person: it succeeds when the alias is
// free or already points at the same person.
func (db *DB) aliasTx(kind, value, cid, pid string) (types.TransactWriteItem, error) {
	return db.putTx(aliasItem{keys: keys{PK: aliasPK(value), SK: "LOGIN"}, Kind: kind, CustomerID: cid, PersonID: pid},
		"attribute_not_exists(pk) OR personId = :pid",
		map[string]types.AttributeValue{":pid": &types.AttributeValueMemberS{Value: pid}})
}
