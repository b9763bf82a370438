package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
)

// pinCustomer is GET /v1/customer's body.
type pinCustomer struct {
	clientzone.Customer
	PINSet bool `json:"pinSet"`
}

func pinJSON(t *testing.T, r response, status int, v any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
}

// pinWant checks a problem answer's status and code.
func pinWant(t *testing.T, what string, r response, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.status, status, r.body)
	}
	if p := r.problem(t); p.Code != code {
		t.Fatalf("%s: code %q, want %q: %s", what, p.Code, code, r.body)
	}
}

// pinFieldError checks a 400 with exactly one field error.
func pinFieldError(t *testing.T, what string, r response, field, code string) {
	t.Helper()
	pinWant(t, what, r, 400, clientzone.EINVALID)
	p := r.problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Field != field || (code != "" && p.Errors[0].Code != code) || p.Errors[0].Message == "" {
		t.Fatalf("%s: field errors %+v, want %s/%s", what, p.Errors, field, code)
	}
}

func pinState(t *testing.T, st *Stack, cid string) *clientzone.PIN {
	t.Helper()
	p, err := st.Deps.DB.PIN(context.Background(), cid)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pinReset gives customer cid the PIN pin with no failures and no lock.
func pinReset(t *testing.T, st *Stack, cid, pin string) {
	t.Helper()
	h, err := password.NewHasher(st.Deps.PasswordParams).Hash(pin)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Deps.DB.PutPIN(context.Background(), cid, h, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func pinOutbox(t *testing.T, st *Stack, tmpl string) []clientzone.Message {
	t.Helper()
	var out []clientzone.Message
	now := time.Now().UTC()
	for _, day := range []time.Time{now.Add(-time.Hour), now} { // around midnight, both days
		msgs, err := st.Deps.DB.OutboxMessages(context.Background(), day)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Template == tmpl && !slices.ContainsFunc(out, func(o clientzone.Message) bool { return o.ID == m.ID }) {
				out = append(out, m)
			}
		}
	}
	return out
}

func pinAudit(t *testing.T, st *Stack, cid, action string) []clientzone.AuditEntry {
	t.Helper()
	page, err := st.Deps.DB.AuditLog(context.Background(), cid, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []clientzone.AuditEntry
	for _, e := range page.Entries {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

var (
	pinULID    = regexp.MustCompile(`[0-9A-HJKMNP-TV-Z]{26}`)
	pinLogTime = regexp.MustCompile(`"(time|timestamp)":"[^"]*"`)
)

// pinNotLogged fails when a secret appears in the logs as a whole token
// (ULIDs and timestamps, whose digits could contain a short PIN by chance,
// are left out).
func pinNotLogged(t *testing.T, logs *syncBuffer, secrets ...string) {
	t.Helper()
	text := pinLogTime.ReplaceAllString(pinULID.ReplaceAllString(logs.String(), "ULID"), `"timestamp":""`)
	if !strings.Contains(text, `"message":"request"`) {
		t.Fatal("no access log lines captured")
	}
	for _, s := range secrets {
		if s == "" {
			t.Fatal("empty secret")
		}
		if regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(s) + `([^0-9]|$)`).MatchString(text) {
			t.Errorf("secret %q appears in the logs", s)
		}
	}
}

// TestPINStepUp covers the authorization PIN as step-up on billing-data
// changes: required, wrong, lock after 5 in a row, reset by a right PIN.
func TestPINStepUp(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	patch := func(body string, headers ...string) response {
		return do(t, "PATCH", base+"/v1/customer/billing-data", admin, body, headers...)
	}
	withPIN := func(pin, name string) string {
		return fmt.Sprintf(`{"pin":%q,"name":%q}`, pin, name)
	}

	t.Run("missing PIN is 403 pin_required", func(t *testing.T) {
		pinWant(t, "no pin", patch(`{"name":"X"}`), 403, clientzone.EPINREQUIRED)
		r := patch(`{"pin":"","name":"X"}`, "Accept-Language", "sk")
		pinWant(t, "empty pin", r, 403, clientzone.EPINREQUIRED)
		if d := r.problem(t).Detail; d != "Táto akcia vyžaduje váš autorizačný PIN." {
			t.Errorf("detail in sk = %q", d)
		}
		if p := pinState(t, st, demo.CustomerSK); p.Failures != 0 {
			t.Errorf("a missing PIN was counted: %+v", p)
		}
	})

	t.Run("wrong PIN is 403 pin_invalid and counted; a right PIN resets the count", func(t *testing.T) {
		for i := 1; i <= 4; i++ {
			pinWant(t, "wrong pin", patch(withPIN("86420", "X")), 403, clientzone.EPININVALID)
			if p := pinState(t, st, demo.CustomerSK); p.Failures != i || !p.LockedUntil.IsZero() {
				t.Fatalf("after %d wrong PINs: %+v", i, p)
			}
		}
		pinWant(t, "malformed pin counts too", patch(withPIN("abc", "X")), 423, clientzone.EPINLOCKED)
		pinReset(t, st, demo.CustomerSK, demo.DemoPIN)

		for range 4 {
			pinWant(t, "wrong pin", patch(withPIN("86420", "X")), 403, clientzone.EPININVALID)
		}
		var c pinCustomer
		pinJSON(t, patch(withPIN(demo.DemoPIN, "Ján Novák ml.")), 200, &c)
		if c.Name != "Ján Novák ml." {
			t.Errorf("name = %q", c.Name)
		}
		if p := pinState(t, st, demo.CustomerSK); p.Failures != 0 || !p.LockedUntil.IsZero() {
			t.Fatalf("a right PIN did not reset the count: %+v", p)
		}
		// 4 more wrong ones are again only pin_invalid: the count started over.
		for range 4 {
			pinWant(t, "wrong pin after reset", patch(withPIN("86420", "X")), 403, clientzone.EPININVALID)
		}
		pinJSON(t, patch(withPIN(demo.DemoPIN, "Ján Novák")), 200, &c)
	})

	t.Run("5 wrong PINs in a row lock the PIN for an hour; the right PIN is refused while locked", func(t *testing.T) {
		before := time.Now().UTC()
		for i := 1; i <= 4; i++ {
			pinWant(t, "wrong pin", patch(withPIN("86420", "X")), 403, clientzone.EPININVALID)
		}
		r := patch(withPIN("86420", "X"))
		pinWant(t, "5th wrong pin", r, 423, clientzone.EPINLOCKED)
		p := pinState(t, st, demo.CustomerSK)
		if p.Failures != clientzone.PINMaxFailures || p.LockedUntil.Before(before.Add(59*time.Minute)) || p.LockedUntil.After(before.Add(61*time.Minute)) {
			t.Fatalf("after 5 wrong PINs: %+v", p)
		}
		if d := r.problem(t).Detail; !strings.Contains(d, p.LockedUntil.Format(time.RFC3339)) {
			t.Errorf("detail %q does not say until when (%s)", d, p.LockedUntil.Format(time.RFC3339))
		}
		r = patch(withPIN(demo.DemoPIN, "Locked Out"))
		pinWant(t, "right pin while locked", r, 423, clientzone.EPINLOCKED)
		if r.status != http.StatusLocked {
			t.Errorf("status %d", r.status)
		}
		c, err := st.Deps.DB.Customer(context.Background(), demo.CustomerSK)
		if err != nil || c.Name != "Ján Novák" {
			t.Errorf("customer changed while locked: %+v %v", c, err)
		}
		if p2 := pinState(t, st, demo.CustomerSK); p2.Failures != p.Failures || !p2.LockedUntil.Equal(p.LockedUntil) {
			t.Errorf("attempts while locked changed the state: %+v → %+v", p, p2)
		}
	})

	t.Run("an expired lock starts a new count", func(t *testing.T) {
		// One hour and more later (the store takes the time as an argument).
		failures, until, err := st.Deps.DB.RecordPINFailure(context.Background(), demo.CustomerSK, time.Now().Add(2*time.Hour), 5, time.Hour)
		if err != nil || failures != 1 || !until.IsZero() {
			t.Fatalf("failure after the lock expired: %d %v %v", failures, until, err)
		}
		pinReset(t, st, demo.CustomerSK, demo.DemoPIN)
	})

	t.Run("no PIN set: pin_required, ask support", func(t *testing.T) {
		hu := login(t, base, "admin@kovacs.hu", demo.HUPassword).AccessToken
		r := do(t, "PATCH", base+"/v1/customer/billing-data", hu, `{"pin":"123456","name":"X"}`)
		pinWant(t, "customer without PIN", r, 403, clientzone.EPINREQUIRED)
		if d := r.problem(t).Detail; !strings.Contains(d, "support") {
			t.Errorf("detail %q does not point to support", d)
		}
	})

	t.Run("10 concurrent wrong PINs: exactly 5 counted, then locked", func(t *testing.T) {
		pinReset(t, st, demo.CustomerSK, demo.DemoPIN)
		var wg sync.WaitGroup
		statuses := make([]response, 10)
		for i := range statuses {
			wg.Go(func() { statuses[i] = patch(withPIN("86420", "X")) })
		}
		wg.Wait()
		count := map[string]int{}
		for _, r := range statuses {
			count[r.problem(t).Code]++
		}
		if count[clientzone.EPININVALID] != 4 || count[clientzone.EPINLOCKED] != 6 {
			t.Errorf("answers %v, want 4 pin_invalid and 6 pin_locked", count)
		}
		p := pinState(t, st, demo.CustomerSK)
		if p.Failures != clientzone.PINMaxFailures || !p.Locked(time.Now()) {
			t.Errorf("after 10 concurrent wrong PINs: %+v", p)
		}
		pinWant(t, "right pin after concurrent lock", patch(withPIN(demo.DemoPIN, "X")), 423, clientzone.EPINLOCKED)
	})

	t.Run("store: concurrent failures never lose or exceed counts", func(t *testing.T) {
		pinReset(t, st, demo.CustomerHU, "555123")
		ctx := context.Background()
		now := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var counts []int
		locks := 0
		for range 10 {
			wg.Go(func() {
				n, until, err := st.Deps.DB.RecordPINFailure(ctx, demo.CustomerHU, now, 5, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if until.IsZero() {
					counts = append(counts, n)
				} else {
					locks++
				}
			})
		}
		wg.Wait()
		slices.Sort(counts)
		if fmt.Sprint(counts) != "[1 2 3 4]" || locks != 6 {
			t.Errorf("unlocked counts %v, locked answers %d", counts, locks)
		}
	})

	pinNotLogged(t, logs, demo.DemoPIN, "555123", demo.AdminPassword)
}

// TestPINIssueAndChange covers the back office issuing a PIN by SMS and a
// person changing it with their password.
func TestPINIssueAndChange(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	var secrets []string

	// Lock the demo PIN first: issuing a new one must clear the lock.
	for range 5 {
		do(t, "PATCH", base+"/v1/customer/billing-data", admin, `{"pin":"86420","name":"X"}`)
	}
	if p := pinState(t, st, demo.CustomerSK); !p.Locked(time.Now()) {
		t.Fatalf("not locked: %+v", p)
	}

	var issued string
	t.Run("back office issues a PIN by SMS; the answer never holds it", func(t *testing.T) {
		r := do(t, "POST", base+"/admin/v1/customers/"+demo.CustomerSK+"/pin", "", "", "User-Agent", "provisioning/1.0")
		var b map[string]any
		pinJSON(t, r, 200, &b)
		if b["issued"] != true || b["sentTo"] != "+421 *** *** 456" || len(b) != 2 {
			t.Errorf("answer %v", b)
		}
		msgs := pinOutbox(t, st, "pin-issued")
		if len(msgs) != 1 {
			t.Fatalf("pin-issued messages: %+v", msgs)
		}
		m := msgs[0]
		issued = m.Data["pin"]
		secrets = append(secrets, issued)
		if m.Channel != clientzone.ChannelSMS || m.To != "+421900123456" || m.Language != clientzone.LangSK || m.CustomerID != demo.CustomerSK ||
			!regexp.MustCompile(`^[0-9]{6}$`).MatchString(issued) {
			t.Errorf("SMS %+v", m)
		}
		if strings.Contains(string(r.body), issued) {
			t.Errorf("the HTTP answer contains the PIN: %s", r.body)
		}
		p := pinState(t, st, demo.CustomerSK)
		if p.Failures != 0 || !p.LockedUntil.IsZero() || strings.Contains(p.Hash, issued) || !strings.HasPrefix(p.Hash, "$argon2id$") {
			t.Errorf("stored PIN %+v", p)
		}
		a := pinAudit(t, st, demo.CustomerSK, "pin.issue")
		if len(a) != 1 || a[0].ActorID != "backoffice" || a[0].UserAgent != "provisioning/1.0" {
			t.Errorf("audit %+v", a)
		}
		for _, e := range a {
			for _, v := range e.Details {
				if strings.Contains(v, issued) {
					t.Errorf("audit holds the PIN: %+v", e)
				}
			}
		}
	})

	t.Run("the issued PIN works for a billing-data update, the old one no longer", func(t *testing.T) {
		pinWant(t, "old demo pin", do(t, "PATCH", base+"/v1/customer/billing-data", admin, `{"pin":"`+demo.DemoPIN+`","name":"X"}`),
			403, clientzone.EPININVALID)
		var c pinCustomer
		pinJSON(t, do(t, "PATCH", base+"/v1/customer/billing-data", admin, `{"pin":"`+issued+`","vatId":"SK1020304050"}`), 200, &c)
		if c.VATID != "SK1020304050" || !c.PINSet {
			t.Errorf("customer %+v", c)
		}
	})

	t.Run("issue: unknown customer 404, language of the customer's admin", func(t *testing.T) {
		pinWant(t, "unknown customer", do(t, "POST", base+"/admin/v1/customers/"+clientzone.NewID()+"/pin", "", ""), 404, clientzone.ENOTFOUND)
		var b map[string]any
		pinJSON(t, do(t, "POST", base+"/admin/v1/customers/"+demo.CustomerHU+"/pin", "", ""), 200, &b)
		var hu *clientzone.Message
		for _, m := range pinOutbox(t, st, "pin-issued") {
			if m.CustomerID == demo.CustomerHU {
				hu = &m
			}
		}
		if hu == nil || hu.Language != clientzone.LangHU || hu.To != "+36301234567" || b["sentTo"] != "+363 *** *** 567" {
			t.Fatalf("HU SMS %+v, answer %v", hu, b)
		}
		secrets = append(secrets, hu.Data["pin"])
	})

	t.Run("change: wrong password, weak PINs", func(t *testing.T) {
		put := func(body string) response { return do(t, "PUT", base+"/v1/customer/pin", admin, body) }
		r := put(`{"password":"not-my-password","newPin":"5826"}`)
		pinFieldError(t, "wrong password", r, "password", "incorrect")
		n, err := st.Deps.DB.Hits(ctx, account.FailedLoginCounter(demo.PersonAdmin), time.Hour, time.Now())
		if err != nil || n != 1 {
			t.Errorf("failed-login counter after a wrong password = %d, %v", n, err)
		}
		for _, weak := range []string{"1111", "1234", "9876", "4321", "12345678", "000000"} {
			pinFieldError(t, "weak "+weak, put(`{"password":"`+demo.AdminPassword+`","newPin":"`+weak+`"}`), "newPin", "weak")
		}
		for _, bad := range []string{"123", "123456789", "12a4", " 5826"} {
			pinFieldError(t, "malformed "+bad, put(`{"password":"`+demo.AdminPassword+`","newPin":"`+bad+`"}`), "newPin", "format")
		}
		r = put(`{"password":"` + demo.AdminPassword + `"}`)
		pinFieldError(t, "missing newPin", r, "newPin", "required")
		if p := pinState(t, st, demo.CustomerSK); p.Failures != 0 {
			t.Errorf("state %+v", p)
		}
		if _, err := password.NewHasher(st.Deps.PasswordParams).Verify(issued, pinState(t, st, demo.CustomerSK).Hash); err != nil {
			t.Errorf("a refused change replaced the PIN: %v", err)
		}
	})

	t.Run("change: success by a regular person, SMS without the PIN, audit", func(t *testing.T) {
		bills := login(t, base, "eva.novakova@example.sk", demo.BillsPassword).AccessToken
		newPIN := "5826"
		secrets = append(secrets, newPIN)
		// Lock the PIN first: a change clears the lock too.
		for range 5 {
			do(t, "PATCH", base+"/v1/customer/billing-data", admin, `{"pin":"86420","name":"X"}`)
		}
		var b map[string]any
		pinJSON(t, do(t, "PUT", base+"/v1/customer/pin", bills, `{"password":"`+demo.BillsPassword+`","newPin":"`+newPIN+`"}`), 200, &b)
		if b["changed"] != true || len(b) != 1 {
			t.Errorf("answer %v", b)
		}
		p := pinState(t, st, demo.CustomerSK)
		if _, err := password.NewHasher(st.Deps.PasswordParams).Verify(newPIN, p.Hash); err != nil || p.Failures != 0 || !p.LockedUntil.IsZero() {
			t.Errorf("stored PIN %+v: %v", p, err)
		}
		msgs := pinOutbox(t, st, "pin-changed")
		if len(msgs) != 1 || msgs[0].Channel != clientzone.ChannelSMS || msgs[0].To != "+421900123456" || msgs[0].PersonID != demo.PersonBills {
			t.Fatalf("pin-changed SMS %+v", msgs)
		}
		for k, v := range msgs[0].Data {
			if strings.Contains(v, newPIN) || k == "pin" {
				t.Errorf("pin-changed SMS holds the PIN: %+v", msgs[0])
			}
		}
		if a := pinAudit(t, st, demo.CustomerSK, "pin.change"); len(a) != 1 || a[0].ActorID != demo.PersonBills {
			t.Errorf("audit %+v", a)
		}
		var c pinCustomer
		pinJSON(t, do(t, "PATCH", base+"/v1/customer/billing-data", admin, `{"pin":"`+newPIN+`","companyId":"12345678"}`), 200, &c)
		if c.CompanyID != "12345678" {
			t.Errorf("customer %+v", c)
		}
	})

	t.Run("change: wrong passwords are rate limited with failed logins", func(t *testing.T) {
		tech := login(t, base, "technik", demo.TechPassword).AccessToken
		put := func(pw string) response {
			return do(t, "PUT", base+"/v1/customer/pin", tech, `{"password":"`+pw+`","newPin":"5827"}`)
		}
		for i := 0; i < 10; i++ {
			pinFieldError(t, "wrong password", put("wrong-"+fmt.Sprint(i)), "password", "incorrect")
		}
		pinWant(t, "11th wrong password", put("wrong-x"), 429, clientzone.ERATELIMITED)
		pinWant(t, "right password while limited", put(demo.TechPassword), 429, clientzone.ERATELIMITED)
	})

	pinNotLogged(t, logs, append(secrets, demo.AdminPassword, demo.BillsPassword, demo.TechPassword)...)
}

// TestBillingData covers GET /v1/customer and PATCH /v1/customer/billing-data.
func TestBillingData(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword).AccessToken
	bills := login(t, base, "eva.novakova@example.sk", demo.BillsPassword).AccessToken

	t.Run("GET /v1/customer: admins only, with pinSet", func(t *testing.T) {
		var c pinCustomer
		pinJSON(t, do(t, "GET", base+"/v1/customer", admin, ""), 200, &c)
		if c.ID != demo.CustomerSK || c.Email != "jan.novak@example.sk" || c.Phone != "+421900123456" || c.VariableSymbol != "2024001" ||
			c.BillingAddress.Country != "SK" || !c.PINSet {
			t.Errorf("customer %+v", c)
		}
		pinWant(t, "regular person", do(t, "GET", base+"/v1/customer", bills, ""), 403, clientzone.EFORBIDDEN)
		hu := login(t, base, "admin@kovacs.hu", demo.HUPassword).AccessToken
		pinJSON(t, do(t, "GET", base+"/v1/customer", hu, ""), 200, &c)
		if c.ID != demo.CustomerHU || c.PINSet || c.VATID != "HU12345678" {
			t.Errorf("HU customer %+v", c)
		}
		pinWant(t, "regular person update", do(t, "PATCH", base+"/v1/customer/billing-data", bills, `{"pin":"`+demo.DemoPIN+`","name":"X"}`),
			403, clientzone.EFORBIDDEN)
	})

	t.Run("bad input is 400 with field errors", func(t *testing.T) {
		for body, field := range map[string]string{
			`{"pin":"` + demo.DemoPIN + `","phone":"0900123456"}`:                                                                   "phone",
			`{"pin":"` + demo.DemoPIN + `","email":"not-an-email"}`:                                                                 "email",
			`{"pin":"` + demo.DemoPIN + `","name":""}`:                                                                              "name",
			`{"pin":"` + demo.DemoPIN + `","billingAddress":{"street":"A 1","city":"B","postalCode":"1","country":"XX"}}`:           "billingAddress.country",
			`{"pin":"` + demo.DemoPIN + `","billingAddress":{"street":"","city":"Bratislava","postalCode":"81102","country":"SK"}}`: "billingAddress.street",
			`{"pin":"` + demo.DemoPIN + `","variableSymbol":"1"}`:                                                                   "variableSymbol",
		} {
			r := do(t, "PATCH", base+"/v1/customer/billing-data", admin, body)
			pinFieldError(t, body, r, field, "")
		}
	})

	t.Run("update writes data, audit and an email to the old address in one go", func(t *testing.T) {
		body := `{"pin":"` + demo.DemoPIN + `","name":"Ján Novák","email":"novak.jan@example.sk","phone":"+421911222333",` +
			`"billingAddress":{"street":"Hlavná 1","city":"Košice","postalCode":"04001","country":"SK"},"vatId":"SK2020123456"}`
		var c pinCustomer
		pinJSON(t, do(t, "PATCH", base+"/v1/customer/billing-data", admin, body), 200, &c)
		want := clientzone.Address{Street: "Hlavná 1", City: "Košice", PostalCode: "04001", Country: "SK"}
		if c.Email != "novak.jan@example.sk" || c.Phone != "+421911222333" || c.BillingAddress != want || c.VATID != "SK2020123456" ||
			c.Name != "Ján Novák" || c.VariableSymbol != "2024001" || !c.PINSet {
			t.Errorf("answer %+v", c)
		}
		stored, err := st.Deps.DB.Customer(ctx, demo.CustomerSK)
		if err != nil || stored.Email != c.Email || stored.Phone != c.Phone || stored.BillingAddress != want || stored.VATID != c.VATID ||
			stored.Currency != "EUR" || stored.CreatedAt.IsZero() {
			t.Errorf("stored %+v %v", stored, err)
		}
		a := pinAudit(t, st, demo.CustomerSK, "billing-data.update")
		if len(a) != 1 || a[0].ActorID != demo.PersonAdmin || a[0].Details["fields"] != "email,phone,billingAddress,vatId" {
			t.Errorf("audit %+v", a)
		}
		msgs := pinOutbox(t, st, "billing-data-changed")
		if len(msgs) != 1 || msgs[0].Channel != clientzone.ChannelEmail || msgs[0].To != "jan.novak@example.sk" || msgs[0].Language != clientzone.LangSK {
			t.Errorf("email %+v", msgs)
		}
	})

	t.Run("nothing changed: no audit, no email", func(t *testing.T) {
		var c pinCustomer
		pinJSON(t, do(t, "PATCH", base+"/v1/customer/billing-data", admin, `{"pin":"`+demo.DemoPIN+`","vatId":"SK2020123456"}`), 200, &c)
		if n := len(pinAudit(t, st, demo.CustomerSK, "billing-data.update")); n != 1 {
			t.Errorf("%d audit entries", n)
		}
		if n := len(pinOutbox(t, st, "billing-data-changed")); n != 1 {
			t.Errorf("%d emails", n)
		}
	})

	t.Run("optimistic concurrency: a stale read does not overwrite", func(t *testing.T) {
		old, err := st.Deps.DB.Customer(ctx, demo.CustomerSK)
		if err != nil {
			t.Fatal(err)
		}
		stale := *old
		stale.Phone = "+421900000000" // someone else's view differs from the stored data
		next := stale
		next.Name = "Overwritten"
		err = st.Deps.DB.UpdateBillingData(ctx, &stale, &next, []string{account.BillingName},
			&clientzone.AuditEntry{CustomerID: demo.CustomerSK, At: time.Now(), Action: "billing-data.update", ActorID: "test"},
			&clientzone.Message{Channel: clientzone.ChannelEmail, To: "x@example.sk", Template: "billing-data-changed", CreatedAt: time.Now()})
		if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		now, _ := st.Deps.DB.Customer(ctx, demo.CustomerSK)
		if now.Name == "Overwritten" || len(pinAudit(t, st, demo.CustomerSK, "billing-data.update")) != 1 || len(pinOutbox(t, st, "billing-data-changed")) != 1 {
			t.Errorf("a failed update wrote something: %+v", now)
		}
	})

	pinNotLogged(t, logs, demo.DemoPIN, demo.AdminPassword)
}
