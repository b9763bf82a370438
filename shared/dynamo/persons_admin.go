package dynamo

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Persons management by a customer's admins, and the back-office import of
// persons from a legacy portal.

// CreatePersonWithAliases adds a new person to tx together with its login
// aliases (email, username). The person id and every alias must be free;
// a taken alias fails the transaction with account.LoginTakenError(kind,
// kind).
func (tx *Tx) CreatePersonWithAliases(p *clientzone.Person) error {
	if err := tx.Put(personItem{keys: keys{PK: customerPK(p.CustomerID), SK: personSK(p.ID)}, Person: *p},
		"attribute_not_exists(pk)", nil, nil,
		account.ErrPersonChanged); err != nil {
		return err
	}
	for _, kind := range sortedKinds(personAliases(p)) {
		v := personAliases(p)[kind]
		if err := tx.Put(aliasItem{keys: keys{PK: aliasPK(v), SK: "LOGIN"}, Kind: kind, CustomerID: p.CustomerID, PersonID: p.ID},
			"attribute_not_exists(pk)", nil, nil, account.LoginTakenError(kind, kind)); err != nil {
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

var _ account.PersonsStore = (*DB)(nil)

// PersonForUpdate reads a person of customer cid for a later
// ReplacePersonIfUnchanged (another customer's person is NotFound). The
// snapshot's Version is the item's stored attributes, the state that
// optimistic writes are conditioned on.
func (db *DB) PersonForUpdate(ctx context.Context, cid, pid string) (*account.PersonSnapshot, error) {
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
	return &account.PersonSnapshot{Person: &it.Person, Version: res.Item}, nil
}

// ReplacePersonIfUnchanged writes p (same customer and id as the snapshot,
// same email and username: aliases are not touched) in tx, on condition that
// the stored item still has exactly the attributes of the snapshot:
// optimistic locking on the state that was read, whoever else writes the
// person (profile edits, password changes, hash upgrades).
func (tx *Tx) ReplacePersonIfUnchanged(before *account.PersonSnapshot, p *clientzone.Person) error {
	raw, ok := before.Version.(map[string]types.AttributeValue)
	if !ok {
		return fmt.Errorf("dynamo: ReplacePersonIfUnchanged needs a snapshot read by PersonForUpdate")
	}
	if before.Person.CustomerID != p.CustomerID || before.Person.ID != p.ID ||
		clientzone.NormalizeLogin(before.Person.Email) != clientzone.NormalizeLogin(p.Email) || clientzone.NormalizeLogin(before.Person.Username) != clientzone.NormalizeLogin(p.Username) {
		return fmt.Errorf("dynamo: ReplacePersonIfUnchanged cannot change keys or login aliases")
	}
	av, err := attributevalue.MarshalMap(personItem{keys: keys{PK: customerPK(p.CustomerID), SK: personSK(p.ID)}, Person: *p})
	if err != nil {
		return fmt.Errorf("dynamo: encode: %w", err)
	}
	cond, names, values := unchangedCondition(raw)
	tx.add(types.TransactWriteItem{Put: &types.Put{
		TableName:                 &tx.db.table,
		Item:                      av,
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	}}, account.ErrPersonChanged)
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
// login (of any customer) fails with account.LoginTakenError(kind,
// fieldPrefix+kind).
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
		cond, nil, values, account.ErrPersonChanged); err != nil {
		return err
	}
	want := personAliases(p)
	for _, kind := range sortedKinds(want) {
		if err := tx.Put(aliasItem{keys: keys{PK: aliasPK(want[kind]), SK: "LOGIN"}, Kind: kind, CustomerID: p.CustomerID, PersonID: p.ID},
			"attribute_not_exists(pk) OR (personId = :pid AND customerId = :cid)", nil,
			map[string]any{":pid": p.ID, ":cid": p.CustomerID}, account.LoginTakenError(kind, fieldPrefix+kind)); err != nil {
			return err
		}
	}
	if old != nil {
		oldAliases := personAliases(old)
		for _, kind := range sortedKinds(oldAliases) {
			v := oldAliases[kind]
			if clientzone.NormalizeLogin(v) == clientzone.NormalizeLogin(want[kind]) || clientzone.NormalizeLogin(v) == clientzone.NormalizeLogin(want[otherKind(kind)]) {
				continue
			}
			if err := tx.Delete(aliasPK(v), "LOGIN", "personId = :pid AND customerId = :cid", nil,
				map[string]any{":pid": p.ID, ":cid": p.CustomerID}, account.ErrPersonChanged); err != nil {
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
	if kind == clientzone.LoginEmail {
		return clientzone.LoginUsername
	}
	return clientzone.LoginEmail
}

// CreateInvitedPerson writes a new person (no password yet), its login
// aliases, its invitation link, the invitation email and the audit entry in
// one transaction: a taken alias fails it with account.LoginTakenError and
// nothing is written.
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

// UpdatePersonChecked replaces the person read as before with after, and
// its audit entry, in one transaction, if the person is unchanged since it
// was read; when otherAdminID is set, that person must still be an enabled
// admin (the customer keeps at least one active admin even under
// concurrent demotions). Either conflict is account.ErrPersonChanged.
func (db *DB) UpdatePersonChecked(ctx context.Context, before *account.PersonSnapshot, after *clientzone.Person, otherAdminID string, e *clientzone.AuditEntry) error {
	tx := db.NewTx()
	if err := tx.ReplacePersonIfUnchanged(before, after); err != nil {
		return err
	}
	if otherAdminID != "" {
		if err := tx.CheckActiveAdmin(after.CustomerID, otherAdminID, account.ErrPersonChanged); err != nil {
			return err
		}
	}
	if err := tx.Audit(e); err != nil {
		return err
	}
	if err := tx.Commit(ctx); clientzone.IsTransactionConflict(err) {
		return account.ErrPersonChanged // a concurrent transaction on the same items
	} else if err != nil {
		return err
	}
	return nil
}
