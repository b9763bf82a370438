package devserver

import (
	"context"
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/metrics/metricstest"
	"github.com/clientzone/clientzone/shared/schedule"
)

// TestMetricsThroughTheAPI checks the wiring of the business metrics: the
// handlers built by app's constructors (and the jobs by app.JobEnv) write
// them to the Deps' writer. It drives the public and back-office APIs;
// totals are cumulative over the steps.
func TestMetricsThroughTheAPI(t *testing.T) {
	t.Parallel()
	rec := &metricstest.Recorder{}
	st, srv, _ := newStackWith(t, func(o *Options) { o.Metrics = rec })
	ctx := context.Background()
	today := time.Now().UTC()
	const cid, vs = "crm-metrics-1", "3000777"

	var webhookBody []byte
	runJob := func(t *testing.T, name string) schedule.Report {
		t.Helper()
		rep, err := schedule.Handler(schedule.Jobs(app.JobEnv(st.Deps))[name], st.Deps.Clock, st.Deps.Metrics)(ctx, schedule.Input{})
		if err != nil {
			t.Fatalf("%s: %+v, %v", name, rep, err)
		}
		return rep
	}
	statement := func(t *testing.T) importBody {
		t.Helper()
		return importStatement(t, srv.URL, "csv", "ST-METRICS", "date;amount;currency;variable_symbol\n"+today.Format(time.DateOnly)+";25,00;EUR;"+vs+"\n")
	}

	// Each step adds counts to the totals; a job's reminders are known
	// once it ran (the demo data may have overdue invoices too).
	steps := []struct {
		name string
		do   func(t *testing.T) (added map[string]int)
	}{
		{"login", func(t *testing.T) map[string]int {
			login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
			return map[string]int{account.MetricLoginSucceeded: 1}
		}},
		{"wrong password", func(t *testing.T) map[string]int {
			if r := loginResp(t, srv.URL, "eva.novakova@example.sk", "Zle-Heslo"); r.status != 401 {
				t.Fatalf("wrong password: %d %s", r.status, r.body)
			}
			return map[string]int{account.MetricLoginFailed: 1}
		}},
		{"card payment confirmed by the provider's webhook", func(t *testing.T) map[string]int {
			bills := login(t, srv.URL, "eva.novakova@example.sk", demo.BillsPassword)
			inv := unpaidInvoice(t, st)
			card := startInvoicePayment(t, srv.URL, bills.AccessToken, inv.ID)
			webhookBody = completedEvent(t, st, card.PaymentID, inv.Total)
			if r := webhook(t, srv.URL, DevWebhookSecret, webhookBody, time.Now()); r.status != 200 {
				t.Fatalf("webhook: %d %s", r.status, r.body)
			}
			return map[string]int{account.MetricLoginSucceeded: 1, billing.MetricPaymentSettled: 1}
		}},
		{"the webhook replayed", func(t *testing.T) map[string]int {
			if r := webhook(t, srv.URL, DevWebhookSecret, webhookBody, time.Now()); r.status != 200 {
				t.Fatalf("replayed webhook: %d %s", r.status, r.body)
			}
			return nil
		}},
		{"back office: a customer with an invoice due yesterday", func(t *testing.T) map[string]int {
			decodeJSON[map[string]any](t, do(t, "PUT", srv.URL+"/admin/v1/customers/"+cid, "", customerBody(func(m map[string]any) {
				m["variableSymbol"], m["email"] = vs, "metrics@example.sk"
			})), 201)
			eur := func(a int64) map[string]any { return map[string]any{"amount": a, "currency": "EUR"} }
			b, _ := json.Marshal(map[string]any{"number": "MET-2026-0001", "status": "unpaid",
				"issuedOn": today.AddDate(0, 0, -9).Format(time.DateOnly), "dueOn": today.AddDate(0, 0, -1).Format(time.DateOnly),
				"total": eur(2500), "vat": eur(468),
				"lines": []any{map[string]any{"description": "Internet", "quantity": 1, "unitPrice": eur(2500), "total": eur(2500)}}})
			decodeJSON[upsertedInvoice](t, do(t, "PUT", srv.URL+"/admin/v1/customers/"+cid+"/invoices/"+clientzone.NewID(), "", string(b)), 201)
			return nil
		}},
		{"overdue reminders job", func(t *testing.T) map[string]int {
			rep := runJob(t, "overdue-reminders")
			if rep.Done < 1 {
				t.Fatalf("report %+v: the invoice due yesterday got no reminder", rep)
			}
			return map[string]int{schedule.MetricReminderSent: rep.Done}
		}},
		{"overdue reminders job rerun", func(t *testing.T) map[string]int {
			if rep := runJob(t, "overdue-reminders"); rep.Done != 0 {
				t.Fatalf("rerun sent again: %+v", rep)
			}
			return nil
		}},
		{"bank statement pays the invoice", func(t *testing.T) map[string]int {
			if res := statement(t); len(res.Matched) != 1 || res.Matched[0].Kind != billing.MatchInvoice {
				t.Fatalf("import: %+v", res)
			}
			return map[string]int{billing.MetricPaymentSettled: 1}
		}},
		{"the statement re-imported", func(t *testing.T) map[string]int {
			if res := statement(t); res.Duplicates != 1 || len(res.Matched) != 0 {
				t.Fatalf("re-import: %+v", res)
			}
			return nil
		}},
	}
	want := map[string]int{}
	for _, s := range steps {
		ok := t.Run(s.name, func(t *testing.T) {
			for name, n := range s.do(t) {
				want[name] += n
			}
			got := rec.Sums(t)
			delete(got, schedule.MetricJobFailed) // 0 per run, checked below
			if !maps.Equal(got, want) {
				t.Errorf("metrics %v, want %v", got, want)
			}
		})
		if !ok {
			return // later steps build on this one
		}
	}
	var runs int
	for _, l := range rec.Lines(t) {
		if l.Namespace != st.Deps.Config.MetricsNamespace {
			t.Errorf("line in namespace %q, want %q", l.Namespace, st.Deps.Config.MetricsNamespace)
		}
		if l.Name == schedule.MetricJobFailed {
			runs++
			if l.Value != 0 {
				t.Errorf("JobFailed %d for a successful run", l.Value)
			}
		}
	}
	if runs != 2 {
		t.Errorf("%d JobFailed lines, want one per job run (2)", runs)
	}
}
