package httpapi_test

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

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// decodeTokens checks a login, refresh or password-change answer is
// complete.
func decodeTokens(t *testing.T, r apitest.Response) apitest.Tokens {
	t.Helper()
	tk := apitest.Decode[apitest.Tokens](t, r, 200)
	if tk.TokenType != "Bearer" || tk.AccessToken == "" || tk.RefreshToken == "" || tk.Person == nil {
		t.Fatalf("incomplete tokens: %s", r.Body)
	}
	return tk
}

func refreshWith(t *testing.T, s *apitest.Stack, tok string) apitest.Response {
	t.Helper()
	return s.Do(t, "POST", "/v1/auth/refresh", "", apitest.JSON(t, map[string]string{"refreshToken": tok}))
}

func TestSessionsRefreshRotationAndReuse(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ctx := context.Background()
	first := decodeTokens(t, s.LoginResponse(t, h.Admin.Email, h.Admin.Password))
	sessionID, _, _ := strings.Cut(first.RefreshToken, ".")

	second := decodeTokens(t, refreshWith(t, s, first.RefreshToken))
	if second.RefreshToken == first.RefreshToken || !strings.HasPrefix(second.RefreshToken, sessionID+".") {
		t.Errorf("refresh token not rotated within the session: %q → %q", first.RefreshToken, second.RefreshToken)
	}
	if second.Person.Email != h.Admin.Email || len(second.Person.Rights) != len(clientzone.AllRights) {
		t.Errorf("refresh person = %+v", second.Person)
	}
	if r := s.Do(t, "GET", "/v1/me", second.AccessToken, ""); r.Status != 200 {
		t.Errorf("new access token: %d %s", r.Status, r.Body)
	}
	third := decodeTokens(t, refreshWith(t, s, second.RefreshToken))

	// Reuse of a rotated token: 401, and the whole family is revoked.
	apitest.WantProblem(t, "reused token", refreshWith(t, s, first.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	apitest.WantProblem(t, "current token after reuse", refreshWith(t, s, third.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	// Sessions are in no answer: read it from the store.
	sess, err := s.Deps.DB.Session(ctx, sessionID)
	if err != nil || !sess.Revoked {
		t.Errorf("session after reuse = %+v, %v", sess, err)
	}
	// Other sessions are untouched.
	other := s.Login(t, h.Admin.Username, h.Admin.Password)
	decodeTokens(t, refreshWith(t, s, other.RefreshToken))
	if e := findAudit(auditLog(t, s, other.AccessToken), "session.reuse", h.Admin.ID); e == nil || e.TargetID != sessionID || e.IP == "" {
		t.Errorf("no session.reuse audit entry: %+v", e)
	}

	var cases []apitest.Case
	for _, c := range []struct{ name, tok string }{
		{"garbage", "abc"}, {"no secret", sessionID + "."}, {"unknown session", clientzone.NewID() + ".secret"},
		{"other key", "LOGIN#" + h.Admin.Username + ".x"}, {"access token", other.AccessToken[:200]},
	} {
		cases = append(cases, apitest.Case{Name: c.name, Method: "POST", Path: "/v1/auth/refresh",
			Body: apitest.JSON(t, map[string]string{"refreshToken": c.tok}), Status: 401, Code: clientzone.EUNAUTHENTICATED})
	}
	cases = append(cases,
		apitest.Case{Name: "too long", Method: "POST", Path: "/v1/auth/refresh",
			Body: apitest.JSON(t, map[string]string{"refreshToken": other.AccessToken + strings.Repeat("x", 256)}), Status: 400, Code: clientzone.EINVALID},
		apitest.Case{Name: "missing refreshToken", Method: "POST", Path: "/v1/auth/refresh", Body: `{}`, Status: 400, Fields: []string{"refreshToken"}})
	s.Run(t, cases)

	// A disabled person's session does not refresh.
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	if r := s.Do(t, "DELETE", "/v1/persons/"+h.Bills.ID, other.AccessToken, ""); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	apitest.WantProblem(t, "disabled person", refreshWith(t, s, bills.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	// An expired session does not refresh. No API ages a session: the
	// store moves its expiry into the past.
	fresh := s.Login(t, h.Tech.Email, h.Tech.Password)
	sid, _, _ := strings.Cut(fresh.RefreshToken, ".")
	sn, err := s.Deps.DB.Session(ctx, sid)
	if err != nil {
		t.Fatal(err)
	}
	sn.ExpiresAt = time.Now().Add(-time.Minute)
	if err := s.Deps.DB.RotateSession(ctx, sid, sn.TokenHash, sn.TokenHash, sn.ExpiresAt); err != nil {
		t.Fatal(err)
	}
	apitest.WantProblem(t, "expired session", refreshWith(t, s, fresh.RefreshToken), 401, clientzone.EUNAUTHENTICATED)

	s.NoSecretsInLogs(t, first.RefreshToken, second.RefreshToken, third.RefreshToken, other.RefreshToken, h.Admin.Password)
}

func TestSessionsLogout(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	eva := h.Bills
	a := s.Login(t, eva.Email, eva.Password)
	b := s.Login(t, eva.Email, eva.Password)
	c := s.Login(t, eva.Email, eva.Password)

	// Logging out (no body) ends the session's refresh token only.
	r := s.Do(t, "POST", "/v1/auth/logout", a.AccessToken, "")
	if r.Status != 200 || strings.TrimSpace(string(r.Body)) != `{"loggedOut":true,"everywhere":false}` {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	apitest.WantProblem(t, "refresh after logout", refreshWith(t, s, a.RefreshToken), 401, clientzone.EUNAUTHENTICATED)
	b2 := decodeTokens(t, refreshWith(t, s, b.RefreshToken))

	// Log out everywhere: every access token and session of the person ends.
	r = s.Do(t, "POST", "/v1/auth/logout", b2.AccessToken, `{"everywhere":true}`)
	if r.Status != 200 || strings.TrimSpace(string(r.Body)) != `{"loggedOut":true,"everywhere":true}` {
		t.Fatalf("logout everywhere: %d %s", r.Status, r.Body)
	}
	s.Run(t, []apitest.Case{
		{Name: "own access token after logout everywhere", Method: "GET", Path: "/v1/me", Token: b2.AccessToken, Status: 401, Code: clientzone.EUNAUTHENTICATED},
		{Name: "other device's access token after logout everywhere", Method: "GET", Path: "/v1/me", Token: c.AccessToken, Status: 401, Code: clientzone.EUNAUTHENTICATED},
		{Name: "first device's access token after logout everywhere", Method: "GET", Path: "/v1/me", Token: a.AccessToken, Status: 401, Code: clientzone.EUNAUTHENTICATED},
		{Name: "other device refresh after logout everywhere", Method: "POST", Path: "/v1/auth/refresh",
			Body: apitest.JSON(t, map[string]string{"refreshToken": c.RefreshToken}), Status: 401, Code: clientzone.EUNAUTHENTICATED},
		{Name: "logout with a dead token", Method: "POST", Path: "/v1/auth/logout", Token: c.AccessToken, Status: 401, Code: clientzone.EUNAUTHENTICATED},
		{Name: "logout without a token", Method: "POST", Path: "/v1/auth/logout", Status: 401, Code: clientzone.EUNAUTHENTICATED},
		// Authentication comes before the body.
		{Name: "bad body with a dead token", Method: "POST", Path: "/v1/auth/logout", Token: c.AccessToken, Body: `{"everywhere":"yes"}`, Status: 401},
	})

	// Logging in again works, and other persons were not affected.
	d := s.Login(t, eva.Email, eva.Password)
	if r := s.Do(t, "GET", "/v1/invoices", d.AccessToken, ""); r.Status != 200 {
		t.Errorf("login after logout everywhere: %d %s", r.Status, r.Body)
	}
	r = s.Do(t, "POST", "/v1/auth/logout", d.AccessToken, `{"everywhere":"yes"}`)
	if p := r.Problem(t); r.Status != 400 || p.Errors[0].Field != "everywhere" {
		t.Errorf("bad everywhere: %d %s", r.Status, r.Body)
	}
	entries := auditLog(t, s, s.LoginAs(t, h.Admin))
	if findAudit(entries, "logout", eva.ID) == nil || findAudit(entries, "logout.everywhere", eva.ID) == nil {
		t.Errorf("logout audit entries missing: %+v", entries)
	}
	// The token version is in no answer: read it from the store.
	p, err := s.Deps.DB.Person(context.Background(), h.ID, eva.ID)
	if err != nil || p.TokenVersion != 1 {
		t.Errorf("token version after logout everywhere = %v, %v", p, err)
	}
	s.NoSecretsInLogs(t, a.RefreshToken, b.RefreshToken, c.RefreshToken, a.AccessToken, eva.Password)
}

func TestSessionsPasswordChange(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	eva := h.Bills
	ctx := context.Background()
	const newPassword = "Zelene-Jablko-77"
	cur := s.Login(t, eva.Email, eva.Password)
	other := s.Login(t, eva.Email, eva.Password)
	change := func(tok, current, next string) apitest.Response {
		return s.Do(t, "POST", "/v1/me/password", tok, apitest.JSON(t, map[string]string{"currentPassword": current, "newPassword": next}),
			"Accept-Language", "sk")
	}

	r := change(cur.AccessToken, "wrong-password", newPassword)
	if p := r.Problem(t); r.Status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != "currentPassword" || p.Errors[0].Code != "incorrect" ||
		p.Errors[0].Message != "Súčasné heslo je nesprávne." {
		t.Errorf("wrong current password: %d %s", r.Status, r.Body)
	}
	// Rate-limit counters are in no answer: read it from the store.
	n, err := s.Deps.DB.Hits(ctx, account.FailedLoginCounter(eva.ID), time.Hour, time.Now())
	if err != nil || n != 1 {
		t.Errorf("failed-login count after a wrong current password = %d, %v", n, err)
	}
	local, _, _ := strings.Cut(eva.Email, "@")
	var cases []apitest.Case
	for _, c := range []struct{ name, pw, code string }{
		{"too short", "Kratke-1", "min"},
		{"too long", strings.Repeat("x", 257), "max"},
		{"same", eva.Password, "same_as_current"},
		{"email part", "Moje-" + strings.ToUpper(local) + "-heslo", "contains_personal_data"},
		{"empty new one", "", "required"},
	} {
		cases = append(cases, apitest.Case{Name: "policy: " + c.name, Method: "POST", Path: "/v1/me/password", Token: cur.AccessToken,
			Body: apitest.JSON(t, map[string]string{"currentPassword": eva.Password, "newPassword": c.pw}), Status: 400,
			Fields: []string{"newPassword"}, Check: func(t *testing.T, r apitest.Response) {
				if f := r.Problem(t).Errors[0]; f.Code != c.code || f.Message == "" {
					t.Errorf("field error %+v, want code %s", f, c.code)
				}
			}})
	}
	tech := s.Login(t, h.Tech.Email, h.Tech.Password)
	cases = append(cases, apitest.Case{Name: "policy: password containing the username", Method: "POST", Path: "/v1/me/password",
		Token: tech.AccessToken, Body: apitest.JSON(t, map[string]string{"currentPassword": h.Tech.Password,
			"newPassword": "Heslo-" + strings.ToUpper(h.Tech.Username) + "-123"}), Status: 400,
		Check: func(t *testing.T, r apitest.Response) {
			if code := r.Problem(t).Errors[0].Code; code != "contains_personal_data" {
				t.Errorf("code %s", code)
			}
		}})
	s.Run(t, cases)

	r = change(cur.AccessToken, eva.Password, newPassword)
	tk := decodeTokens(t, r)
	if tk.MustChangePassword || tk.Person.ID != eva.ID {
		t.Errorf("password change answer: %s", r.Body)
	}
	if strings.Contains(string(r.Body), "argon2") {
		t.Errorf("answer leaks the hash")
	}
	if r := s.Do(t, "GET", "/v1/invoices", tk.AccessToken, ""); r.Status != 200 {
		t.Errorf("new access token: %d %s", r.Status, r.Body)
	}
	decodeTokens(t, refreshWith(t, s, tk.RefreshToken))
	for name, tok := range map[string]string{"this device": cur.AccessToken, "other device": other.AccessToken} {
		apitest.WantProblem(t, name+" old access token", s.Do(t, "GET", "/v1/me", tok, ""), 401, clientzone.EUNAUTHENTICATED)
	}
	for name, tok := range map[string]string{"this device": cur.RefreshToken, "other device": other.RefreshToken} {
		apitest.WantProblem(t, name+" old refresh token", refreshWith(t, s, tok), 401, clientzone.EUNAUTHENTICATED)
	}
	apitest.WantProblem(t, "login with the old password", s.LoginResponse(t, eva.Email, eva.Password), 401, clientzone.ECREDENTIALS)
	s.Login(t, eva.Email, newPassword)

	// The hash and token version are in no answer: read them from the store.
	p, err := s.Deps.DB.Person(ctx, h.ID, eva.ID)
	if err != nil || !strings.HasPrefix(p.PasswordHash, "$argon2id$") || p.TokenVersion != 1 || p.MustChangePassword {
		t.Errorf("stored person after change: %+v %v", p, err)
	}
	sent := s.LastMessage(t, func(m clientzone.Message) bool { return m.Template == "password-changed" && m.PersonID == eva.ID })
	if sent == nil || sent.To != eva.Email || sent.Channel != clientzone.ChannelEmail || sent.Language != clientzone.LangSK || sent.CustomerID != h.ID {
		t.Errorf("password-changed email = %+v", sent)
	} else {
		for _, v := range sent.Data {
			if strings.Contains(v, newPassword) {
				t.Errorf("email data holds the password")
			}
		}
	}
	if e := findAudit(auditLog(t, s, s.LoginAs(t, h.Admin)), "password.change", eva.ID); e == nil || e.IP == "" {
		t.Errorf("password.change audit = %+v", e)
	} else if fmt.Sprint(e.Details) != "map[wasTemporary:false]" {
		t.Errorf("audit details = %v", e.Details)
	}
	s.NoSecretsInLogs(t, newPassword, eva.Password, "wrong-password", "Kratke-1", tk.RefreshToken, cur.RefreshToken)
}

func TestSessionsForcedPasswordChange(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	// The back office issues a temporary password, which forces a change.
	r := s.Do(t, "POST", "/admin/v1/customers/"+h.ID+"/persons/"+h.Admin.ID+"/temporary-password", "", "")
	temp := apitest.Decode[struct {
		TemporaryPassword string `json:"temporaryPassword"`
	}](t, r, 200).TemporaryPassword
	tk := decodeTokens(t, s.LoginResponse(t, h.Admin.Email, temp))
	if !tk.MustChangePassword {
		t.Fatalf("login does not say mustChangePassword")
	}
	apitest.WantProblem(t, "invoices before the change", s.Do(t, "GET", "/v1/invoices", tk.AccessToken, ""), 403, clientzone.EPASSWORDCHANGE)
	if r := s.Do(t, "PATCH", "/v1/me", tk.AccessToken, `{"language":"en"}`); r.Status != 200 {
		t.Errorf("profile during a pending change: %d %s", r.Status, r.Body)
	}
	// A refresh keeps the flag.
	rt := decodeTokens(t, refreshWith(t, s, tk.RefreshToken))
	if !rt.MustChangePassword {
		t.Errorf("refresh lost mustChangePassword")
	}
	r = s.Do(t, "POST", "/v1/me/password", rt.AccessToken, apitest.JSON(t, map[string]string{"currentPassword": temp, "newPassword": "Cervena-Ruza-2026"}))
	nt := decodeTokens(t, r)
	if nt.MustChangePassword || nt.Person.MustChangePassword {
		t.Errorf("still must change: %s", r.Body)
	}
	if r := s.Do(t, "GET", "/v1/invoices", nt.AccessToken, ""); r.Status != 200 {
		t.Errorf("invoices after the change: %d %s", r.Status, r.Body)
	}
	if tk := decodeTokens(t, s.LoginResponse(t, h.Admin.Username, "Cervena-Ruza-2026")); tk.MustChangePassword {
		t.Errorf("login after the change still says mustChangePassword")
	}
	if e := findAudit(auditLog(t, s, nt.AccessToken), "password.change", h.Admin.ID); e == nil || e.Details["wasTemporary"] != "true" {
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
	s := apitest.Start(t)
	h := newHousehold(t, s)
	// A second admin reads the audit log while the first one is locked out.
	auditor := s.NewPerson(t, h.Customer, apitest.PersonSpec{Role: clientzone.RoleAdmin})
	auditorToken := s.LoginAs(t, auditor)
	ct := s.NewContract(t, h.Customer, apitest.ContractSpec{Services: []apitest.ServiceSpec{{}}})
	s.LinkContractLogin(t, h.Customer, ct.ID, h.Admin.ID)
	waitForWindow(t)

	// Failures count per account, whatever login names it.
	logins := []string{h.Admin.Email, h.Admin.Username, ct.Number, " " + strings.ToUpper(h.Admin.Username) + " "}
	for i := 0; i < 10; i++ {
		apitest.WantProblem(t, fmt.Sprintf("known failure %d", i+1), s.LoginResponse(t, logins[i%len(logins)], "wrong-"+strconv.Itoa(i)), 401, clientzone.ECREDENTIALS)
	}
	known := s.LoginResponse(t, h.Admin.Email, "wrong-again")
	apitest.WantProblem(t, "11th failure on a known login", known, 429, clientzone.ERATELIMITED)
	apitest.WantProblem(t, "right password while locked", s.LoginResponse(t, h.Admin.Username, h.Admin.Password), 429, clientzone.ERATELIMITED)
	ra, err := strconv.Atoi(known.Header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 3600 {
		t.Errorf("Retry-After = %q", known.Header.Get("Retry-After"))
	}

	nobody := unique("nobody", apitest.Seq())
	for i := 0; i < 10; i++ {
		apitest.WantProblem(t, fmt.Sprintf("unknown failure %d", i+1), s.LoginResponse(t, nobody, "wrong-"+strconv.Itoa(i)), 401, clientzone.ECREDENTIALS)
	}
	unknown := s.LoginResponse(t, " "+strings.ToUpper(nobody[:1])+nobody[1:], "wrong-again")
	apitest.WantProblem(t, "11th failure on an unknown login", unknown, 429, clientzone.ERATELIMITED)
	if unknown.Header.Get("Retry-After") == "" {
		t.Errorf("no Retry-After for the unknown login")
	}
	strip := func(r apitest.Response) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(r.Body, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "requestId")
		return m
	}
	if k, u := strip(known), strip(unknown); !maps.EqualFunc(k, u, func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
		t.Errorf("429 bodies differ:\nknown   %v\nunknown %v", k, u)
	}
	// Localized.
	r := s.Do(t, "POST", "/v1/auth/login", "", apitest.JSON(t, map[string]string{"login": nobody, "password": "x"}), "Accept-Language", "hu")
	if p := r.Problem(t); r.Status != 429 || p.Detail != "Túl sok sikertelen bejelentkezési kísérlet. Próbálja újra később." {
		t.Errorf("hu 429: %d %+v", r.Status, p)
	}

	// Other accounts are not affected; a success does not reset the count.
	eva := h.Bills
	for i := 0; i < 9; i++ {
		apitest.WantProblem(t, "bills failure", s.LoginResponse(t, eva.Email, "nope"), 401, clientzone.ECREDENTIALS)
	}
	s.Login(t, eva.Email, eva.Password)
	apitest.WantProblem(t, "10th bills failure", s.LoginResponse(t, eva.Email, "nope"), 401, clientzone.ECREDENTIALS)
	apitest.WantProblem(t, "bills after 10 failures and a success", s.LoginResponse(t, eva.Email, eva.Password), 429, clientzone.ERATELIMITED)

	// Successful logins are audited with IP and user agent; failures are not.
	entries := auditLog(t, s, auditorToken)
	e := findAudit(entries, "login", eva.ID)
	if e == nil || e.IP != "127.0.0.1" || !strings.HasPrefix(e.UserAgent, "Go-http-client") || e.TargetID == "" {
		t.Errorf("login audit entry = %+v", e)
	}
	if n := len(slices.DeleteFunc(entries, func(e clientzone.AuditEntry) bool { return e.Action != "login" || e.ActorID == auditor.ID })); n != 1 {
		t.Errorf("login audit entries = %d, want 1 (failures are not audited)", n)
	}
	s.NoSecretsInLogs(t, h.Admin.Password, eva.Password, "wrong-again")
}

func TestSessionsMeUpdate(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	eva := h.Bills
	tk := s.LoginAs(t, eva)
	before := apitest.Decode[clientzone.Person](t, s.Do(t, "GET", "/v1/me", tk, ""), 200)
	// The hash and token version are in no answer: compare the stored
	// person too.
	stored := func() *clientzone.Person {
		p, err := s.Deps.DB.Person(context.Background(), h.ID, eva.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	storedBefore := stored()

	var cases []apitest.Case
	for _, c := range []struct {
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
	} {
		cases = append(cases, apitest.Case{Name: "bad: " + c.name, Method: "PATCH", Path: "/v1/me", Token: tk, Body: c.body,
			Headers: []string{"Accept-Language", "ru"}, Status: 400, Fields: c.fields, Check: func(t *testing.T, r apitest.Response) {
				for _, f := range r.Problem(t).Errors {
					if f.Message == "" || f.Code == "" {
						t.Errorf("field error %+v", f)
					}
				}
			}})
	}
	cases = append(cases, apitest.Case{Name: "phone error localized", Method: "PATCH", Path: "/v1/me", Token: tk, Body: `{"phone":"12345"}`,
		Headers: []string{"Accept-Language", "ru"}, Status: 400, Check: func(t *testing.T, r apitest.Response) {
			if p := r.Problem(t); p.Errors[0].Code != "e164" || !strings.Contains(p.Errors[0].Message, "+421900123456") ||
				p.Errors[0].Message == "Enter the phone number in international format, e.g. +421900123456." {
				t.Errorf("phone error not localized: %+v", p.Errors)
			}
		}})
	s.Run(t, cases)
	if after := apitest.Decode[clientzone.Person](t, s.Do(t, "GET", "/v1/me", tk, ""), 200); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a rejected update changed the person")
	}
	if after := stored(); fmt.Sprint(after) != fmt.Sprint(storedBefore) {
		t.Errorf("a rejected update changed the stored person")
	}

	r := s.Do(t, "PATCH", "/v1/me", tk, `{"name":" Eva Nová ","phone":"+421 905 111-222","language":"hu","notifications":{"news":true,"invoices":false}}`)
	got := apitest.Decode[clientzone.Person](t, r, 200)
	want := clientzone.Notifications{Invoices: false, Expiry: before.Notifications.Expiry, Outages: before.Notifications.Outages, News: true}
	if got.Name != "Eva Nová" || got.Phone != "+421905111222" || got.Language != clientzone.LangHU || got.Notifications != want || got.Email != before.Email {
		t.Errorf("update answer = %+v", got)
	}
	me := s.Do(t, "GET", "/v1/me", tk, "")
	if strings.TrimSpace(string(me.Body)) != strings.TrimSpace(string(r.Body)) {
		t.Errorf("PATCH answer differs from GET /v1/me:\n%s\n%s", r.Body, me.Body)
	}
	st := stored()
	if st.Name != "Eva Nová" || st.Phone != "+421905111222" || st.Notifications != want ||
		st.PasswordHash != storedBefore.PasswordHash || !slices.Equal(st.Rights, storedBefore.Rights) || st.TokenVersion != storedBefore.TokenVersion {
		t.Errorf("stored = %+v", st)
	}
	e := findAudit(auditLog(t, s, s.LoginAs(t, h.Admin)), "profile.update", eva.ID)
	if e == nil || e.Details["fields"] != "language,name,notifications.invoices,notifications.news,phone" {
		t.Errorf("profile.update audit = %+v", e)
	}

	// Only given fields change; "" removes the phone; {} changes nothing.
	s.Run(t, []apitest.Case{
		{Name: "clearing the phone", Method: "PATCH", Path: "/v1/me", Token: tk, Body: `{"phone":""}`, Status: 200,
			Check: func(t *testing.T, r apitest.Response) {
				got := apitest.Decode[clientzone.Person](t, r, 200)
				if got.Phone != "" || got.Name != "Eva Nová" || got.Language != clientzone.LangHU {
					t.Errorf("clearing the phone: %s", r.Body)
				}
			}},
		{Name: "empty patch", Method: "PATCH", Path: "/v1/me", Token: tk, Body: `{}`, Status: 200,
			Check: func(t *testing.T, r apitest.Response) {
				if !strings.Contains(string(r.Body), `"name":"Eva Nová"`) {
					t.Errorf("empty patch: %s", r.Body)
				}
			}},
		{Name: "without a token", Method: "PATCH", Path: "/v1/me", Body: `{"name":"X"}`, Status: 401, Code: clientzone.EUNAUTHENTICATED},
	})
	s.NoSecretsInLogs(t, eva.Password, tk)
}
