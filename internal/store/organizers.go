package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

// Audit records who changed what, in the transaction of the change.
func (t *Tx) Audit(ctx context.Context, actor, action, entity, entityID string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return audit(ctx, t.tx, actor, action, entity, entityID, b)
}

// AddManageLink keeps the hash of a new manage link for a listing.
func (t *Tx) AddManageLink(ctx context.Context, listingID string, hash []byte) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO manage_links (token_hash, listing_id) VALUES ($1, $2)`, hash, listingID)
	return translate(err, "add manage link")
}

// RevokeManageLinks makes every manage link of a listing stop working.
func (t *Tx) RevokeManageLinks(ctx context.Context, listingID string) error {
	_, err := t.tx.Exec(ctx, `UPDATE manage_links SET revoked_at = now() WHERE listing_id = $1 AND revoked_at IS NULL`,
		listingID)
	return translate(err, "revoke manage links")
}

// ManageLink returns the listing a manage link's hash opens: ErrNotFound for one
// that never existed or was revoked.
func (s *Store) ManageLink(ctx context.Context, hash []byte) (string, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT listing_id FROM manage_links WHERE token_hash = $1 AND revoked_at IS NULL`,
		hash).Scan(&id)
	return id, translate(err, "open manage link")
}

// ListingsByContact returns the ids of the listings whose private contact is email.
func (s *Store) ListingsByContact(ctx context.Context, email string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT id::text FROM listings WHERE lower(contact_email) = lower($1)
		AND status <> 'archived' ORDER BY created_at`, email)
	if err != nil {
		return nil, translate(err, "find listings by contact")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err, "find listings by contact")
}

// AddRevision stores a proposed listing; a listing has at most one open revision,
// so an open one is withdrawn first.
func (t *Tx) AddRevision(ctx context.Context, r *directory.Revision) error {
	if _, err := t.tx.Exec(ctx, `UPDATE revisions SET state = 'withdrawn', decided_at = now()
		WHERE listing_id = $1 AND state IN ('unverified', 'pending')`, r.ListingID); err != nil {
		return translate(err, "withdraw the open revision")
	}
	proposed, err := json.Marshal(r.Proposed)
	if err != nil {
		return fmt.Errorf("add revision: %w", err)
	}
	err = t.tx.QueryRow(ctx, `INSERT INTO revisions (listing_id, kind, state, proposed, base_version)
		VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
		r.ListingID, r.Kind, r.State, proposed, r.BaseVersion).Scan(&r.ID, &r.CreatedAt)
	return translate(err, "add revision")
}

// DecideRevision moves an open revision to state. A revision already decided
// (by someone else, a moment ago) is ErrConflict.
func (t *Tx) DecideRevision(ctx context.Context, id string, from, to directory.RevisionState, reason, by string) error {
	tag, err := t.tx.Exec(ctx, `UPDATE revisions SET state = $3, reason = $4, decided_by = NULLIF($5, ''),
			decided_at = CASE WHEN $3 IN ('unverified', 'pending') THEN NULL ELSE now() END
		WHERE id = $1 AND state = $2`, id, from, to, reason, by)
	if err != nil {
		return translate(err, "decide revision")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revision %s is no longer %s: %w", id, from, directory.ErrConflict)
	}
	return nil
}

const revisionColumns = `id::text, listing_id::text, kind, state, proposed, base_version, reason, created_at,
	decided_at, coalesce(decided_by, '')`

func scanRevision(r pgx.CollectableRow) (directory.Revision, error) {
	var rev directory.Revision
	var proposed []byte
	err := r.Scan(&rev.ID, &rev.ListingID, &rev.Kind, &rev.State, &proposed, &rev.BaseVersion, &rev.Reason,
		&rev.CreatedAt, &rev.DecidedAt, &rev.DecidedBy)
	if err == nil {
		err = json.Unmarshal(proposed, &rev.Proposed)
	}
	return rev, err
}

// Revision returns one revision.
func (s *Store) Revision(ctx context.Context, id string) (directory.Revision, error) {
	if !uuidPattern.MatchString(id) {
		return directory.Revision{}, fmt.Errorf("revision %q: %w", id, directory.ErrNotFound)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = $1`, id)
	if err != nil {
		return directory.Revision{}, translate(err, "load revision")
	}
	rev, err := pgx.CollectExactlyOneRow(rows, scanRevision)
	return rev, translate(err, "load revision")
}

// LatestRevision returns a listing's newest revision, open or decided.
func (s *Store) LatestRevision(ctx context.Context, listingID string) (directory.Revision, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE listing_id = $1
		ORDER BY created_at DESC, id LIMIT 1`, listingID)
	if err != nil {
		return directory.Revision{}, translate(err, "load latest revision")
	}
	rev, err := pgx.CollectExactlyOneRow(rows, scanRevision)
	return rev, translate(err, "load latest revision")
}

// PendingRevisions are the revisions waiting for a moderator, oldest first.
func (s *Store) PendingRevisions(ctx context.Context, limit int) ([]directory.Revision, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE state = 'pending'
		ORDER BY created_at, id LIMIT $1`, limit)
	if err != nil {
		return nil, translate(err, "load the moderation queue")
	}
	revs, err := pgx.CollectRows(rows, scanRevision)
	return revs, translate(err, "load the moderation queue")
}

// ConfirmListing records that a listing is still accurate, as of now, and
// queues it for search (its freshness changes).
func (t *Tx) ConfirmListing(ctx context.Context, id string, by directory.Source) error {
	tag, err := t.tx.Exec(ctx, `UPDATE listings SET confirmed_at = now(), confirmed_by = $2,
		version = version + 1, updated_at = now() WHERE id = $1`, id, by)
	if err != nil {
		return translate(err, "confirm listing")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("confirm listing %s: %w", id, directory.ErrNotFound)
	}
	return queueIndex(ctx, t.tx, id)
}

// SetListingStatus publishes, pauses or archives a listing and queues it for
// search.
func (t *Tx) SetListingStatus(ctx context.Context, id string, status directory.Status, paused bool) error {
	tag, err := t.tx.Exec(ctx, `UPDATE listings SET status = $2, paused = $3, version = version + 1,
		updated_at = now() WHERE id = $1`, id, status, paused)
	if err != nil {
		return translate(err, "change listing status")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("change listing %s: %w", id, directory.ErrNotFound)
	}
	return queueIndex(ctx, t.tx, id)
}

// History is a listing's public change history, newest first: dates and kinds
// of change from the audit log, with the actor reduced to a role.
func (s *Store) History(ctx context.Context, listingID string, limit int) ([]directory.Change, error) {
	rows, err := s.pool.Query(ctx, `SELECT at, action,
			CASE WHEN actor LIKE 'moderator:%' OR actor LIKE 'admin:%' THEN 'moderator'
				WHEN actor IN ('organizer', 'import', 'system') THEN actor
				WHEN actor LIKE 'import%' OR actor = 'seed' THEN 'import'
				ELSE 'system' END
		FROM audit_log WHERE entity = 'listing' AND entity_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
		listingID, limit)
	if err != nil {
		return nil, translate(err, "load history")
	}
	changes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (directory.Change, error) {
		var c directory.Change
		err := r.Scan(&c.At, &c.Action, &c.By)
		return c, err
	})
	return changes, translate(err, "load history")
}

// RemindersDue returns published listings confirmed before cutoff whose
// organizer has a private contact and was not reminded since remindedBefore.
func (s *Store) RemindersDue(ctx context.Context, cutoff, remindedBefore time.Time, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT id::text FROM listings
		WHERE status = 'published' AND contact_email IS NOT NULL AND confirmed_at < $1
			AND (reminded_at IS NULL OR reminded_at < $2)
		ORDER BY confirmed_at LIMIT $3`, cutoff, remindedBefore, limit)
	if err != nil {
		return nil, translate(err, "find listings to remind")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err, "find listings to remind")
}

// MarkReminded records that the organizer of a listing was asked to confirm it.
func (t *Tx) MarkReminded(ctx context.Context, id string, at time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE listings SET reminded_at = $2 WHERE id = $1`, id, at)
	return translate(err, "mark listing reminded")
}
