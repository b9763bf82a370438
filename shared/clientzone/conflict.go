package clientzone

import "errors"

// ErrTransactionConflict matches (errors.Is) the error of a write that lost
// a race with a concurrent write to the same items (DynamoDB cancelled the
// transaction with TransactionConflict, or it was still in progress):
// nothing was written, and the same write may be tried again, e.g. with
// retry.Do. It is never a verdict on the data; a failed condition is
// reported with its own error instead.
var ErrTransactionConflict = errors.New("clientzone: the write conflicted with a concurrent transaction")

// IsTransactionConflict is the retry predicate of writes:
// errors.Is(err, ErrTransactionConflict).
func IsTransactionConflict(err error) bool { return errors.Is(err, ErrTransactionConflict) }
