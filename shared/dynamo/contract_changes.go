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
	"github.com/clientzone/clientzone/shared/contracts"
)

// The tariff catalogue, customers' changes of their contracts and
// termination requests:
//
//	CATALOG      TARIFF#<id>                    tariff of the catalogue
//	CUST#<cid>   CONTRACT#<ctid>#TERMINATION    latest termination request (pending or resolved)

// CatalogPK is the partition of the tariff catalogue.
const CatalogPK = "CATALOG"

func tariffSK(id string) string { return "TARIFF#" + id }

type tariffItem struct {
	keys
	clientzone.Tariff
}

type terminationItem struct {
	keys
	clientzone.TerminationRequest
}

// PutTariff creates or replaces a tariff of the catalogue.
func (db *DB) PutTariff(ctx context.Context, t *clientzone.Tariff) error {
	return db.put(ctx, tariffItem{keys: keys{PK: CatalogPK, SK: tariffSK(t.ID)}, Tariff: *t})
}

// Tariff returns one tariff of the catalogue.
func (db *DB) Tariff(ctx context.Context, id string) (*clientzone.Tariff, error) {
	var it tariffItem
	if err := db.get(ctx, CatalogPK, tariffSK(id), "Tariff", &it); err != nil {
		return nil, err
	}
	return &it.Tariff, nil
}

// Tariffs lists the catalogue by id with one (paginated) Query; kind, when
// set, keeps only tariffs of that service kind.
func (db *DB) Tariffs(ctx context.Context, kind string) ([]*clientzone.Tariff, error) {
	in := &dynamodb.QueryInput{
		TableName:              &db.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: CatalogPK},
			":sk": &types.AttributeValueMemberS{Value: "TARIFF#"},
		},
	}
	if kind != "" {
		in.FilterExpression = aws.String("Kind = :kind")
		in.ExpressionAttributeValues[":kind"] = &types.AttributeValueMemberS{Value: kind}
	}
	out := []*clientzone.Tariff{}
	p := dynamodb.NewQueryPaginator(db.api, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: tariffs: %w", err)
		}
		var items []tariffItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, fmt.Errorf("dynamo: decode tariffs: %w", err)
		}
		for i := range items {
			out = append(out, &items[i].Tariff)
		}
	}
	return out, nil
}

// UnpaidInvoices lists every unpaid (including overdue) invoice of a
// customer: a paginated Query of GSI1 CUST#<cid>#INV#unpaid.
func (db *DB) UnpaidInvoices(ctx context.Context, cid string) ([]*clientzone.Invoice, error) {
	p := dynamodb.NewQueryPaginator(db.api, &dynamodb.QueryInput{
		TableName:              &db.table,
		IndexName:              aws.String(GSI1),
		KeyConditionExpression: aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: invoiceStatusPK(cid, clientzone.InvoiceUnpaid)},
		},
	})
	out := []*clientzone.Invoice{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamo: unpaid invoices: %w", err)
		}
		var items []invoiceItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, fmt.Errorf("dynamo: decode invoices: %w", err)
		}
		for i := range items {
			out = append(out, &items[i].Invoice)
		}
	}
	return out, nil
}

// versionCond is the condition that a service item still has version v
// (items written before versions existed count as version 0).
func versionCond(v int64) string {
	if v == 0 {
		return "(attribute_not_exists(Version) OR Version = :ver)"
	}
	return "Version = :ver"
}

// WriteContractChange applies ch in one transaction: the contract's status
// (conditional on the expected status and suspension kind), services
// created (only if new) or replaced (only with the status, tariff and
// version as read; the version is incremented), services deleted, a
// termination request (only if none is pending), the audit entry, the
// outbox message and events. Nothing is written when any condition fails;
// the error is then ch's conflict for that condition
// (contracts.ErrContractChanged when ch names none).
func (db *DB) WriteContractChange(ctx context.Context, ch *clientzone.ContractChange) error {
	conflict := ch.Conflict
	if conflict == nil {
		conflict = contracts.ErrContractChanged
	}
	svcConflict, delConflict := ch.ServiceConflict, ch.DeleteConflict
	if svcConflict == nil {
		svcConflict = conflict
	}
	if delConflict == nil {
		delConflict = svcConflict
	}
	tx := db.NewTx()
	pk := customerPK(ch.CustomerID)
	// Number: only the contract item has it.
	cond, names, values := "attribute_exists(#num)", map[string]string{"#num": "Number"}, map[string]any{}
	if ch.ExpectStatus != "" {
		cond += " AND #st = :from"
		names["#st"] = "Status"
		values[":from"] = ch.ExpectStatus
	}
	if ch.ExpectSuspensionKind != "" {
		cond += " AND (attribute_not_exists(SuspensionKind) OR SuspensionKind IN (:kind, :nokind))"
		values[":kind"], values[":nokind"] = ch.ExpectSuspensionKind, ""
	}
	if ch.SetStatus != "" {
		names["#st"] = "Status"
		values[":to"] = ch.SetStatus
		set := []string{"#st = :to"}
		var remove []string
		if ch.SuspendedOn != "" {
			set = append(set, "SuspendedOn = :son")
			values[":son"] = ch.SuspendedOn
		} else {
			remove = append(remove, "SuspendedOn")
		}
		if ch.SuspensionKind != "" {
			set = append(set, "SuspensionKind = :skind")
			values[":skind"] = ch.SuspensionKind
		} else {
			remove = append(remove, "SuspensionKind")
		}
		if ch.FeesFrom != "" {
			set = append(set, "FeesFrom = :ff")
			values[":ff"] = ch.FeesFrom
		} else {
			remove = append(remove, "FeesFrom")
		}
		if f := ch.FreeDays; f != nil {
			set = append(set, "FreeSuspensionYear = :fy", "FreeSuspensionDaysUsed = :fu")
			values[":fy"], values[":fu"] = f.Year, f.Used
		}
		update := "SET " + strings.Join(set, ", ")
		if len(remove) > 0 {
			update += " REMOVE " + strings.Join(remove, ", ")
		}
		if err := tx.Update(pk, contractSK(ch.ContractID), update, cond, names, values, conflict); err != nil {
			return err
		}
	} else if err := tx.Check(pk, contractSK(ch.ContractID), cond, names, values, conflict); err != nil {
		return err
	}
	for _, sp := range ch.Services {
		s := sp.Service
		s.ContractID = ch.ContractID
		var err error
		if sp.Create {
			s.Version = 1
			it := serviceItem{keys: serviceKeys(ch.CustomerID, &s), CustomerID: ch.CustomerID, Service: s}
			err = tx.Put(it, "attribute_not_exists(pk)", nil, nil, svcConflict)
		} else {
			read := s.Version
			s.Version++
			it := serviceItem{keys: serviceKeys(ch.CustomerID, &s), CustomerID: ch.CustomerID, Service: s}
			err = tx.Put(it, "attribute_exists(pk) AND #st = :st AND TariffID = :t AND "+versionCond(read), map[string]string{"#st": "Status"},
				map[string]any{":st": sp.ExpectStatus, ":t": sp.ExpectTariffID, ":ver": read}, svcConflict)
		}
		if err != nil {
			return err
		}
	}
	for _, sid := range ch.DeleteServices {
		if err := tx.Delete(pk, serviceSK(ch.ContractID, sid), "attribute_exists(pk)", nil, nil, delConflict); err != nil {
			return err
		}
	}
	if t := ch.Termination; t != nil {
		tc := ch.TerminationConflict
		if tc == nil {
			tc = conflict
		}
		t.ContractID = ch.ContractID
		// Only a pending request blocks a new one; a resolved one is
		// replaced.
		if err := tx.Put(terminationItem{keys: keys{PK: pk, SK: terminationSK(ch.ContractID)}, TerminationRequest: *t},
			"attribute_not_exists(pk) OR #tst <> :pending", map[string]string{"#tst": "Status"},
			map[string]any{":pending": clientzone.TerminationPending}, tc); err != nil {
			return err
		}
	}
	if ch.Audit != nil {
		if err := tx.Audit(ch.Audit); err != nil {
			return err
		}
	}
	if ch.Message != nil {
		if err := tx.Outbox(ch.Message); err != nil {
			return err
		}
	}
	for _, ev := range ch.Events {
		if err := tx.Outbox(ev); err != nil {
			return err
		}
	}
	if tx.Len() > maxTxItems {
		return clientzone.Errorf(clientzone.EINVALID, "A contract can have at most %d services.", maxTxItems-3)
	}
	return tx.Commit(ctx)
}
