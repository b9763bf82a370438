package clientzone

// SavedResponse is the outcome of a request made with an Idempotency-Key,
// kept to be replayed to retries of the same request.
type SavedResponse struct {
	Status      int
	ContentType string
	Location    string
	Body        string
}

// Conflicts of a request made with an Idempotency-Key.
var (
	// ErrIdempotencyKeyReused: the key was used for a different request.
	ErrIdempotencyKeyReused = &Error{Code: ECONFLICT, Message: "This Idempotency-Key was already used for a different request.",
		Fields: []FieldError{{Field: "Idempotency-Key", Code: "reused", Message: "Use a new key for a new request."}}}
	// ErrIdempotencyInProgress: the first request with the key has not
	// finished yet.
	ErrIdempotencyInProgress = Errorf(ECONFLICT, "A request with this Idempotency-Key is still being processed; retry later.")
)
