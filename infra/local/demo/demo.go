// Package demo loads demo data into a fresh table: two customers (a Slovak
// household with three persons of different rights, and a Hungarian company
// migrated from a legacy system with an MD5-crypt password), contracts with
// internet, VoIP, hosting and domain services, invoices in every state, and
// a status page. IDs are deterministic, so the sample events in events/ and
// the README can refer to them.
package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/password"
)

// Login is a demo account printed by the dev server.
type Login struct {
	Login    string
	Password string
	Who      string
}

// Fixed identifiers of the demo data.
const (
	CustomerSK  = "01JDEM0SK00000000000000001"
	CustomerHU  = "01JDEM0HQ00000000000000001"
	PersonAdmin = "01JDEM0SK000000000000PERS1"
	PersonBills = "01JDEM0SK000000000000PERS2"
	PersonTech  = "01JDEM0SK000000000000PERS3"
	PersonHU    = "01JDEM0HQ000000000000PERS1"
	ContractSK  = "01JDEM0SK0000000000000CTR1"
	ContractHU  = "01JDEM0HQ0000000000000CTR1"
)

// Passwords of the demo persons.
const (
	AdminPassword = "Demo-Heslo-2026"
	BillsPassword = "Demo-Faktury-2026"
	TechPassword  = "Demo-Technik-2026"
	// HUPassword matches the imported legacy MD5-crypt hash below.
	HUPassword = "jelszó"
	huLegacy   = "$1$abcdefgh$cXXUlrurBB4kQhDA/NIWR0"
)

// DemoPIN is the authorization PIN of customer SK (stored hashed); customer
// HU has none until the back office issues one.
const DemoPIN = "7391"

// Logins lists the demo accounts.
var Logins = []Login{
	{"jan.novak@example.sk", AdminPassword, "admin of customer SK (also: username jnovak, contract number 2024001)"},
	{"eva.novakova@example.sk", BillsPassword, "regular person with invoices + payments rights"},
	{"technik", TechPassword, "regular person with calls + traffic rights only (username login)"},
	{"admin@kovacs.hu", HUPassword, "admin of customer HU, legacy MD5-crypt hash upgraded on first login"},
}

// Store is what seeding writes through.
type Store interface {
	PutCustomer(context.Context, *clientzone.Customer) error
	PutPerson(context.Context, *clientzone.Person) error
	PutContract(context.Context, *clientzone.Contract, string) error
	PutInvoice(context.Context, *clientzone.Invoice) error
	PutStatusComponent(context.Context, *clientzone.StatusComponent) error
	PutIncident(context.Context, *clientzone.Incident) error
	PutPIN(ctx context.Context, cid, hash string, now time.Time) error
	PutTariff(context.Context, *clientzone.Tariff) error
}

var _ Store = (*dynamo.DB)(nil)

// id makes a deterministic ULID for time t and a name.
func id(t time.Time, name string) string {
	sum := sha256.Sum256([]byte(name))
	return ulid.MustNew(ulid.Timestamp(t), bytes.NewReader(sum[:])).String()
}

func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// Seed writes the demo data, dated relative to now, and returns the invoice
// ids of customer SK newest first.
func Seed(ctx context.Context, s Store, h *password.Hasher, now time.Time) ([]string, error) {
	now = now.UTC()
	created := now.AddDate(-2, 0, 0)
	customers := []*clientzone.Customer{
		{ID: CustomerSK, Kind: "person", Name: "Ján Novák", Email: "jan.novak@example.sk", Phone: "+421900123456",
			Region: "Bratislava", VariableSymbol: "2024001", Currency: "EUR", CreatedAt: created,
			BillingAddress: clientzone.Address{Street: "Štúrova 12", City: "Bratislava", PostalCode: "81102", Country: "SK"}},
		{ID: CustomerHU, Kind: "company", Name: "Kovács és Társa Kft.", Email: "admin@kovacs.hu", Phone: "+36301234567",
			Region: "Budapest", VariableSymbol: "7700123", Currency: "HUF", CompanyID: "01-09-123456", VATID: "HU12345678", CreatedAt: created,
			BillingAddress: clientzone.Address{Street: "Fő utca 1.", City: "Budapest", PostalCode: "1011", Country: "HU"}},
	}
	for _, c := range customers {
		if err := s.PutCustomer(ctx, c); err != nil {
			return nil, err
		}
	}

	type person struct {
		p  clientzone.Person
		pw string
	}
	all := clientzone.Notifications{Invoices: true, Expiry: true, Outages: true}
	persons := []person{
		{clientzone.Person{ID: PersonAdmin, CustomerID: CustomerSK, Name: "Ján Novák", Email: "jan.novak@example.sk", Username: "jnovak",
			Phone: "+421900123456", Role: clientzone.RoleAdmin, Language: clientzone.LangSK, Notifications: all, CreatedAt: created}, AdminPassword},
		{clientzone.Person{ID: PersonBills, CustomerID: CustomerSK, Name: "Eva Nováková", Email: "eva.novakova@example.sk",
			Role: clientzone.RoleRegular, Rights: []clientzone.Right{clientzone.RightInvoices, clientzone.RightPayments},
			Language: clientzone.LangSK, Notifications: clientzone.Notifications{Invoices: true}, CreatedAt: created}, BillsPassword},
		{clientzone.Person{ID: PersonTech, CustomerID: CustomerSK, Name: "Peter Technik", Email: "peter@example.sk", Username: "technik",
			Role: clientzone.RoleRegular, Rights: []clientzone.Right{clientzone.RightCalls, clientzone.RightTraffic},
			Language: clientzone.LangEN, Notifications: clientzone.Notifications{Outages: true}, CreatedAt: created}, TechPassword},
		{clientzone.Person{ID: PersonHU, CustomerID: CustomerHU, Name: "Kovács Anna", Email: "admin@kovacs.hu",
			Role: clientzone.RoleAdmin, Language: clientzone.LangHU, Notifications: all, CreatedAt: created, PasswordHash: huLegacy}, ""},
	}
	for _, p := range persons {
		if p.pw != "" {
			hash, err := h.Hash(p.pw)
			if err != nil {
				return nil, err
			}
			p.p.PasswordHash = hash
		}
		if err := s.PutPerson(ctx, &p.p); err != nil {
			return nil, err
		}
	}

	pinHash, err := h.Hash(DemoPIN)
	if err != nil {
		return nil, err
	}
	if err := s.PutPIN(ctx, CustomerSK, pinHash, now); err != nil {
		return nil, err
	}

	month := func(n int) time.Time { return now.AddDate(0, n, 0) }
	contracts := []struct {
		c     clientzone.Contract
		login string
	}{
		{clientzone.Contract{ID: ContractSK, CustomerID: CustomerSK, Number: "2024001", Status: clientzone.StatusActive, SignedAt: created,
			Services: []clientzone.Service{
				{ID: "01JDEM0SK0000000000000SVC1", Kind: clientzone.ServiceInternet, Name: "Optik 500/100", TariffID: "optik-500",
					Status: clientzone.StatusActive, BillingPeriod: "monthly", Price: clientzone.Money{Amount: 2490, Currency: "EUR"},
					NextChargeDate: date(month(1).AddDate(0, 0, 1-month(1).Day()))},
				{ID: "01JDEM0SK0000000000000SVC2", Kind: clientzone.ServiceVoIP, Name: "VoIP Basic +421 2 1234 5678", TariffID: "voip-basic",
					Status: clientzone.StatusActive, BillingPeriod: "monthly", Price: clientzone.Money{Amount: 500, Currency: "EUR"},
					NextChargeDate: date(month(1).AddDate(0, 0, 1-month(1).Day()))},
				{ID: "01JDEM0SK0000000000000SVC3", Kind: clientzone.ServiceHosting, Name: "Webhosting Profi novak.sk", TariffID: "web-profi",
					Status: clientzone.StatusActive, BillingPeriod: "yearly", Price: clientzone.Money{Amount: 5990, Currency: "EUR"},
					ExpiresOn: date(now.AddDate(0, 0, 30))},
				{ID: "01JDEM0SK0000000000000SVC4", Kind: clientzone.ServiceDomain, Name: "novak.sk", TariffID: "domain-sk",
					Status: clientzone.StatusActive, BillingPeriod: "yearly", Price: clientzone.Money{Amount: 1500, Currency: "EUR"},
					ExpiresOn: date(now.AddDate(0, 0, 7))},
				{ID: AddonSK, Kind: clientzone.ServiceHosting, Name: "Denná záloha webu", TariffID: "web-backup", Addon: true,
					Status: clientzone.StatusActive, BillingPeriod: "yearly", Price: clientzone.Money{Amount: 1200, Currency: "EUR"},
					NextChargeDate: date(now.AddDate(0, 4, 0))},
			}}, PersonAdmin},
		{clientzone.Contract{ID: ContractHU, CustomerID: CustomerHU, Number: "VCRM-7700123", Status: clientzone.StatusActive, SignedAt: created,
			Services: []clientzone.Service{
				{ID: "01JDEM0HQ0000000000000SVC1", Kind: clientzone.ServiceHosting, Name: "Tárhely Business kovacs.hu", TariffID: "tarhely-business",
					Status: clientzone.StatusActive, BillingPeriod: "yearly", Price: clientzone.Money{Amount: 4800000, Currency: "HUF"},
					ExpiresOn: date(now.AddDate(0, 0, 60))},
			}}, PersonHU},
	}
	for _, c := range contracts {
		if err := s.PutContract(ctx, &c.c, c.login); err != nil {
			return nil, err
		}
	}
	if err := SeedCatalog(ctx, s, now); err != nil {
		return nil, err
	}

	type inv struct {
		months int
		status clientzone.InvoiceStatus
		amount int64
	}
	// Oldest first; the last unpaid one is not yet due, the one before is overdue.
	plan := []inv{
		{-5, clientzone.InvoicePaid, 2990}, {-4, clientzone.InvoicePaid, 2990}, {-3, clientzone.InvoiceCancelled, 2990},
		{-3, clientzone.InvoicePaid, 2990}, {-2, clientzone.InvoicePaid, 8980}, {-1, clientzone.InvoiceUnpaid, 2990},
		{0, clientzone.InvoiceUnpaid, 2990},
	}
	var ids []string
	for i, p := range plan {
		issued := now.AddDate(0, p.months, -3).Add(time.Duration(i) * time.Minute)
		due := issued.AddDate(0, 0, 14)
		if p.months == 0 {
			issued, due = now.AddDate(0, 0, -1), now.AddDate(0, 0, 13)
		}
		vat := p.amount - p.amount*100/123
		in := &clientzone.Invoice{
			ID: id(issued, "sk-invoice"), CustomerID: CustomerSK, Number: "FA" + issued.Format("200601") + string(rune('0'+i)),
			ContractID: ContractSK, Status: p.status, IssuedOn: date(issued), DueOn: date(due),
			Total: clientzone.Money{Amount: p.amount, Currency: "EUR"}, VAT: clientzone.Money{Amount: vat, Currency: "EUR"},
			VariableSymbol: "2024001",
			Lines: []clientzone.InvoiceLine{{Description: "Internet Optik 500/100", Quantity: 1,
				UnitPrice: clientzone.Money{Amount: p.amount, Currency: "EUR"}, Total: clientzone.Money{Amount: p.amount, Currency: "EUR"}}},
		}
		if p.status == clientzone.InvoicePaid {
			paid := due.AddDate(0, 0, -2)
			in.PaidAt = &paid
		}
		if err := s.PutInvoice(ctx, in); clientzone.IsInvoiceNumberTaken(err) {
			// Seeded before on these tables (a dev server restarted on
			// running DynamoDB): invoice numbers are unique, keep that one.
			continue
		} else if err != nil {
			return nil, err
		}
		ids = append([]string{in.ID}, ids...)
	}
	huIssued := now.AddDate(0, -1, 0)
	if err := s.PutInvoice(ctx, &clientzone.Invoice{
		ID: id(huIssued, "hu-invoice"), CustomerID: CustomerHU, Number: "VCRM-2026-0042", ContractID: ContractHU,
		Status: clientzone.InvoicePaid, IssuedOn: date(huIssued), DueOn: date(huIssued.AddDate(0, 0, 8)),
		Total: clientzone.Money{Amount: 4800000, Currency: "HUF"}, VAT: clientzone.Money{Amount: 1020472, Currency: "HUF"},
		VariableSymbol: "7700123",
	}); err != nil && !clientzone.IsInvoiceNumberTaken(err) {
		return nil, err
	}

	for _, c := range []clientzone.StatusComponent{
		{ID: "dc-ba1", Name: "Datacenter Bratislava 1", Group: "datacenter", Status: clientzone.ComponentOperational, UpdatedAt: now},
		{ID: "dc-ba2", Name: "Datacenter Bratislava 2", Group: "datacenter", Status: clientzone.ComponentOperational, UpdatedAt: now},
		{ID: "web", Name: "Webhosting", Group: "hosting", Status: clientzone.ComponentOperational, UpdatedAt: now},
		{ID: "mail", Name: "E-mail", Group: "hosting", Status: clientzone.ComponentMaintenance, UpdatedAt: now},
		{ID: "dns", Name: "DNS", Group: "hosting", Status: clientzone.ComponentOperational, UpdatedAt: now},
	} {
		if err := s.PutStatusComponent(ctx, &c); err != nil {
			return nil, err
		}
	}
	resolved := now.AddDate(0, 0, -10).Add(2 * time.Hour)
	for _, in := range []clientzone.Incident{
		{ID: id(now.AddDate(0, 0, -10), "incident"), Title: "Packet loss in Bratislava 2", Status: "resolved", Impact: "minor",
			Components: []string{"dc-ba2"}, StartedAt: now.AddDate(0, 0, -10), ResolvedAt: &resolved,
			Message: "A faulty line card was replaced; traffic is normal."},
		{ID: id(now.Add(-time.Hour), "maintenance"), Title: "Mail server upgrade", Status: "monitoring", Impact: "minor",
			Components: []string{"mail"}, StartedAt: now.Add(-time.Hour), Message: "Delivery may be delayed by a few minutes."},
	} {
		if err := s.PutIncident(ctx, &in); err != nil {
			return nil, err
		}
	}
	// Fixed one-time tokens, so the confirm samples in events/ can succeed.
	if db, ok := s.(*dynamo.DB); ok {
		if err := SeedRecovery(ctx, db, now); err != nil {
			return nil, err
		}
		// Calls, traffic, service protocols, support requests (usage.go).
		if err := SeedUsage(ctx, db, now); err != nil {
			return nil, err
		}
		// Messages, tickets and promotions (support.go).
		if err := SeedSupport(ctx, db, now); err != nil {
			return nil, err
		}
	}
	return ids, nil
}
