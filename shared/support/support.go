// Package support holds the customer-contact use cases: authorized messages
// routed to departments by EventBridge events, support tickets with
// attachments uploaded through presigned URLs, promotions with
// documentation links, and the back-office status-page updates. Events and
// emails go through the DynamoDB outbox, written in the same transaction as
// the change.
//
// The use cases declare their stores (MessageStore, TicketStore,
// PromotionStore) with the types they exchange (MessageStatusChange,
// TicketChange, TicketPage), the ticket limits (MaxTicketAttachments,
// AttachmentClaimWindow) and the errors a store's conditions answer with
// (ErrMessageClosed, ErrTicketClosed, ErrAttachmentUnusable,
// ErrTooManyAttachments). shared/dynamo imports support and implements
// them.
package support

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Event detail-types.
const (
	// MessageEventPrefix + message type, e.g. "clientzone.message.billing".
	MessageEventPrefix = "clientzone.message."
	TicketCreated      = "clientzone.ticket.created"
	TicketReplied      = "clientzone.ticket.reply"
	TicketStaffReplied = "clientzone.ticket.staff_reply"
	TicketClosed       = "clientzone.ticket.closed"
)

// Event returns the outbox entry publishing an EventBridge event of
// detailType with detail (which must hold no secrets) for customer cid.
func Event(detailType string, detail any, cid string, at time.Time) (*clientzone.Message, error) {
	b, err := json.Marshal(detail)
	if err != nil {
		return nil, fmt.Errorf("support: encode %s detail: %w", detailType, err)
	}
	return &clientzone.Message{
		ID:         clientzone.NewID(),
		Channel:    clientzone.ChannelEvent,
		To:         clientzone.EventSource,
		Template:   detailType,
		Data:       map[string]string{"detail": string(b)},
		CustomerID: cid,
		CreatedAt:  at.UTC(),
	}, nil
}

// pick returns the text of lang from texts, else the English one, else
// any (in the order of clientzone.Languages).
func pick(texts map[clientzone.Language]string, lang clientzone.Language) string {
	if s := texts[lang]; s != "" {
		return s
	}
	for _, l := range clientzone.Languages {
		if s := texts[l]; s != "" {
			return s
		}
	}
	return ""
}
