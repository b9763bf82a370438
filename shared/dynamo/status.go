package dynamo

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/statuspage"
)

var (
	_ statuspage.Store      = (*DB)(nil)
	_ statuspage.AdminStore = (*DB)(nil)
)

const statusPK = "STATUS"

type componentItem struct {
	keys
	clientzone.StatusComponent
}

type incidentItem struct {
	keys
	clientzone.Incident
}

// PutStatusComponent creates or replaces a status-page component.
func (db *DB) PutStatusComponent(ctx context.Context, c *clientzone.StatusComponent) error {
	return db.put(ctx, componentItem{keys: keys{PK: statusPK, SK: "COMPONENT#" + c.ID}, StatusComponent: *c})
}

// PutIncident creates or replaces an incident. Incident ids should sort by
// start time (ULIDs): the page shows the newest first.
func (db *DB) PutIncident(ctx context.Context, in *clientzone.Incident) error {
	return db.put(ctx, incidentItem{keys: keys{PK: statusPK, SK: "INCIDENT#" + in.ID}, Incident: *in})
}

// Status returns every component and incident (newest first) with one
// paginated Query on the STATUS partition.
func (db *DB) Status(ctx context.Context) ([]clientzone.StatusComponent, []clientzone.Incident, error) {
	comps := []clientzone.StatusComponent{}
	incs := []clientzone.Incident{}
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:                 &db.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: statusPK}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("dynamo: status: %w", err)
		}
		for _, raw := range page.Items {
			sk, _ := raw["sk"].(*types.AttributeValueMemberS)
			if sk == nil {
				continue
			}
			switch {
			case strings.HasPrefix(sk.Value, "COMPONENT#"):
				var it componentItem
				if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
					return nil, nil, fmt.Errorf("dynamo: decode component: %w", err)
				}
				comps = append(comps, it.StatusComponent)
			case strings.HasPrefix(sk.Value, "INCIDENT#"):
				var it incidentItem
				if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
					return nil, nil, fmt.Errorf("dynamo: decode incident: %w", err)
				}
				incs = append(incs, it.Incident)
			}
		}
	}
	// Items arrive in ascending sk order; show the newest incident first.
	for i, j := 0, len(incs)-1; i < j; i, j = i+1, j-1 {
		incs[i], incs[j] = incs[j], incs[i]
	}
	return comps, incs, nil
}
