package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
)

// Fixed one-time secrets of the demo data, so that the sample events
// events/account-request-confirm.json and events/password-reset-confirm.json
// succeed on a fresh stack. Local demo data only.
const (
	// ActivationToken is an invitation link for the technician (PersonTech).
	ActivationToken = "demo-activation-token-technik-0000000000000"
	// ResetID and ResetToken are an emailed password reset link for
	// admin@kovacs.hu (PersonHU).
	ResetID    = "demo-reset-0000000000001"
	ResetToken = ResetID + ".demo-reset-secret-hu-0000000000000000000000"
)

// SeedRecovery stores the demo activation link and password reset, valid
// for a day from now.
func SeedRecovery(ctx context.Context, db *dynamo.DB, now time.Time) error {
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:])
	}
	now = now.UTC()
	tx := db.NewTx()
	if err := tx.PutActivation(&clientzone.Activation{
		TokenHash: hash(ActivationToken), Purpose: clientzone.ActivationInvitation, CustomerID: CustomerSK,
		PersonID: PersonTech, Email: "peter@example.sk", ExpiresAt: now.Add(24 * time.Hour),
	}); err != nil {
		return err
	}
	if err := tx.PutPasswordReset(&clientzone.PasswordReset{
		ID: ResetID, CustomerID: CustomerHU, PersonID: PersonHU, Channel: clientzone.ChannelEmail,
		SecretHash: hash(ResetToken), CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour),
	}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
