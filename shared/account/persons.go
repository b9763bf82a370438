package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/password"
)

// PersonsStore is the persistence persons management needs.
type PersonsStore interface {
	Persons(ctx context.Context, cid string) ([]*clientzone.Person, error)
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	PersonForUpdate(ctx context.Context, cid, pid string) (*PersonSnapshot, error)
	// CreateInvitedPerson fails with LoginTakenError when another login
	// holds the person's email or username.
	CreateInvitedPerson(ctx context.Context, p *clientzone.Person, a *clientzone.Activation, m *clientzone.Message, e *clientzone.AuditEntry) error
	// UpdatePersonChecked fails with ErrPersonChanged when the person is no
	// longer as read, or otherAdminID is no longer an enabled admin.
	UpdatePersonChecked(ctx context.Context, before *PersonSnapshot, after *clientzone.Person, otherAdminID string, e *clientzone.AuditEntry) error
	// ImportPerson fails with LoginTakenError(kind, fieldPrefix+kind) when
	// another login holds an alias of p.
	ImportPerson(ctx context.Context, p *clientzone.Person, e *clientzone.AuditEntry, fieldPrefix string) error
	AuditLog(ctx context.Context, cid string, limit int, cursor string) (*AuditPage, error)
}

// PersonSnapshot is a person as read for an update. Version is the store's
// record of the state that was read, opaque to the use case: the update
// (PersonsStore.UpdatePersonChecked) is written only while the stored
// person is still in exactly that state, whoever else writes the person
// (profile edits, password changes, hash upgrades).
type PersonSnapshot struct {
	Person  *clientzone.Person
	Version any
}

// AuditPage is a page of audit entries, newest first.
type AuditPage struct {
	Entries    []clientzone.AuditEntry
	NextCursor string
}

// ErrPersonChanged is the conflict of a person (or the admin who was to
// remain) changed by someone else since it was read.
var ErrPersonChanged = clientzone.Errorf(clientzone.ECONFLICT, "Someone else changed this person meanwhile; reload and try again.")

// LoginTakenError is the conflict of a login alias (kind
// clientzone.LoginEmail or LoginUsername) that another login already
// holds, reported on field.
func LoginTakenError(kind, field string) *clientzone.Error {
	msg := "This email address is already taken by another login."
	if kind == clientzone.LoginUsername {
		msg = "This username is already taken by another login."
	}
	return &clientzone.Error{
		Code:    clientzone.ECONFLICT,
		Message: msg,
		Fields:  []clientzone.FieldError{{Field: field, Code: "taken", Message: "Another login already uses this value."}},
	}
}

// InvitationTTL is how long an invitation link of a new person is valid.
const InvitationTTL = 7 * 24 * time.Hour

// Persons implements persons management by a customer's admins, the audit
// log and the back-office import of legacy persons.
type Persons struct {
	Store PersonsStore
	Clock clientzone.Clock
	// ActivationURLBase is the web page that takes ?token=… and lets the
	// invited person set a password (POST /v1/account-requests/confirm).
	ActivationURLBase string
}

// Actor is who makes a change, for the audit log.
type Actor struct {
	Person    *clientzone.Person // nil for the back office
	ActorID   string             // person id, or "backoffice"
	IP        string
	UserAgent string
	Details   map[string]string // extra audit details (e.g. the IAM user)
}

func (a Actor) audit(cid, action, target string, now time.Time, details map[string]string) *clientzone.AuditEntry {
	for k, v := range a.Details {
		if _, ok := details[k]; !ok {
			details[k] = v
		}
	}
	return &clientzone.AuditEntry{CustomerID: cid, At: now, Action: action, ActorID: a.ActorID, TargetID: target,
		IP: a.IP, UserAgent: truncate(a.UserAgent, 256), Details: details}
}

// normalizeRights returns rights without duplicates in the canonical order
// of clientzone.AllRights (never nil).
func normalizeRights(rs []clientzone.Right) []clientzone.Right {
	out := []clientzone.Right{}
	for _, r := range clientzone.AllRights {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

func rightsString(p *clientzone.Person) string {
	if p.Role == clientzone.RoleAdmin {
		return "all"
	}
	s := make([]string, len(p.Rights))
	for i, r := range p.Rights {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// ListPersons returns every person of customer cid, sorted by name.
func (s *Persons) ListPersons(ctx context.Context, cid string) ([]*clientzone.Person, error) {
	ps, err := s.Store.Persons(ctx, cid)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := strings.ToLower(ps[i].Name), strings.ToLower(ps[j].Name)
		if a != b {
			return a < b
		}
		return ps[i].ID < ps[j].ID
	})
	return ps, nil
}

// GetPerson returns person pid of customer cid (another customer's person
// is NotFound).
func (s *Persons) GetPerson(ctx context.Context, cid, pid string) (*clientzone.Person, error) {
	snap, err := s.Store.PersonForUpdate(ctx, cid, pid)
	if err != nil {
		return nil, err
	}
	return snap.Person, nil
}

// NewPerson is what an admin enters to create a person.
type NewPerson struct {
	Name          string
	Email         string
	Username      string
	Phone         string
	Role          clientzone.Role
	Rights        []clientzone.Right // ignored for admins, who hold every right
	Language      clientzone.Language
	Notifications *clientzone.Notifications // nil: everything but news
}

// CreatePerson creates a person without a password on the actor's customer
// and invites them: one transaction writes the person, its login aliases
// (taken ones are a conflict on the field), the invitation (only the
// SHA-256 of its token), the invitation email and the audit entry.
func (s *Persons) CreatePerson(ctx context.Context, actor Actor, in NewPerson) (*clientzone.Person, error) {
	if err := checkUsername(in.Username, "username"); err != nil {
		return nil, err
	}
	cid := actor.Person.CustomerID
	cust, err := s.Store.Customer(ctx, cid)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	p := &clientzone.Person{
		ID:         clientzone.NewID(),
		CustomerID: cid,
		Name:       strings.TrimSpace(in.Name),
		Email:      strings.TrimSpace(in.Email),
		Username:   strings.TrimSpace(in.Username),
		Phone:      in.Phone,
		Role:       in.Role,
		Rights:     normalizeRights(in.Rights),
		Language:   in.Language,
		CreatedAt:  now,
		// PasswordHash stays empty: nobody can log in as this person until
		// they set a password through the invitation link.
	}
	if p.Role == clientzone.RoleAdmin {
		p.Rights = []clientzone.Right{}
	}
	if in.Notifications != nil {
		p.Notifications = *in.Notifications
	} else {
		p.Notifications = clientzone.Notifications{Invoices: true, Expiry: true, Outages: true}
	}
	tok, hash, err := newInvitationToken()
	if err != nil {
		return nil, err
	}
	act := &clientzone.Activation{TokenHash: hash, Purpose: clientzone.ActivationInvitation, CustomerID: cid,
		PersonID: p.ID, Email: p.Email, ExpiresAt: now.Add(InvitationTTL)}
	msg := &clientzone.Message{Channel: clientzone.ChannelEmail, To: p.Email, Template: "person-invitation", Language: p.Language,
		Data: map[string]string{
			"link":         invitationLink(s.ActivationURLBase, tok),
			"inviterName":  actor.Person.Name,
			"customerName": cust.Name,
			"personName":   p.Name,
			"expiresAt":    act.ExpiresAt.Format(time.RFC3339),
		},
		CustomerID: cid, PersonID: p.ID, CreatedAt: now}
	audit := actor.audit(cid, "person.create", p.ID, now, map[string]string{
		"role": string(p.Role), "rights": rightsString(p), "email": p.Email})
	if err := s.Store.CreateInvitedPerson(ctx, p, act, msg, audit); err != nil {
		return nil, err
	}
	return p, nil
}

// newInvitationToken returns 256 random bits (base64url) and the hash that
// is stored in place of it.
func newInvitationToken() (tok, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	tok = base64.RawURLEncoding.EncodeToString(b)
	return tok, HashInvitationToken(tok), nil
}

// HashInvitationToken is the stored form (Activation.TokenHash) of an
// invitation token: hex SHA-256 of the token as it appears in the link.
func HashInvitationToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

func invitationLink(base, tok string) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "token=" + url.QueryEscape(tok)
}

func checkUsername(u, field string) error {
	u = strings.TrimSpace(u)
	if u == "" {
		return nil
	}
	allDigits := strings.Trim(u, "0123456789") == ""
	if strings.ContainsAny(u, "@ \t\r\n") || allDigits {
		return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
			Fields: []clientzone.FieldError{{Field: field, Code: "username",
				Message: "A username may not contain @ or spaces and may not be only digits."}}}
	}
	return nil
}

// PersonChanges are the fields an admin changes; nil leaves a field as is.
type PersonChanges struct {
	Name          *string
	Phone         *string // "" removes the phone number
	Role          *clientzone.Role
	Rights        *[]clientzone.Right // ignored while the person is (or becomes) an admin
	Language      *clientzone.Language
	Notifications *clientzone.Notifications
	Disabled      *bool
}

var (
	errLastAdmin = clientzone.Errorf(clientzone.ECONFLICT,
		"The last active administrator cannot be demoted or disabled; make another person an administrator first.")
	errSelfDisable = clientzone.Errorf(clientzone.ECONFLICT, "You cannot disable your own login.")
)

// PersonsMessages lists the client-facing messages of persons management
// (the HTTP layer's catalog test checks they are translated).
var PersonsMessages = []string{
	errLastAdmin.Message, errSelfDisable.Message,
	"A username may not contain @ or spaces and may not be only digits.",
	"Use a bcrypt, MD5-crypt or argon2id hash.",
	"This value appears twice in the import.",
	ErrPersonChanged.Message,
	LoginTakenError(clientzone.LoginEmail, "email").Message,
	LoginTakenError(clientzone.LoginUsername, "username").Message,
	"Another login already uses this value.",
}

// UpdatePerson applies changes to person pid of the actor's customer.
// Rules: an admin cannot disable themselves; the last active admin cannot
// be demoted or disabled; a change of role, rights or disabled bumps the
// person's token version, so their access tokens stop working at once. The
// write is conditioned on the person as read (a concurrent change is a
// conflict) and audited with the changed fields.
func (s *Persons) UpdatePerson(ctx context.Context, actor Actor, pid string, ch PersonChanges) (*clientzone.Person, error) {
	return s.update(ctx, actor, pid, ch, "person.update")
}

// DisablePerson disables person pid (soft delete) with the rules of
// UpdatePerson; disabling a disabled person changes nothing.
func (s *Persons) DisablePerson(ctx context.Context, actor Actor, pid string) (*clientzone.Person, error) {
	yes := true
	return s.update(ctx, actor, pid, PersonChanges{Disabled: &yes}, "person.disable")
}

func (s *Persons) update(ctx context.Context, actor Actor, pid string, ch PersonChanges, action string) (*clientzone.Person, error) {
	cid := actor.Person.CustomerID
	snap, err := s.Store.PersonForUpdate(ctx, cid, pid)
	if err != nil {
		return nil, err
	}
	before := snap.Person
	after := *before
	after.Rights = normalizeRights(before.Rights)
	if ch.Name != nil {
		after.Name = strings.TrimSpace(*ch.Name)
	}
	if ch.Phone != nil {
		after.Phone = *ch.Phone
	}
	if ch.Language != nil {
		after.Language = *ch.Language
	}
	if ch.Notifications != nil {
		after.Notifications = *ch.Notifications
	}
	if ch.Disabled != nil {
		after.Disabled = *ch.Disabled
	}
	if ch.Role != nil {
		after.Role = *ch.Role
	}
	switch {
	case after.Role == clientzone.RoleAdmin:
		after.Rights = []clientzone.Right{}
	case ch.Rights != nil:
		after.Rights = normalizeRights(*ch.Rights)
	case before.Role == clientzone.RoleAdmin:
		after.Rights = []clientzone.Right{} // demoted without rights: none
	}

	details := map[string]string{}
	var fields []string
	if after.Name != before.Name {
		fields = append(fields, "name")
	}
	if after.Phone != before.Phone {
		fields = append(fields, "phone")
	}
	if after.Language != before.Language {
		fields = append(fields, "language")
	}
	if after.Notifications != before.Notifications {
		fields = append(fields, "notifications")
	}
	security := false
	if after.Role != before.Role {
		fields = append(fields, "role")
		details["role"] = fmt.Sprintf("%s→%s", before.Role, after.Role)
		security = true
	}
	if rb, ra := rightsString(before), rightsString(&after); rb != ra {
		fields = append(fields, "rights")
		details["rights"] = rb + "→" + ra
		security = true
	}
	if after.Disabled != before.Disabled {
		fields = append(fields, "disabled")
		details["disabled"] = fmt.Sprintf("%t→%t", before.Disabled, after.Disabled)
		security = true
	}
	if len(fields) == 0 {
		return before, nil // nothing to change, nothing to write or audit
	}
	details["fields"] = strings.Join(fields, ",")

	if after.Disabled && !before.Disabled && pid == actor.Person.ID {
		return nil, errSelfDisable
	}
	otherAdmin := ""
	activeAdmin := func(p *clientzone.Person) bool { return p.Role == clientzone.RoleAdmin && !p.Disabled }
	if activeAdmin(before) && !activeAdmin(&after) {
		all, err := s.Store.Persons(ctx, cid)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			if p.ID != pid && activeAdmin(p) {
				otherAdmin = p.ID
				break
			}
		}
		if otherAdmin == "" {
			return nil, errLastAdmin
		}
	}
	if security {
		after.TokenVersion = before.TokenVersion + 1
	}
	now := s.Clock.Now()
	audit := actor.audit(cid, action, pid, now, details)
	if err := s.Store.UpdatePersonChecked(ctx, snap, &after, otherAdmin, audit); err != nil {
		return nil, err
	}
	return &after, nil
}

// AuditLog returns a page of customer cid's audit entries, newest first.
func (s *Persons) AuditLog(ctx context.Context, cid string, limit int, cursor string) (*AuditPage, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	return s.Store.AuditLog(ctx, cid, limit, cursor)
}

// ImportedPerson is one person from a legacy portal.
type ImportedPerson struct {
	ID           string // optional: keep the legacy id (re-importing replaces)
	Name         string
	Email        string
	Username     string
	Phone        string
	Role         clientzone.Role
	Rights       []clientzone.Right
	Language     clientzone.Language
	PasswordHash string // bcrypt, MD5-crypt or argon2id
}

// ImportError is a person that could not be imported.
type ImportError struct {
	Index   int    `json:"index"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ImportResult is the outcome of an import.
type ImportResult struct {
	Imported int           `json:"imported"`
	Errors   []ImportError `json:"errors"`
}

// MaxImport is the most persons one import call takes.
const MaxImport = 100

// ImportPersons writes legacy persons to customer cid. The whole batch is
// validated first (an unusable hash, username or duplicate in the batch is
// a 400 and nothing is written); then each person is written in its own
// transaction with its audit entry, and a conflict (a login alias another
// login holds) is reported for that person while the others are imported.
// Imported persons log in with their old password, whose hash Login
// upgrades to argon2id.
func (s *Persons) ImportPersons(ctx context.Context, actor Actor, cid string, in []ImportedPerson) (*ImportResult, error) {
	var fields []clientzone.FieldError
	seen := map[string]int{}
	for i, p := range in {
		prefix := fmt.Sprintf("persons[%d].", i)
		if !password.IsSupported(p.PasswordHash) {
			fields = append(fields, clientzone.FieldError{Field: prefix + "passwordHash", Code: "hash",
				Message: "Use a bcrypt, MD5-crypt or argon2id hash."})
		}
		if err := checkUsername(p.Username, prefix+"username"); err != nil {
			fields = append(fields, err.(*clientzone.Error).Fields...)
		}
		for kind, v := range map[string]string{"email": p.Email, "username": p.Username, "id": p.ID} {
			if strings.TrimSpace(v) == "" {
				continue
			}
			k := kind + ":" + clientzone.NormalizeLogin(v)
			if kind != "id" {
				k = "login:" + clientzone.NormalizeLogin(v)
			}
			if _, dup := seen[k]; dup {
				fields = append(fields, clientzone.FieldError{Field: prefix + kind, Code: "duplicate",
					Message: "This value appears twice in the import."})
				continue
			}
			seen[k] = i
		}
	}
	if len(fields) > 0 {
		sort.Slice(fields, func(a, b int) bool { return fields[a].Field < fields[b].Field })
		return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.", Fields: fields}
	}
	if _, err := s.Store.Customer(ctx, cid); err != nil {
		return nil, err
	}
	res := &ImportResult{Errors: []ImportError{}}
	for i, in := range in {
		now := s.Clock.Now()
		p := &clientzone.Person{
			ID:            in.ID,
			CustomerID:    cid,
			Name:          strings.TrimSpace(in.Name),
			Email:         strings.TrimSpace(in.Email),
			Username:      strings.TrimSpace(in.Username),
			Phone:         in.Phone,
			Role:          in.Role,
			Rights:        normalizeRights(in.Rights),
			Language:      in.Language,
			Notifications: clientzone.Notifications{Invoices: true, Expiry: true, Outages: true},
			PasswordHash:  in.PasswordHash,
			CreatedAt:     now,
		}
		if p.ID == "" {
			p.ID = clientzone.NewID()
		}
		if p.Role == clientzone.RoleAdmin {
			p.Rights = []clientzone.Right{}
		}
		audit := actor.audit(cid, "person.import", p.ID, now, map[string]string{
			"role": string(p.Role), "rights": rightsString(p), "email": p.Email, "hash": hashScheme(p.PasswordHash)})
		err := s.Store.ImportPerson(ctx, p, audit, fmt.Sprintf("persons[%d].", i))
		if err != nil {
			e, ok := err.(*clientzone.Error)
			if !ok || e.Code != clientzone.ECONFLICT {
				return nil, err
			}
			ie := ImportError{Index: i, Field: fmt.Sprintf("persons[%d]", i), Code: "conflict", Message: e.Message}
			if len(e.Fields) > 0 {
				ie.Field, ie.Code, ie.Message = e.Fields[0].Field, e.Fields[0].Code, e.Fields[0].Message
			}
			res.Errors = append(res.Errors, ie)
			continue
		}
		res.Imported++
	}
	return res, nil
}

// hashScheme names a hash's scheme for the audit log (never the hash).
func hashScheme(h string) string {
	switch {
	case strings.HasPrefix(h, "$argon2id$"):
		return "argon2id"
	case strings.HasPrefix(h, "$1$"):
		return "md5-crypt"
	default:
		return "bcrypt"
	}
}
