package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// sessTokens is a login, refresh or password-change answer.
type sessTokens struct {
	TokenType          string             `json:"tokenType"`
	AccessToken        string             `json:"accessToken"`
	RefreshToken       string             `json:"refreshToken"`
	MustChangePassword bool               `json:"mustChangePassword"`
	Person             *clientzone.Person `json:"person"`
}

func decodeTokens(t *testing.T, r response) sessTokens {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("want tokens, got %d %s", r.status, r.body)
	}
	var tk sessTokens
	if err := json.Unmarshal(r.body, &tk); err != nil {
		t.Fatal(err)
	}
	if tk.TokenType != "Bearer" || tk.AccessToken == "" || tk.RefreshToken == "" || tk.Person == nil {
		t.Fatalf("incomplete tokens: %s", r.body)
	}
	return tk
}

func refreshWith(t *testing.T, base, tok string) response {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"refreshToken": tok})
	return do(t, "POST", base+"/v1/auth/refresh", "", string(b))
}

func loginResp(t *testing.T, base, login, pw string) response {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"login": login, "password": pw})
	return do(t, "POST", base+"/v1/auth/login", "", string(b))
}

func wantStatus(t *testing.T, what string, r response, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d: %s", what, r.status, status, r.body)
		return
	}
	if code != "" {
		if p := r.problem(t); p.Code != code {
			t.Errorf("%s: code %q, want %q", what, p.Code, code)
		}
	}
}

func auditActions(t *testing.T, st *Stack, cid string) []clientzone.AuditEntry {
	t.Helper()
	page, err := st.Deps.DB.AuditLog(context.Background(), cid, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	return page.Entries
}

func findAudit(entries []clientzone.AuditEntry, action, actor string) *clientzone.AuditEntry {
	for i := range entries {
		if entries[i].Action == action && entries[i].ActorID == actor {
			return &entries[i]
		}
	}
	return nil
}

func noSecretsInLogs(t *testing.T, logs *syncBuffer, secrets ...string) {
	t.Helper()
	out := logs.String()
	if !strings.Contains(out, `"requestId"`) {
		t.Fatalf("no logs captured")
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("logs contain a secret (%.6s…)", s)
		}
	}
}

func TestSessionsRefreshRotationAndReuse(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	first := decodeTokens(t, loginResp(t, base, "jan.novak@example.sk", demo.AdminPassword))
	sessionID, _, _ := strings.Cut(first.RefreshToken, ".")

	second := decodeTokens(t, refreshWith(t, base, first.RefreshToken))
	if second.RefreshToken == first.RefreshToken || !strings.HasPrefix(second.RefreshToken, sessionID+".") {
		t.Errorf("refresh token not rotated within the session: %q → %q", first.RefreshToken, second.RefreshToken)
	}
	if second.Person.Email != "jan.novak@example.sk" || len(second.Person.Rights) != len(clientzone.AllRights) {
		t.Errorf("refresh person = %+v", second.Person)
	}
	if r := do(t, "GET", base+"/v1/me", second.AccessToken, ""); r.status != 200 {
		t.Errorf("new access token: %d %s", r.status, r.body)
	}
	third := decodeTokens(t, refreshWith(t, base, second.RefreshToken))

	// Reuse of a rotated token: 401, and the whole family is revoked.
	wantStatus(t, "reused token", refreshWith(t, base, first.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	wantStatus(t, "current token after reuse", refreshWith(t, base, third.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	sess, err := st.Deps.DB.Session(context.Background(), sessionID)
	if err != nil || !sess.Revoked {
		t.Errorf("session after reuse = %+v, %v", sess, err)
	}
	if e := findAudit(auditActions(t, st, demo.CustomerSK), "session.reuse", demo.PersonAdmin); e == nil || e.TargetID != sessionID || e.IP == "" {
		t.Errorf("no session.reuse audit entry: %+v", e)
	}
	// Other sessions are untouched.
	other := login(t, base, "jnovak", demo.AdminPassword)
	decodeTokens(t, refreshWith(t, base, other.RefreshToken))

	for name, tok := range map[string]string{
		"garbage": "abc", "no secret": sessionID + ".", "unknown session": clientzone.NewID() + ".secret",
		"other key": "LOGIN#jnovak.x", "access token": other.AccessToken[:200],
	} {
		wantStatus(t, name, refreshWith(t, base, tok), 401, clientzone.EUNAUTHENTICATED)
	}
	wantStatus(t, "too long", refreshWith(t, base, other.AccessToken+strings.Repeat("x", 256)), 400, clientzone.EINVALID)
	r := do(t, "POST", base+"/v1/auth/refresh", "", `{}`)
	if p := r.problem(t); r.status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != "refreshToken" {
		t.Errorf("missing refreshToken: %d %s", r.status, r.body)
	}
	// A disabled person's session does not refresh.
	bills := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	pb, err := st.Deps.DB.Person(context.Background(), demo.CustomerSK, demo.PersonBills)
	if err != nil {
		t.Fatal(err)
	}
	pb.Disabled = true
	if err := st.Deps.DB.PutPerson(context.Background(), pb); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "disabled person", refreshWith(t, base, bills.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	// An expired session does not refresh.
	fresh := login(t, base, "technik", demo.TechPassword)
	sid, _, _ := strings.Cut(fresh.RefreshToken, ".")
	s, err := st.Deps.DB.Session(context.Background(), sid)
	if err != nil {
		t.Fatal(err)
	}
	s.ExpiresAt = time.Now().Add(-time.Minute)
	if err := st.Deps.DB.RotateSession(context.Background(), sid, s.TokenHash, s.TokenHash, s.ExpiresAt); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "expired session", refreshWith(t, base, fresh.RefreshToken), 401, clientzone.EUNAUTHENTICATED)

	noSecretsInLogs(t, logs, first.RefreshToken, second.RefreshToken, third.RefreshToken, other.RefreshToken, demo.AdminPassword)
}

func TestSessionsLogout(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	a := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	b := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	c := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)

	// Logging out (no body) ends the session's refresh token only.
	r := do(t, "POST", base+"/v1/auth/logout", a.AccessToken, "")
	if r.status != 200 || strings.TrimSpace(string(r.body)) != `{"loggedOut":true,"everywhere":false}` {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	wantStatus(t, "refresh after logout", refreshWith(t, base, a.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	b2 := decodeTokens(t, refreshWith(t, base, b.RefreshToken))

	// Log out everywhere: every access token and session of the person ends.
	r = do(t, "POST", base+"/v1/auth/logout", b2.AccessToken, `{"everywhere":true}`)
	if r.status != 200 || strings.TrimSpace(string(r.body)) != `{"loggedOut":true,"everywhere":true}` {
		t.Fatalf("logout everywhere: %d %s", r.status, r.body)
	}
	for name, tok := range map[string]string{"own": b2.AccessToken, "other device": c.AccessToken, "first device": a.AccessToken} {
		wantStatus(t, name+" access token after logout everywhere", do(t, "GET", base+"/v1/me", tok, ""), 401, clientzone.EUNAUTHENTICATED)
	}
	wantStatus(t, "other device refresh after logout everywhere", refreshWith(t, base, c.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	wantStatus(t, "logout with a dead token", do(t, "POST", base+"/v1/auth/logout", c.AccessToken, ""), 401, clientzone.EUNAUTHENTICATED)
	wantStatus(t, "logout without a token", do(t, "POST", base+"/v1/auth/logout", "", ""), 401, clientzone.EUNAUTHENTICATED)
	r = do(t, "POST", base+"/v1/auth/logout", c.AccessToken, `{"everywhere":"yes"}`)
	if r.status != 401 { // authentication comes before the body
		t.Errorf("bad body with dead token: %d", r.status)
	}

	// Logging in again works, and other persons were not affected.
	d := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	if r := do(t, "GET", base+"/v1/invoices", d.AccessToken, ""); r.status != 200 {
		t.Errorf("login after logout everywhere: %d %s", r.status, r.body)
	}
	r = do(t, "POST", base+"/v1/auth/logout", d.AccessToken, `{"everywhere":"yes"}`)
	if p := r.problem(t); r.status != 400 || p.Errors[0].Field != "everywhere" {
		t.Errorf("bad everywhere: %d %s", r.status, r.body)
	}
	entries := auditActions(t, st, demo.CustomerSK)
	if findAudit(entries, "logout", demo.PersonBills) == nil || findAudit(entries, "logout.everywhere", demo.PersonBills) == nil {
		t.Errorf("logout audit entries missing: %+v", entries)
	}
	p, err := st.Deps.DB.Person(context.Background(), demo.CustomerSK, demo.PersonBills)
	if err != nil || p.TokenVersion != 1 {
		t.Errorf("token version after logout everywhere = %v, %v", p, err)
	}
	noSecretsInLogs(t, logs, a.RefreshToken, b.RefreshToken, c.RefreshToken, a.AccessToken, demo.BillsPassword)
}

func TestSessionsPasswordChange(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	const newPassword = "Zelene-Jablko-77"
	cur := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	other := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	change := func(tok, current, next string) response {
		b, _ := json.Marshal(map[string]string{"currentPassword": current, "newPassword": next})
		return do(t, "POST", base+"/v1/me/password", tok, string(b), "Accept-Language", "sk")
	}

	r := change(cur.AccessToken, "wrong-password", newPassword)
	if p := r.problem(t); r.status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != "currentPassword" || p.Errors[0].Code != "incorrect" ||
		p.Errors[0].Message != "Súčasné heslo je nesprávne." {
		t.Errorf("wrong current password: %d %s", r.status, r.body)
	}
	n, err := st.Deps.DB.Hits(ctx, account.FailedLoginCounter(demo.PersonBills), time.Hour, time.Now())
	if err != nil || n != 1 {
		t.Errorf("failed-login count after a wrong current password = %d, %v", n, err)
	}
	policy := map[string]struct{ pw, code string }{
		"too short":     {"Kratke-1", "min"},
		"too long":      {strings.Repeat("x", 257), "max"},
		"same":          {demo.BillsPassword, "same_as_current"},
		"email part":    {"Moje-EVA.NOVAKOVA-heslo", "contains_personal_data"},
		"empty new one": {"", "required"},
	}
	for name, c := range policy {
		r := change(cur.AccessToken, demo.BillsPassword, c.pw)
		p := r.problem(t)
		if r.status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != "newPassword" || p.Errors[0].Code != c.code || p.Errors[0].Message == "" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	tech := login(t, base, "technik", demo.TechPassword)
	if r := change(tech.AccessToken, demo.TechPassword, "Heslo-Technik-123"); r.status != 400 || r.problem(t).Errors[0].Code != "contains_personal_data" {
		t.Errorf("password containing the username: %d %s", r.status, r.body)
	}

	r = change(cur.AccessToken, demo.BillsPassword, newPassword)
	tk := decodeTokens(t, r)
	if tk.MustChangePassword || tk.Person.ID != demo.PersonBills {
		t.Errorf("password change answer: %s", r.body)
	}
	if strings.Contains(string(r.body), "argon2") {
		t.Errorf("answer leaks the hash")
	}
	if r := do(t, "GET", base+"/v1/invoices", tk.AccessToken, ""); r.status != 200 {
		t.Errorf("new access token: %d %s", r.status, r.body)
	}
	decodeTokens(t, refreshWith(t, base, tk.RefreshToken))
	for name, tok := range map[string]string{"this device": cur.AccessToken, "other device": other.AccessToken} {
		wantStatus(t, name+" old access token", do(t, "GET", base+"/v1/me", tok, ""), 401, clientzone.EUNAUTHENTICATED)
	}
	for name, tok := range map[string]string{"this device": cur.RefreshToken, "other device": other.RefreshToken} {
		wantStatus(t, name+" old refresh token", refreshWith(t, base, tok), 401, clientzone.EUNAUTHENTICATED)
	}
	wantStatus(t, "login with the old password", loginResp(t, base, "eva.novakova@example.sk", demo.BillsPassword), 401, clientzone.ECREDENTIALS)
	login(t, base, "eva.novakova@example.sk", newPassword)

	p, err := st.Deps.DB.Person(ctx, demo.CustomerSK, demo.PersonBills)
	if err != nil || !strings.HasPrefix(p.PasswordHash, "$argon2id$") || p.TokenVersion != 1 || p.MustChangePassword {
		t.Errorf("stored person after change: %+v %v", p, err)
	}
	msgs, err := st.Deps.DB.OutboxMessages(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var sent *clientzone.Message
	for i := range msgs {
		if msgs[i].Template == "password-changed" && msgs[i].PersonID == demo.PersonBills {
			sent = &msgs[i]
		}
	}
	if sent == nil || sent.To != "eva.novakova@example.sk" || sent.Channel != clientzone.ChannelEmail || sent.Language != clientzone.LangSK || sent.CustomerID != demo.CustomerSK {
		t.Errorf("password-changed email = %+v", sent)
	} else {
		for _, v := range sent.Data {
			if strings.Contains(v, newPassword) {
				t.Errorf("email data holds the password")
			}
		}
	}
	if e := findAudit(auditActions(t, st, demo.CustomerSK), "password.change", demo.PersonBills); e == nil || e.IP == "" {
		t.Errorf("password.change audit = %+v", e)
	} else if fmt.Sprint(e.Details) != "map[wasTemporary:false]" {
		t.Errorf("audit details = %v", e.Details)
	}
	noSecretsInLogs(t, logs, newPassword, demo.BillsPassword, "wrong-password", "Kratke-1", tk.RefreshToken, cur.RefreshToken)
}

func TestSessionsForcedPasswordChange(t *testing.T) {
	st, srv, _ := newStack(t)
	base := srv.URL
	ctx := context.Background()
	p, err := st.Deps.DB.Person(ctx, demo.CustomerSK, demo.PersonAdmin)
	if err != nil {
		t.Fatal(err)
	}
	p.MustChangePassword = true
	if err := st.Deps.DB.PutPerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	tk := decodeTokens(t, loginResp(t, base, "jan.novak@example.sk", demo.AdminPassword))
	if !tk.MustChangePassword {
		t.Fatalf("login does not say mustChangePassword")
	}
	wantStatus(t, "invoices before the change", do(t, "GET", base+"/v1/invoices", tk.AccessToken, ""), 403, clientzone.EPASSWORDCHANGE)
	if r := do(t, "PATCH", base+"/v1/me", tk.AccessToken, `{"language":"en"}`); r.status != 200 {
		t.Errorf("profile during a pending change: %d %s", r.status, r.body)
	}
	// A refresh keeps the flag.
	rt := decodeTokens(t, refreshWith(t, base, tk.RefreshToken))
	if !rt.MustChangePassword {
		t.Errorf("refresh lost mustChangePassword")
	}
	r := do(t, "POST", base+"/v1/me/password", rt.AccessToken, `{"currentPassword":"`+demo.AdminPassword+`","newPassword":"Cervena-Ruza-2026"}`)
	nt := decodeTokens(t, r)
	if nt.MustChangePassword || nt.Person.MustChangePassword {
		t.Errorf("still must change: %s", r.body)
	}
	if r := do(t, "GET", base+"/v1/invoices", nt.AccessToken, ""); r.status != 200 {
		t.Errorf("invoices after the change: %d %s", r.status, r.body)
	}
	if tk := decodeTokens(t, loginResp(t, base, "jnovak", "Cervena-Ruza-2026")); tk.MustChangePassword {
		t.Errorf("login after the change still says mustChangePassword")
	}
	if e := findAudit(auditActions(t, st, demo.CustomerSK), "password.change", demo.PersonAdmin); e == nil || e.Details["wasTemporary"] != "true" {
		t.Errorf("audit = %+v", e)
	}
}

// waitForWindow avoids an hour boundary (the fixed rate-limit window) in
// the middle of a test.
func waitForWindow(t *testing.T) {
	now := time.Now().UTC()
	if left := now.Truncate(time.Hour).Add(time.Hour).Sub(now); left < 30*time.Second {
		t.Logf("waiting %s for the next rate-limit window", left)
		time.Sleep(left + time.Second)
	}
}

func TestSessionsLoginLimit(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	waitForWindow(t)

	// Failures count per account, whatever login names it.
	logins := []string{"jan.novak@example.sk", "jnovak", "2024001", " JNOVAK "}
	for i := 0; i < 10; i++ {
		wantStatus(t, fmt.Sprintf("known failure %d", i+1), loginResp(t, base, logins[i%len(logins)], "wrong-"+strconv.Itoa(i)), 401, clientzone.ECREDENTIALS)
	}
	known := loginResp(t, base, "jan.novak@example.sk", "wrong-again")
	wantStatus(t, "11th failure on a known login", known, 429, clientzone.ERATELIMITED)
	wantStatus(t, "right password while locked", loginResp(t, base, "jnovak", demo.AdminPassword), 429, clientzone.ERATELIMITED)
	ra, err := strconv.Atoi(known.header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 3600 {
		t.Errorf("Retry-After = %q", known.header.Get("Retry-After"))
	}

	for i := 0; i < 10; i++ {
		wantStatus(t, fmt.Sprintf("unknown failure %d", i+1), loginResp(t, base, "nobody@example.sk", "wrong-"+strconv.Itoa(i)), 401, clientzone.ECREDENTIALS)
	}
	unknown := loginResp(t, base, " Nobody@Example.sk", "wrong-again")
	wantStatus(t, "11th failure on an unknown login", unknown, 429, clientzone.ERATELIMITED)
	if unknown.header.Get("Retry-After") == "" {
		t.Errorf("no Retry-After for the unknown login")
	}
	strip := func(r response) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(r.body, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "requestId")
		return m
	}
	if k, u := strip(known), strip(unknown); !maps.EqualFunc(k, u, func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
		t.Errorf("429 bodies differ:\nknown   %v\nunknown %v", k, u)
	}
	// Localized.
	r := do(t, "POST", base+"/v1/auth/login", "", `{"login":"nobody@example.sk","password":"x"}`, "Accept-Language", "hu")
	if p := r.problem(t); r.status != 429 || p.Detail != "Túl sok sikertelen bejelentkezési kísérlet. Próbálja újra később." {
		t.Errorf("hu 429: %d %+v", r.status, p)
	}

	// Other accounts are not affected; a success does not reset the count.
	for i := 0; i < 9; i++ {
		wantStatus(t, "bills failure", loginResp(t, base, "eva.novakova@example.sk", "nope"), 401, clientzone.ECREDENTIALS)
	}
	login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	wantStatus(t, "10th bills failure", loginResp(t, base, "eva.novakova@example.sk", "nope"), 401, clientzone.ECREDENTIALS)
	wantStatus(t, "bills after 10 failures and a success", loginResp(t, base, "eva.novakova@example.sk", demo.BillsPassword), 429, clientzone.ERATELIMITED)

	// Successful logins are audited with IP and user agent.
	entries := auditActions(t, st, demo.CustomerSK)
	e := findAudit(entries, "login", demo.PersonBills)
	if e == nil || e.IP != "127.0.0.1" || !strings.HasPrefix(e.UserAgent, "Go-http-client") || e.TargetID == "" {
		t.Errorf("login audit entry = %+v", e)
	}
	if n := len(slices.DeleteFunc(entries, func(e clientzone.AuditEntry) bool { return e.Action != "login" })); n != 1 {
		t.Errorf("login audit entries = %d, want 1 (failures are not audited)", n)
	}
	noSecretsInLogs(t, logs, demo.AdminPassword, demo.BillsPassword, "wrong-again")
}

func TestSessionsMeUpdate(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	tk := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	before, err := st.Deps.DB.Person(ctx, demo.CustomerSK, demo.PersonBills)
	if err != nil {
		t.Fatal(err)
	}

	bad := []struct {
		name, body string
		fields     []string
	}{
		{"everything wrong", `{"name":"  ","phone":"0900 123 456","language":"de"}`, []string{"name", "phone", "language"}},
		{"name too long", `{"name":"` + strings.Repeat("é", 101) + `"}`, []string{"name"}},
		{"phone without country", `{"phone":"0900123456"}`, []string{"phone"}},
		{"phone with letters", `{"phone":"+421 900 ABC"}`, []string{"phone"}},
		{"unknown field", `{"email":"x@example.sk"}`, []string{"email"}},
		{"wrong type", `{"notifications":{"news":"yes"}}`, []string{"notifications.news"}},
		{"unknown topic", `{"notifications":{"spam":true}}`, []string{"notifications.spam"}},
	}
	for _, c := range bad {
		r := do(t, "PATCH", base+"/v1/me", tk.AccessToken, c.body, "Accept-Language", "ru")
		if r.status != 400 {
			t.Errorf("%s: %d %s", c.name, r.status, r.body)
			continue
		}
		var got []string
		for _, f := range r.problem(t).Errors {
			got = append(got, f.Field)
			if f.Message == "" || f.Code == "" {
				t.Errorf("%s: field error %+v", c.name, f)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.fields) {
			t.Errorf("%s: fields %v, want %v", c.name, got, c.fields)
		}
	}
	r := do(t, "PATCH", base+"/v1/me", tk.AccessToken, `{"phone":"12345"}`, "Accept-Language", "ru")
	if p := r.problem(t); p.Errors[0].Code != "e164" || !strings.Contains(p.Errors[0].Message, "+421900123456") || p.Errors[0].Message == "Enter the phone number in international format, e.g. +421900123456." {
		t.Errorf("phone error not localized: %+v", p.Errors)
	}
	after, _ := st.Deps.DB.Person(ctx, demo.CustomerSK, demo.PersonBills)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a rejected update changed the person")
	}

	r = do(t, "PATCH", base+"/v1/me", tk.AccessToken, `{"name":" Eva Nová ","phone":"+421 905 111-222","language":"hu","notifications":{"news":true,"invoices":false}}`)
	var got clientzone.Person
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	want := clientzone.Notifications{Invoices: false, Expiry: before.Notifications.Expiry, Outages: before.Notifications.Outages, News: true}
	if got.Name != "Eva Nová" || got.Phone != "+421905111222" || got.Language != clientzone.LangHU || got.Notifications != want || got.Email != before.Email {
		t.Errorf("update answer = %+v", got)
	}
	me := do(t, "GET", base+"/v1/me", tk.AccessToken, "")
	if strings.TrimSpace(string(me.body)) != strings.TrimSpace(string(r.body)) {
		t.Errorf("PATCH answer differs from GET /v1/me:\n%s\n%s", r.body, me.body)
	}
	stored, err := st.Deps.DB.Person(ctx, demo.CustomerSK, demo.PersonBills)
	if err != nil || stored.Name != "Eva Nová" || stored.Phone != "+421905111222" || stored.Notifications != want ||
		stored.PasswordHash != before.PasswordHash || !slices.Equal(stored.Rights, before.Rights) || stored.TokenVersion != before.TokenVersion {
		t.Errorf("stored = %+v", stored)
	}
	e := findAudit(auditActions(t, st, demo.CustomerSK), "profile.update", demo.PersonBills)
	if e == nil || e.Details["fields"] != "language,name,notifications.invoices,notifications.news,phone" {
		t.Errorf("profile.update audit = %+v", e)
	}

	// Only given fields change; "" removes the phone; {} changes nothing.
	r = do(t, "PATCH", base+"/v1/me", tk.AccessToken, `{"phone":""}`)
	got = clientzone.Person{}
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 || got.Phone != "" || got.Name != "Eva Nová" || got.Language != clientzone.LangHU {
		t.Errorf("clearing the phone: %d %s", r.status, r.body)
	}
	if r := do(t, "PATCH", base+"/v1/me", tk.AccessToken, `{}`); r.status != 200 || !strings.Contains(string(r.body), `"name":"Eva Nová"`) {
		t.Errorf("empty patch: %d %s", r.status, r.body)
	}
	wantStatus(t, "without a token", do(t, "PATCH", base+"/v1/me", "", `{"name":"X"}`), 401, clientzone.EUNAUTHENTICATED)
	noSecretsInLogs(t, logs, demo.BillsPassword, tk.AccessToken, tk.RefreshToken)
}
