package contracts_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
	"github.com/clientzone/clientzone/shared/dynamo"
)

// at is svc with its clock at now0 + days.
func at(svc *contracts.Service, days int) *contracts.Service {
	c := *svc
	c.Clock = clientzone.FixedClock(now0.AddDate(0, 0, days))
	return &c
}

// upsert writes contract CT1 of p's customer through the back office.
func upsert(t *testing.T, svc *contracts.Service, db *dynamo.DB, cid string, edit func(c *clientzone.Contract), u *contracts.ContractUpsert) (*contracts.ContractView, error) {
	t.Helper()
	c, err := db.Contract(context.Background(), cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	c.Termination = nil
	for i := range c.Services {
		c.Services[i].PendingTariffChange = nil // the back office sends none
		c.Services[i].Version = 0
	}
	if edit != nil {
		edit(c)
	}
	if u == nil {
		u = &contracts.ContractUpsert{}
	}
	u.Contract = c
	return svc.UpsertContract(context.Background(), u)
}

func contractEvents(t *testing.T, db *dynamo.DB, cid string) []string {
	t.Helper()
	msgs, err := db.OutboxMessages(context.Background(), now0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Channel == clientzone.ChannelEvent && m.CustomerID == cid && strings.HasPrefix(m.Template, contracts.ContractEventPrefix) {
			var d contracts.ContractEvent
			if err := json.Unmarshal([]byte(m.Data["detail"]), &d); err != nil || d.ContractID != "CT1" || d.ContractNumber != "N1" || d.PersonID != "P1" {
				t.Errorf("event %s detail = %s (%v)", m.Template, m.Data["detail"], err)
			}
			out = append(out, strings.TrimPrefix(m.Template, contracts.ContractEventPrefix))
		}
	}
	return out
}

func TestProviderSuspensionCannotBeResumedOrCharged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	// The back office blocks the contract (no kind given: provider).
	v, err := upsert(t, svc, db, p.CustomerID, func(c *clientzone.Contract) {
		c.Status = clientzone.StatusSuspended
		for i := range c.Services {
			c.Services[i].Status, c.Services[i].SuspendedOn = clientzone.StatusSuspended, "2026-11-20"
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := v.Suspension; s == nil || s.Kind != clientzone.SuspensionProvider || s.FeesFrom != "" || s.DailyFee.Amount != 0 ||
		v.Services[0].SuspensionKind != clientzone.SuspensionProvider {
		t.Fatalf("provider suspension = %+v", v.Suspension)
	}
	if _, err := svc.Resume(ctx, r, "CT1"); !errors.Is(err, contracts.ErrProviderSuspension) || clientzone.ErrorCode(err) != clientzone.ESUSPENDEDBYPROVIDER {
		t.Fatalf("resume of a provider block: %v", err)
	}
	c, err := db.Contract(ctx, p.CustomerID, "CT1")
	if err != nil || c.Status != clientzone.StatusSuspended || c.SuspensionKind != clientzone.SuspensionProvider {
		t.Fatalf("after the refused resume: %+v, %v", c, err)
	}
	noKind := func(c *clientzone.Contract) {
		c.SuspensionKind = ""
		for i := range c.Services {
			c.Services[i].SuspensionKind = ""
		}
	}
	// A re-upsert without kind keeps it; the back office lifts it.
	if v, err = upsert(t, svc, db, p.CustomerID, noKind, nil); err != nil || v.Suspension.Kind != clientzone.SuspensionProvider {
		t.Fatalf("re-upsert = %+v, %v", v, err)
	}
	// A voluntary suspension re-upserted by the back office stays voluntary
	// (and resumable).
	if _, err := upsert(t, svc, db, p.CustomerID, func(c *clientzone.Contract) {
		c.Status, c.SuspendedOn, c.SuspensionKind = clientzone.StatusActive, "", ""
		for i := range c.Services {
			c.Services[i].Status, c.Services[i].SuspendedOn, c.Services[i].SuspensionKind = clientzone.StatusActive, "", ""
		}
	}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Suspend(ctx, r, "CT1"); err != nil {
		t.Fatal(err)
	}
	if v, err = upsert(t, svc, db, p.CustomerID, noKind, nil); err != nil || v.Suspension.Kind != clientzone.SuspensionVoluntary || v.Suspension.FeesFrom != "2027-01-22" {
		t.Fatalf("re-upsert of a voluntary suspension = %+v, %v", v, err)
	}
	if _, err := svc.Resume(ctx, r, "CT1"); err != nil {
		t.Fatal(err)
	}
	if got := contractEvents(t, db, p.CustomerID); strings.Join(got, ",") != "suspend,resume" {
		t.Errorf("events = %v", got)
	}
}

func TestFreeSuspensionDaysPerYear(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	// 2026-11-23: suspended with 60 free days.
	v, err := svc.Suspend(ctx, r, "CT1")
	if err != nil || v.Suspension.FeesFrom != "2027-01-22" {
		t.Fatalf("first suspension = %+v, %v", v, err)
	}
	// Resumed after 10 days, suspended again: 50 free days left.
	if _, err := at(svc, 10).Resume(ctx, r, "CT1"); err != nil {
		t.Fatal(err)
	}
	v, err = at(svc, 11).Suspend(ctx, r, "CT1")
	if err != nil || v.Suspension.Since != "2026-12-04" || v.Suspension.FeesFrom != "2027-01-23" || v.Suspension.FreeUntil != "2027-01-22" {
		t.Fatalf("second suspension = %+v, %v", v.Suspension, err)
	}
	c, err := db.Contract(ctx, p.CustomerID, "CT1")
	if err != nil || c.FreeSuspensionYear != 2026 || c.FreeSuspensionDaysUsed != 10 || c.FeesFrom != "2027-01-23" || c.Services[0].FeesFrom != "2027-01-23" {
		t.Fatalf("stored = %+v, %v", c, err)
	}
	// Resumed after the free days ran out: all 60 used in 2026; another
	// suspension in 2026 is charged from its first day.
	if _, err := at(svc, 80).Resume(ctx, r, "CT1"); err != nil {
		t.Fatal(err)
	}
	c, _ = db.Contract(ctx, p.CustomerID, "CT1")
	if c.FreeSuspensionDaysUsed != 60 || c.FreeSuspensionYear != 2026 || c.FeesFrom != "" {
		t.Fatalf("after the second resume: %+v", c)
	}
	// 2027 (now0 + 80 days = 2027-02-11) has its own 60 days.
	v, err = at(svc, 81).Suspend(ctx, r, "CT1")
	if err != nil || v.Suspension.FeesFrom != "2027-04-13" {
		t.Fatalf("2027 suspension = %+v, %v", v.Suspension, err)
	}
}

func TestFreeDaysExhaustedChargesFromDayOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	c, err := db.Contract(ctx, p.CustomerID, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	c.FreeSuspensionYear, c.FreeSuspensionDaysUsed = 2026, 60
	if err := db.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Suspend(ctx, r, "CT1")
	if err != nil || v.Suspension.FeesFrom != "2026-11-23" || v.Suspension.FreeUntil != "" {
		t.Fatalf("suspension without free days = %+v, %v", v.Suspension, err)
	}
}

func TestUpsertKeepsPendingTariffChangeAndResolvesTermination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	if _, err := svc.ChangeTariff(ctx, r, "CT1", "NET", "fiber-1000"); err != nil {
		t.Fatal(err)
	}
	// An upsert without pendingTariffChange keeps it.
	v, err := upsert(t, svc, db, p.CustomerID, func(c *clientzone.Contract) { c.Services[0].Name = "Net renamed" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pc := v.Services[0].PendingTariffChange; v.Services[0].Name != "Net renamed" || pc == nil || pc.TariffID != "fiber-1000" || pc.RequestedBy != "P1" {
		t.Fatalf("after the upsert: %+v", v.Services[0])
	}
	// Explicitly cleared (PendingSet with nil).
	v, err = upsert(t, svc, db, p.CustomerID, nil, &contracts.ContractUpsert{PendingSet: map[string]bool{"NET": true}})
	if err != nil || v.Services[0].PendingTariffChange != nil {
		t.Fatalf("after clearing: %+v, %v", v.Services[0], err)
	}
	// Set by the back office: name and price from the catalogue.
	v, err = upsert(t, svc, db, p.CustomerID, func(c *clientzone.Contract) {
		c.Services[0].PendingTariffChange = &clientzone.TariffChange{TariffID: "fiber-1000", EffectiveOn: "2027-01-01", RequestedBy: "back-office"}
	}, &contracts.ContractUpsert{PendingSet: map[string]bool{"NET": true}})
	if pc := v.Services[0].PendingTariffChange; err != nil || pc == nil || pc.TariffName != "Fiber 1000" || pc.Price.Amount != 3490 {
		t.Fatalf("after setting: %+v, %v", v.Services[0], err)
	}
	// Applied by the back office (the service now has the tariff): dropped.
	v, err = upsert(t, svc, db, p.CustomerID, func(c *clientzone.Contract) {
		c.Services[0].TariffID, c.Services[0].Price.Amount = "fiber-1000", 3490
	}, nil)
	if err != nil || v.Services[0].PendingTariffChange != nil || v.Services[0].TariffID != "fiber-1000" {
		t.Fatalf("after applying: %+v, %v", v.Services[0], err)
	}

	// Termination: nothing pending to resolve; then request, reject, ask again.
	if _, err := upsert(t, svc, db, p.CustomerID, nil, &contracts.ContractUpsert{TerminationStatus: clientzone.TerminationRejected}); !errors.Is(err, contracts.ErrNoPendingTermination) {
		t.Fatalf("resolving nothing: %v", err)
	}
	if _, err := svc.RequestTermination(ctx, r, "CT1", "2026-12-31", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RequestTermination(ctx, r, "CT1", "2026-12-31", ""); !errors.Is(err, contracts.ErrTerminationPending) {
		t.Fatalf("second request: %v", err)
	}
	v, err = upsert(t, svc, db, p.CustomerID, nil, &contracts.ContractUpsert{TerminationStatus: clientzone.TerminationRejected})
	if err != nil || v.TerminationRequest == nil || v.TerminationRequest.Status != clientzone.TerminationRejected {
		t.Fatalf("rejected = %+v, %v", v, err)
	}
	if _, err := svc.RequestTermination(ctx, r, "CT1", "2027-01-31", ""); err != nil {
		t.Fatalf("request after a rejection: %v", err)
	}
	// Terminating the contract accepts the pending request.
	v, err = upsert(t, svc, db, p.CustomerID, func(c *clientzone.Contract) { c.Status = clientzone.StatusTerminated }, nil)
	if err != nil || v.TerminationRequest.Status != clientzone.TerminationAccepted || v.TerminationRequest.DesiredEndOn != "2027-01-31" {
		t.Fatalf("terminated = %+v, %v", v.TerminationRequest, err)
	}
	if got := contractEvents(t, db, p.CustomerID); strings.Join(got, ",") != "tariff_change,termination_request,termination_request" {
		t.Errorf("events = %v", got)
	}
}

func TestContractValidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	if err := db.PutTariff(ctx, &clientzone.Tariff{ID: "fiber-year", Kind: clientzone.ServiceInternet, Name: "Fiber yearly",
		Price: clientzone.Money{Amount: 19900, Currency: "EUR"}, BillingPeriod: "yearly", Available: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutTariff(ctx, &clientzone.Tariff{ID: "dns-extra", Kind: clientzone.ServiceDomain, Name: "DNS extra",
		Price: clientzone.Money{Amount: 500, Currency: "EUR"}, BillingPeriod: "monthly", Addon: true, Available: true}); err != nil {
		t.Fatal(err)
	}
	field := func(err error) string {
		var e *clientzone.Error
		if !errors.As(err, &e) || e.Code != clientzone.EINVALID || len(e.Fields) != 1 {
			return "not a field error: " + clientzone.ErrorMessage(err)
		}
		return e.Fields[0].Field + ":" + e.Fields[0].Code
	}
	// Monthly service, yearly tariff.
	if _, err := svc.ChangeTariff(ctx, r, "CT1", "NET", "fiber-year"); field(err) != "tariffId:billing_period" {
		t.Errorf("monthly to yearly: %v", field(err))
	}
	// A domain addon on a contract without a domain.
	if _, err := svc.AddAddon(ctx, r, "CT1", "dns-extra"); field(err) != "tariffId:kind" {
		t.Errorf("addon of another kind: %v", field(err))
	}
	if _, err := svc.AddAddon(ctx, r, "CT1", "ip"); err != nil {
		t.Errorf("internet addon: %v", err)
	}
	// Upsert: unknown tariff, foreign currency.
	_, err := upsert(t, svc, db, p.CustomerID, func(c *clientzone.Contract) { c.Services[1].TariffID = "nope" }, nil)
	if field(err) != "services[1].tariffId:unknown" {
		t.Errorf("unknown tariff: %v", field(err))
	}
	_, err = upsert(t, svc, db, p.CustomerID, func(c *clientzone.Contract) { c.Services[0].Price.Currency = "HUF" }, nil)
	if field(err) != "services[0].price.currency:currency" {
		t.Errorf("foreign currency: %v", field(err))
	}
}

// conflictStore runs a concurrent change right before the use case's write.
type conflictStore struct {
	*dynamo.DB
	before func()
}

func (s conflictStore) WriteContractChange(ctx context.Context, ch *clientzone.ContractChange) error {
	if s.before != nil {
		s.before()
	}
	return s.DB.WriteContractChange(ctx, ch)
}

func TestConcurrentChangesHaveTheirOwnConflicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base, db, p := setup(t)
	r := contracts.Request{Person: p, PIN: "1234"}
	cid := p.CustomerID
	with := func(before func()) *contracts.Service {
		s := *base
		s.Store = conflictStore{DB: db, before: before}
		return &s
	}
	// A card renewal between reading and suspending: the suspension fails
	// with the service conflict and the new expiry stays.
	renew := func() {
		tx := db.NewTx()
		if err := tx.ExtendService(cid, "CT1", "WEB", "2027-03-14", "2028-03-14"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := with(renew).Suspend(ctx, r, "CT1"); !errors.Is(err, contracts.ErrServiceChanged) {
		t.Fatalf("suspend during a renewal: %v", err)
	}
	if _, err := base.Suspend(ctx, r, "CT1"); err != nil {
		t.Fatal(err)
	}
	c, err := db.Contract(ctx, cid, "CT1")
	if err != nil || c.Status != clientzone.StatusSuspended || c.Services[1].ExpiresOn != "2028-03-14" || c.Services[1].Status != clientzone.StatusSuspended {
		t.Fatalf("after renewal + suspend: %+v, %v", c, err)
	}
	if _, err := base.Resume(ctx, r, "CT1"); err != nil {
		t.Fatal(err)
	}
	// A concurrent tariff change: the later one fails.
	other := func() {
		if _, err := base.ChangeTariff(ctx, r, "CT1", "NET", "fiber-1000"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := with(other).ChangeTariff(ctx, r, "CT1", "NET", "fiber-1000"); !errors.Is(err, contracts.ErrServiceChanged) {
		t.Fatalf("concurrent tariff change: %v", err)
	}
	// Suspending while the contract was suspended meanwhile: not "already
	// suspended" but changed.
	suspend := func() {
		if _, err := base.Suspend(ctx, r, "CT1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := with(suspend).Suspend(ctx, r, "CT1"); !errors.Is(err, contracts.ErrContractChanged) {
		t.Fatalf("concurrent suspension: %v", err)
	}
	if _, err := base.Resume(ctx, r, "CT1"); err != nil {
		t.Fatal(err)
	}
	// Removing an addon: removed meanwhile → not found; contract changed
	// meanwhile → changed.
	add, err := base.AddAddon(ctx, r, "CT1", "ip")
	if err != nil {
		t.Fatal(err)
	}
	removeFirst := func() {
		if _, err := base.RemoveAddon(ctx, r, "CT1", add.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := with(removeFirst).RemoveAddon(ctx, r, "CT1", add.ID); !errors.Is(err, contracts.ErrAddonNotFound) {
		t.Fatalf("addon removed meanwhile: %v", err)
	}
	add, err = base.AddAddon(ctx, r, "CT1", "ip")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := with(suspend).RemoveAddon(ctx, r, "CT1", add.ID); !errors.Is(err, contracts.ErrContractChanged) {
		t.Fatalf("contract suspended meanwhile: %v", err)
	}
}
