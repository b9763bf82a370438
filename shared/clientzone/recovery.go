package clientzone

import "time"

// Password reset limits (SPEC: codes 6 digits, 10 min, single use, 5 tries).
const (
	ResetCodeTTL      = 10 * time.Minute
	ResetLinkTTL      = 30 * time.Minute
	ResetMaxAttempts  = 5
	ActivationLinkTTL = 24 * time.Hour
)

// PasswordReset is a pending "forgotten password" request: a one-time code
// sent by SMS or a link sent by email. Only the SHA-256 of the code or link
// token is stored; wrong codes count towards MaxAttempts.
type PasswordReset struct {
	ID         string    `json:"id"`
	CustomerID string    `json:"customerId"`
	PersonID   string    `json:"personId"`
	Channel    string    `json:"channel"` // ChannelEmail or ChannelSMS
	SecretHash string    `json:"-"`
	Attempts   int       `json:"attempts"`
	CreatedAt  time.Time `json:"createdAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// IsE164 reports whether s is a phone number in E.164 form: "+", a non-zero
// digit, then 6 to 14 more digits (^\+[1-9][0-9]{6,14}$ without compiling
// a regular expression at every cold start).
func IsE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
