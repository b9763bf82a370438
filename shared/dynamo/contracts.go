package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
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

func terminationSK(ctid string) string { return contractSK(ctid) + "#TERMINATION" }

// serviceKeys are the keys of service s of customer cid: GSI2 EXPIRY#<date>
// when it expires (expiry reminders), GSI1 SUSPENDED when it is suspended
// (daily suspension fees). The two indexes are independent, so a suspended
// service with an expiry date is found by both jobs.
func serviceKeys(cid string, s *clientzone.Service) keys {
	k := keys{PK: customerPK(cid), SK: serviceSK(s.ContractID, s.ID)}
	if s.ExpiresOn != "" {
		k.GSI2PK, k.GSI2SK = "EXPIRY#"+s.ExpiresOn, cid+"#"+s.ID
	}
	if s.SuspendedOn != "" {
		k.GSI1PK, k.GSI1SK = SuspendedPK, cid+"#"+s.ID
	}
	return k
}

// maxTxItems is DynamoDB's limit of items in one transaction.
const maxTxItems = 100

var _ contracts.Store = (*DB)(nil)

// PutContract creates or replaces a contract and its services in one
// transaction, removing services no longer listed. Every service write
// increments the service's Version and is conditional on the version read
// (s.Version when set, else the stored one read first), so a concurrent
// customer change or renewal is never overwritten
// (contracts.ErrContractChanged). The contract's free suspension days are
// kept when c has none. When c.Termination has a Status, the pending
// termination request is resolved to it (contracts.ErrNoPendingTermination
// when none is pending). When loginPersonID is set, the contract number
// becomes a login alias for that person (the contract holder's own login).
func (db *DB) PutContract(ctx context.Context, c *clientzone.Contract, loginPersonID string) error {
	old, err := db.Contract(ctx, c.CustomerID, c.ID)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return err
	}
	pk := customerPK(c.CustomerID)
	head := *c
	head.Services = nil
	head.Termination = nil // its own item, kept by an upsert
	stored := map[string]int64{}
	if old != nil {
		if head.FreeSuspensionYear == 0 {
			head.FreeSuspensionYear, head.FreeSuspensionDaysUsed = old.FreeSuspensionYear, old.FreeSuspensionDaysUsed
		}
		for _, s := range old.Services {
			stored[s.ID] = s.Version
		}
	}
	var items []types.TransactWriteItem
	var onConflict []error
	add := func(it types.TransactWriteItem, conflict error) {
		items = append(items, it)
		onConflict = append(onConflict, conflict)
	}
	it, err := db.putTx(contractItem{keys: keys{PK: pk, SK: contractSK(c.ID)}, Contract: head}, "", nil)
	if err != nil {
		return err
	}
	add(it, contracts.ErrContractChanged)
	keep := map[string]bool{}
	for _, s := range c.Services {
		s.ContractID = c.ID
		read, exists := stored[s.ID]
		if s.Version > 0 {
			read = s.Version
		}
		cond := "attribute_not_exists(pk)"
		if exists {
			cond = versionCond(read)
		}
		s.Version = read + 1
		av, err := attributevalue.MarshalMap(serviceItem{keys: serviceKeys(c.CustomerID, &s), CustomerID: c.CustomerID, Service: s})
		if err != nil {
			return fmt.Errorf("dynamo: encode: %w", err)
		}
		p := &types.Put{TableName: &db.table, Item: av, ConditionExpression: aws.String(cond)}
		if exists {
			p.ExpressionAttributeValues = map[string]types.AttributeValue{":ver": &types.AttributeValueMemberN{Value: fmt.Sprint(read)}}
		}
		add(types.TransactWriteItem{Put: p}, contracts.ErrContractChanged)
		keep[s.ID] = true
	}
	if old != nil {
		for _, s := range old.Services {
			if !keep[s.ID] {
				add(types.TransactWriteItem{Delete: &types.Delete{TableName: &db.table, Key: key(pk, serviceSK(c.ID, s.ID))}}, contracts.ErrContractChanged)
			}
		}
	}
	if t := c.Termination; t != nil && t.Status != "" {
		now := time.Now().UTC()
		if t.ResolvedAt != nil {
			now = t.ResolvedAt.UTC()
		}
		vals, err := marshalValues(map[string]any{":s": t.Status, ":at": now, ":pending": clientzone.TerminationPending})
		if err != nil {
			return err
		}
		add(types.TransactWriteItem{Update: &types.Update{TableName: &db.table, Key: key(pk, terminationSK(c.ID)),
			UpdateExpression:          aws.String("SET #st = :s, ResolvedAt = :at"),
			ConditionExpression:       aws.String("attribute_exists(pk) AND #st = :pending"),
			ExpressionAttributeNames:  map[string]string{"#st": "Status"},
			ExpressionAttributeValues: vals}}, contracts.ErrNoPendingTermination)
	}
	if loginPersonID != "" {
		it, err := db.aliasTx(clientzone.LoginContract, c.Number, c.CustomerID, loginPersonID)
		if err != nil {
			return err
		}
		add(it, &clientzone.Error{
			Code:    clientzone.ECONFLICT,
			Message: "This contract number is already used by another customer.",
			Fields:  []clientzone.FieldError{{Field: "number", Code: "taken", Message: "Already used by another customer."}},
		})
	}
	if len(items) > maxTxItems {
		return clientzone.Errorf(clientzone.EINVALID, "A contract can have at most %d services.", maxTxItems-3)
	}
	return db.transact(ctx, items, func(i int) error { return onConflict[i] })
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
			if strings.HasSuffix(k.SK, "#TERMINATION") {
				var tr terminationItem
				if err := attributevalue.UnmarshalMap(raw, &tr); err != nil {
					return nil, fmt.Errorf("dynamo: decode termination request: %w", err)
				}
				if c := byID[tr.ContractID]; c != nil {
					c.Termination = &tr.TerminationRequest
				}
				continue
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
