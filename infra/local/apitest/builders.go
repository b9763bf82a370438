package apitest

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
)

// The builders create data the way an operator does: through the
// back-office API (/admin/v1, which the dev server admits without SigV4)
// and the public API. Every call makes unique ids, emails, usernames and
// variable symbols, so tests sharing a stack never see each other's data.

var seq atomic.Int64

// Seq is a number unique within the test binary (from 1).
func Seq() int64 { return seq.Add(1) }

// Unique makes a string unique within the test binary from a prefix.
func Unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, Seq()) }

// Date formats t as an API date.
func Date(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// CustomerSpec describes a customer to create; zero fields get defaults
// (a Slovak household paying in EUR, with unique email and variable
// symbol).
type CustomerSpec struct {
	ID             string // default a new ULID
	Kind           string // person (default) or company
	Name           string
	Email          string
	Phone          string
	Region         string
	VariableSymbol string
	Currency       string // default EUR
	Language       clientzone.Language
	CompanyID      string
	VATID          string
	Street         string
	City           string
	PostalCode     string
	Country        string
}

// Customer is a customer the back office created.
type Customer = clientzone.Customer

// NewCustomer creates a customer with PUT /admin/v1/customers/{id}.
func (s *Stack) NewCustomer(t testing.TB, spec CustomerSpec) *Customer {
	t.Helper()
	n := Seq()
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&spec.ID, clientzone.NewID())
	def(&spec.Kind, "person")
	def(&spec.Name, fmt.Sprintf("Zákazník %d", n))
	def(&spec.Email, fmt.Sprintf("customer%d@example.sk", n))
	def(&spec.Phone, fmt.Sprintf("+4219%08d", n))
	def(&spec.Region, "Bratislava")
	def(&spec.VariableSymbol, fmt.Sprint(5000000+n))
	def(&spec.Currency, "EUR")
	def(&spec.Street, "Hlavná 1")
	def(&spec.City, "Bratislava")
	def(&spec.PostalCode, "81101")
	def(&spec.Country, "SK")
	if spec.Language == "" {
		spec.Language = clientzone.LangSK
	}
	if spec.Kind == "company" && spec.CompanyID == "" {
		spec.CompanyID = fmt.Sprintf("ICO-%d", n)
	}
	body := map[string]any{"kind": spec.Kind, "name": spec.Name, "email": spec.Email, "phone": spec.Phone, "region": spec.Region,
		"variableSymbol": spec.VariableSymbol, "currency": spec.Currency, "language": spec.Language,
		"billingAddress": map[string]any{"street": spec.Street, "city": spec.City, "postalCode": spec.PostalCode, "country": spec.Country}}
	if spec.CompanyID != "" {
		body["companyId"] = spec.CompanyID
	}
	if spec.VATID != "" {
		body["vatId"] = spec.VATID
	}
	r := s.Do(t, "PUT", "/admin/v1/customers/"+spec.ID, "", JSON(t, body))
	c := Decode[Customer](t, r, 201)
	return &c
}

// PersonSpec describes a person to create; zero fields get defaults (a
// regular person without rights, speaking the customer's language, with a
// unique email and a password).
type PersonSpec struct {
	ID       string // default a new ULID
	Name     string
	Email    string
	Username string
	Phone    string
	Role     clientzone.Role // default regular
	Rights   []clientzone.Right
	Language clientzone.Language
	Password string
}

// Person is a person the back office created, with the password it logs in
// with.
type Person struct {
	ID         string
	CustomerID string
	Name       string
	Email      string
	Username   string
	Phone      string
	Role       clientzone.Role
	Rights     []clientzone.Right
	Language   clientzone.Language
	Password   string
}

// NewPerson creates a person of c with the back office's persons import
// (POST /admin/v1/customers/{id}/persons/import), carrying an argon2id
// hash of its password, as a migration from a legacy portal does.
func (s *Stack) NewPerson(t testing.TB, c *Customer, spec PersonSpec) *Person {
	t.Helper()
	n := Seq()
	p := Person{ID: spec.ID, CustomerID: c.ID, Name: spec.Name, Email: spec.Email, Username: spec.Username, Phone: spec.Phone,
		Role: spec.Role, Rights: spec.Rights, Language: spec.Language, Password: spec.Password}
	if p.ID == "" {
		p.ID = clientzone.NewID()
	}
	if p.Name == "" {
		p.Name = fmt.Sprintf("Osoba %d", n)
	}
	if p.Email == "" {
		p.Email = fmt.Sprintf("person%d@example.sk", n)
	}
	if p.Role == "" {
		p.Role = clientzone.RoleRegular
	}
	if p.Language == "" {
		p.Language = c.Language
		if p.Language == "" {
			p.Language = clientzone.LangSK
		}
	}
	if p.Password == "" {
		p.Password = fmt.Sprintf("Test-Heslo-%d-Q", n)
	}
	hash, err := password.NewHasher(FastHash).Hash(p.Password)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"id": p.ID, "name": p.Name, "email": p.Email, "role": p.Role, "rights": orEmpty(p.Rights),
		"language": p.Language, "passwordHash": hash}
	if p.Username != "" {
		in["username"] = p.Username
	}
	if p.Phone != "" {
		in["phone"] = p.Phone
	}
	s.ImportPersons(t, c.ID, in)
	return &p
}

// ImportPersons posts persons to the back office's import and fails t
// unless all of them were imported.
func (s *Stack) ImportPersons(t testing.TB, customerID string, persons ...map[string]any) {
	t.Helper()
	r := s.Do(t, "POST", "/admin/v1/customers/"+customerID+"/persons/import", "", JSON(t, map[string]any{"persons": persons}))
	res := Decode[struct {
		Imported int   `json:"imported"`
		Errors   []any `json:"errors"`
	}](t, r, 200)
	if res.Imported != len(persons) || len(res.Errors) != 0 {
		t.Fatalf("import of %d persons: %s", len(persons), r.Body)
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Tokens is the answer of a login, refresh or password change.
type Tokens struct {
	TokenType          string             `json:"tokenType"`
	AccessToken        string             `json:"accessToken"`
	ExpiresIn          int                `json:"expiresIn"`
	RefreshToken       string             `json:"refreshToken"`
	MustChangePassword bool               `json:"mustChangePassword"`
	Person             *clientzone.Person `json:"person"`
}

// LoginResponse posts a login and returns the answer as it is.
func (s *Stack) LoginResponse(t testing.TB, login, pw string) Response {
	t.Helper()
	return s.Do(t, "POST", "/v1/auth/login", "", JSON(t, map[string]string{"login": login, "password": pw}))
}

// Login logs in with a login (email, username or contract number) and
// password; anything but 200 fails t.
func (s *Stack) Login(t testing.TB, login, pw string) Tokens {
	t.Helper()
	r := s.LoginResponse(t, login, pw)
	if r.Status != 200 {
		t.Fatalf("login %s: %d %s", login, r.Status, r.Body)
	}
	return Decode[Tokens](t, r, 200)
}

// LoginAs logs p in by email and returns the access token.
func (s *Stack) LoginAs(t testing.TB, p *Person) string {
	t.Helper()
	return s.Login(t, p.Email, p.Password).AccessToken
}

// Account is a customer with its admin, logged in.
type Account struct {
	*Customer
	Admin *Person
	// Token is an access token of Admin.
	Token string
}

// NewAccount creates a customer (spec as for NewCustomer) with an admin
// person (named after the customer, with its email and phone) and logs the
// admin in.
func (s *Stack) NewAccount(t testing.TB, spec CustomerSpec) *Account {
	t.Helper()
	c := s.NewCustomer(t, spec)
	admin := s.NewPerson(t, c, PersonSpec{Name: c.Name, Email: c.Email, Phone: c.Phone, Role: clientzone.RoleAdmin})
	return &Account{Customer: c, Admin: admin, Token: s.LoginAs(t, admin)}
}

// NewRegular creates a regular person of the account with rights and logs
// them in: e.g. a calls-only technician or an invoices-only accountant.
func (s *Stack) NewRegular(t testing.TB, a *Account, rights ...clientzone.Right) (*Person, string) {
	t.Helper()
	p := s.NewPerson(t, a.Customer, PersonSpec{Rights: rights})
	return p, s.LoginAs(t, p)
}

// IssuePIN has the back office issue a new authorization PIN to c
// (POST /admin/v1/customers/{id}/pin) and returns it as the SMS carries it.
func (s *Stack) IssuePIN(t testing.TB, c *Customer) string {
	t.Helper()
	r := s.Do(t, "POST", "/admin/v1/customers/"+c.ID+"/pin", "", "")
	if r.Status != 200 {
		t.Fatalf("issue PIN: %d %s", r.Status, r.Body)
	}
	sms := s.LastMessage(t, func(m clientzone.Message) bool { return m.CustomerID == c.ID && m.Template == "pin-issued" })
	if sms == nil || sms.Data["pin"] == "" {
		t.Fatalf("no pin-issued SMS for %s", c.ID)
	}
	return sms.Data["pin"]
}

// Outbox lists today's outbox messages (emails, SMS and events) matching
// keep, oldest first. It reads the store: no API shows the messages'
// template data (the dev mailbox renders them).
func (s *Stack) Outbox(t testing.TB, keep func(clientzone.Message) bool) []clientzone.Message {
	t.Helper()
	ms, err := s.Deps.DB.OutboxMessages(context.Background(), s.Deps.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if keep == nil {
		return ms
	}
	return slices.DeleteFunc(ms, func(m clientzone.Message) bool { return !keep(m) })
}

// LastMessage is the newest outbox message of today matching keep, or nil.
func (s *Stack) LastMessage(t testing.TB, keep func(clientzone.Message) bool) *clientzone.Message {
	t.Helper()
	ms := s.Outbox(t, keep)
	if len(ms) == 0 {
		return nil
	}
	return &ms[len(ms)-1]
}

// To matches the outbox messages to an address.
func To(addr string) func(clientzone.Message) bool {
	return func(m clientzone.Message) bool { return strings.EqualFold(m.To, addr) }
}

// TariffSpec describes a catalogue tariff to create; zero fields get
// defaults (an available monthly internet tariff at 10.00 EUR).
type TariffSpec struct {
	ID            string // default unique
	Kind          string
	Name          string
	Description   string
	Price         int64
	Currency      string
	BillingPeriod string
	Addon         bool
	Parameters    map[string]string
	Unavailable   bool
}

// NewTariff creates a catalogue tariff with PUT /admin/v1/tariffs/{id}.
func (s *Stack) NewTariff(t testing.TB, spec TariffSpec) *clientzone.Tariff {
	t.Helper()
	n := Seq()
	if spec.ID == "" {
		spec.ID = fmt.Sprintf("tariff-%d", n)
	}
	if spec.Kind == "" {
		spec.Kind = clientzone.ServiceInternet
	}
	if spec.Name == "" {
		spec.Name = fmt.Sprintf("Tarif %d", n)
	}
	if spec.Price == 0 {
		spec.Price = 1000
	}
	if spec.Currency == "" {
		spec.Currency = "EUR"
	}
	if spec.BillingPeriod == "" {
		spec.BillingPeriod = "monthly"
	}
	body := map[string]any{"kind": spec.Kind, "name": spec.Name, "description": spec.Description,
		"price": map[string]any{"amount": spec.Price, "currency": spec.Currency}, "billingPeriod": spec.BillingPeriod,
		"addon": spec.Addon, "available": !spec.Unavailable}
	if spec.Parameters != nil {
		body["parameters"] = spec.Parameters
	}
	r := s.Do(t, "PUT", "/admin/v1/tariffs/"+spec.ID, "", JSON(t, body))
	if r.Status != 200 && r.Status != 201 {
		t.Fatalf("tariff %s: %d %s", spec.ID, r.Status, r.Body)
	}
	tf := Decode[clientzone.Tariff](t, r, r.Status)
	return &tf
}

// ServiceSpec is a service of a contract to create; zero fields get
// defaults (an active monthly service charged on the 1st of next month,
// on a new tariff of its kind, period and price).
type ServiceSpec struct {
	ID             string
	Kind           string // default internet
	Name           string
	TariffID       string
	Status         string
	BillingPeriod  string
	Price          int64 // default 1000
	NextChargeDate string
	ExpiresOn      string
	SuspendedOn    string
	SuspensionKind string
	Addon          bool
}

// ContractSpec describes a contract to create.
type ContractSpec struct {
	ID             string // default a new ULID
	Number         string // default unique
	Status         string // default active
	SuspensionKind string
	SignedAt       time.Time // default two years ago
	Services       []ServiceSpec
}

// ContractBody is the back office's contract upsert body for spec. It
// fills in spec's defaults (its ID among them) and creates a tariff for
// every service without one.
func (s *Stack) ContractBody(t testing.TB, c *Customer, spec *ContractSpec) map[string]any {
	t.Helper()
	now := s.Deps.Clock.Now().UTC()
	if spec.ID == "" {
		spec.ID = clientzone.NewID()
	}
	if spec.Number == "" {
		spec.Number = fmt.Sprint(20000000 + Seq())
	}
	if spec.Status == "" {
		spec.Status = string(clientzone.StatusActive)
	}
	if spec.SignedAt.IsZero() {
		spec.SignedAt = now.AddDate(-2, 0, 0).Truncate(time.Second)
	}
	var services []map[string]any
	for i := range spec.Services {
		sv := &spec.Services[i]
		if sv.ID == "" {
			sv.ID = clientzone.NewID()
		}
		if sv.Kind == "" {
			sv.Kind = clientzone.ServiceInternet
		}
		if sv.Status == "" {
			sv.Status = string(clientzone.StatusActive)
		}
		if sv.BillingPeriod == "" {
			sv.BillingPeriod = "monthly"
		}
		if sv.Price == 0 {
			sv.Price = 1000
		}
		if sv.TariffID == "" {
			sv.TariffID = s.NewTariff(t, TariffSpec{Kind: sv.Kind, Name: sv.Name, Price: sv.Price, Currency: c.Currency,
				BillingPeriod: sv.BillingPeriod, Addon: sv.Addon}).ID
		}
		if sv.Name == "" {
			sv.Name = "Služba " + sv.TariffID
		}
		if sv.NextChargeDate == "" && sv.ExpiresOn == "" && sv.BillingPeriod == "monthly" {
			first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
			sv.NextChargeDate = Date(first)
		}
		m := map[string]any{"id": sv.ID, "kind": sv.Kind, "name": sv.Name, "tariffId": sv.TariffID, "status": sv.Status,
			"billingPeriod": sv.BillingPeriod, "price": map[string]any{"amount": sv.Price, "currency": c.Currency}, "addon": sv.Addon}
		for k, v := range map[string]string{"nextChargeDate": sv.NextChargeDate, "expiresOn": sv.ExpiresOn,
			"suspendedOn": sv.SuspendedOn, "suspensionKind": sv.SuspensionKind} {
			if v != "" {
				m[k] = v
			}
		}
		services = append(services, m)
	}
	body := map[string]any{"number": spec.Number, "status": spec.Status, "signedAt": spec.SignedAt, "services": orEmpty(services)}
	if spec.SuspensionKind != "" {
		body["suspensionKind"] = spec.SuspensionKind
	}
	return body
}

// NewContract creates a contract of c with its services with
// PUT /admin/v1/customers/{id}/contracts/{contractId}.
func (s *Stack) NewContract(t testing.TB, c *Customer, spec ContractSpec) *clientzone.Contract {
	t.Helper()
	body := s.ContractBody(t, c, &spec)
	r := s.Do(t, "PUT", "/admin/v1/customers/"+c.ID+"/contracts/"+spec.ID, "", JSON(t, body))
	ct := Decode[clientzone.Contract](t, r, 200)
	return &ct
}

// InvoiceSpec describes an invoice to create; zero fields get defaults (an
// unpaid invoice of 29.90 in the customer's currency, issued yesterday,
// due in 13 days, with 23 % VAT included and one line).
type InvoiceSpec struct {
	ID             string // default a new ULID dated IssuedOn
	Number         string // default unique
	ContractID     string
	Status         clientzone.InvoiceStatus
	IssuedOn       time.Time
	DueOn          time.Time
	PaidAt         *time.Time
	Amount         int64
	VariableSymbol string // default the customer's
	Lines          []map[string]any
}

// NewInvoice creates an invoice of c with
// PUT /admin/v1/customers/{id}/invoices/{invoiceId}.
func (s *Stack) NewInvoice(t testing.TB, c *Customer, spec InvoiceSpec) *clientzone.Invoice {
	t.Helper()
	r := s.Do(t, "PUT", "/admin/v1/customers/"+c.ID+"/invoices/"+s.invoiceID(&spec), "", JSON(t, s.InvoiceBody(c, &spec)))
	in := Decode[clientzone.Invoice](t, r, 201)
	return &in
}

func (s *Stack) invoiceID(spec *InvoiceSpec) string {
	if spec.ID == "" {
		if spec.IssuedOn.IsZero() {
			spec.IssuedOn = s.Deps.Clock.Now().UTC().AddDate(0, 0, -1)
		}
		spec.ID = ulid.MustNew(ulid.Timestamp(spec.IssuedOn), rand.Reader).String()
	}
	return spec.ID
}

// InvoiceBody is the back office's invoice upsert body for spec, defaults
// filled in.
func (s *Stack) InvoiceBody(c *Customer, spec *InvoiceSpec) map[string]any {
	now := s.Deps.Clock.Now().UTC()
	if spec.IssuedOn.IsZero() {
		spec.IssuedOn = now.AddDate(0, 0, -1)
	}
	if spec.DueOn.IsZero() {
		spec.DueOn = spec.IssuedOn.AddDate(0, 0, 14)
	}
	if spec.Number == "" {
		spec.Number = Unique("FA" + spec.IssuedOn.Format("200601") + "-")
	}
	if spec.Status == "" {
		spec.Status = clientzone.InvoiceUnpaid
	}
	if spec.Status == clientzone.InvoicePaid && spec.PaidAt == nil {
		paid := spec.DueOn.AddDate(0, 0, -2).Truncate(time.Second)
		spec.PaidAt = &paid
	}
	if spec.Amount == 0 {
		spec.Amount = 2990
	}
	if spec.VariableSymbol == "" {
		spec.VariableSymbol = c.VariableSymbol
	}
	money := func(a int64) map[string]any { return map[string]any{"amount": a, "currency": c.Currency} }
	lines := spec.Lines
	if lines == nil {
		lines = []map[string]any{{"description": "Internet", "quantity": 1, "unitPrice": money(spec.Amount), "total": money(spec.Amount)}}
	}
	body := map[string]any{"number": spec.Number, "status": spec.Status, "issuedOn": Date(spec.IssuedOn), "dueOn": Date(spec.DueOn),
		"total": money(spec.Amount), "vat": money(spec.Amount - spec.Amount*100/123), "variableSymbol": spec.VariableSymbol, "lines": lines}
	if spec.ContractID != "" {
		body["contractId"] = spec.ContractID
	}
	if spec.PaidAt != nil {
		body["paidAt"] = spec.PaidAt
	}
	return body
}

// LinkContractLogin makes the number of contract ctid of c a login of
// person pid, as migrated contracts bring. No API creates contract-number
// logins, so this writes the store.
func (s *Stack) LinkContractLogin(t testing.TB, c *Customer, ctid, pid string) {
	t.Helper()
	ctx := context.Background()
	ct, err := s.Deps.DB.Contract(ctx, c.ID, ctid)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Deps.DB.PutContract(ctx, ct, pid); err != nil {
		t.Fatal(err)
	}
}
