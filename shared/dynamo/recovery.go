package dynamo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Account requests and password recovery.
//
//	RESET#<resetId>   RESET   pending password reset (TTL)

// ContractLogin resolves a contract number to the customer holding it and
// the person its login points at, with one GetItem. A login that is not a
// contract number is NotFound("Contract").
func (db *DB) ContractLogin(ctx context.Context, number string) (cid, pid string, err error) {
	var a aliasItem
	if err := db.get(ctx, aliasPK(number), "LOGIN", "Contract", &a); err != nil {
		return "", "", err
	}
	if a.Kind != clientzone.LoginContract {
		return "", "", clientzone.NotFound("Contract")
	}
	return a.CustomerID, a.PersonID, nil
}

// CreateHolderAdmin creates a new person in tx together with its email and
// username aliases, all conditionally: the person id and every alias must
// be free, otherwise the transaction fails with onAliasConflict.
func (tx *Tx) CreateHolderAdmin(p *clientzone.Person, onAliasConflict error) error {
	if err := tx.Put(personItem{keys: keys{PK: customerPK(p.CustomerID), SK: personSK(p.ID)}, Person: *p},
		"attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	for kind, v := range personAliases(p) {
		if err := tx.Put(aliasItem{keys: keys{PK: aliasPK(v), SK: "LOGIN"}, Kind: kind, CustomerID: p.CustomerID, PersonID: p.ID},
			"attribute_not_exists(pk)", nil, nil, onAliasConflict); err != nil {
			return err
		}
	}
	return nil
}

// RelinkContractLogin points the contract-number login of customer cid from
// person oldPID (who does not exist) to newPID in tx.
func (tx *Tx) RelinkContractLogin(number, cid, oldPID, newPID string) error {
	return tx.Update(aliasPK(number), "LOGIN", "SET personId = :new",
		"kind = :kind AND customerId = :cid AND personId = :old", nil,
		map[string]any{":new": newPID, ":kind": clientzone.LoginContract, ":cid": cid, ":old": oldPID}, nil)
}

// ResetPersonPassword sets a person's password hash in tx, sets or clears
// MustChangePassword and, when logoutEverywhere, bumps the token version so
// every access token issued before is rejected. The person must exist
// (else onMissing).
func (tx *Tx) ResetPersonPassword(cid, pid, hash string, mustChange, logoutEverywhere bool, onMissing error) error {
	update := "SET PasswordHash = :h, MustChangePassword = :m"
	values := map[string]any{":h": hash, ":m": mustChange}
	if logoutEverywhere {
		update += ", TokenVersion = if_not_exists(TokenVersion, :zero) + :one"
		values[":zero"], values[":one"] = 0, 1
	}
	return tx.Update(customerPK(cid), personSK(pid), update, "attribute_exists(pk)", nil, values, onMissing)
}

type passwordResetItem struct {
	keys
	clientzone.PasswordReset // SecretHash is stored as an attribute
}

func passwordResetPK(id string) string { return "RESET#" + id }

// PutPasswordReset stores a new password reset in tx; DynamoDB deletes it
// after it expires.
func (tx *Tx) PutPasswordReset(r *clientzone.PasswordReset) error {
	return tx.Put(passwordResetItem{
		keys:          keys{PK: passwordResetPK(r.ID), SK: "RESET", TTL: r.ExpiresAt.Unix()},
		PasswordReset: *r,
	}, "attribute_not_exists(pk)", nil, nil, nil)
}

// PasswordReset returns a pending reset (an expired one may still be
// returned until TTL removes it: check ExpiresAt).
func (db *DB) PasswordReset(ctx context.Context, id string) (*clientzone.PasswordReset, error) {
	var it passwordResetItem
	if err := db.get(ctx, passwordResetPK(id), "RESET", "Password reset", &it); err != nil {
		return nil, err
	}
	return &it.PasswordReset, nil
}

// CountPasswordResetFailure adds one wrong attempt to a reset that is still
// alive (fewer than maxAttempts so far) and returns the new count; a reset
// that is gone or already dead is NotFound.
func (db *DB) CountPasswordResetFailure(ctx context.Context, id string, maxAttempts int) (int, error) {
	res, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &db.table,
		Key:                 key(passwordResetPK(id), "RESET"),
		UpdateExpression:    aws.String("SET Attempts = Attempts + :one"),
		ConditionExpression: aws.String("attribute_exists(pk) AND Attempts < :max"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": &types.AttributeValueMemberN{Value: "1"},
			":max": &types.AttributeValueMemberN{Value: strconv.Itoa(maxAttempts)},
		},
		ReturnValues: types.ReturnValueUpdatedNew,
	})
	if isConditionFailed(err) {
		return 0, clientzone.NotFound("Password reset")
	}
	if err != nil {
		return 0, fmt.Errorf("dynamo: password reset attempt: %w", err)
	}
	n, ok := res.Attributes["Attempts"].(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("dynamo: password reset attempt: no count returned")
	}
	v, _ := strconv.Atoi(n.Value)
	return v, nil
}

// ConsumePasswordReset deletes the reset in tx, provided it still exists,
// has fewer than maxAttempts wrong attempts and holds secretHash: single
// use even under concurrent confirms. Otherwise the transaction fails with
// onConflict.
func (tx *Tx) ConsumePasswordReset(id, secretHash string, maxAttempts int, onConflict error) error {
	return tx.Delete(passwordResetPK(id), "RESET",
		"attribute_exists(pk) AND Attempts < :max AND SecretHash = :h", nil,
		map[string]any{":max": maxAttempts, ":h": secretHash}, onConflict)
}

// SendActivation stores an activation link and its email in one
// transaction.
func (db *DB) SendActivation(ctx context.Context, a *clientzone.Activation, m *clientzone.Message) error {
	tx := db.NewTx()
	if err := tx.PutActivation(a); err != nil {
		return err
	}
	if err := tx.Outbox(m); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ActivatePerson consumes an activation link and sets the password of the
// existing person it names, in one transaction; a link already used fails
// with onInvalid.
func (db *DB) ActivatePerson(ctx context.Context, tokenHash, cid, pid, pwHash string, audit *clientzone.AuditEntry, onInvalid error) error {
	tx := db.NewTx()
	if err := tx.ConsumeActivation(tokenHash, onInvalid); err != nil {
		return err
	}
	if err := tx.ResetPersonPassword(cid, pid, pwHash, false, true, onInvalid); err != nil {
		return err
	}
	if err := tx.Audit(audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ActivateHolder consumes an activation link and creates the contract
// holder's admin person p (with its email alias, claimed conditionally) in
// one transaction. relink maps contract numbers whose login points at a
// person that does not exist (yet) to that person id: they are pointed at p.
func (db *DB) ActivateHolder(ctx context.Context, tokenHash string, p *clientzone.Person, relink map[string]string, audit *clientzone.AuditEntry, onInvalid, onTaken error) error {
	tx := db.NewTx()
	if err := tx.ConsumeActivation(tokenHash, onInvalid); err != nil {
		return err
	}
	if err := tx.CreateHolderAdmin(p, onTaken); err != nil {
		return err
	}
	for number, old := range relink {
		if err := tx.RelinkContractLogin(number, p.CustomerID, old, p.ID); err != nil {
			return err
		}
	}
	if err := tx.Audit(audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// StartPasswordReset stores a password reset and the message carrying its
// code or link in one transaction.
func (db *DB) StartPasswordReset(ctx context.Context, r *clientzone.PasswordReset, m *clientzone.Message) error {
	tx := db.NewTx()
	if err := tx.PutPasswordReset(r); err != nil {
		return err
	}
	if err := tx.Outbox(m); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// CompletePasswordReset consumes reset r (still alive, same secret), sets
// the person's new password, clears MustChangePassword, logs them out
// everywhere, and records audit and the notification m (nil for none), in
// one transaction; a reset consumed or killed meanwhile fails with
// onInvalid.
func (db *DB) CompletePasswordReset(ctx context.Context, r *clientzone.PasswordReset, pwHash string, audit *clientzone.AuditEntry, m *clientzone.Message, onInvalid error) error {
	tx := db.NewTx()
	if err := tx.ConsumePasswordReset(r.ID, r.SecretHash, clientzone.ResetMaxAttempts, onInvalid); err != nil {
		return err
	}
	if err := tx.ResetPersonPassword(r.CustomerID, r.PersonID, pwHash, false, true, onInvalid); err != nil {
		return err
	}
	if err := tx.Audit(audit); err != nil {
		return err
	}
	if m != nil {
		if err := tx.Outbox(m); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// SetTemporaryPassword gives a person a staff-issued password that must be
// changed at the next login, logs them out everywhere and records audit, in
// one transaction; a missing person fails with onMissing.
func (db *DB) SetTemporaryPassword(ctx context.Context, cid, pid, pwHash string, audit *clientzone.AuditEntry, onMissing error) error {
	tx := db.NewTx()
	if err := tx.ResetPersonPassword(cid, pid, pwHash, true, true, onMissing); err != nil {
		return err
	}
	if err := tx.Audit(audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
