package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// DB is the store of the identity use cases.
var (
	_ account.Store           = (*DB)(nil)
	_ account.RecoveryStore   = (*DB)(nil)
	_ account.PINServiceStore = (*DB)(nil)
)

type sessionItem struct {
	keys
	clientzone.Session
}

func sessionPK(id string) string { return "SESSION#" + id }

// CreateSession stores a new refresh-token family; DynamoDB deletes it
// after it expires (TTL).
func (db *DB) CreateSession(ctx context.Context, s *clientzone.Session) error {
	av, err := attributevalue.MarshalMap(sessionItem{
		keys:    keys{PK: sessionPK(s.ID), SK: "SESSION", TTL: s.ExpiresAt.Unix()},
		Session: *s,
	})
	if err != nil {
		return fmt.Errorf("dynamo: encode session: %w", err)
	}
	_, err = db.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           &db.table,
		Item:                av,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return errSessionExists
	}
	if err != nil {
		return fmt.Errorf("dynamo: create session: %w", err)
	}
	return nil
}

// Session returns a refresh-token family by id.
func (db *DB) Session(ctx context.Context, id string) (*clientzone.Session, error) {
	var it sessionItem
	if err := db.get(ctx, sessionPK(id), "SESSION", "Session", &it); err != nil {
		return nil, err
	}
	return &it.Session, nil
}

// Session attribute names (sessionItem embeds clientzone.Session untagged).
const (
	attrTokenHash    = "TokenHash"
	attrRevoked      = "Revoked"
	attrExpiresAt    = "ExpiresAt"
	attrTokenVersion = "TokenVersion"
)

// errSessionExists is the conflict of a new session whose id is taken (a
// broken id generator; never expected).
var errSessionExists = clientzone.Errorf(clientzone.ECONFLICT, "Session already exists.")

// PutSession adds a new refresh-token family to tx.
func (tx *Tx) PutSession(s *clientzone.Session) error {
	return tx.Put(sessionItem{
		keys:    keys{PK: sessionPK(s.ID), SK: "SESSION", TTL: s.ExpiresAt.Unix()},
		Session: *s,
	}, "attribute_not_exists(pk)", nil, nil, errSessionExists)
}

// RevokeSession marks session id revoked in tx, so its refresh token no
// longer works. It needs no read: a session already deleted by TTL leaves a
// revoked stub that TTL removes after until.
func (tx *Tx) RevokeSession(id string, until time.Time) error {
	return tx.Update(sessionPK(id), "SESSION", "SET #rev = :t, #ttl = if_not_exists(#ttl, :ttl)", "",
		map[string]string{"#rev": attrRevoked, "#ttl": "ttl"},
		map[string]any{":t": true, ":ttl": until.Unix()}, nil)
}

// OpenSession stores a new session together with its audit entry (the
// login) in one transaction.
func (db *DB) OpenSession(ctx context.Context, s *clientzone.Session, audit *clientzone.AuditEntry) error {
	tx := db.NewTx()
	if err := tx.PutSession(s); err != nil {
		return err
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// RotateSession replaces the refresh token of session id with newHash, if
// oldHash is still its current token and it is not revoked (one
// conditional UpdateItem; otherwise account.ErrSessionNotCurrent), and
// moves its expiry to expiresAt.
func (db *DB) RotateSession(ctx context.Context, id, oldHash, newHash string, expiresAt time.Time) error {
	vals, err := marshalValues(map[string]any{
		":old": oldHash, ":new": newHash, ":f": false, ":exp": expiresAt.UTC(), ":ttl": expiresAt.Unix(),
	})
	if err != nil {
		return err
	}
	_, err = db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &db.table,
		Key:                       key(sessionPK(id), "SESSION"),
		UpdateExpression:          aws.String("SET #hash = :new, #exp = :exp, #ttl = :ttl"),
		ConditionExpression:       aws.String("#hash = :old AND #rev = :f"),
		ExpressionAttributeNames:  map[string]string{"#hash": attrTokenHash, "#exp": attrExpiresAt, "#ttl": "ttl", "#rev": attrRevoked},
		ExpressionAttributeValues: vals,
	})
	if isConditionFailed(err) {
		return account.ErrSessionNotCurrent
	}
	if err != nil {
		return fmt.Errorf("dynamo: rotate session: %w", err)
	}
	return nil
}

// RevokeSessionAudited revokes session id and records why, in one
// transaction (logout, refresh-token reuse).
func (db *DB) RevokeSessionAudited(ctx context.Context, id string, until time.Time, audit *clientzone.AuditEntry) error {
	tx := db.NewTx()
	if err := tx.RevokeSession(id, until); err != nil {
		return err
	}
	if err := tx.Audit(audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// LogoutEverywhere bumps the person's TokenVersion, which invalidates every
// access token and every session (refresh) of the person at once, and
// revokes the current session, with the audit entry, in one transaction.
func (db *DB) LogoutEverywhere(ctx context.Context, cid, pid, sessionID string, until time.Time, audit *clientzone.AuditEntry) error {
	tx := db.NewTx()
	if err := tx.Update(customerPK(cid), personSK(pid), "SET #ver = if_not_exists(#ver, :zero) + :one", "attribute_exists(pk)",
		map[string]string{"#ver": attrTokenVersion}, map[string]any{":zero": 0, ":one": 1}, clientzone.NotFound("Person")); err != nil {
		return err
	}
	if sessionID != "" {
		if err := tx.RevokeSession(sessionID, until); err != nil {
			return err
		}
	}
	if err := tx.Audit(audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
