package devserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// recOutbox returns today's outbox messages with template tmpl (all when "").
func recOutbox(t *testing.T, st *Stack, tmpl string) []clientzone.Message {
	t.Helper()
	ms, err := st.Deps.DB.OutboxMessages(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var out []clientzone.Message
	for _, m := range ms {
		if tmpl == "" || m.Template == tmpl {
			out = append(out, m)
		}
	}
	return out
}

// recLastTo returns the newest message of tmpl sent to `to`.
func recLastTo(t *testing.T, st *Stack, tmpl, to string) clientzone.Message {
	t.Helper()
	var last *clientzone.Message
	for _, m := range recOutbox(t, st, tmpl) {
		if m.To == to {
			last = &m
		}
	}
	if last == nil {
		t.Fatalf("no %s message to %s in the outbox", tmpl, to)
	}
	return *last
}

func recTokenOf(t *testing.T, link string) string {
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

func recJSON(t *testing.T, r response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("%d %s: %v", r.status, r.body, err)
	}
	return m
}

func recBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// recFieldError asserts a 400 with exactly one field error field/code.
func recFieldError(t *testing.T, r response, field, code string) {
	t.Helper()
	if r.status != 400 {
		t.Fatalf("status %d, want 400: %s", r.status, r.body)
	}
	p := r.problem(t)
	if p.Code != clientzone.EINVALID || len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Code != code {
		t.Errorf("problem %+v, want field %s code %s", p, field, code)
	}
}

func recLoginFails(t *testing.T, base, lg, pw string) {
	t.Helper()
	r := do(t, "POST", base+"/v1/auth/login", "", recBody(t, map[string]string{"login": lg, "password": pw}))
	if r.status != 401 {
		t.Errorf("login %s with an old password: %d %s", lg, r.status, r.body)
	}
}

func recAudit(t *testing.T, st *Stack, cid, action string) []clientzone.AuditEntry {
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

func recNoSecretsLogged(t *testing.T, logs *syncBuffer, secrets []string) {
	t.Helper()
	out := logs.String()
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("logs contain a secret (%.6s…)", s)
		}
	}
}

func TestAccountRequest(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	var secrets []string
	request := func(number, email string, headers ...string) response {
		return do(t, "POST", base+"/v1/account-requests", "", recBody(t, map[string]string{"contractNumber": number, "email": email}), headers...)
	}
	confirm := func(tok, pw string) response {
		return do(t, "POST", base+"/v1/account-requests/confirm", "", recBody(t, map[string]string{"token": tok, "password": pw}))
	}

	// A contract holder without any login yet: the contract number is
	// reserved for the holder's future person.
	holder := &clientzone.Customer{ID: clientzone.NewID(), Kind: "company", Name: "Test s.r.o.", Email: "office@test-sro.sk",
		Phone: "+421911000111", Currency: "EUR", CreatedAt: time.Now().UTC()}
	if err := st.Deps.DB.PutCustomer(ctx, holder); err != nil {
		t.Fatal(err)
	}
	if err := st.Deps.DB.PutContract(ctx, &clientzone.Contract{ID: clientzone.NewID(), CustomerID: holder.ID, Number: "2026777",
		Status: clientzone.StatusActive, SignedAt: time.Now().UTC(), Services: []clientzone.Service{}}, clientzone.NewID()); err != nil {
		t.Fatal(err)
	}

	var neutral string
	t.Run("match by a person's email: the link sets the password, once", func(t *testing.T) {
		r := request("2024001", "Eva.Novakova@EXAMPLE.sk", "Accept-Language", "en")
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		neutral = string(r.body)
		b := recJSON(t, r)
		if !strings.Contains(b["message"].(string), "sales department") || b["salesContact"] != "sales@example.com" {
			t.Errorf("answer %v", b)
		}
		m := recLastTo(t, st, "account-activation", "eva.novakova@example.sk")
		if m.Channel != clientzone.ChannelEmail || m.Language != clientzone.LangSK || m.PersonID != demo.PersonBills ||
			m.CustomerID != demo.CustomerSK || m.Data["name"] != "Eva Nováková" ||
			!strings.HasPrefix(m.Data["link"], "https://portal.example.com/activate?token=") {
			t.Errorf("message %+v", m)
		}
		tok := recTokenOf(t, m.Data["link"])
		secrets = append(secrets, tok)

		old := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
		if r := confirm(tok, "short"); r.status != 400 || r.problem(t).Errors[0].Field != "password" {
			t.Errorf("short password: %d %s", r.status, r.body)
		}
		r = confirm(tok, "Eva-Nove-Heslo-2026")
		if b := recJSON(t, r); r.status != 200 || b["activated"] != true || b["login"] != "eva.novakova@example.sk" {
			t.Fatalf("confirm: %d %s", r.status, r.body)
		}
		secrets = append(secrets, "Eva-Nove-Heslo-2026")
		login(t, base, "eva.novakova@example.sk", "Eva-Nove-Heslo-2026")
		recLoginFails(t, base, "eva.novakova@example.sk", demo.BillsPassword)
		if r := do(t, "GET", base+"/v1/me", old.AccessToken, ""); r.status != 401 {
			t.Errorf("token from before the activation: %d", r.status)
		}
		recFieldError(t, confirm(tok, "Eva-Ine-Heslo-2026"), "token", "invalid")
		if a := recAudit(t, st, demo.CustomerSK, "account.activate"); len(a) != 1 || a[0].ActorID != demo.PersonBills || a[0].IP == "" {
			t.Errorf("audit %+v", a)
		}
	})

	t.Run("mismatch: same answer, nothing sent", func(t *testing.T) {
		before := len(recOutbox(t, st, ""))
		for _, c := range [][2]string{
			{"2024001", "stranger@example.com"},    // contract exists, email does not
			{"9999999", "eva.novakova@example.sk"}, // no such contract
			{"jnovak", "jan.novak@example.sk"},     // a username is not a contract number
			{"2026777", "jan.novak@example.sk"},    // another customer's email
		} {
			r := request(c[0], c[1], "Accept-Language", "en")
			if r.status != 200 || string(r.body) != neutral {
				t.Errorf("%v: %d %s, want %s", c, r.status, r.body, neutral)
			}
		}
		if after := len(recOutbox(t, st, "")); after != before {
			t.Errorf("outbox grew from %d to %d", before, after)
		}
		r := request("2024001", "stranger@example.com", "Accept-Language", "hu")
		if b := recJSON(t, r); !strings.Contains(b["message"].(string), "értékesítési") {
			t.Errorf("hu answer %v", b)
		}
	})

	t.Run("match by the contact email of a holder without login creates the admin", func(t *testing.T) {
		r := request("2026777", "OFFICE@test-sro.sk")
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		m := recLastTo(t, st, "account-activation", "office@test-sro.sk")
		if m.PersonID != "" || m.CustomerID != holder.ID || m.Data["name"] != "Test s.r.o." || m.Language != clientzone.LangEN {
			t.Errorf("message %+v", m)
		}
		tok := recTokenOf(t, m.Data["link"])
		secrets = append(secrets, tok)

		// Concurrent confirms: exactly one wins.
		var wg sync.WaitGroup
		statuses := make([]int, 3)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = confirm(tok, "Holder-Heslo-2026").status
			}()
		}
		wg.Wait()
		ok := 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 400, 409:
			default:
				t.Errorf("concurrent confirm status %d", s)
			}
		}
		if ok != 1 {
			t.Fatalf("concurrent confirms: %v, want exactly one 200", statuses)
		}
		persons, err := st.Deps.DB.Persons(ctx, holder.ID)
		if err != nil || len(persons) != 1 {
			t.Fatalf("persons %v %v", persons, err)
		}
		p := persons[0]
		if p.Role != clientzone.RoleAdmin || p.Email != "office@test-sro.sk" || p.Name != "Test s.r.o." || p.Phone != holder.Phone || p.MustChangePassword {
			t.Errorf("holder admin %+v", p)
		}
		for _, lg := range []string{"office@test-sro.sk", "2026777"} {
			tk := login(t, base, lg, "Holder-Heslo-2026")
			r := do(t, "GET", base+"/v1/me", tk.AccessToken, "")
			if b := recJSON(t, r); r.status != 200 || b["id"] != p.ID || b["customerId"] != holder.ID || b["role"] != "admin" {
				t.Errorf("login %s then me: %d %s", lg, r.status, r.body)
			}
		}
		recFieldError(t, confirm(tok, "Holder-Heslo-2027"), "token", "invalid")
		if a := recAudit(t, st, holder.ID, "account.activate"); len(a) != 1 || a[0].ActorID != p.ID {
			t.Errorf("audit %+v", a)
		}
	})

	t.Run("at most 3 requests per contract number per hour", func(t *testing.T) {
		count := func() int {
			n := 0
			for _, m := range recOutbox(t, st, "account-activation") {
				if m.To == "admin@kovacs.hu" {
					n++
				}
			}
			return n
		}
		for i := 1; i <= 4; i++ {
			r := request("VCRM-7700123", "admin@kovacs.hu", "Accept-Language", "en")
			if r.status != 200 || string(r.body) != neutral {
				t.Errorf("request %d: %d %s", i, r.status, r.body)
			}
			want := min(i, 3)
			if got := count(); got != want {
				t.Errorf("after request %d: %d emails, want %d", i, got, want)
			}
		}
	})

	t.Run("bad input and bad tokens", func(t *testing.T) {
		r := do(t, "POST", base+"/v1/account-requests", "", `{}`)
		if p := r.problem(t); r.status != 400 || len(p.Errors) != 2 || p.Errors[0].Field != "contractNumber" || p.Errors[1].Field != "email" {
			t.Errorf("empty: %d %+v", r.status, p)
		}
		recFieldError(t, request("2024001", "not-an-email"), "email", "email")
		recFieldError(t, confirm("made-up-token-0000000000000000000000000000", "Some-Password-2026"), "token", "invalid")
		r = confirm("made-up", "Some-Password-2026")
		if p := r.problem(t); p.Errors[0].Message != "This link is invalid, expired or already used." {
			t.Errorf("problem %+v", p)
		}
		r = do(t, "POST", base+"/v1/account-requests/confirm", "", recBody(t, map[string]string{"token": "x", "password": "Some-Password-2026"}), "Accept-Language", "sk")
		if p := r.problem(t); p.Errors[0].Message != "Tento odkaz je neplatný, vypršal alebo už bol použitý." {
			t.Errorf("sk problem %+v", p)
		}
	})

	t.Run("an invitation link is handled the same way", func(t *testing.T) {
		// What an admin's "create person" writes: a person without password
		// and an invitation link.
		p := &clientzone.Person{ID: clientzone.NewID(), CustomerID: demo.CustomerSK, Name: "Nový Kolega", Email: "kolega@example.sk",
			Role: clientzone.RoleRegular, Rights: []clientzone.Right{clientzone.RightTickets}, Language: clientzone.LangSK, CreatedAt: time.Now().UTC()}
		if err := st.Deps.DB.PutPerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		tok := "invitation-token-for-the-test-0123456789abcdef"
		tx := st.Deps.DB.NewTx()
		if err := tx.PutActivation(&clientzone.Activation{TokenHash: recSHA(tok), Purpose: clientzone.ActivationInvitation,
			CustomerID: p.CustomerID, PersonID: p.ID, Email: p.Email, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		r := confirm(tok, "Kolega-Heslo-2026")
		if b := recJSON(t, r); r.status != 200 || b["login"] != "kolega@example.sk" {
			t.Fatalf("%d %s", r.status, r.body)
		}
		login(t, base, "kolega@example.sk", "Kolega-Heslo-2026")
		recFieldError(t, confirm(tok, "Kolega-Heslo-2026"), "token", "invalid")
		secrets = append(secrets, tok, "Kolega-Heslo-2026")
	})

	t.Run("no secret reaches the logs", func(t *testing.T) {
		recNoSecretsLogged(t, logs, append(secrets, "Holder-Heslo-2026"))
	})
}

func recSHA(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var recCode = regexp.MustCompile(`^[0-9]{6}$`)

func TestPasswordReset(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	var secrets []string
	start := func(body map[string]string, headers ...string) (response, map[string]any) {
		r := do(t, "POST", base+"/v1/password-resets", "", recBody(t, body), headers...)
		if r.status != 200 {
			t.Fatalf("%v: %d %s", body, r.status, r.body)
		}
		return r, recJSON(t, r)
	}
	confirm := func(body map[string]string) response {
		return do(t, "POST", base+"/v1/password-resets/confirm", "", recBody(t, body))
	}

	t.Run("by email link", func(t *testing.T) {
		old := login(t, base, "technik", demo.TechPassword)
		_, b := start(map[string]string{"login": "technik", "channel": "email"})
		if b["channel"] != "email" || b["resetId"] == "" || !strings.Contains(b["message"].(string), "link") {
			t.Errorf("answer %v", b)
		}
		m := recLastTo(t, st, "password-reset-link", "peter@example.sk")
		if m.Language != clientzone.LangEN || m.PersonID != demo.PersonTech || !strings.HasPrefix(m.Data["link"], "https://portal.example.com/reset-password?token=") {
			t.Errorf("message %+v", m)
		}
		tok := recTokenOf(t, m.Data["link"])
		secrets = append(secrets, tok, "Technik-Nove-2026")
		r := confirm(map[string]string{"token": tok, "newPassword": "Technik-Nove-2026"})
		if b := recJSON(t, r); r.status != 200 || b["reset"] != true {
			t.Fatalf("confirm: %d %s", r.status, r.body)
		}
		recLoginFails(t, base, "technik", demo.TechPassword)
		login(t, base, "technik", "Technik-Nove-2026")
		if r := do(t, "GET", base+"/v1/me", old.AccessToken, ""); r.status != 401 {
			t.Errorf("token from before the reset: %d", r.status)
		}
		recFieldError(t, confirm(map[string]string{"token": tok, "newPassword": "Technik-Ine-2026"}), "token", "invalid")
		if a := recAudit(t, st, demo.CustomerSK, "password.reset"); len(a) != 1 || a[0].TargetID != demo.PersonTech {
			t.Errorf("audit %+v", a)
		}
		recLastTo(t, st, "password-changed", "peter@example.sk")
	})

	t.Run("by SMS code to the customer's phone when the person has none", func(t *testing.T) {
		_, b := start(map[string]string{"login": "eva.novakova@example.sk", "channel": "sms"}, "Accept-Language", "sk")
		if b["channel"] != "sms" || !strings.Contains(b["message"].(string), "SMS") {
			t.Errorf("answer %v", b)
		}
		m := recLastTo(t, st, "password-reset-code", "+421900123456")
		code := m.Data["code"]
		if m.Channel != clientzone.ChannelSMS || m.PersonID != demo.PersonBills || !recCode.MatchString(code) {
			t.Fatalf("message %+v", m)
		}
		secrets = append(secrets, code)
		r := confirm(map[string]string{"resetId": b["resetId"].(string), "code": code, "newPassword": "Eva-Reset-Heslo-2026"})
		if r.status != 200 {
			t.Fatalf("confirm: %d %s", r.status, r.body)
		}
		recLoginFails(t, base, "eva.novakova@example.sk", demo.BillsPassword)
		login(t, base, "eva.novakova@example.sk", "Eva-Reset-Heslo-2026")
		recFieldError(t, confirm(map[string]string{"resetId": b["resetId"].(string), "code": code, "newPassword": "Eva-Reset-Heslo-2027"}), "code", "invalid")
	})

	t.Run("5 wrong codes kill the reset", func(t *testing.T) {
		_, b := start(map[string]string{"login": "technik", "channel": "sms"})
		id := b["resetId"].(string)
		code := recLastTo(t, st, "password-reset-code", "+421900123456").Data["code"]
		var n int
		fmt.Sscan(code, &n)
		wrong := fmt.Sprintf("%06d", (n+1)%1_000_000)
		for i := 1; i <= 5; i++ {
			recFieldError(t, confirm(map[string]string{"resetId": id, "code": wrong, "newPassword": "Technik-Hack-2026"}), "code", "invalid")
		}
		reset, err := st.Deps.DB.PasswordReset(ctx, id)
		if err != nil || reset.Attempts != 5 {
			t.Fatalf("reset after 5 wrong codes: %+v %v", reset, err)
		}
		recFieldError(t, confirm(map[string]string{"resetId": id, "code": code, "newPassword": "Technik-Hack-2026"}), "code", "invalid")
		recLoginFails(t, base, "technik", "Technik-Hack-2026")
		login(t, base, "technik", "Technik-Nove-2026")
	})

	t.Run("at most 3 SMS per account per hour", func(t *testing.T) {
		count := func() int { return len(recOutbox(t, st, "password-reset-code")) }
		before := count()
		var bodies []map[string]any
		for i := 1; i <= 4; i++ {
			_, b := start(map[string]string{"login": "admin@kovacs.hu", "channel": "sms"})
			bodies = append(bodies, b)
			if got, want := count()-before, min(i, 3); got != want {
				t.Errorf("after request %d: %d SMS, want %d", i, got, want)
			}
		}
		last := bodies[3]
		if last["channel"] != "sms" || last["resetId"] == bodies[2]["resetId"] || last["message"] != bodies[2]["message"] {
			t.Errorf("4th answer %v", last)
		}
		if _, err := st.Deps.DB.PasswordReset(ctx, last["resetId"].(string)); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("a reset was stored for the rate-limited request: %v", err)
		}
		recLastTo(t, st, "password-reset-code", "+36301234567")
	})

	t.Run("unknown login gets the same answer shape, nothing sent", func(t *testing.T) {
		before := len(recOutbox(t, st, ""))
		for _, ch := range []string{"email", "sms"} {
			r1, known := start(map[string]string{"login": "jnovak", "channel": ch})
			r2, unknown := start(map[string]string{"login": "nobody@example.sk", "channel": ch})
			if len(known) != 3 || len(unknown) != 3 || known["message"] != unknown["message"] || known["channel"] != unknown["channel"] ||
				len(known["resetId"].(string)) != len(unknown["resetId"].(string)) || r1.header.Get("Content-Type") != r2.header.Get("Content-Type") {
				t.Errorf("%s: known %v, unknown %v", ch, known, unknown)
			}
		}
		// Only the two known requests sent something.
		if after := len(recOutbox(t, st, "")); after != before+2 {
			t.Errorf("outbox grew by %d, want 2", after-before)
		}
	})

	t.Run("NetbyNet variant: account number and the phone on the contract", func(t *testing.T) {
		before := len(recOutbox(t, st, "password-reset-code"))
		_, miss := start(map[string]string{"accountNumber": "2024001", "phone": "+421900999999"})
		_, unknown := start(map[string]string{"accountNumber": "1234567", "phone": "+421900123456"})
		if n := len(recOutbox(t, st, "password-reset-code")); n != before {
			t.Errorf("mismatching phone / unknown account sent %d SMS", n-before)
		}
		_, b := start(map[string]string{"accountNumber": "2024001", "phone": "+421900123456"})
		if b["channel"] != "sms" || b["message"] != miss["message"] || b["message"] != unknown["message"] {
			t.Errorf("answers %v / %v / %v", b, miss, unknown)
		}
		m := recLastTo(t, st, "password-reset-code", "+421900123456")
		if m.PersonID != demo.PersonAdmin {
			t.Fatalf("message %+v", m)
		}
		secrets = append(secrets, m.Data["code"])
		r := confirm(map[string]string{"resetId": b["resetId"].(string), "code": m.Data["code"], "newPassword": "Admin-Reset-Heslo-2026"})
		if r.status != 200 {
			t.Fatalf("confirm: %d %s", r.status, r.body)
		}
		recLoginFails(t, base, "2024001", demo.AdminPassword)
		login(t, base, "2024001", "Admin-Reset-Heslo-2026")
	})

	t.Run("bad input", func(t *testing.T) {
		cases := []struct {
			body   string
			fields string
		}{
			{`{}`, "[login accountNumber]"},
			{`{"login":"technik"}`, "[channel]"},
			{`{"login":"technik","channel":"fax"}`, "[channel]"},
			{`{"login":"technik","channel":"sms","accountNumber":"2024001"}`, "[accountNumber]"},
			{`{"accountNumber":"2024001"}`, "[phone]"},
			{`{"accountNumber":"2024001","phone":"0900 123 456"}`, "[phone]"},
			{`{"accountNumber":"2024001","phone":"+421900123456","channel":"email"}`, "[channel]"},
		}
		for _, c := range cases {
			r := do(t, "POST", base+"/v1/password-resets", "", c.body)
			if r.status != 400 {
				t.Errorf("%s: %d %s", c.body, r.status, r.body)
				continue
			}
			var got []string
			for _, f := range r.problem(t).Errors {
				got = append(got, f.Field)
			}
			if fmt.Sprint(got) != c.fields {
				t.Errorf("%s: fields %v, want %s", c.body, got, c.fields)
			}
		}
		for body, field := range map[string]string{
			`{"newPassword":"Long-Enough-2026"}`:                          "resetId",
			`{"resetId":"x","code":"123456","newPassword":"short"}`:       "newPassword",
			`{"token":"a.b","code":"123456","newPassword":"Long-2026xx"}`: "token",
		} {
			r := do(t, "POST", base+"/v1/password-resets/confirm", "", body)
			if p := r.problem(t); r.status != 400 || p.Errors[0].Field != field {
				t.Errorf("%s: %d %+v", body, r.status, p)
			}
		}
		recFieldError(t, confirm(map[string]string{"resetId": "unknown", "code": "123456", "newPassword": "Long-Enough-2026"}), "code", "invalid")
		recFieldError(t, confirm(map[string]string{"token": "unknown.token", "newPassword": "Long-Enough-2026"}), "token", "invalid")
	})

	t.Run("no secret reaches the logs", func(t *testing.T) {
		recNoSecretsLogged(t, logs, append(secrets, "Eva-Reset-Heslo-2026", "Admin-Reset-Heslo-2026"))
	})
}

func TestTemporaryPassword(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	path := func(cid, pid string) string {
		return base + "/admin/v1/customers/" + cid + "/persons/" + pid + "/temporary-password"
	}
	old := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	r := do(t, "POST", path(demo.CustomerSK, demo.PersonBills), "", "")
	b := recJSON(t, r)
	pw, _ := b["temporaryPassword"].(string)
	if r.status != 200 || len(pw) != 12 || strings.ContainsAny(pw, "0O1lIo") {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if r2 := do(t, "POST", path(demo.CustomerSK, demo.PersonBills), "", ""); recJSON(t, r2)["temporaryPassword"] == pw {
		t.Error("two temporary passwords are equal")
	} else {
		pw = recJSON(t, r2)["temporaryPassword"].(string)
	}
	if r := do(t, "GET", base+"/v1/me", old.AccessToken, ""); r.status != 401 {
		t.Errorf("token from before: %d", r.status)
	}
	recLoginFails(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	resp := do(t, "POST", base+"/v1/auth/login", "", recBody(t, map[string]string{"login": "eva.novakova@example.sk", "password": pw}))
	lb := recJSON(t, resp)
	if resp.status != 200 || lb["mustChangePassword"] != true {
		t.Fatalf("login with the temporary password: %d %s", resp.status, resp.body)
	}
	if r := do(t, "GET", base+"/v1/invoices", lb["accessToken"].(string), ""); r.status != 403 || r.problem(t).Code != clientzone.EPASSWORDCHANGE {
		t.Errorf("invoices before the change: %d %s", r.status, r.body)
	}
	p, err := st.Deps.DB.Person(ctx, demo.CustomerSK, demo.PersonBills)
	if err != nil || !p.MustChangePassword {
		t.Errorf("person %+v %v", p, err)
	}
	if a := recAudit(t, st, demo.CustomerSK, "password.temporary"); len(a) != 2 || a[0].ActorID != "backoffice" || a[0].TargetID != demo.PersonBills {
		t.Errorf("audit %+v", a)
	}
	for name, u := range map[string]string{
		"unknown person":            path(demo.CustomerSK, clientzone.NewID()),
		"unknown customer":          path(clientzone.NewID(), demo.PersonBills),
		"another customer's person": path(demo.CustomerSK, demo.PersonHU),
	} {
		if r := do(t, "POST", u, "", ""); r.status != 404 || r.problem(t).Code != clientzone.ENOTFOUND {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	recNoSecretsLogged(t, logs, []string{pw})
}
