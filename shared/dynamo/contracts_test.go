package dynamo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func newContract(cid, id, number string, serviceIDs ...string) *clientzone.Contract {
	c := &clientzone.Contract{
		ID:         id,
		CustomerID: cid,
		Number:     number,
		Status:     clientzone.StatusActive,
		SignedAt:   time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC),
	}
	for _, sid := range serviceIDs {
		c.Services = append(c.Services, clientzone.Service{
			ID:            sid,
			Kind:          clientzone.ServiceInternet,
			Name:          "Internet " + sid,
			TariffID:      "FIBER-300",
			Status:        clientzone.StatusActive,
			BillingPeriod: "monthly",
			Price:         clientzone.Money{Amount: 1990, Currency: "EUR"},
		})
	}
	return c
}

func serviceIDs(c *clientzone.Contract) []string {
	var ids []string
	for _, s := range c.Services {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestPutContract(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	holder := newPerson(cid, "holder@example.sk", "")
	mustPutPerson(t, db, holder)

	c := newContract(cid, "CT1", "2024001", "S1", "S2", "S3")
	c.Services[1].Kind = clientzone.ServiceDomain
	c.Services[1].ExpiresOn = "2026-12-31"
	if err := db.PutContract(ctx, c, holder.ID); err != nil {
		t.Fatalf("PutContract: %v", err)
	}

	got, err := db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatalf("Contract: %v", err)
	}
	if got.ID != "CT1" || got.Number != "2024001" || got.Status != clientzone.StatusActive || !got.SignedAt.Equal(c.SignedAt) {
		t.Fatalf("Contract() = %+v", got)
	}
	if ids := serviceIDs(got); !slices.Equal(ids, []string{"S1", "S2", "S3"}) {
		t.Fatalf("services = %v, want S1 S2 S3", ids)
	}
	for _, s := range got.Services {
		if s.ContractID != "CT1" {
			t.Fatalf("service %s has ContractID %q, want CT1", s.ID, s.ContractID)
		}
	}
	if s := got.Services[1]; s.Kind != clientzone.ServiceDomain || s.ExpiresOn != "2026-12-31" || s.Price != (clientzone.Money{Amount: 1990, Currency: "EUR"}) {
		t.Fatalf("service S2 = %+v", s)
	}

	// The contract number is a login alias of the holder.
	p, err := db.PersonByLogin(ctx, " 2024001 ")
	if err != nil || p.ID != holder.ID {
		t.Fatalf("PersonByLogin(contract number) = %+v, %v; want the holder", p, err)
	}

	// Re-putting without S2 removes it.
	c2 := newContract(cid, "CT1", "2024001", "S1", "S3")
	c2.Status = clientzone.StatusSuspended
	if err := db.PutContract(ctx, c2, holder.ID); err != nil {
		t.Fatalf("PutContract again: %v", err)
	}
	got, err = db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if ids := serviceIDs(got); !slices.Equal(ids, []string{"S1", "S3"}) {
		t.Fatalf("services after re-put = %v, want S1 S3", ids)
	}
	if got.Status != clientzone.StatusSuspended {
		t.Fatalf("status = %q, want suspended", got.Status)
	}

	// Removing every service leaves an empty, non-nil list.
	if err := db.PutContract(ctx, newContract(cid, "CT1", "2024001"), ""); err != nil {
		t.Fatal(err)
	}
	got, err = db.Contract(ctx, cid, "CT1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Services == nil || len(got.Services) != 0 {
		t.Fatalf("services = %#v, want an empty list", got.Services)
	}
}

func TestContractNumberConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cidA, cidB := clientzone.NewID(), clientzone.NewID()
	a := newPerson(cidA, "a@example.sk", "")
	b := newPerson(cidB, "b@example.sk", "")
	mustPutPerson(t, db, a)
	mustPutPerson(t, db, b)
	if err := db.PutContract(ctx, newContract(cidA, "CTA", "2024001", "SA"), a.ID); err != nil {
		t.Fatal(err)
	}

	err := db.PutContract(ctx, newContract(cidB, "CTB", "2024001", "SB"), b.ID)
	e := wantErrCode(t, err, clientzone.ECONFLICT)
	wantField(t, e, "number")

	// Nothing of the rejected contract was written.
	if got, err := db.Contract(ctx, cidB, "CTB"); got != nil || clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("rejected contract stored: %+v, %v", got, err)
	}
	if p, err := db.PersonByLogin(ctx, "2024001"); err != nil || p.ID != a.ID {
		t.Fatalf("alias moved: %+v, %v", p, err)
	}
}

func TestContractLookup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	// C1 is a prefix of C10: Contract("C1") must not return C10 or its services.
	for _, c := range []*clientzone.Contract{
		newContract(cid, "C1", "N1", "S1a", "S1b"),
		newContract(cid, "C10", "N10", "S10a"),
		newContract(cid, "C2", "N2"),
	} {
		if err := db.PutContract(ctx, c, ""); err != nil {
			t.Fatal(err)
		}
	}
	other := clientzone.NewID()
	if err := db.PutContract(ctx, newContract(other, "X1", "NX", "SX"), ""); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name         string
		cid, id      string
		wantNotFound bool
		wantServices []string
	}{
		{"shorter id of a shared prefix", cid, "C1", false, []string{"S1a", "S1b"}},
		{"longer id", cid, "C10", false, []string{"S10a"}},
		{"no services", cid, "C2", false, []string{}},
		{"prefix of ids only", cid, "C", true, nil},
		{"unknown", cid, "C3", true, nil},
		{"another customer's contract", cid, "X1", true, nil},
		{"own id under another customer", other, "C1", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Contract(ctx, tt.cid, tt.id)
			if tt.wantNotFound {
				if got != nil {
					t.Fatalf("Contract() = %+v, want nil", got)
				}
				e := wantErrCode(t, err, clientzone.ENOTFOUND)
				if e.Message != "Contract not found." {
					t.Fatalf("message = %q", e.Message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.id {
				t.Fatalf("Contract(%q).ID = %q", tt.id, got.ID)
			}
			if ids := serviceIDs(got); !slices.Equal(ids, tt.wantServices) {
				t.Fatalf("services = %v, want %v", ids, tt.wantServices)
			}
		})
	}

	t.Run("Contracts lists every contract with its services", func(t *testing.T) {
		all, err := db.Contracts(ctx, cid)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		var order []string
		for _, c := range all {
			order = append(order, c.ID)
			got[c.ID] = serviceIDs(c)
		}
		if want := []string{"C1", "C10", "C2"}; !slices.Equal(order, want) {
			t.Fatalf("Contracts() = %v, want %v", order, want)
		}
		if !slices.Equal(got["C1"], []string{"S1a", "S1b"}) || !slices.Equal(got["C10"], []string{"S10a"}) || len(got["C2"]) != 0 {
			t.Fatalf("services = %v", got)
		}
	})

	t.Run("Contracts of a customer without any", func(t *testing.T) {
		all, err := db.Contracts(ctx, clientzone.NewID())
		if err != nil || len(all) != 0 {
			t.Fatalf("Contracts() = %v, %v; want none", all, err)
		}
	})
}
