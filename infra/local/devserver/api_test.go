package devserver

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/token"
)

type tokens struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpiresIn    int    `json:"expiresIn"`
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) problem(t *testing.T) httpapi.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, r.body)
	}
	var p httpapi.Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != r.status || p.RequestID == "" || p.Type != httpapi.ProblemTypeBase+p.Code {
		t.Errorf("problem %+v inconsistent with status %d", p, r.status)
	}
	return p
}

func do(t *testing.T, method, u, bearer, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, b}
}

func login(t *testing.T, base, login, pw string) tokens {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"login": login, "password": pw})
	r := do(t, "POST", base+"/v1/auth/login", "", string(b))
	if r.status != 200 {
		t.Fatalf("login %s: %d %s", login, r.status, r.body)
	}
	var tk tokens
	if err := json.Unmarshal(r.body, &tk); err != nil {
		t.Fatal(err)
	}
	return tk
}

type invoiceList struct {
	Items []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Total  struct {
			Amount   int64
			Currency string
		} `json:"total"`
	} `json:"items"`
	NextCursor string `json:"nextCursor"`
}

func TestSlice(t *testing.T) {
	st, srv, logs := newStack(t)
	base := srv.URL
	admin := login(t, base, "jan.novak@example.sk", demo.AdminPassword)
	bills := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
	tech := login(t, base, "technik", demo.TechPassword)
	hu := login(t, base, "admin@kovacs.hu", demo.HUPassword)

	t.Run("status is public", func(t *testing.T) {
		r := do(t, "GET", base+"/v1/status", "", "")
		var s struct {
			Overall    string
			Components []clientzone.StatusComponent
			Incidents  []clientzone.Incident
		}
		if err := json.Unmarshal(r.body, &s); err != nil || r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if s.Overall != "maintenance" || len(s.Components) != 5 || len(s.Incidents) != 2 || !s.Incidents[0].StartedAt.After(s.Incidents[1].StartedAt) {
			t.Errorf("status = %+v", s)
		}
	})

	t.Run("login by username, contract number, any case", func(t *testing.T) {
		for _, l := range []string{"jnovak", "2024001", "  JAN.NOVAK@example.SK "} {
			tk := login(t, base, l, demo.AdminPassword)
			r := do(t, "GET", base+"/v1/me", tk.AccessToken, "")
			if r.status != 200 || !strings.Contains(string(r.body), demo.PersonAdmin) {
				t.Errorf("login %q then /v1/me: %d %s", l, r.status, r.body)
			}
			if tk.ExpiresIn != 900 || len(tk.RefreshToken) < 60 {
				t.Errorf("tokens %+v", tk)
			}
		}
	})

	t.Run("failed logins look alike", func(t *testing.T) {
		wrong := do(t, "POST", base+"/v1/auth/login", "", `{"login":"jan.novak@example.sk","password":"nope"}`)
		unknown := do(t, "POST", base+"/v1/auth/login", "", `{"login":"nobody@example.sk","password":"nope"}`)
		pw, pu := wrong.problem(t), unknown.problem(t)
		if wrong.status != 401 || unknown.status != 401 || pw.Code != clientzone.ECREDENTIALS || pw.Detail != pu.Detail || pw.Code != pu.Code {
			t.Errorf("wrong password %d %+v vs unknown login %d %+v", wrong.status, pw, unknown.status, pu)
		}
	})

	t.Run("legacy MD5-crypt hash is upgraded to argon2id", func(t *testing.T) {
		p, err := st.Deps.DB.Person(context.Background(), demo.CustomerHU, demo.PersonHU)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.PasswordHash, "$argon2id$") {
			t.Errorf("hash after login = %.12s…, want argon2id", p.PasswordHash)
		}
		login(t, base, "admin@kovacs.hu", demo.HUPassword) // the new hash verifies the same password
	})

	t.Run("bad input", func(t *testing.T) {
		cases := []struct {
			name, body, ctype string
			status            int
			fields            []string
		}{
			{"missing fields", `{}`, "application/json", 400, []string{"login", "password"}},
			{"unknown field", `{"login":"a","password":"b","admin":true}`, "application/json", 400, []string{"admin"}},
			{"wrong type", `{"login":1,"password":"b"}`, "application/json", 400, []string{"login"}},
			{"not JSON", `{"login":`, "application/json", 400, nil},
			{"two documents", `{"login":"a","password":"b"}{}`, "application/json", 400, nil},
			{"form body", `login=a&password=b`, "application/x-www-form-urlencoded", 415, nil},
			{"too long", `{"login":"` + strings.Repeat("a", 300) + `","password":"b"}`, "application/json", 400, []string{"login"}},
		}
		for _, c := range cases {
			r := do(t, "POST", base+"/v1/auth/login", "", c.body, "Content-Type", c.ctype)
			if r.status != c.status {
				t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
				continue
			}
			p := r.problem(t)
			var got []string
			for _, f := range p.Errors {
				got = append(got, f.Field)
				if f.Message == "" || f.Code == "" {
					t.Errorf("%s: field error without code or message: %+v", c.name, f)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.fields) && !(len(got) == 0 && len(c.fields) == 0) {
				t.Errorf("%s: field errors %v, want %v", c.name, got, c.fields)
			}
		}
	})

	t.Run("authentication", func(t *testing.T) {
		priv, err := token.ParsePrivateKey(st.Deps.Secrets.TokenSigningKey)
		if err != nil {
			t.Fatal(err)
		}
		cfg := st.Deps.Config
		expired, _, _ := token.NewSigner(priv, cfg.TokenIssuer, cfg.TokenAudience, time.Minute).
			Sign(time.Now().Add(-time.Hour), demo.PersonAdmin, demo.CustomerSK, "s", 0)
		otherAud, _, _ := token.NewSigner(priv, cfg.TokenIssuer, "other-api", time.Minute).
			Sign(time.Now(), demo.PersonAdmin, demo.CustomerSK, "s", 0)
		// alg confusion: the public key as HMAC secret, naming its kid.
		hsTok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"sub": demo.PersonAdmin, "cid": demo.CustomerSK, "iss": cfg.TokenIssuer, "aud": cfg.TokenAudience,
			"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix(),
		})
		hsTok.Header["kid"] = token.KeyID(priv.Public().(ed25519.PublicKey))
		hs, _ := hsTok.SignedString([]byte(cfg.TokenVerifyKeys))
		// A key the deployment never published, signing a well-formed token.
		_, stray, _ := ed25519.GenerateKey(rand.Reader)
		strayTok, _, _ := token.NewSigner(stray, cfg.TokenIssuer, cfg.TokenAudience, time.Minute).
			Sign(time.Now(), demo.PersonAdmin, demo.CustomerSK, "s", 0)
		none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": demo.PersonAdmin, "cid": demo.CustomerSK}).
			SignedString(jwt.UnsafeAllowNoneSignatureType)
		for name, tok := range map[string]string{
			"no token": "", "garbage": "abc.def.ghi", "expired": expired, "other audience": otherAud, "HS256": hs, "alg none": none, "unknown signing key": strayTok,
			"refresh token as access token": admin.RefreshToken,
		} {
			r := do(t, "GET", base+"/v1/me", tok, "", "Accept-Language", "ru")
			p := r.problem(t)
			if r.status != 401 || p.Code != clientzone.EUNAUTHENTICATED || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: %d %+v", name, r.status, p)
			}
			if name == "no token" && p.Detail != "Войдите, чтобы продолжить." {
				t.Errorf("detail in ru = %q", p.Detail)
			}
		}
	})

	t.Run("me shows profile without secrets", func(t *testing.T) {
		r := do(t, "GET", base+"/v1/me", bills.AccessToken, "")
		var p map[string]any
		if err := json.Unmarshal(r.body, &p); err != nil || r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if p["role"] != "regular" || fmt.Sprint(p["rights"]) != "[invoices payments]" || p["language"] != "sk" {
			t.Errorf("me = %v", p)
		}
		for _, secret := range []string{"PasswordHash", "passwordHash", "argon2id", "TokenVersion"} {
			if strings.Contains(string(r.body), secret) {
				t.Errorf("/v1/me leaks %s", secret)
			}
		}
	})

	t.Run("invoices: rights, status filters, pagination, isolation", func(t *testing.T) {
		list := func(tok, query string) (response, invoiceList) {
			r := do(t, "GET", base+"/v1/invoices?"+query, tok, "")
			var l invoiceList
			if r.status == 200 {
				if err := json.Unmarshal(r.body, &l); err != nil {
					t.Fatal(err)
				}
			}
			return r, l
		}
		counts := map[string]int{"": 7, "status=unpaid": 2, "status=overdue": 1, "status=paid": 4, "status=cancelled": 1}
		for q, n := range counts {
			r, l := list(admin.AccessToken, q)
			if r.status != 200 || len(l.Items) != n {
				t.Errorf("%q: %d, %d items, want %d", q, r.status, len(l.Items), n)
			}
			for _, it := range l.Items {
				if s := strings.TrimPrefix(q, "status="); s != "" && s != "unpaid" && it.Status != s {
					t.Errorf("%q returned a %s invoice", q, it.Status)
				}
			}
		}
		// Pagination: pages of 3 cover all 7 invoices once, newest first.
		var ids []string
		cursor := ""
		for page := 0; page < 5; page++ {
			r, l := list(bills.AccessToken, "limit=3&cursor="+url.QueryEscape(cursor))
			if r.status != 200 {
				t.Fatalf("page %d: %d %s", page, r.status, r.body)
			}
			for _, it := range l.Items {
				ids = append(ids, it.ID)
			}
			if cursor = l.NextCursor; cursor == "" {
				break
			}
		}
		if len(ids) != 7 {
			t.Fatalf("paginated ids = %v", ids)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] >= ids[i-1] {
				t.Errorf("not newest first: %v", ids)
			}
		}
		// Another customer sees only its own invoice, and cannot replay our cursor.
		_, l := list(hu.AccessToken, "")
		if len(l.Items) != 1 || l.Items[0].Total.Currency != "HUF" {
			t.Errorf("HU invoices = %+v", l.Items)
		}
		_, first := list(admin.AccessToken, "limit=2")
		r, _ := list(hu.AccessToken, "limit=2&cursor="+url.QueryEscape(first.NextCursor))
		if p := r.problem(t); r.status != 400 || p.Errors[0].Field != "cursor" {
			t.Errorf("foreign cursor: %d %+v", r.status, p)
		}
		// Missing right.
		r, _ = list(tech.AccessToken, "")
		if p := r.problem(t); r.status != 403 || p.Code != clientzone.EFORBIDDEN {
			t.Errorf("person without invoices right: %d %+v", r.status, p)
		}
		// Bad parameters.
		for q, field := range map[string]string{"status=bogus": "status", "limit=1000": "limit", "limit=x": "limit", "limit=0": "limit"} {
			r, _ := list(admin.AccessToken, q)
			if p := r.problem(t); r.status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != field {
				t.Errorf("%s: %d %+v", q, r.status, p)
			}
		}
	})

	t.Run("changes to the person apply at once", func(t *testing.T) {
		ctx := context.Background()
		tk := login(t, base, "eva.novakova@example.sk", demo.BillsPassword)
		p, err := st.Deps.DB.Person(ctx, demo.CustomerSK, demo.PersonBills)
		if err != nil {
			t.Fatal(err)
		}
		p.MustChangePassword = true
		if err := st.Deps.DB.PutPerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		if r := do(t, "GET", base+"/v1/invoices", tk.AccessToken, ""); r.status != 403 || r.problem(t).Code != clientzone.EPASSWORDCHANGE {
			t.Errorf("pending password change, invoices: %d %s", r.status, r.body)
		}
		if r := do(t, "GET", base+"/v1/me", tk.AccessToken, ""); r.status != 200 {
			t.Errorf("pending password change, me: %d %s", r.status, r.body)
		}
		p.MustChangePassword, p.TokenVersion = false, p.TokenVersion+1 // "log out everywhere"
		if err := st.Deps.DB.PutPerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		if r := do(t, "GET", base+"/v1/me", tk.AccessToken, ""); r.status != 401 {
			t.Errorf("old token after version bump: %d %s", r.status, r.body)
		}
		p.Disabled = true
		if err := st.Deps.DB.PutPerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		r := do(t, "POST", base+"/v1/auth/login", "", `{"login":"eva.novakova@example.sk","password":"`+demo.BillsPassword+`"}`)
		if r.status != 401 || r.problem(t).Code != clientzone.ECREDENTIALS {
			t.Errorf("disabled person login: %d %s", r.status, r.body)
		}
	})

	t.Run("no secret reaches the logs", func(t *testing.T) {
		out := logs.String()
		if !strings.Contains(out, `"requestId"`) || !strings.Contains(out, `"message":"request"`) {
			t.Fatalf("no structured access logs captured:\n%.500s", out)
		}
		secrets := []string{demo.AdminPassword, demo.BillsPassword, demo.TechPassword, demo.HUPassword, "Bearer ",
			admin.AccessToken, admin.RefreshToken, bills.AccessToken, hu.RefreshToken}
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("logs contain a secret (%.8s…)", s)
			}
		}
	})
}
