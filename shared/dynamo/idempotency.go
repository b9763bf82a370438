package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// IdempotencyRetention is how long an Idempotency-Key is remembered (the
// spec asks for at least 24 hours).
const IdempotencyRetention = 48 * time.Hour

// idempotencyItem is a claimed Idempotency-Key with, once done, the saved
// response (clientzone.SavedResponse's fields).
type idempotencyItem struct {
	keys
	Fingerprint string
	State       string // pending or done
	CreatedAt   time.Time
	Status      int
	ContentType string
	Location    string `dynamodbav:",omitempty"`
	Body        string
}

func idempotencyPK(scope, key string) string { return "IDEMP#" + scope + "#" + key }

// BeginIdempotent claims key in scope for a request with fingerprint. It
// returns the saved response when the same request already completed; a
// different request with the key (clientzone.ErrIdempotencyKeyReused), or
// one still in progress (clientzone.ErrIdempotencyInProgress), is a
// conflict. A key whose record expired is claimed afresh.
func (db *DB) BeginIdempotent(ctx context.Context, scope, idemKey, fingerprint string, now time.Time) (*clientzone.SavedResponse, bool, error) {
	av, err := attributevalue.MarshalMap(idempotencyItem{
		keys:        keys{PK: idempotencyPK(scope, idemKey), SK: "IDEMP", TTL: now.Add(IdempotencyRetention).Unix()},
		Fingerprint: fingerprint, State: "pending", CreatedAt: now,
	})
	if err != nil {
		return nil, false, fmt.Errorf("dynamo: encode idempotency: %w", err)
	}
	_, err = db.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &db.table,
		Item:                      av,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR #ttl < :now"),
		ExpressionAttributeNames:  map[string]string{"#ttl": "ttl"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)}},
	})
	if err == nil {
		return nil, false, nil
	}
	if !isConditionFailed(err) {
		return nil, false, fmt.Errorf("dynamo: begin idempotency: %w", err)
	}
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(idempotencyPK(scope, idemKey), "IDEMP"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, false, fmt.Errorf("dynamo: read idempotency: %w", err)
	}
	var it idempotencyItem
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return nil, false, fmt.Errorf("dynamo: decode idempotency: %w", err)
	}
	switch {
	case it.Fingerprint != fingerprint:
		return nil, false, clientzone.ErrIdempotencyKeyReused
	case it.State != "done":
		return nil, false, clientzone.ErrIdempotencyInProgress
	}
	return &clientzone.SavedResponse{Status: it.Status, ContentType: it.ContentType, Location: it.Location, Body: it.Body}, true, nil
}

// CompleteIdempotent saves the response of a claimed key.
func (db *DB) CompleteIdempotent(ctx context.Context, scope, idemKey string, r *clientzone.SavedResponse) error {
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &db.table,
		Key:                 key(idempotencyPK(scope, idemKey), "IDEMP"),
		UpdateExpression:    aws.String("SET #state = :done, #status = :status, ContentType = :ct, Body = :body, #loc = :loc"),
		ConditionExpression: aws.String("#state = :pending"),
		ExpressionAttributeNames: map[string]string{
			"#state": "State", "#status": "Status", "#loc": "Location",
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":done": &types.AttributeValueMemberS{Value: "done"}, ":pending": &types.AttributeValueMemberS{Value: "pending"},
			":status": &types.AttributeValueMemberN{Value: strconv.Itoa(r.Status)},
			":ct":     &types.AttributeValueMemberS{Value: r.ContentType},
			":body":   &types.AttributeValueMemberS{Value: r.Body},
			":loc":    &types.AttributeValueMemberS{Value: r.Location},
		},
	})
	if err != nil {
		return fmt.Errorf("dynamo: complete idempotency: %w", err)
	}
	return nil
}

// AbortIdempotent releases a claimed key after a server-side failure, so a
// retry with the same key runs again.
func (db *DB) AbortIdempotent(ctx context.Context, scope, idemKey string) error {
	_, err := db.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 &db.table,
		Key:                       key(idempotencyPK(scope, idemKey), "IDEMP"),
		ConditionExpression:       aws.String("#state = :pending"),
		ExpressionAttributeNames:  map[string]string{"#state": "State"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pending": &types.AttributeValueMemberS{Value: "pending"}},
	})
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("dynamo: abort idempotency: %w", err)
	}
	return nil
}
