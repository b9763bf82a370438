package schedule_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/schedule"
)

// TestExpiryReminders10000Services seeds 10,000 services of 1,000 customers
// expiring over 90 days and runs the expiry job for one day: it must find
// exactly the services expiring on the 5 target days, with a number of
// DynamoDB calls bounded by the pages read, the reminders sent and the
// customers looked up, and no Scan.
func TestExpiryReminders10000Services(t *testing.T) {
	const customers, perCustomer = 1000, 10
	env, db, table := newEnvTable(t)
	seedStart := time.Now()
	targets := map[int]bool{}
	for _, o := range schedule.ReminderOffsets {
		targets[o] = true
	}
	want, wantCustomers := 0, map[string]bool{}
	// Seed with BatchWriteItem (25 items a call) from parallel goroutines:
	// customer, admin person (not every 10th customer) and services, in the
	// table's item layout (shared/dynamo: keys + the entity).
	var items []map[string]types.AttributeValue
	add := func(v any) {
		av, err := attributevalue.MarshalMap(v)
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, av)
	}
	for i := range customers {
		cid := fmt.Sprintf("c%04d", i)
		add(customerRow{row: row{PK: "CUST#" + cid, SK: "CUSTOMER"}, Customer: clientzone.Customer{ID: cid, Email: "contact-" + cid + "@example.com", Currency: "EUR"}})
		if i%10 != 0 { // every 10th customer has no person: reminders go to the contact email
			add(personRow{row: row{PK: "CUST#" + cid, SK: "PERSON#p-" + cid}, Person: clientzone.Person{ID: "p-" + cid, CustomerID: cid,
				Email: "admin-" + cid + "@example.com", Role: clientzone.RoleAdmin, Language: clientzone.Languages[i%len(clientzone.Languages)],
				Notifications: clientzone.Notifications{Expiry: true}}})
		}
		for k := range perCustomer {
			offset := 1 + (i*perCustomer+k)%90
			sid, exp := fmt.Sprintf("s%04d-%d", i, k), date(now0, offset)
			add(serviceRow{row: row{PK: "CUST#" + cid, SK: "CONTRACT#ct-" + cid + "#SVC#" + sid, GSI2PK: "EXPIRY#" + exp, GSI2SK: cid + "#" + sid},
				CustomerID: cid, Service: clientzone.Service{ID: sid, ContractID: "ct-" + cid, Name: "Hosting " + sid, ExpiresOn: exp}})
			if targets[offset] {
				want++
				wantCustomers[cid] = true
			}
		}
	}
	batches := make(chan []map[string]types.AttributeValue)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for b := range batches {
				reqs := make([]types.WriteRequest, len(b))
				for i, it := range b {
					reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
				}
				pending := map[string][]types.WriteRequest{table: reqs}
				for len(pending) > 0 {
					out, err := dynamotest.Client().BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: pending})
					if err != nil {
						t.Error(err)
						break
					}
					pending = out.UnprocessedItems
				}
			}
		})
	}
	for len(items) > 0 {
		n := min(25, len(items))
		batches <- items[:n]
		items = items[n:]
	}
	close(batches)
	wg.Wait()
	t.Logf("seeded %d services of %d customers in %s", customers*perCustomer, customers, time.Since(seedStart).Round(time.Millisecond))

	j := schedule.Jobs(env)["expiry-reminders"]
	rep, err := j.Run(context.Background(), now0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Found != want || rep.Done != want || rep.Failed != 0 {
		t.Fatalf("found %d done %d failed %d; want %d found and sent", rep.Found, rep.Done, rep.Failed, want)
	}
	if n := len(outbox(t, db, now0, "expiry-reminder")); n != want {
		t.Fatalf("outbox has %d reminders, want %d", n, want)
	}
	t.Logf("expiry job: %d reminders to %d customers in %s; %d DynamoDB calls (%.2f per reminder) in %d index pages: %v",
		rep.Done, len(wantCustomers), rep.Duration.Round(time.Millisecond), rep.DynamoCalls,
		float64(rep.DynamoCalls)/float64(rep.Done), rep.Pages, rep.Ops)
	// Per run: the index pages, one transaction per reminder, one persons
	// Query per customer (and a customer GetItem for those without persons).
	if bound := rep.Pages + rep.Done + 2*len(wantCustomers); rep.DynamoCalls > bound {
		t.Errorf("%d DynamoDB calls, more than the bound %d", rep.DynamoCalls, bound)
	}
	for op := range rep.Ops {
		if !slices.Contains([]string{"Query", "GetItem", "TransactWriteItems"}, op) {
			t.Errorf("unexpected operation %s (%d×)", op, rep.Ops[op])
		}
	}
	if rep.Ops["Query"] != rep.Pages+len(wantCustomers) {
		t.Errorf("Query calls %d, want pages %d + customers %d", rep.Ops["Query"], rep.Pages, len(wantCustomers))
	}

	// Rerun: nothing is sent again.
	again, err := j.Run(context.Background(), now0)
	if err != nil {
		t.Fatal(err)
	}
	if again.Done != 0 || again.Skipped != want {
		t.Fatalf("rerun: %+v", again)
	}
	t.Logf("rerun: %d skipped in %s, %d DynamoDB calls", again.Skipped, again.Duration.Round(time.Millisecond), again.DynamoCalls)
}

// Seed rows in the table's item layout (shared/dynamo: keys + the entity).
type row struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	GSI2PK string `dynamodbav:"gsi2pk,omitempty"`
	GSI2SK string `dynamodbav:"gsi2sk,omitempty"`
}

type customerRow struct {
	row
	clientzone.Customer
}

type personRow struct {
	row
	clientzone.Person
}

type serviceRow struct {
	row
	CustomerID string
	clientzone.Service
}
