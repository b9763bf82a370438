package dynamo

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// AuditPage is a page of audit entries, newest first.
type AuditPage struct {
	Entries    []clientzone.AuditEntry
	NextCursor string
}

// AuditLog lists a customer's audit entries newest first with one Query.
func (db *DB) AuditLog(ctx context.Context, cid string, limit int, cursor string) (*AuditPage, error) {
	items, next, err := newestFirst[auditItem](ctx, db, cid, "AUDIT#", limit, cursor, "", nil)
	if err != nil {
		return nil, err
	}
	page := &AuditPage{Entries: make([]clientzone.AuditEntry, 0, len(items)), NextCursor: next}
	for _, it := range items {
		page.Entries = append(page.Entries, it.AuditEntry)
	}
	return page, nil
}
