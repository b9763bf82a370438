package httpapi

import (
	"context"
	"net/http"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/support"
)

type messageCreateRequest struct {
	Type       string `json:"type" validate:"required,oneof=billing technical contract_change complaint cancellation other"`
	ContractID string `json:"contractId" validate:"max=64,excludesall=#"`
	Subject    string `json:"subject" validate:"required,max=200"`
	Body       string `json:"body" validate:"required,max=10000"`
}

// CreateMessage serves POST /v1/messages: an authorized message (a typed
// request such as billing, technical or contract_change, optionally for one
// of the customer's contracts) from any logged-in person. It is stored and,
// in the same transaction, an EventBridge event "clientzone.message.<type>"
// is queued that routes it to the competent department. Answers 201.
func CreateMessage(api *API, svc *support.Messages) Handler {
	return Handle(api, Endpoint[messageCreateRequest, clientzone.AuthorizedMessage]{
		Route:  "POST /v1/messages",
		Access: AnyPerson,
		Status: http.StatusCreated,
		Exec: func(ctx context.Context, req *messageCreateRequest) (*clientzone.AuthorizedMessage, error) {
			return svc.Create(ctx, PrincipalOf(ctx).Person, support.NewMessage{
				Type: req.Type, ContractID: req.ContractID, Subject: req.Subject, Body: req.Body,
			})
		},
		Headers: func(m *clientzone.AuthorizedMessage) http.Header {
			return http.Header{"Location": {"/v1/messages/" + m.ID}}
		},
	})
}

type supportPage struct {
	Limit  *int   `query:"limit" validate:"omitempty,min=1,max=100"`
	Cursor string `query:"cursor" validate:"max=2048"`
}

// intOr0 is *n, or 0 for nil (the store's default page size).
func intOr0(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// MessageList is a page of authorized messages.
type MessageList struct {
	Items      []*clientzone.AuthorizedMessage `json:"items"`
	NextCursor string                          `json:"nextCursor,omitempty"`
}

// ListMessages serves GET /v1/messages: newest first, cursor-paginated; an
// administrator sees every message of the customer, anyone else the
// messages they sent.
func ListMessages(api *API, svc *support.Messages) Handler {
	return Handle(api, Endpoint[supportPage, MessageList]{
		Route:  "GET /v1/messages",
		Access: AnyPerson,
		Exec: func(ctx context.Context, req *supportPage) (*MessageList, error) {
			items, next, err := svc.List(ctx, PrincipalOf(ctx).Person, intOr0(req.Limit), req.Cursor)
			if err != nil {
				return nil, err
			}
			return &MessageList{Items: items, NextCursor: next}, nil
		},
	})
}

type messageGetRequest struct {
	MessageID string `path:"messageId" validate:"required,max=64"`
}

// GetMessage serves GET /v1/messages/{messageId}: one message with its
// state (received, in_progress, answered, closed). Another customer's
// message, or for a non-administrator another person's, is 404.
func GetMessage(api *API, svc *support.Messages) Handler {
	return Handle(api, Endpoint[messageGetRequest, clientzone.AuthorizedMessage]{
		Route:  "GET /v1/messages/{messageId}",
		Access: AnyPerson,
		Exec: func(ctx context.Context, req *messageGetRequest) (*clientzone.AuthorizedMessage, error) {
			return svc.Get(ctx, PrincipalOf(ctx).Person, req.MessageID)
		},
	})
}
