package clientzone

import "time"

// Message channels.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Message is a notification waiting in the outbox. It is written in the same
// DynamoDB transaction as the change that causes it; a sender delivers it
// (SES for email, SNS for SMS) from the template in the recipient's language.
type Message struct {
	ID         string            `json:"id"`
	Channel    string            `json:"channel"`
	To         string            `json:"to"`
	Template   string            `json:"template"` // e.g. "password-reset-code"
	Language   Language          `json:"language"`
	Data       map[string]string `json:"data"` // template variables (may hold a one-time code)
	CustomerID string            `json:"customerId,omitempty"`
	PersonID   string            `json:"personId,omitempty"`
	CreatedAt  time.Time         `json:"createdAt"`
}

// AuditEntry records a sensitive action on a customer account.
type AuditEntry struct {
	ID         string            `json:"id"`
	CustomerID string            `json:"-"`
	At         time.Time         `json:"at"`
	Action     string            `json:"action"`  // e.g. "login", "password.change", "person.rights"
	ActorID    string            `json:"actorId"` // person id, or "backoffice" / "system"
	TargetID   string            `json:"targetId,omitempty"`
	IP         string            `json:"ip,omitempty"`
	UserAgent  string            `json:"userAgent,omitempty"`
	Details    map[string]string `json:"details,omitempty"` // never secrets
}

// OutboxClaim says whether a sender may deliver an outbox message (the
// store's answer to a claim, see notify.Store).
type OutboxClaim int

const (
	// OutboxClaimed: this sender holds the message and must deliver it.
	OutboxClaimed OutboxClaim = iota
	// OutboxAlreadyDone: the message was sent, failed for good, or expired.
	OutboxAlreadyDone
	// OutboxBusy: another sender holds a live claim; try again later.
	OutboxBusy
)
