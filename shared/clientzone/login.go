package clientzone

import "strings"

// Kinds of login alias. A person types one of them in the single login
// field: their email address, their username or (the contract holder) a
// contract number. Emails, usernames and contract numbers share one
// namespace, so a login can never be ambiguous.
const (
	LoginEmail    = "email"
	LoginUsername = "username"
	LoginContract = "contract"
)

// NormalizeLogin is the canonical form of a login: trimmed, lower case.
// Logins are unique, looked up and compared in this form.
func NormalizeLogin(value string) string {
	return strings.ToLower(strings.TrimSpace(value))
}
