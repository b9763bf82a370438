package httpapi_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/clientzone/clientzone/infra/local/apitest"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/token"
)

// TestLogin covers POST /v1/auth/login: every kind of login, the answer's
// tokens, failures that look alike, legacy hashes and bad input.
func TestLogin(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ctx := context.Background()
	ct := s.NewContract(t, h.Customer, apitest.ContractSpec{Services: []apitest.ServiceSpec{{}}})
	s.LinkContractLogin(t, h.Customer, ct.ID, h.Admin.ID)

	t.Run("by email in any case, username, contract number", func(t *testing.T) {
		for _, l := range []string{h.Admin.Username, ct.Number, "  " + strings.ToUpper(h.Admin.Email) + " "} {
			tk := s.Login(t, l, h.Admin.Password)
			r := s.Do(t, "GET", "/v1/me", tk.AccessToken, "")
			if r.Status != 200 || !strings.Contains(string(r.Body), h.Admin.ID) {
				t.Errorf("login %q then /v1/me: %d %s", l, r.Status, r.Body)
			}
			if tk.ExpiresIn != 900 || len(tk.RefreshToken) < 60 {
				t.Errorf("tokens %+v", tk)
			}
		}
	})

	t.Run("failed logins look alike", func(t *testing.T) {
		wrong := s.LoginResponse(t, h.Admin.Email, "nope")
		unknown := s.LoginResponse(t, "nobody-"+h.Admin.Email, "nope")
		pw, pu := wrong.Problem(t), unknown.Problem(t)
		if wrong.Status != 401 || unknown.Status != 401 || pw.Code != clientzone.ECREDENTIALS || pw.Detail != pu.Detail || pw.Code != pu.Code {
			t.Errorf("wrong password %d %+v vs unknown login %d %+v", wrong.Status, pw, unknown.Status, pu)
		}
	})

	t.Run("legacy MD5-crypt hash is upgraded to argon2id", func(t *testing.T) {
		hu := s.NewCustomer(t, apitest.CustomerSpec{Kind: "company", Name: "Kovács és Társa Kft.", Currency: "HUF",
			Language: clientzone.LangHU, Country: "HU", City: "Budapest", PostalCode: "1011", Street: "Fő utca 1."})
		pid := clientzone.NewID()
		email := unique("admin.kovacs", apitest.Seq())
		s.ImportPersons(t, hu.ID, map[string]any{"id": pid, "name": "Kovács Anna", "email": email, "role": "admin",
			"language": "hu", "passwordHash": "$1$abcdefgh$cXXUlrurBB4kQhDA/NIWR0"}) // "jelszó"
		s.Login(t, email, "jelszó")
		// The hash is in no answer: read it from the store.
		p, err := s.Deps.DB.Person(ctx, hu.ID, pid)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.PasswordHash, "$argon2id$") {
			t.Errorf("hash after login = %.12s…, want argon2id", p.PasswordHash)
		}
		s.Login(t, email, "jelszó") // the new hash verifies the same password
	})

	long := `{"login":"` + strings.Repeat("a", 300) + `","password":"b"}`
	var cases []apitest.Case
	for _, c := range []struct {
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
		{"too long", long, "application/json", 400, []string{"login"}},
	} {
		cases = append(cases, apitest.Case{Name: "bad input: " + c.name, Method: "POST", Path: "/v1/auth/login", Body: c.body,
			Headers: []string{"Content-Type", c.ctype}, Status: c.status, Check: func(t *testing.T, r apitest.Response) {
				var got []string
				for _, f := range r.Problem(t).Errors {
					got = append(got, f.Field)
					if f.Message == "" || f.Code == "" {
						t.Errorf("field error without code or message: %+v", f)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(c.fields) && !(len(got) == 0 && len(c.fields) == 0) {
					t.Errorf("field errors %v, want %v", got, c.fields)
				}
			}})
	}
	s.Run(t, cases)
}

// TestAuthentication: only a valid, current access token of this
// deployment authenticates; every other one is 401 with WWW-Authenticate.
func TestAuthentication(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	priv, err := token.ParsePrivateKey(s.Deps.Secrets.TokenSigningKey)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.Deps.Config
	expired, _, _ := token.NewSigner(priv, cfg.TokenIssuer, cfg.TokenAudience, time.Minute).
		Sign(time.Now().Add(-time.Hour), h.Admin.ID, h.ID, "s", 0)
	otherAud, _, _ := token.NewSigner(priv, cfg.TokenIssuer, "other-api", time.Minute).
		Sign(time.Now(), h.Admin.ID, h.ID, "s", 0)
	// alg confusion: the public key as HMAC secret, naming its kid.
	hsTok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": h.Admin.ID, "cid": h.ID, "iss": cfg.TokenIssuer, "aud": cfg.TokenAudience,
		"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix(),
	})
	hsTok.Header["kid"] = token.KeyID(priv.Public().(ed25519.PublicKey))
	hs, _ := hsTok.SignedString([]byte(cfg.TokenVerifyKeys))
	// A key the deployment never published, signing a well-formed token.
	_, stray, _ := ed25519.GenerateKey(rand.Reader)
	strayTok, _, _ := token.NewSigner(stray, cfg.TokenIssuer, cfg.TokenAudience, time.Minute).
		Sign(time.Now(), h.Admin.ID, h.ID, "s", 0)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": h.Admin.ID, "cid": h.ID}).
		SignedString(jwt.UnsafeAllowNoneSignatureType)
	var cases []apitest.Case
	for _, c := range []struct{ name, tok string }{
		{"no token", ""}, {"garbage", "abc.def.ghi"}, {"expired", expired}, {"other audience", otherAud}, {"HS256", hs},
		{"alg none", none}, {"unknown signing key", strayTok}, {"refresh token as access token", admin.RefreshToken},
	} {
		cases = append(cases, apitest.Case{Name: c.name, Method: "GET", Path: "/v1/me", Token: c.tok, Headers: []string{"Accept-Language", "ru"},
			Status: 401, Code: clientzone.EUNAUTHENTICATED, Check: func(t *testing.T, r apitest.Response) {
				if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate = %q", r.Header.Get("WWW-Authenticate"))
				}
				if c.name == "no token" && r.Problem(t).Detail != "Войдите, чтобы продолжить." {
					t.Errorf("detail in ru = %q", r.Problem(t).Detail)
				}
			}})
	}
	cases = append(cases, apitest.Case{Name: "the real token", Method: "GET", Path: "/v1/me", Token: admin.AccessToken, Status: 200})
	s.Run(t, cases)
}

// TestMeShowsNoSecrets: a regular person's profile has their role, rights
// and language, and nothing secret.
func TestMeShowsNoSecrets(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	s.Run(t, []apitest.Case{{Name: "me of the accountant", Method: "GET", Path: "/v1/me", Token: s.LoginAs(t, h.Bills), Status: 200,
		Check: func(t *testing.T, r apitest.Response) {
			var p map[string]any
			if err := json.Unmarshal(r.Body, &p); err != nil {
				t.Fatal(err)
			}
			if p["role"] != "regular" || fmt.Sprint(p["rights"]) != "[invoices payments]" || p["language"] != "sk" {
				t.Errorf("me = %v", p)
			}
			for _, secret := range []string{"PasswordHash", "passwordHash", "argon2id", "TokenVersion"} {
				if strings.Contains(string(r.Body), secret) {
					t.Errorf("/v1/me leaks %s", secret)
				}
			}
		}}})
}

// TestPersonChangesApplyAtOnce: every request reads the person, so a
// pending password change, a token version bump and disabling take effect
// on tokens already issued.
func TestPersonChangesApplyAtOnce(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	ctx := context.Background()
	db := s.Deps.DB
	tk := s.LoginAs(t, h.Bills)
	// No API sets these flags alone (a temporary password also replaces
	// the password): they are set in the store, as the back office's
	// systems would.
	p, err := db.Person(ctx, h.ID, h.Bills.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.MustChangePassword = true
	if err := db.PutPerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	apitest.WantProblem(t, "pending password change, invoices", s.Do(t, "GET", "/v1/invoices", tk, ""), 403, clientzone.EPASSWORDCHANGE)
	if r := s.Do(t, "GET", "/v1/me", tk, ""); r.Status != 200 {
		t.Errorf("pending password change, me: %d %s", r.Status, r.Body)
	}
	p.MustChangePassword, p.TokenVersion = false, p.TokenVersion+1 // "log out everywhere"
	if err := db.PutPerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if r := s.Do(t, "GET", "/v1/me", tk, ""); r.Status != 401 {
		t.Errorf("old token after version bump: %d %s", r.Status, r.Body)
	}
	p.Disabled = true
	if err := db.PutPerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	apitest.WantProblem(t, "disabled person login", s.LoginResponse(t, h.Bills.Email, h.Bills.Password), 401, clientzone.ECREDENTIALS)
}

// TestNoSecretInLogs: passwords, tokens and Authorization headers never
// reach the access logs.
func TestNoSecretInLogs(t *testing.T) {
	s := apitest.Start(t)
	h := newHousehold(t, s)
	admin := s.Login(t, h.Admin.Email, h.Admin.Password)
	bills := s.Login(t, h.Bills.Email, h.Bills.Password)
	for _, tk := range []string{admin.AccessToken, bills.AccessToken} {
		s.Do(t, "GET", "/v1/me", tk, "")
		s.Do(t, "GET", "/v1/invoices", tk, "")
	}
	s.LoginResponse(t, h.Tech.Email, "wrong-"+h.Tech.Password)
	s.Do(t, "POST", "/v1/auth/refresh", "", apitest.JSON(t, map[string]string{"refreshToken": admin.RefreshToken}))
	s.NoSecretsInLogs(t, h.Admin.Password, h.Bills.Password, h.Tech.Password, "Bearer ",
		admin.AccessToken, admin.RefreshToken, bills.AccessToken, bills.RefreshToken)
}
