package account_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/password"
	"github.com/clientzone/clientzone/shared/token"
)

// fastParams keep hashing cheap in tests.
var fastParams = password.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

const (
	accessTTL  = 15 * time.Minute
	refreshTTL = 30 * 24 * time.Hour
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type env struct {
	db       *dynamo.DB
	table    string
	svc      *account.Issuer
	hasher   *password.Hasher
	signer   *token.Signer
	verifier *token.Verifier
	now      time.Time
	logs     *syncBuffer
	cid      string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	table := dynamotest.NewTable(t)
	e := &env{
		db:       dynamo.New(dynamotest.Client(), table),
		table:    table,
		hasher:   password.NewHasher(fastParams),
		signer:   token.NewSigner(priv, "clientzone", "clientzone-api", accessTTL),
		verifier: token.NewVerifier("clientzone", "clientzone-api", pub),
		// Tokens are verified against the wall clock: "now" must be close to it.
		now:  time.Now().UTC().Truncate(time.Second),
		logs: &syncBuffer{},
		cid:  clientzone.NewID(),
	}
	svc, err := account.NewIssuer(&account.Service{
		Store:      e.db,
		Hasher:     e.hasher,
		Clock:      clientzone.FixedClock(e.now),
		RefreshTTL: refreshTTL,
		Logger:     slog.New(slog.NewJSONHandler(e.logs, nil)),
	}, e.signer)
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e
}

// person stores a person with hash as its password hash.
func (e *env) person(t *testing.T, email, username, hash string, mutate func(*clientzone.Person)) *clientzone.Person {
	t.Helper()
	p := &clientzone.Person{
		ID: clientzone.NewID(), CustomerID: e.cid, Name: "Test", Email: email, Username: username,
		Role: clientzone.RoleRegular, Rights: []clientzone.Right{clientzone.RightInvoices}, Language: clientzone.LangSK,
		PasswordHash: hash, TokenVersion: 4, CreatedAt: e.now,
	}
	if mutate != nil {
		mutate(p)
	}
	if err := e.db.PutPerson(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *env) hash(t *testing.T, pw string) string {
	t.Helper()
	h, err := e.hasher.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// sessionTTL reads the raw ttl attribute of a session item.
func (e *env) sessionTTL(t *testing.T, id string) string {
	t.Helper()
	res, err := dynamotest.Client().GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(e.table),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "SESSION#" + id},
			"sk": &types.AttributeValueMemberS{Value: "SESSION"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	n, ok := res.Item["ttl"].(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("session %s has no numeric ttl: %v", id, res.Item)
	}
	return n.Value
}

func TestLoginSuccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	const pw = "Správne-Heslo-2026"
	p := e.person(t, "jan.novak@example.sk", "jnovak", e.hash(t, pw), nil)
	if err := e.db.PutContract(ctx, &clientzone.Contract{ID: "CT1", CustomerID: e.cid, Number: "2024001", Status: clientzone.StatusActive}, p.ID); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		login string
	}{
		{"email", "jan.novak@example.sk"},
		{"email in other case with spaces", "  Jan.Novak@EXAMPLE.sk "},
		{"username", "JNOVAK"},
		{"contract number", "2024001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ua := "Mozilla/5.0 " + strings.Repeat("x", 300)
			tok, err := e.svc.Login(ctx, account.LoginInput{Login: tt.login, Password: pw, UserAgent: ua, IP: "192.0.2.7"})
			if err != nil {
				t.Fatalf("Login: %v", err)
			}

			// The access token verifies and names the person.
			c, err := e.verifier.Verify(tok.AccessToken)
			if err != nil {
				t.Fatalf("access token does not verify: %v", err)
			}
			if c.Subject != p.ID || c.CustomerID != e.cid || c.Version != p.TokenVersion || c.SessionID == "" {
				t.Fatalf("claims = %+v", c)
			}
			if !tok.AccessExpiresAt.Equal(e.now.Add(accessTTL)) || tok.AccessTTL != accessTTL {
				t.Fatalf("access expiry %v ttl %v", tok.AccessExpiresAt, tok.AccessTTL)
			}
			if !tok.RefreshExpiresAt.Equal(e.now.Add(refreshTTL)) {
				t.Fatalf("refresh expiry %v, want %v", tok.RefreshExpiresAt, e.now.Add(refreshTTL))
			}
			if !strings.HasPrefix(tok.RefreshToken, c.SessionID+".") || len(tok.RefreshToken) < len(c.SessionID)+40 {
				t.Fatalf("refresh token %q is not <session>.<secret>", tok.RefreshToken)
			}
			if tok.Person == nil || tok.Person.ID != p.ID || tok.MustChangePassword {
				t.Fatalf("person %+v, must change %v", tok.Person, tok.MustChangePassword)
			}

			// The session stores only the hash of the refresh token, with a TTL.
			s, err := e.db.Session(ctx, c.SessionID)
			if err != nil {
				t.Fatalf("Session: %v", err)
			}
			if s.TokenHash != account.HashRefreshToken(tok.RefreshToken) || s.TokenHash == tok.RefreshToken {
				t.Fatalf("session TokenHash %q, want HashRefreshToken(refresh)", s.TokenHash)
			}
			if s.PersonID != p.ID || s.CustomerID != e.cid || s.Revoked || !s.CreatedAt.Equal(e.now) || !s.ExpiresAt.Equal(tok.RefreshExpiresAt) {
				t.Fatalf("session = %+v", s)
			}
			if s.IP != "192.0.2.7" || len(s.UserAgent) != 256 || !strings.HasPrefix(ua, s.UserAgent) {
				t.Fatalf("session client: ip %q, user agent of %d bytes", s.IP, len(s.UserAgent))
			}
			if got, want := e.sessionTTL(t, c.SessionID), strconv.FormatInt(s.ExpiresAt.Unix(), 10); got != want {
				t.Fatalf("session ttl = %s, want %s", got, want)
			}
		})
	}

	t.Run("every login opens its own session", func(t *testing.T) {
		a, err := e.svc.Login(ctx, account.LoginInput{Login: "jnovak", Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.svc.Login(ctx, account.LoginInput{Login: "jnovak", Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		if a.RefreshToken == b.RefreshToken || a.AccessToken == b.AccessToken {
			t.Fatal("two logins got the same tokens")
		}
	})

	t.Run("must change password is reported", func(t *testing.T) {
		q := e.person(t, "temp@example.sk", "", e.hash(t, "Temp-Heslo-1"), func(p *clientzone.Person) { p.MustChangePassword = true })
		tok, err := e.svc.Login(ctx, account.LoginInput{Login: q.Email, Password: "Temp-Heslo-1"})
		if err != nil {
			t.Fatal(err)
		}
		if !tok.MustChangePassword {
			t.Fatal("MustChangePassword = false")
		}
	})
}

func TestHashRefreshToken(t *testing.T) {
	t.Parallel()
	a, b := account.HashRefreshToken("S.secret-1"), account.HashRefreshToken("S.secret-2")
	if len(a) != 64 || a == b || a != account.HashRefreshToken("S.secret-1") {
		t.Fatalf("hashes %q %q", a, b)
	}
	if _, err := hex.DecodeString(a); err != nil {
		t.Fatalf("hash %q is not hex", a)
	}
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	const pw = "Správne-Heslo-2026"
	e.person(t, "eva@example.sk", "", e.hash(t, pw), nil)
	e.person(t, "off@example.sk", "", e.hash(t, pw), func(p *clientzone.Person) { p.Disabled = true })
	e.person(t, "broken@example.sk", "", "plaintext-password", nil)

	tests := []struct {
		name     string
		login    string
		password string
	}{
		{"wrong password", "eva@example.sk", "Zle-Heslo"},
		{"password in other case", "eva@example.sk", strings.ToUpper(pw)},
		{"empty password", "eva@example.sk", ""},
		{"unknown login", "nobody@example.sk", pw},
		{"empty login", "", pw},
		{"disabled person, right password", "off@example.sk", pw},
		{"disabled person, wrong password", "off@example.sk", "Zle-Heslo"},
		{"unusable stored hash", "broken@example.sk", "plaintext-password"},
	}
	var first string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := e.svc.Login(ctx, account.LoginInput{Login: tt.login, Password: tt.password})
			if tok != nil {
				t.Fatalf("Login returned tokens: %+v", tok)
			}
			var ce *clientzone.Error
			if !errors.As(err, &ce) || ce.Code != clientzone.ECREDENTIALS {
				t.Fatalf("err = %v, want code %s", err, clientzone.ECREDENTIALS)
			}
			if ce.Message != "The login or password is incorrect." || len(ce.Fields) != 0 {
				t.Fatalf("error = %+v", ce)
			}
			// Identical for every reason: nothing tells which part was wrong.
			if first == "" {
				first = err.Error()
			} else if err.Error() != first {
				t.Fatalf("error %q differs from %q", err.Error(), first)
			}
		})
	}

	t.Run("no signer", func(t *testing.T) {
		// Login needs a signer: an Issuer cannot be had without one.
		if svc, err := account.NewIssuer(e.svc.Service, nil); err == nil {
			t.Fatalf("NewIssuer without a signer = %+v, want an error", svc)
		}
	})
}

func TestLoginUpgradesLegacyHashes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const pw = "Régi-Jelszó-2019"
	bc, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	weak, err := password.NewHasher(password.Params{MemoryKiB: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}).Hash(pw)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		hash string
	}{
		{"bcrypt", string(bc)},
		{"argon2id with weaker parameters", weak},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			p := e.person(t, "legacy@example.hu", "", tt.hash, nil)

			if _, err := e.svc.Login(ctx, account.LoginInput{Login: "legacy@example.hu", Password: pw}); err != nil {
				t.Fatalf("Login with the legacy hash: %v", err)
			}
			stored, err := e.db.Person(ctx, e.cid, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.PasswordHash == tt.hash || !strings.HasPrefix(stored.PasswordHash, "$argon2id$v=19$m=64,t=1,p=1$") {
				t.Fatalf("stored hash %q was not upgraded to argon2id", stored.PasswordHash)
			}
			if rehash, err := e.hasher.Verify(pw, stored.PasswordHash); err != nil || rehash {
				t.Fatalf("Verify(upgraded) = %v, %v", rehash, err)
			}
			if !strings.Contains(e.logs.String(), "password hash upgraded") {
				t.Fatalf("upgrade not logged:\n%s", e.logs)
			}

			// The new hash logs in and is not replaced again.
			if _, err := e.svc.Login(ctx, account.LoginInput{Login: "legacy@example.hu", Password: pw}); err != nil {
				t.Fatalf("Login with the upgraded hash: %v", err)
			}
			again, err := e.db.Person(ctx, e.cid, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if again.PasswordHash != stored.PasswordHash {
				t.Fatal("an up-to-date hash was replaced")
			}
			// The old password still is the only one that works.
			_, err = e.svc.Login(ctx, account.LoginInput{Login: "legacy@example.hu", Password: "wrong"})
			if clientzone.ErrorCode(err) != clientzone.ECREDENTIALS {
				t.Fatalf("wrong password after upgrade: %v", err)
			}
		})
	}

	t.Run("a wrong password does not upgrade", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		p := e.person(t, "legacy2@example.hu", "", string(bc), nil)
		if _, err := e.svc.Login(ctx, account.LoginInput{Login: "legacy2@example.hu", Password: "wrong"}); clientzone.ErrorCode(err) != clientzone.ECREDENTIALS {
			t.Fatalf("err = %v", err)
		}
		stored, err := e.db.Person(ctx, e.cid, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.PasswordHash != string(bc) {
			t.Fatalf("hash changed to %q", stored.PasswordHash)
		}
	})
}

func TestAuthenticator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	auth := &account.Authenticator{Verifier: e.verifier, Store: e.db}
	active := e.person(t, "active@example.sk", "", "x", nil)
	bumped := e.person(t, "bumped@example.sk", "", "x", nil)
	disabled := e.person(t, "disabled@example.sk", "", "x", nil)

	sign := func(signer *token.Signer, p *clientzone.Person, cid string, version int) string {
		t.Helper()
		raw, _, err := signer.Sign(time.Now(), p.ID, cid, "S1", version)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	activeTok := sign(e.signer, active, e.cid, active.TokenVersion)
	bumpedTok := sign(e.signer, bumped, e.cid, bumped.TokenVersion)
	disabledTok := sign(e.signer, disabled, e.cid, disabled.TokenVersion)

	// "Log out everywhere" and disabling happen after the tokens were issued.
	bumped.TokenVersion++
	if err := e.db.PutPerson(ctx, bumped); err != nil {
		t.Fatal(err)
	}
	disabled.Disabled = true
	if err := e.db.PutPerson(ctx, disabled); err != nil {
		t.Fatal(err)
	}
	_, otherPriv, _ := ed25519.GenerateKey(rand.Reader)

	tests := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"valid", activeTok, true},
		{"token version bumped", bumpedTok, false},
		{"newer version than the person", sign(e.signer, active, e.cid, active.TokenVersion+1), false},
		{"disabled person", disabledTok, false},
		{"unknown person", sign(e.signer, &clientzone.Person{ID: clientzone.NewID()}, e.cid, 0), false},
		{"person under another customer id", sign(e.signer, active, clientzone.NewID(), active.TokenVersion), false},
		{"signed by another key", sign(token.NewSigner(otherPriv, "clientzone", "clientzone-api", accessTTL), active, e.cid, active.TokenVersion), false},
		{"empty", "", false},
		{"garbage", "garbage", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, err := auth.Authenticate(ctx, tt.raw)
			if tt.ok {
				if err != nil {
					t.Fatalf("Authenticate: %v", err)
				}
				if pr.Person.ID != active.ID || pr.SessionID != "S1" {
					t.Fatalf("principal = %+v", pr)
				}
				return
			}
			if pr != nil {
				t.Fatalf("principal = %+v, want nil", pr)
			}
			if code := clientzone.ErrorCode(err); code != clientzone.EUNAUTHENTICATED {
				t.Fatalf("err = %v (code %q), want %s", err, code, clientzone.EUNAUTHENTICATED)
			}
		})
	}

	t.Run("login token authenticates", func(t *testing.T) {
		q := e.person(t, "login@example.sk", "", e.hash(t, "Heslo-123456"), nil)
		tok, err := e.svc.Login(ctx, account.LoginInput{Login: q.Email, Password: "Heslo-123456"})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := auth.Authenticate(ctx, tok.AccessToken)
		if err != nil || pr.Person.ID != q.ID {
			t.Fatalf("Authenticate(login token) = %+v, %v", pr, err)
		}
	})
}

// TestLoginLimitHoldsUnderParallelBursts fires 40 wrong logins at once: the
// attempt is counted before the password is checked, so at most
// MaxFailedLogins of them are checked (invalid_credentials) and the rest are
// refused unchecked (rate_limited); and the right password is refused too.
func TestLoginLimitHoldsUnderParallelBursts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	const pw = "Správne-Heslo-2026"
	e.person(t, "burst@example.sk", "", e.hash(t, pw), nil)
	var wg sync.WaitGroup
	codes := make([]string, 40)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := e.svc.Login(ctx, account.LoginInput{Login: "burst@example.sk", Password: fmt.Sprintf("guess-%d", i)})
			codes[i] = clientzone.ErrorCode(err)
		}(i)
	}
	wg.Wait()
	checked, limited := 0, 0
	for _, c := range codes {
		switch c {
		case clientzone.ECREDENTIALS:
			checked++
		case clientzone.ERATELIMITED:
			limited++
		default:
			t.Errorf("unexpected answer %q", c)
		}
	}
	if checked > account.MaxFailedLogins || checked+limited != len(codes) {
		t.Errorf("%d passwords checked, %d refused; want at most %d checked", checked, limited, account.MaxFailedLogins)
	}
	if _, err := e.svc.Login(ctx, account.LoginInput{Login: "burst@example.sk", Password: pw}); clientzone.ErrorCode(err) != clientzone.ERATELIMITED {
		t.Errorf("right password after the burst: %v, want rate_limited", err)
	}
}
