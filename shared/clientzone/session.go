package clientzone

import "time"

// Session is a refresh-token family: one login on one device. Refreshing
// rotates the token; presenting an already-rotated token revokes the family
// (reuse detection).
type Session struct {
	ID         string    `json:"id"`
	CustomerID string    `json:"-"`
	PersonID   string    `json:"-"`
	TokenHash  string    `json:"-"` // SHA-256 of the current refresh token
	CreatedAt  time.Time `json:"createdAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	UserAgent  string    `json:"userAgent,omitempty"`
	IP         string    `json:"ip,omitempty"`
	Revoked    bool      `json:"revoked"`
	// TokenVersion is the person's TokenVersion when the session opened;
	// a refresh after "log out everywhere" or a password change (which bump
	// the person's version) is refused.
	TokenVersion int `json:"-"`
}

// Activation purposes.
const (
	ActivationAccountRequest = "account-request" // wizard: contract number + email
	ActivationInvitation     = "invitation"      // an admin created a person
)

// Activation is a one-time link that lets a person set their password: sent
// by the account-request wizard and when an admin creates a person. Only
// the SHA-256 of the link token is stored.
type Activation struct {
	TokenHash  string `json:"-"`
	Purpose    string `json:"purpose"`
	CustomerID string `json:"customerId"`
	// PersonID is the person to activate; empty when the wizard's email is
	// the customer's contact email with no person yet (confirming then
	// creates the contract holder's admin login).
	PersonID  string    `json:"personId,omitempty"`
	Email     string    `json:"email"`
	ExpiresAt time.Time `json:"expiresAt"`
}
