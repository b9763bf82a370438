package schedule_test

import (
	"context"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/schedule"
)

// Only voluntary suspensions are charged, from their stored fee start
// date; a provider suspension (the back office's block) never is.
func TestSuspensionFeesOnlyVoluntaryFromFeesFrom(t *testing.T) {
	env, db := newEnv(t)
	ctx := context.Background()
	seedCustomer(t, db, "k1", "")
	putServices(t, db, "k1",
		// Suspended 100 days ago by the provider: never charged.
		clientzone.Service{ID: "provider", Status: clientzone.StatusSuspended, SuspendedOn: date(now0, -100), SuspensionKind: clientzone.SuspensionProvider},
		// Voluntary, suspended 10 days ago with no free days left this
		// year: charged since its FeesFrom (5 days ago).
		clientzone.Service{ID: "nofree", Status: clientzone.StatusSuspended, SuspendedOn: date(now0, -10), SuspensionKind: clientzone.SuspensionVoluntary,
			FeesFrom: date(now0, -5)},
		// Voluntary, suspended 70 days ago, but its fees start tomorrow.
		clientzone.Service{ID: "later", Status: clientzone.StatusSuspended, SuspendedOn: date(now0, -70), SuspensionKind: clientzone.SuspensionVoluntary,
			FeesFrom: date(now0, 1)},
		// Legacy (no kind, no FeesFrom): 60 days after it started.
		clientzone.Service{ID: "legacy", Status: clientzone.StatusSuspended, SuspendedOn: date(now0, -60)})
	j := schedule.Jobs(env)["suspension-fees"]
	if rep := run(t, j, now0); rep.Found != 4 || rep.Done != 2 || rep.Skipped != 2 {
		t.Fatalf("day 0: %+v", rep)
	}
	sum, n, err := db.SumTransactions(ctx, "k1")
	if err != nil || n != 2 || sum != -100 {
		t.Fatalf("charged = %v in %d transactions, %v; want -100 EUR in 2", sum, n, err)
	}
	if rep := run(t, j, now0.AddDate(0, 0, 1)); rep.Done != 3 {
		t.Fatalf("day 1: %+v", rep)
	}
}
