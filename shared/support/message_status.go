package support

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientzone/clientzone/shared/backoffice"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// MaxAnswerLength bounds a department's answer (characters, trimmed).
const MaxAnswerLength = 5000

// MessageStatus is the back office's update of an authorized message.
type MessageStatus struct {
	Status    string // in_progress, answered or closed
	Answer    string // required for answered; trimmed
	StaffName string
	By        backoffice.Actor // for the audit log
}

// ErrMessageClosed is the conflict of changing a closed authorized message.
var ErrMessageClosed = clientzone.Errorf(clientzone.ECONFLICT, "This message is closed and cannot change any more.")

// MessageStatusChange moves an authorized message to a new state (back
// office), optionally with a new answer.
type MessageStatusChange struct {
	CustomerID, MessageID string
	// From and FromAnswer are the state and answer the message was read
	// with: the write is conditional on both being still stored, so of two
	// concurrent changes the later one gets a conflict, never a lost update.
	From, FromAnswer string
	// Status is in_progress, answered or closed.
	Status string
	// Answer, when set, replaces the latest answer (AnsweredAt = At,
	// AnsweredBy = StaffName); "" keeps the stored one.
	Answer    string
	StaffName string
	At        time.Time
	// Audit and Outbox are written in the same transaction.
	Audit  *clientzone.AuditEntry
	Outbox []*clientzone.Message
}

// Repeat reports whether the change sets what is stored already (the same
// state, and no answer or the same one): nothing is to be written.
func (c *MessageStatusChange) Repeat() bool {
	return c.Status == c.From && (c.Answer == "" || c.Answer == c.FromAnswer)
}

// CheckStatus returns the 400 of a state the back office may not set
// (received, or an unknown one), else nil.
func (c *MessageStatusChange) CheckStatus() error {
	if !slices.Contains(clientzone.MessageStatuses, c.Status) {
		return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
			Fields: []clientzone.FieldError{{Field: "status", Code: "oneof", Message: "This value is not allowed.", Param: "in_progress answered closed"}}}
	}
	return nil
}

// MessageStatusTemplate is the email telling a message's author that it was
// answered or closed (data "status" switches the text).
const MessageStatusTemplate = "message-status"

// SetStatus moves message mid of customer cid to in.Status (department
// progress reported by the back office). Answered needs an answer, which
// becomes the message's latest answer (an answer given with another state
// does too); answered may go back to in_progress (a follow-up); closed is
// final (409). Setting the stored state again with the same answer (or
// none) changes nothing. When the message becomes answered or closed its
// author gets an email in their language. The change, its audit entry and
// the email are one transaction, conditional on the state read.
func (s *Messages) SetStatus(ctx context.Context, cid, mid string, in MessageStatus) (*clientzone.AuthorizedMessage, error) {
	in.Answer = strings.TrimSpace(in.Answer)
	in.StaffName = strings.TrimSpace(in.StaffName)
	switch {
	case in.Status == clientzone.MessageAnswered && in.Answer == "":
		return nil, answerInvalid("required", "This field is required.", "")
	case utf8.RuneCountInString(in.Answer) > MaxAnswerLength:
		return nil, answerInvalid("max", "This value is too long.", "5000")
	}
	m, err := s.Store.AuthorizedMessage(ctx, cid, mid)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	c := &MessageStatusChange{CustomerID: cid, MessageID: mid, From: m.Status, FromAnswer: m.Answer,
		Status: in.Status, Answer: in.Answer, StaffName: in.StaffName, At: now}
	if c.Repeat() {
		return m, nil
	}
	if m.Status == clientzone.MessageClosed {
		return nil, ErrMessageClosed
	}
	details := map[string]string{"from": m.Status, "to": in.Status}
	if in.Answer != "" {
		details["answered"] = "yes"
	}
	if in.StaffName != "" {
		details["staffName"] = in.StaffName
	}
	if in.By.IAMUser != "" {
		details["iamUser"] = in.By.IAMUser
	}
	ua := in.By.UserAgent
	if len(ua) > 256 {
		ua = ua[:256]
	}
	c.Audit = &clientzone.AuditEntry{CustomerID: cid, At: now, Action: "message.status", ActorID: "backoffice", TargetID: mid,
		IP: in.By.IP, UserAgent: ua, Details: details}

	next := *m
	next.Status, next.UpdatedAt = in.Status, now
	if in.Answer != "" {
		next.Answer, next.AnsweredAt, next.AnsweredBy = in.Answer, &now, in.StaffName
	}
	if in.Status == clientzone.MessageAnswered || in.Status == clientzone.MessageClosed {
		mail, err := s.statusEmail(ctx, &next, in.Answer)
		if err != nil {
			return nil, err
		}
		if mail != nil {
			c.Outbox = append(c.Outbox, mail)
		}
	}
	if _, err := s.Store.ChangeMessageStatus(ctx, c); err != nil {
		return nil, err
	}
	return &next, nil
}

// statusEmail is the "message-status" email to the author of m, or nil
// when the author is gone, disabled or has no email address. answer is the
// answer given with this change ("" for none).
func (s *Messages) statusEmail(ctx context.Context, m *clientzone.AuthorizedMessage, answer string) (*clientzone.Message, error) {
	author, err := s.Store.Person(ctx, m.CustomerID, m.PersonID)
	switch {
	case clientzone.ErrorCode(err) == clientzone.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	case author.Disabled || author.Email == "":
		return nil, nil
	}
	data := map[string]string{"name": author.Name, "subject": m.Subject, "messageId": m.ID, "status": m.Status}
	if answer != "" {
		data["answer"] = answer
	}
	if m.AnsweredBy != "" && answer != "" {
		data["staff"] = m.AnsweredBy
	}
	return &clientzone.Message{
		Channel: clientzone.ChannelEmail, To: author.Email, Template: MessageStatusTemplate, Language: author.Language,
		Data: data, CustomerID: m.CustomerID, PersonID: author.ID, CreatedAt: m.UpdatedAt,
	}, nil
}

// answerInvalid is the 400 of a bad answer.
func answerInvalid(code, msg, param string) error {
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
		Fields: []clientzone.FieldError{{Field: "answer", Code: code, Message: msg, Param: param}}}
}
