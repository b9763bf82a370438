package usage

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

var testNow = time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)

func TestCallRange(t *testing.T) {
	s := &Service{Clock: clientzone.FixedClock(testNow)}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		from, to     string
		want         Range
		field, code  string
		wantErrField bool
	}{
		{"", "", Range{day(2026, 3, 1), day(2026, 4, 1)}, "", "", false},
		{"2026-01-10", "2026-01-10", Range{day(2026, 1, 10), day(2026, 1, 11)}, "", "", false},
		{"2026-01-10T08:00:00+01:00", "2026-01-10T09:00:00Z", Range{time.Date(2026, 1, 10, 7, 0, 0, 0, time.UTC), time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)}, "", "", false},
		{"2026-02-01", "", Range{day(2026, 2, 1), day(2026, 3, 1)}, "", "", false},
		{"", "2026-02-28", Range{day(2026, 2, 1), day(2026, 3, 1)}, "", "", false},
		{"2025-03-15", "2026-03-15", Range{day(2025, 3, 15), day(2026, 3, 16)}, "", "", false}, // 366 days
		{"2025-03-14", "2026-03-15", Range{}, "to", "range", true},
		{"2026-03-02", "2026-03-01", Range{}, "to", "gtfield", true},
		{"03/01/2026", "", Range{}, "from", "datetime", true},
		{"", "tomorrow", Range{}, "to", "datetime", true},
	} {
		got, err := s.CallRange(tc.from, tc.to)
		if tc.wantErrField {
			var e *clientzone.Error
			if !errors.As(err, &e) || e.Code != clientzone.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != tc.field || e.Fields[0].Code != tc.code {
				t.Errorf("CallRange(%q, %q) error = %v, want field %s %s", tc.from, tc.to, err, tc.field, tc.code)
			}
			continue
		}
		if err != nil || !got.From.Equal(tc.want.From) || !got.To.Equal(tc.want.To) {
			t.Errorf("CallRange(%q, %q) = %v – %v, %v; want %v – %v", tc.from, tc.to, got.From, got.To, err, tc.want.From, tc.want.To)
		}
	}
	// Dates are days of the provider's time zone.
	bratislava, _ := time.LoadLocation("Europe/Bratislava")
	s.Location = bratislava
	got, err := s.CallRange("2026-01-10", "2026-01-10")
	if err != nil || got.From != time.Date(2026, 1, 9, 23, 0, 0, 0, time.UTC) || got.To != time.Date(2026, 1, 10, 23, 0, 0, 0, time.UTC) {
		t.Errorf("Bratislava day = %v – %v, %v", got.From, got.To, err)
	}
}

func TestCSVCells(t *testing.T) {
	for _, tc := range []struct {
		m    clientzone.Money
		want string
	}{
		{clientzone.Money{Amount: 1234, Currency: "EUR"}, "12.34"},
		{clientzone.Money{Amount: 5, Currency: "EUR"}, "0.05"},
		{clientzone.Money{Amount: -5, Currency: "HUF"}, "-0.05"},
		{clientzone.Money{Amount: 0, Currency: "EUR"}, "0.00"},
		{clientzone.Money{Amount: 150, Currency: "JPY"}, "150"},
		{clientzone.Money{Amount: 1500, Currency: "KWD"}, "1.500"},
	} {
		if got := decimal(tc.m); got != tc.want {
			t.Errorf("decimal(%v) = %q, want %q", tc.m, got, tc.want)
		}
	}
	for in, want := range map[string]string{
		"+421905123456": "+421905123456", "=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1+2": "'+1+2",
		"-3": "'-3", "@SUM(A1)": "'@SUM(A1)", "Slovakia mobile": "Slovakia mobile", "": "",
	} {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeStore serves traffic and contracts from memory.
type fakeStore struct {
	Store
	contracts map[string]bool
	days      []clientzone.TrafficDay
}

func (f *fakeStore) EnsureContract(_ context.Context, cid, ctid string) error {
	if !f.contracts[cid+"/"+ctid] {
		return clientzone.NotFound("Contract")
	}
	return nil
}

func (f *fakeStore) Traffic(_ context.Context, _, _, from, to string) ([]clientzone.TrafficDay, error) {
	var out []clientzone.TrafficDay
	for _, d := range f.days {
		if d.IP == "" && d.Date >= from && d.Date <= to {
			out = append(out, d)
		}
	}
	return out, nil
}

func TestMonthlyTrafficSumsDays(t *testing.T) {
	st := &fakeStore{contracts: map[string]bool{"c/k": true}}
	for d := testNow.AddDate(0, 0, -400); !d.After(testNow); d = d.AddDate(0, 0, 1) {
		st.days = append(st.days, clientzone.TrafficDay{Date: d.Format(time.DateOnly), DownloadBytes: int64(d.Day()), UploadBytes: 1})
	}
	s := &Service{Store: st, Clock: clientzone.FixedClock(testNow)}
	got, err := s.Traffic(context.Background(), "c", "k", Monthly, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got.From != "2025-04-01" || got.To != "2026-03-15" || len(got.Items) != 12 || got.Items[0].Period != "2025-04" || got.Items[11].Period != "2026-03" {
		t.Fatalf("monthly = %+v", got)
	}
	// April 2025: days 1..30; March 2026 up to the 15th.
	if got.Items[0].DownloadBytes != 465 || got.Items[0].UploadBytes != 30 || got.Items[11].DownloadBytes != 120 || got.Items[11].UploadBytes != 15 {
		t.Errorf("month sums = %+v, %+v", got.Items[0], got.Items[11])
	}
	var sum int64
	for _, m := range got.Items {
		sum += m.DownloadBytes
	}
	if sum != got.Total.DownloadBytes {
		t.Errorf("total %d, sum %d", got.Total.DownloadBytes, sum)
	}
	daily, err := s.Traffic(context.Background(), "c", "k", "", "2026-02-27", "2026-03-02")
	if err != nil || fmt.Sprint(daily.Items) != "[{2026-02-27 27 1} {2026-02-28 28 1} {2026-03-01 1 1} {2026-03-02 2 1}]" {
		t.Errorf("daily = %+v, %v", daily, err)
	}
	if _, err := s.Traffic(context.Background(), "other", "k", "", "", ""); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Errorf("foreign contract: %v", err)
	}
}

// callStore holds one EUR customer with one contract and records writes.
type callStore struct {
	fakeStore
	put []clientzone.Call
}

func (c *callStore) Customer(_ context.Context, cid string) (*clientzone.Customer, error) {
	if cid != "c" {
		return nil, clientzone.NotFound("Customer")
	}
	return &clientzone.Customer{ID: "c", Currency: "EUR"}, nil
}

func (c *callStore) PutCalls(_ context.Context, _, _ string, calls []clientzone.Call) (int, error) {
	c.put = append(c.put, calls...)
	return len(calls), nil
}

func TestIngestCallsChecksPrices(t *testing.T) {
	st := &callStore{fakeStore: fakeStore{contracts: map[string]bool{"c/k": true}}}
	s := &Service{Store: st, Clock: clientzone.FixedClock(testNow)}
	call := func(id string, amount int64, cur string) clientzone.Call {
		return clientzone.Call{ID: id, StartedAt: testNow, Price: clientzone.Money{Amount: amount, Currency: cur}}
	}
	_, err := s.IngestCalls(context.Background(), "c", "k", []clientzone.Call{call("a", 5, "EUR"), call("b", 5, "HUF"), call("c", 0, "EUR"), call("d", 1, "CZK")})
	var e *clientzone.Error
	if !errors.As(err, &e) || e.Code != clientzone.EINVALID || len(e.Fields) != 2 ||
		e.Fields[0].Field != "calls[1].price.currency" || e.Fields[1].Field != "calls[3].price.currency" || e.Fields[0].Code != "currency" {
		t.Fatalf("foreign currencies: %v %+v", err, e)
	}
	_, err = s.IngestCalls(context.Background(), "c", "k", []clientzone.Call{call("a", 5, "EUR"), call("b", -1, "EUR")})
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "calls[1].price.amount" || e.Fields[0].Code != "min" {
		t.Fatalf("negative price: %v", err)
	}
	if len(st.put) != 0 {
		t.Fatalf("rejected ingestions wrote %d calls", len(st.put))
	}
	if n, err := s.IngestCalls(context.Background(), "c", "k", []clientzone.Call{call("a", 5, "EUR"), call("b", 0, "EUR")}); err != nil || n != 2 || len(st.put) != 2 {
		t.Fatalf("valid ingestion: %d, %v", n, err)
	}
}
