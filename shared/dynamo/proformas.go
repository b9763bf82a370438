package dynamo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Proformas and variable-symbol lookups for bank matching:
//
//	CUST#<cid>   PROFORMA#<ULID>   proforma          gsi1: VS#<proforma VS> / PROFORMA#<ULID>
//	CUST#<cid>   PROFORMASEQ       N: last proforma sequence number of the customer
//	CUST#<cid>   CUSTOMER          customer          gsi1: VS#<customer VS> / CUSTOMER
//
// A bank line's variable symbol resolves with one GSI1 Query on VS#<vs>.

type proformaItem struct {
	keys
	clientzone.Proforma
}

func proformaSK(id string) string { return "PROFORMA#" + id }

// VariableSymbolPK is the GSI1 partition of everything paid with variable
// symbol vs (customers and proformas).
// Leading zeros are dropped, as banks and the statement parser drop them
// ("0042" and "42" are the same symbol).
func VariableSymbolPK(vs string) string { return "VS#" + strings.TrimLeft(strings.TrimSpace(vs), "0") }

// ErrProformaNotOpen is the conflict of paying a proforma that is no longer open.
var ErrProformaNotOpen = clientzone.Errorf(clientzone.ECONFLICT, "This proforma is already paid or cancelled.")

// CreateProforma stores a new proforma of customer p.CustomerID, assigning
// its variable symbol (customerVS + the next 3-digit sequence number) and
// its number (PF<issue year><customerVS><sequence>). The sequence item is
// advanced conditionally in the same transaction, so two concurrent
// proformas never share a symbol.
func (db *DB) CreateProforma(ctx context.Context, p *clientzone.Proforma, customerVS string) error {
	if strings.TrimLeft(strings.TrimSpace(customerVS), "0") == "" {
		// Without a customer symbol, proforma symbols ("001", ...) would be
		// shared by customers and bank transfers could not be matched.
		return clientzone.Errorf(clientzone.ECONFLICT, "Your account has no variable symbol yet; contact support to pay by bank transfer.")
	}
	if p.ID == "" {
		p.ID = clientzone.NewID()
	}
	pk := customerPK(p.CustomerID)
	for attempt := range 8 {
		if attempt > 0 { // a concurrent proforma took the number: back off a little
			time.Sleep(time.Duration(attempt*attempt*10+rand.IntN(20)) * time.Millisecond)
		}
		res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(pk, "PROFORMASEQ"), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return fmt.Errorf("dynamo: proforma sequence: %w", err)
		}
		var seq struct{ N int64 }
		if res.Item != nil {
			if err := attributevalue.UnmarshalMap(res.Item, &seq); err != nil {
				return fmt.Errorf("dynamo: decode proforma sequence: %w", err)
			}
		}
		next := seq.N + 1
		p.VariableSymbol = fmt.Sprintf("%s%03d", customerVS, next)
		p.Number = "PF" + p.IssuedOn[:4] + p.VariableSymbol
		tx := db.NewTx()
		cond, vals := "attribute_not_exists(N)", map[string]any{":n": next}
		if res.Item != nil {
			cond, vals[":prev"] = "N = :prev", seq.N
		}
		busy := clientzone.Errorf(clientzone.ECONFLICT, "The data was changed concurrently; try again.")
		if err := tx.Update(pk, "PROFORMASEQ", "SET N = :n", cond, nil, vals, busy); err != nil {
			return err
		}
		it := proformaItem{
			keys:     keys{PK: pk, SK: proformaSK(p.ID), GSI1PK: VariableSymbolPK(p.VariableSymbol), GSI1SK: proformaSK(p.ID)},
			Proforma: *p,
		}
		if err := tx.Put(it, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
			return err
		}
		err = tx.Commit(ctx)
		if err == busy {
			continue
		}
		return err
	}
	return clientzone.Errorf(clientzone.ECONFLICT, "The data was changed concurrently; try again.")
}

// Proforma returns one proforma of a customer.
func (db *DB) Proforma(ctx context.Context, cid, id string) (*clientzone.Proforma, error) {
	var it proformaItem
	if err := db.get(ctx, customerPK(cid), proformaSK(id), "Proforma", &it); err != nil {
		return nil, err
	}
	return &it.Proforma, nil
}

// Proformas lists a customer's proformas newest first (at most limit).
func (db *DB) Proformas(ctx context.Context, cid string, limit int) ([]*clientzone.Proforma, error) {
	res, err := db.api.Query(ctx, &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: customerPK(cid)},
			":sk": &types.AttributeValueMemberS{Value: "PROFORMA#"},
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: proformas: %w", err)
	}
	var items []proformaItem
	if err := attributevalue.UnmarshalListOfMaps(res.Items, &items); err != nil {
		return nil, fmt.Errorf("dynamo: decode proformas: %w", err)
	}
	out := make([]*clientzone.Proforma, 0, len(items))
	for i := range items {
		out = append(out, &items[i].Proforma)
	}
	return out, nil
}

// LookupVariableSymbol resolves a bank line's variable symbol with one GSI1
// Query.
func (db *DB) LookupVariableSymbol(ctx context.Context, vs string) (*clientzone.ByVariableSymbol, error) {
	out := &clientzone.ByVariableSymbol{}
	if vs == "" {
		return out, nil
	}
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:              &db.table,
		IndexName:              aws.String(GSI1),
		KeyConditionExpression: aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: VariableSymbolPK(vs)},
		},
		ScanIndexForward: aws.Bool(false),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: variable symbol: %w", err)
		}
		for _, raw := range page.Items {
			var k keys
			if err := attributevalue.UnmarshalMap(raw, &k); err != nil {
				return nil, fmt.Errorf("dynamo: decode keys: %w", err)
			}
			switch {
			case k.SK == "CUSTOMER":
				var c customerItem
				if err := attributevalue.UnmarshalMap(raw, &c); err != nil {
					return nil, fmt.Errorf("dynamo: decode customer: %w", err)
				}
				out.Customer = &c.Customer
			case strings.HasPrefix(k.SK, "PROFORMA#"):
				var pf proformaItem
				if err := attributevalue.UnmarshalMap(raw, &pf); err != nil {
					return nil, fmt.Errorf("dynamo: decode proforma: %w", err)
				}
				out.Proformas = append(out.Proformas, &pf.Proforma)
			}
		}
	}
	return out, nil
}

// MarkProformaPaid sets an open proforma paid by the tax invoice invoiceID
// in this transaction; a proforma that is not open fails the transaction
// with ErrProformaNotOpen.
func (tx *Tx) MarkProformaPaid(cid, id, invoiceID string, at time.Time) error {
	return tx.Update(customerPK(cid), proformaSK(id),
		"SET #st = :paid, PaidInvoiceID = :inv, PaidAt = :at",
		"attribute_exists(pk) AND #st = :open",
		map[string]string{"#st": "Status"},
		map[string]any{":paid": clientzone.ProformaPaid, ":open": clientzone.ProformaOpen, ":inv": invoiceID, ":at": at},
		ErrProformaNotOpen)
}

// Service returns one service of a customer, found with one Query over the
// customer's contract items (a customer has a handful of contracts).
func (db *DB) Service(ctx context.Context, cid, sid string) (*clientzone.Service, error) {
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:                &db.table,
		KeyConditionExpression:   aws.String("pk = :pk AND begins_with(sk, :sk)"),
		FilterExpression:         aws.String("#id = :sid"),
		ExpressionAttributeNames: map[string]string{"#id": "ID"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":  &types.AttributeValueMemberS{Value: customerPK(cid)},
			":sk":  &types.AttributeValueMemberS{Value: "CONTRACT#"},
			":sid": &types.AttributeValueMemberS{Value: sid},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: service: %w", err)
		}
		for _, raw := range page.Items {
			var s serviceItem
			if err := attributevalue.UnmarshalMap(raw, &s); err != nil {
				return nil, fmt.Errorf("dynamo: decode service: %w", err)
			}
			if strings.HasSuffix(s.SK, "#SVC#"+sid) {
				return &s.Service, nil
			}
		}
	}
	return nil, clientzone.NotFound("Service")
}
