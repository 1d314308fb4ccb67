package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// audit records who changed what, in the same transaction as the change.
func audit(ctx context.Context, tx pgx.Tx, actor, action, entity, entityID string, detail []byte) error {
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (actor, action, entity, entity_id, detail)
		VALUES ($1, $2, $3, $4, $5)`, actor, action, entity, entityID, detail)
	return translate(err, "write audit log")
}
