package account

import (
	"context"
	"crypto/subtle"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
)

// SessionStore is the persistence of logins, refresh-token sessions, logout,
// password change and the person's own profile.
type SessionStore interface {
	// LoginAttempt reads the person a login names (nil for none) and the
	// failed logins counted in the current window on counter: the
	// person's FailedLoginCounter, or the login's UnknownLoginCounter.
	LoginAttempt(ctx context.Context, login string, window time.Duration, now time.Time) (p *clientzone.Person, counter string, failures int, err error)
	Hits(ctx context.Context, name string, window time.Duration, now time.Time) (int, error)
	Hit(ctx context.Context, name string, window time.Duration, now time.Time) (int, error)
	HitIfBelow(ctx context.Context, name string, window time.Duration, now time.Time, limit int) (bool, error)
	Unhit(ctx context.Context, name string, window time.Duration, now time.Time) error
	OpenSession(ctx context.Context, s *clientzone.Session, audit *clientzone.AuditEntry) error
	Session(ctx context.Context, id string) (*clientzone.Session, error)
	// RotateSession fails with ErrSessionNotCurrent when oldHash is no
	// longer the session's token or the session was revoked meanwhile.
	RotateSession(ctx context.Context, id, oldHash, newHash string, expiresAt time.Time) error
	RevokeSessionAudited(ctx context.Context, id string, until time.Time, audit *clientzone.AuditEntry) error
	LogoutEverywhere(ctx context.Context, cid, pid, sessionID string, until time.Time, audit *clientzone.AuditEntry) error
	// ChangePassword fails with ErrPasswordChanged when the person's hash
	// or token version is no longer c's old ones.
	ChangePassword(ctx context.Context, c *PasswordChange) error
	// UpdateProfile writes the given Profile* fields of p.
	UpdateProfile(ctx context.Context, p *clientzone.Person, fields []string, audit *clientzone.AuditEntry) error
}

// ErrSessionNotCurrent is the store's answer to a session rotation whose
// token is no longer the session's current one, or whose session was
// revoked meanwhile: the same refresh token was presented twice at once.
// Refresh answers it like any reuse; it never reaches a client.
var ErrSessionNotCurrent = errors.New("account: the session's refresh token is no longer current")

// ErrPasswordChanged is the conflict of a password change whose person's
// hash or token version changed since it was read.
var ErrPasswordChanged = clientzone.Errorf(clientzone.ECONFLICT, "The password was changed concurrently.")

// FailedLoginCounter names the rate-limit counter (Store.Hits, Hit) of
// person pid's failed logins and wrong password confirmations.
func FailedLoginCounter(pid string) string { return "login-person:" + pid }

// UnknownLoginCounter names the rate-limit counter of failed logins with a
// login string that names no person, so unknown logins are limited (and
// answered) exactly like known ones.
func UnknownLoginCounter(login string) string {
	return "login-name:" + clientzone.NormalizeLogin(login)
}

// RetryAfterError is a rate-limit error that says when to try again; the
// HTTP layer sends it as a Retry-After header.
type RetryAfterError struct {
	Err   *clientzone.Error
	After time.Duration
}

func (e *RetryAfterError) Error() string             { return e.Err.Error() }
func (e *RetryAfterError) Unwrap() error             { return e.Err }
func (e *RetryAfterError) RetryAfter() time.Duration { return e.After }

// tooManyAttempts is the answer while the failed-login limit is reached:
// the same for known and unknown accounts.
func tooManyAttempts(now time.Time) error {
	end := now.UTC().Truncate(FailedLoginWindow).Add(FailedLoginWindow)
	return &RetryAfterError{
		Err:   clientzone.Errorf(clientzone.ERATELIMITED, "Too many failed login attempts. Try again later."),
		After: end.Sub(now),
	}
}

// errSessionEnded answers every refresh that cannot be honoured (unknown,
// expired, revoked or reused token, disabled person, logged out
// everywhere); the reason is only logged.
var errSessionEnded = clientzone.Errorf(clientzone.EUNAUTHENTICATED, "The session has ended; log in again.")

// RefreshInput is a refresh token plus where it comes from.
type RefreshInput struct {
	RefreshToken string
	UserAgent    string
	IP           string
}

// Refresh exchanges a valid refresh token for a new access token and a new
// refresh token (rotation). Presenting a token that is not the session's
// current one (it was already rotated: reuse, a sign of theft) revokes the
// whole session. Two reads (session, person) and one write.
func (s *Issuer) Refresh(ctx context.Context, in RefreshInput) (*Tokens, error) {
	id, secret, ok := strings.Cut(in.RefreshToken, ".")
	if !ok || !validSessionID(id) || secret == "" {
		return nil, errSessionEnded
	}
	sess, err := s.Store.Session(ctx, id)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return nil, errSessionEnded
	}
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	if sess.Revoked || !now.Before(sess.ExpiresAt) {
		return nil, errSessionEnded
	}
	hash := HashRefreshToken(in.RefreshToken)
	if subtle.ConstantTimeCompare([]byte(hash), []byte(sess.TokenHash)) != 1 {
		return nil, s.revokeReused(ctx, sess, in, now)
	}
	p, err := s.Store.Person(ctx, sess.CustomerID, sess.PersonID)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return nil, errSessionEnded
	}
	if err != nil {
		return nil, err
	}
	if p.Disabled || p.TokenVersion != sess.TokenVersion {
		return nil, errSessionEnded
	}
	refresh, newHash, err := newRefreshToken(sess.ID)
	if err != nil {
		return nil, err
	}
	err = s.Store.RotateSession(ctx, sess.ID, sess.TokenHash, newHash, sess.ExpiresAt)
	if errors.Is(err, ErrSessionNotCurrent) {
		// Rotated or revoked between our read and write: the same token
		// was presented twice at once, which is reuse too.
		return nil, s.revokeReused(ctx, sess, in, now)
	}
	if err != nil {
		return nil, err
	}
	return s.issue(now, p, sess, refresh)
}

func (s *Service) revokeReused(ctx context.Context, sess *clientzone.Session, in RefreshInput, now time.Time) error {
	audit := &clientzone.AuditEntry{
		CustomerID: sess.CustomerID, At: now, Action: "session.reuse", ActorID: sess.PersonID, TargetID: sess.ID,
		IP: in.IP, UserAgent: truncate(in.UserAgent, 256),
	}
	if err := s.Store.RevokeSessionAudited(ctx, sess.ID, sess.ExpiresAt, audit); err != nil {
		return err
	}
	s.Logger.WarnContext(ctx, "refresh token reused; session revoked", "session", sess.ID, "person", sess.PersonID)
	return errSessionEnded
}

// validSessionID accepts only what NewID produces (a ULID), so a refresh
// token cannot address any other key.
func validSessionID(id string) bool {
	if len(id) != 26 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// LogoutInput says whose session ends and whether every session does.
type LogoutInput struct {
	Principal *clientzone.Principal
	// Everywhere also bumps the person's token version: every access token
	// and every session of the person stop working at once.
	Everywhere bool
	UserAgent  string
	IP         string
}

// Logout revokes the caller's session (its refresh token stops working),
// or every session of the person.
func (s *Service) Logout(ctx context.Context, in LogoutInput) error {
	p := in.Principal.Person
	now := s.Clock.Now()
	audit := &clientzone.AuditEntry{
		CustomerID: p.CustomerID, At: now, Action: "logout", ActorID: p.ID, TargetID: in.Principal.SessionID,
		IP: in.IP, UserAgent: truncate(in.UserAgent, 256),
	}
	until := now.Add(s.RefreshTTL)
	if in.Everywhere {
		audit.Action = "logout.everywhere"
		return s.Store.LogoutEverywhere(ctx, p.CustomerID, p.ID, in.Principal.SessionID, until, audit)
	}
	if in.Principal.SessionID == "" {
		return nil
	}
	return s.Store.RevokeSessionAudited(ctx, in.Principal.SessionID, until, audit)
}

// Password policy.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
	// minIdentityPart is the shortest email local part or username a new
	// password may not contain (shorter ones would forbid too much).
	minIdentityPart = 3
)

// CheckPasswordPolicy returns the problems of a new password for person p
// (field errors on field), or nil: 10–256 characters, not the current
// password (when given), and not containing the person's email local part
// or username, case-insensitively.
func CheckPasswordPolicy(p *clientzone.Person, newPassword, currentPassword, field string) []clientzone.FieldError {
	var out []clientzone.FieldError
	switch n := utf8.RuneCountInString(newPassword); {
	case n < MinPasswordLength:
		out = append(out, clientzone.FieldError{Field: field, Code: "min", Message: "This value is too short.", Param: strconv.Itoa(MinPasswordLength)})
	case n > MaxPasswordLength:
		out = append(out, clientzone.FieldError{Field: field, Code: "max", Message: "This value is too long.", Param: strconv.Itoa(MaxPasswordLength)})
	}
	if currentPassword != "" && newPassword == currentPassword {
		out = append(out, clientzone.FieldError{Field: field, Code: "same_as_current", Message: "The new password must differ from the current one."})
	}
	lower := strings.ToLower(newPassword)
	local, _, _ := strings.Cut(p.Email, "@")
	for _, part := range []string{local, p.Username} {
		part = strings.ToLower(strings.TrimSpace(part))
		if utf8.RuneCountInString(part) >= minIdentityPart && strings.Contains(lower, part) {
			out = append(out, clientzone.FieldError{Field: field, Code: "contains_personal_data", Message: "The password must not contain your email address or username."})
			break
		}
	}
	return out
}

// PasswordChangeInput is a logged-in person's password change.
type PasswordChangeInput struct {
	Principal       *clientzone.Principal
	CurrentPassword string
	NewPassword     string
	UserAgent       string
	IP              string
}

// ChangePassword replaces the caller's password after checking the current
// one (a wrong one counts as a failed login) and the policy. It clears a
// pending staff-issued password, bumps the token version (every other
// device is logged out), replaces the current session by a new one and
// emails the person, all in one transaction; it returns the new tokens.
func (s *Issuer) ChangePassword(ctx context.Context, in PasswordChangeInput) (*Tokens, error) {
	p := in.Principal.Person
	now := s.Clock.Now()
	counter := FailedLoginCounter(p.ID)
	failures, err := s.Store.Hits(ctx, counter, FailedLoginWindow, now)
	if err != nil {
		return nil, err
	}
	if failures >= MaxFailedLogins {
		return nil, tooManyAttempts(now)
	}
	if _, err := s.Hasher.Verify(in.CurrentPassword, p.PasswordHash); err != nil {
		if !errors.Is(err, password.ErrMismatch) {
			s.Logger.ErrorContext(ctx, "unusable password hash", "person", p.ID, "err", err)
		}
		if _, err := s.Store.Hit(ctx, counter, FailedLoginWindow, now); err != nil {
			return nil, err
		}
		return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
			Fields: []clientzone.FieldError{{Field: "currentPassword", Code: "incorrect", Message: "The current password is incorrect."}}}
	}
	if fields := CheckPasswordPolicy(p, in.NewPassword, in.CurrentPassword, "newPassword"); len(fields) > 0 {
		return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.", Fields: fields}
	}
	newHash, err := s.Hasher.Hash(in.NewPassword)
	if err != nil {
		return nil, err
	}
	after := *p
	after.PasswordHash, after.MustChangePassword, after.TokenVersion = newHash, false, p.TokenVersion+1
	ua := truncate(in.UserAgent, 256)
	sess := &clientzone.Session{
		ID: clientzone.NewID(), CustomerID: p.CustomerID, PersonID: p.ID, CreatedAt: now, ExpiresAt: now.Add(s.RefreshTTL),
		UserAgent: ua, IP: in.IP, TokenVersion: after.TokenVersion,
	}
	refresh, refreshHash, err := newRefreshToken(sess.ID)
	if err != nil {
		return nil, err
	}
	sess.TokenHash = refreshHash
	lang := p.Language
	if lang == "" {
		lang = clientzone.LangEN
	}
	change := &PasswordChange{
		CustomerID: p.CustomerID, PersonID: p.ID,
		OldHash: p.PasswordHash, NewHash: newHash,
		OldTokenVersion: p.TokenVersion, NewTokenVersion: after.TokenVersion,
		RevokeSessionID: in.Principal.SessionID, RevokeUntil: now.Add(s.RefreshTTL),
		NewSession: sess,
		Audit: &clientzone.AuditEntry{CustomerID: p.CustomerID, At: now, Action: "password.change", ActorID: p.ID, TargetID: p.ID,
			IP: in.IP, UserAgent: ua, Details: map[string]string{"wasTemporary": strconv.FormatBool(p.MustChangePassword)}},
	}
	if p.Email != "" {
		change.Message = &clientzone.Message{
			Channel: clientzone.ChannelEmail, To: p.Email, Template: "password-changed", Language: lang,
			Data:       map[string]string{"name": p.Name, "changedAt": now.Format(time.RFC3339), "ip": in.IP},
			CustomerID: p.CustomerID, PersonID: p.ID, CreatedAt: now,
		}
	}
	if err := s.Store.ChangePassword(ctx, change); err != nil {
		return nil, err
	}
	return s.issue(now, &after, sess, refresh)
}

// PasswordChange is a completed password change: the person's new hash and
// token version, the session that replaces the current one, and what to
// record and send, written together (Store.ChangePassword) only while the
// person's hash and token version are still the old ones.
type PasswordChange struct {
	CustomerID, PersonID string
	OldHash, NewHash     string
	OldTokenVersion      int
	NewTokenVersion      int
	// RevokeSessionID is the session the change was made from; revoked
	// until RevokeUntil (TTL of a stub if it is already gone).
	RevokeSessionID string
	RevokeUntil     time.Time
	NewSession      *clientzone.Session
	Audit           *clientzone.AuditEntry
	Message         *clientzone.Message
}

// Profile fields a person may change on themselves (PATCH /v1/me), as
// UpdateProfile passes them to Store.UpdateProfile.
const (
	ProfileName                  = "name"
	ProfilePhone                 = "phone"
	ProfileLanguage              = "language"
	ProfileNotificationsInvoices = "notifications.invoices"
	ProfileNotificationsExpiry   = "notifications.expiry"
	ProfileNotificationsOutages  = "notifications.outages"
	ProfileNotificationsNews     = "notifications.news"
)

// ProfileChanges are the profile fields a person changes on themselves;
// nil fields stay as they are.
type ProfileChanges struct {
	Name          *string
	Phone         *string // "" removes the phone number
	Language      *string
	Notifications *NotificationChanges
}

// NotificationChanges are per-topic notification settings; nil ones stay.
type NotificationChanges struct {
	Invoices, Expiry, Outages, News *bool
}

// MaxNameLength bounds a person's name.
const MaxNameLength = 100

// NormalizeE164 strips the spaces, dashes, dots and parentheses people type
// in phone numbers and reports whether the rest is an E.164 number.
func NormalizeE164(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')', '\u00a0':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	return s, clientzone.IsE164(s)
}

// UpdateProfile changes the caller's name, phone, language and notification
// settings (only the given ones) and returns the updated person.
func (s *Service) UpdateProfile(ctx context.Context, pr *clientzone.Principal, ch ProfileChanges, ip, userAgent string) (*clientzone.Person, error) {
	p := *pr.Person
	var fields []string
	var bad []clientzone.FieldError
	if ch.Name != nil {
		name := strings.TrimSpace(*ch.Name)
		switch {
		case name == "":
			bad = append(bad, clientzone.FieldError{Field: "name", Code: "required", Message: "This field is required."})
		case utf8.RuneCountInString(name) > MaxNameLength:
			bad = append(bad, clientzone.FieldError{Field: "name", Code: "max", Message: "This value is too long.", Param: strconv.Itoa(MaxNameLength)})
		}
		p.Name = name
		fields = append(fields, ProfileName)
	}
	if ch.Phone != nil {
		phone, ok := NormalizeE164(*ch.Phone)
		if phone != "" && !ok {
			bad = append(bad, clientzone.FieldError{Field: "phone", Code: "e164",
				Message: "Enter the phone number in international format, e.g. +421900123456."})
		}
		p.Phone = phone
		fields = append(fields, ProfilePhone)
	}
	if ch.Language != nil {
		l := clientzone.Language(*ch.Language)
		switch l {
		case clientzone.LangEN, clientzone.LangSK, clientzone.LangHU, clientzone.LangRU:
		default:
			bad = append(bad, clientzone.FieldError{Field: "language", Code: "oneof", Message: "This value is not allowed.", Param: "en sk hu ru"})
		}
		p.Language = l
		fields = append(fields, ProfileLanguage)
	}
	if n := ch.Notifications; n != nil {
		for _, t := range []struct {
			v     *bool
			dst   *bool
			field string
		}{
			{n.Invoices, &p.Notifications.Invoices, ProfileNotificationsInvoices},
			{n.Expiry, &p.Notifications.Expiry, ProfileNotificationsExpiry},
			{n.Outages, &p.Notifications.Outages, ProfileNotificationsOutages},
			{n.News, &p.Notifications.News, ProfileNotificationsNews},
		} {
			if t.v != nil {
				*t.dst = *t.v
				fields = append(fields, t.field)
			}
		}
	}
	if len(bad) > 0 {
		return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.", Fields: bad}
	}
	if len(fields) == 0 {
		return &p, nil
	}
	sort.Strings(fields)
	audit := &clientzone.AuditEntry{
		CustomerID: p.CustomerID, At: s.Clock.Now(), Action: "profile.update", ActorID: p.ID, TargetID: p.ID,
		IP: ip, UserAgent: truncate(userAgent, 256), Details: map[string]string{"fields": strings.Join(fields, ",")},
	}
	if err := s.Store.UpdateProfile(ctx, &p, fields, audit); err != nil {
		return nil, err
	}
	return &p, nil
}
