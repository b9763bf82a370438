package clientzone

import "time"

// Clock tells the time. Production uses SystemClock; tests and the
// schedulers' "run as of" mode inject a fixed one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real UTC wall clock.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock always returns the same instant.
type FixedClock time.Time

// Now returns the fixed instant in UTC.
func (c FixedClock) Now() time.Time { return time.Time(c).UTC() }
