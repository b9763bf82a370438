package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Delivery state of an outbox item, kept on the item itself:
// SendingAt (claimed by a sender until SendingAt+lease), SentAt (delivered),
// FailedAt/FailReason (never deliverable), Attempts.

// stamp is the sortable (fixed-width UTC) form of the delivery timestamps.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// isOutboxPK tells whether pk is an outbox partition.
func isOutboxPK(pk string) bool { return strings.HasPrefix(pk, "OUTBOX#") }

// IsOutbox tells whether an item of partition pk (a stream record's key)
// is an outbox message (notify.Store).
func (db *DB) IsOutbox(pk string) bool { return isOutboxPK(pk) }

// ClaimOutbox claims the outbox item pk/sk for delivery: it succeeds only if
// the item is neither sent nor failed and no other claim younger than lease
// exists, so a redelivered or concurrently processed stream record sends the
// message once.
func (db *DB) ClaimOutbox(ctx context.Context, pk, sk string, now time.Time, lease time.Duration) (clientzone.OutboxClaim, error) {
	if !isOutboxPK(pk) {
		return 0, fmt.Errorf("dynamo: %q is not an outbox item", pk)
	}
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:        &db.table,
		Key:              key(pk, sk),
		UpdateExpression: aws.String("SET SendingAt = :now, Attempts = if_not_exists(Attempts, :zero) + :one"),
		ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(SentAt) AND attribute_not_exists(FailedAt)" +
			" AND (attribute_not_exists(SendingAt) OR SendingAt < :stale)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now":   &types.AttributeValueMemberS{Value: stamp(now)},
			":stale": &types.AttributeValueMemberS{Value: stamp(now.Add(-lease))},
			":zero":  &types.AttributeValueMemberN{Value: "0"},
			":one":   &types.AttributeValueMemberN{Value: "1"},
		},
	})
	if err == nil {
		return clientzone.OutboxClaimed, nil
	}
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		return 0, fmt.Errorf("dynamo: claim outbox: %w", err)
	}
	out, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String("pk, SentAt, FailedAt")})
	if err != nil {
		return 0, fmt.Errorf("dynamo: claim outbox: %w", err)
	}
	if out.Item == nil || out.Item["SentAt"] != nil || out.Item["FailedAt"] != nil {
		return clientzone.OutboxAlreadyDone, nil
	}
	return clientzone.OutboxBusy, nil
}

// ReleaseOutbox drops this sender's claim after a failed delivery so that a
// retry need not wait for the lease.
func (db *DB) ReleaseOutbox(ctx context.Context, pk, sk string) error {
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &db.table, Key: key(pk, sk),
		UpdateExpression:    aws.String("REMOVE SendingAt"),
		ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(SentAt)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &ccf) {
		return fmt.Errorf("dynamo: release outbox: %w", err)
	}
	return nil
}

// MarkOutboxSent records the delivery of pk/sk (once) and drops the
// message data: one-time codes, PINs and links must not outlive delivery.
func (db *DB) MarkOutboxSent(ctx context.Context, pk, sk string, now time.Time) error {
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &db.table, Key: key(pk, sk),
		UpdateExpression:          aws.String("SET SentAt = :now REMOVE SendingAt, #data"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(SentAt)"),
		ExpressionAttributeNames:  map[string]string{"#data": "Data"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": &types.AttributeValueMemberS{Value: stamp(now)}},
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return errors.New("dynamo: outbox message already marked sent")
	}
	if err != nil {
		return fmt.Errorf("dynamo: mark outbox sent: %w", err)
	}
	return nil
}

// MarkOutboxFailed records that pk/sk can never be delivered and drops the
// message data; reason must not contain message data.
func (db *DB) MarkOutboxFailed(ctx context.Context, pk, sk string, now time.Time, reason string) error {
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &db.table, Key: key(pk, sk),
		UpdateExpression:         aws.String("SET FailedAt = :now, FailReason = :reason REMOVE SendingAt, #data"),
		ConditionExpression:      aws.String("attribute_exists(pk) AND attribute_not_exists(SentAt)"),
		ExpressionAttributeNames: map[string]string{"#data": "Data"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now":    &types.AttributeValueMemberS{Value: stamp(now)},
			":reason": &types.AttributeValueMemberS{Value: reason},
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &ccf) {
		return fmt.Errorf("dynamo: mark outbox failed: %w", err)
	}
	return nil
}

// OutboxState is the delivery state of one outbox item (tests, dev mailbox).
type OutboxState struct {
	SendingAt  string `dynamodbav:"SendingAt"`
	SentAt     string `dynamodbav:"SentAt"`
	FailedAt   string `dynamodbav:"FailedAt"`
	FailReason string `dynamodbav:"FailReason"`
	Attempts   int    `dynamodbav:"Attempts"`
}

// OutboxDelivery reads the delivery state of the outbox message id written
// at createdAt.
func (db *DB) OutboxDelivery(ctx context.Context, createdAt time.Time, id string) (OutboxState, error) {
	var s OutboxState
	err := db.get(ctx, OutboxPK(createdAt), id, "Message", &s)
	return s, err
}

// UnsentOutbox returns one day's outbox items that are neither sent nor
// failed for good, as stored: what an operator redrives after a stream
// batch went to the dead-letter queue (infra/cmd/outbox-redrive).
func (db *DB) UnsentOutbox(ctx context.Context, day time.Time) ([]map[string]types.AttributeValue, error) {
	var out []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:                 &db.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		FilterExpression:          aws.String("attribute_not_exists(SentAt) AND attribute_not_exists(FailedAt)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: OutboxPK(day)}},
		ConsistentRead:            aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: unsent outbox: %w", err)
		}
		out = append(out, page.Items...)
	}
	return out, nil
}
