package usage

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Traffic granularities.
const (
	Daily   = "daily"
	Monthly = "monthly"
)

// MaxIngestTraffic is the most traffic records one ingestion request may
// carry.
const MaxIngestTraffic = 1000

// TrafficPoint is the traffic of one period: a day (YYYY-MM-DD) or a month
// (YYYY-MM).
type TrafficPoint struct {
	Period        string `json:"period"`
	DownloadBytes int64  `json:"downloadBytes"`
	UploadBytes   int64  `json:"uploadBytes"`
}

// TrafficTotal is the traffic of a whole range.
type TrafficTotal struct {
	DownloadBytes int64 `json:"downloadBytes"`
	UploadBytes   int64 `json:"uploadBytes"`
}

func (t *TrafficTotal) add(d clientzone.TrafficDay) {
	t.DownloadBytes += d.DownloadBytes
	t.UploadBytes += d.UploadBytes
}

// TrafficStats is a contract's traffic per day or month, oldest first, with
// every period of the range listed (zero when nothing was recorded).
type TrafficStats struct {
	ContractID  string         `json:"contractId"`
	Granularity string         `json:"granularity"`
	From        string         `json:"from"`
	To          string         `json:"to"`
	Items       []TrafficPoint `json:"items"`
	Total       TrafficTotal   `json:"total"`
}

// IPTraffic is the traffic of one IP address in a range; Days is set when
// one address was asked for.
type IPTraffic struct {
	IP            string         `json:"ip"`
	DownloadBytes int64          `json:"downloadBytes"`
	UploadBytes   int64          `json:"uploadBytes"`
	Days          []TrafficPoint `json:"days,omitempty"`
}

// TrafficByIP is a contract's traffic per IP address in a range.
type TrafficByIP struct {
	ContractID string       `json:"contractId"`
	From       string       `json:"from"`
	To         string       `json:"to"`
	Items      []IPTraffic  `json:"items"`
	Total      TrafficTotal `json:"total"`
}

// dateRange resolves from/to dates (both included): to defaults to today,
// from to the start of the default window before to.
func (s *Service) dateRange(from, to string, defaultFrom func(to time.Time) time.Time) (time.Time, time.Time, error) {
	today := s.now().In(s.loc())
	end := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	var err error
	if to != "" {
		if end, err = time.Parse(time.DateOnly, to); err != nil {
			return time.Time{}, time.Time{}, invalidField("to", "date", "Use the format YYYY-MM-DD.")
		}
	}
	start := defaultFrom(end)
	if from != "" {
		if start, err = time.Parse(time.DateOnly, from); err != nil {
			return time.Time{}, time.Time{}, invalidField("from", "date", "Use the format YYYY-MM-DD.")
		}
	}
	if end.Before(start) {
		return time.Time{}, time.Time{}, invalidField("to", "gtefield", "This must not be before from.")
	}
	if end.Sub(start) >= MaxRangeDays*24*time.Hour {
		return time.Time{}, time.Time{}, invalidField("to", "range", "The range can be at most 366 days long.")
	}
	return start, end, nil
}

// Traffic returns a contract's daily or monthly traffic. Defaults: daily,
// the last 30 days; monthly, the last 12 months (this one included).
// Monthly sums are computed from the daily records.
func (s *Service) Traffic(ctx context.Context, cid, ctid, granularity, from, to string) (*TrafficStats, error) {
	if granularity == "" {
		granularity = Daily
	}
	window := func(end time.Time) time.Time { return end.AddDate(0, 0, -29) }
	if granularity == Monthly {
		window = func(end time.Time) time.Time { return time.Date(end.Year(), end.Month()-11, 1, 0, 0, 0, 0, time.UTC) }
	} else if granularity != Daily {
		return nil, invalidField("granularity", "oneof", "This value is not allowed.")
	}
	start, end, err := s.dateRange(from, to, window)
	if err != nil {
		return nil, err
	}
	if err := s.Store.EnsureContract(ctx, cid, ctid); err != nil {
		return nil, err
	}
	days, err := s.Store.Traffic(ctx, cid, ctid, start.Format(time.DateOnly), end.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	out := &TrafficStats{ContractID: ctid, Granularity: granularity, From: start.Format(time.DateOnly), To: end.Format(time.DateOnly)}
	period := func(date string) string { return date }
	if granularity == Monthly {
		period = func(date string) string { return date[:7] }
	}
	out.Items = series(start, end, period)
	at := map[string]int{}
	for i, p := range out.Items {
		at[p.Period] = i
	}
	for _, d := range days {
		if i, ok := at[period(d.Date)]; ok {
			out.Items[i].DownloadBytes += d.DownloadBytes
			out.Items[i].UploadBytes += d.UploadBytes
			out.Total.add(d)
		}
	}
	return out, nil
}

// series lists the periods from start to end (dates, both included) with
// zero traffic.
func series(start, end time.Time, period func(date string) string) []TrafficPoint {
	out := []TrafficPoint{}
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		p := period(d.Format(time.DateOnly))
		if len(out) == 0 || out[len(out)-1].Period != p {
			out = append(out, TrafficPoint{Period: p})
		}
	}
	return out
}

// TrafficByIP returns a contract's traffic per IP address in a date range
// (default: the last 30 days), with the daily series when ip is set.
func (s *Service) TrafficByIP(ctx context.Context, cid, ctid, ip, from, to string) (*TrafficByIP, error) {
	if ip != "" {
		a, err := netip.ParseAddr(ip)
		if err != nil {
			return nil, invalidField("ip", "ip", "This is not a valid IP address.")
		}
		ip = a.Unmap().WithZone("").String()
	}
	start, end, err := s.dateRange(from, to, func(end time.Time) time.Time { return end.AddDate(0, 0, -29) })
	if err != nil {
		return nil, err
	}
	if err := s.Store.EnsureContract(ctx, cid, ctid); err != nil {
		return nil, err
	}
	days, err := s.Store.TrafficByIP(ctx, cid, ctid, ip, start.Format(time.DateOnly), end.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	out := &TrafficByIP{ContractID: ctid, From: start.Format(time.DateOnly), To: end.Format(time.DateOnly), Items: []IPTraffic{}}
	byIP := map[string]*IPTraffic{}
	var order []string
	for _, d := range days {
		t := byIP[d.IP]
		if t == nil {
			t = &IPTraffic{IP: d.IP}
			byIP[d.IP] = t
			order = append(order, d.IP)
		}
		t.DownloadBytes += d.DownloadBytes
		t.UploadBytes += d.UploadBytes
		out.Total.add(d)
	}
	slices.SortFunc(order, func(a, b string) int {
		x, _ := netip.ParseAddr(a)
		y, _ := netip.ParseAddr(b)
		return x.Compare(y)
	})
	if ip != "" && len(order) == 0 {
		order = []string{ip} // an address without traffic in the range
		byIP[ip] = &IPTraffic{IP: ip}
	}
	for _, a := range order {
		t := byIP[a]
		if ip != "" {
			t.Days = series(start, end, func(date string) string { return date })
			at := map[string]int{}
			for i, p := range t.Days {
				at[p.Period] = i
			}
			for _, d := range days {
				if i, ok := at[d.Date]; ok && d.IP == a {
					t.Days[i].DownloadBytes += d.DownloadBytes
					t.Days[i].UploadBytes += d.UploadBytes
				}
			}
		}
		out.Items = append(out.Items, *t)
	}
	return out, nil
}

// IngestTraffic upserts daily traffic records (contract totals, or per IP
// address when ip is set) of an existing contract and returns how many
// distinct records were written.
func (s *Service) IngestTraffic(ctx context.Context, cid, ctid string, days []clientzone.TrafficDay) (int, error) {
	if len(days) > MaxIngestTraffic {
		return 0, invalidField("records", "max", "Send at most 1000 records per request.")
	}
	for i := range days {
		idx := "records[" + strconv.Itoa(i) + "]"
		if _, err := time.Parse(time.DateOnly, days[i].Date); err != nil {
			return 0, invalidField(idx+".date", "date", "Use the format YYYY-MM-DD.")
		}
		if days[i].IP != "" {
			a, err := netip.ParseAddr(days[i].IP)
			if err != nil {
				return 0, invalidField(idx+".ip", "ip", "This is not a valid IP address.")
			}
			days[i].IP = a.Unmap().WithZone("").String()
		}
		if days[i].DownloadBytes < 0 || days[i].UploadBytes < 0 {
			return 0, invalidField(idx+".downloadBytes", "min", "This must not be negative.")
		}
	}
	if err := s.Store.EnsureContract(ctx, cid, ctid); err != nil {
		return 0, err
	}
	return s.Store.PutTraffic(ctx, cid, ctid, days)
}
