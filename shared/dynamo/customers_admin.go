package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/backoffice"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/retry"
)

// A customer's variable symbol is unique, and so is every proforma symbol
// derived from it (the customer's symbol + a 3-digit sequence, see
// CreateProforma), so a bank transfer resolves to one customer:
//
//	VSCLAIM#<vs>    VSCLAIM   claim: customerId owns symbol vs (leading zeros dropped)
//	VSPREFIX#<p>    <cid>     customer cid's symbol is p + 3 digits (p's proforma space)
//	VSSPACE#<p>     VSSPACE   guard of p's proforma space: customers (string set) = ids of
//	                          the customers whose symbol is p + 3 digits
//
// A symbol is refused when another customer claims it, when it lies in
// another customer's proforma space (the claim of its first n-3 digits) or
// when another customer's symbol lies in its proforma space (VSPREFIX#<vs>,
// read before the write for a clear error, and VSSPACE#<vs>, checked in the
// write's transaction). Claims are written in the same transaction as the
// customer, so changing a symbol moves them atomically, and two concurrent
// upserts (A taking "1234" while B takes "1234567") both touch VSCLAIM#1234
// and VSSPACE#1234, so they cannot both succeed.

type vsClaimItem struct {
	keys
	CustomerID string `dynamodbav:"customerId"`
}

func vsClaimPK(vs string) string { return "VSCLAIM#" + clientzone.NormalizeVariableSymbol(vs) }
func vsPrefixPK(p string) string { return "VSPREFIX#" + p }
func vsSpacePK(p string) string  { return "VSSPACE#" + p }
func vsPrefix(vs string) string  { return vs[:len(vs)-3] }
func hasVSPrefix(vs string) bool { return len(vs) > 3 }
func customerItemKeys(c *clientzone.Customer) keys {
	k := keys{PK: customerPK(c.ID), SK: "CUSTOMER"}
	if c.VariableSymbol != "" {
		k.GSI1PK, k.GSI1SK = VariableSymbolPK(c.VariableSymbol), "CUSTOMER"
	}
	return k
}

var _ backoffice.Store = (*DB)(nil)

// CustomerForUpdate reads a customer with a strongly consistent read (the
// base of a conditional replace).
func (db *DB) CustomerForUpdate(ctx context.Context, cid string) (*clientzone.Customer, error) {
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(customerPK(cid), "CUSTOMER"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("dynamo: get customer: %w", err)
	}
	if res.Item == nil {
		return nil, clientzone.NotFound("Customer")
	}
	var it customerItem
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: decode customer: %w", err)
	}
	return &it.Customer, nil
}

// VariableSymbolSpaceUsers returns the customers other than cid whose
// variable symbol is vs + 3 digits, i.e. lies in vs's proforma space (one
// Query).
func (db *DB) VariableSymbolSpaceUsers(ctx context.Context, vs, cid string) ([]string, error) {
	vs = clientzone.NormalizeVariableSymbol(vs)
	if vs == "" {
		return nil, nil
	}
	res, err := db.api.Query(ctx, &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: vsPrefixPK(vs)},
		},
		ConsistentRead: aws.Bool(true),
		Limit:          aws.Int32(10),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: variable symbol space: %w", err)
	}
	var out []string
	for _, raw := range res.Items {
		var k keys
		if err := attributevalue.UnmarshalMap(raw, &k); err != nil {
			return nil, fmt.Errorf("dynamo: decode keys: %w", err)
		}
		if k.SK != cid {
			out = append(out, k.SK)
		}
	}
	return out, nil
}

// UpsertCustomer creates c (prev nil) or replaces prev with c, together
// with the variable-symbol claims and an optional audit entry, in one
// transaction. The write is conditional on prev (nothing there for a
// create; the same variable symbol for a replace), so a concurrent change
// is backoffice.ErrCustomerChanged; a symbol of another customer is
// backoffice.ErrVariableSymbolTaken or backoffice.ErrVariableSymbolClash.
func (db *DB) UpsertCustomer(ctx context.Context, c, prev *clientzone.Customer, audit *clientzone.AuditEntry) error {
	c.VariableSymbol = clientzone.NormalizeVariableSymbol(c.VariableSymbol)
	tx := db.NewTx()
	oldVS := ""
	cond, values := "attribute_not_exists(pk)", map[string]any{}
	if prev != nil {
		oldVS = clientzone.NormalizeVariableSymbol(prev.VariableSymbol)
		if oldVS == "" {
			cond = "attribute_exists(pk) AND (attribute_not_exists(VariableSymbol) OR VariableSymbol = :ovs)"
		} else {
			cond = "attribute_exists(pk) AND VariableSymbol = :ovs"
		}
		values[":ovs"] = prev.VariableSymbol
	}
	if err := tx.Put(customerItem{keys: customerItemKeys(c), Customer: *c}, cond, nil, values, backoffice.ErrCustomerChanged); err != nil {
		return err
	}
	if err := db.claimVariableSymbol(tx, c.ID, c.VariableSymbol, oldVS); err != nil {
		return err
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	// A concurrent transaction on the same claims cancels this one without
	// a verdict; once it has finished, the conditions give one.
	err := retry.Do(ctx, retry.Policy{Attempts: 4}, clientzone.IsTransactionConflict, tx.Commit)
	if clientzone.IsTransactionConflict(err) && ctx.Err() == nil {
		return backoffice.ErrCustomerChanged
	}
	return err
}

// claimVariableSymbol adds to tx the claim of newVS for customer cid and
// the release of oldVS (both normalized).
func (db *DB) claimVariableSymbol(tx *Tx, cid, newVS, oldVS string) error {
	mine := map[string]any{":cid": cid}
	if newVS != "" {
		// Written even when unchanged: it restores a missing claim.
		if err := tx.Put(vsClaimItem{keys: keys{PK: vsClaimPK(newVS), SK: "VSCLAIM"}, CustomerID: cid},
			"attribute_not_exists(pk) OR customerId = :cid", nil, mine, backoffice.ErrVariableSymbolTaken); err != nil {
			return err
		}
		if hasVSPrefix(newVS) {
			// Not in the proforma space of another customer; the customer's
			// own old symbol being released is no clash.
			if p := vsPrefix(newVS); p != oldVS {
				if err := tx.Check(vsClaimPK(p), "VSCLAIM", "attribute_not_exists(pk) OR customerId = :cid", nil, mine, backoffice.ErrVariableSymbolClash); err != nil {
					return err
				}
			}
			if err := tx.Put(vsClaimItem{keys: keys{PK: vsPrefixPK(vsPrefix(newVS)), SK: cid}, CustomerID: cid}, "", nil, nil, nil); err != nil {
				return err
			}
			// Enter the guard of the space (idempotent: it restores a
			// missing entry).
			if err := tx.Update(vsSpacePK(vsPrefix(newVS)), "VSSPACE", "ADD customers :me", "", nil, map[string]any{":me": stringSet{cid}}, nil); err != nil {
				return err
			}
		}
	}
	leaveSpace := hasVSPrefix(oldVS) && oldVS != newVS && (!hasVSPrefix(newVS) || vsPrefix(oldVS) != vsPrefix(newVS))
	if newVS != "" && newVS != oldVS {
		// Nobody else in the new symbol's own proforma space. When the
		// customer leaves that very space (1234567 → 1234), the guard is
		// updated and checked in one write.
		cond := "attribute_not_exists(customers) OR (size(customers) = :one AND contains(customers, :cid))"
		values := map[string]any{":cid": cid, ":one": 1}
		var err error
		if leaveSpace && vsPrefix(oldVS) == newVS {
			values[":me"], leaveSpace = stringSet{cid}, false
			err = tx.Update(vsSpacePK(newVS), "VSSPACE", "DELETE customers :me", cond, nil, values, backoffice.ErrVariableSymbolClash)
		} else {
			err = tx.Check(vsSpacePK(newVS), "VSSPACE", cond, nil, values, backoffice.ErrVariableSymbolClash)
		}
		if err != nil {
			return err
		}
	}
	if leaveSpace {
		if err := tx.Update(vsSpacePK(vsPrefix(oldVS)), "VSSPACE", "DELETE customers :me", "", nil, map[string]any{":me": stringSet{cid}}, nil); err != nil {
			return err
		}
	}
	if oldVS != "" && oldVS != newVS {
		if err := tx.Delete(vsClaimPK(oldVS), "VSCLAIM", "attribute_not_exists(pk) OR customerId = :cid", nil, mine, backoffice.ErrCustomerChanged); err != nil {
			return err
		}
		if hasVSPrefix(oldVS) && (!hasVSPrefix(newVS) || vsPrefix(oldVS) != vsPrefix(newVS)) {
			if err := tx.Delete(vsPrefixPK(vsPrefix(oldVS)), cid, "", nil, nil, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// HasBillingHistory reports whether a customer has any invoice or ledger
// transaction (two Queries of one item each).
func (db *DB) HasBillingHistory(ctx context.Context, cid string) (bool, error) {
	for _, prefix := range []string{"INV#", "TXN#"} {
		res, err := db.api.Query(ctx, &dynamodb.QueryInput{
			TableName:              &db.table,
			KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :sk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": &types.AttributeValueMemberS{Value: customerPK(cid)},
				":sk": &types.AttributeValueMemberS{Value: prefix},
			},
			ProjectionExpression: aws.String("pk"),
			Limit:                aws.Int32(1),
		})
		if err != nil {
			return false, fmt.Errorf("dynamo: billing history: %w", err)
		}
		if len(res.Items) > 0 {
			return true, nil
		}
	}
	return false, nil
}

// stringSet encodes as a DynamoDB string set (SS), for ADD and DELETE.
type stringSet []string

func (s stringSet) MarshalDynamoDBAttributeValue() (types.AttributeValue, error) {
	return &types.AttributeValueMemberSS{Value: s}, nil
}
