package dynamo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/contracts"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/support"
)

// A failed write condition answers with the error its use case declares
// (the very value, so errors.Is holds and the client reads the use case's
// one text), not with a copy of the store's own.
func TestConditionsAnswerWithTheUseCasesErrors(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		want error
		// fail sets up what it needs on db and returns the error of the
		// write whose condition fails.
		fail func(ctx context.Context, t *testing.T, db *dynamo.DB) error
	}{
		{"session rotated meanwhile", account.ErrSessionNotCurrent, func(ctx context.Context, t *testing.T, db *dynamo.DB) error {
			s := &clientzone.Session{ID: clientzone.NewID(), CustomerID: "C1", PersonID: "P1", CreatedAt: now,
				ExpiresAt: now.Add(time.Hour), TokenHash: "current"}
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			return db.RotateSession(ctx, s.ID, "rotated-before", "next", s.ExpiresAt)
		}},
		{"password hash replaced meanwhile", account.ErrPasswordChanged, func(ctx context.Context, t *testing.T, db *dynamo.DB) error {
			p := newPerson(clientzone.NewID(), "hash@example.sk", "")
			mustPutPerson(t, db, p)
			return db.ReplacePasswordHash(ctx, p.CustomerID, p.ID, "$2a$10$not-the-stored-one", "$argon2id$new")
		}},
		{"person changed since read", account.ErrPersonChanged, func(ctx context.Context, t *testing.T, db *dynamo.DB) error {
			p := newPerson(clientzone.NewID(), "read@example.sk", "")
			mustPutPerson(t, db, p)
			snap, err := db.PersonForUpdate(ctx, p.CustomerID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.ReplacePasswordHash(ctx, p.CustomerID, p.ID, p.PasswordHash, "$argon2id$other"); err != nil {
				t.Fatal(err)
			}
			after := *snap.Person
			after.Name = "Someone Else"
			return db.UpdatePersonChecked(ctx, snap, &after, "", &clientzone.AuditEntry{CustomerID: p.CustomerID, At: now, Action: "person.update"})
		}},
		{"billing data changed meanwhile", account.ErrBillingDataChanged, func(ctx context.Context, t *testing.T, db *dynamo.DB) error {
			c := &clientzone.Customer{ID: clientzone.NewID(), Kind: "person", Name: "Ján Novák", Email: "jan@example.sk", Currency: "EUR", CreatedAt: now}
			if err := db.PutCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			stale := *c
			stale.Name = "Read Before Another Change"
			next := stale
			next.Email = "new@example.sk"
			return db.UpdateBillingData(ctx, &stale, &next, []string{account.BillingEmail}, nil, nil)
		}},
		{"contract upserted with a stale service version", contracts.ErrContractChanged, func(ctx context.Context, t *testing.T, db *dynamo.DB) error {
			c := newContract(clientzone.NewID(), "CT1", "N-STALE", "S1")
			if err := db.PutContract(ctx, c, ""); err != nil {
				t.Fatal(err)
			}
			if err := db.PutContract(ctx, c, ""); err != nil { // version 1 → 2
				t.Fatal(err)
			}
			got, err := db.Contract(ctx, c.CustomerID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			stale := *got
			stale.Services = []clientzone.Service{got.Services[0]}
			stale.Services[0].Version = got.Services[0].Version - 1
			return db.PutContract(ctx, &stale, "")
		}},
		{"ticket closed meanwhile", support.ErrTicketClosed, func(ctx context.Context, t *testing.T, db *dynamo.DB) error {
			tk := &clientzone.Ticket{ID: clientzone.NewID(), CustomerID: clientzone.NewID(), AuthorID: "P1", Category: clientzone.TicketTechnical,
				Subject: "s", Body: "b", Status: clientzone.TicketOpen, CreatedAt: now, UpdatedAt: now}
			if err := db.CreateTicket(ctx, tk); err != nil {
				t.Fatal(err)
			}
			if err := db.CloseTicket(ctx, tk.CustomerID, tk.ID, now); err != nil {
				t.Fatal(err)
			}
			return db.CloseTicket(ctx, tk.CustomerID, tk.ID, now.Add(time.Minute))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.fail(context.Background(), t, dynamotest.NewDB(t))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// A person whose login alias is taken gets account's alias conflict
// (message and field), whichever write creates the person.
func TestAliasTakenIsAccountsConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	mustPutPerson(t, db, newPerson(cid, "taken@example.sk", "taken"))
	for _, tt := range []struct {
		name, kind string
		p          *clientzone.Person
	}{
		{"email", clientzone.LoginEmail, newPerson(cid, "TAKEN@example.sk", "")},
		{"username", clientzone.LoginUsername, newPerson(cid, "free@example.sk", "Taken")},
	} {
		want := account.LoginTakenError(tt.kind, tt.kind)
		for name, write := range map[string]func() error{
			"PutPerson": func() error { return db.PutPerson(ctx, tt.p) },
			"ImportPerson": func() error {
				return db.ImportPerson(ctx, tt.p, &clientzone.AuditEntry{CustomerID: cid, At: time.Now(), Action: "person.import"}, "")
			},
		} {
			e := wantErrCode(t, write(), clientzone.ECONFLICT)
			if e.Message != want.Message || len(e.Fields) != 1 || e.Fields[0] != want.Fields[0] {
				t.Errorf("%s, %s taken: %+v, want %+v", name, tt.name, e, want)
			}
		}
	}
}

// UpdatePersonChecked conditions its write on the state PersonForUpdate
// read; a snapshot without that state is refused and nothing is written.
func TestUpdatePersonCheckedNeedsTheStoresSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	p := newPerson(clientzone.NewID(), "snap@example.sk", "")
	mustPutPerson(t, db, p)
	after := *p
	after.Name = "Changed"
	err := db.UpdatePersonChecked(ctx, &account.PersonSnapshot{Person: p}, &after, "",
		&clientzone.AuditEntry{CustomerID: p.CustomerID, At: time.Now(), Action: "person.update"})
	if err == nil {
		t.Fatal("UpdatePersonChecked accepted a snapshot the store did not read")
	}
	got, err := db.Person(ctx, p.CustomerID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != p.Name {
		t.Errorf("name = %q after a refused update, want %q", got.Name, p.Name)
	}
}
