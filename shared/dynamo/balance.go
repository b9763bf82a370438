package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Autopay settings, direct debit mandates and invoice correction requests
// (paying from the prepaid balance is a billing.Tx of ledger.go's entries):
//
//	CUST#<cid>   AUTOPAY             autopay setting
//	CUST#<cid>   DIRECTDEBIT         the current SEPA mandate
//	CUST#<cid>   MANDATE#<id>        every mandate ever signed (history)
//	CUST#<cid>   CORRECTION#<ULID>   invoice correction request

type autopayItem struct {
	keys
	clientzone.Autopay
}

// Autopay returns a customer's autopay setting (NotFound when never set).
func (db *DB) Autopay(ctx context.Context, cid string) (*clientzone.Autopay, error) {
	var it autopayItem
	if err := db.get(ctx, customerPK(cid), "AUTOPAY", "Autopay", &it); err != nil {
		return nil, err
	}
	return &it.Autopay, nil
}

// SaveAutopay stores a customer's autopay setting with its audit entry in
// one transaction.
func (db *DB) SaveAutopay(ctx context.Context, cid string, a *clientzone.Autopay, audit *clientzone.AuditEntry) error {
	tx := db.NewTx()
	if err := tx.Put(autopayItem{keys: keys{PK: customerPK(cid), SK: "AUTOPAY"}, Autopay: *a}, "", nil, nil, nil); err != nil {
		return err
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// TransactionsOfKind lists a customer's ledger newest first, only
// transactions of kind (all when empty). The kind is a FilterExpression on
// the one Query, so a page may hold fewer than limit items (even none)
// while NextCursor still says there is more.
func (db *DB) TransactionsOfKind(ctx context.Context, cid, kind string, limit int, cursor string) (*billing.TransactionPage, error) {
	filter, values := "", map[string]types.AttributeValue(nil)
	if kind != "" {
		filter, values = "Kind = :kind", map[string]types.AttributeValue{":kind": &types.AttributeValueMemberS{Value: kind}}
	}
	items, next, err := newestFirst[txnItem](ctx, db, cid, "TXN#", limit, cursor, filter, values)
	if err != nil {
		return nil, err
	}
	page := &billing.TransactionPage{Transactions: make([]clientzone.Transaction, 0, len(items)), NextCursor: next}
	for _, it := range items {
		page.Transactions = append(page.Transactions, it.Transaction)
	}
	return page, nil
}

type mandateItem struct {
	keys
	clientzone.DirectDebitMandate
	IBAN string // the json:"-" field, stored explicitly
}

// DirectDebitMandate returns the customer's current mandate.
func (db *DB) DirectDebitMandate(ctx context.Context, cid string) (*clientzone.DirectDebitMandate, error) {
	var it mandateItem
	if err := db.get(ctx, customerPK(cid), "DIRECTDEBIT", "Direct debit mandate", &it); err != nil {
		return nil, err
	}
	m := it.DirectDebitMandate
	m.IBAN = it.IBAN
	return &m, nil
}

// SaveDirectDebitMandate makes m the customer's current mandate (replacing
// the previous one, whose history item is marked cancelled), with its audit
// entry and notification, in one transaction.
func (db *DB) SaveDirectDebitMandate(ctx context.Context, m *clientzone.DirectDebitMandate, previous *clientzone.DirectDebitMandate, audit *clientzone.AuditEntry, msg *clientzone.Message) error {
	pk := customerPK(m.CustomerID)
	tx := db.NewTx()
	it := mandateItem{keys: keys{PK: pk, SK: "DIRECTDEBIT"}, DirectDebitMandate: *m, IBAN: m.IBAN}
	cond, values := "attribute_not_exists(pk)", map[string]any(nil)
	if previous != nil {
		// Optimistic: the mandate replaced is the one read.
		cond, values = "ID = :prev", map[string]any{":prev": previous.ID}
	}
	if err := tx.Put(it, cond, nil, values, errDataChanged); err != nil {
		return err
	}
	hist := it
	hist.keys = keys{PK: pk, SK: "MANDATE#" + m.ID}
	if err := tx.Put(hist, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	if previous != nil {
		if err := tx.Update(pk, "MANDATE#"+previous.ID, "SET #st = :c", "attribute_exists(pk)", map[string]string{"#st": "Status"},
			map[string]any{":c": clientzone.MandateCancelled}, nil); err != nil {
			return err
		}
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	if msg != nil {
		if err := tx.Outbox(msg); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

type correctionItem struct {
	keys
	clientzone.CorrectionRequest
}

// CreateCorrectionRequest records correction request r of invoice
// r.InvoiceID (which must exist and not be cancelled:
// billing.ErrInvoiceCancelled), issues fee (the
// admin fee invoice, nil for none) and writes the audit entry and messages,
// all in one transaction.
func (db *DB) CreateCorrectionRequest(ctx context.Context, r *clientzone.CorrectionRequest, fee *clientzone.Invoice, audit *clientzone.AuditEntry, msgs []*clientzone.Message) error {
	pk := customerPK(r.CustomerID)
	tx := db.NewTx()
	if err := tx.Check(pk, invoiceSK(r.InvoiceID), "attribute_exists(pk) AND #st <> :c", map[string]string{"#st": "Status"},
		map[string]any{":c": string(clientzone.InvoiceCancelled)}, billing.ErrInvoiceCancelled); err != nil {
		return err
	}
	if err := tx.Put(correctionItem{keys: keys{PK: pk, SK: "CORRECTION#" + r.ID}, CorrectionRequest: *r}, "attribute_not_exists(pk)", nil, nil, nil); err != nil {
		return err
	}
	if fee != nil {
		if fee.Status != clientzone.InvoiceUnpaid {
			return fmt.Errorf("dynamo: fee invoice must be unpaid")
		}
		if err := tx.IssueInvoice(fee); err != nil {
			return err
		}
	}
	if audit != nil {
		if err := tx.Audit(audit); err != nil {
			return err
		}
	}
	for _, m := range msgs {
		if err := tx.Outbox(m); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// CorrectionRequest returns one correction request of a customer.
func (db *DB) CorrectionRequest(ctx context.Context, cid, id string) (*clientzone.CorrectionRequest, error) {
	var it correctionItem
	if err := db.get(ctx, customerPK(cid), "CORRECTION#"+id, "Correction request", &it); err != nil {
		return nil, err
	}
	return &it.CorrectionRequest, nil
}
