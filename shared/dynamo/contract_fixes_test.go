package dynamo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/schedule"
)

// A renewal (ExtendService) between reading a contract and suspending it
// makes the suspension fail instead of writing the old expiry back.
func TestContractChangeVersusRenewal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	c := newContract(cid, "CT1", "N1", "S1")
	c.Services[0].ExpiresOn = "2026-12-31"
	if err := db.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	read, err := db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if v := read.Services[0].Version; v != 1 {
		t.Fatalf("version after create = %d, want 1", v)
	}
	// The card renewal lands first.
	tx := db.NewTx()
	if err := tx.ExtendService(cid, "CT1", "S1", "2026-12-31", "2027-12-31"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	next := read.Services[0]
	next.Status, next.SuspendedOn = clientzone.StatusSuspended, "2026-11-23"
	errSvc := clientzone.Errorf(clientzone.ECONFLICT, "service changed")
	err = db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1", ExpectStatus: clientzone.StatusActive,
		SetStatus: clientzone.StatusSuspended, SuspendedOn: "2026-11-23", ServiceConflict: errSvc,
		Services: []clientzone.ServicePut{{Service: next, ExpectStatus: clientzone.StatusActive, ExpectTariffID: next.TariffID}}})
	if !errors.Is(err, errSvc) {
		t.Fatalf("suspension over a renewal: %v, want the service conflict", err)
	}
	got, err := db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Services[0]; s.ExpiresOn != "2027-12-31" || s.Status != clientzone.StatusActive || s.Version != 2 || got.Status != clientzone.StatusActive {
		t.Fatalf("after the failed suspension: %+v", got)
	}
	// Retried with what is stored now, it keeps the new expiry.
	next = got.Services[0]
	next.Status, next.SuspendedOn = clientzone.StatusSuspended, "2026-11-23"
	if err := db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1", ExpectStatus: clientzone.StatusActive,
		SetStatus: clientzone.StatusSuspended, SuspendedOn: "2026-11-23", SuspensionKind: clientzone.SuspensionVoluntary, FeesFrom: "2027-01-22",
		Services: []clientzone.ServicePut{{Service: next, ExpectStatus: clientzone.StatusActive, ExpectTariffID: next.TariffID}}}); err != nil {
		t.Fatal(err)
	}
	got, err = db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Services[0]; s.ExpiresOn != "2027-12-31" || s.Status != clientzone.StatusSuspended || s.Version != 3 ||
		got.SuspensionKind != clientzone.SuspensionVoluntary || got.FeesFrom != "2027-01-22" {
		t.Fatalf("after the suspension: %+v / %+v", got, got.Services[0])
	}
	// A back-office upsert with a stale version fails too.
	stale := *got
	stale.Services = []clientzone.Service{got.Services[0]}
	stale.Services[0].Version = 1
	wantErrCode(t, db.PutContract(ctx, &stale, ""), clientzone.ECONFLICT)
	// Resume conditioned on a voluntary suspension: a provider one fails.
	errKind := clientzone.Errorf(clientzone.ECONFLICT, "kind")
	prov := *got
	prov.SuspensionKind = clientzone.SuspensionProvider
	prov.Services = append([]clientzone.Service(nil), got.Services...)
	if err := db.PutContract(ctx, &prov, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1", ExpectStatus: clientzone.StatusSuspended,
		ExpectSuspensionKind: clientzone.SuspensionVoluntary, SetStatus: clientzone.StatusActive, Conflict: errKind}); !errors.Is(err, errKind) {
		t.Fatalf("resuming a provider suspension: %v", err)
	}
}

// Suspended services are found on GSI1 SUSPENDED, once each; the old
// place, GSI2 SUSPENDED, is no longer read (its one release of double
// reading is over).
func TestSuspendedServicesReadsGSI1Only(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	tx := db.NewTx()
	legacy := func(sid string, both bool) map[string]any {
		it := map[string]any{"pk": "CUST#" + cid, "sk": "CONTRACT#CT1#SVC#" + sid, "CustomerID": cid, "ID": sid, "ContractID": "CT1",
			"Status": "suspended", "SuspendedOn": "2026-09-01", "Name": "Old " + sid, "gsi2pk": dynamo.SuspendedPK, "gsi2sk": cid + "#" + sid}
		if both {
			it["gsi1pk"], it["gsi1sk"] = dynamo.SuspendedPK, cid+"#"+sid
		}
		return it
	}
	for _, it := range []map[string]any{legacy("OLD", false), legacy("BOTH", true)} {
		if err := tx.Put(it, "", nil, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	c := newContract(cid, "CT2", "N2", "NEW")
	c.Services[0].Status, c.Services[0].SuspendedOn = clientzone.StatusSuspended, "2026-11-01"
	if err := db.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	if _, err := db.SuspendedServices(ctx, func(s *schedule.ScheduledService) error {
		if s.CustomerID == cid {
			seen[s.ID]++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen["BOTH"] != 1 || seen["NEW"] != 1 {
		t.Fatalf("suspended services = %v, want BOTH and NEW once each, not the GSI2-only OLD", seen)
	}
}

// A termination request is resolved by the back office; only a pending
// one blocks a new one.
func TestTerminationRequestResolution(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	if err := db.PutContract(ctx, newContract(cid, "CT1", "N1", "S1"), ""); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	errPending := clientzone.Errorf(clientzone.ECONFLICT, "pending")
	request := func() error {
		tr := &clientzone.TerminationRequest{RequestedAt: now, RequestedBy: "p1", DesiredEndOn: "2026-12-31", Status: clientzone.TerminationPending}
		return db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1", Termination: tr, TerminationConflict: errPending})
	}
	resolve := func(status string) error {
		c := newContract(cid, "CT1", "N1", "S1")
		c.Termination = &clientzone.TerminationRequest{Status: status, ResolvedAt: &now}
		return db.PutContract(ctx, c, "")
	}
	if err := resolve(clientzone.TerminationRejected); !errors.Is(err, contracts.ErrNoPendingTermination) {
		t.Fatalf("resolving without a request: %v", err)
	}
	if err := request(); err != nil {
		t.Fatal(err)
	}
	if err := request(); !errors.Is(err, errPending) {
		t.Fatalf("second request while pending: %v", err)
	}
	if err := resolve(clientzone.TerminationRejected); err != nil {
		t.Fatal(err)
	}
	got, err := db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if tr := got.Termination; tr == nil || tr.Status != clientzone.TerminationRejected || tr.ResolvedAt == nil || !tr.ResolvedAt.Equal(now) || tr.DesiredEndOn != "2026-12-31" {
		t.Fatalf("rejected request = %+v", got.Termination)
	}
	if err := request(); err != nil {
		t.Fatalf("new request after a rejected one: %v", err)
	}
	got, err = db.Contract(ctx, cid, "CT1")
	if err != nil || got.Termination.Status != clientzone.TerminationPending || got.Termination.ResolvedAt != nil {
		t.Fatalf("new request = %+v, %v", got.Termination, err)
	}
}

// EnsureContract finds contract items only, not a service reached through
// an id containing "#".
func TestEnsureContractNeedsAContractItem(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	if err := db.PutContract(ctx, newContract(cid, "CT1", "N1", "S1"), ""); err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureContract(ctx, cid, "CT1"); err != nil {
		t.Fatal(err)
	}
	wantErrCode(t, db.EnsureContract(ctx, cid, "CT1#SVC#S1"), clientzone.ENOTFOUND)
}

// A suspension stored before kinds existed (no or empty SuspensionKind)
// counts as voluntary.
func TestLegacySuspensionIsVoluntary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	c := newContract(cid, "CT1", "N1", "S1")
	c.Status, c.SuspendedOn = clientzone.StatusSuspended, "2026-10-01"
	if err := db.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.WriteContractChange(ctx, &clientzone.ContractChange{CustomerID: cid, ContractID: "CT1", ExpectStatus: clientzone.StatusSuspended,
		ExpectSuspensionKind: clientzone.SuspensionVoluntary, SetStatus: clientzone.StatusActive,
		FreeDays: &clientzone.FreeSuspensionDays{Year: 2026, Used: 60}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Contract(ctx, cid, "CT1")
	if err != nil || got.Status != clientzone.StatusActive || got.SuspendedOn != "" || got.FreeSuspensionYear != 2026 || got.FreeSuspensionDaysUsed != 60 {
		t.Fatalf("resumed legacy suspension = %+v, %v", got, err)
	}
}
