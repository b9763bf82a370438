package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type personItem struct {
	keys
	clientzone.Person
}

func personSK(pid string) string { return "PERSON#" + pid }

func personAliases(p *clientzone.Person) map[string]string {
	m := map[string]string{}
	if p.Email != "" {
		m[clientzone.LoginEmail] = p.Email
	}
	if p.Username != "" {
		m[clientzone.LoginUsername] = p.Username
	}
	return m
}

// PutPerson creates or replaces a person together with the login aliases
// (email, username) that point at it, in one transaction. An alias held by
// another person is a conflict (account.LoginTakenError); aliases the
// person no longer has are freed.
func (db *DB) PutPerson(ctx context.Context, p *clientzone.Person) error {
	old, err := db.Person(ctx, p.CustomerID, p.ID)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return err
	}
	var items []types.TransactWriteItem
	var kinds []string
	pi, err := db.putTx(personItem{keys: keys{PK: customerPK(p.CustomerID), SK: personSK(p.ID)}, Person: *p}, "", nil)
	if err != nil {
		return err
	}
	items = append(items, pi)
	kinds = append(kinds, "")
	// One alias item per normalized value: a username equal to the email
	// (they share one namespace) is claimed once, as the email.
	want := personAliases(p)
	wanted := map[string]bool{}
	for _, kind := range []string{clientzone.LoginEmail, clientzone.LoginUsername} {
		v := want[kind]
		if v == "" || wanted[clientzone.NormalizeLogin(v)] {
			continue
		}
		wanted[clientzone.NormalizeLogin(v)] = true
		it, err := db.aliasTx(kind, v, p.CustomerID, p.ID)
		if err != nil {
			return err
		}
		items = append(items, it)
		kinds = append(kinds, kind)
	}
	if old != nil {
		had := personAliases(old)
		freed := map[string]bool{}
		for _, kind := range []string{clientzone.LoginEmail, clientzone.LoginUsername} {
			v := had[kind]
			// Still wanted (under any kind) or already freed: keep it.
			if v == "" || wanted[clientzone.NormalizeLogin(v)] || freed[clientzone.NormalizeLogin(v)] {
				continue
			}
			freed[clientzone.NormalizeLogin(v)] = true
			cond := "personId = :pid"
			items = append(items, types.TransactWriteItem{Delete: &types.Delete{
				TableName:                 &db.table,
				Key:                       key(aliasPK(v), "LOGIN"),
				ConditionExpression:       &cond,
				ExpressionAttributeValues: map[string]types.AttributeValue{":pid": &types.AttributeValueMemberS{Value: p.ID}},
			}})
			kinds = append(kinds, "")
		}
	}
	return db.transact(ctx, items, func(i int) error {
		if kinds[i] == "" {
			return account.ErrPersonChanged
		}
		return account.LoginTakenError(kinds[i], kinds[i])
	})
}

// Person returns a person of customer cid.
func (db *DB) Person(ctx context.Context, cid, pid string) (*clientzone.Person, error) {
	var it personItem
	if err := db.get(ctx, customerPK(cid), personSK(pid), "Person", &it); err != nil {
		return nil, err
	}
	return &it.Person, nil
}

// PersonByLogin resolves a login (email, username or contract number) to the
// person it belongs to: two GetItems.
func (db *DB) PersonByLogin(ctx context.Context, login string) (*clientzone.Person, error) {
	var a aliasItem
	if err := db.get(ctx, aliasPK(login), "LOGIN", "Person", &a); err != nil {
		return nil, err
	}
	return db.Person(ctx, a.CustomerID, a.PersonID)
}

// Persons lists every person of a customer.
func (db *DB) Persons(ctx context.Context, cid string) ([]*clientzone.Person, error) {
	var out []*clientzone.Person
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: customerPK(cid)},
			":sk": &types.AttributeValueMemberS{Value: "PERSON#"},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: persons: %w", err)
		}
		var items []personItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, fmt.Errorf("dynamo: decode persons: %w", err)
		}
		for i := range items {
			out = append(out, &items[i].Person)
		}
	}
	return out, nil
}

// ReplacePasswordHash swaps a person's password hash if it is still old (a
// compare-and-set, so a concurrent password change is never overwritten).
func (db *DB) ReplacePasswordHash(ctx context.Context, cid, pid, old, new string) error {
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &db.table,
		Key:                 key(customerPK(cid), personSK(pid)),
		UpdateExpression:    aws.String("SET PasswordHash = :new"),
		ConditionExpression: aws.String("PasswordHash = :old"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":new": &types.AttributeValueMemberS{Value: new},
			":old": &types.AttributeValueMemberS{Value: old},
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return account.ErrPasswordChanged
	}
	if err != nil {
		return fmt.Errorf("dynamo: replace password hash: %w", err)
	}
	return nil
}
