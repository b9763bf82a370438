package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// OutboxMessages returns one day's outbox messages, oldest first: what the
// local dev mailbox shows and tests read.
func (db *DB) OutboxMessages(ctx context.Context, day time.Time) ([]clientzone.Message, error) {
	var out []clientzone.Message
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:                 &db.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: OutboxPK(day)}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: outbox: %w", err)
		}
		var items []outboxItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, fmt.Errorf("dynamo: decode outbox: %w", err)
		}
		for _, it := range items {
			out = append(out, it.Message)
		}
	}
	return out, nil
}
