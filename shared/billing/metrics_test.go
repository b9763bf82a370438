package billing_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/metrics/metricstest"
	"github.com/clientzone/clientzone/shared/payments/devpay"
	"github.com/clientzone/clientzone/shared/payments/stripe"
)

// TestPaymentSettledMetric drives each way money settles against the
// table, including the repeats that must not count again: a replayed
// webhook, another event of a paid checkout, a re-imported statement, an
// invoice paid from the balance twice. Counts are cumulative.
func TestPaymentSettledMetric(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, svc := settleFixture(t) // customer C1 (symbol 1001), unpaid invoice 01INV of 24.00 EUR
	w, rec := metricstest.New(svc.Clock.Now)
	svc.Metrics = w
	for _, inv := range []*clientzone.Invoice{
		{ID: "02INV", Number: "FA2", Total: eur(1200), VAT: eur(200), VariableSymbol: "1001"},
		{ID: "03INV", Number: "FA3", Total: eur(300), VAT: eur(50)},
	} {
		inv.CustomerID, inv.Status, inv.IssuedOn, inv.DueOn = "C1", clientzone.InvoiceUnpaid, "2026-03-01", "2026-03-10"
		if err := db.PutInvoice(ctx, inv); err != nil {
			t.Fatal(err)
		}
	}

	const secret = "whsec_metrics"
	prov := &devpay.Provider{BaseURL: "http://127.0.0.1:8080", WebhookSecret: secret, Clock: svc.Clock}
	card := &billing.CardPayments{Store: db, Billing: svc, Provider: prov, Clock: svc.Clock,
		SuccessURL: "https://portal.example.com/done", CancelURL: "https://portal.example.com/cancel", TopUpMin: 100, TopUpMax: 100000}
	payer := &clientzone.Principal{Person: &clientzone.Person{ID: "P1", CustomerID: "C1", Email: "eva@example.sk", Language: clientzone.LangSK}}
	pay, err := card.PayInvoice(ctx, payer, "01INV")
	if err != nil {
		t.Fatal(err)
	}
	webhook := func(eventID string) (*billing.WebhookResult, error) {
		body := devpay.Event(eventID, "checkout.session.completed", pay.CheckoutID, pay.ID, "C1", eur(2400), today)
		h := http.Header{"Stripe-Signature": {stripe.SignatureHeader(body, secret, today)}}
		return card.HandleWebhook(ctx, prov, body, h)
	}
	statement := "date;amount;currency;variable_symbol\n2026-03-15;12,00;EUR;1001\n2026-03-15;5,00;EUR;1001\n"
	proformas := &billing.Proformas{Store: db, Billing: svc, Clock: svc.Clock}
	prepaid := &billing.Prepaid{Store: db, Clock: svc.Clock, Currency: "EUR", Metrics: w}

	steps := []struct {
		name string
		do   func(t *testing.T)
		want int // PaymentSettled so far
	}{
		{"card payment webhook", func(t *testing.T) {
			if res, err := webhook("evt_1"); err != nil || res.Duplicate {
				t.Fatalf("webhook: %+v, %v", res, err)
			}
			if inv, err := db.Invoice(ctx, "C1", "01INV"); err != nil || inv.Status != clientzone.InvoicePaid {
				t.Fatalf("invoice after the webhook: %+v, %v", inv, err)
			}
		}, 1},
		{"the same webhook replayed", func(t *testing.T) {
			if res, err := webhook("evt_1"); err != nil || !res.Duplicate {
				t.Fatalf("replay: %+v, %v", res, err)
			}
		}, 1},
		{"another event of the paid checkout", func(t *testing.T) {
			if _, err := webhook("evt_2"); err != nil {
				t.Fatalf("second event: %v", err)
			}
		}, 1},
		{"bank statement: an invoice and a top-up", func(t *testing.T) {
			lines, err := billing.ParseStatement(billing.FormatCSV, statement)
			if err != nil {
				t.Fatal(err)
			}
			res, err := proformas.ImportStatement(ctx, "ST1", lines)
			if err != nil || len(res.Matched) != 2 || res.Matched[0].Kind != billing.MatchInvoice || res.Matched[1].Kind != billing.MatchTopUp {
				t.Fatalf("import: %+v, %v", res, err)
			}
		}, 3},
		{"the same statement again", func(t *testing.T) {
			lines, _ := billing.ParseStatement(billing.FormatCSV, statement)
			res, err := proformas.ImportStatement(ctx, "ST1", lines)
			if err != nil || res.Duplicates != 2 || len(res.Matched) != 0 {
				t.Fatalf("re-import: %+v, %v", res, err)
			}
		}, 3},
		{"invoice paid from the balance", func(t *testing.T) {
			if _, err := prepaid.PayFromBalance(ctx, "C1", "03INV"); err != nil {
				t.Fatal(err)
			}
		}, 4},
		{"the same invoice from the balance again", func(t *testing.T) {
			if _, err := prepaid.PayFromBalance(ctx, "C1", "03INV"); clientzone.ErrorCode(err) != clientzone.ECONFLICT {
				t.Fatalf("paid twice: %v", err)
			}
		}, 4},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do(t)
			if got := rec.Sum(t, billing.MetricPaymentSettled); got != s.want {
				t.Errorf("PaymentSettled = %d, want %d", got, s.want)
			}
		})
	}
	for _, l := range rec.Lines(t) {
		if l.Name != billing.MetricPaymentSettled || l.Value != 1 || !l.Timestamp.Equal(today) {
			t.Errorf("line %+v, want PaymentSettled 1 at %s", l, today)
		}
	}
}
