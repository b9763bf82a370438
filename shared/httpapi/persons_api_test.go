package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type personJSON struct {
	ID            string                   `json:"id"`
	CustomerID    string                   `json:"customerId"`
	Name          string                   `json:"name"`
	Email         string                   `json:"email"`
	Username      string                   `json:"username"`
	Phone         string                   `json:"phone"`
	Role          string                   `json:"role"`
	Rights        []string                 `json:"rights"`
	Language      string                   `json:"language"`
	Notifications clientzone.Notifications `json:"notifications"`
	Disabled      bool                     `json:"disabled"`
}

type auditJSON struct {
	Items []struct {
		ID       string            `json:"id"`
		At       time.Time         `json:"at"`
		Action   string            `json:"action"`
		ActorID  string            `json:"actorId"`
		TargetID string            `json:"targetId"`
		IP       string            `json:"ip"`
		Details  map[string]string `json:"details"`
	} `json:"items"`
	NextCursor string `json:"nextCursor"`
}

// TestPersonsManagement covers persons management by admins end to end on
// the dev-server stack: list, create with invitation, get, update, disable,
// the admin-only rule, isolation between customers, last-admin protection,
// token revocation, and the audit log.
func TestPersonsManagement(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	other := s.NewAccount(t, apitest.CustomerSpec{})
	ctx := context.Background()
	db := s.Deps.DB
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	tech := s.Login(t, h.Tech.Email, h.Tech.Password)
	n := apitest.Seq()
	maria := fmt.Sprintf("Maria.Kovacova.%d@example.sk", n)
	mariaUser := fmt.Sprintf("mkovacova%d", n)
	var secrets []string
	var createdID string

	outbox := func() []clientzone.Message { return s.Outbox(t, nil) }

	t.Run("list as admin: sorted by name, profile shape, no secrets", func(t *testing.T) {
		r := s.Do(t, "GET", "/v1/persons", admin.AccessToken, "")
		l := apitest.Decode[struct{ Items []personJSON }](t, r, 200)
		var names []string
		for _, p := range l.Items {
			names = append(names, p.Name)
			if p.CustomerID != h.ID {
				t.Errorf("foreign person listed: %+v", p)
			}
		}
		if fmt.Sprint(names) != "[Eva Nováková Ján Novák Peter Technik]" {
			t.Errorf("names = %v", names)
		}
		if got := l.Items[1].Rights; len(got) != len(clientzone.AllRights) || l.Items[1].Role != "admin" {
			t.Errorf("admin's rights = %v", got)
		}
		if fmt.Sprint(l.Items[0].Rights) != "[invoices payments]" {
			t.Errorf("eva's rights = %v", l.Items[0].Rights)
		}
		for _, s := range []string{"argon2id", "PasswordHash", "passwordHash", "TokenVersion"} {
			if strings.Contains(string(r.Body), s) {
				t.Errorf("list leaks %s", s)
			}
		}
	})

	t.Run("regular persons get 403 on every persons route and the audit log", func(t *testing.T) {
		var cases []apitest.Case
		for _, c := range []struct{ method, path, body string }{
			{"GET", "/v1/persons", ""},
			{"POST", "/v1/persons", `{"name":"X","email":"x@example.sk","role":"regular","rights":[],"language":"en"}`},
			{"GET", "/v1/persons/" + h.Tech.ID, ""},
			{"PATCH", "/v1/persons/" + h.Tech.ID, `{"name":"X"}`},
			{"DELETE", "/v1/persons/" + h.Tech.ID, ""},
			{"GET", "/v1/audit-log", ""},
		} {
			for who, tok := range map[string]string{"accountant": bills.AccessToken, "technician": tech.AccessToken} {
				cases = append(cases, apitest.Case{Name: c.method + " " + c.path + " as " + who, Method: c.method, Path: c.path,
					Token: tok, Body: c.body, Status: 403, Code: clientzone.EFORBIDDEN})
			}
		}
		s.Run(t, cases)
		if p := apitest.Decode[personJSON](t, s.Do(t, "GET", "/v1/persons/"+h.Tech.ID, admin.AccessToken, ""), 200); p.Name != "Peter Technik" || p.Disabled {
			t.Errorf("a forbidden request changed the person: %+v", p)
		}
	})

	t.Run("create: 201, Location, no password, invitation in the same transaction", func(t *testing.T) {
		before := len(outbox())
		body := `{"name":"Mária Kováčová","email":"` + maria + `","username":"` + mariaUser + `","phone":"+421905111222",
			"role":"regular","rights":["tickets","invoices","invoices"],"language":"hu"}`
		r := s.Do(t, "POST", "/v1/persons", admin.AccessToken, body)
		p := apitest.Decode[personJSON](t, r, 201)
		createdID = p.ID
		if loc := r.Header.Get("Location"); loc != "/v1/persons/"+p.ID || p.ID == "" {
			t.Errorf("Location = %q, id %q", loc, p.ID)
		}
		if fmt.Sprint(p.Rights) != "[invoices tickets]" || p.Role != "regular" || p.Language != "hu" || p.CustomerID != h.ID ||
			p.Notifications != (clientzone.Notifications{Invoices: true, Expiry: true, Outages: true}) {
			t.Errorf("created = %+v", p)
		}
		stored, err := db.Person(ctx, h.ID, p.ID)
		if err != nil || stored.PasswordHash != "" || stored.Disabled {
			t.Fatalf("stored = %+v, %v", stored, err)
		}
		// The invitation email.
		ms := outbox()
		if len(ms) != before+1 {
			t.Fatalf("outbox grew by %d, want 1", len(ms)-before)
		}
		m := ms[len(ms)-1]
		if m.Template != "person-invitation" || m.Channel != clientzone.ChannelEmail || m.To != maria ||
			m.Language != clientzone.LangHU || m.PersonID != p.ID || m.CustomerID != h.ID ||
			m.Data["inviterName"] != "Ján Novák" || m.Data["customerName"] != "Ján Novák" {
			t.Errorf("message = %+v", m)
		}
		link, err := url.Parse(m.Data["link"])
		if err != nil || !strings.HasPrefix(m.Data["link"], s.Deps.Config.ActivationURLBase+"?token=") {
			t.Fatalf("link = %q", m.Data["link"])
		}
		tok := link.Query().Get("token")
		if len(tok) < 43 {
			t.Fatalf("token %q is shorter than 256 bits", tok)
		}
		secrets = append(secrets, tok)
		// Only the hash of the token is stored; the activation names the person.
		a, err := db.Activation(ctx, account.HashInvitationToken(tok))
		if err != nil {
			t.Fatal(err)
		}
		if a.Purpose != clientzone.ActivationInvitation || a.PersonID != p.ID || a.CustomerID != h.ID ||
			time.Until(a.ExpiresAt) < 7*24*time.Hour-time.Minute || time.Until(a.ExpiresAt) > 7*24*time.Hour {
			t.Errorf("activation = %+v", a)
		}
		if _, err := db.Activation(ctx, tok); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("the raw token is stored: %v", err)
		}
		// A person without a password cannot log in: same answer as a wrong password.
		for _, l := range []string{strings.ToLower(maria), mariaUser} {
			for _, pw := range []string{"", "x", "anything-at-all"} {
				b, _ := json.Marshal(map[string]string{"login": l, "password": pw})
				r := s.Do(t, "POST", "/v1/auth/login", "", string(b))
				if pw == "" {
					if r.Status != 400 {
						t.Errorf("empty password: %d", r.Status)
					}
					continue
				}
				if p := r.Problem(t); r.Status != 401 || p.Code != clientzone.ECREDENTIALS {
					t.Errorf("login %s without a password set: %d %s", l, r.Status, r.Body)
				}
			}
		}
	})

	t.Run("create: taken email or username is 409 on the field and writes nothing", func(t *testing.T) {
		dup := unique("dup", n)
		list := func() []personJSON {
			return apitest.Decode[struct{ Items []personJSON }](t, s.Do(t, "GET", "/v1/persons", admin.AccessToken, ""), 200).Items
		}
		persons := list()
		msgs := len(outbox())
		cases := map[string]string{
			"email":    `{"name":"Dup","email":"` + strings.ToUpper(h.Admin.Email) + `","role":"regular","rights":["calls"],"language":"sk"}`,
			"username": `{"name":"Dup","email":"` + dup + `","username":"` + strings.ToUpper(h.Tech.Username[:1]) + h.Tech.Username[1:] + `","role":"regular","rights":["calls"],"language":"sk"}`,
		}
		for field, body := range cases {
			r := s.Do(t, "POST", "/v1/persons", admin.AccessToken, body, "Accept-Language", "sk")
			p := r.Problem(t)
			if r.Status != 409 || p.Code != clientzone.ECONFLICT || len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Code != "taken" {
				t.Errorf("%s taken: %d %s", field, r.Status, r.Body)
			}
			if strings.Contains(p.Detail, "already") {
				t.Errorf("detail not translated to sk: %q", p.Detail)
			}
		}
		after := list()
		if len(after) != len(persons) || len(outbox()) != msgs {
			t.Errorf("a failed create wrote: persons %d→%d, outbox %d→%d", len(persons), len(after), msgs, len(outbox()))
		}
		if _, err := db.PersonByLogin(ctx, dup); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("alias of a failed create exists: %v", err)
		}
	})

	t.Run("create: bad input is 400 with field errors", func(t *testing.T) {
		cases := map[string]string{
			`{"name":"","email":"nope","role":"boss","rights":["root"],"language":"de","phone":"0905 111 222"}`: "[email language name phone rights[0] role]",
			`{"name":"A","email":"a@example.sk","username":"a b","role":"regular","language":"en"}`:             "[username]",
			`{"name":"A","email":"a@example.sk","username":"12345","role":"regular","language":"en"}`:           "[username]",
			`{"name":"A","email":"a@example.sk","role":"regular","language":"en","password":"x"}`:               "[password]",
		}
		for body, want := range cases {
			r := s.Do(t, "POST", "/v1/persons", admin.AccessToken, body)
			got := r.Fields(t)
			slices.Sort(got)
			if r.Status != 400 || fmt.Sprint(got) != want {
				t.Errorf("%s: %d fields %v, want %s", body, r.Status, got, want)
			}
		}
	})

	t.Run("create an admin: rights are ignored", func(t *testing.T) {
		r := s.Do(t, "POST", "/v1/persons", admin.AccessToken,
			`{"name":"Zuzana Adminová","email":"`+unique("zuzana", n)+`","role":"admin","rights":["calls"],"language":"sk"}`)
		p := apitest.Decode[personJSON](t, r, 201)
		stored, _ := db.Person(ctx, h.ID, p.ID)
		if len(p.Rights) != len(clientzone.AllRights) || len(stored.Rights) != 0 || stored.Role != clientzone.RoleAdmin {
			t.Errorf("admin created with rights %v, stored %v", p.Rights, stored.Rights)
		}
		// A disabled second admin does not count as an active admin below.
		if r := s.Do(t, "DELETE", "/v1/persons/"+p.ID, admin.AccessToken, ""); r.Status != 200 {
			t.Fatalf("disable zuzana: %d %s", r.Status, r.Body)
		}
	})

	t.Run("get one person; another customer's person is 404 for get, patch and delete", func(t *testing.T) {
		p := apitest.Decode[personJSON](t, s.Do(t, "GET", "/v1/persons/"+h.Bills.ID, admin.AccessToken, ""), 200)
		if p.Email != h.Bills.Email || fmt.Sprint(p.Rights) != "[invoices payments]" {
			t.Errorf("get = %+v", p)
		}
		for _, c := range []struct{ method, body string }{{"GET", ""}, {"PATCH", `{"role":"regular","disabled":true}`}, {"DELETE", ""}} {
			for _, id := range []string{other.Admin.ID, "01JNOSUCHPERSON00000000000"} {
				r := s.Do(t, c.method, "/v1/persons/"+id, admin.AccessToken, c.body)
				if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
					t.Errorf("%s %s: %d %s", c.method, id, r.Status, r.Body)
				}
			}
		}
		if op := apitest.Decode[personJSON](t, s.Do(t, "GET", "/v1/me", other.Token, ""), 200); op.Disabled || op.Role != "admin" {
			t.Errorf("the other customer's admin changed: %+v", op)
		}
	})

	t.Run("update: profile fields keep sessions, rights change kills the target's token", func(t *testing.T) {
		r := s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, admin.AccessToken,
			`{"name":"Eva Nováková-Malá","phone":"+421911000111","language":"en","notifications":{"invoices":true,"expiry":true,"outages":false,"news":true}}`)
		p := apitest.Decode[personJSON](t, r, 200)
		if p.Name != "Eva Nováková-Malá" || p.Phone != "+421911000111" || p.Language != "en" || !p.Notifications.News {
			t.Errorf("updated = %+v", p)
		}
		if r := s.Do(t, "GET", "/v1/me", bills.AccessToken, ""); r.Status != 200 {
			t.Errorf("profile change ended the session: %d", r.Status)
		}
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, admin.AccessToken, `{"phone":"0911"}`); r.Status != 400 || fmt.Sprint(r.Fields(t)) != "[phone]" {
			t.Errorf("bad phone: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, admin.AccessToken, `{"rights":["root"],"role":"boss","email":"x@example.sk"}`); r.Status != 400 || fmt.Sprint(r.Fields(t)) != "[email]" {
			t.Errorf("email in patch: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, admin.AccessToken, `{"rights":["root"],"role":"boss"}`); r.Status != 400 || fmt.Sprint(r.Fields(t)) != "[role rights[0]]" {
			t.Errorf("bad role and rights: %d %s", r.Status, r.Body)
		}
		r = s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, admin.AccessToken, `{"rights":["invoices"],"phone":""}`)
		p = apitest.Decode[personJSON](t, r, 200)
		if fmt.Sprint(p.Rights) != "[invoices]" || p.Phone != "" {
			t.Errorf("rights/phone = %v %q", p.Rights, p.Phone)
		}
		if r := s.Do(t, "GET", "/v1/me", bills.AccessToken, ""); r.Status != 401 || r.Problem(t).Code != clientzone.EUNAUTHENTICATED {
			t.Errorf("old token after a rights change: %d %s", r.Status, r.Body)
		}
		// A fresh login has only the new rights.
		eva := s.Login(t, h.Bills.Email, h.Bills.Password)
		if r := s.Do(t, "GET", "/v1/me", eva.AccessToken, ""); !strings.Contains(string(r.Body), `"rights":["invoices"]`) {
			t.Errorf("me after rights change: %s", r.Body)
		}
		// An empty patch changes nothing and is not audited.
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, admin.AccessToken, `{}`); r.Status != 200 {
			t.Errorf("empty patch: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "GET", "/v1/me", eva.AccessToken, ""); r.Status != 200 {
			t.Errorf("empty patch ended the session: %d", r.Status)
		}
	})

	t.Run("the persons right grants nothing: persons management is admin only", func(t *testing.T) {
		r := s.Do(t, "PATCH", "/v1/persons/"+h.Tech.ID, admin.AccessToken, `{"rights":["calls","traffic","persons"]}`)
		if p := apitest.Decode[personJSON](t, r, 200); fmt.Sprint(p.Rights) != "[calls traffic persons]" {
			t.Fatalf("rights = %v", p.Rights)
		}
		tk := s.Login(t, h.Tech.Username, h.Tech.Password)
		if r := s.Do(t, "GET", "/v1/persons", tk.AccessToken, ""); r.Status != 403 {
			t.Errorf("person with the persons right: %d %s", r.Status, r.Body)
		}
	})

	t.Run("last active admin cannot be demoted or disabled, nor an admin disable themselves", func(t *testing.T) {
		for _, c := range []struct{ method, body string }{
			{"PATCH", `{"role":"regular"}`}, {"PATCH", `{"disabled":true}`}, {"DELETE", ""},
		} {
			r := s.Do(t, c.method, "/v1/persons/"+h.Admin.ID, admin.AccessToken, c.body, "Accept-Language", "hu")
			p := r.Problem(t)
			if r.Status != 409 || p.Code != clientzone.ECONFLICT || r.Header.Get("Content-Language") != "hu" ||
				(c.body == `{"role":"regular"}` && !strings.HasPrefix(p.Detail, "Az utolsó aktív adminisztrátort")) {
				t.Errorf("%s %s on the last admin: %d %s", c.method, c.body, r.Status, r.Body)
			}
		}
		// With a second admin, demoting works, but nobody disables themselves.
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, admin.AccessToken, `{"role":"admin"}`); r.Status != 200 {
			t.Fatalf("promote eva: %d %s", r.Status, r.Body)
		}
		r := s.Do(t, "DELETE", "/v1/persons/"+h.Admin.ID, admin.AccessToken, "")
		if p := r.Problem(t); r.Status != 409 || p.Detail != "You cannot disable your own login." {
			t.Errorf("self-disable: %d %s", r.Status, r.Body)
		}
		eva := s.Login(t, h.Bills.Email, h.Bills.Password)
		r = s.Do(t, "PATCH", "/v1/persons/"+h.Admin.ID, eva.AccessToken, `{"role":"regular","rights":["invoices"]}`)
		if p := apitest.Decode[personJSON](t, r, 200); p.Role != "regular" || fmt.Sprint(p.Rights) != "[invoices]" {
			t.Errorf("demoted jan = %+v", p)
		}
		if r := s.Do(t, "GET", "/v1/persons", admin.AccessToken, ""); r.Status != 401 {
			t.Errorf("jan's token after demotion: %d", r.Status)
		}
		// Now eva is the last admin; restore jan for the rest of the test.
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, eva.AccessToken, `{"role":"regular"}`); r.Status != 409 {
			t.Errorf("eva demoting herself as last admin: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Admin.ID, eva.AccessToken, `{"role":"admin"}`); r.Status != 200 {
			t.Fatalf("re-promote jan: %d %s", r.Status, r.Body)
		}
		admin = s.Login(t, h.Admin.Email, h.Admin.Password)
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Bills.ID, admin.AccessToken, `{"role":"regular","rights":["invoices","payments"]}`); r.Status != 200 {
			t.Fatalf("demote eva: %d %s", r.Status, r.Body)
		}
	})

	t.Run("concurrent demotions of the only two admins leave one admin", func(t *testing.T) {
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Tech.ID, admin.AccessToken, `{"role":"admin"}`); r.Status != 200 {
			t.Fatalf("promote tech: %d %s", r.Status, r.Body)
		}
		tk := s.Login(t, h.Tech.Username, h.Tech.Password)
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i, c := range []struct{ tok, target string }{{admin.AccessToken, h.Tech.ID}, {tk.AccessToken, h.Admin.ID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = s.Do(t, "PATCH", "/v1/persons/"+c.target, c.tok, `{"role":"regular","rights":["calls"]}`).Status
			}()
		}
		wg.Wait()
		// Either admin may have lost the role (and their token): count in
		// the store.
		all, _ := db.Persons(ctx, h.ID)
		admins := 0
		for _, p := range all {
			if p.Role == clientzone.RoleAdmin && !p.Disabled {
				admins++
			}
		}
		if admins < 1 || slices.Equal(statuses, []int{200, 200}) {
			t.Fatalf("statuses %v left %d active admins", statuses, admins)
		}
		// Restore: jan admin, tech regular with calls + traffic.
		jan, _ := db.Person(ctx, h.ID, h.Admin.ID)
		if jan.Role != clientzone.RoleAdmin {
			tk = s.Login(t, h.Tech.Username, h.Tech.Password)
			if r := s.Do(t, "PATCH", "/v1/persons/"+h.Admin.ID, tk.AccessToken, `{"role":"admin"}`); r.Status != 200 {
				t.Fatalf("restore jan: %d %s", r.Status, r.Body)
			}
		}
		admin = s.Login(t, h.Admin.Email, h.Admin.Password)
		if r := s.Do(t, "PATCH", "/v1/persons/"+h.Tech.ID, admin.AccessToken, `{"role":"regular","rights":["calls","traffic"]}`); r.Status != 200 {
			t.Fatalf("restore tech: %d %s", r.Status, r.Body)
		}
	})

	t.Run("disable: 200 with the profile, sessions end, login fails", func(t *testing.T) {
		tk := s.Login(t, h.Tech.Username, h.Tech.Password)
		r := s.Do(t, "DELETE", "/v1/persons/"+h.Tech.ID, admin.AccessToken, "")
		if p := apitest.Decode[personJSON](t, r, 200); !p.Disabled || p.ID != h.Tech.ID {
			t.Errorf("disabled = %+v", p)
		}
		if r := s.Do(t, "GET", "/v1/me", tk.AccessToken, ""); r.Status != 401 {
			t.Errorf("token of a disabled person: %d", r.Status)
		}
		r = s.LoginResponse(t, h.Tech.Username, h.Tech.Password)
		if r.Status != 401 || r.Problem(t).Code != clientzone.ECREDENTIALS {
			t.Errorf("login of a disabled person: %d %s", r.Status, r.Body)
		}
		// Disabling again is a no-op; enabling again works.
		if r := s.Do(t, "DELETE", "/v1/persons/"+h.Tech.ID, admin.AccessToken, ""); r.Status != 200 {
			t.Errorf("disable twice: %d", r.Status)
		}
		if p := apitest.Decode[personJSON](t, s.Do(t, "PATCH", "/v1/persons/"+h.Tech.ID, admin.AccessToken, `{"disabled":false}`), 200); p.Disabled {
			t.Errorf("re-enable: %+v", p)
		}
		s.Login(t, h.Tech.Username, h.Tech.Password)
	})

	t.Run("audit log: newest first, actions and details, pagination, admin only", func(t *testing.T) {
		var all []string
		var entries auditJSON
		cursor := ""
		for page := 0; page < 40; page++ {
			r := s.Do(t, "GET", "/v1/audit-log?limit=3&cursor="+url.QueryEscape(cursor), admin.AccessToken, "")
			p := apitest.Decode[auditJSON](t, r, 200)
			if len(p.Items) > 3 {
				t.Fatalf("page of %d", len(p.Items))
			}
			for _, it := range p.Items {
				all = append(all, it.Action+":"+it.TargetID)
			}
			entries.Items = append(entries.Items, p.Items...)
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		for i := 1; i < len(entries.Items); i++ {
			if entries.Items[i].ID >= entries.Items[i-1].ID || entries.Items[i].At.After(entries.Items[i-1].At) {
				t.Errorf("not newest first at %d: %v", i, all)
			}
		}
		var persons []string
		for _, a := range all {
			// The household's persons came with the back office's import.
			if strings.HasPrefix(a, "person.") && !strings.HasPrefix(a, "person.import:") {
				persons = append(persons, a)
			}
		}
		// Oldest persons entries, in the order the test made them.
		slices.Reverse(persons)
		want := []string{"person.create:" + createdID}
		if len(persons) < 4 || persons[0] != want[0] || !strings.HasPrefix(persons[1], "person.create:") ||
			!strings.HasPrefix(persons[2], "person.disable:") || persons[3] != "person.update:"+h.Bills.ID {
			t.Errorf("audit actions (oldest first) = %v", persons)
		}
		if last := persons[len(persons)-1]; last != "person.update:"+h.Tech.ID {
			t.Errorf("newest persons entry = %s", last)
		}
		// Details of the rights change and the disable.
		found := 0
		for _, e := range entries.Items {
			if e.Action == "person.update" && e.TargetID == h.Bills.ID && e.Details["rights"] == "invoices,payments→invoices" {
				found++
				if e.ActorID != h.Admin.ID || e.IP == "" || !strings.Contains(e.Details["fields"], "rights") {
					t.Errorf("entry = %+v", e)
				}
			}
			if e.Action == "person.disable" && e.TargetID == h.Tech.ID && e.Details["disabled"] == "false→true" {
				found++
			}
		}
		if found != 2 {
			t.Errorf("expected details not found in %+v", entries.Items)
		}
		// HU's log holds none of this.
		for _, e := range apitest.Decode[auditJSON](t, s.Do(t, "GET", "/v1/audit-log", other.Token, ""), 200).Items {
			if (strings.HasPrefix(e.Action, "person.") && e.Action != "person.import") || e.Action == "test" {
				t.Errorf("HU audit log has %+v", e)
			}
		}
		eva := s.Login(t, h.Bills.Email, h.Bills.Password)
		if r := s.Do(t, "GET", "/v1/audit-log", eva.AccessToken, ""); r.Status != 403 {
			t.Errorf("regular person reads the audit log: %d", r.Status)
		}
		for _, q := range []string{"limit=0", "limit=101", "cursor=garbage"} {
			r := s.Do(t, "GET", "/v1/audit-log?"+q, admin.AccessToken, "")
			if r.Status != 400 {
				t.Errorf("%s: %d %s", q, r.Status, r.Body)
			}
		}
	})

	s.NoSecretsInLogs(t, append(secrets, admin.AccessToken, h.Admin.Password, h.Tech.Password)...)
}

// TestPersonsImport imports legacy persons through the back-office route:
// their old bcrypt and MD5-crypt passwords log them in and are upgraded to
// argon2id.
func TestPersonsImport(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	hu := s.NewAccount(t, apitest.CustomerSpec{Kind: "company", Currency: "HUF", Country: "HU", Language: clientzone.LangHU})
	ctx := context.Background()
	db := s.Deps.DB
	const bcryptPW, md5PW = "Legacy-Heslo-2019", "Stare-Heslo-2018"
	bh, err := bcrypt.GenerateFromPassword([]byte(bcryptPW), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	// openssl passwd -1 -salt legacy01 'Stare-Heslo-2018'
	const md5Hash = "$1$legacy01$r7jyazPpTQdGxAYVLSTcE."
	path := "/admin/v1/customers/" + hu.ID + "/persons/import"
	n := apitest.Seq()
	aMail, szaboMail, tothMail, dup2Mail, peterMail := unique("a", n), unique("szabo", n), unique("toth", n), unique("dup2", n), unique("peter.szabo", n)
	szabop, legacyID := fmt.Sprintf("szabop%d", n), fmt.Sprintf("legacy-%d", n)
	person := func(id, name, email, username, hash string) map[string]any {
		m := map[string]any{"name": name, "email": email, "role": "regular", "rights": []string{"invoices"}, "language": "hu", "passwordHash": hash}
		if id != "" {
			m["id"] = id
		}
		if username != "" {
			m["username"] = username
		}
		return m
	}
	post := func(persons ...map[string]any) apitest.Response {
		b, _ := json.Marshal(map[string]any{"persons": persons})
		return s.Do(t, "POST", path, "", string(b))
	}
	type result struct {
		Imported int                   `json:"imported"`
		Errors   []account.ImportError `json:"errors"`
	}

	t.Run("invalid hash: 400 on the field, nothing written", func(t *testing.T) {
		r := post(person("", "A", aMail, "", string(bh)), person("", "B", unique("b", n), "", "5f4dcc3b5aa765d61d8327deb882cf99"),
			person("", "C", unique("c", n), "", "{SSHA}legacy-ldap-hash"))
		if got := r.Fields(t); r.Status != 400 || fmt.Sprint(got) != "[persons[1].passwordHash persons[2].passwordHash]" {
			t.Errorf("%d %v %s", r.Status, got, r.Body)
		}
		if ps := apitest.Decode[struct{ Items []personJSON }](t, s.Do(t, "GET", "/v1/persons", hu.Token, ""), 200).Items; len(ps) != 1 {
			t.Errorf("HU persons = %d", len(ps))
		}
		if _, err := db.PersonByLogin(ctx, aMail); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("a valid person of a rejected batch was written: %v", err)
		}
	})

	t.Run("unknown customer is 404, empty or oversized batches are 400", func(t *testing.T) {
		b, _ := json.Marshal(map[string]any{"persons": []any{person("", "A", aMail, "", string(bh))}})
		r := s.Do(t, "POST", "/admin/v1/customers/01JNOSUCHCUSTOMER000000000/persons/import", "", string(b))
		if p := r.Problem(t); r.Status != 404 || p.Code != clientzone.ENOTFOUND {
			t.Errorf("unknown customer: %d %s", r.Status, r.Body)
		}
		many := make([]map[string]any, 101)
		for i := range many {
			many[i] = person("", "P", fmt.Sprintf("p%d.%d@kovacs.hu", i, n), "", string(bh))
		}
		for name, r := range map[string]apitest.Response{"empty": post(), "101": post(many...)} {
			if got := r.Fields(t); r.Status != 400 || fmt.Sprint(got) != "[persons]" {
				t.Errorf("%s: %d %v", name, r.Status, got)
			}
		}
	})

	t.Run("import, conflicts reported per person, login upgrades the hash", func(t *testing.T) {
		r := post(
			person(legacyID, "Szabó Péter", szaboMail, szabop, string(bh)),
			person("", "Tóth Éva", tothMail, "", md5Hash),
			person("", "Dup", strings.ToUpper(h.Admin.Email), "", md5Hash), // another customer's login
			person("", "Dup2", dup2Mail, h.Admin.Username, md5Hash),
		)
		res := apitest.Decode[result](t, r, 200)
		if res.Imported != 2 || len(res.Errors) != 2 || res.Errors[0] != (account.ImportError{Index: 2, Field: "persons[2].email", Code: "taken", Message: "Another login already uses this value."}) ||
			res.Errors[1].Index != 3 || res.Errors[1].Field != "persons[3].username" {
			t.Fatalf("result = %+v", res)
		}
		if _, err := db.PersonByLogin(ctx, dup2Mail); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("a conflicting person was half-written: %v", err)
		}
		if p, _ := db.PersonByLogin(ctx, h.Admin.Email); p.ID != h.Admin.ID {
			t.Errorf("an import took over another customer's login: %+v", p)
		}
		p, err := db.Person(ctx, hu.ID, legacyID)
		if err != nil || p.PasswordHash != string(bh) || p.Username != szabop {
			t.Fatalf("imported = %+v, %v", p, err)
		}
		for _, c := range []struct{ login, pw, pid string }{{szabop, bcryptPW, legacyID}, {tothMail, md5PW, ""}} {
			r := s.Do(t, "POST", "/v1/auth/login", "", fmt.Sprintf(`{"login":%q,"password":"wrong"}`, c.login))
			if r.Status != 401 {
				t.Errorf("%s with a wrong password: %d", c.login, r.Status)
			}
			tk := s.Login(t, c.login, c.pw)
			me := apitest.Decode[personJSON](t, s.Do(t, "GET", "/v1/me", tk.AccessToken, ""), 200)
			if me.CustomerID != hu.ID || (c.pid != "" && me.ID != c.pid) {
				t.Errorf("me = %+v", me)
			}
			stored, _ := db.Person(ctx, hu.ID, me.ID)
			if !strings.HasPrefix(stored.PasswordHash, "$argon2id$") {
				t.Errorf("%s: hash after login = %.10s…, want argon2id", c.login, stored.PasswordHash)
			}
			s.Login(t, c.login, c.pw) // and the new hash verifies the same password
		}
		// Audit entries, by the back office (besides the import of the
		// account's own admin).
		imports := 0
		for _, e := range auditLog(t, s, hu.Token) {
			if e.Action == "person.import" && e.TargetID != hu.Admin.ID {
				imports++
				if e.ActorID != "backoffice" || e.Details["hash"] == "" || strings.Contains(fmt.Sprint(e.Details), "$") {
					t.Errorf("audit entry = %+v", e)
				}
			}
		}
		if imports != 2 {
			t.Errorf("%d import audit entries, want 2", imports)
		}
	})

	t.Run("re-importing an id replaces the person and frees old aliases", func(t *testing.T) {
		tk := s.Login(t, szabop, bcryptPW)
		r := post(person(legacyID, "Szabó Péter", peterMail, "", md5Hash))
		if res := apitest.Decode[result](t, r, 200); res.Imported != 1 || len(res.Errors) != 0 {
			t.Fatalf("re-import = %+v", res)
		}
		if _, err := db.PersonByLogin(ctx, szabop); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("old username still resolves: %v", err)
		}
		if r := s.Do(t, "GET", "/v1/me", tk.AccessToken, ""); r.Status != 401 {
			t.Errorf("token after re-import: %d", r.Status)
		}
		s.Login(t, peterMail, md5PW)
	})

	s.NoSecretsInLogs(t, string(bh), md5Hash, bcryptPW, md5PW)
}
