package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/support"
)

type messageStatusRequest struct {
	CustomerID string `path:"customerId" validate:"required,max=64"`
	MessageID  string `path:"messageId" validate:"required,max=64"`
	Status     string `json:"status" validate:"required,oneof=in_progress answered closed"`
	// Answer is checked by the service after trimming: required for
	// answered, at most support.MaxAnswerLength characters.
	Answer    string `json:"answer"`
	StaffName string `json:"staffName" validate:"max=100"`
}

// SetMessageStatus serves PUT /admin/v1/customers/{customerId}/messages/{messageId}/status
// (back office): the department reports progress on an authorized message.
// status is in_progress, answered (with an answer) or closed; answered may
// go back to in_progress, closed is final (409). The latest answer shows in
// the customer's GET /v1/messages. Setting the stored state again with the
// same answer writes nothing (200). When the message becomes answered or
// closed its author gets an email in their language. Answers the message.
func SetMessageStatus(api *API, svc *support.Messages) Handler {
	return Handle(api, Endpoint[messageStatusRequest, clientzone.AuthorizedMessage]{
		Route:  "PUT /admin/v1/customers/{customerId}/messages/{messageId}/status",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *messageStatusRequest) (*clientzone.AuthorizedMessage, error) {
			return svc.SetStatus(ctx, req.CustomerID, req.MessageID, support.MessageStatus{
				Status: req.Status, Answer: req.Answer, StaffName: req.StaffName, By: backOfficeActor(ctx),
			})
		},
	})
}
