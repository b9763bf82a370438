package contracts_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// pinOK accepts "1234" only.
type pinOK struct{}

func (pinOK) Verify(_ context.Context, _, pin string) error {
	switch pin {
	case "":
		return clientzone.Errorf(clientzone.EPINREQUIRED, "This action needs your authorization PIN.")
	case "1234":
		return nil
	}
	return clientzone.Errorf(clientzone.EPININVALID, "The authorization PIN is wrong.")
}

var now0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func setup(t *testing.T) (*contracts.Service, *dynamo.DB, *clientzone.Person) {
	t.Helper()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	if err := db.PutCustomer(ctx, &clientzone.Customer{ID: cid, Name: "C", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	for _, tr := range []*clientzone.Tariff{
		{ID: "fiber-300", Kind: clientzone.ServiceInternet, Name: "Fiber 300", Price: clientzone.Money{Amount: 1990, Currency: "EUR"}, BillingPeriod: "monthly", Available: true},
		{ID: "fiber-1000", Kind: clientzone.ServiceInternet, Name: "Fiber 1000", Price: clientzone.Money{Amount: 3490, Currency: "EUR"}, BillingPeriod: "monthly", Available: true},
		{ID: "web-s", Kind: clientzone.ServiceHosting, Name: "Web S", Price: clientzone.Money{Amount: 2990, Currency: "EUR"}, BillingPeriod: "yearly", Available: true},
		{ID: "web-l", Kind: clientzone.ServiceHosting, Name: "Web L", Price: clientzone.Money{Amount: 5990, Currency: "EUR"}, BillingPeriod: "yearly", Available: true},
		{ID: "ip", Kind: clientzone.ServiceInternet, Name: "Public IP", Price: clientzone.Money{Amount: 300, Currency: "EUR"}, BillingPeriod: "monthly", Addon: true, Available: true},
	} {
		if err := db.PutTariff(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	c := &clientzone.Contract{ID: "CT1", CustomerID: cid, Number: "N1", Status: clientzone.StatusActive, Services: []clientzone.Service{
		{ID: "NET", Kind: clientzone.ServiceInternet, Name: "Net", TariffID: "fiber-300", Status: clientzone.StatusActive, BillingPeriod: "monthly",
			Price: clientzone.Money{Amount: 1990, Currency: "EUR"}, NextChargeDate: "2026-12-01"},
		{ID: "WEB", Kind: clientzone.ServiceHosting, Name: "Web", TariffID: "web-s", Status: clientzone.StatusActive, BillingPeriod: "yearly",
			Price: clientzone.Money{Amount: 2990, Currency: "EUR"}, ExpiresOn: "2027-03-14"},
	}}
	if err := db.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	p := &clientzone.Person{ID: "P1", CustomerID: cid, Name: "Jan", Email: "jan@example.sk", Role: clientzone.RoleAdmin, Language: clientzone.LangSK}
	svc := &contracts.Service{Store: db, PIN: pinOK{}, Clock: clientzone.FixedClock(now0), SuspensionFees: map[string]int64{"EUR": 50}, Currency: "EUR"}
	return svc, db, p
}

func TestTariffChangeEffectiveDates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	// Monthly: from the next charge date.
	res, err := svc.ChangeTariff(ctx, r, "CT1", "NET", "fiber-1000")
	if err != nil || res.Change.EffectiveOn != "2026-12-01" || res.Current != "fiber-300" {
		t.Fatalf("monthly change = %+v, %v", res, err)
	}
	// Prepaid yearly: from the day after it expires.
	res, err = svc.ChangeTariff(ctx, r, "CT1", "WEB", "web-l")
	if err != nil || res.Change.EffectiveOn != "2027-03-15" {
		t.Fatalf("yearly change = %+v, %v", res, err)
	}
	// A second request replaces the pending one.
	if _, err := svc.ChangeTariff(ctx, r, "CT1", "NET", "fiber-1000"); err != nil {
		t.Fatalf("replacing the pending change: %v", err)
	}
	if _, err := svc.ChangeTariff(ctx, r, "CT1", "NET", "web-l"); clientzone.ErrorCode(err) != clientzone.EINVALID {
		t.Fatalf("other kind: %v", err)
	}
	if _, err := svc.ChangeTariff(ctx, contracts.Request{Person: p}, "CT1", "NET", "fiber-1000"); clientzone.ErrorCode(err) != clientzone.EPINREQUIRED {
		t.Fatalf("no PIN: %v", err)
	}

	// Before the date the view shows the pending change; from it, the new tariff.
	v, err := svc.Get(ctx, p.CustomerID, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if s := v.Services[0]; s.TariffID != "fiber-300" || s.TariffName != "Fiber 300" || s.PendingTariffChange == nil {
		t.Fatalf("before: %+v", s)
	}
	svc.Clock = clientzone.FixedClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	v, err = svc.Get(ctx, p.CustomerID, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if s := v.Services[0]; s.TariffID != "fiber-1000" || s.TariffName != "Fiber 1000" || s.Price.Amount != 3490 || s.PendingTariffChange != nil {
		t.Fatalf("on the effective date: %+v", s)
	}
	if s := v.Services[1]; s.TariffID != "web-s" || s.PendingTariffChange == nil {
		t.Fatalf("yearly service before its date: %+v", s)
	}
}

func TestSuspensionInfoAndFees(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	v, err := svc.Suspend(ctx, r, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	want := contracts.SuspensionInfo{Kind: clientzone.SuspensionVoluntary, Since: "2026-11-23", FreeUntil: "2027-01-21", FeesFrom: "2027-01-22",
		DailyFee: clientzone.Money{Amount: 100, Currency: "EUR"}, DailyFeePerService: clientzone.Money{Amount: 50, Currency: "EUR"}, SuspendedServices: 2}
	if v.Suspension == nil || *v.Suspension != want || v.Status != clientzone.StatusSuspended {
		t.Fatalf("suspension = %+v, want %+v", v.Suspension, want)
	}
	if _, err := svc.Suspend(ctx, r, "CT1"); err != contracts.ErrAlreadySuspended {
		t.Fatalf("second suspension: %v", err)
	}
	if _, err := svc.Resume(ctx, contracts.Request{Person: p, PIN: "9999"}, "CT1"); clientzone.ErrorCode(err) != clientzone.EPININVALID {
		t.Fatalf("resume with a wrong PIN: %v", err)
	}
	v, err = svc.Resume(ctx, r, "CT1")
	if err != nil || v.Status != clientzone.StatusActive || v.Suspension != nil {
		t.Fatalf("resumed = %+v, %v", v, err)
	}
}

func TestDebtBlocksTermination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	for _, amt := range []int64{1990, 2500} {
		if err := db.PutInvoice(ctx, &clientzone.Invoice{ID: clientzone.NewID(), CustomerID: p.CustomerID, Status: clientzone.InvoiceUnpaid,
			DueOn: "2026-12-10", Total: clientzone.Money{Amount: amt, Currency: "EUR"}}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := svc.DebtOf(ctx, p.CustomerID, "EUR")
	if err != nil || d.UnpaidInvoices != 2 || d.Amounts["EUR"] != 4490 || d.String() != "44.90 EUR" {
		t.Fatalf("debt = %+v, %v", d, err)
	}
	_, err = svc.RequestTermination(ctx, r, "CT1", "2026-12-31", "")
	if clientzone.ErrorCode(err) != clientzone.EDEBT || clientzone.ErrorMessage(err) !=
		"You owe 44.90 EUR (2 unpaid invoices or a negative prepaid balance); pay it before asking for termination." {
		t.Fatalf("termination with debt: %v", err)
	}
	if _, err := svc.RequestTermination(ctx, r, "CT1", "2026-11-22", ""); clientzone.ErrorCode(err) != clientzone.EINVALID {
		t.Fatalf("past end date: %v", err)
	}
	if _, err := svc.RequestTermination(ctx, r, "NOPE", "2026-12-31", ""); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("unknown contract: %v", err)
	}
	if got := contracts.FormatMoney(clientzone.Money{Amount: -5, Currency: "HUF"}); got != "-0.05 HUF" {
		t.Errorf("FormatMoney = %q", got)
	}
}
