package clientzone

import "time"

// Authorization PIN limits: the PINMaxFailures-th wrong PIN in a row locks
// the PIN for PINLockDuration.
const (
	PINMaxFailures  = 5
	PINLockDuration = time.Hour
	PINMinLength    = 4
	PINMaxLength    = 8
)

// PIN is a customer's authorization PIN, required as step-up for requests
// that change or affect the service. Only its argon2id hash is stored.
type PIN struct {
	CustomerID string
	Hash       string
	// Failures counts consecutive wrong PINs since the last right one.
	Failures int
	// LockedUntil is zero when the PIN is not locked.
	LockedUntil time.Time
	UpdatedAt   time.Time
}

// Locked reports whether the PIN is locked at now.
func (p *PIN) Locked(now time.Time) bool {
	return !p.LockedUntil.IsZero() && p.LockedUntil.After(now)
}
