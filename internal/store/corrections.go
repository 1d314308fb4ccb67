package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

// AddCorrection stores a correction with the hash of its sender's status link,
// and sets its id and when it arrived: the database's time, as a revision's
// is, since the two are compared (ApplyCorrections).
func (t *Tx) AddCorrection(ctx context.Context, c *directory.Correction, statusHash []byte) error {
	err := t.tx.QueryRow(ctx, `INSERT INTO corrections (listing_id, kind, body, status_hash)
		VALUES ($1, $2, $3, $4) RETURNING id::text, created_at`,
		c.ListingID, c.Kind, c.Text, statusHash).Scan(&c.ID, &c.CreatedAt)
	return translate(err, "add correction")
}

// DecideCorrection moves a received correction to applied (with how) or
// declined (with a reason). One already decided is ErrConflict, one of another
// listing (when listingID is not empty) ErrNotFound.
func (t *Tx) DecideCorrection(ctx context.Context, id, listingID string, to directory.CorrectionState,
	how directory.Resolution, reason, by string, at time.Time) error {
	if !uuidPattern.MatchString(id) {
		return fmt.Errorf("correction %q: %w", id, directory.ErrNotFound)
	}
	var state directory.CorrectionState
	err := t.tx.QueryRow(ctx, `SELECT state FROM corrections WHERE id = $1
		AND ($2 = '' OR listing_id::text = $2) FOR UPDATE`, id, listingID).Scan(&state)
	if err != nil {
		return translate(err, "decide correction")
	}
	if state != directory.CorrectionReceived {
		return fmt.Errorf("correction %s is %s already: %w", id, state, directory.ErrConflict)
	}
	_, err = t.tx.Exec(ctx, `UPDATE corrections SET state = $2, resolution = NULLIF($3, ''), reason = $4,
		decided_by = NULLIF($5, ''), decided_at = $6 WHERE id = $1`, id, to, how, reason, by, at)
	return translate(err, "decide correction")
}

// ApplyCorrections marks every correction of a listing received before
// `before` and still open as applied, with how; it returns their ids.
func (t *Tx) ApplyCorrections(ctx context.Context, listingID string, before time.Time, how directory.Resolution,
	by string, at time.Time) ([]string, error) {
	rows, err := t.tx.Query(ctx, `UPDATE corrections SET state = 'applied', resolution = $3, decided_by = NULLIF($4, ''),
			decided_at = $5
		WHERE listing_id = $1 AND state = 'received' AND created_at <= $2 RETURNING id::text`,
		listingID, before, how, by, at)
	if err != nil {
		return nil, translate(err, "apply corrections")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err, "apply corrections")
}

const correctionColumns = `c.id::text, c.listing_id::text, c.kind, c.body, c.state, coalesce(c.resolution, ''),
	c.reason, c.created_at, c.decided_at, coalesce(c.decided_by, ''), l.name, l.slug`

func scanCorrection(r pgx.CollectableRow) (directory.Correction, error) {
	var c directory.Correction
	err := r.Scan(&c.ID, &c.ListingID, &c.Kind, &c.Text, &c.State, &c.Resolution, &c.Reason, &c.CreatedAt,
		&c.DecidedAt, &c.DecidedBy, &c.ListingName, &c.ListingSlug)
	return c, err
}

// Correction returns one correction by id.
func (s *Store) Correction(ctx context.Context, id string) (directory.Correction, error) {
	if !uuidPattern.MatchString(id) {
		return directory.Correction{}, fmt.Errorf("correction %q: %w", id, directory.ErrNotFound)
	}
	return s.oneCorrection(ctx, `c.id = $1`, id)
}

// CorrectionByStatus returns the correction a status link's hash opens, if it
// is still open or was decided after decidedAfter: ErrNotFound otherwise.
func (s *Store) CorrectionByStatus(ctx context.Context, hash []byte, decidedAfter time.Time) (directory.Correction, error) {
	return s.oneCorrection(ctx, `c.status_hash = $1 AND (c.decided_at IS NULL OR c.decided_at > $2)`, hash, decidedAfter)
}

func (s *Store) oneCorrection(ctx context.Context, where string, args ...any) (directory.Correction, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+correctionColumns+` FROM corrections c
		JOIN listings l ON l.id = c.listing_id WHERE `+where, args...)
	if err != nil {
		return directory.Correction{}, translate(err, "load correction")
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCorrection)
	return c, translate(err, "load correction")
}

// OpenCorrections are the corrections nobody has answered yet, oldest first,
// and how many there are in all.
func (s *Store) OpenCorrections(ctx context.Context, limit int) ([]directory.Correction, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM corrections WHERE state = 'received'`).Scan(&total); err != nil {
		return nil, 0, translate(err, "count corrections")
	}
	rows, err := s.pool.Query(ctx, `SELECT `+correctionColumns+` FROM corrections c
		JOIN listings l ON l.id = c.listing_id WHERE c.state = 'received' ORDER BY c.created_at, c.id LIMIT $1`, limit)
	if err != nil {
		return nil, 0, translate(err, "load corrections")
	}
	cs, err := pgx.CollectRows(rows, scanCorrection)
	return cs, total, translate(err, "load corrections")
}

// OpenCorrectionsOf are a listing's corrections nobody has answered yet,
// oldest first.
func (s *Store) OpenCorrectionsOf(ctx context.Context, listingID string) ([]directory.Correction, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+correctionColumns+` FROM corrections c
		JOIN listings l ON l.id = c.listing_id WHERE c.listing_id = $1 AND c.state = 'received'
		ORDER BY c.created_at, c.id LIMIT 50`, listingID)
	if err != nil {
		return nil, translate(err, "load a listing's corrections")
	}
	cs, err := pgx.CollectRows(rows, scanCorrection)
	return cs, translate(err, "load a listing's corrections")
}
