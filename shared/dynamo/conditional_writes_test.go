package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

// The store's conditional writes under races and stale reads, which the
// HTTP API cannot provoke on purpose (these checks moved here from the dev
// server's API tests).

// TestRecordPINFailureCounts: concurrent failures never lose or exceed
// counts, and a failure after the lock expired starts a new count.
func TestRecordPINFailureCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	now := time.Now()
	if err := db.PutPIN(ctx, cid, "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$a2V5", now); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var counts []int
	locks := 0
	for range 10 {
		wg.Go(func() {
			n, until, err := db.RecordPINFailure(ctx, cid, now, 5, time.Hour)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if until.IsZero() {
				counts = append(counts, n)
			} else {
				locks++
			}
		})
	}
	wg.Wait()
	slices.Sort(counts)
	if fmt.Sprint(counts) != "[1 2 3 4]" || locks != 6 {
		t.Errorf("unlocked counts %v, locked answers %d", counts, locks)
	}
	// Two hours later (the store takes the time as an argument).
	failures, until, err := db.RecordPINFailure(ctx, cid, now.Add(2*time.Hour), 5, time.Hour)
	if err != nil || failures != 1 || !until.IsZero() {
		t.Fatalf("failure after the lock expired: %d %v %v", failures, until, err)
	}
}

// TestUpdateBillingDataStaleRead: an update based on a stale read of the
// customer does not overwrite, and writes no audit entry or email.
func TestUpdateBillingDataStaleRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	c := &clientzone.Customer{ID: clientzone.NewID(), Kind: "person", Name: "Ján Novák", Email: "jan@example.sk", Phone: "+421900123456",
		Currency: "EUR", CreatedAt: time.Now().UTC()}
	if err := db.PutCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	stale := *c
	stale.Phone = "+421900000000" // someone else's view differs from the stored data
	next := stale
	next.Name = "Overwritten"
	err := db.UpdateBillingData(ctx, &stale, &next, []string{account.BillingName},
		&clientzone.AuditEntry{CustomerID: c.ID, At: time.Now(), Action: "billing-data.update", ActorID: "test"},
		&clientzone.Message{Channel: clientzone.ChannelEmail, To: "x@example.sk", Template: "billing-data-changed", CreatedAt: time.Now()})
	if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Fatalf("stale update: %v", err)
	}
	now, err := db.Customer(ctx, c.ID)
	if err != nil || now.Name == "Overwritten" {
		t.Errorf("a failed update wrote the customer: %+v %v", now, err)
	}
	if page, err := db.AuditLog(ctx, c.ID, 10, ""); err != nil || len(page.Entries) != 0 {
		t.Errorf("a failed update wrote audit entries: %+v %v", page, err)
	}
	msgs, err := db.OutboxMessages(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To == "x@example.sk" {
			t.Errorf("a failed update wrote an email: %+v", m)
		}
	}
}

// TestUpdatePersonCheckedStaleRead: a change of the person since the read
// is a conflict; unchanged since the read (including NULL and empty
// attributes) the write goes through.
func TestUpdatePersonCheckedStaleRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	tech := newPerson(cid, "peter@example.sk", "technik")
	mustPutPerson(t, db, tech)
	// Invited, without a password or phone: empty attributes.
	fresh := &clientzone.Person{ID: clientzone.NewID(), CustomerID: cid, Name: "Mária Kováčová", Email: "maria@example.sk",
		Role: clientzone.RoleRegular, Rights: []clientzone.Right{}, Language: clientzone.LangHU, CreatedAt: time.Now().UTC()}
	mustPutPerson(t, db, fresh)

	snap, err := db.PersonForUpdate(ctx, cid, tech.ID)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := db.Person(ctx, cid, tech.ID)
	other.Notifications.News = !other.Notifications.News
	if err := db.PutPerson(ctx, other); err != nil { // e.g. the person edits their own profile
		t.Fatal(err)
	}
	mine := *snap.Person
	mine.Name = "Overwritten"
	err = db.UpdatePersonChecked(ctx, snap, &mine, "", &clientzone.AuditEntry{CustomerID: cid, At: time.Now(), Action: "test"})
	if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
		t.Fatalf("stale write: %v", err)
	}
	if p, _ := db.Person(ctx, cid, tech.ID); p.Name == "Overwritten" || p.Notifications != other.Notifications {
		t.Errorf("stale write applied: %+v", p)
	}
	snap, err = db.PersonForUpdate(ctx, cid, fresh.ID)
	if err != nil {
		t.Fatal(err)
	}
	mine = *snap.Person
	mine.Name = "Mária Kováčová-Nová"
	if err := db.UpdatePersonChecked(ctx, snap, &mine, "", &clientzone.AuditEntry{CustomerID: cid, At: time.Now(), Action: "test"}); err != nil {
		t.Fatalf("fresh write: %v", err)
	}
}
