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
}
