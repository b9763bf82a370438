// Package schema creates the DynamoDB tables declared in template.yaml on a
// local endpoint (DynamoDB Local), so local runs and tests use exactly the
// keys, indexes and TTL that production gets from CloudFormation.
package schema

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/samtemplate"
)

// Options tune Create for local use.
type Options struct {
	// KeepExisting keeps tables that already exist (the dev server
	// restarting against a persistent endpoint); otherwise they are an error.
	KeepExisting bool
	// NoStreams leaves out the tables' streams. Nothing reads them locally,
	// and DynamoDB Local checks its stream bookkeeping on every write, which
	// slows down as test tables accumulate.
	NoStreams bool
}

// Create creates every table of tables named prefix+LogicalID and waits
// until they are active. It returns the names by logical id.
func Create(ctx context.Context, client *dynamodb.Client, tables []samtemplate.Table, prefix string, o Options) (map[string]string, error) {
	names := map[string]string{}
	for _, t := range tables {
		name := prefix + t.LogicalID
		names[t.LogicalID] = name
		in := &dynamodb.CreateTableInput{
			TableName:   aws.String(name),
			BillingMode: types.BillingModePayPerRequest,
		}
		for _, a := range t.AttributeDefinitions {
			in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
				AttributeName: aws.String(a.AttributeName), AttributeType: types.ScalarAttributeType(a.AttributeType),
			})
		}
		in.KeySchema = keySchema(t.KeySchema)
		for _, g := range t.GlobalIndexes {
			in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
				IndexName: aws.String(g.IndexName),
				KeySchema: keySchema(g.KeySchema),
				Projection: &types.Projection{
					ProjectionType:   types.ProjectionType(g.Projection.ProjectionType),
					NonKeyAttributes: g.Projection.NonKeyAttributes,
				},
			})
		}
		if t.StreamViewType != "" && !o.NoStreams {
			in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewType(t.StreamViewType)}
		}
		_, err := client.CreateTable(ctx, in)
		var inUse *types.ResourceInUseException
		if errors.As(err, &inUse) && o.KeepExisting {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("schema: create %s: %w", name, err)
		}
		w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 50 * time.Millisecond })
		if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute); err != nil {
			return nil, fmt.Errorf("schema: wait for %s: %w", name, err)
		}
		if t.TTLAttribute != "" {
			_, err := client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
				TableName:               aws.String(name),
				TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(t.TTLAttribute), Enabled: aws.Bool(true)},
			})
			if err != nil {
				return nil, fmt.Errorf("schema: ttl on %s: %w", name, err)
			}
		}
	}
	return names, nil
}

func keySchema(ks []samtemplate.KeyElement) []types.KeySchemaElement {
	out := make([]types.KeySchemaElement, 0, len(ks))
	for _, k := range ks {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: types.KeyType(k.KeyType)})
	}
	return out
}
