package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Fixed-window counters for brute-force limits (failed logins, SMS sent,
// wrong codes): one item per subject and window, deleted by TTL after it.
//
//	RL#<name>   <window start, unix seconds>   n

func counterKey(name string, window time.Duration, now time.Time) (pk, sk string, end time.Time) {
	start := now.UTC().Truncate(window)
	return "RL#" + name, strconv.FormatInt(start.Unix(), 10), start.Add(window)
}

// Hits returns how often name was hit in the current window.
func (db *DB) Hits(ctx context.Context, name string, window time.Duration, now time.Time) (int, error) {
	pk, sk, _ := counterKey(name, window, now)
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(pk, sk)})
	if err != nil {
		return 0, fmt.Errorf("dynamo: rate counter: %w", err)
	}
	return counterValue(res.Item), nil
}

// Hit counts one hit of name in the current window and returns the new count.
func (db *DB) Hit(ctx context.Context, name string, window time.Duration, now time.Time) (int, error) {
	pk, sk, end := counterKey(name, window, now)
	res, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &db.table,
		Key:                       key(pk, sk),
		UpdateExpression:          aws.String("ADD n :one SET #ttl = :ttl"),
		ExpressionAttributeNames:  map[string]string{"#ttl": "ttl"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}, ":ttl": &types.AttributeValueMemberN{Value: strconv.FormatInt(end.Add(time.Hour).Unix(), 10)}},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, fmt.Errorf("dynamo: rate counter: %w", err)
	}
	return counterValue(res.Attributes), nil
}

// HitIfBelow counts a hit only while the window's count is below limit, and
// reports whether it did: the atomic "may I send another SMS?" check.
func (db *DB) HitIfBelow(ctx context.Context, name string, window time.Duration, now time.Time, limit int) (bool, error) {
	pk, sk, end := counterKey(name, window, now)
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &db.table,
		Key:                       key(pk, sk),
		UpdateExpression:          aws.String("ADD n :one SET #ttl = :ttl"),
		ConditionExpression:       aws.String("attribute_not_exists(n) OR n < :limit"),
		ExpressionAttributeNames:  map[string]string{"#ttl": "ttl"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}, ":limit": &types.AttributeValueMemberN{Value: strconv.Itoa(limit)}, ":ttl": &types.AttributeValueMemberN{Value: strconv.FormatInt(end.Add(time.Hour).Unix(), 10)}},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dynamo: rate counter: %w", err)
	}
	return true, nil
}

func counterValue(item map[string]types.AttributeValue) int {
	n, ok := item["n"].(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	v, _ := strconv.Atoi(n.Value)
	return v
}

// Unhit gives one hit of name back (a reserved attempt that succeeded).
func (db *DB) Unhit(ctx context.Context, name string, window time.Duration, now time.Time) error {
	pk, sk, _ := counterKey(name, window, now)
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &db.table,
		Key:                       key(pk, sk),
		UpdateExpression:          aws.String("ADD n :minus"),
		ConditionExpression:       aws.String("n > :zero"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":minus": &types.AttributeValueMemberN{Value: "-1"}, ":zero": &types.AttributeValueMemberN{Value: "0"}},
	})
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("dynamo: rate counter: %w", err)
	}
	return nil
}
