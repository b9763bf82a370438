package dynamo_test

import (
	"context"
	"sync"
	"testing"

	"github.com/clientzone/clientzone/shared/backoffice"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

// Concurrent creates of customers with one variable symbol: exactly one
// wins the claim, the others fail whole (no customer item written).
// Changing a symbol releases the old claim in the same transaction; a
// concurrent replace based on a stale read is a conflict.
func TestUpsertCustomerVariableSymbolClaims(t *testing.T) {
	db := dynamotest.NewDB(t)
	ctx := context.Background()
	cust := func(id, vs string) *clientzone.Customer {
		return &clientzone.Customer{ID: id, Kind: "person", Name: id, VariableSymbol: vs, Currency: "EUR"}
	}
	const n = 5
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.UpsertCustomer(ctx, cust(string(rune('a'+i)), "0777001"), nil, nil)
		}()
	}
	wg.Wait()
	won := ""
	for i, err := range errs {
		id := string(rune('a' + i))
		switch {
		case err == nil && won == "":
			won = id
		case err == nil:
			t.Errorf("%s and %s both claimed the symbol", won, id)
		case err != backoffice.ErrVariableSymbolTaken:
			t.Errorf("%s: %v, want ErrVariableSymbolTaken", id, err)
		default:
			if _, err := db.Customer(ctx, id); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
				t.Errorf("the loser %s was written: %v", id, err)
			}
		}
	}
	if won == "" {
		t.Fatal("nobody won")
	}
	found, err := db.LookupVariableSymbol(ctx, "777001")
	if err != nil || found.Customer == nil || found.Customer.ID != won || found.Customer.VariableSymbol != "777001" {
		t.Fatalf("lookup %+v %v (stored without leading zeros)", found, err)
	}

	prev, err := db.CustomerForUpdate(ctx, won)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.UpsertCustomer(ctx, cust(won, "777002"), prev, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.UpsertCustomer(ctx, cust(won, "777003"), prev, nil); err != backoffice.ErrCustomerChanged {
		t.Errorf("stale replace: %v, want ErrCustomerChanged", err)
	}
	if err := db.UpsertCustomer(ctx, cust("other", "777001"), nil, nil); err != nil {
		t.Errorf("the released symbol is not free: %v", err)
	}
	// 777 + 3 digits is the proforma space of a customer with symbol 777:
	// taken by 777001 and 777002, so 777 is refused (in the transaction).
	if err := db.UpsertCustomer(ctx, cust("short", "777"), nil, nil); err != backoffice.ErrVariableSymbolClash {
		t.Errorf("symbol whose proforma space others use: %v, want ErrVariableSymbolClash", err)
	}
	if users, err := db.VariableSymbolSpaceUsers(ctx, "777", "short"); err != nil || len(users) != 2 {
		t.Errorf("users of 777's space = %v, %v; want the two 777xxx customers", users, err)
	}
	if err := db.UpsertCustomer(ctx, cust("short", "778"), nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.UpsertCustomer(ctx, cust("inside", "778123"), nil, nil); err != backoffice.ErrVariableSymbolClash {
		t.Errorf("symbol in another's proforma space: %v, want ErrVariableSymbolClash", err)
	}
}
