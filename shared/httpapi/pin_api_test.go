package httpapi_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
)

// customerJSON is GET /v1/customer's body.
type customerJSON struct {
	clientzone.Customer
	PINSet bool `json:"pinSet"`
}

// pinState reads the customer's PIN state: its failures and lock are in no
// answer (on purpose), so the store is read.
func pinState(t *testing.T, s *apitest.Stack, cid string) *clientzone.PIN {
	t.Helper()
	p, err := s.Deps.DB.PIN(t.Context(), cid)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// messagesOf lists today's outbox messages of tmpl for customer cid.
func messagesOf(t *testing.T, s *apitest.Stack, cid, tmpl string) []clientzone.Message {
	t.Helper()
	return s.Outbox(t, func(m clientzone.Message) bool { return m.CustomerID == cid && m.Template == tmpl })
}

var (
	anyULID    = regexp.MustCompile(`[0-9A-HJKMNP-TV-Z]{26}`)
	logTimeRE  = regexp.MustCompile(`"(time|timestamp)":"[^"]*"`)
	digitsOnly = regexp.MustCompile(`^[0-9]{6}$`)
)

// pinNotLogged fails when a secret appears in the logs as a whole token
// (ULIDs and timestamps, whose digits could contain a short PIN by chance,
// are left out).
func pinNotLogged(t *testing.T, s *apitest.Stack, secrets ...string) {
	t.Helper()
	text := logTimeRE.ReplaceAllString(anyULID.ReplaceAllString(s.Logs.String(), "ULID"), `"timestamp":""`)
	if !strings.Contains(text, `"message":"request"`) {
		t.Fatal("no access log lines captured")
	}
	for _, sec := range secrets {
		if sec == "" {
			t.Fatal("empty secret")
		}
		if regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(sec) + `([^0-9]|$)`).MatchString(text) {
			t.Errorf("secret %q appears in the logs", sec)
		}
	}
}

// wantProblemNow is apitest.WantProblem stopping the test on a mismatch.
func wantProblemNow(t *testing.T, what string, r apitest.Response, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.Status, status, r.Body)
	}
	if p := r.Problem(t); p.Code != code {
		t.Fatalf("%s: code %q, want %q: %s", what, p.Code, code, r.Body)
	}
}

// pinFieldError checks a 400 with exactly one field error with a message.
func pinFieldError(t *testing.T, what string, r apitest.Response, field, code string) {
	t.Helper()
	wantProblemNow(t, what, r, 400, clientzone.EINVALID)
	p := r.Problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Field != field || (code != "" && p.Errors[0].Code != code) || p.Errors[0].Message == "" {
		t.Fatalf("%s: field errors %+v, want %s/%s", what, p.Errors, field, code)
	}
}

// TestPINStepUp covers the authorization PIN as step-up on billing-data
// changes: required, wrong, lock after 5 in a row, reset by a right PIN.
func TestPINStepUp(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	pin := s.IssuePIN(t, h.Customer)
	admin := s.LoginAs(t, h.Admin)
	patch := func(body string, headers ...string) apitest.Response {
		return s.Do(t, "PATCH", "/v1/customer/billing-data", admin, body, headers...)
	}
	withPIN := func(pin, name string) string { return fmt.Sprintf(`{"pin":%q,"name":%q}`, pin, name) }

	t.Run("missing PIN is 403 pin_required", func(t *testing.T) {
		wantProblemNow(t, "no pin", patch(`{"name":"X"}`), 403, clientzone.EPINREQUIRED)
		r := patch(`{"pin":"","name":"X"}`, "Accept-Language", "sk")
		wantProblemNow(t, "empty pin", r, 403, clientzone.EPINREQUIRED)
		if d := r.Problem(t).Detail; d != "Táto akcia vyžaduje váš autorizačný PIN." {
			t.Errorf("detail in sk = %q", d)
		}
		if p := pinState(t, s, h.ID); p.Failures != 0 {
			t.Errorf("a missing PIN was counted: %+v", p)
		}
	})

	t.Run("wrong PIN is 403 pin_invalid and counted; a right PIN resets the count", func(t *testing.T) {
		for i := 1; i <= 4; i++ {
			wantProblemNow(t, "wrong pin", patch(withPIN("86420", "X")), 403, clientzone.EPININVALID)
			if p := pinState(t, s, h.ID); p.Failures != i || !p.LockedUntil.IsZero() {
				t.Fatalf("after %d wrong PINs: %+v", i, p)
			}
		}
		wantProblemNow(t, "malformed pin counts too", patch(withPIN("abc", "X")), 423, clientzone.EPINLOCKED)
		pin = s.IssuePIN(t, h.Customer) // a new PIN clears the lock

		for range 4 {
			wantProblemNow(t, "wrong pin", patch(withPIN("86420", "X")), 403, clientzone.EPININVALID)
		}
		c := apitest.Decode[customerJSON](t, patch(withPIN(pin, "Ján Novák ml.")), 200)
		if c.Name != "Ján Novák ml." {
			t.Errorf("name = %q", c.Name)
		}
		if p := pinState(t, s, h.ID); p.Failures != 0 || !p.LockedUntil.IsZero() {
			t.Fatalf("a right PIN did not reset the count: %+v", p)
		}
		// 4 more wrong ones are again only pin_invalid: the count started over.
		for range 4 {
			wantProblemNow(t, "wrong pin after reset", patch(withPIN("86420", "X")), 403, clientzone.EPININVALID)
		}
		apitest.Decode[customerJSON](t, patch(withPIN(pin, "Ján Novák")), 200)
	})

	t.Run("5 wrong PINs in a row lock the PIN for an hour; the right PIN is refused while locked", func(t *testing.T) {
		before := time.Now().UTC()
		for i := 1; i <= 4; i++ {
			wantProblemNow(t, "wrong pin", patch(withPIN("86420", "X")), 403, clientzone.EPININVALID)
		}
		r := patch(withPIN("86420", "X"))
		wantProblemNow(t, "5th wrong pin", r, 423, clientzone.EPINLOCKED)
		p := pinState(t, s, h.ID)
		if p.Failures != clientzone.PINMaxFailures || p.LockedUntil.Before(before.Add(59*time.Minute)) || p.LockedUntil.After(before.Add(61*time.Minute)) {
			t.Fatalf("after 5 wrong PINs: %+v", p)
		}
		if d := r.Problem(t).Detail; !strings.Contains(d, p.LockedUntil.Format(time.RFC3339)) {
			t.Errorf("detail %q does not say until when (%s)", d, p.LockedUntil.Format(time.RFC3339))
		}
		r = patch(withPIN(pin, "Locked Out"))
		wantProblemNow(t, "right pin while locked", r, 423, clientzone.EPINLOCKED)
		if r.Status != http.StatusLocked {
			t.Errorf("status %d", r.Status)
		}
		if c := apitest.Decode[customerJSON](t, s.Do(t, "GET", "/v1/customer", admin, ""), 200); c.Name != "Ján Novák" {
			t.Errorf("customer changed while locked: %+v", c)
		}
		if p2 := pinState(t, s, h.ID); p2.Failures != p.Failures || !p2.LockedUntil.Equal(p.LockedUntil) {
			t.Errorf("attempts while locked changed the state: %+v → %+v", p, p2)
		}
	})

	t.Run("no PIN set: pin_required, ask support", func(t *testing.T) {
		other := s.NewAccount(t, apitest.CustomerSpec{})
		r := s.Do(t, "PATCH", "/v1/customer/billing-data", other.Token, `{"pin":"123456","name":"X"}`)
		wantProblemNow(t, "customer without PIN", r, 403, clientzone.EPINREQUIRED)
		if d := r.Problem(t).Detail; !strings.Contains(d, "support") {
			t.Errorf("detail %q does not point to support", d)
		}
	})

	t.Run("10 concurrent wrong PINs: exactly 5 counted, then locked", func(t *testing.T) {
		pin = s.IssuePIN(t, h.Customer)
		var wg sync.WaitGroup
		answers := make([]apitest.Response, 10)
		for i := range answers {
			wg.Go(func() { answers[i] = patch(withPIN("86420", "X")) })
		}
		wg.Wait()
		count := map[string]int{}
		for _, r := range answers {
			count[r.Problem(t).Code]++
		}
		if count[clientzone.EPININVALID] != 4 || count[clientzone.EPINLOCKED] != 6 {
			t.Errorf("answers %v, want 4 pin_invalid and 6 pin_locked", count)
		}
		p := pinState(t, s, h.ID)
		if p.Failures != clientzone.PINMaxFailures || !p.Locked(time.Now()) {
			t.Errorf("after 10 concurrent wrong PINs: %+v", p)
		}
		wantProblemNow(t, "right pin after concurrent lock", patch(withPIN(pin, "X")), 423, clientzone.EPINLOCKED)
	})

	pinNotLogged(t, s, pin, h.Admin.Password)
}

// TestPINIssueAndChange covers the back office issuing a PIN by SMS and a
// person changing it with their password.
func TestPINIssueAndChange(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	old := s.IssuePIN(t, h.Customer)
	admin := s.LoginAs(t, h.Admin)
	var secrets []string

	// Lock the PIN first: issuing a new one must clear the lock.
	for range 5 {
		s.Do(t, "PATCH", "/v1/customer/billing-data", admin, `{"pin":"86420","name":"X"}`)
	}
	if p := pinState(t, s, h.ID); !p.Locked(time.Now()) {
		t.Fatalf("not locked: %+v", p)
	}

	var issued string
	t.Run("back office issues a PIN by SMS; the answer never holds it", func(t *testing.T) {
		before := len(messagesOf(t, s, h.ID, "pin-issued"))
		r := s.Do(t, "POST", "/admin/v1/customers/"+h.ID+"/pin", "", "", "User-Agent", "provisioning/1.0")
		b := apitest.Decode[map[string]any](t, r, 200)
		masked := h.Phone[:4] + " *** *** " + h.Phone[len(h.Phone)-3:]
		if b["issued"] != true || b["sentTo"] != masked || len(b) != 2 {
			t.Errorf("answer %v, want sentTo %s", b, masked)
		}
		msgs := messagesOf(t, s, h.ID, "pin-issued")
		if len(msgs) != before+1 {
			t.Fatalf("pin-issued messages: %+v", msgs)
		}
		m := msgs[len(msgs)-1]
		issued = m.Data["pin"]
		secrets = append(secrets, issued)
		if m.Channel != clientzone.ChannelSMS || m.To != h.Phone || m.Language != clientzone.LangSK || m.CustomerID != h.ID ||
			!digitsOnly.MatchString(issued) {
			t.Errorf("SMS %+v", m)
		}
		if strings.Contains(string(r.Body), issued) {
			t.Errorf("the HTTP answer contains the PIN: %s", r.Body)
		}
		p := pinState(t, s, h.ID)
		if p.Failures != 0 || !p.LockedUntil.IsZero() || strings.Contains(p.Hash, issued) || !strings.HasPrefix(p.Hash, "$argon2id$") {
			t.Errorf("stored PIN %+v", p)
		}
		a := auditOf(t, s, admin, "pin.issue")
		if len(a) != 2 || a[0].ActorID != "backoffice" || a[0].UserAgent != "provisioning/1.0" {
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
		wantProblemNow(t, "old pin", s.Do(t, "PATCH", "/v1/customer/billing-data", admin, `{"pin":"`+old+`","name":"X"}`),
			403, clientzone.EPININVALID)
		c := apitest.Decode[customerJSON](t, s.Do(t, "PATCH", "/v1/customer/billing-data", admin, `{"pin":"`+issued+`","vatId":"SK1020304050"}`), 200)
		if c.VATID != "SK1020304050" || !c.PINSet {
			t.Errorf("customer %+v", c)
		}
	})

	t.Run("issue: unknown customer 404, language of the customer's admin", func(t *testing.T) {
		wantProblemNow(t, "unknown customer", s.Do(t, "POST", "/admin/v1/customers/"+clientzone.NewID()+"/pin", "", ""), 404, clientzone.ENOTFOUND)
		hu := s.NewCustomer(t, apitest.CustomerSpec{Currency: "HUF", Country: "HU", Language: clientzone.LangSK,
			Phone: fmt.Sprintf("+36301%06d", apitest.Seq())})
		s.NewPerson(t, hu, apitest.PersonSpec{Role: clientzone.RoleAdmin, Language: clientzone.LangHU})
		b := apitest.Decode[map[string]any](t, s.Do(t, "POST", "/admin/v1/customers/"+hu.ID+"/pin", "", ""), 200)
		msgs := messagesOf(t, s, hu.ID, "pin-issued")
		if len(msgs) != 1 || msgs[0].Language != clientzone.LangHU || msgs[0].To != hu.Phone || b["sentTo"] != "+363 *** *** "+hu.Phone[len(hu.Phone)-3:] {
			t.Fatalf("HU SMS %+v, answer %v", msgs, b)
		}
		secrets = append(secrets, msgs[0].Data["pin"])
	})

	t.Run("change: wrong password, weak PINs", func(t *testing.T) {
		put := func(body string) apitest.Response { return s.Do(t, "PUT", "/v1/customer/pin", admin, body) }
		pinFieldError(t, "wrong password", put(`{"password":"not-my-password","newPin":"5826"}`), "password", "incorrect")
		// Rate-limit counters are in no answer: read it from the store.
		n, err := s.Deps.DB.Hits(t.Context(), account.FailedLoginCounter(h.Admin.ID), time.Hour, time.Now())
		if err != nil || n != 1 {
			t.Errorf("failed-login counter after a wrong password = %d, %v", n, err)
		}
		var cases []apitest.Case
		for _, weak := range []string{"1111", "1234", "9876", "4321", "12345678", "000000"} {
			cases = append(cases, apitest.Case{Name: "weak " + weak, Method: "PUT", Path: "/v1/customer/pin", Token: admin,
				Body: `{"password":"` + h.Admin.Password + `","newPin":"` + weak + `"}`, Status: 400, Code: clientzone.EINVALID,
				Check: func(t *testing.T, r apitest.Response) { pinFieldError(t, weak, r, "newPin", "weak") }})
		}
		for _, bad := range []string{"123", "123456789", "12a4", " 5826"} {
			cases = append(cases, apitest.Case{Name: "malformed " + bad, Method: "PUT", Path: "/v1/customer/pin", Token: admin,
				Body: `{"password":"` + h.Admin.Password + `","newPin":"` + bad + `"}`, Status: 400, Code: clientzone.EINVALID,
				Check: func(t *testing.T, r apitest.Response) { pinFieldError(t, bad, r, "newPin", "format") }})
		}
		cases = append(cases, apitest.Case{Name: "missing newPin", Method: "PUT", Path: "/v1/customer/pin", Token: admin,
			Body: `{"password":"` + h.Admin.Password + `"}`, Status: 400, Code: clientzone.EINVALID,
			Check: func(t *testing.T, r apitest.Response) { pinFieldError(t, "missing", r, "newPin", "required") }})
		s.Run(t, cases)
		if p := pinState(t, s, h.ID); p.Failures != 0 {
			t.Errorf("state %+v", p)
		}
		if _, err := password.NewHasher(s.Deps.PasswordParams).Verify(issued, pinState(t, s, h.ID).Hash); err != nil {
			t.Errorf("a refused change replaced the PIN: %v", err)
		}
	})

	t.Run("change: success by a regular person, SMS without the PIN, audit", func(t *testing.T) {
		bills := s.LoginAs(t, h.Bills)
		newPIN := "5826"
		secrets = append(secrets, newPIN)
		// Lock the PIN first: a change clears the lock too.
		for range 5 {
			s.Do(t, "PATCH", "/v1/customer/billing-data", admin, `{"pin":"86420","name":"X"}`)
		}
		b := apitest.Decode[map[string]any](t, s.Do(t, "PUT", "/v1/customer/pin", bills, `{"password":"`+h.Bills.Password+`","newPin":"`+newPIN+`"}`), 200)
		if b["changed"] != true || len(b) != 1 {
			t.Errorf("answer %v", b)
		}
		p := pinState(t, s, h.ID)
		if _, err := password.NewHasher(s.Deps.PasswordParams).Verify(newPIN, p.Hash); err != nil || p.Failures != 0 || !p.LockedUntil.IsZero() {
			t.Errorf("stored PIN %+v: %v", p, err)
		}
		msgs := messagesOf(t, s, h.ID, "pin-changed")
		if len(msgs) != 1 || msgs[0].Channel != clientzone.ChannelSMS || msgs[0].To != h.Phone || msgs[0].PersonID != h.Bills.ID {
			t.Fatalf("pin-changed SMS %+v", msgs)
		}
		for k, v := range msgs[0].Data {
			if strings.Contains(v, newPIN) || k == "pin" {
				t.Errorf("pin-changed SMS holds the PIN: %+v", msgs[0])
			}
		}
		if a := auditOf(t, s, admin, "pin.change"); len(a) != 1 || a[0].ActorID != h.Bills.ID {
			t.Errorf("audit %+v", a)
		}
		c := apitest.Decode[customerJSON](t, s.Do(t, "PATCH", "/v1/customer/billing-data", admin, `{"pin":"`+newPIN+`","companyId":"12345678"}`), 200)
		if c.CompanyID != "12345678" {
			t.Errorf("customer %+v", c)
		}
	})

	t.Run("change: wrong passwords are rate limited with failed logins", func(t *testing.T) {
		tech := s.LoginAs(t, h.Tech)
		put := func(pw string) apitest.Response {
			return s.Do(t, "PUT", "/v1/customer/pin", tech, `{"password":"`+pw+`","newPin":"5827"}`)
		}
		for i := 0; i < 10; i++ {
			pinFieldError(t, "wrong password", put("wrong-"+fmt.Sprint(i)), "password", "incorrect")
		}
		wantProblemNow(t, "11th wrong password", put("wrong-x"), 429, clientzone.ERATELIMITED)
		wantProblemNow(t, "right password while limited", put(h.Tech.Password), 429, clientzone.ERATELIMITED)
	})

	pinNotLogged(t, s, append(secrets, h.Admin.Password, h.Bills.Password, h.Tech.Password)...)
}

// TestBillingData covers GET /v1/customer and PATCH /v1/customer/billing-data.
func TestBillingData(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	pin := s.IssuePIN(t, h.Customer)
	admin := s.LoginAs(t, h.Admin)
	bills := s.LoginAs(t, h.Bills)

	t.Run("GET /v1/customer: admins only, with pinSet", func(t *testing.T) {
		c := apitest.Decode[customerJSON](t, s.Do(t, "GET", "/v1/customer", admin, ""), 200)
		if c.ID != h.ID || c.Email != h.Email || c.Phone != h.Phone || c.VariableSymbol != h.VariableSymbol ||
			c.BillingAddress.Country != "SK" || !c.PINSet {
			t.Errorf("customer %+v", c)
		}
		wantProblemNow(t, "regular person", s.Do(t, "GET", "/v1/customer", bills, ""), 403, clientzone.EFORBIDDEN)
		hu := s.NewAccount(t, apitest.CustomerSpec{Kind: "company", VATID: "HU12345678", Currency: "HUF", Country: "HU"})
		c = apitest.Decode[customerJSON](t, s.Do(t, "GET", "/v1/customer", hu.Token, ""), 200)
		if c.ID != hu.ID || c.PINSet || c.VATID != "HU12345678" {
			t.Errorf("HU customer %+v", c)
		}
		wantProblemNow(t, "regular person update", s.Do(t, "PATCH", "/v1/customer/billing-data", bills, `{"pin":"`+pin+`","name":"X"}`),
			403, clientzone.EFORBIDDEN)
	})

	t.Run("bad input is 400 with field errors", func(t *testing.T) {
		var cases []apitest.Case
		for _, c := range []struct{ body, field string }{
			{`"phone":"0900123456"`, "phone"},
			{`"email":"not-an-email"`, "email"},
			{`"name":""`, "name"},
			{`"billingAddress":{"street":"A 1","city":"B","postalCode":"1","country":"XX"}`, "billingAddress.country"},
			{`"billingAddress":{"street":"","city":"Bratislava","postalCode":"81102","country":"SK"}`, "billingAddress.street"},
			{`"variableSymbol":"1"`, "variableSymbol"},
		} {
			cases = append(cases, apitest.Case{Name: c.field, Method: "PATCH", Path: "/v1/customer/billing-data", Token: admin,
				Body: `{"pin":"` + pin + `",` + c.body + `}`, Status: 400, Code: clientzone.EINVALID,
				Check: func(t *testing.T, r apitest.Response) { pinFieldError(t, c.body, r, c.field, "") }})
		}
		s.Run(t, cases)
	})

	newEmail := unique("novak.jan", apitest.Seq())
	t.Run("update writes data, audit and an email to the old address in one go", func(t *testing.T) {
		body := `{"pin":"` + pin + `","name":"Ján Novák","email":"` + newEmail + `","phone":"+421911222333",` +
			`"billingAddress":{"street":"Hlavná 1","city":"Košice","postalCode":"04001","country":"SK"},"vatId":"SK2020123456"}`
		c := apitest.Decode[customerJSON](t, s.Do(t, "PATCH", "/v1/customer/billing-data", admin, body), 200)
		want := clientzone.Address{Street: "Hlavná 1", City: "Košice", PostalCode: "04001", Country: "SK"}
		if c.Email != newEmail || c.Phone != "+421911222333" || c.BillingAddress != want || c.VATID != "SK2020123456" ||
			c.Name != "Ján Novák" || c.VariableSymbol != h.VariableSymbol || !c.PINSet {
			t.Errorf("answer %+v", c)
		}
		stored := apitest.Decode[customerJSON](t, s.Do(t, "GET", "/v1/customer", admin, ""), 200)
		if stored.Email != c.Email || stored.Phone != c.Phone || stored.BillingAddress != want || stored.VATID != c.VATID ||
			stored.Currency != "EUR" || stored.CreatedAt.IsZero() {
			t.Errorf("stored %+v", stored)
		}
		a := auditOf(t, s, admin, "billing-data.update")
		if len(a) != 1 || a[0].ActorID != h.Admin.ID || a[0].Details["fields"] != "email,phone,billingAddress,vatId" {
			t.Errorf("audit %+v", a)
		}
		msgs := messagesOf(t, s, h.ID, "billing-data-changed")
		if len(msgs) != 1 || msgs[0].Channel != clientzone.ChannelEmail || msgs[0].To != h.Email || msgs[0].Language != clientzone.LangSK {
			t.Errorf("email %+v", msgs)
		}
	})

	t.Run("nothing changed: no audit, no email", func(t *testing.T) {
		apitest.Decode[customerJSON](t, s.Do(t, "PATCH", "/v1/customer/billing-data", admin, `{"pin":"`+pin+`","vatId":"SK2020123456"}`), 200)
		if n := len(auditOf(t, s, admin, "billing-data.update")); n != 1 {
			t.Errorf("%d audit entries", n)
		}
		if n := len(messagesOf(t, s, h.ID, "billing-data-changed")); n != 1 {
			t.Errorf("%d emails", n)
		}
	})

	pinNotLogged(t, s, pin, h.Admin.Password)
}
