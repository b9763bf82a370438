package token_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/clientzone/clientzone/shared/token"
)

const (
	issuer   = "clientzone"
	audience = "clientzone-api"
	ttl      = 15 * time.Minute
)

func newKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func TestSignVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	pub, priv := newKey(t)
	s := token.NewSigner(priv, issuer, audience, ttl)
	if s.TTL() != ttl {
		t.Fatalf("TTL() = %v, want %v", s.TTL(), ttl)
	}
	now := time.Now().Truncate(time.Second)
	raw, exp, err := s.Sign(now, "person-1", "cust-1", "sess-1", 7)
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(now.Add(ttl)) {
		t.Fatalf("exp = %v, want %v", exp, now.Add(ttl))
	}
	if parts := strings.Split(raw, "."); len(parts) != 3 {
		t.Fatalf("token %q is not a compact JWS", raw)
	}

	c, err := token.NewVerifier(issuer, audience, pub).Verify(raw)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.Subject != "person-1" || c.CustomerID != "cust-1" || c.SessionID != "sess-1" || c.Version != 7 || c.Issuer != issuer {
		t.Fatalf("claims = %+v", c)
	}
	if len(c.Audience) != 1 || c.Audience[0] != audience {
		t.Fatalf("audience = %v", c.Audience)
	}
	if c.ExpiresAt == nil || !c.ExpiresAt.Time.Equal(exp) || c.IssuedAt == nil || !c.IssuedAt.Time.Equal(now) {
		t.Fatalf("times = exp %v iat %v", c.ExpiresAt, c.IssuedAt)
	}

	// The header pins EdDSA.
	hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[0])
	var h map[string]any
	if err := json.Unmarshal(hdr, &h); err != nil || h["alg"] != "EdDSA" {
		t.Fatalf("header = %s, want alg EdDSA", hdr)
	}
}

// sign makes a token with arbitrary claims and method, as an attacker or a
// buggy issuer could, naming kid in its header ("" for none).
func sign(t *testing.T, m jwt.SigningMethod, claims jwt.Claims, key any, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	raw, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// signWith issues a token through the real Signer.
func signWith(t *testing.T, s *token.Signer, now time.Time) string {
	t.Helper()
	raw, _, err := s.Sign(now, "person-1", "cust-1", "sess-1", 1)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func goodClaims(now time.Time) token.Claims {
	return token.Claims{
		CustomerID: "cust-1",
		SessionID:  "sess-1",
		Version:    1,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   "person-1",
			Audience:  jwt.ClaimStrings{audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	pub, priv := newKey(t)
	_, otherPriv := newKey(t)
	now := time.Now()
	v := token.NewVerifier(issuer, audience, pub)
	kid := token.KeyID(pub) // attackers name the real key

	signed := func(mutate func(c *token.Claims)) string {
		c := goodClaims(now)
		mutate(&c)
		return sign(t, jwt.SigningMethodEdDSA, c, priv, kid)
	}
	valid := signed(func(*token.Claims) {})
	if _, err := v.Verify(valid); err != nil {
		t.Fatalf("control token does not verify: %v", err)
	}

	tamper := func(raw string) string {
		parts := strings.Split(raw, ".")
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		payload = bytes.Replace(payload, []byte(`"cust-1"`), []byte(`"cust-2"`), 1)
		parts[1] = base64.RawURLEncoding.EncodeToString(payload)
		return strings.Join(parts, ".")
	}

	tests := []struct {
		name string
		raw  string
	}{
		{"empty", ""},
		{"garbage", "not.a.token"},
		{"expired", signWith(t, token.NewSigner(priv, issuer, audience, ttl), now.Add(-time.Hour))},
		{"expired just beyond leeway", signed(func(c *token.Claims) {
			c.IssuedAt = jwt.NewNumericDate(now.Add(-time.Hour))
			c.NotBefore = c.IssuedAt
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-10 * time.Second))
		})},
		{"not valid yet", signed(func(c *token.Claims) {
			c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour))
			c.NotBefore = c.IssuedAt
			c.ExpiresAt = jwt.NewNumericDate(now.Add(2 * time.Hour))
		})},
		{"no expiry", signed(func(c *token.Claims) { c.ExpiresAt = nil })},
		{"wrong issuer", signWith(t, token.NewSigner(priv, "evil", audience, ttl), now)},
		{"no issuer", signed(func(c *token.Claims) { c.Issuer = "" })},
		{"wrong audience", signWith(t, token.NewSigner(priv, issuer, "other-api", ttl), now)},
		{"no audience", signed(func(c *token.Claims) { c.Audience = nil })},
		{"HS256 with the public key as secret", sign(t, jwt.SigningMethodHS256, goodClaims(now), []byte(pub), kid)},
		{"HS256 with the base64 public key as secret", sign(t, jwt.SigningMethodHS256, goodClaims(now), []byte(base64.StdEncoding.EncodeToString(pub)), kid)},
		{"alg none", sign(t, jwt.SigningMethodNone, goodClaims(now), jwt.UnsafeAllowNoneSignatureType, kid)},
		{"alg none, signature stripped", strings.Join(strings.Split(valid, ".")[:2], ".") + "."},
		{"tampered payload", tamper(valid)},
		{"signed by another key", sign(t, jwt.SigningMethodEdDSA, goodClaims(now), otherPriv, kid)},
		{"missing cid", signed(func(c *token.Claims) { c.CustomerID = "" })},
		{"missing sub", signed(func(c *token.Claims) { c.Subject = "" })},
		{"no kid", sign(t, jwt.SigningMethodEdDSA, goodClaims(now), priv, "")},
		{"unknown kid", sign(t, jwt.SigningMethodEdDSA, goodClaims(now), priv, token.KeyID(otherPub(t)))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(tt.raw)
			if !errors.Is(err, token.ErrInvalid) {
				t.Fatalf("Verify err = %v, want ErrInvalid", err)
			}
			if c != nil {
				t.Fatalf("Verify claims = %+v, want nil", c)
			}
		})
	}
}

func TestParseKeys(t *testing.T) {
	t.Parallel()
	pub, priv := newKey(t)
	seed := priv.Seed()
	std := base64.StdEncoding.EncodeToString

	t.Run("private key accepted", func(t *testing.T) {
		for name, in := range map[string]string{
			"32-byte seed":        std(seed),
			"64-byte private key": std(priv),
		} {
			got, err := token.ParsePrivateKey(in)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !got.Equal(priv) || !bytes.Equal(got.Public().(ed25519.PublicKey), pub) {
				t.Fatalf("%s: key differs from the original", name)
			}
		}
	})

	t.Run("private key rejected", func(t *testing.T) {
		tests := map[string]string{
			"empty":           "",
			"not base64":      "not base64!",
			"url-safe base64": base64.URLEncoding.EncodeToString(append(bytes.Repeat([]byte{0xfb}, 31), 0xff)),
			"unpadded base64": base64.RawStdEncoding.EncodeToString(seed),
			"31 bytes":        std(seed[:31]),
			"33 bytes":        std(append(seed[:32:32], 0)),
			"63 bytes":        std(priv[:63]),
			"65 bytes":        std(append(priv[:64:64], 0)),
		}
		for name, in := range tests {
			if got, err := token.ParsePrivateKey(in); err == nil {
				t.Errorf("%s: ParsePrivateKey(%q) = %x, want an error", name, in, got)
			}
		}
	})

	t.Run("64-byte key whose public half does not match its seed", func(t *testing.T) {
		bad := append(append([]byte{}, seed...), otherPub(t)...)
		if _, err := token.ParsePrivateKey(std(bad)); err == nil {
			t.Fatal("ParsePrivateKey accepted an inconsistent key")
		}
	})

	t.Run("public key", func(t *testing.T) {
		got, err := token.ParsePublicKey(std(pub))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(pub) {
			t.Fatal("public key differs")
		}
		tests := map[string]string{
			"empty":           "",
			"not base64":      "%%%",
			"unpadded base64": base64.RawStdEncoding.EncodeToString(pub),
			"31 bytes":        std(pub[:31]),
			"33 bytes":        std(append(pub[:32:32], 1)),
			"64-byte private": std(priv),
		}
		for name, in := range tests {
			if got, err := token.ParsePublicKey(in); err == nil {
				t.Errorf("%s: ParsePublicKey(%q) = %x, want an error", name, in, got)
			}
		}
	})

	t.Run("parsed keys sign and verify", func(t *testing.T) {
		p, err := token.ParsePrivateKey(std(seed))
		if err != nil {
			t.Fatal(err)
		}
		v, err := token.ParsePublicKey(std(pub))
		if err != nil {
			t.Fatal(err)
		}
		raw, _, err := token.NewSigner(p, issuer, audience, ttl).Sign(time.Now(), "p", "c", "s", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := token.NewVerifier(issuer, audience, v).Verify(raw); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	})
}

func otherPub(t *testing.T) []byte {
	pub, _ := newKey(t)
	return pub
}

// A rotation: the verifier holds the current and the previous key, so a
// token signed before the rotation verifies until it expires; a key the
// verifier does not hold does not, whatever kid its token names.
func TestKeyRotation(t *testing.T) {
	t.Parallel()
	oldPub, oldPriv := newKey(t)
	newPub, newPriv := newKey(t)
	_, strayPriv := newKey(t)
	now := time.Now()
	oldSigner := token.NewSigner(oldPriv, issuer, audience, ttl)
	newSigner := token.NewSigner(newPriv, issuer, audience, ttl)
	if oldSigner.KeyID() != token.KeyID(oldPub) || newSigner.KeyID() == oldSigner.KeyID() {
		t.Fatalf("signer key ids %q %q", oldSigner.KeyID(), newSigner.KeyID())
	}
	rotated := token.NewVerifier(issuer, audience, newPub, oldPub)
	onlyNew := token.NewVerifier(issuer, audience, newPub)
	tests := []struct {
		name string
		v    *token.Verifier
		raw  string
		ok   bool
	}{
		{"current key", rotated, signWith(t, newSigner, now), true},
		{"previous key", rotated, signWith(t, oldSigner, now), true},
		{"previous key after it was dropped", onlyNew, signWith(t, oldSigner, now), false},
		{"unknown key", rotated, signWith(t, token.NewSigner(strayPriv, issuer, audience, ttl), now), false},
		{"unknown key naming the current kid", rotated, sign(t, jwt.SigningMethodEdDSA, goodClaims(now), strayPriv, token.KeyID(newPub)), false},
		{"previous key naming the current kid", rotated, sign(t, jwt.SigningMethodEdDSA, goodClaims(now), oldPriv, token.KeyID(newPub)), false},
		{"no kid", rotated, sign(t, jwt.SigningMethodEdDSA, goodClaims(now), newPriv, ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.v.Verify(tt.raw)
			if tt.ok && (err != nil || c.Subject != "person-1") {
				t.Fatalf("Verify = %+v, %v; want the claims", c, err)
			}
			if !tt.ok && !errors.Is(err, token.ErrInvalid) {
				t.Fatalf("Verify err = %v, want ErrInvalid", err)
			}
		})
	}
}

// KeyID is the RFC 7638 thumbprint; the vector is RFC 8037 appendix A.3.
func TestKeyID(t *testing.T) {
	t.Parallel()
	x, err := base64.RawURLEncoding.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := token.KeyID(ed25519.PublicKey(x)), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"; got != want {
		t.Fatalf("KeyID = %q, want %q", got, want)
	}
	// The signer names it in every token's header.
	_, priv := newKey(t)
	s := token.NewSigner(priv, issuer, audience, ttl)
	raw := signWith(t, s, time.Now())
	hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[0])
	var h map[string]any
	if err := json.Unmarshal(hdr, &h); err != nil || h["kid"] != s.KeyID() {
		t.Fatalf("header = %s, want kid %q", hdr, s.KeyID())
	}
}

func TestParsePublicKeys(t *testing.T) {
	t.Parallel()
	a, _ := newKey(t)
	b, _ := newKey(t)
	std := base64.StdEncoding.EncodeToString
	tests := []struct {
		name string
		in   string
		want []ed25519.PublicKey
	}{
		{"one", std(a), []ed25519.PublicKey{a}},
		{"current then previous", std(a) + "," + std(b), []ed25519.PublicKey{a, b}},
		{"spaces and empty entries", " " + std(a) + " ,, " + std(b) + ",", []ed25519.PublicKey{a, b}},
		{"duplicate kept once", std(a) + "," + std(a), []ed25519.PublicKey{a}},
		{"empty", "", nil},
		{"only commas", ",,", nil},
		{"one bad", std(a) + ",nope", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := token.ParsePublicKeys(tt.in)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("ParsePublicKeys(%q) = %d keys, want an error", tt.in, len(got))
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("ParsePublicKeys(%q) = %d keys, %v; want %d", tt.in, len(got), err, len(tt.want))
			}
			for i := range got {
				if !got[i].Equal(tt.want[i]) {
					t.Fatalf("key %d differs", i)
				}
			}
		})
	}
}
