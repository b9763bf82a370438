package billing_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

const prepaidCID = "CPRE"

func eurMoney(n int64) clientzone.Money { return clientzone.Money{Amount: n, Currency: "EUR"} }

// prepaidFixture makes a customer with n unpaid invoices of 1000 EUR.
func prepaidFixture(t *testing.T, db *dynamo.DB, n int) []string {
	t.Helper()
	ctx := context.Background()
	if err := db.PutCustomer(ctx, &clientzone.Customer{ID: prepaidCID, Kind: "person", Name: "Pre Paid", Email: "pre@example.sk",
		VariableSymbol: "5550001", Currency: "EUR", CreatedAt: today}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range n {
		inv := &clientzone.Invoice{ID: clientzone.NewID(), CustomerID: prepaidCID, Number: fmt.Sprintf("FA-P-%02d", i), Status: clientzone.InvoiceUnpaid,
			IssuedOn: "2026-03-01", DueOn: "2026-03-20", Total: eurMoney(1000), VAT: eurMoney(167), VariableSymbol: "5550001"}
		if err := db.PutInvoice(ctx, inv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inv.ID)
	}
	return ids
}

// allTransactions reads the whole ledger of the customer.
func allTransactions(t *testing.T, db *dynamo.DB, cid string) []clientzone.Transaction {
	t.Helper()
	var out []clientzone.Transaction
	cursor := ""
	for {
		page, err := db.Transactions(context.Background(), cid, 100, cursor)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Transactions...)
		if cursor = page.NextCursor; cursor == "" {
			return out
		}
	}
}

func TestPayFromBalance(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	ids := prepaidFixture(t, db, 2)
	svc := &billing.Service{Store: db, Clock: clientzone.FixedClock(today), VATPercent: map[string]int{"EUR": 20}}
	p := &billing.Prepaid{Store: db, Clock: clientzone.FixedClock(today), Currency: "EUR"}

	// Nothing on the balance: refused, nothing written.
	if _, err := p.PayFromBalance(ctx, prepaidCID, ids[0]); !errors.Is(err, billing.ErrInsufficientBalance) {
		t.Fatalf("empty balance: %v", err)
	}
	if _, err := svc.Settle(ctx, billing.Settlement{CustomerID: prepaidCID, Amount: eurMoney(1500), Reference: "bank:s1:1", Method: "transfer", TopUp: true}); err != nil {
		t.Fatal(err)
	}
	res, err := p.PayFromBalance(ctx, prepaidCID, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if res.Balance.Amount != 500 || res.Transaction.Amount.Amount != -1000 || res.Transaction.Kind != clientzone.TxnCharge || res.Transaction.InvoiceID != ids[0] {
		t.Fatalf("result = %+v", res)
	}
	inv, err := db.Invoice(ctx, prepaidCID, ids[0])
	if err != nil || inv.Status != clientzone.InvoicePaid || inv.PaidAt == nil {
		t.Fatalf("invoice after = %+v, %v", inv, err)
	}
	// The status index follows: the invoice is listed as paid, not unpaid.
	// (The top-up's own tax invoice is listed as paid too.)
	for status, want := range map[clientzone.InvoiceStatus]string{clientzone.InvoicePaid: ids[0], clientzone.InvoiceUnpaid: ids[1]} {
		page, err := db.Invoices(ctx, prepaidCID, billing.InvoiceFilter{Status: status, Limit: 10, Now: today})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, inv := range page.Invoices {
			if inv.ID == ids[0] || inv.ID == ids[1] {
				got = append(got, inv.ID)
			}
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s invoices = %v, want [%s]", status, got, want)
		}
	}
	// Twice: refused; the second invoice is more than the balance.
	if _, err := p.PayFromBalance(ctx, prepaidCID, ids[0]); !errors.Is(err, billing.ErrInvoiceNotUnpaid) {
		t.Errorf("paid twice: %v", err)
	}
	if _, err := p.PayFromBalance(ctx, prepaidCID, ids[1]); !errors.Is(err, billing.ErrInsufficientBalance) {
		t.Errorf("too little: %v", err)
	}
	if _, err := p.PayFromBalance(ctx, "OTHER", ids[1]); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Errorf("another customer's invoice: %v", err)
	}
	wantBalanceIsSum(t, db, prepaidCID, 500)
	log, err := db.AuditLog(ctx, prepaidCID, 10, "")
	if err != nil || len(log.Entries) != 1 || log.Entries[0].Action != "invoice.pay-from-balance" || log.Entries[0].ActorID != "system" {
		t.Errorf("audit = %+v, %v", log, err)
	}
}

func wantBalanceIsSum(t *testing.T, db *dynamo.DB, cid string, want int64) {
	t.Helper()
	b, err := db.Balance(context.Background(), cid, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	sum, n, err := db.SumTransactions(context.Background(), cid)
	if err != nil {
		t.Fatal(err)
	}
	if b.Amount.Amount != sum {
		t.Fatalf("balance %d != sum %d of %d transactions", b.Amount.Amount, sum, n)
	}
	if want >= 0 && sum != want {
		t.Fatalf("balance %d, want %d", sum, want)
	}
}

// TestLedgerInvariantUnderConcurrency runs 50 concurrent operations on one
// customer against DynamoDB Local: top-ups through Settle, the same bank
// line delivered ten times, payments of invoices from the balance racing
// card payments of the same invoices, and fees that must not overdraw.
// Afterwards the balance is the sum of the transactions, never negative,
// each invoice is paid at most once (exactly one charge per paid invoice)
// and the repeated bank line is credited once.
func TestLedgerInvariantUnderConcurrency(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	ids := prepaidFixture(t, db, 5)
	svc := &billing.Service{Store: db, Clock: clientzone.SystemClock{}, VATPercent: map[string]int{"EUR": 20}}
	p := &billing.Prepaid{Store: db, Clock: clientzone.SystemClock{}, Currency: "EUR"}
	if _, err := svc.Settle(ctx, billing.Settlement{CustomerID: prepaidCID, Amount: eurMoney(2000), Reference: "seed", Method: "transfer", TopUp: true}); err != nil {
		t.Fatal(err)
	}
	const n = 50
	errs := make([]error, n)
	fresh := make([]bool, n) // settlements applied by this call (not AlreadySettled)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inv := ids[(i/5)%len(ids)]
			switch i % 5 {
			case 0: // top-ups, each its own bank line
				res, err := svc.Settle(ctx, billing.Settlement{CustomerID: prepaidCID, Amount: eurMoney(700), Reference: fmt.Sprintf("bank:s2:%d", i), Method: "transfer", TopUp: true})
				errs[i], fresh[i] = err, err == nil && !res.AlreadySettled
			case 1: // autopay: the invoice from the balance
				_, errs[i] = p.PayFromBalance(ctx, prepaidCID, inv)
			case 2: // the same invoice by card at the same time
				res, err := svc.Settle(ctx, billing.Settlement{CustomerID: prepaidCID, Amount: eurMoney(1000), Reference: fmt.Sprintf("stripe:cs_%d", i), Method: "card", InvoiceID: inv})
				errs[i], fresh[i] = err, err == nil && !res.AlreadySettled
			case 3: // fees that must not overdraw
				tx := db.NewTx()
				if err := tx.Ledger(&clientzone.Transaction{CustomerID: prepaidCID, Kind: clientzone.TxnFee, Amount: eurMoney(-350),
					Description: "Suspension day", CreatedAt: time.Now().UTC()}, billing.LedgerOptions{NoOverdraft: true}); err != nil {
					errs[i] = err
					return
				}
				errs[i] = tx.Commit(ctx)
			case 4: // one bank line delivered ten times
				res, err := svc.Settle(ctx, billing.Settlement{CustomerID: prepaidCID, Amount: eurMoney(500), Reference: "bank:s2:dup", Method: "transfer", TopUp: true})
				errs[i], fresh[i] = err, err == nil && !res.AlreadySettled
			}
		}()
	}
	wg.Wait()
	tally := map[string]int{}
	dupApplied := 0
	for i, err := range errs {
		if i%5 == 4 && fresh[i] {
			dupApplied++
		}
		switch {
		case err == nil:
			tally["ok"]++
		case errors.Is(err, billing.ErrInsufficientBalance):
			tally["insufficient"]++
		case errors.Is(err, billing.ErrInvoiceNotUnpaid), clientzone.ErrorCode(err) == clientzone.ECONFLICT:
			tally["conflict"]++ // invoice paid by the other path, or a clash reported as conflict
		case clientzone.IsTransactionConflict(err):
			tally["retry-later"]++ // contention: callers retry
		default:
			t.Errorf("op %d: unexpected error %v", i, err)
		}
	}
	if dupApplied > 1 {
		t.Errorf("the repeated bank line was applied %d times", dupApplied)
	}
	wantBalanceIsSum(t, db, prepaidCID, -1)
	b, _ := db.Balance(ctx, prepaidCID, "EUR")
	if b.Amount.Amount < 0 {
		t.Fatalf("balance went negative: %d", b.Amount.Amount)
	}
	txns := allTransactions(t, db, prepaidCID)
	charges := map[string]int{}
	dupCredits := 0
	for _, tr := range txns {
		if tr.Kind == clientzone.TxnCharge {
			charges[tr.InvoiceID]++
		}
		if tr.Amount.Amount == 500 && tr.Kind == clientzone.TxnTopUp {
			dupCredits++
		}
	}
	if dupCredits > 1 {
		t.Errorf("the repeated bank line is in the ledger %d times", dupCredits)
	}
	for _, id := range ids {
		inv, err := db.Invoice(ctx, prepaidCID, id)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if inv.Status == clientzone.InvoicePaid {
			want = 1
		}
		if charges[id] != want {
			t.Errorf("invoice %s (%s) has %d charges, want %d", id, inv.Status, charges[id], want)
		}
	}
	t.Logf("balance %d over %d transactions; outcomes %v", b.Amount.Amount, len(txns), tally)
}

// failingAPI is DynamoDB whose TransactWriteItems always fails, as when the
// service is unavailable or the call times out.
type failingAPI struct {
	dynamo.API
	calls int
	mu    sync.Mutex
}

func (f *failingAPI) TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	return nil, errors.New("injected: DynamoDB unavailable")
}

type okPIN struct{}

func (okPIN) Verify(context.Context, string, string) error { return nil }

// TestFailedWriteLeavesNothing: when the DynamoDB write fails, none of the
// balance-area actions leaves anything behind (no ledger entry, no paid
// invoice, no fee invoice, no mandate, no audit entry, no outbox message).
func TestFailedWriteLeavesNothing(t *testing.T) {
	table := dynamotest.NewTable(t)
	good := dynamo.New(dynamotest.Client(), table)
	fail := &failingAPI{API: dynamotest.Client()}
	bad := dynamo.New(fail, table)
	ctx := context.Background()
	ids := prepaidFixture(t, good, 1)
	clock := clientzone.FixedClock(today)
	if _, err := (&billing.Service{Store: good, Clock: clock, VATPercent: map[string]int{"EUR": 20}}).Settle(ctx,
		billing.Settlement{CustomerID: prepaidCID, Amount: eurMoney(5000), Reference: "bank:s3:1", Method: "transfer", TopUp: true}); err != nil {
		t.Fatal(err)
	}
	invoicesBefore, err := good.Invoices(ctx, prepaidCID, billing.InvoiceFilter{Limit: 100, Now: today})
	if err != nil {
		t.Fatal(err)
	}
	auditBefore, _ := good.AuditLog(ctx, prepaidCID, 100, "")
	outboxBefore, _ := good.OutboxMessages(ctx, today)

	if _, err := (&billing.Prepaid{Store: bad, Clock: clock, Currency: "EUR"}).PayFromBalance(ctx, prepaidCID, ids[0]); err == nil {
		t.Error("PayFromBalance succeeded on a failing DynamoDB")
	}
	if _, err := (&billing.Service{Store: bad, Clock: clock, VATPercent: map[string]int{"EUR": 20}}).Settle(ctx,
		billing.Settlement{CustomerID: prepaidCID, Amount: eurMoney(100), Reference: "bank:s3:2", Method: "transfer", TopUp: true}); err == nil {
		t.Error("Settle succeeded on a failing DynamoDB")
	}
	if _, err := (&billing.Corrections{Store: bad, Clock: clock, BillingEmail: "billing@example.com",
		Fees: map[string]billing.Fee{"EUR": {Net: eurMoney(1500), VATPercent: 23}}}).RequestCorrection(ctx, billing.CorrectionInput{
		By: billing.Actor{CustomerID: prepaidCID, PersonID: "P1"}, InvoiceID: ids[0], Reason: "Wrong billing address on it."}); err == nil {
		t.Error("RequestCorrection succeeded on a failing DynamoDB")
	}
	if _, err := (&billing.DirectDebit{Store: bad, PIN: okPIN{}, Clock: clock}).SetupDirectDebit(ctx, billing.MandateInput{
		By: billing.Actor{CustomerID: prepaidCID, PersonID: "P1"}, IBAN: "SK3112000000198742637541", AccountHolder: "Pre Paid", MandateAccepted: true}); err == nil {
		t.Error("SetupDirectDebit succeeded on a failing DynamoDB")
	}
	if _, err := (&billing.Prepaid{Store: bad, Clock: clock, Currency: "EUR"}).EnableAutopay(ctx, billing.Actor{CustomerID: prepaidCID, PersonID: "P1"}, "balance", nil); err == nil {
		t.Error("EnableAutopay succeeded on a failing DynamoDB")
	}
	if fail.calls < 5 {
		t.Errorf("only %d transactions were attempted", fail.calls)
	}

	wantBalanceIsSum(t, good, prepaidCID, 5000)
	if n := len(allTransactions(t, good, prepaidCID)); n != 1 {
		t.Errorf("%d transactions, want the 1 top-up", n)
	}
	inv, err := good.Invoice(ctx, prepaidCID, ids[0])
	if err != nil || inv.Status != clientzone.InvoiceUnpaid || inv.PaidAt != nil {
		t.Errorf("invoice = %+v, %v", inv, err)
	}
	invoicesAfter, _ := good.Invoices(ctx, prepaidCID, billing.InvoiceFilter{Limit: 100, Now: today})
	if len(invoicesAfter.Invoices) != len(invoicesBefore.Invoices) {
		t.Errorf("invoices %d → %d", len(invoicesBefore.Invoices), len(invoicesAfter.Invoices))
	}
	if _, err := good.DirectDebitMandate(ctx, prepaidCID); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Errorf("mandate: %v", err)
	}
	if _, err := good.Autopay(ctx, prepaidCID); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Errorf("autopay: %v", err)
	}
	auditAfter, _ := good.AuditLog(ctx, prepaidCID, 100, "")
	outboxAfter, _ := good.OutboxMessages(ctx, today)
	if len(auditAfter.Entries) != len(auditBefore.Entries) || len(outboxAfter) != len(outboxBefore) {
		t.Errorf("audit %d → %d, outbox %d → %d", len(auditBefore.Entries), len(auditAfter.Entries), len(outboxBefore), len(outboxAfter))
	}
}
