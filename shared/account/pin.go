package account

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
)

// PINStore is what PIN step-up verification needs.
type PINStore interface {
	PIN(ctx context.Context, cid string) (*clientzone.PIN, error)
	ResetPINFailures(ctx context.Context, cid string) error
	ReservePINAttempt(ctx context.Context, cid string, now time.Time, max int, lockFor time.Duration) (last bool, lockedUntil time.Time, err error)
}

// PINVerifier checks the customer's authorization PIN: the step-up that
// requests changing or affecting the service (billing data, tariff change,
// suspension, termination, standing order, direct debit) require. Wrong PINs
// are counted atomically; the 5th in a row locks the PIN for an hour.
type PINVerifier struct {
	Store  PINStore
	Hasher *password.Hasher
	Clock  clientzone.Clock
}

// Step-up errors.
var (
	ErrPINRequired = clientzone.Errorf(clientzone.EPINREQUIRED, "This action needs your authorization PIN.")
	ErrPINNotSet   = clientzone.Errorf(clientzone.EPINREQUIRED, "No authorization PIN is set for your account; ask support to send you one.")
	ErrPINInvalid  = clientzone.Errorf(clientzone.EPININVALID, "The authorization PIN is wrong.")
)

// PINLockedError says until when (UTC) the PIN is locked.
func PINLockedError(until time.Time) *clientzone.Error {
	return clientzone.Errorf(clientzone.EPINLOCKED, "Too many wrong PINs; the authorization PIN is locked until %s.", until.UTC().Format(time.RFC3339))
}

// ValidPINFormat reports whether pin is 4 to 8 ASCII digits.
func ValidPINFormat(pin string) bool {
	if len(pin) < clientzone.PINMinLength || len(pin) > clientzone.PINMaxLength {
		return false
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// WeakPIN reports whether a well-formed pin is one digit repeated (1111) or
// an ascending or descending run (1234, 9876; wrapping 8901 included).
func WeakPIN(pin string) bool {
	same, up, down := true, true, true
	for i := 1; i < len(pin); i++ {
		a, b := int(pin[i-1]-'0'), int(pin[i]-'0')
		same = same && a == b
		up = up && b == (a+1)%10
		down = down && b == (a+9)%10
	}
	return same || up || down
}

// Verify checks pin for customer cid. The answer is nil for the right PIN;
// otherwise EPINREQUIRED (no PIN given, or none set), EPININVALID (wrong,
// counted) or EPINLOCKED (locked, or this wrong PIN locked it).
func (v *PINVerifier) Verify(ctx context.Context, cid, pin string) error {
	if pin == "" {
		return ErrPINRequired
	}
	p, err := v.Store.PIN(ctx, cid)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return ErrPINNotSet
	}
	if err != nil {
		return err
	}
	now := v.Clock.Now()
	if p.Locked(now) {
		return PINLockedError(p.LockedUntil)
	}
	// Count the attempt before the (slow) hash check: parallel guesses can
	// then never get more than PINMaxFailures checks per lock period. The
	// attempt that reaches the limit sets the lock but is still checked (a
	// right PIN clears it); attempts after it are refused unchecked.
	last, until, err := v.Store.ReservePINAttempt(ctx, cid, now, clientzone.PINMaxFailures, clientzone.PINLockDuration)
	if err != nil {
		return err
	}
	if !until.IsZero() && !last {
		return PINLockedError(until)
	}
	if ValidPINFormat(pin) {
		_, err := v.Hasher.Verify(pin, p.Hash)
		switch {
		case err == nil:
			return v.Store.ResetPINFailures(ctx, cid)
		case !errors.Is(err, password.ErrMismatch):
			return fmt.Errorf("account: PIN hash of customer %s: %w", cid, err)
		}
	}
	if last {
		return PINLockedError(until)
	}
	return ErrPINInvalid
}

// PINServiceStore is the persistence of PIN issue and change and of the
// customer's billing data.
type PINServiceStore interface {
	PINStore
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Persons(ctx context.Context, cid string) ([]*clientzone.Person, error)
	SavePIN(ctx context.Context, cid, hash string, now time.Time, msg *clientzone.Message, audit *clientzone.AuditEntry) error
	Hits(ctx context.Context, name string, window time.Duration, now time.Time) (int, error)
	Hit(ctx context.Context, name string, window time.Duration, now time.Time) (int, error)
	// UpdateBillingData writes the given Billing* fields of next while the
	// customer's billing data is still old's (else ErrBillingDataChanged).
	UpdateBillingData(ctx context.Context, old, next *clientzone.Customer, fields []string, audit *clientzone.AuditEntry, msg *clientzone.Message) error
}

// PINService issues and changes authorization PINs and manages the billing
// data they protect.
type PINService struct {
	Store  PINServiceStore
	Hasher *password.Hasher
	Clock  clientzone.Clock
	// DefaultLanguage is used for SMS to customers without an admin person.
	DefaultLanguage clientzone.Language
	// PasswordCounter names the rate-limit counter of a person's wrong
	// passwords (shared with failed logins).
	PasswordCounter func(personID string) string
	Logger          *slog.Logger
}

// Wrong password confirmations, counted with failed logins (SPEC: at most
// 10 per account per hour).
const (
	PasswordFailuresPerHour = 10
	issuedPINDigits         = 6
)

// Verifier returns the step-up verifier sharing s's store, hasher and clock.
func (s *PINService) Verifier() *PINVerifier {
	return &PINVerifier{Store: s.Store, Hasher: s.Hasher, Clock: s.Clock}
}

// IssuedPIN says where a back-office issued PIN went (never the PIN).
type IssuedPIN struct {
	SentTo string
}

// IssuePIN generates a random 6-digit PIN for customer cid, stores its hash
// (clearing failures and lock) and sends it by SMS to the customer's phone,
// in one transaction with the audit entry.
func (s *PINService) IssuePIN(ctx context.Context, cid, ip, userAgent string) (*IssuedPIN, error) {
	c, err := s.Store.Customer(ctx, cid)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return nil, errNoCustomer
	}
	if err != nil {
		return nil, err
	}
	if c.Phone == "" {
		return nil, clientzone.Errorf(clientzone.ECONFLICT, "The customer has no phone number to send the PIN to.")
	}
	lang := s.DefaultLanguage
	if c.Language != "" {
		lang = c.Language
	}
	persons, err := s.Store.Persons(ctx, cid)
	if err != nil {
		return nil, err
	}
	for _, p := range persons {
		if p.Role == clientzone.RoleAdmin && !p.Disabled && p.Language != "" {
			lang = p.Language
			break
		}
	}
	if lang == "" {
		lang = clientzone.LangEN
	}
	pin, err := randomPIN(issuedPINDigits)
	if err != nil {
		return nil, err
	}
	hash, err := s.Hasher.Hash(pin)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	msg := &clientzone.Message{Channel: clientzone.ChannelSMS, To: c.Phone, Template: "pin-issued", Language: lang,
		Data: map[string]string{"pin": pin}, CustomerID: cid, CreatedAt: now}
	audit := &clientzone.AuditEntry{CustomerID: cid, At: now, Action: "pin.issue", ActorID: "backoffice",
		IP: ip, UserAgent: truncate(userAgent, 256), Details: map[string]string{"sentTo": MaskPhone(c.Phone)}}
	if err := s.Store.SavePIN(ctx, cid, hash, now, msg, audit); err != nil {
		if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
			return nil, errNoCustomer
		}
		return nil, err
	}
	return &IssuedPIN{SentTo: MaskPhone(c.Phone)}, nil
}

var errNoCustomer = clientzone.Errorf(clientzone.ENOTFOUND, "No customer with this id.")

func (s *PINService) customer(ctx context.Context, cid string) (*clientzone.Customer, error) {
	c, err := s.Store.Customer(ctx, cid)
	if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
		return nil, errNoCustomer
	}
	return c, err
}

// randomPIN draws a uniformly random n-digit PIN that is not weak.
func randomPIN(n int) (string, error) {
	limit := big.NewInt(1)
	for range n {
		limit.Mul(limit, big.NewInt(10))
	}
	for {
		v, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return "", err
		}
		pin := fmt.Sprintf("%0*d", n, v)
		if !WeakPIN(pin) {
			return pin, nil
		}
	}
}

// MaskPhone shows a phone number with only its prefix and last 3 digits:
// "+421900123456" → "+421 *** *** 456".
func MaskPhone(phone string) string {
	var digits []rune
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	if len(digits) < 7 {
		return "***"
	}
	prefix := ""
	if strings.HasPrefix(strings.TrimSpace(phone), "+") {
		prefix = "+"
	}
	return prefix + string(digits[:3]) + " *** *** " + string(digits[len(digits)-3:])
}

// ChangePINInput is a person's request to change the customer's PIN.
type ChangePINInput struct {
	Person    *clientzone.Person
	Password  string
	NewPIN    string
	IP        string
	UserAgent string
}

// ChangePIN re-authenticates the person with their password and sets the
// customer's new PIN (clearing failures and lock); the customer's phone gets
// an SMS saying so (without the PIN).
func (s *PINService) ChangePIN(ctx context.Context, in ChangePINInput) error {
	switch {
	case !ValidPINFormat(in.NewPIN):
		return fieldError("newPin", "format", "The PIN must be 4 to 8 digits.")
	case WeakPIN(in.NewPIN):
		return fieldError("newPin", "weak", "Choose a PIN that is not one repeated digit or a run like 1234.")
	}
	p := in.Person
	now := s.Clock.Now()
	counter := "pin-change-pw#" + p.ID
	if s.PasswordCounter != nil {
		counter = s.PasswordCounter(p.ID)
	}
	n, err := s.Store.Hits(ctx, counter, time.Hour, now)
	if err != nil {
		return err
	}
	if n >= PasswordFailuresPerHour {
		s.Hasher.VerifyDummy(in.Password)
		return clientzone.Errorf(clientzone.ERATELIMITED, "Too many wrong password confirmations; try again in an hour.")
	}
	if _, err := s.Hasher.Verify(in.Password, p.PasswordHash); err != nil {
		if !errors.Is(err, password.ErrMismatch) && s.Logger != nil {
			s.Logger.ErrorContext(ctx, "unusable password hash", "person", p.ID, "err", err)
		}
		if _, err := s.Store.Hit(ctx, counter, time.Hour, now); err != nil {
			return err
		}
		return fieldError("password", "incorrect", "The password you entered is not correct.")
	}
	c, err := s.customer(ctx, p.CustomerID)
	if err != nil {
		return err
	}
	hash, err := s.Hasher.Hash(in.NewPIN)
	if err != nil {
		return err
	}
	var msg *clientzone.Message
	if c.Phone != "" {
		lang := p.Language
		if lang == "" {
			lang = s.DefaultLanguage
		}
		msg = &clientzone.Message{Channel: clientzone.ChannelSMS, To: c.Phone, Template: "pin-changed", Language: lang,
			Data: map[string]string{"changedBy": p.Name}, CustomerID: c.ID, PersonID: p.ID, CreatedAt: now}
	}
	audit := &clientzone.AuditEntry{CustomerID: c.ID, At: now, Action: "pin.change", ActorID: p.ID,
		IP: in.IP, UserAgent: truncate(in.UserAgent, 256)}
	return s.Store.SavePIN(ctx, c.ID, hash, now, msg, audit)
}

func fieldError(field, code, msg string) *clientzone.Error {
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: field, Code: code, Message: msg}}}
}

// CustomerView is the customer's billing data with whether a PIN is set.
type CustomerView struct {
	clientzone.Customer
	PINSet bool `json:"pinSet"`
}

// Customer returns customer cid's billing data.
func (s *PINService) Customer(ctx context.Context, cid string) (*CustomerView, error) {
	c, err := s.customer(ctx, cid)
	if err != nil {
		return nil, err
	}
	v := &CustomerView{Customer: *c}
	_, err = s.Store.PIN(ctx, cid)
	switch clientzone.ErrorCode(err) {
	case "":
		v.PINSet = true
	case clientzone.ENOTFOUND:
	default:
		return nil, err
	}
	return v, nil
}

// Billing-data fields, by their JSON names, as UpdateBillingData passes
// them to the store (and names them in the audit entry and the email).
const (
	BillingName      = "name"
	BillingEmail     = "email"
	BillingPhone     = "phone"
	BillingAddress   = "billingAddress"
	BillingCompanyID = "companyId"
	BillingVATID     = "vatId"
)

// ErrBillingDataChanged is the conflict of billing data changed by someone
// else between reading and writing it.
var ErrBillingDataChanged = clientzone.Errorf(clientzone.ECONFLICT, "The billing data was changed concurrently; try again.")

// BillingDataChange is the set of billing fields to change (nil: keep).
type BillingDataChange struct {
	PIN            string
	Name           *string
	Email          *string
	Phone          *string
	BillingAddress *clientzone.Address
	CompanyID      *string
	VATID          *string
}

// UpdateBillingData checks the PIN, then writes the changed fields with an
// optimistic condition on the customer as read, an audit entry naming the
// changed fields and an email to the (old) contact email, in one
// transaction.
func (s *PINService) UpdateBillingData(ctx context.Context, by *clientzone.Person, ch BillingDataChange, ip, userAgent string) (*CustomerView, error) {
	if err := s.Verifier().Verify(ctx, by.CustomerID, ch.PIN); err != nil {
		return nil, err
	}
	old, err := s.customer(ctx, by.CustomerID)
	if err != nil {
		return nil, err
	}
	next := *old
	var fields []string
	set := func(name string, dst *string, v *string) {
		if v != nil && *v != *dst {
			*dst = *v
			fields = append(fields, name)
		}
	}
	set(BillingName, &next.Name, ch.Name)
	set(BillingEmail, &next.Email, ch.Email)
	set(BillingPhone, &next.Phone, ch.Phone)
	if ch.BillingAddress != nil && *ch.BillingAddress != next.BillingAddress {
		next.BillingAddress = *ch.BillingAddress
		fields = append(fields, BillingAddress)
	}
	set(BillingCompanyID, &next.CompanyID, ch.CompanyID)
	set(BillingVATID, &next.VATID, ch.VATID)
	if len(fields) > 0 {
		now := s.Clock.Now()
		lang := by.Language
		if lang == "" {
			lang = s.DefaultLanguage
		}
		audit := &clientzone.AuditEntry{CustomerID: old.ID, At: now, Action: "billing-data.update", ActorID: by.ID,
			IP: ip, UserAgent: truncate(userAgent, 256), Details: map[string]string{"fields": strings.Join(fields, ",")}}
		var msg *clientzone.Message
		if old.Email != "" {
			msg = &clientzone.Message{Channel: clientzone.ChannelEmail, To: old.Email, Template: "billing-data-changed", Language: lang,
				Data: map[string]string{"fields": strings.Join(fields, ","), "changedBy": by.Name}, CustomerID: old.ID, PersonID: by.ID, CreatedAt: now}
		}
		if err := s.Store.UpdateBillingData(ctx, old, &next, fields, audit, msg); err != nil {
			return nil, err
		}
	}
	return s.Customer(ctx, by.CustomerID)
}
