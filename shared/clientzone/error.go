package clientzone

import (
	"errors"
	"fmt"
)

// Error codes are stable, machine-readable identifiers sent to clients in
// the "code" member of problem+json bodies. They never change meaning once
// published; the HTTP status each maps to lives in one place (httpapi).
const (
	EINVALID          = "invalid_request"          // malformed body, bad field values
	EUNAUTHENTICATED  = "unauthenticated"          // missing, expired or revoked token
	ECREDENTIALS      = "invalid_credentials"      // login failed (never says which part)
	EPASSWORDCHANGE   = "password_change_required" // staff-issued password must be changed first
	EFORBIDDEN        = "forbidden"                // authenticated, but the right is missing
	ENOTFOUND         = "not_found"                // missing, or belongs to another customer
	ECONFLICT         = "conflict"                 // state does not allow the change
	ERATELIMITED      = "rate_limited"             // too many attempts
	EUNSUPPORTEDMEDIA = "unsupported_media_type"   // body is not JSON
	EPINREQUIRED      = "pin_required"             // the action needs the authorization PIN (step-up)
	EPININVALID       = "pin_invalid"              // the PIN given is wrong
	EPINLOCKED        = "pin_locked"               // too many wrong PINs; locked for a while
	EDEBT             = "debt_outstanding"         // unpaid invoices or a negative balance block the request
	// ESUSPENDEDBYPROVIDER: the provider's block of a contract (e.g. for
	// debt) cannot be lifted by the customer.
	ESUSPENDEDBYPROVIDER = "suspended_by_provider"
	EINTERNAL            = "internal" // anything unexpected; details are only logged
)

// Error is the one domain error type. Message is safe to show to clients
// (it is the English detail); internal causes are wrapped in Err and only
// ever logged.
type Error struct {
	Code    string
	Message string
	// Fields lists per-field problems of a validation failure.
	Fields []FieldError
	// Err is an optional internal cause, logged but never sent to clients.
	Err error
	// Format and Args are what Errorf built Message from, so the HTTP layer
	// can translate the format and fill in the same values.
	Format string
	Args   []any
}

// FieldError describes one invalid input field by its JSON name.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Param is the validation parameter (e.g. the max length), if any.
	Param string `json:"param,omitempty"`
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted client-safe message.
func Errorf(code, format string, args ...any) *Error {
	e := &Error{Code: code, Message: fmt.Sprintf(format, args...)}
	if len(args) > 0 {
		e.Format, e.Args = format, args
	}
	return e
}

// NotFound is the error for a missing object, or one owned by another
// customer: the two are indistinguishable on purpose.
func NotFound(what string) *Error {
	return &Error{Code: ENOTFOUND, Message: what + " not found."}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err: the message of an
// *Error, and a generic text for anything else.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
