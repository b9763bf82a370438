package dynamo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func newPerson(cid, email, username string) *clientzone.Person {
	return &clientzone.Person{
		ID:           clientzone.NewID(),
		CustomerID:   cid,
		Name:         "Ján Novák",
		Email:        email,
		Username:     username,
		Phone:        "+421900123456",
		Role:         clientzone.RoleRegular,
		Rights:       []clientzone.Right{clientzone.RightInvoices, clientzone.RightCalls},
		Language:     clientzone.LangSK,
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$a2V5",
		TokenVersion: 3,
		CreatedAt:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func mustPutPerson(t *testing.T, db *dynamo.DB, p *clientzone.Person) {
	t.Helper()
	if err := db.PutPerson(context.Background(), p); err != nil {
		t.Fatalf("PutPerson(%s): %v", p.Email, err)
	}
}

func TestPersonByLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	p := newPerson(cid, "Jan.Novak@Example.sk", "JNovak")
	mustPutPerson(t, db, p)

	tests := []struct {
		name  string
		login string
	}{
		{"email as stored", "Jan.Novak@Example.sk"},
		{"email lower case", "jan.novak@example.sk"},
		{"email upper case", "JAN.NOVAK@EXAMPLE.SK"},
		{"email with spaces", "  jan.novak@example.sk\t"},
		{"username as stored", "JNovak"},
		{"username lower case", "jnovak"},
		{"username upper case with spaces", " JNOVAK "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.PersonByLogin(ctx, tt.login)
			if err != nil {
				t.Fatalf("PersonByLogin(%q): %v", tt.login, err)
			}
			if got.ID != p.ID || got.CustomerID != cid {
				t.Fatalf("PersonByLogin(%q) = %s/%s, want %s/%s", tt.login, got.CustomerID, got.ID, cid, p.ID)
			}
		})
	}

	t.Run("round trip of every field", func(t *testing.T) {
		got, err := db.Person(ctx, cid, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != p.Name || got.Email != p.Email || got.Username != p.Username || got.Phone != p.Phone ||
			got.Role != p.Role || !slices.Equal(got.Rights, p.Rights) || got.Language != p.Language ||
			got.PasswordHash != p.PasswordHash || got.TokenVersion != p.TokenVersion || !got.CreatedAt.Equal(p.CreatedAt) {
			t.Fatalf("Person() = %+v, want %+v", got, p)
		}
	})

	unknown := []string{"nobody@example.sk", "jnovak2", "", "   "}
	for _, login := range unknown {
		t.Run("unknown "+login, func(t *testing.T) {
			got, err := db.PersonByLogin(ctx, login)
			if got != nil {
				t.Fatalf("PersonByLogin(%q) = %+v, want nil", login, got)
			}
			wantErrCode(t, err, clientzone.ENOTFOUND)
		})
	}
}

func TestPersonNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	p := newPerson(cid, "eva@example.sk", "")
	mustPutPerson(t, db, p)

	tests := []struct {
		name     string
		cid, pid string
	}{
		{"unknown person", cid, clientzone.NewID()},
		{"person of another customer", clientzone.NewID(), p.ID},
		{"empty id", cid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Person(ctx, tt.cid, tt.pid)
			if got != nil {
				t.Fatalf("Person() = %+v, want nil", got)
			}
			e := wantErrCode(t, err, clientzone.ENOTFOUND)
			if e.Message != "Person not found." {
				t.Fatalf("message = %q", e.Message)
			}
		})
	}
}

func TestPersonAliasConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	first := newPerson(cid, "jan@example.sk", "jnovak")
	mustPutPerson(t, db, first)

	tests := []struct {
		name      string
		otherCust bool
		email     string
		username  string
		wantField string
		// freeAlias is an alias of the rejected person that was free: it
		// must not have been written either.
		freeAlias string
	}{
		{"same email", false, "jan@example.sk", "", "email", ""},
		{"same email other case and spaces", false, " JAN@Example.SK ", "", "email", ""},
		{"same email other customer", true, "jan@example.sk", "", "email", ""},
		{"same username, free email", false, "other@example.sk", "JNOVAK", "username", "other@example.sk"},
		{"email taken by a username", false, "jnovak", "", "email", ""},
		{"username taken by an email", true, "free@example.sk", "jan@example.sk", "username", "free@example.sk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ocid := cid
			if tt.otherCust {
				ocid = clientzone.NewID()
			}
			second := newPerson(ocid, tt.email, tt.username)
			err := db.PutPerson(ctx, second)
			e := wantErrCode(t, err, clientzone.ECONFLICT)
			wantField(t, e, tt.wantField)
			if e.Fields[0].Code != "taken" {
				t.Fatalf("field code = %q, want taken", e.Fields[0].Code)
			}

			// Nothing half-written: the second person does not exist ...
			if got, err := db.Person(ctx, ocid, second.ID); got != nil || clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
				t.Fatalf("rejected person was stored: %+v, %v", got, err)
			}
			// ... none of its free aliases were claimed ...
			if tt.freeAlias != "" {
				if got, err := db.PersonByLogin(ctx, tt.freeAlias); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
					t.Fatalf("free alias %q of the rejected person resolves: %+v, %v", tt.freeAlias, got, err)
				}
			}
			// ... and the first person's aliases still point at it.
			for _, login := range []string{"jan@example.sk", "jnovak"} {
				got, err := db.PersonByLogin(ctx, login)
				if err != nil || got.ID != first.ID {
					t.Fatalf("PersonByLogin(%q) = %+v, %v; want the first person", login, got, err)
				}
			}
		})
	}
}

func TestPersonChangeAliases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	p := newPerson(cid, "old@example.sk", "jnovak")
	mustPutPerson(t, db, p)

	resolves := func(t *testing.T, login string, want *clientzone.Person) {
		t.Helper()
		got, err := db.PersonByLogin(ctx, login)
		if want == nil {
			if got != nil || clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
				t.Fatalf("PersonByLogin(%q) = %+v, %v; want not_found", login, got, err)
			}
			return
		}
		if err != nil || got.ID != want.ID {
			t.Fatalf("PersonByLogin(%q) = %+v, %v; want %s", login, got, err, want.ID)
		}
	}

	// Re-putting the person unchanged is fine (its own aliases).
	mustPutPerson(t, db, p)

	// Changing the email frees the old alias; the new one resolves.
	p.Email = "new@example.sk"
	mustPutPerson(t, db, p)
	resolves(t, "new@example.sk", p)
	resolves(t, "old@example.sk", nil)
	resolves(t, "jnovak", p)
	if got, err := db.Person(ctx, cid, p.ID); err != nil || got.Email != "new@example.sk" {
		t.Fatalf("Person() = %+v, %v; want the new email", got, err)
	}

	// The freed alias can be claimed by someone else.
	other := newPerson(clientzone.NewID(), "old@example.sk", "")
	mustPutPerson(t, db, other)
	resolves(t, "old@example.sk", other)

	// A change of case only keeps the alias.
	p.Email = "NEW@Example.sk"
	mustPutPerson(t, db, p)
	resolves(t, "new@example.sk", p)

	// Dropping the username frees it.
	p.Username = ""
	mustPutPerson(t, db, p)
	resolves(t, "jnovak", nil)
	resolves(t, "new@example.sk", p)
}

// A person's own aliases never conflict with each other: a username equal
// to the email, or taking over the old email as the new username, must not
// fail with an internal error.
func TestPersonOwnAliasesOverlap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("username equals email", func(t *testing.T) {
		db := dynamotest.NewDB(t)
		p := newPerson(clientzone.NewID(), "same@example.sk", "same@example.sk")
		if err := db.PutPerson(ctx, p); clientzone.ErrorCode(err) == clientzone.EINTERNAL {
			t.Fatalf("PutPerson: %v", err)
		}
	})

	t.Run("username equal to the email but for case and spaces", func(t *testing.T) {
		db := dynamotest.NewDB(t)
		p := newPerson(clientzone.NewID(), "same@example.sk", " Same@Example.SK ")
		mustPutPerson(t, db, p)
		resolvesTo(t, db, "same@example.sk", p)
		// Written again unchanged: the one alias is neither claimed twice nor freed.
		mustPutPerson(t, db, p)
		resolvesTo(t, db, "same@example.sk", p)
		// Dropping the username keeps the alias: the email still wants it.
		p.Username = ""
		mustPutPerson(t, db, p)
		resolvesTo(t, db, "same@example.sk", p)
		// Username and email both equal again, then both change: freed once.
		p.Username = "SAME@example.sk"
		mustPutPerson(t, db, p)
		p.Email, p.Username = "other@example.sk", "jnovak"
		mustPutPerson(t, db, p)
		resolvesTo(t, db, "same@example.sk", nil)
		resolvesTo(t, db, "other@example.sk", p)
		resolvesTo(t, db, "jnovak", p)
	})

	t.Run("username becomes the email", func(t *testing.T) {
		db := dynamotest.NewDB(t)
		p := newPerson(clientzone.NewID(), "jan@example.sk", "jan.novak@example.sk")
		mustPutPerson(t, db, p)
		p.Email, p.Username = "jan.novak@example.sk", ""
		mustPutPerson(t, db, p)
		resolvesTo(t, db, "jan.novak@example.sk", p)
		resolvesTo(t, db, "jan@example.sk", nil)
	})

	t.Run("email and username swap", func(t *testing.T) {
		db := dynamotest.NewDB(t)
		p := newPerson(clientzone.NewID(), "a@example.sk", "b@example.sk")
		mustPutPerson(t, db, p)
		p.Email, p.Username = "b@example.sk", "a@example.sk"
		mustPutPerson(t, db, p)
		resolvesTo(t, db, "a@example.sk", p)
		resolvesTo(t, db, "b@example.sk", p)
	})

	t.Run("alias equal to the email still conflicts with another person", func(t *testing.T) {
		db := dynamotest.NewDB(t)
		other := newPerson(clientzone.NewID(), "taken@example.sk", "")
		mustPutPerson(t, db, other)
		p := newPerson(clientzone.NewID(), "taken@example.sk", "TAKEN@example.sk")
		err := db.PutPerson(ctx, p)
		if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
			t.Fatalf("PutPerson = %v, want conflict", err)
		}
		if e, _ := err.(*clientzone.Error); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != clientzone.LoginEmail {
			t.Fatalf("PutPerson = %#v, want a conflict on the email", err)
		}
		resolvesTo(t, db, "taken@example.sk", other)
	})

	t.Run("old email becomes the username", func(t *testing.T) {
		db := dynamotest.NewDB(t)
		p := newPerson(clientzone.NewID(), "jan@example.sk", "")
		mustPutPerson(t, db, p)
		p.Email, p.Username = "jan.novak@example.sk", "jan@example.sk"
		if err := db.PutPerson(ctx, p); err != nil {
			t.Fatalf("PutPerson: %v", err)
		}
		got, err := db.PersonByLogin(ctx, "jan@example.sk")
		if err != nil || got.ID != p.ID {
			t.Fatalf("PersonByLogin = %+v, %v; want the person", got, err)
		}
	})
}

// resolvesTo checks that login resolves to p, or to nothing when p is nil.
func resolvesTo(t *testing.T, db *dynamo.DB, login string, p *clientzone.Person) {
	t.Helper()
	got, err := db.PersonByLogin(context.Background(), login)
	if p == nil {
		if clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Fatalf("PersonByLogin(%q) = %+v, %v; want not found", login, got, err)
		}
		return
	}
	if err != nil || got.ID != p.ID {
		t.Fatalf("PersonByLogin(%q) = %+v, %v; want person %s", login, got, err, p.ID)
	}
}

func TestPersons(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	a := newPerson(cid, "a@example.sk", "")
	b := newPerson(cid, "b@example.sk", "")
	mustPutPerson(t, db, a)
	mustPutPerson(t, db, b)
	mustPutPerson(t, db, newPerson(clientzone.NewID(), "c@example.sk", ""))

	got, err := db.Persons(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range got {
		ids = append(ids, p.ID)
	}
	if want := []string{a.ID, b.ID}; !slices.Equal(ids, want) {
		t.Fatalf("Persons() ids = %v, want %v", ids, want)
	}
}

func TestReplacePasswordHash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	p := newPerson(cid, "pw@example.sk", "")
	p.PasswordHash = "hash-1"
	mustPutPerson(t, db, p)

	tests := []struct {
		name     string
		pid      string
		old, new string
		wantCode string
		wantHash string
	}{
		{"wrong old hash", p.ID, "hash-0", "hash-x", clientzone.ECONFLICT, "hash-1"},
		{"right old hash", p.ID, "hash-1", "hash-2", "", "hash-2"},
		{"stale old hash after a change", p.ID, "hash-1", "hash-3", clientzone.ECONFLICT, "hash-2"},
		{"unknown person", clientzone.NewID(), "hash-2", "hash-4", clientzone.ECONFLICT, "hash-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.ReplacePasswordHash(ctx, cid, tt.pid, tt.old, tt.new)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("ReplacePasswordHash: %v", err)
				}
			} else {
				wantErrCode(t, err, tt.wantCode)
			}
			got, err := db.Person(ctx, cid, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.PasswordHash != tt.wantHash {
				t.Fatalf("PasswordHash = %q, want %q", got.PasswordHash, tt.wantHash)
			}
			if got.Email != p.Email || got.TokenVersion != p.TokenVersion {
				t.Fatalf("other fields changed: %+v", got)
			}
		})
	}
	// The failed update of an unknown person did not create it.
	if _, err := db.Person(ctx, cid, tests[3].pid); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("unknown person after ReplacePasswordHash: %v, want not_found", err)
	}
}
