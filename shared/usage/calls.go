package usage

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Limits of call listings, exports and ingestion.
const (
	DefaultCallLimit = 100
	MaxCallLimit     = 500
	// MaxRangeDays bounds the date range of call listings and traffic.
	MaxRangeDays = 366
	// MaxCSVCalls bounds one CSV export; a longer export asks for a
	// shorter range rather than being cut silently.
	MaxCSVCalls = 20000
	// MaxIngestCalls is the most calls one ingestion request may carry.
	MaxIngestCalls = 1000
)

// Range is a half-open time range [From, To).
type Range struct {
	From time.Time
	To   time.Time
}

// parseBound reads an RFC 3339 time or a YYYY-MM-DD date (midnight in loc;
// the next midnight when end is set, so a date "to" includes its day).
func parseBound(raw string, loc *time.Location, end bool) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return t.UTC(), true
	}
	d, err := time.ParseInLocation(time.DateOnly, raw, loc)
	if err != nil {
		return time.Time{}, false
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), true
}

// CallRange resolves the from/to parameters of a call listing: RFC 3339
// times or dates (a date "to" includes its day); by default the current
// month. The range must be non-empty and at most MaxRangeDays long.
func (s *Service) CallRange(from, to string) (Range, error) {
	loc := s.loc()
	now := s.now().In(loc)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	r := Range{From: first.UTC(), To: first.AddDate(0, 1, 0).UTC()}
	var ok bool
	if from != "" {
		if r.From, ok = parseBound(from, loc, false); !ok {
			return Range{}, invalidField("from", "datetime", "Use an RFC 3339 time or a date YYYY-MM-DD.")
		}
		if to == "" {
			r.To = r.From.AddDate(0, 1, 0)
		}
	}
	if to != "" {
		if r.To, ok = parseBound(to, loc, true); !ok {
			return Range{}, invalidField("to", "datetime", "Use an RFC 3339 time or a date YYYY-MM-DD.")
		}
		if from == "" {
			r.From = r.To.AddDate(0, -1, 0)
		}
	}
	if !r.To.After(r.From) {
		return Range{}, invalidField("to", "gtfield", "This must be after from.")
	}
	if r.To.Sub(r.From) > MaxRangeDays*24*time.Hour {
		return Range{}, invalidField("to", "range", "The range can be at most 366 days long.")
	}
	return r, nil
}

// CallQuery selects calls of a contract.
type CallQuery struct {
	From, To  string // raw parameters, see CallRange
	Direction string // "", outgoing or incoming
	Limit     int
	Cursor    string
}

// CallList is a page of calls and the range it was taken from.
type CallList struct {
	Range Range
	Page  *CallPage
}

// Calls lists a contract's calls newest first, one page.
func (s *Service) Calls(ctx context.Context, cid, ctid string, q CallQuery) (*CallList, error) {
	r, err := s.CallRange(q.From, q.To)
	if err != nil {
		return nil, err
	}
	if err := s.Store.EnsureContract(ctx, cid, ctid); err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultCallLimit
	}
	page, err := s.Store.Calls(ctx, cid, ctid, CallFilter{From: r.From, To: r.To, Direction: q.Direction, Limit: min(limit, MaxCallLimit), Cursor: q.Cursor})
	if err != nil {
		return nil, err
	}
	return &CallList{Range: r, Page: page}, nil
}

// CallsCSV exports every call of the range (newest first) as CSV with a
// header row; the limit and cursor of q are ignored.
func (s *Service) CallsCSV(ctx context.Context, cid, ctid string, q CallQuery) ([]byte, Range, error) {
	r, err := s.CallRange(q.From, q.To)
	if err != nil {
		return nil, Range{}, err
	}
	if err := s.Store.EnsureContract(ctx, cid, ctid); err != nil {
		return nil, Range{}, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", "startedAt", "direction", "from", "to", "destination", "durationSeconds", "price", "currency"})
	n, cursor := 0, ""
	for {
		page, err := s.Store.Calls(ctx, cid, ctid, CallFilter{From: r.From, To: r.To, Direction: q.Direction, Limit: MaxCallLimit, Cursor: cursor})
		if err != nil {
			return nil, Range{}, err
		}
		for _, c := range page.Calls {
			if n++; n > MaxCSVCalls {
				return nil, Range{}, clientzone.Errorf(clientzone.EINVALID, "The export has more than %d calls; choose a shorter date range.", MaxCSVCalls)
			}
			_ = w.Write([]string{c.ID, c.StartedAt.UTC().Format(time.RFC3339), c.Direction, csvText(c.From), csvText(c.To), csvText(c.Destination),
				strconv.Itoa(c.DurationSeconds), decimal(c.Price), c.Price.Currency})
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	w.Flush()
	return buf.Bytes(), r, w.Error()
}

// csvText defuses cells a spreadsheet would run as a formula (CSV
// injection).
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !isPhoneNumber(s) {
		return "'" + s
	}
	return s
}

// isPhoneNumber allows "+421..." numbers, which start with "+".
func isPhoneNumber(s string) bool {
	if s[0] != '+' || len(s) < 2 {
		return false
	}
	for _, r := range s[1:] {
		if (r < '0' || r > '9') && r != ' ' {
			return false
		}
	}
	return true
}

// decimal formats an amount in minor units with the currency's ISO 4217
// decimals and a point ("12.30", "-0.05").
func decimal(m clientzone.Money) string {
	units := 2
	switch strings.ToUpper(m.Currency) {
	case "JPY", "KRW", "ISK":
		units = 0
	case "BHD", "KWD", "JOD", "TND":
		units = 3
	}
	a := m.Amount
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	s := strconv.FormatInt(a, 10)
	if units == 0 {
		return sign + s
	}
	for len(s) <= units {
		s = "0" + s
	}
	return sign + s[:len(s)-units] + "." + s[len(s)-units:]
}

// IngestCalls upserts calls of an existing contract (back office) and
// returns how many distinct calls were written. Requests are validated by
// the HTTP layer; ids are re-checked here because they are part of keys.
func (s *Service) IngestCalls(ctx context.Context, cid, ctid string, calls []clientzone.Call) (int, error) {
	if len(calls) > MaxIngestCalls {
		return 0, invalidField("calls", "max", "Send at most 1000 calls per request.")
	}
	for i, c := range calls {
		if c.ID == "" || strings.ContainsAny(c.ID, "#$") {
			return 0, invalidField("calls["+strconv.Itoa(i)+"].id", "invalid", "This value is invalid.")
		}
		if c.Price.Amount < 0 {
			return 0, invalidField("calls["+strconv.Itoa(i)+"].price.amount", "min", "This value is too small.")
		}
	}
	if err := s.Store.EnsureContract(ctx, cid, ctid); err != nil {
		return 0, err
	}
	cust, err := s.Store.Customer(ctx, cid)
	if err != nil {
		return 0, err
	}
	// Calls are billed to the customer: a price in another currency is a
	// rating error of the sender.
	var fields []clientzone.FieldError
	for i, c := range calls {
		if c.Price.Currency != cust.Currency {
			fields = append(fields, clientzone.FieldError{Field: "calls[" + strconv.Itoa(i) + "].price.currency", Code: "currency",
				Message: "Use the customer's currency."})
		}
	}
	if len(fields) > 0 {
		return 0, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.", Fields: fields}
	}
	return s.Store.PutCalls(ctx, cid, ctid, calls)
}
