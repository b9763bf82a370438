package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Authorization PIN: one item per customer.
//
//	CUST#<cid>   PIN   Hash, Failures, LockedUntil (unix seconds, absent when unlocked), UpdatedAt

const pinSK = "PIN"

type pinItem struct {
	keys
	Hash        string    `dynamodbav:"Hash"`
	Failures    int       `dynamodbav:"Failures"`
	LockedUntil int64     `dynamodbav:"LockedUntil,omitempty"`
	UpdatedAt   time.Time `dynamodbav:"UpdatedAt"`
}

func newPINItem(cid, hash string, now time.Time) pinItem {
	return pinItem{keys: keys{PK: customerPK(cid), SK: pinSK}, Hash: hash, UpdatedAt: now.UTC()}
}

// PIN returns a customer's authorization PIN (strongly consistent read); a
// customer without one is clientzone.NotFound("PIN").
func (db *DB) PIN(ctx context.Context, cid string) (*clientzone.PIN, error) {
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &db.table, Key: key(customerPK(cid), pinSK), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: get PIN: %w", err)
	}
	if res.Item == nil {
		return nil, clientzone.NotFound("PIN")
	}
	p := &clientzone.PIN{CustomerID: cid, Hash: attrS(res.Item, "Hash"), Failures: attrN(res.Item, "Failures")}
	if until := attrN(res.Item, "LockedUntil"); until > 0 {
		p.LockedUntil = time.Unix(int64(until), 0).UTC()
	}
	if s := attrS(res.Item, "UpdatedAt"); s != "" {
		p.UpdatedAt, _ = time.Parse(time.RFC3339Nano, s)
	}
	return p, nil
}

func attrN(item map[string]types.AttributeValue, name string) int {
	n, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	v, _ := strconv.Atoi(n.Value)
	return v
}

// PutPIN sets a customer's PIN hash outright, clearing failures and lock
// (demo data and tests).
func (db *DB) PutPIN(ctx context.Context, cid, hash string, now time.Time) error {
	return db.put(ctx, newPINItem(cid, hash, now))
}

// SavePIN stores a new PIN hash for an existing customer (clearing failures
// and lock) together with its outbox message and audit entry, in one
// transaction. An unknown customer is ENOTFOUND.
func (db *DB) SavePIN(ctx context.Context, cid, hash string, now time.Time, msg *clientzone.Message, audit *clientzone.AuditEntry) error {
	tx := db.NewTx()
	if err := tx.Check(customerPK(cid), "CUSTOMER", "attribute_exists(pk)", nil, nil,
		clientzone.Errorf(clientzone.ENOTFOUND, "No customer with this id.")); err != nil {
		return err
	}
	if err := tx.Put(newPINItem(cid, hash, now), "", nil, nil, nil); err != nil {
		return err
	}
	if msg != nil {
		if err := tx.Outbox(msg); err != nil {
			return err
		}
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// ResetPINFailures clears the failure count and lock after a right PIN.
func (db *DB) ResetPINFailures(ctx context.Context, cid string) error {
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &db.table,
		Key:                       key(customerPK(cid), pinSK),
		UpdateExpression:          aws.String("SET Failures = :zero REMOVE LockedUntil"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":zero": numAV(0)},
	})
	if isConditionFailed(err) {
		return clientzone.NotFound("PIN")
	}
	if err != nil {
		return fmt.Errorf("dynamo: reset PIN failures: %w", err)
	}
	return nil
}

func numAV(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// RecordPINFailure counts one wrong PIN atomically and reports the count and
// the lock it leads to. The max-th consecutive failure sets the lock
// (now+lockFor) in the same conditional write that counts it, so concurrent
// wrong PINs never count more than max and never lose a count; a failure
// while locked is not counted and returns the current lock. An expired lock
// starts a new count.
func (db *DB) RecordPINFailure(ctx context.Context, cid string, now time.Time, max int, lockFor time.Duration) (failures int, lockedUntil time.Time, err error) {
	failures, lockedUntil, _, err = db.countPINAttempt(ctx, cid, now, max, lockFor)
	return failures, lockedUntil, err
}

// ReservePINAttempt counts an attempt before the PIN is checked (the same
// atomic count as RecordPINFailure), so that parallel guesses cannot get
// more than max checks per lock period. last reports that this very attempt
// was the max-th and set the lock (it may still be checked: a right PIN then
// clears the lock); a lockedUntil without last means the PIN was already
// locked and the attempt must be refused unchecked.
func (db *DB) ReservePINAttempt(ctx context.Context, cid string, now time.Time, max int, lockFor time.Duration) (last bool, lockedUntil time.Time, err error) {
	_, lockedUntil, last, err = db.countPINAttempt(ctx, cid, now, max, lockFor)
	return last, lockedUntil, err
}

func (db *DB) countPINAttempt(ctx context.Context, cid string, now time.Time, max int, lockFor time.Duration) (failures int, lockedUntil time.Time, lockedNow bool, err error) {
	k := key(customerPK(cid), pinSK)
	nowS := now.Unix()
	const notLocked = "attribute_exists(pk) AND (attribute_not_exists(LockedUntil) OR LockedUntil <= :now)"
	for attempt := 0; attempt < 8; attempt++ {
		// Below the limit: add one.
		res, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:           &db.table,
			Key:                 k,
			UpdateExpression:    aws.String("ADD Failures :one"),
			ConditionExpression: aws.String(notLocked + " AND (attribute_not_exists(Failures) OR Failures < :below)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":one": numAV(1), ":now": numAV(nowS), ":below": numAV(int64(max - 1)),
			},
			ReturnValues: types.ReturnValueUpdatedNew,
		})
		if err == nil {
			return attrN(res.Attributes, "Failures"), time.Time{}, false, nil
		}
		if !isConditionFailed(err) {
			return 0, time.Time{}, false, fmt.Errorf("dynamo: count PIN failure: %w", err)
		}
		// The last allowed failure: count it and lock in one write.
		until := now.Add(lockFor).Truncate(time.Second).UTC()
		_, err = db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:           &db.table,
			Key:                 k,
			UpdateExpression:    aws.String("SET Failures = :max, LockedUntil = :until"),
			ConditionExpression: aws.String(notLocked + " AND Failures = :below"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":max": numAV(int64(max)), ":until": numAV(until.Unix()), ":now": numAV(nowS), ":below": numAV(int64(max - 1)),
			},
		})
		if err == nil {
			return max, until, true, nil
		}
		if !isConditionFailed(err) {
			return 0, time.Time{}, false, fmt.Errorf("dynamo: lock PIN: %w", err)
		}
		// Locked, expired lock, or a concurrent change: look.
		p, err := db.PIN(ctx, cid)
		if err != nil {
			return 0, time.Time{}, false, err
		}
		if p.Locked(now) {
			return p.Failures, p.LockedUntil, false, nil
		}
		if !p.LockedUntil.IsZero() || p.Failures >= max {
			// The lock has expired: this failure is the first of a new count.
			cond := "LockedUntil = :seen"
			vals := map[string]types.AttributeValue{":one": numAV(1), ":seen": numAV(p.LockedUntil.Unix())}
			if p.LockedUntil.IsZero() {
				cond = "attribute_not_exists(LockedUntil) AND Failures = :f"
				vals = map[string]types.AttributeValue{":one": numAV(1), ":f": numAV(int64(p.Failures))}
			}
			_, err = db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName:                 &db.table,
				Key:                       k,
				UpdateExpression:          aws.String("SET Failures = :one REMOVE LockedUntil"),
				ConditionExpression:       aws.String(cond),
				ExpressionAttributeValues: vals,
			})
			if err == nil {
				return 1, time.Time{}, false, nil
			}
			if !isConditionFailed(err) {
				return 0, time.Time{}, false, fmt.Errorf("dynamo: restart PIN count: %w", err)
			}
		}
		// Someone else changed the item in between: try again.
	}
	return 0, time.Time{}, false, errors.New("dynamo: PIN failure: too much contention")
}

// UpdateBillingData writes the changed billing fields (account.Billing*)
// of next, only if the customer's billing data is still what old says
// (optimistic concurrency; else account.ErrBillingDataChanged), together
// with the audit entry and the outbox message, in one transaction.
func (db *DB) UpdateBillingData(ctx context.Context, old, next *clientzone.Customer, fields []string, audit *clientzone.AuditEntry, msg *clientzone.Message) error {
	if len(fields) == 0 {
		return nil
	}
	names := map[string]string{}
	values := map[string]any{}
	var conds []string
	eq := func(ph, attrPath, v string) {
		values[ph] = v
		if v == "" {
			conds = append(conds, fmt.Sprintf("(attribute_not_exists(%s) OR %s = %s)", attrPath, attrPath, ph))
			return
		}
		conds = append(conds, attrPath+" = "+ph)
	}
	names["#name"], names["#email"], names["#phone"] = "Name", "Email", "Phone"
	names["#cid"], names["#vat"], names["#addr"] = "CompanyID", "VATID", "BillingAddress"
	names["#street"], names["#city"], names["#pc"], names["#country"] = "Street", "City", "PostalCode", "Country"
	conds = append(conds, "attribute_exists(pk)")
	eq(":oName", "#name", old.Name)
	eq(":oEmail", "#email", old.Email)
	eq(":oPhone", "#phone", old.Phone)
	eq(":oCid", "#cid", old.CompanyID)
	eq(":oVat", "#vat", old.VATID)
	eq(":oStreet", "#addr.#street", old.BillingAddress.Street)
	eq(":oCity", "#addr.#city", old.BillingAddress.City)
	eq(":oPc", "#addr.#pc", old.BillingAddress.PostalCode)
	eq(":oCountry", "#addr.#country", old.BillingAddress.Country)
	var sets []string
	for _, f := range fields {
		switch f {
		case account.BillingName:
			sets, values[":nName"] = append(sets, "#name = :nName"), next.Name
		case account.BillingEmail:
			sets, values[":nEmail"] = append(sets, "#email = :nEmail"), next.Email
		case account.BillingPhone:
			sets, values[":nPhone"] = append(sets, "#phone = :nPhone"), next.Phone
		case account.BillingAddress:
			sets, values[":nAddr"] = append(sets, "#addr = :nAddr"), next.BillingAddress
		case account.BillingCompanyID:
			sets, values[":nCid"] = append(sets, "#cid = :nCid"), next.CompanyID
		case account.BillingVATID:
			sets, values[":nVat"] = append(sets, "#vat = :nVat"), next.VATID
		default:
			return fmt.Errorf("dynamo: unknown billing field %q", f)
		}
	}
	tx := db.NewTx()
	if err := tx.Update(customerPK(old.ID), "CUSTOMER", "SET "+strings.Join(sets, ", "), strings.Join(conds, " AND "),
		names, values, account.ErrBillingDataChanged); err != nil {
		return err
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	if msg != nil {
		if err := tx.Outbox(msg); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}
