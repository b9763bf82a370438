package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
)

// Usage and history of contract SK (deterministic for a given now).
const (
	// DemoCalls is how many VoIP calls contract SK has, spread over the
	// 60 days before now.
	DemoCalls = 300
	// TrafficDays is how many days (up to today) of traffic contract SK
	// has, in total and for each of TrafficIPs.
	TrafficDays = 60
	// Protocols and support requests of contract SK.
	ProtocolInstall = "01JDEM0SK0000000000000PRT1"
	ProtocolRepair  = "01JDEM0SK0000000000000PRT2"
	SupportOld      = "01JDEM0SK0000000000000SRQ1"
	SupportResolved = "01JDEM0SK0000000000000SRQ2"
	SupportOpen     = "01JDEM0SK0000000000000SRQ3"
)

// TrafficIPs are the IP addresses of contract SK with per-address traffic.
var TrafficIPs = []string{"203.0.113.10", "2001:db8::10"}

// demoDestinations are call zones with a price per started minute (cents).
var demoDestinations = []struct {
	name, number string
	perMinute    int64
}{
	{"Slovakia fixed", "+42124", 2}, {"Slovakia mobile", "+421905", 6}, {"Slovakia mobile", "+421944", 6},
	{"Czech Republic", "+420222", 5}, {"Hungary mobile", "+3630", 12}, {"Austria fixed", "+431", 4},
}

// SeedUsage writes contract SK's VoIP calls, traffic, service protocols and
// support requests, dated relative to now.
func SeedUsage(ctx context.Context, db *dynamo.DB, now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	rnd := rand.New(rand.NewPCG(2024001, 60))
	own := "+421212345678"
	calls := make([]clientzone.Call, 0, DemoCalls)
	span := int64(TrafficDays * 24 * time.Hour / time.Second)
	for i := range DemoCalls {
		at := now.Add(-time.Duration(1+rnd.Int64N(span)) * time.Second)
		d := demoDestinations[rnd.IntN(len(demoDestinations))]
		other := fmt.Sprintf("%s%06d", d.number, rnd.IntN(1000000))
		secs := 5 + rnd.IntN(900)
		c := clientzone.Call{
			ID: id(at, fmt.Sprintf("call-%d", i)), StartedAt: at, Direction: clientzone.CallOutgoing,
			From: own, To: other, Destination: d.name, DurationSeconds: secs,
			Price: clientzone.Money{Amount: int64((secs+59)/60) * d.perMinute, Currency: "EUR"},
		}
		if rnd.IntN(3) == 0 {
			c.Direction, c.From, c.To, c.Price.Amount = clientzone.CallIncoming, other, own, 0
		}
		calls = append(calls, c)
	}
	if _, err := db.PutCalls(ctx, CustomerSK, ContractSK, calls); err != nil {
		return err
	}

	var days []clientzone.TrafficDay
	const gib = 1 << 30
	for n := range TrafficDays {
		date := date(now.AddDate(0, 0, n-TrafficDays+1))
		total := clientzone.TrafficDay{Date: date}
		for _, ip := range TrafficIPs {
			d := clientzone.TrafficDay{Date: date, IP: ip,
				DownloadBytes: gib + rnd.Int64N(4*gib), UploadBytes: gib/8 + rnd.Int64N(gib/2)}
			total.DownloadBytes += d.DownloadBytes
			total.UploadBytes += d.UploadBytes
			days = append(days, d)
		}
		// Other devices behind the router add to the contract's total.
		total.DownloadBytes += rnd.Int64N(2 * gib)
		total.UploadBytes += rnd.Int64N(gib / 4)
		days = append(days, total)
	}
	if _, err := db.PutTraffic(ctx, CustomerSK, ContractSK, days); err != nil {
		return err
	}

	created := now.AddDate(-2, 0, 0)
	for _, p := range []clientzone.ServiceProtocol{
		{ID: ProtocolInstall, ContractID: ContractSK, Number: "SP-" + created.Format("2006") + "-0001", Kind: clientzone.ProtocolInstallation,
			Date: date(created), Title: "Installation of Optik 500/100 and VoIP", Technician: "Peter Technik",
			Summary:     "ONT and router installed, VoIP adapter configured, speed test 512/104 Mbit/s.",
			DocumentURL: "https://docs.example.sk/protocols/SP-0001.pdf"},
		{ID: ProtocolRepair, ContractID: ContractSK, Number: "SP-" + now.Format("2006") + "-0412", Kind: clientzone.ProtocolRepair,
			Date: date(now.AddDate(0, 0, -20)), Title: "Fibre connector cleaned", Technician: "Peter Technik",
			Summary: "Signal restored from -27 dBm to -18 dBm."},
	} {
		if err := db.PutServiceProtocol(ctx, CustomerSK, &p); err != nil {
			return err
		}
	}

	closed := func(t time.Time) *time.Time { return &t }
	for _, r := range []clientzone.SupportRequest{
		{ID: SupportOld, ContractID: ContractSK, Number: "HD-1001", OpenedAt: now.AddDate(-1, 0, 0), ClosedAt: closed(now.AddDate(-1, 0, 1)),
			Status: clientzone.SupportClosed, Subject: "VoIP number porting", Resolution: "Number ported from the previous operator."},
		{ID: SupportResolved, ContractID: ContractSK, Number: "HD-1002", OpenedAt: now.AddDate(0, 0, -21), ClosedAt: closed(now.AddDate(0, 0, -20)),
			Status: clientzone.SupportResolved, Subject: "Internet drops several times a day", Resolution: "Fibre connector cleaned on site (protocol SP-0412)."},
		{ID: SupportOpen, ContractID: ContractSK, Number: "HD-1003", OpenedAt: now.AddDate(0, 0, -2),
			Status: clientzone.SupportOpen, Subject: "Slow Wi-Fi in the evening"},
	} {
		if err := db.PutSupportRequest(ctx, CustomerSK, &r); err != nil {
			return err
		}
	}
	return nil
}
