package dynamo_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/schedule"
)

func TestTariffs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	for _, tr := range []*clientzone.Tariff{
		{ID: "fiber-300", Kind: clientzone.ServiceInternet, Name: "Fiber 300", Price: clientzone.Money{Amount: 1990, Currency: "EUR"},
			BillingPeriod: "monthly", Parameters: map[string]string{"downloadMbps": "300"}, Available: true},
		{ID: "ip", Kind: clientzone.ServiceInternet, Name: "Public IP", Addon: true, Available: true},
		{ID: "voip", Kind: clientzone.ServiceVoIP, Name: "VoIP"},
	} {
		if err := db.PutTariff(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Tariffs(ctx, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("Tariffs() = %d, %v", len(all), err)
	}
	inet, err := db.Tariffs(ctx, clientzone.ServiceInternet)
	if err != nil || len(inet) != 2 || inet[0].ID != "fiber-300" || inet[0].Parameters["downloadMbps"] != "300" || !inet[1].Addon {
		t.Fatalf("Tariffs(internet) = %+v, %v", inet, err)
	}
	if none, err := db.Tariffs(ctx, clientzone.ServiceTV); err != nil || none == nil || len(none) != 0 {
		t.Fatalf("Tariffs(tv) = %#v, %v", none, err)
	}
	got, err := db.Tariff(ctx, "voip")
	if err != nil || got.Name != "VoIP" || got.Available {
		t.Fatalf("Tariff(voip) = %+v, %v", got, err)
	}
	wantErrCode(t, func() error { _, err := db.Tariff(ctx, "nope"); return err }(), clientzone.ENOTFOUND)
}

// A suspended service with an expiry date is on both job indexes: GSI1
// SUSPENDED (suspension fees) and GSI2 EXPIRY#<date> (expiry reminders).
func TestSuspendedServiceKeepsExpiryIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	c := newContract(cid, "CT1", "N1", "S1", "S2", "S3")
	c.Services[0].SuspendedOn, c.Services[0].Status, c.Services[0].ExpiresOn = "2026-10-01", clientzone.StatusSuspended, "2027-01-15"
	c.Services[1].ExpiresOn = "2027-01-15"
	c.Services[2].SuspendedOn, c.Services[2].Status = "2026-11-01", clientzone.StatusSuspended
	if err := db.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	ids := func(q func(context.Context, func(*schedule.ScheduledService) error) (int, error)) []string {
		var out []string
		if _, err := q(ctx, func(s *schedule.ScheduledService) error {
			if s.CustomerID != cid {
				t.Errorf("service %s has customer %q", s.ID, s.CustomerID)
			}
			out = append(out, s.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	if got := ids(db.SuspendedServices); !slices.Equal(got, []string{"S1", "S3"}) {
		t.Errorf("SuspendedServices = %v, want S1 S3", got)
	}
	expiring := func(ctx context.Context, fn func(*schedule.ScheduledService) error) (int, error) {
		return db.ServicesExpiringOn(ctx, "2027-01-15", fn)
	}
	if got := ids(expiring); !slices.Equal(got, []string{"S1", "S2"}) {
		t.Errorf("ServicesExpiringOn = %v, want S1 S2", got)
	}
}

func TestWriteContractChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	if err := db.PutContract(ctx, newContract(cid, "CT1", "N1", "S1", "S2"), ""); err != nil {
		t.Fatal(err)
	}
	c, err := db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	suspended := func() []clientzone.ServicePut {
		var out []clientzone.ServicePut
		for _, s := range c.Services {
			n := s
			n.Status, n.SuspendedOn = clientzone.StatusSuspended, "2026-11-23"
			out = append(out, clientzone.ServicePut{Service: n, ExpectStatus: s.Status, ExpectTariffID: s.TariffID})
		}
		return out
	}
	errSusp := clientzone.Errorf(clientzone.ECONFLICT, "already")
	ch := &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1", ExpectStatus: clientzone.StatusActive,
		SetStatus: clientzone.StatusSuspended, SuspendedOn: "2026-11-23", Services: suspended(), Conflict: errSusp,
		Audit:   &clientzone.AuditEntry{CustomerID: cid, At: now, Action: "contract.suspend", ActorID: "p1"},
		Message: &clientzone.Message{Channel: clientzone.ChannelEmail, To: "a@example.sk", Template: "contract-change", CreatedAt: now}}
	if err := db.WriteContractChange(ctx, ch); err != nil {
		t.Fatal(err)
	}
	got, err := db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != clientzone.StatusSuspended || got.SuspendedOn != "2026-11-23" || got.Services[0].Status != clientzone.StatusSuspended {
		t.Fatalf("after suspending: %+v", got)
	}
	n := 0
	if _, err := db.SuspendedServices(ctx, func(s *schedule.ScheduledService) error { n++; return nil }); err != nil || n != 2 {
		t.Fatalf("suspended services = %d, %v", n, err)
	}
	// The same change again: the contract is no longer active; nothing is
	// written (no second audit entry or message).
	ch.Audit.ID, ch.Message.ID = "", ""
	if err := db.WriteContractChange(ctx, ch); !errors.Is(err, errSusp) {
		t.Fatalf("second suspension: %v, want the conflict", err)
	}
	page, err := db.AuditLog(ctx, cid, 10, "")
	if err != nil || len(page.Entries) != 1 {
		t.Fatalf("audit entries = %+v, %v", page, err)
	}
	msgs, err := db.OutboxMessages(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, m := range msgs {
		if m.To == "a@example.sk" {
			count++
		}
	}
	if count != 1 {
		t.Fatalf("outbox messages = %d, want 1", count)
	}

	// A service replaced with a stale expected tariff fails.
	stale := got.Services[0]
	stale.TariffID = "OTHER"
	err = db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1",
		Services: []clientzone.ServicePut{{Service: stale, ExpectStatus: clientzone.StatusActive, ExpectTariffID: "FIBER-300"}}})
	wantErrCode(t, err, clientzone.ECONFLICT)

	// Creating a service that exists fails; deleting one that does not, too.
	wantErrCode(t, db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1",
		Services: []clientzone.ServicePut{{Service: got.Services[0], Create: true}}}), clientzone.ECONFLICT)
	wantErrCode(t, db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1",
		DeleteServices: []string{"NOPE"}}), clientzone.ECONFLICT)
	// A change of a contract that does not exist fails.
	wantErrCode(t, db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT9"}), clientzone.ECONFLICT)

	// A termination request is stored once, read with the contract and kept
	// by a back-office upsert.
	errPending := clientzone.Errorf(clientzone.ECONFLICT, "pending")
	tr := &clientzone.TerminationRequest{RequestedAt: now, RequestedBy: "p1", DesiredEndOn: "2026-12-31", Status: clientzone.TerminationPending}
	if err := db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1", Termination: tr, TerminationConflict: errPending}); err != nil {
		t.Fatal(err)
	}
	if err := db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1", Termination: tr, TerminationConflict: errPending}); !errors.Is(err, errPending) {
		t.Fatalf("second termination request: %v", err)
	}
	if err := db.PutContract(ctx, newContract(cid, "CT1", "N1", "S1"), ""); err != nil {
		t.Fatal(err)
	}
	got, err = db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Termination == nil || got.Termination.DesiredEndOn != "2026-12-31" || got.Termination.ContractID != "CT1" || len(got.Services) != 1 {
		t.Fatalf("contract with termination = %+v", got)
	}
	list, err := db.Contracts(ctx, cid)
	if err != nil || len(list) != 1 || list[0].Termination == nil {
		t.Fatalf("Contracts = %+v, %v", list, err)
	}
}

func TestUnpaidInvoices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	for i, st := range []clientzone.InvoiceStatus{clientzone.InvoiceUnpaid, clientzone.InvoicePaid, clientzone.InvoiceUnpaid, clientzone.InvoiceCancelled} {
		if err := db.PutInvoice(ctx, &clientzone.Invoice{ID: clientzone.NewID(), CustomerID: cid, Number: string(rune('A' + i)), Status: st,
			DueOn: "2026-01-01", Total: clientzone.Money{Amount: 100, Currency: "EUR"}}); err != nil {
			t.Fatal(err)
		}
	}
	invs, err := db.UnpaidInvoices(ctx, cid)
	if err != nil || len(invs) != 2 {
		t.Fatalf("UnpaidInvoices = %d, %v", len(invs), err)
	}
	for _, inv := range invs {
		if inv.Status != clientzone.InvoiceUnpaid {
			t.Errorf("invoice %s is %s", inv.Number, inv.Status)
		}
	}
}
