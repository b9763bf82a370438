package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Payments and settlements:
//
//	SETTLEMENT#<reference>      SETTLEMENT   what one settlement did (guard: applied once)
//	PAYMENT#<id>                PAYMENT      card payment; gsi1 CUST#<cid>#PAYMENT / <id>
//	WEBHOOK#<provider>#<event>  EVENT        processed provider event (dedup), TTL
//	COUNTER#INVOICE#<year>      COUNTER      invoice number sequence
//
// Invoice items (invoices.go) get their status changed here, keeping gsi1pk
// (CUST#<cid>#INV#<status>) in sync.

// DB implements billing's stores, and Tx its transaction.
var (
	_ billing.Store            = (*DB)(nil)
	_ billing.SettleStore      = (*DB)(nil)
	_ billing.PaymentStore     = (*DB)(nil)
	_ billing.PrepaidStore     = (*DB)(nil)
	_ billing.ProformaStore    = (*DB)(nil)
	_ billing.CorrectionStore  = (*DB)(nil)
	_ billing.DirectDebitStore = (*DB)(nil)
	_ billing.PDFStore         = (*DB)(nil)
	_ billing.Tx               = (*Tx)(nil)
)

// NewBillingTx starts a billing transaction (billing.Tx).
func (db *DB) NewBillingTx() billing.Tx { return db.NewTx() }

// WebhookEventRetention is how long processed event ids are remembered;
// providers retry for up to three days.
const WebhookEventRetention = 30 * 24 * time.Hour

type settlementItem struct {
	keys
	billing.SettlementRecord
}

func settlementPK(ref string) string { return "SETTLEMENT#" + ref }

// Settlement returns the settlement recorded under reference ref.
func (db *DB) Settlement(ctx context.Context, ref string) (*billing.SettlementRecord, error) {
	var it settlementItem
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(settlementPK(ref), "SETTLEMENT"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("dynamo: get settlement: %w", err)
	}
	if res.Item == nil {
		return nil, clientzone.NotFound("Settlement")
	}
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: decode settlement: %w", err)
	}
	return &it.SettlementRecord, nil
}

// SettlementGuard records settlement r in this transaction; the transaction
// fails with billing.ErrAlreadySettled when its reference was applied
// before. Add it first, so that this conflict is the one reported.
func (tx *Tx) SettlementGuard(r *billing.SettlementRecord) error {
	return tx.Put(settlementItem{keys: keys{PK: settlementPK(r.Reference), SK: "SETTLEMENT"}, SettlementRecord: *r},
		"attribute_not_exists(pk)", nil, nil, billing.ErrAlreadySettled)
}

// MarkInvoicePaid sets an unpaid invoice paid at paidAt (moving it to the
// paid status partition of GSI1); billing.ErrInvoiceNotUnpaid when it is
// not unpaid. It also forgets the rendered PDF, which shows the status: the
// next download renders it again.
func (tx *Tx) MarkInvoicePaid(cid, id string, paidAt time.Time) error {
	return tx.Update(customerPK(cid), invoiceSK(id),
		"SET #st = :paid, PaidAt = :at, gsi1pk = :gpk, PDFKey = :nopdf",
		"attribute_exists(pk) AND #st = :unpaid",
		map[string]string{"#st": "Status"},
		map[string]any{":paid": clientzone.InvoicePaid, ":unpaid": clientzone.InvoiceUnpaid, ":at": paidAt,
			":gpk": invoiceStatusPK(cid, clientzone.InvoicePaid), ":nopdf": ""},
		billing.ErrInvoiceNotUnpaid)
}

// IssueInvoice creates a new invoice in this transaction with the claim of
// its number: the transaction fails with clientzone.ErrInvoiceNumberTaken when another
// invoice has it (e.g. the back office used a number of the sequence).
func (tx *Tx) IssueInvoice(inv *clientzone.Invoice) error {
	if inv.Status == clientzone.InvoiceOverdue {
		return fmt.Errorf("dynamo: overdue is not a stored status")
	}
	it := invoiceItem{
		keys: keys{
			PK: customerPK(inv.CustomerID), SK: invoiceSK(inv.ID),
			GSI1PK: invoiceStatusPK(inv.CustomerID, inv.Status), GSI1SK: invoiceSK(inv.ID),
		},
		Invoice: *inv,
	}
	it.GSI2PK, it.GSI2SK = invoiceDueKeys(inv)
	if err := tx.Put(it, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	return tx.claimInvoiceNumber(inv, "")
}

// ExtendService moves a service's expiry from oldOn to newOn (YYYY-MM-DD),
// only if it is still oldOn ("" = not set), keeping the GSI2 expiry index;
// it increments the service's Version, so a concurrent contract change
// read before it fails instead of writing the old expiry back
// (billing.ErrServiceChanged).
func (tx *Tx) ExtendService(cid, contractID, serviceID, oldOn, newOn string) error {
	cond := "attribute_exists(pk) AND ExpiresOn = :old"
	values := map[string]any{":new": newOn, ":gpk": "EXPIRY#" + newOn, ":gsk": cid + "#" + serviceID, ":one": 1}
	if oldOn == "" {
		cond = "attribute_exists(pk) AND (attribute_not_exists(ExpiresOn) OR ExpiresOn = :empty)"
		values[":empty"] = ""
	} else {
		values[":old"] = oldOn
	}
	return tx.Update(customerPK(cid), serviceSK(contractID, serviceID),
		"SET ExpiresOn = :new, gsi2pk = :gpk, gsi2sk = :gsk ADD Version :one", cond, nil, values, billing.ErrServiceChanged)
}

// NextInvoiceNumber returns the next number of the year's invoice sequence
// (1, 2, ...). A number taken by a transaction that then fails is skipped.
func (db *DB) NextInvoiceNumber(ctx context.Context, year int) (int64, error) {
	res, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:        &db.table,
		Key:              key(fmt.Sprintf("COUNTER#INVOICE#%d", year), "COUNTER"),
		UpdateExpression: aws.String("ADD Seq :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": &types.AttributeValueMemberN{Value: "1"},
		},
		ReturnValues: types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, fmt.Errorf("dynamo: invoice number: %w", err)
	}
	var out struct{ Seq int64 }
	if err := attributevalue.UnmarshalMap(res.Attributes, &out); err != nil {
		return 0, fmt.Errorf("dynamo: decode invoice number: %w", err)
	}
	return out.Seq, nil
}

type paymentItem struct {
	keys
	clientzone.Payment
}

func paymentPK(id string) string { return "PAYMENT#" + id }

func paymentsPK(cid string) string { return customerPK(cid) + "#PAYMENT" }

// PutPayment creates a payment record (one write).
func (db *DB) PutPayment(ctx context.Context, p *clientzone.Payment) error {
	tx := db.NewTx()
	if err := tx.Put(paymentItem{keys: keys{PK: paymentPK(p.ID), SK: "PAYMENT", GSI1PK: paymentsPK(p.CustomerID), GSI1SK: p.ID}, Payment: *p},
		"attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Payment returns a payment by id.
func (db *DB) Payment(ctx context.Context, id string) (*clientzone.Payment, error) {
	var it paymentItem
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key(paymentPK(id), "PAYMENT"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("dynamo: get payment: %w", err)
	}
	if res.Item == nil {
		return nil, clientzone.NotFound("Payment")
	}
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: decode payment: %w", err)
	}
	return &it.Payment, nil
}

// Payments lists a customer's payments, newest first (one GSI1 Query).
func (db *DB) Payments(ctx context.Context, cid string, limit int) ([]*clientzone.Payment, error) {
	res, err := db.api.Query(ctx, &dynamodb.QueryInput{
		TableName:              &db.table,
		IndexName:              aws.String(GSI1),
		KeyConditionExpression: aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: paymentsPK(cid)},
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: payments: %w", err)
	}
	var items []paymentItem
	if err := attributevalue.UnmarshalListOfMaps(res.Items, &items); err != nil {
		return nil, fmt.Errorf("dynamo: decode payments: %w", err)
	}
	out := make([]*clientzone.Payment, 0, len(items))
	for i := range items {
		out = append(out, &items[i].Payment)
	}
	return out, nil
}

// CompletePayment moves a pending payment to status at completedAt;
// billing.ErrPaymentNotPending when it is not pending.
func (tx *Tx) CompletePayment(id, status string, completedAt time.Time, settledInvoiceID string) error {
	update := "SET #st = :st, CompletedAt = :at"
	values := map[string]any{":st": status, ":at": completedAt, ":pending": clientzone.PaymentPending}
	if settledInvoiceID != "" {
		update += ", SettledInvoiceID = :inv"
		values[":inv"] = settledInvoiceID
	}
	return tx.Update(paymentPK(id), "PAYMENT", update, "attribute_exists(pk) AND #st = :pending",
		map[string]string{"#st": "Status"}, values, billing.ErrPaymentNotPending)
}

// WebhookEvent records provider event id as processed in this transaction;
// the transaction fails with billing.ErrDuplicateEvent when it was
// processed before.
func (tx *Tx) WebhookEvent(provider, id, eventType string, at time.Time) error {
	return tx.Put(map[string]any{
		"pk": "WEBHOOK#" + provider + "#" + id, "sk": "EVENT", "Type": eventType, "ReceivedAt": at,
		"ttl": at.Add(WebhookEventRetention).Unix(),
	}, "attribute_not_exists(pk)", nil, nil, billing.ErrDuplicateEvent)
}

// WebhookEventSeen reports whether provider event id was processed.
func (db *DB) WebhookEventSeen(ctx context.Context, provider, id string) (bool, error) {
	res, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: key("WEBHOOK#"+provider+"#"+id, "EVENT"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, fmt.Errorf("dynamo: get webhook event: %w", err)
	}
	return res.Item != nil, nil
}

// LedgerEntries adds several transactions of one customer (same currency)
// to the ledger in this transaction, moving the balance once by their sum:
// DynamoDB allows one write per item in a transaction, so entries that
// belong together (a payment credit and the charge it pays) go through here
// rather than through two Ledger calls.
func (tx *Tx) LedgerEntries(ts []*clientzone.Transaction, o billing.LedgerOptions) error {
	if len(ts) == 1 {
		return tx.Ledger(ts[0], o)
	}
	if len(ts) == 0 {
		return nil
	}
	cid, cur, at := ts[0].CustomerID, ts[0].Amount.Currency, ts[0].CreatedAt
	var sum int64
	for _, t := range ts {
		if t.CustomerID != cid || t.Amount.Currency != cur || cur == "" {
			return fmt.Errorf("dynamo: ledger entries of different customers or currencies")
		}
		sum += t.Amount.Amount
		if t.CreatedAt.After(at) {
			at = t.CreatedAt
		}
	}
	pk := customerPK(cid)
	cond := "(attribute_not_exists(Currency) OR Currency = :cur)"
	values := map[string]any{":amt": sum, ":cur": cur, ":now": at}
	onConflict := billing.ErrBalanceCurrency
	if o.NoOverdraft && sum < 0 {
		cond += " AND Amount >= :need"
		values[":need"] = -sum
		onConflict = billing.ErrInsufficientBalance
	}
	// A net-zero set (an invoice paid by card: credit + charge) leaves the
	// balance item alone, so paying in another currency than the balance's
	// works and does not fix the balance's currency.
	if sum != 0 {
		if err := tx.Update(pk, "BALANCE", "ADD Amount :amt SET Currency = :cur, UpdatedAt = :now", cond, nil, values, onConflict); err != nil {
			return err
		}
	}
	for _, t := range ts {
		if t.ID == "" {
			t.ID = clientzone.NewID()
		}
		if err := tx.Put(txnItem{keys: keys{PK: pk, SK: "TXN#" + t.ID}, Transaction: *t}, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
			return err
		}
		if t.Reference != "" {
			guard := map[string]any{"pk": "LEDGERREF#" + cid + "#" + t.Reference, "sk": "REF", "TransactionID": t.ID}
			if err := tx.Put(guard, "attribute_not_exists(pk)", nil, nil, billing.ErrDuplicateReference); err != nil {
				return err
			}
		}
	}
	return nil
}
