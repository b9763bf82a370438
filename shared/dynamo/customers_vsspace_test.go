package dynamo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/clientzone/clientzone/shared/backoffice"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

// A customer's symbol and another customer's symbol inside its proforma
// space (symbol + 3 digits) exclude each other even when both upserts run
// at the same time: the store checks the space in the write's transaction,
// not only in the service's read before it.
func TestUpsertCustomerProformaSpaceRace(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	cust := func(id, vs string) *clientzone.Customer {
		return &clientzone.Customer{ID: id, Kind: "person", Name: id, VariableSymbol: vs, Currency: "EUR"}
	}
	both := 0
	for round := range 8 {
		short, long := fmt.Sprintf("%d234", round+1), fmt.Sprintf("%d234567", round+1)
		a, b := fmt.Sprintf("a%d", round), fmt.Sprintf("b%d", round)
		var wg sync.WaitGroup
		var errA, errB error
		wg.Add(2)
		go func() { defer wg.Done(); errA = db.UpsertCustomer(ctx, cust(a, short), nil, nil) }()
		go func() { defer wg.Done(); errB = db.UpsertCustomer(ctx, cust(b, long), nil, nil) }()
		wg.Wait()
		for _, err := range []error{errA, errB} {
			if err != nil && err != backoffice.ErrVariableSymbolClash && err != backoffice.ErrCustomerChanged {
				t.Fatalf("round %d: %v, want a clash or a retryable conflict", round, err)
			}
		}
		if errA == nil && errB == nil {
			both++
			t.Errorf("round %d: %s took %s and %s took %s", round, a, short, b, long)
		}
		// The loser was not written and the winner's symbol is the only
		// one resolvable.
		for _, c := range []struct {
			id  string
			err error
		}{{a, errA}, {b, errB}} {
			if _, err := db.Customer(ctx, c.id); (c.err == nil) != (err == nil) {
				t.Errorf("round %d: %s upsert %v, read %v", round, c.id, c.err, err)
			}
		}
	}
	if both > 0 {
		t.Fatalf("%d of 8 rounds let both symbols through", both)
	}
}

// Sequential cases of the guard: entering, leaving and moving within
// proforma spaces.
func TestUpsertCustomerProformaSpaceGuard(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	cust := func(id, vs string) *clientzone.Customer {
		return &clientzone.Customer{ID: id, Kind: "person", Name: id, VariableSymbol: vs, Currency: "EUR"}
	}
	upsert := func(id, vs string) error {
		prev, err := db.CustomerForUpdate(ctx, id)
		if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Fatal(err)
		}
		return db.UpsertCustomer(ctx, cust(id, vs), prev, nil)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// B inside 5551's space first: A cannot take 5551 even without the
	// service's pre-check.
	must(upsert("B", "5551007"))
	if err := upsert("A", "5551"); err != backoffice.ErrVariableSymbolClash {
		t.Fatalf("A 5551 with B in its space: %v", err)
	}
	// B moves within the space (still a clash for A), then out of it.
	must(upsert("B", "5551008"))
	if err := upsert("A", "5551"); err != backoffice.ErrVariableSymbolClash {
		t.Fatalf("A 5551 after B moved within the space: %v", err)
	}
	must(upsert("B", "6661008"))
	must(upsert("A", "5551"))
	// B may not enter A's space now.
	if err := upsert("B", "5551009"); err != backoffice.ErrVariableSymbolClash {
		t.Fatalf("B entering A's space: %v", err)
	}
	// A customer may leave a space for the space's own symbol: C moves
	// from 7771234 to 7771 (the guard of 7771 held only C).
	must(upsert("C", "7771234"))
	must(upsert("C", "7771"))
	if err := upsert("D", "7771555"); err != backoffice.ErrVariableSymbolClash {
		t.Fatalf("D entering C's space: %v", err)
	}
	// ...but not while someone else is in it.
	must(upsert("E", "8881234"))
	must(upsert("F", "8881235"))
	if err := upsert("E", "8881"); err != backoffice.ErrVariableSymbolClash {
		t.Fatalf("E taking 8881 with F in its space: %v", err)
	}
	// Re-saving a customer without changing the symbol is no clash.
	must(upsert("A", "5551"))
	must(upsert("E", "8881234"))
	// Dropping a symbol empties the guard: A can then take B's old space.
	must(upsert("B", ""))
	must(upsert("G", "6661"))
}
