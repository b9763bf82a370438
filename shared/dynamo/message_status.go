package dynamo

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/support"
)

var _ support.MessageStore = (*DB)(nil)

// ChangeMessageStatus writes c in one transaction: the message's state,
// UpdatedAt and answer (conditional on c.From and c.FromAnswer), the audit
// entry and the outbox entries. A repeat (c.Repeat) writes nothing and
// reports false. A closed message is final (support.ErrMessageClosed); a
// state c.CheckStatus refuses (received, unknown) is refused.
func (db *DB) ChangeMessageStatus(ctx context.Context, c *support.MessageStatusChange) (bool, error) {
	if err := c.CheckStatus(); err != nil {
		return false, err
	}
	if c.Repeat() {
		return false, nil
	}
	if c.From == clientzone.MessageClosed {
		return false, support.ErrMessageClosed
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
