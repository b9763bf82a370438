package schedule_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/schedule"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

var now0 = time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)

func newEnv(t testing.TB) (*schedule.Env, *dynamo.DB) {
	t.Helper()
	env, db, _ := newEnvTable(t)
	return env, db
}

// newEnvTable gives the jobs a fresh table; db reads and seeds it.
func newEnvTable(t testing.TB) (env *schedule.Env, db *dynamo.DB, table string) {
	t.Helper()
	table = dynamotest.NewTable(t)
	env = &schedule.Env{NewStore: dynamo.JobStores(dynamotest.Client(), table), DefaultLanguage: clientzone.LangEN, Currency: "EUR",
		SuspensionFees: map[string]int64{"EUR": 50, "HUF": 200}, AutopayDaysAhead: 5, AutopayDaysBack: 30}
	return env, dynamo.New(dynamotest.Client(), table), table
}

func date(t time.Time, days int) string { return t.AddDate(0, 0, days).Format(time.DateOnly) }

// seedCustomer creates a customer and, when lang is set, its admin person
// wanting every notification in lang.
func seedCustomer(t testing.TB, db *dynamo.DB, cid string, lang clientzone.Language) {
	t.Helper()
	ctx := context.Background()
	if err := db.PutCustomer(ctx, &clientzone.Customer{ID: cid, Name: "Customer " + cid, Email: "contact-" + cid + "@example.com", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if lang == "" {
		return
	}
	if err := db.PutPerson(ctx, &clientzone.Person{ID: "p-" + cid, CustomerID: cid, Email: "admin-" + cid + "@example.com",
		Role: clientzone.RoleAdmin, Language: lang, Notifications: clientzone.Notifications{Invoices: true, Expiry: true}}); err != nil {
		t.Fatal(err)
	}
}

func putServices(t testing.TB, db *dynamo.DB, cid string, svcs ...clientzone.Service) {
	t.Helper()
	for i := range svcs {
		if svcs[i].Price.Currency == "" {
			svcs[i].Price = clientzone.Money{Amount: 1000, Currency: "EUR"}
		}
		if svcs[i].Name == "" {
			svcs[i].Name = "Hosting " + svcs[i].ID
		}
	}
	if err := db.PutContract(context.Background(), &clientzone.Contract{ID: "ct-" + cid, CustomerID: cid, Number: "N-" + cid, Services: svcs}, ""); err != nil {
		t.Fatal(err)
	}
}

func run(t testing.TB, j schedule.Job, now time.Time) schedule.Report {
	t.Helper()
	rep, err := j.Run(context.Background(), now)
	if err != nil {
		t.Fatalf("%s at %s: %v", j.Name(), now, err)
	}
	if rep.Ops["Scan"] != 0 {
		t.Fatalf("%s issued a Scan", j.Name())
	}
	return rep
}

func outbox(t testing.TB, db *dynamo.DB, day time.Time, template string) []clientzone.Message {
	t.Helper()
	ms, err := db.OutboxMessages(context.Background(), day)
	if err != nil {
		t.Fatal(err)
	}
	var out []clientzone.Message
	for _, m := range ms {
		if m.Template == template {
			out = append(out, m)
		}
	}
	return out
}

func TestExpiryRemindersAtExactOffsets(t *testing.T) {
	env, db := newEnv(t)
	seedCustomer(t, db, "c1", clientzone.LangHU)
	putServices(t, db, "c1", clientzone.Service{ID: "s60", ExpiresOn: date(now0, 60)}, clientzone.Service{ID: "s30", ExpiresOn: date(now0, 30)})
	j := schedule.Jobs(env)["expiry-reminders"]
	sent := map[string][]int{} // service name → days (from now0) a reminder went out
	for d := 0; d <= 61; d++ {
		at := now0.AddDate(0, 0, d)
		rep := run(t, j, at)
		ms := outbox(t, db, at, "expiry-reminder")
		if rep.Done != len(ms) {
			t.Fatalf("day %d: report done %d, outbox %d", d, rep.Done, len(ms))
		}
		for _, m := range ms {
			sent[m.Data["serviceName"]] = append(sent[m.Data["serviceName"]], d)
			if m.To != "admin-c1@example.com" || m.Language != clientzone.LangHU || m.CustomerID != "c1" {
				t.Errorf("message %+v", m)
			}
			exp, _ := time.Parse(time.DateOnly, m.Data["expiresOn"])
			if want := fmt.Sprint(int(exp.Sub(time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)); m.Data["daysLeft"] != want {
				t.Errorf("daysLeft %s, want %s", m.Data["daysLeft"], want)
			}
		}
	}
	if got, want := fmt.Sprint(sent["Hosting s60"]), "[0 30 46 53 59]"; got != want {
		t.Errorf("s60 reminders on days %s, want %s", got, want)
	}
	// Expiring in 30 days: at now (30 left), none the next day, at +16 (14 left), +23, +29.
	if got, want := fmt.Sprint(sent["Hosting s30"]), "[0 16 23 29]"; got != want {
		t.Errorf("s30 reminders on days %s, want %s", got, want)
	}
}

func TestExpiryRemindersStopOnceRenewed(t *testing.T) {
	env, db := newEnv(t)
	ctx := context.Background()
	seedCustomer(t, db, "c1", clientzone.LangSK)
	old := date(now0, 30)
	putServices(t, db, "c1", clientzone.Service{ID: "s1", ExpiresOn: old})
	j := schedule.Jobs(env)["expiry-reminders"]
	if rep := run(t, j, now0); rep.Done != 1 {
		t.Fatalf("first reminder: %+v", rep)
	}
	renewed := date(now0, 30+365)
	tx := db.NewTx()
	if err := tx.ExtendService("c1", "ct-c1", "s1", old, renewed); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, d := range []int{16, 23, 29} {
		if rep := run(t, j, now0.AddDate(0, 0, d)); rep.Found != 0 || rep.Done != 0 {
			t.Errorf("day %d after renewal: %+v", d, rep)
		}
	}
	// The new date gets its own reminders.
	if rep := run(t, j, now0.AddDate(0, 0, 365)); rep.Done != 1 {
		t.Errorf("30 days before the new expiry: %+v", rep)
	}
	if ms := outbox(t, db, now0.AddDate(0, 0, 365), "expiry-reminder"); len(ms) != 1 || ms[0].Data["expiresOn"] != renewed {
		t.Errorf("reminder for the new date: %+v", ms)
	}
}

func TestExpiryRemindersExactlyOnce(t *testing.T) {
	env, db := newEnv(t)
	seedCustomer(t, db, "c1", clientzone.LangSK)
	seedCustomer(t, db, "c2", "") // no persons: the contact email
	putServices(t, db, "c1", clientzone.Service{ID: "a", ExpiresOn: date(now0, 7)}, clientzone.Service{ID: "b", ExpiresOn: date(now0, 1)},
		clientzone.Service{ID: "c", ExpiresOn: date(now0, 8)})
	putServices(t, db, "c2", clientzone.Service{ID: "d", ExpiresOn: date(now0, 60)})
	j := schedule.Jobs(env)["expiry-reminders"]
	first := run(t, j, now0)
	if first.Found != 3 || first.Done != 3 {
		t.Fatalf("first run: %+v", first)
	}
	if again := run(t, j, now0); again.Done != 0 || again.Skipped != 3 {
		t.Fatalf("second run: %+v", again)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Go(func() {
			if _, err := j.Run(context.Background(), now0.Add(time.Hour)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	ms := outbox(t, db, now0, "expiry-reminder")
	if len(ms) != 3 {
		t.Fatalf("outbox has %d reminders, want 3: %+v", len(ms), ms)
	}
	for _, m := range ms {
		if m.Data["serviceName"] == "Hosting d" && (m.To != "contact-c2@example.com" || m.Language != clientzone.LangEN) {
			t.Errorf("contact reminder %+v", m)
		}
	}
}

func TestConcurrentFirstRunsSendOnce(t *testing.T) {
	env, db := newEnv(t)
	for i := range 5 {
		cid := fmt.Sprintf("c%d", i)
		seedCustomer(t, db, cid, clientzone.LangEN)
		putServices(t, db, cid, clientzone.Service{ID: "s" + cid, ExpiresOn: date(now0, 14)})
	}
	j := schedule.Jobs(env)["expiry-reminders"]
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 5 {
		wg.Go(func() {
			rep, err := j.Run(context.Background(), now0)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += rep.Done
			mu.Unlock()
		})
	}
	wg.Wait()
	if n := len(outbox(t, db, now0, "expiry-reminder")); n != 5 || total != 5 {
		t.Fatalf("5 concurrent runs: %d messages, %d done; want 5", n, total)
	}
}

func TestOverdueRemindersOnce(t *testing.T) {
	env, db := newEnv(t)
	ctx := context.Background()
	seedCustomer(t, db, "c1", clientzone.LangSK)
	inv := func(id string, dueDays int, st clientzone.InvoiceStatus) {
		if err := db.PutInvoice(ctx, &clientzone.Invoice{ID: id, CustomerID: "c1", Number: "INV-" + id, Status: st,
			IssuedOn: date(now0, dueDays-14), DueOn: date(now0, dueDays), Total: clientzone.Money{Amount: 1234, Currency: "EUR"}}); err != nil {
			t.Fatal(err)
		}
	}
	inv("i1", -1, clientzone.InvoiceUnpaid)
	inv("i7", -7, clientzone.InvoiceUnpaid)
	inv("i7p", -7, clientzone.InvoicePaid)
	inv("i14", -14, clientzone.InvoiceUnpaid)
	inv("i3", -3, clientzone.InvoiceUnpaid) // no reminder on day 3
	inv("i0", 0, clientzone.InvoiceUnpaid)  // due today: not overdue
	j := schedule.Jobs(env)["overdue-reminders"]
	rep := run(t, j, now0)
	if rep.Found != 4 || rep.Done != 3 || rep.Skipped != 1 {
		t.Fatalf("report %+v", rep)
	}
	run(t, j, now0)
	run(t, j, now0.Add(2*time.Hour))
	ms := outbox(t, db, now0, "invoice-overdue")
	if len(ms) != 3 {
		t.Fatalf("overdue reminders %d, want 3", len(ms))
	}
	for _, m := range ms {
		if m.Data["amount"] != "12.34 EUR" || m.Data["invoiceNumber"] == "INV-i7p" || m.Data["dueOn"] == "" || m.Language != clientzone.LangSK {
			t.Errorf("message %+v", m)
		}
	}
}

func TestSuspensionFeesDaily(t *testing.T) {
	env, db := newEnv(t)
	ctx := context.Background()
	seedCustomer(t, db, "c1", clientzone.LangSK)
	putServices(t, db, "c1",
		clientzone.Service{ID: "free", SuspendedOn: date(now0, -59)},
		clientzone.Service{ID: "due", SuspendedOn: date(now0, -60)},
		clientzone.Service{ID: "long", SuspendedOn: date(now0, -100), ExpiresOn: date(now0, 30)},
		clientzone.Service{ID: "active", ExpiresOn: date(now0, 30)})
	j := schedule.Jobs(env)["suspension-fees"]
	if rep := run(t, j, now0); rep.Found != 3 || rep.Done != 2 || rep.Skipped != 1 {
		t.Fatalf("day 0: %+v", rep)
	}
	if rep := run(t, j, now0.Add(3*time.Hour)); rep.Done != 0 {
		t.Fatalf("rerun: %+v", rep)
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := j.Run(ctx, now0.AddDate(0, 0, 1)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// Day 1: all three are charged ("free" reaches its 60th day).
	sum, n, err := db.SumTransactions(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.Balance(ctx, "c1", "EUR")
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 || sum != -250 || b.Amount.Amount != sum {
		t.Fatalf("transactions %d sum %d balance %d; want 5, -250, -250", n, sum, b.Amount.Amount)
	}
}

func TestAutopay(t *testing.T) {
	env, db := newEnv(t)
	ctx := context.Background()
	seedCustomer(t, db, "c1", clientzone.LangSK)
	seedCustomer(t, db, "c2", clientzone.LangSK)
	for _, cid := range []string{"c1", "c2"} {
		tx := db.NewTx()
		if err := tx.Ledger(&clientzone.Transaction{CustomerID: cid, Kind: clientzone.TxnPayment, Amount: clientzone.Money{Amount: 1000, Currency: "EUR"},
			Reference: "topup-" + cid, CreatedAt: now0.AddDate(0, 0, -40)}, billing.LedgerOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveAutopay(ctx, "c1", &clientzone.Autopay{Enabled: true, Method: "balance"}, nil); err != nil {
		t.Fatal(err)
	}
	inv := func(cid, id string, dueDays int, amount int64) {
		if err := db.PutInvoice(ctx, &clientzone.Invoice{ID: id, CustomerID: cid, Number: "INV-" + id, Status: clientzone.InvoiceUnpaid,
			IssuedOn: date(now0, -20), DueOn: date(now0, dueDays), Total: clientzone.Money{Amount: amount, Currency: "EUR"}}); err != nil {
			t.Fatal(err)
		}
	}
	inv("c1", "a-overdue", -3, 300)
	inv("c1", "b-soon", 3, 400)
	inv("c1", "c-later", 20, 100) // beyond the 5 days ahead
	inv("c1", "d-big", 4, 900)    // balance too low after the others
	inv("c2", "e-noauto", 1, 100) // autopay not enabled
	j := schedule.Jobs(env)["autopay"]
	rep := run(t, j, now0)
	if rep.Found != 4 || rep.Done != 2 || rep.Skipped != 2 {
		t.Fatalf("report %+v", rep)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if _, err := j.Run(ctx, now0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	status := func(cid, id string) clientzone.InvoiceStatus {
		i, err := db.Invoice(ctx, cid, id)
		if err != nil {
			t.Fatal(err)
		}
		return i.Status
	}
	for id, want := range map[string]clientzone.InvoiceStatus{"a-overdue": clientzone.InvoicePaid, "b-soon": clientzone.InvoicePaid,
		"c-later": clientzone.InvoiceUnpaid, "d-big": clientzone.InvoiceUnpaid} {
		if got := status("c1", id); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
	if got := status("c2", "e-noauto"); got != clientzone.InvoiceUnpaid {
		t.Errorf("c2 invoice paid without autopay")
	}
	sum, n, _ := db.SumTransactions(ctx, "c1")
	b, _ := db.Balance(ctx, "c1", "EUR")
	if n != 3 || sum != 300 || b.Amount.Amount != 300 {
		t.Fatalf("c1 ledger: %d transactions, sum %d, balance %d; want 3, 300, 300", n, sum, b.Amount.Amount)
	}
}

// TestHandlerInput checks the Lambda payloads: the events/<job>.json
// samples (EventBridge Scheduler's {"now": ...}), an empty payload (the
// clock), and a bad now.
func TestHandlerInput(t *testing.T) {
	env, _ := newEnv(t)
	clock := clientzone.FixedClock(now0)
	for name, j := range schedule.Jobs(env) {
		raw, err := os.ReadFile("../../events/" + name + "-job.json")
		if err != nil {
			t.Fatal(err)
		}
		var in schedule.Input
		if err := json.Unmarshal(raw, &in); err != nil {
			t.Fatal(err)
		}
		rep, err := schedule.Handler(j, clock, nil)(context.Background(), in)
		if err != nil || rep.Job != name || rep.Now != in.Now || rep.Ops["Query"] == 0 {
			t.Errorf("%s sample: %+v, %v", name, rep, err)
		}
	}
	j := schedule.Jobs(env)["expiry-reminders"]
	if rep, err := schedule.Handler(j, clock, nil)(context.Background(), schedule.Input{}); err != nil || rep.Now != now0.Format(time.RFC3339) {
		t.Errorf("empty input: %+v, %v", rep, err)
	}
	if _, err := schedule.Handler(j, clock, nil)(context.Background(), schedule.Input{Now: "tomorrow"}); err == nil {
		t.Error("bad now accepted")
	}
}

func TestParseFees(t *testing.T) {
	f, err := schedule.ParseFees("EUR:50, HUF:200")
	if err != nil || f["EUR"] != 50 || f["HUF"] != 200 || len(f) != 2 {
		t.Fatalf("%v %v", f, err)
	}
	for _, bad := range []string{"EUR", "EUR:x", "EURO:5", "EUR:-1"} {
		if _, err := schedule.ParseFees(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
