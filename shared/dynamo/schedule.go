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
	"github.com/clientzone/clientzone/shared/schedule"
)

// Scheduled jobs (shared/schedule) find their work through the GSIs, keyed
// by date, never by scanning:
//
//	gsi2 EXPIRY#<YYYY-MM-DD> / <cid>#<sid>   service expiring that day
//	gsi2 DUE#<YYYY-MM-DD>    / <cid>#<iid>   invoice due that day (any status)
//	gsi1 SUSPENDED           / <cid>#<sid>   suspended service (on GSI1, so a
//	                                         suspended service that expires is
//	                                         also on GSI2 EXPIRY#<date>)
//	MARKER#<key>             MARKER          "done" marker of a job step, TTL
//
// A marker is written conditionally in the same transaction as the step's
// effect (e.g. the reminder email), so a step happens once however often or
// concurrently a job runs. Each run gets its own store (JobStores), which
// counts the run's DynamoDB calls for its report.

// SuspendedPK is the GSI1 partition of suspended services.
const SuspendedPK = "SUSPENDED"

// DuePK is the GSI2 partition of invoices due on day (YYYY-MM-DD).
func DuePK(day string) string { return "DUE#" + day }

func invoiceDueKeys(inv *clientzone.Invoice) (string, string) {
	if inv.DueOn == "" {
		return "", ""
	}
	return DuePK(inv.DueOn), inv.CustomerID + "#" + inv.ID
}

// Marker records job step key as done in this transaction (kept until
// expires); the transaction fails with schedule.ErrStepDone when it was
// done before.
func (tx *Tx) Marker(key string, at, expires time.Time) error {
	return tx.Put(map[string]any{"pk": "MARKER#" + key, "sk": "MARKER", "At": at.UTC(), "ttl": expires.Unix()},
		"attribute_not_exists(pk)", nil, nil, schedule.ErrStepDone)
}

// NewJobTx starts the transaction of one job step (schedule.Tx).
func (db *DB) NewJobTx() schedule.Tx { return db.NewTx() }

// JobStores returns the store of each scheduled job run on table through
// api (schedule.Env.NewStore): every run gets its own, whose CallCounts
// are exactly that run's DynamoDB calls.
func JobStores(api API, table string) func() schedule.Store {
	return func() schedule.Store {
		calls := &opCounts{}
		return &jobStore{DB: New(&countingAPI{api: api, calls: calls}, table), calls: calls}
	}
}

// jobStore is the DB of one job run, counting its calls.
type jobStore struct {
	*DB
	calls *opCounts
}

// CallCounts are the run's DynamoDB calls so far, by operation name.
func (s *jobStore) CallCounts() map[string]int { return s.calls.Ops() }

var (
	_ schedule.Store = (*jobStore)(nil)
	_ schedule.Tx    = (*Tx)(nil)
)

// queryGSI2 runs a paginated Query on GSI2 partition pk, calling fn for
// every item; it returns the number of pages read.
func (db *DB) queryGSI2(ctx context.Context, pk string, fn func(map[string]types.AttributeValue) error) (int, error) {
	return db.queryIndex(ctx, GSI2, "gsi2pk", pk, fn)
}

// queryIndex runs a paginated Query on partition pk (attribute attr) of
// index, calling fn for every item; it returns the number of pages read.
func (db *DB) queryIndex(ctx context.Context, index, attr, pk string, fn func(map[string]types.AttributeValue) error) (int, error) {
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:                 &db.table,
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String(attr + " = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
	})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return pages, fmt.Errorf("dynamo: query %s: %w", pk, err)
		}
		pages++
		for _, raw := range page.Items {
			if err := fn(raw); err != nil {
				return pages, err
			}
		}
	}
	return pages, nil
}

func (db *DB) services(ctx context.Context, index, attr, pk string, fn func(*schedule.ScheduledService) error) (int, error) {
	return db.queryIndex(ctx, index, attr, pk, func(raw map[string]types.AttributeValue) error {
		var it serviceItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return fmt.Errorf("dynamo: decode service: %w", err)
		}
		return fn(&schedule.ScheduledService{CustomerID: it.CustomerID, Service: it.Service})
	})
}

// ServicesExpiringOn calls fn for every service expiring on day
// (YYYY-MM-DD), one GSI2 Query (paginated); it returns the pages read.
func (db *DB) ServicesExpiringOn(ctx context.Context, day string, fn func(*schedule.ScheduledService) error) (int, error) {
	return db.services(ctx, GSI2, "gsi2pk", "EXPIRY#"+day, fn)
}

// SuspendedServices calls fn for every suspended service (GSI1 SUSPENDED
// Query, paginated); it returns the pages read.
func (db *DB) SuspendedServices(ctx context.Context, fn func(*schedule.ScheduledService) error) (int, error) {
	return db.services(ctx, GSI1, "gsi1pk", SuspendedPK, fn)
}

// InvoicesDueOn calls fn for every invoice due on day, whatever its status
// (GSI2 Query, paginated); it returns the pages read.
func (db *DB) InvoicesDueOn(ctx context.Context, day string, fn func(*clientzone.Invoice) error) (int, error) {
	return db.queryGSI2(ctx, DuePK(day), func(raw map[string]types.AttributeValue) error {
		var it invoiceItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return fmt.Errorf("dynamo: decode invoice: %w", err)
		}
		if it.CustomerID == "" { // the Invoice's CustomerID is json:"-" but stored
			if cid, _, ok := strings.Cut(strings.TrimPrefix(it.PK, "CUST#"), "#"); ok {
				it.CustomerID = cid
			} else {
				it.CustomerID = strings.TrimPrefix(it.PK, "CUST#")
			}
		}
		return fn(&it.Invoice)
	})
}
