package httpapi

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
)

type pinIssueRequest struct {
	CustomerID string `path:"customerId" validate:"required,max=64"`
}

// PINIssued is the answer to a back-office PIN issue: where the SMS went,
// never the PIN.
type PINIssued struct {
	Issued bool   `json:"issued"`
	SentTo string `json:"sentTo"`
}

// PinIssue serves POST /admin/v1/customers/{customerId}/pin: the back office
// generates a new authorization PIN, sent to the customer by SMS.
func PinIssue(api *API, svc *account.PINService) Handler {
	return Handle(api, Endpoint[pinIssueRequest, PINIssued]{
		Route:  "POST /admin/v1/customers/{customerId}/pin",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *pinIssueRequest) (*PINIssued, error) {
			c := ClientFrom(ctx)
			res, err := svc.IssuePIN(ctx, req.CustomerID, c.IP, c.UserAgent)
			if err != nil {
				return nil, err
			}
			return &PINIssued{Issued: true, SentTo: res.SentTo}, nil
		},
	})
}
