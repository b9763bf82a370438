package support

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// MessageStore keeps authorized messages; shared/dynamo implements it.
type MessageStore interface {
	// CreateMessage stores m with its outbox entries; a contract id must
	// name a contract of the customer (else NotFound).
	CreateMessage(ctx context.Context, m *clientzone.AuthorizedMessage, outbox ...*clientzone.Message) error
	AuthorizedMessage(ctx context.Context, cid, mid string) (*clientzone.AuthorizedMessage, error)
	AuthorizedMessages(ctx context.Context, cid, personID string, limit int, cursor string) ([]*clientzone.AuthorizedMessage, string, error)
	// ChangeMessageStatus writes c with its audit entry and outbox entries
	// in one transaction, while the message is still in c.From with
	// c.FromAnswer (else a conflict). It refuses what c.CheckStatus
	// refuses, writes nothing for a repeat (c.Repeat; reports false) and
	// keeps a closed message closed (ErrMessageClosed).
	ChangeMessageStatus(ctx context.Context, c *MessageStatusChange) (bool, error)
	Person(ctx context.Context, cid, pid string) (*clientzone.Person, error)
}

// Messages implements authorized messages.
type Messages struct {
	Store MessageStore
	Clock clientzone.Clock
}

// NewMessage is what a person sends.
type NewMessage struct {
	Type       string
	ContractID string
	Subject    string
	Body       string
}

// Create stores a message from person p and, in the same transaction, the
// EventBridge event routing it to the department of its type. A contract
// id must name a contract of the customer (else 404).
func (s *Messages) Create(ctx context.Context, p *clientzone.Person, in NewMessage) (*clientzone.AuthorizedMessage, error) {
	now := s.Clock.Now().UTC()
	m := &clientzone.AuthorizedMessage{
		ID: clientzone.NewID(), CustomerID: p.CustomerID, PersonID: p.ID, ContractID: in.ContractID,
		Type: in.Type, Subject: in.Subject, Body: in.Body, Status: clientzone.MessageReceived,
		CreatedAt: now, UpdatedAt: now,
	}
	ev, err := Event(MessageEventPrefix+m.Type, m, m.CustomerID, now)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateMessage(ctx, m, ev); err != nil {
		return nil, err
	}
	return m, nil
}

// List returns one page of messages, newest first: an admin sees all of the
// customer's, anyone else the messages they sent.
func (s *Messages) List(ctx context.Context, p *clientzone.Person, limit int, cursor string) ([]*clientzone.AuthorizedMessage, string, error) {
	if limit <= 0 {
		limit = 20
	}
	author := p.ID
	if p.Role == clientzone.RoleAdmin {
		author = ""
	}
	return s.Store.AuthorizedMessages(ctx, p.CustomerID, author, limit, cursor)
}

// Get returns one message: any of the customer's for an admin, only their
// own for anyone else (another person's message is 404).
func (s *Messages) Get(ctx context.Context, p *clientzone.Person, id string) (*clientzone.AuthorizedMessage, error) {
	m, err := s.Store.AuthorizedMessage(ctx, p.CustomerID, id)
	if err != nil {
		return nil, err
	}
	if p.Role != clientzone.RoleAdmin && m.PersonID != p.ID {
		return nil, clientzone.NotFound("Message")
	}
	return m, nil
}
