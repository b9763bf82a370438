package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
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
		return clientzone.Errorf(clientzone.ECONFLICT, "Session already exists.")
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
