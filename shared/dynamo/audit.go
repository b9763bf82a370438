package dynamo

import (
	"context"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// AuditLog lists a customer's audit entries newest first with one Query.
func (db *DB) AuditLog(ctx context.Context, cid string, limit int, cursor string) (*account.AuditPage, error) {
	items, next, err := newestFirst[auditItem](ctx, db, cid, "AUDIT#", limit, cursor, "", nil)
	if err != nil {
		return nil, err
	}
	page := &account.AuditPage{Entries: make([]clientzone.AuditEntry, 0, len(items)), NextCursor: next}
	for _, it := range items {
		page.Entries = append(page.Entries, it.AuditEntry)
	}
	return page, nil
}
