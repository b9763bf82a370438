package devserver

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

	"github.com/clientzone/clientzone/infra/local/demo"
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

func decodeJSON[T any](t *testing.T, r response, status int) T {
	t.Helper()
	var v T
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	return v
}

func problemFields(t *testing.T, r response) []string {
	t.Helper()
	var out []string
	for _, f := range r.problem(t).Errors {
		out = append(out, f.Field)
	}
	return out
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
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	db := st.Deps.DB
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	bills := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	tech := login(t, base, "technik", demo.TechPassword)
	var secrets []string
	var createdID string

	outbox := func() []clientzone.Message {
		t.Helper()
		ms, err := db.OutboxMessages(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}

	t.Run("list as admin: sorted by name, profile shape, no secrets", func(t *testing.T) {
		r := do(t, "GET", base+"/v1/persons", admin.AccessToken, "")
		l := decodeJSON[struct{ Items []personJSON }](t, r, 200)
		var names []string
		for _, p := range l.Items {
			names = append(names, p.Name)
			if p.CustomerID != demo.CustomerSK {
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
			if strings.Contains(string(r.body), s) {
				t.Errorf("list leaks %s", s)
			}
		}
	})

	t.Run("regular persons get 403 on every persons route and the audit log", func(t *testing.T) {
		for _, c := range []struct{ method, path, body string }{
			{"GET", "/v1/persons", ""},
			{"POST", "/v1/persons", `{"name":"X","email":"x@example.sk","role":"regular","rights":[],"language":"en"}`},
			{"GET", "/v1/persons/" + demo.PersonTech, ""},
			{"PATCH", "/v1/persons/" + demo.PersonTech, `{"name":"X"}`},
			{"DELETE", "/v1/persons/" + demo.PersonTech, ""},
			{"GET", "/v1/audit-log", ""},
		} {
			for _, tok := range []string{bills.AccessToken, tech.AccessToken} {
				r := do(t, c.method, base+c.path, tok, c.body)
				if p := r.problem(t); r.status != 403 || p.Code != clientzone.EFORBIDDEN {
					t.Errorf("%s %s as regular: %d %s", c.method, c.path, r.status, r.body)
				}
			}
		}
		if p, _ := db.Person(ctx, demo.CustomerSK, demo.PersonTech); p.Name != "Peter Technik" || p.Disabled {
			t.Errorf("a forbidden request changed the person: %+v", p)
		}
	})

	t.Run("create: 201, Location, no password, invitation in the same transaction", func(t *testing.T) {
		before := len(outbox())
		body := `{"name":"Mária Kováčová","email":"Maria.Kovacova@example.sk","username":"mkovacova","phone":"+421905111222",
			"role":"regular","rights":["tickets","invoices","invoices"],"language":"hu"}`
		r := do(t, "POST", base+"/v1/persons", admin.AccessToken, body)
		p := decodeJSON[personJSON](t, r, 201)
		createdID = p.ID
		if loc := r.header.Get("Location"); loc != "/v1/persons/"+p.ID || p.ID == "" {
			t.Errorf("Location = %q, id %q", loc, p.ID)
		}
		if fmt.Sprint(p.Rights) != "[invoices tickets]" || p.Role != "regular" || p.Language != "hu" || p.CustomerID != demo.CustomerSK ||
			p.Notifications != (clientzone.Notifications{Invoices: true, Expiry: true, Outages: true}) {
			t.Errorf("created = %+v", p)
		}
		stored, err := db.Person(ctx, demo.CustomerSK, p.ID)
		if err != nil || stored.PasswordHash != "" || stored.Disabled {
			t.Fatalf("stored = %+v, %v", stored, err)
		}
		// The invitation email.
		ms := outbox()
		if len(ms) != before+1 {
			t.Fatalf("outbox grew by %d, want 1", len(ms)-before)
		}
		m := ms[len(ms)-1]
		if m.Template != "person-invitation" || m.Channel != clientzone.ChannelEmail || m.To != "Maria.Kovacova@example.sk" ||
			m.Language != clientzone.LangHU || m.PersonID != p.ID || m.CustomerID != demo.CustomerSK ||
			m.Data["inviterName"] != "Ján Novák" || m.Data["customerName"] != "Ján Novák" {
			t.Errorf("message = %+v", m)
		}
		link, err := url.Parse(m.Data["link"])
		if err != nil || !strings.HasPrefix(m.Data["link"], st.Deps.Config.ActivationURLBase+"?token=") {
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
		if a.Purpose != clientzone.ActivationInvitation || a.PersonID != p.ID || a.CustomerID != demo.CustomerSK ||
			a.ExpiresAt.Sub(time.Now()) < 7*24*time.Hour-time.Minute || a.ExpiresAt.Sub(time.Now()) > 7*24*time.Hour {
			t.Errorf("activation = %+v", a)
		}
		if _, err := db.Activation(ctx, tok); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("the raw token is stored: %v", err)
		}
		// A person without a password cannot log in: same answer as a wrong password.
		for _, l := range []string{"maria.kovacova@example.sk", "mkovacova"} {
			for _, pw := range []string{"", "x", "anything-at-all"} {
				b, _ := json.Marshal(map[string]string{"login": l, "password": pw})
				r := do(t, "POST", base+"/v1/auth/login", "", string(b))
				if pw == "" {
					if r.status != 400 {
						t.Errorf("empty password: %d", r.status)
					}
					continue
				}
				if p := r.problem(t); r.status != 401 || p.Code != clientzone.ECREDENTIALS {
					t.Errorf("login %s without a password set: %d %s", l, r.status, r.body)
				}
			}
		}
	})

	t.Run("create: taken email or username is 409 on the field and writes nothing", func(t *testing.T) {
		persons, _ := db.Persons(ctx, demo.CustomerSK)
		msgs := len(outbox())
		cases := map[string]string{
			"email":    `{"name":"Dup","email":"JAN.NOVAK@Example.SK","role":"regular","rights":["calls"],"language":"sk"}`,
			"username": `{"name":"Dup","email":"dup@example.sk","username":"Technik","role":"regular","rights":["calls"],"language":"sk"}`,
		}
		for field, body := range cases {
			r := do(t, "POST", base+"/v1/persons", admin.AccessToken, body, "Accept-Language", "sk")
			p := r.problem(t)
			if r.status != 409 || p.Code != clientzone.ECONFLICT || len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Code != "taken" {
				t.Errorf("%s taken: %d %s", field, r.status, r.body)
			}
			if strings.Contains(p.Detail, "already") {
				t.Errorf("detail not translated to sk: %q", p.Detail)
			}
		}
		after, _ := db.Persons(ctx, demo.CustomerSK)
		if len(after) != len(persons) || len(outbox()) != msgs {
			t.Errorf("a failed create wrote: persons %d→%d, outbox %d→%d", len(persons), len(after), msgs, len(outbox()))
		}
		if _, err := db.PersonByLogin(ctx, "dup@example.sk"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
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
			r := do(t, "POST", base+"/v1/persons", admin.AccessToken, body)
			got := problemFields(t, r)
			slices.Sort(got)
			if r.status != 400 || fmt.Sprint(got) != want {
				t.Errorf("%s: %d fields %v, want %s", body, r.status, got, want)
			}
		}
	})

	t.Run("create an admin: rights are ignored", func(t *testing.T) {
		r := do(t, "POST", base+"/v1/persons", admin.AccessToken,
			`{"name":"Zuzana Adminová","email":"zuzana@example.sk","role":"admin","rights":["calls"],"language":"sk"}`)
		p := decodeJSON[personJSON](t, r, 201)
		stored, _ := db.Person(ctx, demo.CustomerSK, p.ID)
		if len(p.Rights) != len(clientzone.AllRights) || len(stored.Rights) != 0 || stored.Role != clientzone.RoleAdmin {
			t.Errorf("admin created with rights %v, stored %v", p.Rights, stored.Rights)
		}
		// A disabled second admin does not count as an active admin below.
		if r := do(t, "DELETE", base+"/v1/persons/"+p.ID, admin.AccessToken, ""); r.status != 200 {
			t.Fatalf("disable zuzana: %d %s", r.status, r.body)
		}
	})

	t.Run("get one person; another customer's person is 404 for get, patch and delete", func(t *testing.T) {
		p := decodeJSON[personJSON](t, do(t, "GET", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken, ""), 200)
		if p.Email != "eva.novakova@example.sk" || fmt.Sprint(p.Rights) != "[invoices payments]" {
			t.Errorf("get = %+v", p)
		}
		for _, c := range []struct{ method, body string }{{"GET", ""}, {"PATCH", `{"role":"regular","disabled":true}`}, {"DELETE", ""}} {
			for _, id := range []string{demo.PersonHU, "01JNOSUCHPERSON00000000000"} {
				r := do(t, c.method, base+"/v1/persons/"+id, admin.AccessToken, c.body)
				if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
					t.Errorf("%s %s: %d %s", c.method, id, r.status, r.body)
				}
			}
		}
		hu, _ := db.Person(ctx, demo.CustomerHU, demo.PersonHU)
		if hu.Disabled || hu.Role != clientzone.RoleAdmin {
			t.Errorf("HU person changed: %+v", hu)
		}
	})

	t.Run("update: profile fields keep sessions, rights change kills the target's token", func(t *testing.T) {
		r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken,
			`{"name":"Eva Nováková-Malá","phone":"+421911000111","language":"en","notifications":{"invoices":true,"expiry":true,"outages":false,"news":true}}`)
		p := decodeJSON[personJSON](t, r, 200)
		if p.Name != "Eva Nováková-Malá" || p.Phone != "+421911000111" || p.Language != "en" || !p.Notifications.News {
			t.Errorf("updated = %+v", p)
		}
		if r := do(t, "GET", base+"/v1/me", bills.AccessToken, ""); r.status != 200 {
			t.Errorf("profile change ended the session: %d", r.status)
		}
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken, `{"phone":"0911"}`); r.status != 400 || fmt.Sprint(problemFields(t, r)) != "[phone]" {
			t.Errorf("bad phone: %d %s", r.status, r.body)
		}
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken, `{"rights":["root"],"role":"boss","email":"x@example.sk"}`); r.status != 400 || fmt.Sprint(problemFields(t, r)) != "[email]" {
			t.Errorf("email in patch: %d %s", r.status, r.body)
		}
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken, `{"rights":["root"],"role":"boss"}`); r.status != 400 || fmt.Sprint(problemFields(t, r)) != "[role rights[0]]" {
			t.Errorf("bad role and rights: %d %s", r.status, r.body)
		}
		r = do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken, `{"rights":["invoices"],"phone":""}`)
		p = decodeJSON[personJSON](t, r, 200)
		if fmt.Sprint(p.Rights) != "[invoices]" || p.Phone != "" {
			t.Errorf("rights/phone = %v %q", p.Rights, p.Phone)
		}
		if r := do(t, "GET", base+"/v1/me", bills.AccessToken, ""); r.status != 401 || r.problem(t).Code != clientzone.EUNAUTHENTICATED {
			t.Errorf("old token after a rights change: %d %s", r.status, r.body)
		}
		// A fresh login has only the new rights.
		eva := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
		if r := do(t, "GET", base+"/v1/me", eva.AccessToken, ""); !strings.Contains(string(r.body), `"rights":["invoices"]`) {
			t.Errorf("me after rights change: %s", r.body)
		}
		// An empty patch changes nothing and is not audited.
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken, `{}`); r.status != 200 {
			t.Errorf("empty patch: %d %s", r.status, r.body)
		}
		if r := do(t, "GET", base+"/v1/me", eva.AccessToken, ""); r.status != 200 {
			t.Errorf("empty patch ended the session: %d", r.status)
		}
	})

	t.Run("the persons right grants nothing: persons management is admin only", func(t *testing.T) {
		r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonTech, admin.AccessToken, `{"rights":["calls","traffic","persons"]}`)
		if p := decodeJSON[personJSON](t, r, 200); fmt.Sprint(p.Rights) != "[calls traffic persons]" {
			t.Fatalf("rights = %v", p.Rights)
		}
		tk := login(t, base, "technik", demo.TechPassword)
		if r := do(t, "GET", base+"/v1/persons", tk.AccessToken, ""); r.status != 403 {
			t.Errorf("person with the persons right: %d %s", r.status, r.body)
		}
	})

	t.Run("last active admin cannot be demoted or disabled, nor an admin disable themselves", func(t *testing.T) {
		for _, c := range []struct{ method, body string }{
			{"PATCH", `{"role":"regular"}`}, {"PATCH", `{"disabled":true}`}, {"DELETE", ""},
		} {
			r := do(t, c.method, base+"/v1/persons/"+demo.PersonAdmin, admin.AccessToken, c.body, "Accept-Language", "hu")
			p := r.problem(t)
			if r.status != 409 || p.Code != clientzone.ECONFLICT || r.header.Get("Content-Language") != "hu" ||
				(c.body == `{"role":"regular"}` && !strings.HasPrefix(p.Detail, "Az utolsó aktív adminisztrátort")) {
				t.Errorf("%s %s on the last admin: %d %s", c.method, c.body, r.status, r.body)
			}
		}
		// With a second admin, demoting works, but nobody disables themselves.
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken, `{"role":"admin"}`); r.status != 200 {
			t.Fatalf("promote eva: %d %s", r.status, r.body)
		}
		r := do(t, "DELETE", base+"/v1/persons/"+demo.PersonAdmin, admin.AccessToken, "")
		if p := r.problem(t); r.status != 409 || p.Detail != "You cannot disable your own login." {
			t.Errorf("self-disable: %d %s", r.status, r.body)
		}
		eva := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
		r = do(t, "PATCH", base+"/v1/persons/"+demo.PersonAdmin, eva.AccessToken, `{"role":"regular","rights":["invoices"]}`)
		if p := decodeJSON[personJSON](t, r, 200); p.Role != "regular" || fmt.Sprint(p.Rights) != "[invoices]" {
			t.Errorf("demoted jan = %+v", p)
		}
		if r := do(t, "GET", base+"/v1/persons", admin.AccessToken, ""); r.status != 401 {
			t.Errorf("jan's token after demotion: %d", r.status)
		}
		// Now eva is the last admin; restore jan for the rest of the test.
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, eva.AccessToken, `{"role":"regular"}`); r.status != 409 {
			t.Errorf("eva demoting herself as last admin: %d %s", r.status, r.body)
		}
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonAdmin, eva.AccessToken, `{"role":"admin"}`); r.status != 200 {
			t.Fatalf("re-promote jan: %d %s", r.status, r.body)
		}
		admin = login(t, base, "jan.novak@example.sk", demo.AdminPassword)
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonBills, admin.AccessToken, `{"role":"regular","rights":["invoices","payments"]}`); r.status != 200 {
			t.Fatalf("demote eva: %d %s", r.status, r.body)
		}
	})

	t.Run("concurrent demotions of the only two admins leave one admin", func(t *testing.T) {
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonTech, admin.AccessToken, `{"role":"admin"}`); r.status != 200 {
			t.Fatalf("promote tech: %d %s", r.status, r.body)
		}
		tk := login(t, base, "technik", demo.TechPassword)
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i, c := range []struct{ tok, target string }{{admin.AccessToken, demo.PersonTech}, {tk.AccessToken, demo.PersonAdmin}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = do(t, "PATCH", base+"/v1/persons/"+c.target, c.tok, `{"role":"regular","rights":["calls"]}`).status
			}()
		}
		wg.Wait()
		all, _ := db.Persons(ctx, demo.CustomerSK)
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
		jan, _ := db.Person(ctx, demo.CustomerSK, demo.PersonAdmin)
		if jan.Role != clientzone.RoleAdmin {
			tk = login(t, base, "technik", demo.TechPassword)
			if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonAdmin, tk.AccessToken, `{"role":"admin"}`); r.status != 200 {
				t.Fatalf("restore jan: %d %s", r.status, r.body)
			}
		}
		admin = login(t, base, "jan.novak@example.sk", demo.AdminPassword)
		if r := do(t, "PATCH", base+"/v1/persons/"+demo.PersonTech, admin.AccessToken, `{"role":"regular","rights":["calls","traffic"]}`); r.status != 200 {
			t.Fatalf("restore tech: %d %s", r.status, r.body)
		}
	})

	t.Run("optimistic locking: a change since the read is a conflict", func(t *testing.T) {
		snap, err := db.PersonForUpdate(ctx, demo.CustomerSK, demo.PersonTech)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := db.Person(ctx, demo.CustomerSK, demo.PersonTech)
		other.Notifications.News = !other.Notifications.News
		if err := db.PutPerson(ctx, other); err != nil { // e.g. the person edits their own profile
			t.Fatal(err)
		}
		mine := *snap.Person
		mine.Name = "Overwritten"
		err = db.UpdatePersonChecked(ctx, snap, &mine, "", &clientzone.AuditEntry{CustomerID: demo.CustomerSK, At: time.Now(), Action: "test"})
		if clientzone.ErrorCode(err) != clientzone.ECONFLICT {
			t.Fatalf("stale write: %v", err)
		}
		if p, _ := db.Person(ctx, demo.CustomerSK, demo.PersonTech); p.Name == "Overwritten" || p.Notifications != other.Notifications {
			t.Errorf("stale write applied: %+v", p)
		}
		// Unchanged since the read (including NULL and empty attributes): the write goes through.
		snap, _ = db.PersonForUpdate(ctx, demo.CustomerSK, createdID)
		mine = *snap.Person
		mine.Name = "Mária Kováčová-Nová"
		if err := db.UpdatePersonChecked(ctx, snap, &mine, "", &clientzone.AuditEntry{CustomerID: demo.CustomerSK, At: time.Now(), Action: "test"}); err != nil {
			t.Fatalf("fresh write: %v", err)
		}
	})

	t.Run("disable: 200 with the profile, sessions end, login fails", func(t *testing.T) {
		tk := login(t, base, "technik", demo.TechPassword)
		r := do(t, "DELETE", base+"/v1/persons/"+demo.PersonTech, admin.AccessToken, "")
		if p := decodeJSON[personJSON](t, r, 200); !p.Disabled || p.ID != demo.PersonTech {
			t.Errorf("disabled = %+v", p)
		}
		if r := do(t, "GET", base+"/v1/me", tk.AccessToken, ""); r.status != 401 {
			t.Errorf("token of a disabled person: %d", r.status)
		}
		r = do(t, "POST", base+"/v1/auth/login", "", `{"login":"technik","password":"`+demo.TechPassword+`"}`)
		if r.status != 401 || r.problem(t).Code != clientzone.ECREDENTIALS {
			t.Errorf("login of a disabled person: %d %s", r.status, r.body)
		}
		// Disabling again is a no-op; enabling again works.
		if r := do(t, "DELETE", base+"/v1/persons/"+demo.PersonTech, admin.AccessToken, ""); r.status != 200 {
			t.Errorf("disable twice: %d", r.status)
		}
		if p := decodeJSON[personJSON](t, do(t, "PATCH", base+"/v1/persons/"+demo.PersonTech, admin.AccessToken, `{"disabled":false}`), 200); p.Disabled {
			t.Errorf("re-enable: %+v", p)
		}
		login(t, base, "technik", demo.TechPassword)
	})

	t.Run("audit log: newest first, actions and details, pagination, admin only", func(t *testing.T) {
		var all []string
		var entries auditJSON
		cursor := ""
		for page := 0; page < 20; page++ {
			r := do(t, "GET", base+"/v1/audit-log?limit=3&cursor="+url.QueryEscape(cursor), admin.AccessToken, "")
			p := decodeJSON[auditJSON](t, r, 200)
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
			if strings.HasPrefix(a, "person.") {
				persons = append(persons, a)
			}
		}
		// Oldest persons entries, in the order the test made them.
		slices.Reverse(persons)
		want := []string{"person.create:" + createdID}
		if len(persons) < 4 || persons[0] != want[0] || !strings.HasPrefix(persons[1], "person.create:") ||
			!strings.HasPrefix(persons[2], "person.disable:") || persons[3] != "person.update:"+demo.PersonBills {
			t.Errorf("audit actions (oldest first) = %v", persons)
		}
		if last := persons[len(persons)-1]; last != "person.update:"+demo.PersonTech {
			t.Errorf("newest persons entry = %s", last)
		}
		// Details of the rights change and the disable.
		found := 0
		for _, e := range entries.Items {
			if e.Action == "person.update" && e.TargetID == demo.PersonBills && e.Details["rights"] == "invoices,payments→invoices" {
				found++
				if e.ActorID != demo.PersonAdmin || e.IP == "" || !strings.Contains(e.Details["fields"], "rights") {
					t.Errorf("entry = %+v", e)
				}
			}
			if e.Action == "person.disable" && e.TargetID == demo.PersonTech && e.Details["disabled"] == "false→true" {
				found++
			}
		}
		if found != 2 {
			t.Errorf("expected details not found in %+v", entries.Items)
		}
		// HU's log holds none of this.
		hu := login(t, base, "admin@kovacs.hu", demo.HUPassword)
		for _, e := range decodeJSON[auditJSON](t, do(t, "GET", base+"/v1/audit-log", hu.AccessToken, ""), 200).Items {
			if strings.HasPrefix(e.Action, "person.") || e.Action == "test" {
				t.Errorf("HU audit log has %+v", e)
			}
		}
		eva := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
		if r := do(t, "GET", base+"/v1/audit-log", eva.AccessToken, ""); r.status != 403 {
			t.Errorf("regular person reads the audit log: %d", r.status)
		}
		for _, q := range []string{"limit=0", "limit=101", "cursor=garbage"} {
			r := do(t, "GET", base+"/v1/audit-log?"+q, admin.AccessToken, "")
			if r.status != 400 {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
		}
	})

	t.Run("no secret reaches the logs", func(t *testing.T) {
		out := logs.String()
		for _, s := range append(secrets, admin.AccessToken, demo.AdminPassword, demo.TechPassword) {
			if strings.Contains(out, s) {
				t.Errorf("logs contain a secret (%.6s…)", s)
			}
		}
	})
}

// TestPersonsImport imports legacy persons through the back-office route:
// their old bcrypt and MD5-crypt passwords log them in and are upgraded to
// argon2id.
func TestPersonsImport(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	ctx := context.Background()
	db := st.Deps.DB
	const bcryptPW, md5PW = "Legacy-Heslo-2019", "Stare-Heslo-2018"
	bh, err := bcrypt.GenerateFromPassword([]byte(bcryptPW), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	// openssl passwd -1 -salt legacy01 'Stare-Heslo-2018'
	const md5Hash = "$1$legacy01$r7jyazPpTQdGxAYVLSTcE."
	path := base + "/admin/v1/customers/" + demo.CustomerHU + "/persons/import"
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
	post := func(persons ...map[string]any) response {
		b, _ := json.Marshal(map[string]any{"persons": persons})
		return do(t, "POST", path, "", string(b))
	}
	type result struct {
		Imported int                   `json:"imported"`
		Errors   []account.ImportError `json:"errors"`
	}

	t.Run("invalid hash: 400 on the field, nothing written", func(t *testing.T) {
		r := post(person("", "A", "a@kovacs.hu", "", string(bh)), person("", "B", "b@kovacs.hu", "", "5f4dcc3b5aa765d61d8327deb882cf99"),
			person("", "C", "c@kovacs.hu", "", "{SSHA}legacy-ldap-hash"))
		if got := problemFields(t, r); r.status != 400 || fmt.Sprint(got) != "[persons[1].passwordHash persons[2].passwordHash]" {
			t.Errorf("%d %v %s", r.status, got, r.body)
		}
		if ps, _ := db.Persons(ctx, demo.CustomerHU); len(ps) != 1 {
			t.Errorf("HU persons = %d", len(ps))
		}
		if _, err := db.PersonByLogin(ctx, "a@kovacs.hu"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("a valid person of a rejected batch was written: %v", err)
		}
	})

	t.Run("unknown customer is 404, empty or oversized batches are 400", func(t *testing.T) {
		b, _ := json.Marshal(map[string]any{"persons": []any{person("", "A", "a@kovacs.hu", "", string(bh))}})
		r := do(t, "POST", base+"/admin/v1/customers/01JNOSUCHCUSTOMER000000000/persons/import", "", string(b))
		if p := r.problem(t); r.status != 404 || p.Code != clientzone.ENOTFOUND {
			t.Errorf("unknown customer: %d %s", r.status, r.body)
		}
		many := make([]map[string]any, 101)
		for i := range many {
			many[i] = person("", "P", fmt.Sprintf("p%d@kovacs.hu", i), "", string(bh))
		}
		for name, r := range map[string]response{"empty": post(), "101": post(many...)} {
			if got := problemFields(t, r); r.status != 400 || fmt.Sprint(got) != "[persons]" {
				t.Errorf("%s: %d %v", name, r.status, got)
			}
		}
	})

	t.Run("import, conflicts reported per person, login upgrades the hash", func(t *testing.T) {
		r := post(
			person("legacy-1042", "Szabó Péter", "szabo@kovacs.hu", "szabop", string(bh)),
			person("", "Tóth Éva", "toth@kovacs.hu", "", md5Hash),
			person("", "Dup", "JAN.NOVAK@example.sk", "", md5Hash), // another customer's login
			person("", "Dup2", "dup2@kovacs.hu", "jnovak", md5Hash),
		)
		res := decodeJSON[result](t, r, 200)
		if res.Imported != 2 || len(res.Errors) != 2 || res.Errors[0] != (account.ImportError{Index: 2, Field: "persons[2].email", Code: "taken", Message: "Another login already uses this value."}) ||
			res.Errors[1].Index != 3 || res.Errors[1].Field != "persons[3].username" {
			t.Fatalf("result = %+v", res)
		}
		if _, err := db.PersonByLogin(ctx, "dup2@kovacs.hu"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("a conflicting person was half-written: %v", err)
		}
		if p, _ := db.PersonByLogin(ctx, "jan.novak@example.sk"); p.ID != demo.PersonAdmin {
			t.Errorf("an import took over another customer's login: %+v", p)
		}
		p, err := db.Person(ctx, demo.CustomerHU, "legacy-1042")
		if err != nil || p.PasswordHash != string(bh) || p.Username != "szabop" {
			t.Fatalf("imported = %+v, %v", p, err)
		}
		for _, c := range []struct{ login, pw, pid string }{{"szabop", bcryptPW, "legacy-1042"}, {"toth@kovacs.hu", md5PW, ""}} {
			r := do(t, "POST", base+"/v1/auth/login", "", fmt.Sprintf(`{"login":%q,"password":"wrong"}`, c.login))
			if r.status != 401 {
				t.Errorf("%s with a wrong password: %d", c.login, r.status)
			}
			tk := login(t, base, c.login, c.pw)
			me := decodeJSON[personJSON](t, do(t, "GET", base+"/v1/me", tk.AccessToken, ""), 200)
			if me.CustomerID != demo.CustomerHU || (c.pid != "" && me.ID != c.pid) {
				t.Errorf("me = %+v", me)
			}
			stored, _ := db.Person(ctx, demo.CustomerHU, me.ID)
			if !strings.HasPrefix(stored.PasswordHash, "$argon2id$") {
				t.Errorf("%s: hash after login = %.10s…, want argon2id", c.login, stored.PasswordHash)
			}
			login(t, base, c.login, c.pw) // and the new hash verifies the same password
		}
		// Audit entries, by the back office.
		page, err := db.AuditLog(ctx, demo.CustomerHU, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		imports := 0
		for _, e := range page.Entries {
			if e.Action == "person.import" {
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
		tk := login(t, base, "szabop", bcryptPW)
		r := post(person("legacy-1042", "Szabó Péter", "peter.szabo@kovacs.hu", "", md5Hash))
		if res := decodeJSON[result](t, r, 200); res.Imported != 1 || len(res.Errors) != 0 {
			t.Fatalf("re-import = %+v", res)
		}
		if _, err := db.PersonByLogin(ctx, "szabop"); clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
			t.Errorf("old username still resolves: %v", err)
		}
		if r := do(t, "GET", base+"/v1/me", tk.AccessToken, ""); r.status != 401 {
			t.Errorf("token after re-import: %d", r.status)
		}
		login(t, base, "peter.szabo@kovacs.hu", md5PW)
	})

	t.Run("hashes never reach the logs", func(t *testing.T) {
		out := logs.String()
		for _, s := range []string{string(bh), md5Hash, bcryptPW, md5PW} {
			if strings.Contains(out, s) {
				t.Errorf("logs contain a secret (%.6s…)", s)
			}
		}
	})
}
