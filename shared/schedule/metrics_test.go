package schedule_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/metrics/metricstest"
	"github.com/clientzone/clientzone/shared/schedule"
)

// failingWrites is the table with every transaction refused, as when
// DynamoDB throttles the writes of a step.
type failingWrites struct{ dynamo.API }

func (failingWrites) TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	return nil, errors.New("ProvisionedThroughputExceededException")
}

// TestJobMetrics runs the jobs through their Lambda handler against the
// table: reminders and autopay payments count once however often a job
// reruns, and every invocation says whether it failed. Counts are
// cumulative over the steps.
func TestJobMetrics(t *testing.T) {
	env, db, table := newEnvTable(t)
	ctx := context.Background()
	w, rec := metricstest.New(func() time.Time { return now0 })
	env.Metrics = w
	clock := clientzone.FixedClock(now0)

	// c1: two services expiring in 30 and 7 days, an invoice due yesterday.
	seedCustomer(t, db, "c1", clientzone.LangSK)
	putServices(t, db, "c1", clientzone.Service{ID: "s30", ExpiresOn: date(now0, 30)}, clientzone.Service{ID: "s7", ExpiresOn: date(now0, 7)})
	if err := db.PutInvoice(ctx, &clientzone.Invoice{ID: "i-overdue", CustomerID: "c1", Number: "INV-1", Status: clientzone.InvoiceUnpaid,
		IssuedOn: date(now0, -20), DueOn: date(now0, -1), Total: clientzone.Money{Amount: 500, Currency: "EUR"}}); err != nil {
		t.Fatal(err)
	}
	// c2: autopay from a balance of 10.00 EUR, an invoice of 4.00 due in 2 days.
	seedCustomer(t, db, "c2", clientzone.LangHU)
	tx := db.NewTx()
	if err := tx.Ledger(&clientzone.Transaction{CustomerID: "c2", Kind: clientzone.TxnPayment, Amount: clientzone.Money{Amount: 1000, Currency: "EUR"},
		Reference: "topup-c2", CreatedAt: now0.AddDate(0, 0, -10)}, billing.LedgerOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveAutopay(ctx, "c2", &clientzone.Autopay{Enabled: true, Method: "balance"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.PutInvoice(ctx, &clientzone.Invoice{ID: "i-autopay", CustomerID: "c2", Number: "INV-2", Status: clientzone.InvoiceUnpaid,
		IssuedOn: date(now0, -5), DueOn: date(now0, 2), Total: clientzone.Money{Amount: 400, Currency: "EUR"}}); err != nil {
		t.Fatal(err)
	}

	invoke := func(e *schedule.Env, name string, in schedule.Input) (schedule.Report, error) {
		return schedule.Handler(schedule.Jobs(e)[name], clock, e.Metrics)(ctx, in)
	}
	at := schedule.Input{Now: now0.Format(time.RFC3339)}
	steps := []struct {
		name    string
		run     func(t *testing.T) (schedule.Report, error)
		wantErr bool
		// Cumulative totals after the step.
		reminders, payments, failed int
	}{
		{"expiry reminders", func(*testing.T) (schedule.Report, error) { return invoke(env, "expiry-reminders", at) }, false, 2, 0, 0},
		{"expiry reminders rerun", func(*testing.T) (schedule.Report, error) { return invoke(env, "expiry-reminders", at) }, false, 2, 0, 0},
		{"overdue reminders", func(*testing.T) (schedule.Report, error) { return invoke(env, "overdue-reminders", at) }, false, 3, 0, 0},
		{"overdue reminders rerun", func(*testing.T) (schedule.Report, error) { return invoke(env, "overdue-reminders", at) }, false, 3, 0, 0},
		{"autopay", func(*testing.T) (schedule.Report, error) { return invoke(env, "autopay", at) }, false, 3, 1, 0},
		{"autopay rerun", func(*testing.T) (schedule.Report, error) { return invoke(env, "autopay", at) }, false, 3, 1, 0},
		{"a step fails", func(t *testing.T) (schedule.Report, error) {
			seedCustomer(t, db, "c3", clientzone.LangEN)
			putServices(t, db, "c3", clientzone.Service{ID: "s14", ExpiresOn: date(now0, 14)})
			broken := *env
			broken.NewStore = dynamo.JobStores(failingWrites{dynamotest.Client()}, table)
			rep, err := invoke(&broken, "expiry-reminders", at)
			if rep.Found != 3 || rep.Failed != 3 || rep.Done != 0 {
				t.Errorf("report %+v, want the 3 candidates failed", rep)
			}
			return rep, err
		}, true, 3, 1, 1},
		{"the table is missing", func(*testing.T) (schedule.Report, error) {
			gone := *env
			gone.NewStore = dynamo.JobStores(dynamotest.Client(), "missing-"+clientzone.NewID())
			return invoke(&gone, "overdue-reminders", at)
		}, true, 3, 1, 2},
		{"unusable input", func(*testing.T) (schedule.Report, error) {
			return invoke(env, "autopay", schedule.Input{Now: "tomorrow"})
		}, true, 3, 1, 3},
	}
	for i, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			rep, err := s.run(t)
			if (err != nil) != s.wantErr {
				t.Fatalf("run: %+v, err %v; want error %v", rep, err, s.wantErr)
			}
			sums := rec.Sums(t)
			if sums[schedule.MetricReminderSent] != s.reminders || sums[billing.MetricPaymentSettled] != s.payments || sums[schedule.MetricJobFailed] != s.failed {
				t.Errorf("totals %v, want ReminderSent %d, PaymentSettled %d, JobFailed %d", sums, s.reminders, s.payments, s.failed)
			}
			// One JobFailed line per invocation, 0 or 1.
			var runs int
			for _, l := range rec.Lines(t) {
				if l.Name == schedule.MetricJobFailed {
					runs++
					if l.Value > 1 {
						t.Errorf("JobFailed line of %d", l.Value)
					}
				}
			}
			if runs != i+1 {
				t.Errorf("%d JobFailed lines after %d invocations", runs, i+1)
			}
		})
	}
	if got := len(outbox(t, db, now0, "expiry-reminder")) + len(outbox(t, db, now0, "invoice-overdue")); got != 3 {
		t.Errorf("%d reminder emails in the outbox, want the 3 counted", got)
	}
	if inv, err := db.Invoice(ctx, "c2", "i-autopay"); err != nil || inv.Status != clientzone.InvoicePaid {
		t.Errorf("autopay invoice: %+v, %v", inv, err)
	}
}
