package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// lastTo returns the newest outbox message of tmpl sent to `to`.
func lastTo(t *testing.T, s *apitest.Stack, tmpl, to string) clientzone.Message {
	t.Helper()
	m := s.LastMessage(t, func(m clientzone.Message) bool { return m.Template == tmpl && m.To == to })
	if m == nil {
		t.Fatalf("no %s message to %s in the outbox", tmpl, to)
	}
	return *m
}

// countOutbox counts today's outbox messages of tmpl (all when "").
func countOutbox(t *testing.T, s *apitest.Stack, tmpl string) int {
	t.Helper()
	return len(s.Outbox(t, func(m clientzone.Message) bool { return tmpl == "" || m.Template == tmpl }))
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	tok := u.Query().Get("token")
	if len(tok) < 40 {
		t.Fatalf("link %q holds no token", link)
	}
	return tok
}

func bodyMap(t *testing.T, r apitest.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("%d %s: %v", r.Status, r.Body, err)
	}
	return m
}

// wantTokenInvalid asserts a 400 with exactly one field error field/code.
func wantInvalidField(t *testing.T, r apitest.Response, field, code string) {
	t.Helper()
	if r.Status != 400 {
		t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
	}
	p := r.Problem(t)
	if p.Code != clientzone.EINVALID || len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Code != code {
		t.Errorf("problem %+v, want field %s code %s", p, field, code)
	}
}

func wantLoginFails(t *testing.T, s *apitest.Stack, login, pw string) {
	t.Helper()
	if r := s.LoginResponse(t, login, pw); r.Status != 401 {
		t.Errorf("login %s with an old password: %d %s", login, r.Status, r.Body)
	}
}

// auditOf lists the entries of action in the customer's audit log, read
// with an admin's token.
func auditOf(t *testing.T, s *apitest.Stack, adminToken, action string) []clientzone.AuditEntry {
	t.Helper()
	var out []clientzone.AuditEntry
	for _, e := range auditLog(t, s, adminToken) {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func TestAccountRequest(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	var secrets []string
	request := func(number, email string, headers ...string) apitest.Response {
		return s.Do(t, "POST", "/v1/account-requests", "", apitest.JSON(t, map[string]string{"contractNumber": number, "email": email}), headers...)
	}
	confirm := func(tok, pw string) apitest.Response {
		return s.Do(t, "POST", "/v1/account-requests/confirm", "", apitest.JSON(t, map[string]string{"token": tok, "password": pw}))
	}

	// A contract holder without any login yet: the contract number is
	// reserved for the holder's future person (as migrated contracts are).
	holder := s.NewCustomer(t, apitest.CustomerSpec{Kind: "company", Name: "Test s.r.o.", Email: unique("office", apitest.Seq()),
		Language: clientzone.LangEN})
	holderCt := s.NewContract(t, holder, apitest.ContractSpec{})
	s.LinkContractLogin(t, holder, holderCt.ID, clientzone.NewID())

	var neutral string
	t.Run("match by a person's email: the link sets the password, once", func(t *testing.T) {
		r := request(ct.Number, strings.ToUpper(h.Bills.Email[:3])+h.Bills.Email[3:], "Accept-Language", "en")
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		neutral = string(r.Body)
		b := bodyMap(t, r)
		if !strings.Contains(b["message"].(string), "sales department") || b["salesContact"] != "sales@example.com" {
			t.Errorf("answer %v", b)
		}
		m := lastTo(t, s, "account-activation", h.Bills.Email)
		if m.Channel != clientzone.ChannelEmail || m.Language != clientzone.LangSK || m.PersonID != h.Bills.ID ||
			m.CustomerID != h.ID || m.Data["name"] != "Eva Nováková" ||
			!strings.HasPrefix(m.Data["link"], "https://portal.example.com/activate?token=") {
			t.Errorf("message %+v", m)
		}
		tok := tokenOf(t, m.Data["link"])
		secrets = append(secrets, tok)

		old := s.Login(t, h.Bills.Email, h.Bills.Password)
		if r := confirm(tok, "short"); r.Status != 400 || r.Problem(t).Errors[0].Field != "password" {
			t.Errorf("short password: %d %s", r.Status, r.Body)
		}
		r = confirm(tok, "Eva-Nove-Heslo-2026")
		if b := bodyMap(t, r); r.Status != 200 || b["activated"] != true || b["login"] != h.Bills.Email {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		secrets = append(secrets, "Eva-Nove-Heslo-2026")
		s.Login(t, h.Bills.Email, "Eva-Nove-Heslo-2026")
		wantLoginFails(t, s, h.Bills.Email, h.Bills.Password)
		if r := s.Do(t, "GET", "/v1/me", old.AccessToken, ""); r.Status != 401 {
			t.Errorf("token from before the activation: %d", r.Status)
		}
		wantInvalidField(t, confirm(tok, "Eva-Ine-Heslo-2026"), "token", "invalid")
		if a := auditOf(t, s, s.LoginAs(t, h.Admin), "account.activate"); len(a) != 1 || a[0].ActorID != h.Bills.ID || a[0].IP == "" {
			t.Errorf("audit %+v", a)
		}
	})

	t.Run("mismatch: same answer, nothing sent", func(t *testing.T) {
		before := countOutbox(t, s, "")
		for _, c := range [][2]string{
			{ct.Number, "stranger@example.com"}, // contract exists, email does not
			{"9999999", h.Bills.Email},          // no such contract
			{h.Admin.Username, h.Admin.Email},   // a username is not a contract number
			{holderCt.Number, h.Admin.Email},    // another customer's email
		} {
			r := request(c[0], c[1], "Accept-Language", "en")
			if r.Status != 200 || string(r.Body) != neutral {
				t.Errorf("%v: %d %s, want %s", c, r.Status, r.Body, neutral)
			}
		}
		if after := countOutbox(t, s, ""); after != before {
			t.Errorf("outbox grew from %d to %d", before, after)
		}
		r := request(ct.Number, "stranger@example.com", "Accept-Language", "hu")
		if b := bodyMap(t, r); !strings.Contains(b["message"].(string), "értékesítési") {
			t.Errorf("hu answer %v", b)
		}
	})

	t.Run("match by the contact email of a holder without login creates the admin", func(t *testing.T) {
		r := request(holderCt.Number, strings.ToUpper(holder.Email))
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		m := lastTo(t, s, "account-activation", holder.Email)
		if m.PersonID != "" || m.CustomerID != holder.ID || m.Data["name"] != "Test s.r.o." || m.Language != clientzone.LangEN {
			t.Errorf("message %+v", m)
		}
		tok := tokenOf(t, m.Data["link"])
		secrets = append(secrets, tok)

		// Concurrent confirms: exactly one wins.
		var wg sync.WaitGroup
		statuses := make([]int, 3)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = confirm(tok, "Holder-Heslo-2026").Status
			}()
		}
		wg.Wait()
		ok := 0
		for _, st := range statuses {
			switch st {
			case 200:
				ok++
			case 400, 409:
			default:
				t.Errorf("concurrent confirm status %d", st)
			}
		}
		if ok != 1 {
			t.Fatalf("concurrent confirms: %v, want exactly one 200", statuses)
		}
		tk := s.Login(t, holder.Email, "Holder-Heslo-2026")
		persons := apitest.Decode[struct{ Items []clientzone.Person }](t, s.Do(t, "GET", "/v1/persons", tk.AccessToken, ""), 200).Items
		if len(persons) != 1 {
			t.Fatalf("persons %+v", persons)
		}
		p := persons[0]
		if p.Role != clientzone.RoleAdmin || p.Email != holder.Email || p.Name != "Test s.r.o." || p.Phone != holder.Phone || tk.MustChangePassword {
			t.Errorf("holder admin %+v", p)
		}
		for _, lg := range []string{holder.Email, holderCt.Number} {
			tk := s.Login(t, lg, "Holder-Heslo-2026")
			r := s.Do(t, "GET", "/v1/me", tk.AccessToken, "")
			if b := bodyMap(t, r); r.Status != 200 || b["id"] != p.ID || b["customerId"] != holder.ID || b["role"] != "admin" {
				t.Errorf("login %s then me: %d %s", lg, r.Status, r.Body)
			}
		}
		wantInvalidField(t, confirm(tok, "Holder-Heslo-2027"), "token", "invalid")
		if a := auditOf(t, s, tk.AccessToken, "account.activate"); len(a) != 1 || a[0].ActorID != p.ID {
			t.Errorf("audit %+v", a)
		}
	})

	t.Run("at most 3 requests per contract number per hour", func(t *testing.T) {
		hu := s.NewAccount(t, apitest.CustomerSpec{Currency: "HUF", Language: clientzone.LangHU, Country: "HU"})
		huCt := s.NewContract(t, hu.Customer, apitest.ContractSpec{Number: apitest.Unique("VCRM-")})
		s.LinkContractLogin(t, hu.Customer, huCt.ID, hu.Admin.ID)
		count := func() int {
			return len(s.Outbox(t, func(m clientzone.Message) bool { return m.Template == "account-activation" && m.To == hu.Email }))
		}
		for i := 1; i <= 4; i++ {
			r := request(huCt.Number, hu.Email, "Accept-Language", "en")
			if r.Status != 200 || string(r.Body) != neutral {
				t.Errorf("request %d: %d %s", i, r.Status, r.Body)
			}
			if got, want := count(), min(i, 3); got != want {
				t.Errorf("after request %d: %d emails, want %d", i, got, want)
			}
		}
	})

	t.Run("bad input and bad tokens", func(t *testing.T) {
		s.Run(t, []apitest.Case{
			{Name: "empty", Method: "POST", Path: "/v1/account-requests", Body: `{}`, Status: 400, Fields: []string{"contractNumber", "email"}},
			{Name: "not an email", Method: "POST", Path: "/v1/account-requests", Body: apitest.JSON(t, map[string]string{"contractNumber": ct.Number, "email": "not-an-email"}),
				Status: 400, Code: clientzone.EINVALID, Fields: []string{"email"}},
			{Name: "made-up token", Method: "POST", Path: "/v1/account-requests/confirm",
				Body:   apitest.JSON(t, map[string]string{"token": "made-up-token-0000000000000000000000000000", "password": "Some-Password-2026"}),
				Status: 400, Code: clientzone.EINVALID, Fields: []string{"token"}},
			{Name: "short token, en", Method: "POST", Path: "/v1/account-requests/confirm",
				Body: apitest.JSON(t, map[string]string{"token": "made-up", "password": "Some-Password-2026"}), Status: 400,
				Check: func(t *testing.T, r apitest.Response) {
					if p := r.Problem(t); p.Errors[0].Message != "This link is invalid, expired or already used." {
						t.Errorf("problem %+v", p)
					}
				}},
			{Name: "short token, sk", Method: "POST", Path: "/v1/account-requests/confirm", Headers: []string{"Accept-Language", "sk"},
				Body: apitest.JSON(t, map[string]string{"token": "x", "password": "Some-Password-2026"}), Status: 400,
				Check: func(t *testing.T, r apitest.Response) {
					if p := r.Problem(t); p.Errors[0].Message != "Tento odkaz je neplatný, vypršal alebo už bol použitý." {
						t.Errorf("sk problem %+v", p)
					}
				}},
		})
		wantInvalidField(t, request(ct.Number, "not-an-email"), "email", "email")
	})

	t.Run("an invitation link is handled the same way", func(t *testing.T) {
		// An admin creates a person: no password, an invitation link.
		email := unique("kolega", apitest.Seq())
		r := s.Do(t, "POST", "/v1/persons", s.LoginAs(t, h.Admin), apitest.JSON(t, map[string]any{"name": "Nový Kolega", "email": email,
			"role": "regular", "rights": []string{"tickets"}, "language": "sk"}))
		apitest.Decode[clientzone.Person](t, r, 201)
		tok := tokenOf(t, lastTo(t, s, "person-invitation", email).Data["link"])
		r = confirm(tok, "Kolega-Heslo-2026")
		if b := bodyMap(t, r); r.Status != 200 || b["login"] != email {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		s.Login(t, email, "Kolega-Heslo-2026")
		wantInvalidField(t, confirm(tok, "Kolega-Heslo-2026"), "token", "invalid")
		secrets = append(secrets, tok, "Kolega-Heslo-2026")
	})

	s.NoSecretsInLogs(t, append(secrets, "Holder-Heslo-2026")...)
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

func TestPasswordReset(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ct := h.withContract(t, s)
	var secrets []string
	start := func(body map[string]string, headers ...string) (apitest.Response, map[string]any) {
		r := s.Do(t, "POST", "/v1/password-resets", "", apitest.JSON(t, body), headers...)
		if r.Status != 200 {
			t.Fatalf("%v: %d %s", body, r.Status, r.Body)
		}
		return r, bodyMap(t, r)
	}
	confirm := func(body map[string]string) apitest.Response {
		return s.Do(t, "POST", "/v1/password-resets/confirm", "", apitest.JSON(t, body))
	}
	tech := h.Tech

	t.Run("by email link", func(t *testing.T) {
		old := s.Login(t, tech.Username, tech.Password)
		_, b := start(map[string]string{"login": tech.Username, "channel": "email"})
		if b["channel"] != "email" || b["resetId"] == "" || !strings.Contains(b["message"].(string), "link") {
			t.Errorf("answer %v", b)
		}
		m := lastTo(t, s, "password-reset-link", tech.Email)
		if m.Language != clientzone.LangEN || m.PersonID != tech.ID || !strings.HasPrefix(m.Data["link"], "https://portal.example.com/reset-password?token=") {
			t.Errorf("message %+v", m)
		}
		tok := tokenOf(t, m.Data["link"])
		secrets = append(secrets, tok, "Technik-Nove-2026")
		r := confirm(map[string]string{"token": tok, "newPassword": "Technik-Nove-2026"})
		if b := bodyMap(t, r); r.Status != 200 || b["reset"] != true {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		wantLoginFails(t, s, tech.Username, tech.Password)
		s.Login(t, tech.Username, "Technik-Nove-2026")
		if r := s.Do(t, "GET", "/v1/me", old.AccessToken, ""); r.Status != 401 {
			t.Errorf("token from before the reset: %d", r.Status)
		}
		wantInvalidField(t, confirm(map[string]string{"token": tok, "newPassword": "Technik-Ine-2026"}), "token", "invalid")
		if a := auditOf(t, s, s.LoginAs(t, h.Admin), "password.reset"); len(a) != 1 || a[0].TargetID != tech.ID {
			t.Errorf("audit %+v", a)
		}
		lastTo(t, s, "password-changed", tech.Email)
	})

	t.Run("by SMS code to the customer's phone when the person has none", func(t *testing.T) {
		_, b := start(map[string]string{"login": h.Bills.Email, "channel": "sms"}, "Accept-Language", "sk")
		if b["channel"] != "sms" || !strings.Contains(b["message"].(string), "SMS") {
			t.Errorf("answer %v", b)
		}
		m := lastTo(t, s, "password-reset-code", h.Phone)
		code := m.Data["code"]
		if m.Channel != clientzone.ChannelSMS || m.PersonID != h.Bills.ID || !sixDigits.MatchString(code) {
			t.Fatalf("message %+v", m)
		}
		secrets = append(secrets, code)
		r := confirm(map[string]string{"resetId": b["resetId"].(string), "code": code, "newPassword": "Eva-Reset-Heslo-2026"})
		if r.Status != 200 {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		wantLoginFails(t, s, h.Bills.Email, h.Bills.Password)
		s.Login(t, h.Bills.Email, "Eva-Reset-Heslo-2026")
		wantInvalidField(t, confirm(map[string]string{"resetId": b["resetId"].(string), "code": code, "newPassword": "Eva-Reset-Heslo-2027"}), "code", "invalid")
	})

	t.Run("5 wrong codes kill the reset", func(t *testing.T) {
		_, b := start(map[string]string{"login": tech.Username, "channel": "sms"})
		id := b["resetId"].(string)
		code := lastTo(t, s, "password-reset-code", h.Phone).Data["code"]
		var n int
		fmt.Sscan(code, &n)
		wrong := fmt.Sprintf("%06d", (n+1)%1_000_000)
		for i := 1; i <= 5; i++ {
			wantInvalidField(t, confirm(map[string]string{"resetId": id, "code": wrong, "newPassword": "Technik-Hack-2026"}), "code", "invalid")
		}
		// The attempts are in no answer: read the reset from the store.
		reset, err := s.Deps.DB.PasswordReset(t.Context(), id)
		if err != nil || reset.Attempts != 5 {
			t.Fatalf("reset after 5 wrong codes: %+v %v", reset, err)
		}
		wantInvalidField(t, confirm(map[string]string{"resetId": id, "code": code, "newPassword": "Technik-Hack-2026"}), "code", "invalid")
		wantLoginFails(t, s, tech.Username, "Technik-Hack-2026")
		s.Login(t, tech.Username, "Technik-Nove-2026")
	})

	t.Run("at most 3 SMS per account per hour", func(t *testing.T) {
		hu := s.NewAccount(t, apitest.CustomerSpec{Currency: "HUF", Language: clientzone.LangHU, Country: "HU", Phone: fmt.Sprintf("+36301%06d", apitest.Seq())})
		count := func() int { return countOutbox(t, s, "password-reset-code") }
		before := count()
		var bodies []map[string]any
		for i := 1; i <= 4; i++ {
			_, b := start(map[string]string{"login": hu.Email, "channel": "sms"})
			bodies = append(bodies, b)
			if got, want := count()-before, min(i, 3); got != want {
				t.Errorf("after request %d: %d SMS, want %d", i, got, want)
			}
		}
		last := bodies[3]
		if last["channel"] != "sms" || last["resetId"] == bodies[2]["resetId"] || last["message"] != bodies[2]["message"] {
			t.Errorf("4th answer %v", last)
		}
		if _, err := s.Deps.DB.PasswordReset(t.Context(), last["resetId"].(string)); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("a reset was stored for the rate-limited request: %v", err)
		}
		lastTo(t, s, "password-reset-code", hu.Phone)
	})

	t.Run("unknown login gets the same answer shape, nothing sent", func(t *testing.T) {
		before := countOutbox(t, s, "")
		for _, ch := range []string{"email", "sms"} {
			r1, known := start(map[string]string{"login": h.Admin.Username, "channel": ch})
			r2, unknown := start(map[string]string{"login": unique("nobody", apitest.Seq()), "channel": ch})
			if len(known) != 3 || len(unknown) != 3 || known["message"] != unknown["message"] || known["channel"] != unknown["channel"] ||
				len(known["resetId"].(string)) != len(unknown["resetId"].(string)) || r1.Header.Get("Content-Type") != r2.Header.Get("Content-Type") {
				t.Errorf("%s: known %v, unknown %v", ch, known, unknown)
			}
		}
		// Only the two known requests sent something.
		if after := countOutbox(t, s, ""); after != before+2 {
			t.Errorf("outbox grew by %d, want 2", after-before)
		}
	})

	t.Run("NetbyNet variant: account number and the phone on the contract", func(t *testing.T) {
		before := countOutbox(t, s, "password-reset-code")
		_, miss := start(map[string]string{"accountNumber": ct.Number, "phone": "+421900999999"})
		_, unknown := start(map[string]string{"accountNumber": "1234567", "phone": h.Phone})
		if n := countOutbox(t, s, "password-reset-code"); n != before {
			t.Errorf("mismatching phone / unknown account sent %d SMS", n-before)
		}
		_, b := start(map[string]string{"accountNumber": ct.Number, "phone": h.Phone})
		if b["channel"] != "sms" || b["message"] != miss["message"] || b["message"] != unknown["message"] {
			t.Errorf("answers %v / %v / %v", b, miss, unknown)
		}
		m := lastTo(t, s, "password-reset-code", h.Phone)
		if m.PersonID != h.Admin.ID {
			t.Fatalf("message %+v", m)
		}
		secrets = append(secrets, m.Data["code"])
		r := confirm(map[string]string{"resetId": b["resetId"].(string), "code": m.Data["code"], "newPassword": "Admin-Reset-Heslo-2026"})
		if r.Status != 200 {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		wantLoginFails(t, s, ct.Number, h.Admin.Password)
		s.Login(t, ct.Number, "Admin-Reset-Heslo-2026")
	})

	t.Run("bad input", func(t *testing.T) {
		var cases []apitest.Case
		for _, c := range []struct {
			body   string
			fields []string
		}{
			{`{}`, []string{"login", "accountNumber"}},
			{`{"login":"technik"}`, []string{"channel"}},
			{`{"login":"technik","channel":"fax"}`, []string{"channel"}},
			{`{"login":"technik","channel":"sms","accountNumber":"2024001"}`, []string{"accountNumber"}},
			{`{"accountNumber":"2024001"}`, []string{"phone"}},
			{`{"accountNumber":"2024001","phone":"0900 123 456"}`, []string{"phone"}},
			{`{"accountNumber":"2024001","phone":"+421900123456","channel":"email"}`, []string{"channel"}},
		} {
			cases = append(cases, apitest.Case{Name: c.body, Method: "POST", Path: "/v1/password-resets", Body: c.body, Status: 400, Fields: c.fields})
		}
		for _, c := range []struct{ body, field string }{
			{`{"newPassword":"Long-Enough-2026"}`, "resetId"},
			{`{"resetId":"x","code":"123456","newPassword":"short"}`, "newPassword"},
			{`{"token":"a.b","code":"123456","newPassword":"Long-2026xx"}`, "token"},
		} {
			cases = append(cases, apitest.Case{Name: c.body, Method: "POST", Path: "/v1/password-resets/confirm", Body: c.body, Status: 400,
				Check: func(t *testing.T, r apitest.Response) {
					if p := r.Problem(t); p.Errors[0].Field != c.field {
						t.Errorf("%+v, want an error on %s first", p, c.field)
					}
				}})
		}
		s.Run(t, cases)
		wantInvalidField(t, confirm(map[string]string{"resetId": "unknown", "code": "123456", "newPassword": "Long-Enough-2026"}), "code", "invalid")
		wantInvalidField(t, confirm(map[string]string{"token": "unknown.token", "newPassword": "Long-Enough-2026"}), "token", "invalid")
	})

	s.NoSecretsInLogs(t, append(secrets, "Eva-Reset-Heslo-2026", "Admin-Reset-Heslo-2026")...)
}

func TestTemporaryPassword(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	other := s.NewAccount(t, apitest.CustomerSpec{})
	path := func(cid, pid string) string {
		return "/admin/v1/customers/" + cid + "/persons/" + pid + "/temporary-password"
	}
	eva := h.Bills
	old := s.Login(t, eva.Email, eva.Password)
	r := s.Do(t, "POST", path(h.ID, eva.ID), "", "")
	pw, _ := bodyMap(t, r)["temporaryPassword"].(string)
	if r.Status != 200 || len(pw) != 12 || strings.ContainsAny(pw, "0O1lIo") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	if r2 := s.Do(t, "POST", path(h.ID, eva.ID), "", ""); bodyMap(t, r2)["temporaryPassword"] == pw {
		t.Error("two temporary passwords are equal")
	} else {
		pw = bodyMap(t, r2)["temporaryPassword"].(string)
	}
	if r := s.Do(t, "GET", "/v1/me", old.AccessToken, ""); r.Status != 401 {
		t.Errorf("token from before: %d", r.Status)
	}
	wantLoginFails(t, s, eva.Email, eva.Password)
	tk := decodeTokens(t, s.LoginResponse(t, eva.Email, pw))
	if !tk.MustChangePassword || !tk.Person.MustChangePassword {
		t.Fatalf("login with the temporary password: %+v", tk)
	}
	apitest.WantProblem(t, "invoices before the change", s.Do(t, "GET", "/v1/invoices", tk.AccessToken, ""), 403, clientzone.EPASSWORDCHANGE)
	if a := auditOf(t, s, s.LoginAs(t, h.Admin), "password.temporary"); len(a) != 2 || a[0].ActorID != "backoffice" || a[0].TargetID != eva.ID {
		t.Errorf("audit %+v", a)
	}
	s.Run(t, []apitest.Case{
		{Name: "unknown person", Method: "POST", Path: path(h.ID, clientzone.NewID()), Status: 404, Code: clientzone.ENOTFOUND},
		{Name: "unknown customer", Method: "POST", Path: path(clientzone.NewID(), eva.ID), Status: 404, Code: clientzone.ENOTFOUND},
		{Name: "another customer's person", Method: "POST", Path: path(h.ID, other.Admin.ID), Status: 404, Code: clientzone.ENOTFOUND},
	})
	s.NoSecretsInLogs(t, pw)
}
