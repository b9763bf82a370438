package dynamo_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/usage"
)

// usageAPI counts operations and, while throttle is set, answers every
// BatchWriteItem by writing only its first half and returning the rest as
// unprocessed, like a throttled table.
type usageAPI struct {
	*dynamodb.Client
	queries, batches atomic.Int32
	throttle         atomic.Bool
}

func (a *usageAPI) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	a.queries.Add(1)
	return a.Client.Query(ctx, in, o...)
}

func (a *usageAPI) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	a.batches.Add(1)
	if !a.throttle.Load() {
		return a.Client.BatchWriteItem(ctx, in, o...)
	}
	for table, reqs := range in.RequestItems {
		if len(reqs) == 1 {
			return a.Client.BatchWriteItem(ctx, in, o...)
		}
		half := len(reqs) / 2
		if _, err := a.Client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs[:half]}}, o...); err != nil {
			return nil, err
		}
		return &dynamodb.BatchWriteItemOutput{UnprocessedItems: map[string][]types.WriteRequest{table: reqs[half:]}}, nil
	}
	return &dynamodb.BatchWriteItemOutput{}, nil
}

func newUsageDB(t *testing.T) (*dynamo.DB, *usageAPI) {
	api := &usageAPI{Client: dynamotest.Client()}
	return dynamo.New(api, dynamotest.NewTable(t)), api
}

func call(id string, at time.Time, dir string) clientzone.Call {
	return clientzone.Call{ID: id, StartedAt: at, Direction: dir, From: "+421212345678", To: "+421905000111",
		Destination: "Slovakia mobile", DurationSeconds: 60, Price: clientzone.Money{Amount: 6, Currency: "EUR"}}
}

// allCalls reads every page of a listing with the given page size.
func allCalls(t *testing.T, db *dynamo.DB, cid, ctid string, f usage.CallFilter) ([]string, int) {
	t.Helper()
	var ids []string
	pages := 0
	for {
		page, err := db.Calls(context.Background(), cid, ctid, f)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range page.Calls {
			ids = append(ids, c.ID)
		}
		if page.NextCursor == "" {
			return ids, pages
		}
		f.Cursor = page.NextCursor
	}
}

func TestCallsRangeBoundariesAndPagination(t *testing.T) {
	ctx := context.Background()
	db, api := newUsageDB(t)
	cid, ctid := clientzone.NewID(), clientzone.NewID()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	calls := []clientzone.Call{
		call("before", from.Add(-time.Second), clientzone.CallOutgoing),
		call("first", from, clientzone.CallOutgoing),
		call("last", to.Add(-time.Second), clientzone.CallIncoming),
		call("after", to, clientzone.CallOutgoing),
	}
	for i := range 8 {
		dir := clientzone.CallOutgoing
		if i%2 == 1 {
			dir = clientzone.CallIncoming
		}
		calls = append(calls, call(fmt.Sprintf("mid%d", i), from.Add(time.Duration(i+1)*72*time.Hour), dir))
	}
	// Another contract of the customer, in the same range.
	if _, err := db.PutCalls(ctx, cid, clientzone.NewID(), []clientzone.Call{call("other", from.Add(time.Hour), clientzone.CallOutgoing)}); err != nil {
		t.Fatal(err)
	}
	n, err := db.PutCalls(ctx, cid, ctid, calls)
	if err != nil || n != len(calls) {
		t.Fatalf("PutCalls = %d, %v", n, err)
	}

	api.queries.Store(0)
	ids, pages := allCalls(t, db, cid, ctid, usage.CallFilter{From: from, To: to, Limit: 3})
	want := []string{"last", "mid7", "mid6", "mid5", "mid4", "mid3", "mid2", "mid1", "mid0", "first"}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Fatalf("calls = %v, want %v (newest first, from included, to excluded)", ids, want)
	}
	if pages < 4 || int(api.queries.Load()) != pages {
		t.Errorf("%d pages in %d queries, want one Query per page of 3", pages, api.queries.Load())
	}

	ids, _ = allCalls(t, db, cid, ctid, usage.CallFilter{From: from, To: to, Limit: 2, Direction: clientzone.CallIncoming})
	if fmt.Sprint(ids) != "[last mid7 mid5 mid3 mid1]" {
		t.Errorf("incoming calls = %v", ids)
	}

	// A sub-second bound still includes the call of that second.
	ids, _ = allCalls(t, db, cid, ctid, usage.CallFilter{From: to.Add(-time.Second), To: to.Add(-time.Second).Add(time.Millisecond), Limit: 10})
	if fmt.Sprint(ids) != "[last]" {
		t.Errorf("one-second range = %v", ids)
	}

	// An empty range reads nothing.
	page, err := db.Calls(ctx, cid, ctid, usage.CallFilter{From: to, To: to, Limit: 10})
	if err != nil || len(page.Calls) != 0 {
		t.Errorf("empty range = %v, %v", page, err)
	}
}

func TestCallsCursorIsChecked(t *testing.T) {
	ctx := context.Background()
	db, _ := newUsageDB(t)
	cid, ctid := clientzone.NewID(), clientzone.NewID()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var calls []clientzone.Call
	for i := range 5 {
		calls = append(calls, call(fmt.Sprintf("c%d", i), from.Add(time.Duration(i)*time.Hour), clientzone.CallOutgoing))
	}
	if _, err := db.PutCalls(ctx, cid, ctid, calls); err != nil {
		t.Fatal(err)
	}
	f := usage.CallFilter{From: from, To: from.AddDate(0, 1, 0), Limit: 2}
	page, err := db.Calls(ctx, cid, ctid, f)
	if err != nil || page.NextCursor == "" {
		t.Fatalf("first page: %v %v", page, err)
	}
	// The cursor of one contract does not open another customer's or
	// contract's calls.
	f.Cursor = page.NextCursor
	_, err = db.Calls(ctx, cid, clientzone.NewID(), f)
	wantField(t, wantErrCode(t, err, clientzone.EINVALID), "cursor")
	_, err = db.Calls(ctx, clientzone.NewID(), ctid, f)
	wantField(t, wantErrCode(t, err, clientzone.EINVALID), "cursor")
	// Nor a range that does not contain its position.
	late := f
	late.From = from.Add(4 * time.Hour)
	_, err = db.Calls(ctx, cid, ctid, late)
	wantField(t, wantErrCode(t, err, clientzone.EINVALID), "cursor")
	f.Cursor = "not-a-cursor"
	_, err = db.Calls(ctx, cid, ctid, f)
	wantField(t, wantErrCode(t, err, clientzone.EINVALID), "cursor")
}

func TestPutCallsIdempotentAndRetriesUnprocessed(t *testing.T) {
	ctx := context.Background()
	db, api := newUsageDB(t)
	cid, ctid := clientzone.NewID(), clientzone.NewID()
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var calls []clientzone.Call
	for i := range 60 {
		calls = append(calls, call(fmt.Sprintf("c%03d", i), from.Add(time.Duration(i)*time.Minute), clientzone.CallOutgoing))
	}
	api.throttle.Store(true)
	n, err := db.PutCalls(ctx, cid, ctid, calls)
	if err != nil || n != 60 {
		t.Fatalf("PutCalls = %d, %v", n, err)
	}
	// 3 chunks (25, 25, 10), each retried until its last item went in.
	if b := api.batches.Load(); b < 6 {
		t.Errorf("%d BatchWriteItem calls, want retries of unprocessed items", b)
	}
	api.throttle.Store(false)
	f := usage.CallFilter{From: from, To: from.Add(2 * time.Hour), Limit: 500}
	ids, _ := allCalls(t, db, cid, ctid, f)
	if len(ids) != 60 {
		t.Fatalf("stored %d calls, want 60", len(ids))
	}

	// Re-ingesting the same calls (one repeated, one re-rated) adds nothing.
	calls[0].Price.Amount = 99
	again := append(calls, calls[59])
	if n, err = db.PutCalls(ctx, cid, ctid, again); err != nil || n != 60 {
		t.Fatalf("re-ingest = %d, %v; want 60 distinct", n, err)
	}
	page, err := db.Calls(ctx, cid, ctid, f)
	if err != nil || len(page.Calls) != 60 {
		t.Fatalf("after re-ingest: %d calls, %v", len(page.Calls), err)
	}
	oldest := page.Calls[59]
	if oldest.ID != "c000" || oldest.Price.Amount != 99 || oldest.ContractID != ctid || !oldest.StartedAt.Equal(from) {
		t.Errorf("re-rated call = %+v", oldest)
	}
}

func TestTrafficRanges(t *testing.T) {
	ctx := context.Background()
	db, api := newUsageDB(t)
	cid, ctid := clientzone.NewID(), clientzone.NewID()
	var days []clientzone.TrafficDay
	for d := 1; d <= 31; d++ {
		date := fmt.Sprintf("2026-01-%02d", d)
		days = append(days,
			clientzone.TrafficDay{Date: date, DownloadBytes: int64(d) * 100, UploadBytes: int64(d)},
			clientzone.TrafficDay{Date: date, IP: "203.0.113.10", DownloadBytes: int64(d) * 10, UploadBytes: 1},
			clientzone.TrafficDay{Date: date, IP: "2001:db8::10", DownloadBytes: 5, UploadBytes: 2})
	}
	if n, err := db.PutTraffic(ctx, cid, ctid, days); err != nil || n != 93 {
		t.Fatalf("PutTraffic = %d, %v", n, err)
	}
	// Re-ingest of one day replaces it.
	if _, err := db.PutTraffic(ctx, cid, ctid, []clientzone.TrafficDay{{Date: "2026-01-10", DownloadBytes: 7, UploadBytes: 7}}); err != nil {
		t.Fatal(err)
	}

	api.queries.Store(0)
	got, err := db.Traffic(ctx, cid, ctid, "2026-01-10", "2026-01-12")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[{2026-01-10  7 7} {2026-01-11  1100 11} {2026-01-12  1200 12}]" {
		t.Errorf("traffic = %v", got)
	}
	if q := api.queries.Load(); q != 1 {
		t.Errorf("%d queries, want 1", q)
	}

	all, err := db.TrafficByIP(ctx, cid, ctid, "", "2026-01-30", "2026-01-31")
	if err != nil || len(all) != 4 {
		t.Fatalf("by IP = %v, %v", all, err)
	}
	one, err := db.TrafficByIP(ctx, cid, ctid, "203.0.113.10", "2026-01-30", "2026-01-31")
	if err != nil || fmt.Sprint(one) != "[{2026-01-30 203.0.113.10 300 1} {2026-01-31 203.0.113.10 310 1}]" {
		t.Errorf("one IP = %v, %v", one, err)
	}
	none, err := db.Traffic(ctx, cid, clientzone.NewID(), "2026-01-01", "2026-01-31")
	if err != nil || len(none) != 0 {
		t.Errorf("other contract = %v, %v", none, err)
	}
}

func TestContractHistory(t *testing.T) {
	ctx := context.Background()
	db := dynamotest.NewDB(t)
	cid := clientzone.NewID()
	c := &clientzone.Contract{ID: clientzone.NewID(), CustomerID: cid, Number: "H-" + clientzone.NewID(), Status: clientzone.StatusActive}
	if err := db.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureContract(ctx, cid, c.ID); err != nil {
		t.Errorf("EnsureContract(own) = %v", err)
	}
	wantErrCode(t, db.EnsureContract(ctx, clientzone.NewID(), c.ID), clientzone.ENOTFOUND)

	for i, date := range []string{"2025-05-01", "2026-02-01", "2025-11-15"} {
		p := &clientzone.ServiceProtocol{ID: fmt.Sprintf("p%d", i), ContractID: c.ID, Number: fmt.Sprint(i), Kind: clientzone.ProtocolRepair, Date: date, Title: "t"}
		if err := db.PutServiceProtocol(ctx, cid, p); err != nil {
			t.Fatal(err)
		}
	}
	// Moving p0 to a later date re-sorts it rather than duplicating it.
	if err := db.PutServiceProtocol(ctx, cid, &clientzone.ServiceProtocol{ID: "p0", ContractID: c.ID, Number: "0", Kind: clientzone.ProtocolRepair, Date: "2026-03-01", Title: "moved"}); err != nil {
		t.Fatal(err)
	}
	page, err := db.ServiceProtocols(ctx, cid, c.ID, 2, "")
	if err != nil || len(page.Protocols) != 2 || page.Protocols[0].ID != "p0" || page.Protocols[0].Title != "moved" || page.Protocols[1].ID != "p1" || page.NextCursor == "" {
		t.Fatalf("protocols page 1 = %+v, %v", page, err)
	}
	page, err = db.ServiceProtocols(ctx, cid, c.ID, 2, page.NextCursor)
	if err != nil || len(page.Protocols) != 1 || page.Protocols[0].ID != "p2" {
		t.Fatalf("protocols page 2 = %+v, %v", page, err)
	}
	_, err = db.ServiceProtocols(ctx, clientzone.NewID(), c.ID, 2, page.NextCursor+"x")
	wantErrCode(t, err, clientzone.EINVALID)

	base := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range 3 {
		r := &clientzone.SupportRequest{ID: fmt.Sprintf("r%d", i), ContractID: c.ID, Number: fmt.Sprint(i), OpenedAt: base.AddDate(0, 0, i), Status: clientzone.SupportOpen, Subject: "s"}
		if err := db.PutSupportRequest(ctx, cid, r); err != nil {
			t.Fatal(err)
		}
	}
	reqs, err := db.SupportRequests(ctx, cid, c.ID, 10, "")
	if err != nil || len(reqs.Requests) != 3 || reqs.Requests[0].ID != "r2" || reqs.Requests[2].ID != "r0" {
		t.Fatalf("support requests = %+v, %v", reqs, err)
	}
	other, err := db.SupportRequests(ctx, clientzone.NewID(), c.ID, 10, "")
	if err != nil || len(other.Requests) != 0 {
		t.Errorf("another customer's partition = %+v, %v", other, err)
	}
}
