// Package token issues and verifies the short-lived access tokens (JWT,
// EdDSA/Ed25519). Only functions that log people in hold the private key;
// every other function verifies with the public keys. Verification pins the
// algorithm, issuer and audience and requires an expiry.
//
// Key rotation: every token names its signing key in the JWS header ("kid",
// the key's RFC 7638 JWK thumbprint), and a verifier holds several public
// keys (the current and the previous one), so tokens signed before a
// rotation stay valid until they expire. A token without a kid, or with a
// kid the verifier does not hold, is invalid.
package token

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are the access token's claims.
type Claims struct {
	CustomerID string `json:"cid"`
	SessionID  string `json:"sid"`
	// Version must equal the person's TokenVersion; bumping it revokes
	// every access token of the person at once.
	Version int `json:"ver"`
	jwt.RegisteredClaims
}

// Verifier checks access tokens.
type Verifier struct {
	keys   map[string]ed25519.PublicKey // by KeyID
	parser *jwt.Parser
}

// NewVerifier returns a verifier for tokens of issuer for audience signed
// by any of keys (during a rotation: the current and the previous key).
func NewVerifier(issuer, audience string, keys ...ed25519.PublicKey) *Verifier {
	byID := make(map[string]ed25519.PublicKey, len(keys))
	for _, k := range keys {
		byID[KeyID(k)] = k
	}
	return &Verifier{
		keys: byID,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(5*time.Second),
		),
	}
}

// ErrInvalid is returned for any token that does not verify; the reason is
// deliberately not distinguished to callers.
var ErrInvalid = errors.New("token: invalid")

// Verify parses and checks a token, returning its claims.
func (v *Verifier) Verify(raw string) (*Claims, error) {
	var c Claims
	tok, err := v.parser.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if k, ok := v.keys[kid]; ok {
			return k, nil
		}
		return nil, ErrInvalid
	})
	if err != nil || !tok.Valid || c.Subject == "" || c.CustomerID == "" {
		return nil, ErrInvalid
	}
	return &c, nil
}

// Signer issues access tokens.
type Signer struct {
	key      ed25519.PrivateKey
	kid      string
	issuer   string
	audience string
	ttl      time.Duration
}

// NewSigner returns a signer issuing tokens valid for ttl.
func NewSigner(priv ed25519.PrivateKey, issuer, audience string, ttl time.Duration) *Signer {
	return &Signer{key: priv, kid: KeyID(priv.Public().(ed25519.PublicKey)), issuer: issuer, audience: audience, ttl: ttl}
}

// KeyID is the key id of the tokens it signs.
func (s *Signer) KeyID() string { return s.kid }

// TTL is the lifetime of issued tokens.
func (s *Signer) TTL() time.Duration { return s.ttl }

// Sign issues a token for person sub of customer cid in session sid.
func (s *Signer) Sign(now time.Time, sub, cid, sid string, version int) (string, time.Time, error) {
	exp := now.Add(s.ttl)
	c := Claims{
		CustomerID: cid,
		SessionID:  sid,
		Version:    version,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   sub,
			Audience:  jwt.ClaimStrings{s.audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	t.Header["kid"] = s.kid
	raw, err := t.SignedString(s.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("token: sign: %w", err)
	}
	return raw, exp, nil
}

// ParsePrivateKey decodes a base64 Ed25519 seed (32 bytes) or full private
// key (64 bytes: seed and the public key derived from it).
func ParsePrivateKey(b64 string) (ed25519.PrivateKey, error) {
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("token: signing key is not base64: %w", err)
	}
	switch len(b) {
	case ed25519.SeedSize:
		return ed25519.NewKeyFromSeed(b), nil
	case ed25519.PrivateKeySize:
		// The public half must be the one derived from the seed, or the key
		// signs tokens that never verify.
		k := ed25519.NewKeyFromSeed(b[:ed25519.SeedSize])
		if !k.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(b[ed25519.SeedSize:])) {
			return nil, errors.New("token: signing key has 64 bytes but its public half does not match its seed")
		}
		return k, nil
	}
	return nil, fmt.Errorf("token: signing key has %d bytes, want 32 or 64", len(b))
}

// ParsePublicKey decodes a base64 Ed25519 public key.
func ParsePublicKey(b64 string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("token: verify key is not base64: %w", err)
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("token: verify key has %d bytes, want %d", len(b), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

// ParsePublicKeys decodes a comma-separated list of base64 Ed25519 public
// keys (TOKEN_VERIFY_KEYS: the current key first, then the previous one).
func ParsePublicKeys(list string) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	seen := map[string]bool{}
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := ParsePublicKey(s)
		if err != nil {
			return nil, err
		}
		if id := KeyID(k); !seen[id] {
			seen[id] = true
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("token: no verify key")
	}
	return keys, nil
}

// KeyID is the key id ("kid") of a public key: its RFC 7638 JWK thumbprint,
// the unpadded base64url SHA-256 of the canonical JWK
// {"crv":"Ed25519","kty":"OKP","x":"<key>"}. Deriving it from the key means
// no id has to be configured, and an id cannot name another key.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + base64.RawURLEncoding.EncodeToString(pub) + `"}`))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
