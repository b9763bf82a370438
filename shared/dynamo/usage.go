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
	"github.com/clientzone/clientzone/shared/usage"
)

// Usage (VoIP calls, traffic) and history (service protocols, support
// requests) of a contract; see the key layout in dynamo.go.

var _ usage.Store = (*DB)(nil)

// CallTimeLayout is the fixed-width UTC form of a call's start in its sort
// key, so that keys sort by time.
const CallTimeLayout = "2006-01-02T15:04:05Z"

func callsPK(cid, ctid string) string     { return customerPK(cid) + "#CALLS#" + ctid }
func trafficPK(cid, ctid string) string   { return customerPK(cid) + "#TRAFFIC#" + ctid }
func protocolsPK(cid, ctid string) string { return customerPK(cid) + "#PROTO#" + ctid }
func supportPK(cid, ctid string) string   { return customerPK(cid) + "#SUPPORT#" + ctid }

func callSK(c *clientzone.Call) string {
	return c.StartedAt.UTC().Truncate(time.Second).Format(CallTimeLayout) + "#" + c.ID
}

// trafficSK is D#<date> for the contract's total, IPD#<date>#<ip> for one
// IP address: one date range then reads every address of those days.
func trafficSK(ip, date string) string {
	if ip == "" {
		return "D#" + date
	}
	return "IPD#" + date + "#" + ip
}

type callItem struct {
	keys
	CustomerID string
	clientzone.Call
}

type trafficItem struct {
	keys
	CustomerID string
	ContractID string
	clientzone.TrafficDay
}

type protocolItem struct {
	keys
	CustomerID string
	clientzone.ServiceProtocol
}

type supportItem struct {
	keys
	CustomerID string
	clientzone.SupportRequest
}

// EnsureContract is nil when contract ctid belongs to customer cid and
// clientzone.NotFound("Contract") otherwise (one GetItem).
func (db *DB) EnsureContract(ctx context.Context, cid, ctid string) error {
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:                &db.table,
		Key:                      key(customerPK(cid), contractSK(ctid)),
		ProjectionExpression:     aws.String("pk, #num"),
		ExpressionAttributeNames: map[string]string{"#num": "Number"},
	})
	if err != nil {
		return fmt.Errorf("dynamo: get contract: %w", err)
	}
	// Number: only contract items have it (not a service or termination
	// item whose key an id containing "#" could reach).
	if res.Item == nil || res.Item["Number"] == nil {
		return clientzone.NotFound("Contract")
	}
	return nil
}

// maxBatchWrite is DynamoDB's limit of requests in one BatchWriteItem, and
// maxBatchAttempts bounds the retries of unprocessed items.
const (
	maxBatchWrite    = 25
	maxBatchAttempts = 8
)

// batchPut writes items (distinct keys) with BatchWriteItem in chunks of
// 25, retrying unprocessed items with exponential backoff. Each item is an
// upsert, so a retried or repeated call is harmless.
func (db *DB) batchPut(ctx context.Context, items []any) error {
	for start := 0; start < len(items); start += maxBatchWrite {
		chunk := items[start:min(start+maxBatchWrite, len(items))]
		reqs := make([]types.WriteRequest, 0, len(chunk))
		for _, it := range chunk {
			av, err := attributevalue.MarshalMap(it)
			if err != nil {
				return fmt.Errorf("dynamo: encode: %w", err)
			}
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
		}
		pending := map[string][]types.WriteRequest{db.table: reqs}
		for attempt := 0; len(pending[db.table]) > 0; attempt++ {
			if attempt == maxBatchAttempts {
				return fmt.Errorf("dynamo: batch write: %d items still unprocessed after %d attempts", len(pending[db.table]), attempt)
			}
			if attempt > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Duration(25<<attempt) * time.Millisecond):
				}
			}
			res, err := db.api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return fmt.Errorf("dynamo: batch write: %w", err)
			}
			pending = res.UnprocessedItems
		}
	}
	return nil
}

// PutCalls upserts calls of contract ctid of customer cid, and returns how
// many distinct calls were written (a call repeated in calls counts once;
// the last one wins). The caller checks the contract exists.
func (db *DB) PutCalls(ctx context.Context, cid, ctid string, calls []clientzone.Call) (int, error) {
	pk := callsPK(cid, ctid)
	var items []any
	at := map[string]int{}
	for _, c := range calls {
		c.ContractID = ctid
		c.StartedAt = c.StartedAt.UTC().Truncate(time.Second)
		it := callItem{keys: keys{PK: pk, SK: callSK(&c)}, CustomerID: cid, Call: c}
		if i, dup := at[it.SK]; dup {
			items[i] = it
			continue
		}
		at[it.SK] = len(items)
		items = append(items, it)
	}
	return len(items), db.batchPut(ctx, items)
}

// Calls lists a contract's calls in a time range newest first, with one
// Query on the range of sort keys.
func (db *DB) Calls(ctx context.Context, cid, ctid string, f usage.CallFilter) (*usage.CallPage, error) {
	pk := callsPK(cid, ctid)
	lo := f.From.UTC().Truncate(time.Second).Format(CallTimeLayout)
	hi := f.To.UTC().Add(-time.Nanosecond).Truncate(time.Second).Format(CallTimeLayout) + "$" // after any "#<id>"
	start, err := decodeCursor(f.Cursor, "pk", pk, tableKeyAttrs...)
	if err != nil {
		return nil, err
	}
	if start != nil {
		// DynamoDB rejects a start key outside the key condition.
		sk := start["sk"].(*types.AttributeValueMemberS).Value
		if sk < lo || sk > hi {
			return nil, errBadCursor
		}
	}
	in := &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk},
			":lo": &types.AttributeValueMemberS{Value: lo},
			":hi": &types.AttributeValueMemberS{Value: hi},
		},
		ScanIndexForward:  aws.Bool(false),
		Limit:             aws.Int32(int32(f.Limit)),
		ExclusiveStartKey: start,
	}
	if f.Direction != "" {
		in.FilterExpression = aws.String("#dir = :dir")
		in.ExpressionAttributeNames = map[string]string{"#dir": "Direction"}
		in.ExpressionAttributeValues[":dir"] = &types.AttributeValueMemberS{Value: f.Direction}
	}
	if lo > hi {
		return &usage.CallPage{Calls: []*clientzone.Call{}}, nil
	}
	res, err := db.api.Query(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("dynamo: calls: %w", err)
	}
	var items []callItem
	if err := attributevalue.UnmarshalListOfMaps(res.Items, &items); err != nil {
		return nil, fmt.Errorf("dynamo: decode calls: %w", err)
	}
	page := &usage.CallPage{Calls: make([]*clientzone.Call, 0, len(items))}
	for i := range items {
		page.Calls = append(page.Calls, &items[i].Call)
	}
	if page.NextCursor, err = encodeCursor(res.LastEvaluatedKey); err != nil {
		return nil, err
	}
	return page, nil
}

// PutTraffic upserts daily traffic records of contract ctid: records
// without an IP are the contract's totals, records with one are that
// address's. It returns how many distinct records were written (the last
// of a repeated (date, ip) wins). The caller checks the contract exists.
func (db *DB) PutTraffic(ctx context.Context, cid, ctid string, days []clientzone.TrafficDay) (int, error) {
	pk := trafficPK(cid, ctid)
	var items []any
	at := map[string]int{}
	for _, d := range days {
		it := trafficItem{keys: keys{PK: pk, SK: trafficSK(d.IP, d.Date)}, CustomerID: cid, ContractID: ctid, TrafficDay: d}
		if i, dup := at[it.SK]; dup {
			items[i] = it
			continue
		}
		at[it.SK] = len(items)
		items = append(items, it)
	}
	return len(items), db.batchPut(ctx, items)
}

// Traffic returns a contract's daily totals from one date to another
// (YYYY-MM-DD, both included), oldest first: one Query, read to its end
// (at most a few hundred small items).
func (db *DB) Traffic(ctx context.Context, cid, ctid, from, to string) ([]clientzone.TrafficDay, error) {
	return db.trafficRange(ctx, trafficPK(cid, ctid), "D#"+from, "D#"+to, "")
}

// TrafficByIP returns the daily traffic of the contract's IP addresses (of
// ip alone when set) from one date to another (both included), by date
// then address: one Query on the dates' range.
func (db *DB) TrafficByIP(ctx context.Context, cid, ctid, ip, from, to string) ([]clientzone.TrafficDay, error) {
	return db.trafficRange(ctx, trafficPK(cid, ctid), "IPD#"+from+"#", "IPD#"+to+"$", ip)
}

func (db *DB) trafficRange(ctx context.Context, pk, lo, hi, ip string) ([]clientzone.TrafficDay, error) {
	out := []clientzone.TrafficDay{}
	if lo > hi {
		return out, nil
	}
	in := &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk},
			":lo": &types.AttributeValueMemberS{Value: lo},
			":hi": &types.AttributeValueMemberS{Value: hi},
		},
	}
	if ip != "" {
		in.FilterExpression = aws.String("#ip = :ip")
		in.ExpressionAttributeNames = map[string]string{"#ip": "IP"}
		in.ExpressionAttributeValues[":ip"] = &types.AttributeValueMemberS{Value: ip}
	}
	p := dynamodb.NewQueryPaginator(db.api, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: traffic: %w", err)
		}
		var items []trafficItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, fmt.Errorf("dynamo: decode traffic: %w", err)
		}
		for _, it := range items {
			out = append(out, it.TrafficDay)
		}
	}
	return out, nil
}

// PutServiceProtocol creates or replaces a service protocol of a contract
// (by id). The caller checks the contract exists.
func (db *DB) PutServiceProtocol(ctx context.Context, cid string, p *clientzone.ServiceProtocol) error {
	pk := protocolsPK(cid, p.ContractID)
	return db.put(ctx, protocolItem{
		keys:            keys{PK: pk, SK: "PROTO#" + p.ID, GSI1PK: pk, GSI1SK: p.Date + "#" + p.ID},
		CustomerID:      cid,
		ServiceProtocol: *p,
	})
}

// ServiceProtocols lists a contract's service protocols newest first (by
// date), one Query on GSI1.
func (db *DB) ServiceProtocols(ctx context.Context, cid, ctid string, limit int, cursor string) (*usage.ServiceProtocolPage, error) {
	items, next, err := newestFirstGSI1[protocolItem](ctx, db, protocolsPK(cid, ctid), limit, cursor)
	if err != nil {
		return nil, err
	}
	page := &usage.ServiceProtocolPage{Protocols: make([]*clientzone.ServiceProtocol, 0, len(items)), NextCursor: next}
	for i := range items {
		page.Protocols = append(page.Protocols, &items[i].ServiceProtocol)
	}
	return page, nil
}

// PutSupportRequest creates or replaces a support request of a contract
// (by id). The caller checks the contract exists.
func (db *DB) PutSupportRequest(ctx context.Context, cid string, r *clientzone.SupportRequest) error {
	pk := supportPK(cid, r.ContractID)
	return db.put(ctx, supportItem{
		keys:           keys{PK: pk, SK: "REQ#" + r.ID, GSI1PK: pk, GSI1SK: r.OpenedAt.UTC().Format(CallTimeLayout) + "#" + r.ID},
		CustomerID:     cid,
		SupportRequest: *r,
	})
}

// SupportRequests lists a contract's support requests newest first (by
// opening time), one Query on GSI1.
func (db *DB) SupportRequests(ctx context.Context, cid, ctid string, limit int, cursor string) (*usage.SupportRequestPage, error) {
	items, next, err := newestFirstGSI1[supportItem](ctx, db, supportPK(cid, ctid), limit, cursor)
	if err != nil {
		return nil, err
	}
	page := &usage.SupportRequestPage{Requests: make([]*clientzone.SupportRequest, 0, len(items)), NextCursor: next}
	for i := range items {
		page.Requests = append(page.Requests, &items[i].SupportRequest)
	}
	return page, nil
}
