package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
)

// RecoveryStore is the persistence of account requests and password
// recovery.
type RecoveryStore interface {
	ContractLogin(ctx context.Context, number string) (cid, pid string, err error)
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Persons(ctx context.Context, cid string) ([]*clientzone.Person, error)
	Person(ctx context.Context, cid, pid string) (*clientzone.Person, error)
	PersonByLogin(ctx context.Context, login string) (*clientzone.Person, error)
	Contracts(ctx context.Context, cid string) ([]*clientzone.Contract, error)
	Activation(ctx context.Context, tokenHash string) (*clientzone.Activation, error)
	PasswordReset(ctx context.Context, id string) (*clientzone.PasswordReset, error)
	Hits(ctx context.Context, name string, window time.Duration, now time.Time) (int, error)
	HitIfBelow(ctx context.Context, name string, window time.Duration, now time.Time, limit int) (bool, error)
	CountPasswordResetFailure(ctx context.Context, id string, maxAttempts int) (int, error)

	SendActivation(ctx context.Context, a *clientzone.Activation, m *clientzone.Message) error
	ActivatePerson(ctx context.Context, tokenHash, cid, pid, pwHash string, audit *clientzone.AuditEntry, onInvalid error) error
	ActivateHolder(ctx context.Context, tokenHash string, p *clientzone.Person, relink map[string]string, audit *clientzone.AuditEntry, onInvalid, onTaken error) error
	StartPasswordReset(ctx context.Context, r *clientzone.PasswordReset, m *clientzone.Message) error
	CompletePasswordReset(ctx context.Context, r *clientzone.PasswordReset, pwHash string, audit *clientzone.AuditEntry, m *clientzone.Message, onInvalid error) error
	SetTemporaryPassword(ctx context.Context, cid, pid, pwHash string, audit *clientzone.AuditEntry, onMissing error) error
}

// Recovery implements the account-request wizard, forgotten-password resets
// and staff-issued temporary passwords.
type Recovery struct {
	Store  RecoveryStore
	Hasher *password.Hasher
	Clock  clientzone.Clock
	Logger *slog.Logger
	// DefaultLanguage is used for customers, who have no language of their own.
	DefaultLanguage clientzone.Language
	// ActivationURLBase and ResetURLBase are the front-end pages the
	// emailed links open; "?token=..." is appended.
	ActivationURLBase string
	ResetURLBase      string
}

// Limits of the recovery flows.
const (
	// AccountRequestsPerHour bounds wizard requests per contract number.
	AccountRequestsPerHour = 3
	// ResetMessagesPerHour bounds reset SMS (and, separately, emails) per person.
	ResetMessagesPerHour = 3
	// recMaxRelink bounds the contract logins moved to a new holder admin.
	recMaxRelink = 20
	// TemporaryPasswordLength is the length of staff-issued passwords.
	TemporaryPasswordLength = 12
)

// Client-facing errors of the recovery flows.
var (
	errRecActivation = &clientzone.Error{
		Code:    clientzone.EINVALID,
		Message: "The activation link is invalid or has expired.",
		Fields:  []clientzone.FieldError{{Field: "token", Code: "invalid", Message: "This link is invalid, expired or already used."}},
	}
	errRecHolderTaken = clientzone.Errorf(clientzone.ECONFLICT,
		"An account with this email already exists; log in or reset your password.")
	errRecResetCode = &clientzone.Error{
		Code:    clientzone.EINVALID,
		Message: "The code is invalid or has expired.",
		Fields:  []clientzone.FieldError{{Field: "code", Code: "invalid", Message: "This code is invalid, expired or already used."}},
	}
	errRecResetToken = &clientzone.Error{
		Code:    clientzone.EINVALID,
		Message: "The password reset link is invalid or has expired.",
		Fields:  []clientzone.FieldError{{Field: "token", Code: "invalid", Message: "This link is invalid, expired or already used."}},
	}
)

func (s *Recovery) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Recovery) lang(p *clientzone.Person) clientzone.Language {
	if p != nil && p.Language != "" {
		return p.Language
	}
	if s.DefaultLanguage != "" {
		return s.DefaultLanguage
	}
	return clientzone.LangEN
}

// RequestAccount is the account-request wizard: when the contract number
// exists and the email is the customer's contact email or a person's
// email, an activation link goes to that email. The caller always gives
// the same neutral answer; this returns an error only when the store fails.
func (s *Recovery) RequestAccount(ctx context.Context, contractNumber, email string) error {
	now := s.Clock.Now()
	// Every path does the same store reads, so timing tells nothing.
	allowed, err := s.Store.HitIfBelow(ctx, "account-request#"+recKey(contractNumber), time.Hour, now, AccountRequestsPerHour)
	if err != nil {
		return err
	}
	found := true
	cid, _, err := s.Store.ContractLogin(ctx, contractNumber)
	if recNotFound(err) {
		found, cid = false, clientzone.NewID()
	} else if err != nil {
		return err
	}
	cust, err := s.Store.Customer(ctx, cid)
	if recNotFound(err) {
		found = false
	} else if err != nil {
		return err
	}
	persons, err := s.Store.Persons(ctx, cid)
	if err != nil {
		return err
	}
	tok, tokHash, err := recActivationToken()
	if err != nil {
		return err
	}
	var (
		matched  bool
		target   *clientzone.Person
		personID string
	)
	if found {
		for _, p := range persons {
			if recSameEmail(p.Email, email) {
				matched, target = !p.Disabled, p
				break
			}
		}
		if target == nil && recSameEmail(cust.Email, email) {
			matched = true // the contract holder, no login yet
		}
	}
	if !matched || !allowed {
		s.log().InfoContext(ctx, "account request: no activation sent", "matched", matched, "allowed", allowed)
		return nil
	}
	to, name := cust.Email, cust.Name
	if target != nil {
		to, name, personID = target.Email, target.Name, target.ID
	}
	a := &clientzone.Activation{
		TokenHash:  tokHash,
		Purpose:    clientzone.ActivationAccountRequest,
		CustomerID: cid,
		PersonID:   personID,
		Email:      to,
		ExpiresAt:  now.Add(clientzone.ActivationLinkTTL),
	}
	m := &clientzone.Message{
		Channel:    clientzone.ChannelEmail,
		To:         to,
		Template:   "account-activation",
		Language:   s.lang(target),
		Data:       map[string]string{"link": recLink(s.ActivationURLBase, tok), "name": name},
		CustomerID: cid,
		PersonID:   personID,
		CreatedAt:  now,
	}
	if err := s.Store.SendActivation(ctx, a, m); err != nil {
		return err
	}
	s.log().InfoContext(ctx, "account request: activation link sent", "customer", cid, "person", personID)
	return nil
}

// ActivationInput is a confirmed activation link (account request or
// invitation) with the password chosen.
type ActivationInput struct {
	Token     string
	Password  string
	IP        string
	UserAgent string
}

// ConfirmActivation consumes an activation link (single use) and sets the
// person's password, or creates the contract holder's admin login when the
// link names no person. It returns the login to use (the email).
func (s *Recovery) ConfirmActivation(ctx context.Context, in ActivationInput) (string, error) {
	now := s.Clock.Now()
	tokHash := recHash(in.Token)
	a, err := s.Store.Activation(ctx, tokHash)
	if recNotFound(err) {
		return "", errRecActivation
	}
	if err != nil {
		return "", err
	}
	if !now.Before(a.ExpiresAt) || (a.Purpose != clientzone.ActivationAccountRequest && a.Purpose != clientzone.ActivationInvitation) {
		return "", errRecActivation
	}
	pwHash, err := s.Hasher.Hash(in.Password)
	if err != nil {
		return "", err
	}
	audit := &clientzone.AuditEntry{
		CustomerID: a.CustomerID, At: now, Action: "account.activate",
		IP: in.IP, UserAgent: truncate(in.UserAgent, 256), Details: map[string]string{"purpose": a.Purpose},
	}
	if a.PersonID != "" {
		p, err := s.Store.Person(ctx, a.CustomerID, a.PersonID)
		if recNotFound(err) {
			return "", errRecActivation
		}
		if err != nil {
			return "", err
		}
		if p.Disabled {
			return "", errRecActivation
		}
		audit.ActorID, audit.TargetID = p.ID, p.ID
		if err := s.Store.ActivatePerson(ctx, tokHash, p.CustomerID, p.ID, pwHash, audit, errRecActivation); err != nil {
			return "", err
		}
		login := p.Email
		if login == "" {
			login = p.Username
		}
		return login, nil
	}

	// The contract holder's own login: a new admin person.
	cust, err := s.Store.Customer(ctx, a.CustomerID)
	if recNotFound(err) {
		return "", errRecActivation
	}
	if err != nil {
		return "", err
	}
	persons, err := s.Store.Persons(ctx, a.CustomerID)
	if err != nil {
		return "", err
	}
	exists := map[string]bool{}
	for _, p := range persons {
		exists[p.ID] = true
		if recSameEmail(p.Email, a.Email) {
			return "", errRecHolderTaken
		}
	}
	contracts, err := s.Store.Contracts(ctx, a.CustomerID)
	if err != nil {
		return "", err
	}
	// Contract-number logins reserved for the holder (pointing at no
	// existing person) move to the new admin.
	relink := map[string]string{}
	for _, c := range contracts {
		if len(relink) == recMaxRelink {
			break
		}
		cid, pid, err := s.Store.ContractLogin(ctx, c.Number)
		if recNotFound(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		if cid == a.CustomerID && !exists[pid] {
			relink[c.Number] = pid
		}
	}
	email := a.Email
	if email == "" {
		email = cust.Email
	}
	p := &clientzone.Person{
		ID:            clientzone.NewID(),
		CustomerID:    cust.ID,
		Name:          cust.Name,
		Email:         strings.TrimSpace(email),
		Phone:         cust.Phone,
		Role:          clientzone.RoleAdmin,
		Rights:        []clientzone.Right{},
		Language:      s.lang(nil),
		Notifications: clientzone.Notifications{Invoices: true, Expiry: true, Outages: true},
		PasswordHash:  pwHash,
		CreatedAt:     now,
	}
	audit.ActorID, audit.TargetID = p.ID, p.ID
	audit.Details["created"] = "admin"
	if err := s.Store.ActivateHolder(ctx, tokHash, p, relink, audit, errRecActivation, errRecHolderTaken); err != nil {
		return "", err
	}
	s.log().InfoContext(ctx, "account activated: holder admin created", "customer", cust.ID, "person", p.ID)
	return p.Email, nil
}

// ResetRequest asks for a password reset: by Login and Channel ("email" or
// "sms"), or (NetbyNet variant) by AccountNumber and the Phone on the
// contract.
type ResetRequest struct {
	Login         string
	Channel       string
	AccountNumber string
	Phone         string
}

// ResetStarted is the neutral outcome of a reset request: the same for
// known and unknown accounts.
type ResetStarted struct {
	ID      string
	Channel string
}

// RequestPasswordReset starts a password reset: a link by email (30 min) or
// a 6-digit code by SMS (10 min). Unknown accounts, mismatching phones and
// rate-limited requests get the same answer, and nothing is sent.
func (s *Recovery) RequestPasswordReset(ctx context.Context, in ResetRequest) (*ResetStarted, error) {
	now := s.Clock.Now()
	id, err := recRandom(16)
	if err != nil {
		return nil, err
	}
	channel := in.Channel
	if in.AccountNumber != "" {
		channel = clientzone.ChannelSMS
	}
	out := &ResetStarted{ID: id, Channel: channel}

	var target *clientzone.Person
	var to string
	if in.AccountNumber != "" {
		cid, pid, err := s.Store.ContractLogin(ctx, in.AccountNumber)
		if recNotFound(err) {
			cid, pid = clientzone.NewID(), clientzone.NewID()
		} else if err != nil {
			return nil, err
		}
		cust, err := s.Store.Customer(ctx, cid)
		if err != nil && !recNotFound(err) {
			return nil, err
		}
		holder, err := s.Store.Person(ctx, cid, pid)
		if err != nil && !recNotFound(err) {
			return nil, err
		}
		if cust != nil && holder != nil && !holder.Disabled {
			switch {
			case recSamePhone(cust.Phone, in.Phone):
				target, to = holder, cust.Phone
			case recSamePhone(holder.Phone, in.Phone):
				target, to = holder, holder.Phone
			}
		}
	} else {
		p, err := s.Store.PersonByLogin(ctx, in.Login)
		if recNotFound(err) {
			p = nil
			// PersonByLogin reads twice for a known login: read as much.
			if _, err := s.Store.Person(ctx, clientzone.NewID(), clientzone.NewID()); err != nil && !recNotFound(err) {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
		cid := clientzone.NewID()
		if p != nil {
			cid = p.CustomerID
		}
		cust, err := s.Store.Customer(ctx, cid)
		if err != nil && !recNotFound(err) {
			return nil, err
		}
		if p != nil && !p.Disabled {
			target = p
			switch {
			case channel == clientzone.ChannelEmail:
				to = p.Email
			case p.Phone != "":
				to = p.Phone
			case cust != nil:
				to = cust.Phone
			}
		}
	}

	var secret, secretHash string
	ttl := clientzone.ResetCodeTTL
	if channel == clientzone.ChannelSMS {
		if secret, err = recNewCode(); err != nil {
			return nil, err
		}
		secretHash = recHashCode(id, secret)
	} else {
		ttl = clientzone.ResetLinkTTL
		rnd, err := recRandom(32)
		if err != nil {
			return nil, err
		}
		secret = id + "." + rnd
		secretHash = recHash(secret)
	}

	limitKey := "password-reset-" + channel + "#"
	allowed := false
	if target != nil && to != "" {
		if allowed, err = s.Store.HitIfBelow(ctx, limitKey+target.ID, time.Hour, now, ResetMessagesPerHour); err != nil {
			return nil, err
		}
	} else if _, err := s.Store.Hits(ctx, limitKey+id, time.Hour, now); err != nil {
		return nil, err
	}
	if !allowed {
		s.log().InfoContext(ctx, "password reset: nothing sent", "known", target != nil, "channel", channel)
		return out, nil
	}

	r := &clientzone.PasswordReset{
		ID:         id,
		CustomerID: target.CustomerID,
		PersonID:   target.ID,
		Channel:    channel,
		SecretHash: secretHash,
		CreatedAt:  now,
		ExpiresAt:  now.Add(ttl),
	}
	m := &clientzone.Message{
		Channel:    channel,
		To:         to,
		Language:   s.lang(target),
		CustomerID: target.CustomerID,
		PersonID:   target.ID,
		CreatedAt:  now,
	}
	if channel == clientzone.ChannelSMS {
		m.Template = "password-reset-code"
		m.Data = map[string]string{"code": secret, "name": target.Name, "minutes": fmt.Sprint(int(ttl.Minutes()))}
	} else {
		m.Template = "password-reset-link"
		m.Data = map[string]string{"link": recLink(s.ResetURLBase, secret), "name": target.Name, "minutes": fmt.Sprint(int(ttl.Minutes()))}
	}
	if err := s.Store.StartPasswordReset(ctx, r, m); err != nil {
		return nil, err
	}
	s.log().InfoContext(ctx, "password reset: sent", "customer", target.CustomerID, "person", target.ID, "channel", channel)
	return out, nil
}

// ResetConfirmation completes a reset with ResetID and the SMS Code, or
// with the emailed link Token.
type ResetConfirmation struct {
	ResetID     string
	Code        string
	Token       string
	NewPassword string
	IP          string
	UserAgent   string
}

// ConfirmPasswordReset checks the code or link and sets the new password.
// A wrong code counts as an attempt; after ResetMaxAttempts the reset is
// dead. Success logs the person out everywhere.
func (s *Recovery) ConfirmPasswordReset(ctx context.Context, in ResetConfirmation) error {
	now := s.Clock.Now()
	var id, secretHash string
	invalid := errRecResetCode
	if in.Token != "" {
		invalid = errRecResetToken
		var ok bool
		if id, _, ok = strings.Cut(in.Token, "."); !ok || id == "" {
			return invalid
		}
		secretHash = recHash(in.Token)
	} else {
		id = in.ResetID
		secretHash = recHashCode(id, in.Code)
	}
	r, err := s.Store.PasswordReset(ctx, id)
	if recNotFound(err) {
		return invalid
	}
	if err != nil {
		return err
	}
	if !now.Before(r.ExpiresAt) || r.Attempts >= clientzone.ResetMaxAttempts {
		return invalid
	}
	if subtle.ConstantTimeCompare([]byte(r.SecretHash), []byte(secretHash)) != 1 {
		n, err := s.Store.CountPasswordResetFailure(ctx, id, clientzone.ResetMaxAttempts)
		if err != nil && !recNotFound(err) {
			return err
		}
		s.log().InfoContext(ctx, "password reset: wrong code", "reset", id, "attempts", n)
		return invalid
	}
	p, err := s.Store.Person(ctx, r.CustomerID, r.PersonID)
	if recNotFound(err) {
		return invalid
	}
	if err != nil {
		return err
	}
	if p.Disabled {
		return invalid
	}
	pwHash, err := s.Hasher.Hash(in.NewPassword)
	if err != nil {
		return err
	}
	audit := &clientzone.AuditEntry{
		CustomerID: p.CustomerID, At: now, Action: "password.reset", ActorID: p.ID, TargetID: p.ID,
		IP: in.IP, UserAgent: truncate(in.UserAgent, 256), Details: map[string]string{"channel": r.Channel},
	}
	var m *clientzone.Message
	if p.Email != "" {
		m = &clientzone.Message{
			Channel: clientzone.ChannelEmail, To: p.Email, Template: "password-changed", Language: s.lang(p),
			Data: map[string]string{"name": p.Name}, CustomerID: p.CustomerID, PersonID: p.ID, CreatedAt: now,
		}
	}
	if err := s.Store.CompletePasswordReset(ctx, r, pwHash, audit, m, invalid); err != nil {
		return err
	}
	s.log().InfoContext(ctx, "password reset: completed", "customer", p.CustomerID, "person", p.ID)
	return nil
}

// IssueTemporaryPassword gives a person a random, readable password that
// staff read to the customer; it must be changed at the next login, and
// every existing session of the person ends.
func (s *Recovery) IssueTemporaryPassword(ctx context.Context, cid, pid, ip, userAgent string) (string, error) {
	now := s.Clock.Now()
	if _, err := s.Store.Person(ctx, cid, pid); err != nil {
		return "", err
	}
	pw, err := NewTemporaryPassword()
	if err != nil {
		return "", err
	}
	pwHash, err := s.Hasher.Hash(pw)
	if err != nil {
		return "", err
	}
	audit := &clientzone.AuditEntry{
		CustomerID: cid, At: now, Action: "password.temporary", ActorID: "backoffice", TargetID: pid,
		IP: ip, UserAgent: truncate(userAgent, 256),
	}
	if err := s.Store.SetTemporaryPassword(ctx, cid, pid, pwHash, audit, clientzone.NotFound("Person")); err != nil {
		return "", err
	}
	s.log().InfoContext(ctx, "temporary password issued", "customer", cid, "person", pid)
	return pw, nil
}

// recTempAlphabet leaves out look-alikes (0/O/o, 1/l/I).
const recTempAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"

// NewTemporaryPassword returns a random readable password of
// TemporaryPasswordLength characters with upper and lower case letters and
// digits.
func NewTemporaryPassword() (string, error) {
	for {
		b := make([]byte, TemporaryPasswordLength)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(recTempAlphabet))))
			if err != nil {
				return "", err
			}
			b[i] = recTempAlphabet[n.Int64()]
		}
		pw := string(b)
		if strings.ContainsAny(pw, "ABCDEFGHJKLMNPQRSTUVWXYZ") && strings.ContainsAny(pw, "abcdefghijkmnpqrstuvwxyz") && strings.ContainsAny(pw, "23456789") {
			return pw, nil
		}
	}
}

func recNotFound(err error) bool { return clientzone.ErrorCode(err) == clientzone.ENOTFOUND }

func recKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func recSameEmail(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a != "" && strings.EqualFold(a, b)
}

// recNormalizePhone keeps the leading "+" and the digits of a phone number.
func recNormalizePhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func recSamePhone(stored, given string) bool {
	a, b := recNormalizePhone(stored), recNormalizePhone(given)
	return len(a) > 4 && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// recRandom returns n random bytes, base64url without padding.
func recRandom(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// recActivationToken returns a 256-bit link token and its stored hash.
func recActivationToken() (tok, hash string, err error) {
	if tok, err = recRandom(32); err != nil {
		return "", "", err
	}
	return tok, recHash(tok), nil
}

// recNewCode returns a uniformly random 6-digit code.
func recNewCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// recHash is the stored form of a link token (SHA-256, hex).
func recHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// recHashCode is the stored form of an SMS code, bound to its reset.
func recHashCode(resetID, code string) string { return recHash(resetID + ":" + code) }

func recLink(base, tok string) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "token=" + url.QueryEscape(tok)
}
