package dynamo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// LoginAttempt reads what a login attempt needs in two read calls: the
// login alias (GetItem), then the person it names together with the
// person's failed-login count in the current window (BatchGetItem). For an
// unknown login, person is nil and the count is the login string's
// (account.UnknownLoginCounter, else the person's account.FailedLoginCounter);
// the second call is made either way, so both paths do the same work.
// counter names the counter to Hit when the attempt fails.
func (db *DB) LoginAttempt(ctx context.Context, login string, window time.Duration, now time.Time) (p *clientzone.Person, counter string, failures int, err error) {
	var a aliasItem
	err = db.get(ctx, aliasPK(login), "LOGIN", "Person", &a)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return nil, "", 0, err
	}
	found := err == nil
	counter = account.UnknownLoginCounter(login)
	want := []map[string]types.AttributeValue{}
	var personKey map[string]types.AttributeValue
	if found {
		counter = account.FailedLoginCounter(a.PersonID)
		personKey = key(customerPK(a.CustomerID), personSK(a.PersonID))
		want = append(want, personKey)
	}
	cpk, csk, _ := counterKey(counter, window, now)
	want = append(want, key(cpk, csk))
	items, err := db.batchGet(ctx, want)
	if err != nil {
		return nil, "", 0, err
	}
	for _, it := range items {
		switch {
		case attrS(it, "pk") == cpk && attrS(it, "sk") == csk:
			failures = counterValue(it)
		case personKey != nil && attrS(it, "sk") == personSK(a.PersonID):
			var pi personItem
			if err := attributevalue.UnmarshalMap(it, &pi); err != nil {
				return nil, "", 0, fmt.Errorf("dynamo: decode person: %w", err)
			}
			p = &pi.Person
		}
	}
	if found && p == nil {
		// A dangling alias: treat it as the unknown login it is. Its
		// count was not read; starting from zero errs on the lenient side
		// only for an account that cannot log in anyway.
		counter = account.UnknownLoginCounter(login)
	}
	return p, counter, failures, nil
}

func attrS(item map[string]types.AttributeValue, name string) string {
	if s, ok := item[name].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// batchGet reads up to 100 keys with BatchGetItem, retrying keys DynamoDB
// left unprocessed.
func (db *DB) batchGet(ctx context.Context, ks []map[string]types.AttributeValue) ([]map[string]types.AttributeValue, error) {
	var out []map[string]types.AttributeValue
	req := map[string]types.KeysAndAttributes{db.table: {Keys: ks}}
	for attempt := 0; len(req) > 0; attempt++ {
		if attempt > 0 {
			if attempt > 5 {
				return nil, fmt.Errorf("dynamo: batch get: keys still unprocessed")
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 20 * time.Millisecond):
			}
		}
		res, err := db.api.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			return nil, fmt.Errorf("dynamo: batch get: %w", err)
		}
		out = append(out, res.Responses[db.table]...)
		req = res.UnprocessedKeys
	}
	return out, nil
}

// ChangePassword writes a password change in one transaction: the person
// (only if its hash and token version are still the old ones; clears
// MustChangePassword), the revoked old session, the new session, the audit
// entry and the outbox message. A changed hash or token version is
// account.ErrPasswordChanged.
func (db *DB) ChangePassword(ctx context.Context, c *account.PasswordChange) error {
	tx := db.NewTx()
	if err := tx.Update(customerPK(c.CustomerID), personSK(c.PersonID),
		"SET #hash = :new, #must = :f, #ver = :newver",
		"attribute_exists(pk) AND #hash = :old AND #ver = :oldver",
		map[string]string{"#hash": "PasswordHash", "#must": "MustChangePassword", "#ver": attrTokenVersion},
		map[string]any{":new": c.NewHash, ":old": c.OldHash, ":f": false, ":newver": c.NewTokenVersion, ":oldver": c.OldTokenVersion},
		account.ErrPasswordChanged); err != nil {
		return err
	}
	if c.RevokeSessionID != "" {
		if err := tx.RevokeSession(c.RevokeSessionID, c.RevokeUntil); err != nil {
			return err
		}
	}
	if c.NewSession != nil {
		if err := tx.PutSession(c.NewSession); err != nil {
			return err
		}
	}
	if c.Audit != nil {
		if err := tx.Audit(c.Audit); err != nil {
			return err
		}
	}
	if c.Message != nil {
		if err := tx.Outbox(c.Message); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// UpdateProfile writes the given profile fields (account.Profile*) of p (and nothing else)
// with one conditional update (the person must exist and not be
// disabled), together with the audit entry.
func (db *DB) UpdateProfile(ctx context.Context, p *clientzone.Person, fields []string, audit *clientzone.AuditEntry) error {
	if len(fields) == 0 {
		return nil
	}
	names := map[string]string{"#dis": "Disabled", "#n": "Notifications"}
	values := map[string]any{":f": false}
	var sets []string
	fields = append([]string(nil), fields...)
	sort.Strings(fields)
	for i, f := range fields {
		v := fmt.Sprintf(":v%d", i)
		switch f {
		case account.ProfileName:
			names["#name"], values[v] = "Name", p.Name
			sets = append(sets, "#name = "+v)
		case account.ProfilePhone:
			names["#phone"], values[v] = "Phone", p.Phone
			sets = append(sets, "#phone = "+v)
		case account.ProfileLanguage:
			names["#lang"], values[v] = "Language", string(p.Language)
			sets = append(sets, "#lang = "+v)
		case account.ProfileNotificationsInvoices, account.ProfileNotificationsExpiry, account.ProfileNotificationsOutages, account.ProfileNotificationsNews:
			topic := strings.TrimPrefix(f, "notifications.")
			attr := strings.ToUpper(topic[:1]) + topic[1:] // Notifications is stored with Go field names
			val := map[string]bool{"invoices": p.Notifications.Invoices, "expiry": p.Notifications.Expiry,
				"outages": p.Notifications.Outages, "news": p.Notifications.News}[topic]
			names["#"+topic], values[v] = attr, val
			sets = append(sets, "#n.#"+topic+" = "+v)
		default:
			return fmt.Errorf("dynamo: unknown profile field %q", f)
		}
	}
	tx := db.NewTx()
	if err := tx.Update(customerPK(p.CustomerID), personSK(p.ID), "SET "+strings.Join(sets, ", "),
		"attribute_exists(pk) AND #dis = :f AND attribute_exists(#n)", names, values, clientzone.NotFound("Person")); err != nil {
		return err
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}
