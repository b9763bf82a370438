package dynamo

import (
	"context"
	"slices"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

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

// ChangeMessageStatus writes c in one transaction: the message's state,
// UpdatedAt and answer (conditional on c.From and c.FromAnswer), the audit
// entry and the outbox entries. A repeat (c.Repeat) writes nothing and
// reports false. A closed message is final (ErrMessageClosed); received
// cannot be set again (400).
func (db *DB) ChangeMessageStatus(ctx context.Context, c *MessageStatusChange) (bool, error) {
	if !slices.Contains(clientzone.MessageStatuses, c.Status) {
		return false, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
			Fields: []clientzone.FieldError{{Field: "status", Code: "oneof", Message: "This value is not allowed.", Param: "in_progress answered closed"}}}
	}
	if c.Repeat() {
		return false, nil
	}
	if c.From == clientzone.MessageClosed {
		return false, ErrMessageClosed
	}
	set := "SET #st = :st, UpdatedAt = :at"
	names := map[string]string{"#st": "Status", "#ans": "Answer"}
	values := map[string]any{":st": c.Status, ":at": c.At.UTC(), ":from": c.From}
	if c.Answer != "" {
		set += ", #ans = :ans, AnsweredAt = :at"
		values[":ans"] = c.Answer
		if c.StaffName != "" {
			set += ", AnsweredBy = :by"
			values[":by"] = c.StaffName
		} else {
			set += " REMOVE AnsweredBy"
		}
	}
	cond := "attribute_exists(pk) AND #st = :from AND "
	if c.FromAnswer == "" {
		cond += "attribute_not_exists(#ans)"
	} else {
		cond += "#ans = :fromAns"
		values[":fromAns"] = c.FromAnswer
	}
	tx := db.NewTx()
	// A failed condition is the generic conflict: the message changed since
	// it was read (a retry reads it again, e.g. as closed).
	if err := tx.Update(customerPK(c.CustomerID), messageSK(c.MessageID), set, cond, names, values, nil); err != nil {
		return false, err
	}
	if c.Audit != nil {
		if err := tx.Audit(c.Audit); err != nil {
			return false, err
		}
	}
	for _, o := range c.Outbox {
		if err := tx.Outbox(o); err != nil {
			return false, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return false, err
	}
	return true, nil
}
