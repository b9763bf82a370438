package dynamo

import (
	"context"

	"github.com/clientzone/clientzone/shared/clientzone"
)

type activationItem struct {
	keys
	clientzone.Activation
}

// ActivationPK is the key of an activation link by its token hash.
func ActivationPK(tokenHash string) string { return "ACTIVATION#" + tokenHash }

// PutActivation stores a one-time activation link in tx; DynamoDB deletes
// it after it expires.
func (tx *Tx) PutActivation(a *clientzone.Activation) error {
	return tx.Put(activationItem{
		keys:       keys{PK: ActivationPK(a.TokenHash), SK: "ACTIVATION", TTL: a.ExpiresAt.Unix()},
		Activation: *a,
	}, "attribute_not_exists(pk)", nil, nil, nil)
}

// Activation returns an activation link by token hash (expired ones may
// still be returned until TTL removes them: check ExpiresAt).
func (db *DB) Activation(ctx context.Context, tokenHash string) (*clientzone.Activation, error) {
	var it activationItem
	if err := db.get(ctx, ActivationPK(tokenHash), "ACTIVATION", "Activation", &it); err != nil {
		return nil, err
	}
	it.Activation.TokenHash = tokenHash
	return &it.Activation, nil
}

// ConsumeActivation deletes the link in tx, failing with onConflict when it
// was already used: single use even under concurrent confirms.
func (tx *Tx) ConsumeActivation(tokenHash string, onConflict error) error {
	return tx.Delete(ActivationPK(tokenHash), "ACTIVATION", "attribute_exists(pk)", nil, nil, onConflict)
}
