package httpapi

import (
	"context"
	"net/http"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Account requests, password recovery and staff-issued temporary passwords.

// Neutral answers: the same whether or not the account exists.
const (
	recAccountRequestMessage = "Thank you. If the details match a contract, we have sent an activation link to the email. Otherwise contact our sales department."
	recResetEmailMessage     = "If the account exists, we have sent a password reset link to its email."
	recResetSMSMessage       = "If the account exists, we have sent a password reset code by SMS."
)

// recLanguage picks the language of an Accept-Language header value.
func recLanguage(acceptLanguage string) clientzone.Language {
	return Language(&http.Request{Header: http.Header{"Accept-Language": []string{acceptLanguage}}})
}

func recInvalid(fields ...clientzone.FieldError) error {
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.", Fields: fields}
}

var recRequired = "This field is required."

type accountRequestBody struct {
	ContractNumber string `json:"contractNumber" validate:"required,max=64"`
	Email          string `json:"email" validate:"required,max=254,email"`
	AcceptLanguage string `json:"-" header:"Accept-Language"`
}

// AccountRequestAnswer is the neutral answer of the account-request wizard.
type AccountRequestAnswer struct {
	Message      string `json:"message"`
	SalesContact string `json:"salesContact"`
}

// AccountRequest serves POST /v1/account-requests: contract number + email;
// when both match, an activation link goes to that email. The answer is the
// same either way (no enumeration) and points to sales.
func AccountRequest(api *API, svc *account.Recovery, salesContact string) Handler {
	return Handle(api, Endpoint[accountRequestBody, AccountRequestAnswer]{
		Route:  "POST /v1/account-requests",
		Access: Public,
		Exec: func(ctx context.Context, req *accountRequestBody) (*AccountRequestAnswer, error) {
			if err := svc.RequestAccount(ctx, req.ContractNumber, req.Email); err != nil {
				return nil, err
			}
			return &AccountRequestAnswer{
				Message:      Translate(recLanguage(req.AcceptLanguage), recAccountRequestMessage),
				SalesContact: salesContact,
			}, nil
		},
	})
}

type activationConfirmBody struct {
	Token    string `json:"token" validate:"required,max=512"`
	Password string `json:"password" validate:"required,min=10,max=256"`
}

// ActivationResult is the answer of a confirmed activation link.
type ActivationResult struct {
	Activated bool   `json:"activated"`
	Login     string `json:"login"`
}

// AccountRequestConfirm serves POST /v1/account-requests/confirm: the
// activation link of the wizard or of an invitation, with the new password.
func AccountRequestConfirm(api *API, svc *account.Recovery) Handler {
	return Handle(api, Endpoint[activationConfirmBody, ActivationResult]{
		Route:  "POST /v1/account-requests/confirm",
		Access: Public,
		Exec: func(ctx context.Context, req *activationConfirmBody) (*ActivationResult, error) {
			c := ClientFrom(ctx)
			login, err := svc.ConfirmActivation(ctx, account.ActivationInput{
				Token: req.Token, Password: req.Password, IP: c.IP, UserAgent: c.UserAgent,
			})
			if err != nil {
				return nil, err
			}
			return &ActivationResult{Activated: true, Login: login}, nil
		},
	})
}

type passwordResetBody struct {
	Login          string `json:"login" validate:"max=254"`
	Channel        string `json:"channel" validate:"omitempty,oneof=email sms"`
	AccountNumber  string `json:"accountNumber" validate:"max=64"`
	Phone          string `json:"phone" validate:"max=32"`
	AcceptLanguage string `json:"-" header:"Accept-Language"`
}

// check says which body variant was sent and what is missing.
func (b *passwordResetBody) check() error {
	var fields []clientzone.FieldError
	switch {
	case b.Login == "" && b.AccountNumber == "":
		fields = append(fields,
			clientzone.FieldError{Field: "login", Code: "required", Message: "Give a login and a channel, or an account number and a phone."},
			clientzone.FieldError{Field: "accountNumber", Code: "required", Message: "Give a login and a channel, or an account number and a phone."})
	case b.Login != "" && b.AccountNumber != "":
		fields = append(fields, clientzone.FieldError{Field: "accountNumber", Code: "excluded", Message: "Give either a login or an account number, not both."})
	case b.Login != "":
		if b.Channel == "" {
			fields = append(fields, clientzone.FieldError{Field: "channel", Code: "required", Message: recRequired})
		}
		if b.Phone != "" {
			fields = append(fields, clientzone.FieldError{Field: "phone", Code: "excluded", Message: "Give the phone only with an account number."})
		}
	default:
		if b.Phone == "" {
			fields = append(fields, clientzone.FieldError{Field: "phone", Code: "required", Message: recRequired})
		} else if !clientzone.IsE164(b.Phone) {
			fields = append(fields, clientzone.FieldError{Field: "phone", Code: "e164", Message: "Enter the phone number in international format, e.g. +421900123456."})
		}
		if b.Channel != "" && b.Channel != clientzone.ChannelSMS {
			fields = append(fields, clientzone.FieldError{Field: "channel", Code: "oneof", Message: "This value is not allowed.", Param: clientzone.ChannelSMS})
		}
	}
	if len(fields) > 0 {
		return recInvalid(fields...)
	}
	return nil
}

// PasswordResetStarted is the neutral answer of a password reset request.
type PasswordResetStarted struct {
	ResetID string `json:"resetId"`
	Channel string `json:"channel"`
	Message string `json:"message"`
}

// PasswordReset serves POST /v1/password-resets: a reset link by email or a
// code by SMS ({login, channel}), or a code by SMS to the phone on the
// contract ({accountNumber, phone}). Unknown accounts get the same answer.
func PasswordReset(api *API, svc *account.Recovery) Handler {
	return Handle(api, Endpoint[passwordResetBody, PasswordResetStarted]{
		Route:  "POST /v1/password-resets",
		Access: Public,
		Exec: func(ctx context.Context, req *passwordResetBody) (*PasswordResetStarted, error) {
			if err := req.check(); err != nil {
				return nil, err
			}
			r, err := svc.RequestPasswordReset(ctx, account.ResetRequest{
				Login: req.Login, Channel: req.Channel, AccountNumber: req.AccountNumber, Phone: req.Phone,
			})
			if err != nil {
				return nil, err
			}
			msg := recResetEmailMessage
			if r.Channel == clientzone.ChannelSMS {
				msg = recResetSMSMessage
			}
			return &PasswordResetStarted{ResetID: r.ID, Channel: r.Channel, Message: Translate(recLanguage(req.AcceptLanguage), msg)}, nil
		},
	})
}

type passwordResetConfirmBody struct {
	ResetID     string `json:"resetId" validate:"max=64"`
	Code        string `json:"code" validate:"max=16"`
	Token       string `json:"token" validate:"max=512"`
	NewPassword string `json:"newPassword" validate:"required,min=10,max=256"`
}

func (b *passwordResetConfirmBody) check() error {
	var fields []clientzone.FieldError
	if b.Token != "" {
		if b.ResetID != "" || b.Code != "" {
			fields = append(fields, clientzone.FieldError{Field: "token", Code: "excluded", Message: "Give either the link token or the reset id and code, not both."})
		}
	} else {
		if b.ResetID == "" {
			fields = append(fields, clientzone.FieldError{Field: "resetId", Code: "required", Message: recRequired})
		}
		if b.Code == "" {
			fields = append(fields, clientzone.FieldError{Field: "code", Code: "required", Message: recRequired})
		}
	}
	if len(fields) > 0 {
		return recInvalid(fields...)
	}
	return nil
}

// PasswordResetDone is the answer of a completed password reset.
type PasswordResetDone struct {
	Reset bool `json:"reset"`
}

// PasswordResetConfirm serves POST /v1/password-resets/confirm: the SMS code
// ({resetId, code}) or the emailed link token ({token}) with the new
// password. Success logs the person out everywhere.
func PasswordResetConfirm(api *API, svc *account.Recovery) Handler {
	return Handle(api, Endpoint[passwordResetConfirmBody, PasswordResetDone]{
		Route:  "POST /v1/password-resets/confirm",
		Access: Public,
		Exec: func(ctx context.Context, req *passwordResetConfirmBody) (*PasswordResetDone, error) {
			if err := req.check(); err != nil {
				return nil, err
			}
			c := ClientFrom(ctx)
			if err := svc.ConfirmPasswordReset(ctx, account.ResetConfirmation{
				ResetID: req.ResetID, Code: req.Code, Token: req.Token, NewPassword: req.NewPassword,
				IP: c.IP, UserAgent: c.UserAgent,
			}); err != nil {
				return nil, err
			}
			return &PasswordResetDone{Reset: true}, nil
		},
	})
}

type temporaryPasswordRequest struct {
	CustomerID string `path:"customerId" validate:"required,max=64"`
	PersonID   string `path:"personId" validate:"required,max=64"`
}

// TemporaryPasswordIssued carries the staff-issued password, shown once.
type TemporaryPasswordIssued struct {
	TemporaryPassword string `json:"temporaryPassword"`
}

// TemporaryPassword serves POST
// /admin/v1/customers/{customerId}/persons/{personId}/temporary-password
// (back office): a random password the person must change at next login.
func TemporaryPassword(api *API, svc *account.Recovery) Handler {
	return Handle(api, Endpoint[temporaryPasswordRequest, TemporaryPasswordIssued]{
		Route:  "POST /admin/v1/customers/{customerId}/persons/{personId}/temporary-password",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *temporaryPasswordRequest) (*TemporaryPasswordIssued, error) {
			c := ClientFrom(ctx)
			pw, err := svc.IssueTemporaryPassword(ctx, req.CustomerID, req.PersonID, c.IP, c.UserAgent)
			if err != nil {
				return nil, err
			}
			return &TemporaryPasswordIssued{TemporaryPassword: pw}, nil
		},
	})
}
