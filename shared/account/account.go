// Package account holds the identity use cases: logging in, sessions and the
// person's own profile, persons management and the audit log, the
// account-request and password-reset wizards, and the authorization PIN
// with the billing data it protects.
//
// Each use case declares the store it needs in account's own terms (Store,
// PersonsStore, RecoveryStore, PINServiceStore, PINStore), with the types
// it exchanges (PersonSnapshot, AuditPage, PasswordChange) and the errors
// the store answers with (ErrPersonChanged, ErrPasswordChanged,
// ErrBillingDataChanged, LoginTakenError, ErrSessionNotCurrent). account
// does not import its implementation: shared/dynamo imports account,
// implements these interfaces and returns these errors from its write
// conditions.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
	"github.com/clientzone/clientzone/shared/token"
)

// Store is the persistence the account use cases need.
type Store interface {
	PersonByLogin(ctx context.Context, login string) (*clientzone.Person, error)
	Person(ctx context.Context, cid, pid string) (*clientzone.Person, error)
	ReplacePasswordHash(ctx context.Context, cid, pid, old, new string) error
	CreateSession(ctx context.Context, s *clientzone.Session) error
	// SessionStore: refresh, logout, password change, profile (sessions.go).
	SessionStore
}

// Service implements the identity use cases.
type Service struct {
	Store      Store
	Hasher     *password.Hasher
	Clock      clientzone.Clock
	RefreshTTL time.Duration
	Logger     *slog.Logger
	// Metrics counts login outcomes; nil counts nothing.
	Metrics Metrics
}

// Issuer is the identity use cases that issue access tokens: login,
// refresh and password change. NewIssuer requires the token signer, so
// none of them can run without one; the Service's other use cases need
// none (and the functions running them hold no signing key).
type Issuer struct {
	*Service
	signer *token.Signer
}

// NewIssuer returns the token-issuing use cases of svc, signing with signer.
func NewIssuer(svc *Service, signer *token.Signer) (*Issuer, error) {
	if svc == nil || signer == nil {
		return nil, errors.New("account: a token issuer needs a service and a signer")
	}
	return &Issuer{Service: svc, signer: signer}, nil
}

// Metrics counts business events (shared/metrics writes them as CloudWatch
// metrics).
type Metrics interface {
	Count(name string, n int)
}

// Metric names counted by Login.
const (
	// MetricLoginSucceeded is a password login that opened a session.
	MetricLoginSucceeded = "LoginSucceeded"
	// MetricLoginFailed is a password login refused: wrong password,
	// unknown login, disabled or not yet activated person, or the
	// failed-login limit reached. A login ending in an internal error
	// (store unavailable) is neither: it is an error, not an outcome.
	MetricLoginFailed = "LoginFailed"
)

func (s *Service) count(name string) {
	if s.Metrics != nil {
		s.Metrics.Count(name, 1)
	}
}

// LoginInput is what a person types plus where they come from.
type LoginInput struct {
	Login     string // email, username or contract number
	Password  string
	UserAgent string
	IP        string
}

// Tokens is the result of a login or refresh.
type Tokens struct {
	AccessToken        string
	AccessExpiresAt    time.Time
	AccessTTL          time.Duration
	RefreshToken       string
	RefreshExpiresAt   time.Time
	Person             *clientzone.Person
	MustChangePassword bool
}

var errCredentials = clientzone.Errorf(clientzone.ECREDENTIALS, "The login or password is incorrect.")

// Brute-force limit of logins: at most MaxFailedLogins failed logins (or
// wrong current passwords) per account per FailedLoginWindow. A successful
// login does not reset the count.
const (
	MaxFailedLogins   = 10
	FailedLoginWindow = time.Hour
)

// Login checks the credentials and opens a session. Unknown logins,
// disabled persons and wrong passwords get the same error after the same
// amount of hashing work and the same store calls (two reads, one counter
// write), and are rate-limited alike: per person when the login names one,
// per login string otherwise. Legacy (bcrypt, MD5-crypt) or weak hashes are
// upgraded to argon2id on success. Each outcome is counted
// (MetricLoginSucceeded, MetricLoginFailed).
func (s *Issuer) Login(ctx context.Context, in LoginInput) (*Tokens, error) {
	t, err := s.login(ctx, in)
	switch clientzone.ErrorCode(err) {
	case "":
		s.count(MetricLoginSucceeded)
	case clientzone.ECREDENTIALS, clientzone.ERATELIMITED:
		s.count(MetricLoginFailed)
	}
	return t, err
}

func (s *Issuer) login(ctx context.Context, in LoginInput) (*Tokens, error) {
	now := s.Clock.Now()
	p, counter, failures, err := s.Store.LoginAttempt(ctx, in.Login, FailedLoginWindow, now)
	if err != nil {
		return nil, err
	}
	if failures >= MaxFailedLogins {
		return nil, tooManyAttempts(now)
	}
	// Count the attempt before the (slow) password check, atomically and
	// only while under the limit: parallel bursts cannot get more than
	// MaxFailedLogins checks per window. A success gives the count back.
	reserved, err := s.Store.HitIfBelow(ctx, counter, FailedLoginWindow, now, MaxFailedLogins)
	if err != nil {
		return nil, err
	}
	if !reserved {
		return nil, tooManyAttempts(now)
	}
	if p == nil {
		s.Hasher.VerifyDummy(in.Password)
		return nil, errCredentials
	}
	if p.PasswordHash == "" {
		// Invited or requested, not activated yet: no password to check.
		s.Hasher.VerifyDummy(in.Password)
		return nil, errCredentials
	}
	if !strings.HasPrefix(p.PasswordHash, "$argon2id$") {
		// Legacy hashes (MD5-crypt in particular) verify much faster than
		// argon2id; spend the argon2id time too, so response times do not
		// tell migrated accounts apart.
		s.Hasher.VerifyDummy(in.Password)
	}
	rehash, err := s.Hasher.Verify(in.Password, p.PasswordHash)
	if errors.Is(err, password.ErrMismatch) || (err == nil && p.Disabled) {
		return nil, errCredentials
	}
	if err != nil {
		// A stored hash in an unknown format: the account cannot log in
		// until staff reset it; the caller gets the usual answer.
		s.Logger.ErrorContext(ctx, "unusable password hash", "person", p.ID, "err", err)
		return nil, errCredentials
	}
	if err := s.Store.Unhit(ctx, counter, FailedLoginWindow, now); err != nil {
		// The success stays counted as an attempt: safe, only logged.
		s.Logger.WarnContext(ctx, "returning a login attempt to the counter", "err", err)
	}
	if rehash {
		s.upgradeHash(ctx, p, in.Password)
	}
	return s.openSession(ctx, p, in.UserAgent, in.IP)
}

// upgradeHash replaces a legacy hash; failure is logged, not fatal: the
// person is logged in either way and the upgrade is retried next time.
func (s *Service) upgradeHash(ctx context.Context, p *clientzone.Person, pw string) {
	h, err := s.Hasher.Hash(pw)
	if err == nil {
		err = s.Store.ReplacePasswordHash(ctx, p.CustomerID, p.ID, p.PasswordHash, h)
	}
	if err != nil {
		s.Logger.WarnContext(ctx, "password hash upgrade failed", "person", p.ID, "err", err)
		return
	}
	p.PasswordHash = h
	s.Logger.InfoContext(ctx, "password hash upgraded to argon2id", "person", p.ID)
}

func (s *Issuer) openSession(ctx context.Context, p *clientzone.Person, ua, ip string) (*Tokens, error) {
	now := s.Clock.Now()
	sess := &clientzone.Session{
		ID:         clientzone.NewID(),
		CustomerID: p.CustomerID,
		PersonID:   p.ID,
		CreatedAt:  now,
		ExpiresAt:  now.Add(s.RefreshTTL),
		UserAgent:  truncate(ua, 256),
		IP:         ip,
	}
	refresh, hash, err := newRefreshToken(sess.ID)
	if err != nil {
		return nil, err
	}
	sess.TokenHash = hash
	sess.TokenVersion = p.TokenVersion
	audit := &clientzone.AuditEntry{
		CustomerID: p.CustomerID, At: now, Action: "login", ActorID: p.ID, TargetID: sess.ID,
		IP: ip, UserAgent: sess.UserAgent,
	}
	if err := s.Store.OpenSession(ctx, sess, audit); err != nil {
		return nil, err
	}
	return s.issue(now, p, sess, refresh)
}

// issue signs an access token for person p in session sess and returns it
// with the session's refresh token.
func (s *Issuer) issue(now time.Time, p *clientzone.Person, sess *clientzone.Session, refresh string) (*Tokens, error) {
	access, exp, err := s.signer.Sign(now, p.ID, p.CustomerID, sess.ID, p.TokenVersion)
	if err != nil {
		return nil, err
	}
	return &Tokens{
		AccessToken:        access,
		AccessExpiresAt:    exp,
		AccessTTL:          s.signer.TTL(),
		RefreshToken:       refresh,
		RefreshExpiresAt:   sess.ExpiresAt,
		Person:             p,
		MustChangePassword: p.MustChangePassword,
	}, nil
}

// newRefreshToken returns "<session id>.<256 random bits>" and the hash that
// is stored in place of it.
func newRefreshToken(sessionID string) (tok, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	tok = sessionID + "." + base64.RawURLEncoding.EncodeToString(b)
	return tok, HashRefreshToken(tok), nil
}

// HashRefreshToken is the stored form of a refresh token.
func HashRefreshToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
