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
)

type contractItem struct {
	keys
	clientzone.Contract
}

type serviceItem struct {
	keys
	CustomerID string
	clientzone.Service
}

func contractSK(ctid string) string { return "CONTRACT#" + ctid }

func serviceSK(ctid, sid string) string { return contractSK(ctid) + "#SVC#" + sid }

// maxTxItems is DynamoDB's limit of items in one transaction.
const maxTxItems = 100

// PutContract creates or replaces a contract and its services in one
// transaction, removing services no longer listed. When loginPersonID is
// set, the contract number becomes a login alias for that person (the
// contract holder's own login).
func (db *DB) PutContract(ctx context.Context, c *clientzone.Contract, loginPersonID string) error {
	old, err := db.Contract(ctx, c.CustomerID, c.ID)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return err
	}
	pk := customerPK(c.CustomerID)
	head := *c
	head.Services = nil
	var items []types.TransactWriteItem
	it, err := db.putTx(contractItem{keys: keys{PK: pk, SK: contractSK(c.ID)}, Contract: head}, "", nil)
	if err != nil {
		return err
	}
	items = append(items, it)
	keep := map[string]bool{}
	for _, s := range c.Services {
		s.ContractID = c.ID
		k := keys{PK: pk, SK: serviceSK(c.ID, s.ID)}
		if s.ExpiresOn != "" {
			k.GSI2PK, k.GSI2SK = "EXPIRY#"+s.ExpiresOn, c.CustomerID+"#"+s.ID
		}
		if s.SuspendedOn != "" {
			// One GSI2 entry per item: a suspended service is found by the
			// daily suspension-fee job rather than by its expiry.
			k.GSI2PK, k.GSI2SK = SuspendedPK, c.CustomerID+"#"+s.ID
		}
		it, err := db.putTx(serviceItem{keys: k, CustomerID: c.CustomerID, Service: s}, "", nil)
		if err != nil {
			return err
		}
		items = append(items, it)
		keep[s.ID] = true
	}
	if old != nil {
		for _, s := range old.Services {
			if !keep[s.ID] {
				items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &db.table, Key: key(pk, serviceSK(c.ID, s.ID))}})
			}
		}
	}
	if loginPersonID != "" {
		it, err := db.aliasTx(LoginContract, c.Number, c.CustomerID, loginPersonID)
		if err != nil {
			return err
		}
		items = append(items, it)
	}
	if len(items) > maxTxItems {
		return clientzone.Errorf(clientzone.EINVALID, "A contract can have at most %d services.", maxTxItems-2)
	}
	return db.transact(ctx, items, func(int) error {
		return &clientzone.Error{
			Code:    clientzone.ECONFLICT,
			Message: "This contract number is already used by another customer.",
			Fields:  []clientzone.FieldError{{Field: "number", Code: "taken", Message: "Already used by another customer."}},
		}
	})
}

// Contracts lists a customer's contracts with their services, in one Query
// (contract items sort right before their services).
func (db *DB) Contracts(ctx context.Context, cid string) ([]*clientzone.Contract, error) {
	return db.queryContracts(ctx, cid, "CONTRACT#", "")
}

// Contract returns one contract of a customer with its services.
func (db *DB) Contract(ctx context.Context, cid, ctid string) (*clientzone.Contract, error) {
	cs, err := db.queryContracts(ctx, cid, contractSK(ctid), ctid)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, clientzone.NotFound("Contract")
	}
	return cs[0], nil
}

func (db *DB) queryContracts(ctx context.Context, cid, prefix, only string) ([]*clientzone.Contract, error) {
	var out []*clientzone.Contract
	byID := map[string]*clientzone.Contract{}
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: customerPK(cid)},
			":sk": &types.AttributeValueMemberS{Value: prefix},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: contracts: %w", err)
		}
		for _, raw := range page.Items {
			var k keys
			if err := attributevalue.UnmarshalMap(raw, &k); err != nil {
				return nil, fmt.Errorf("dynamo: decode contract keys: %w", err)
			}
			if strings.Contains(k.SK, "#SVC#") {
				var s serviceItem
				if err := attributevalue.UnmarshalMap(raw, &s); err != nil {
					return nil, fmt.Errorf("dynamo: decode service: %w", err)
				}
				if c := byID[s.ContractID]; c != nil {
					c.Services = append(c.Services, s.Service)
				}
				continue
			}
			var c contractItem
			if err := attributevalue.UnmarshalMap(raw, &c); err != nil {
				return nil, fmt.Errorf("dynamo: decode contract: %w", err)
			}
			if only != "" && c.ID != only {
				continue // a longer id sharing the prefix
			}
			if c.Services == nil {
				c.Services = []clientzone.Service{}
			}
			out = append(out, &c.Contract)
			byID[c.ID] = &c.Contract
		}
	}
	return out, nil
}
