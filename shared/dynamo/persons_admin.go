package dynamo

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Persons management by a customer's admins, and the back-office import of
// persons from a legacy portal.

// AliasConflict is the error for a login alias (email or username) that
// another login already holds.
func AliasConflict(kind, field string) error {
	return &clientzone.Error{
		Code:    clientzone.ECONFLICT,
		Message: aliasTakenMessages[kind],
		Fields:  []clientzone.FieldError{{Field: field, Code: "taken", Message: "Another login already uses this value."}},
	}
}

var aliasTakenMessages = map[string]string{
	LoginEmail:    "This email address is already taken by another login.",
	LoginUsername: "This username is already taken by another login.",
}

// CreatePersonWithAliases adds a new person to tx together with its login
// aliases (email, username). The person id and every alias must be free;
// a taken alias fails the transaction with AliasConflict(kind, kind).
func (tx *Tx) CreatePersonWithAliases(p *clientzone.Person) error {
	if err := tx.Put(personItem{keys: keys{PK: customerPK(p.CustomerID), SK: personSK(p.ID)}, Person: *p},
		"attribute_not_exists(pk)", nil, nil,
		errPersonChanged); err != nil {
		return err
	}
	for _, kind := range sortedKinds(personAliases(p)) {
		v := personAliases(p)[kind]
		if err := tx.Put(aliasItem{keys: keys{PK: aliasPK(v), SK: "LOGIN"}, Kind: kind, CustomerID: p.CustomerID, PersonID: p.ID},
			"attribute_not_exists(pk)", nil, nil, AliasConflict(kind, kind)); err != nil {
			return err
		}
	}
	return nil
}

func sortedKinds(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// PersonSnapshot is a person as read, with the stored attributes it was
// decoded from: the version that optimistic writes are conditioned on.
type PersonSnapshot struct {
	Person *clientzone.Person
	raw    map[string]types.AttributeValue
}

// PersonForUpdate reads a person of customer cid for a later
// ReplacePersonIfUnchanged (another customer's person is NotFound).
func (db *DB) PersonForUpdate(ctx context.Context, cid, pid string) (*PersonSnapshot, error) {
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      &db.table,
		Key:            key(customerPK(cid), personSK(pid)),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: get Person: %w", err)
	}
	if res.Item == nil {
		return nil, clientzone.NotFound("Person")
	}
	var it personItem
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: decode Person: %w", err)
	}
	return &PersonSnapshot{Person: &it.Person, raw: res.Item}, nil
}

// errPersonChanged is the answer when the person changed since it was read.
var errPersonChanged = clientzone.Errorf(clientzone.ECONFLICT, "Someone else changed this person meanwhile; reload and try again.")

// ReplacePersonIfUnchanged writes p (same customer and id as the snapshot,
// same email and username: aliases are not touched) in tx, on condition that
// the stored item still has exactly the attributes of the snapshot:
// optimistic locking on the state that was read, whoever else writes the
// person (profile edits, password changes, hash upgrades).
func (tx *Tx) ReplacePersonIfUnchanged(before *PersonSnapshot, p *clientzone.Person) error {
	if before.Person.CustomerID != p.CustomerID || before.Person.ID != p.ID ||
		NormalizeLogin(before.Person.Email) != NormalizeLogin(p.Email) || NormalizeLogin(before.Person.Username) != NormalizeLogin(p.Username) {
		return fmt.Errorf("dynamo: ReplacePersonIfUnchanged cannot change keys or login aliases")
	}
	av, err := attributevalue.MarshalMap(personItem{keys: keys{PK: customerPK(p.CustomerID), SK: personSK(p.ID)}, Person: *p})
	if err != nil {
		return fmt.Errorf("dynamo: encode: %w", err)
	}
	cond, names, values := unchangedCondition(before.raw)
	tx.add(types.TransactWriteItem{Put: &types.Put{
		TableName:                 &tx.db.table,
		Item:                      av,
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	}}, errPersonChanged)
	return nil
}

// unchangedCondition is a condition that holds while an item still exists
// with the given attribute values.
func unchangedCondition(raw map[string]types.AttributeValue) (string, map[string]string, map[string]types.AttributeValue) {
	attrs := make([]string, 0, len(raw))
	for a := range raw {
		attrs = append(attrs, a)
	}
	sort.Strings(attrs)
	cond := "attribute_exists(pk)"
	names := map[string]string{}
	values := map[string]types.AttributeValue{}
	for i, a := range attrs {
		if a == "pk" || a == "sk" {
			continue
		}
		n, v := fmt.Sprintf("#a%d", i), fmt.Sprintf(":v%d", i)
		names[n] = a
		if _, isNull := raw[a].(*types.AttributeValueMemberNULL); isNull {
			values[v] = &types.AttributeValueMemberS{Value: "NULL"}
			cond += fmt.Sprintf(" AND (attribute_not_exists(%s) OR attribute_type(%s, %s))", n, n, v)
			continue
		}
		values[v] = raw[a]
		cond += fmt.Sprintf(" AND %s = %s", n, v)
	}
	return cond, names, values
}

// CheckActiveAdmin requires, in tx, that person pid of customer cid is still
// an enabled admin; otherwise the transaction fails with onConflict.
func (tx *Tx) CheckActiveAdmin(cid, pid string, onConflict error) error {
	return tx.Check(customerPK(cid), personSK(pid), "#role = :admin AND #dis = :false",
		map[string]string{"#role": "Role", "#dis": "Disabled"},
		map[string]any{":admin": string(clientzone.RoleAdmin), ":false": false}, onConflict)
}

// ImportPerson writes a person from a legacy portal with PutPerson
// semantics (create, or replace the person with the same id, freeing login
// aliases it no longer has) together with its audit entry, in one
// transaction. Aliases are claimed conditionally: an alias held by another
// login (of any customer) fails with AliasConflict(kind, fieldPrefix+kind).
func (db *DB) ImportPerson(ctx context.Context, p *clientzone.Person, audit *clientzone.AuditEntry, fieldPrefix string) error {
	old, err := db.Person(ctx, p.CustomerID, p.ID)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return err
	}
	tx := db.NewTx()
	var cond string
	var values map[string]any
	if old == nil {
		cond = "attribute_not_exists(pk)"
	} else {
		// Replace only the version that was read.
		cond, values = "TokenVersion = :tv", map[string]any{":tv": old.TokenVersion}
		p.TokenVersion = old.TokenVersion + 1 // new password hash: old tokens die
		p.CreatedAt = old.CreatedAt
	}
	if err := tx.Put(personItem{keys: keys{PK: customerPK(p.CustomerID), SK: personSK(p.ID)}, Person: *p},
		cond, nil, values, errPersonChanged); err != nil {
		return err
	}
	want := personAliases(p)
	for _, kind := range sortedKinds(want) {
		if err := tx.Put(aliasItem{keys: keys{PK: aliasPK(want[kind]), SK: "LOGIN"}, Kind: kind, CustomerID: p.CustomerID, PersonID: p.ID},
			"attribute_not_exists(pk) OR (personId = :pid AND customerId = :cid)", nil,
			map[string]any{":pid": p.ID, ":cid": p.CustomerID}, AliasConflict(kind, fieldPrefix+kind)); err != nil {
			return err
		}
	}
	if old != nil {
		oldAliases := personAliases(old)
		for _, kind := range sortedKinds(oldAliases) {
			v := oldAliases[kind]
			if NormalizeLogin(v) == NormalizeLogin(want[kind]) || NormalizeLogin(v) == NormalizeLogin(want[otherKind(kind)]) {
				continue
			}
			if err := tx.Delete(aliasPK(v), "LOGIN", "personId = :pid AND customerId = :cid", nil,
				map[string]any{":pid": p.ID, ":cid": p.CustomerID}, errPersonChanged); err != nil {
				return err
			}
		}
	}
	if err := tx.Audit(audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func otherKind(kind string) string {
	if kind == LoginEmail {
		return LoginUsername
	}
	return LoginEmail
}

// CreateInvitedPerson writes a new person (no password yet), its login
// aliases, its invitation link, the invitation email and the audit entry in
// one transaction: a taken alias fails it with AliasConflict and nothing is
// written.
func (db *DB) CreateInvitedPerson(ctx context.Context, p *clientzone.Person, a *clientzone.Activation, m *clientzone.Message, e *clientzone.AuditEntry) error {
	tx := db.NewTx()
	if err := tx.CreatePersonWithAliases(p); err != nil {
		return err
	}
	if err := tx.PutActivation(a); err != nil {
		return err
	}
	if err := tx.Outbox(m); err != nil {
		return err
	}
	if err := tx.Audit(e); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// errOtherAdminGone is the answer when the admin that was to remain
// changed meanwhile.
var errOtherAdminGone = clientzone.Errorf(clientzone.ECONFLICT, "Someone else changed this person meanwhile; reload and try again.")

// UpdatePersonChecked replaces the person read as before with after, and
// its audit entry, in one transaction, if the person is unchanged since it
// was read; when otherAdminID is set, that person must still be an enabled
// admin (the customer keeps at least one active admin even under
// concurrent demotions).
func (db *DB) UpdatePersonChecked(ctx context.Context, before *PersonSnapshot, after *clientzone.Person, otherAdminID string, e *clientzone.AuditEntry) error {
	tx := db.NewTx()
	if err := tx.ReplacePersonIfUnchanged(before, after); err != nil {
		return err
	}
	if otherAdminID != "" {
		if err := tx.CheckActiveAdmin(after.CustomerID, otherAdminID, errOtherAdminGone); err != nil {
			return err
		}
	}
	if err := tx.Audit(e); err != nil {
		return err
	}
	if err := tx.Commit(ctx); clientzone.IsTransactionConflict(err) {
		return errPersonChanged // a concurrent transaction on the same items
	} else if err != nil {
		return err
	}
	return nil
}
