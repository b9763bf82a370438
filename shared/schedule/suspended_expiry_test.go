package schedule_test

import (
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/schedule"
)

// A suspended service that also expires is found by both jobs: the daily
// suspension fee (GSI1 SUSPENDED) and the expiry reminders (GSI2
// EXPIRY#<date>).
func TestSuspendedServiceGetsExpiryReminders(t *testing.T) {
	env, db := newEnv(t)
	seedCustomer(t, db, "c1", clientzone.LangSK)
	putServices(t, db, "c1",
		clientzone.Service{ID: "both", Status: clientzone.StatusSuspended, SuspendedOn: date(now0, -70), ExpiresOn: date(now0, 30)},
		clientzone.Service{ID: "expiring", ExpiresOn: date(now0, 30)})
	if rep := run(t, schedule.Jobs(env)["expiry-reminders"], now0); rep.Found != 2 || rep.Done != 2 {
		t.Fatalf("expiry reminders: %+v", rep)
	}
	if rep := run(t, schedule.Jobs(env)["suspension-fees"], now0); rep.Found != 1 || rep.Done != 1 {
		t.Fatalf("suspension fees: %+v", rep)
	}
}
