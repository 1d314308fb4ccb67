package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// outboxChannel is the channel the outbox's insert trigger notifies.
const outboxChannel = "belong_outbox"

// maxOutboxError bounds the error text kept on a failed outbox row, in bytes.
const maxOutboxError = 1000

// listingLockSpace is the first key of the advisory locks that serialize work on
// one listing across indexer workers; 74060 is this project's and nobody else's.
const listingLockSpace = 74060

// queueIndex asks the indexer to bring a listing's search document up to date. It
// runs in the transaction of the write it follows, so the two commit together.
func queueIndex(ctx context.Context, tx pgx.Tx, listingID string) error {
	_, err := tx.Exec(ctx, `INSERT INTO outbox (listing_id) VALUES ($1)`, listingID)
	return translate(err, "queue listing for search")
}

// QueueListings asks the indexer to look at listings again although nothing in
// them was written, for instance because their next meeting has passed.
func (s *Store) QueueListings(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO outbox (listing_id) SELECT unnest($1::uuid[])`, ids)
	return translate(err, "queue listings for search")
}

// ProcessOutbox claims up to limit due outbox rows, the oldest first, and hands
// their distinct listing ids to apply, all in one transaction. When apply
// succeeds the rows are marked processed; when it fails each row's attempts go
// up, its error is kept and it waits 1 s·2^attempts (at most 5 minutes) before it
// is due again, and apply's error is returned. It returns how many rows it marked
// processed: 0 means nothing was due.
//
// Claimed rows stay locked until the transaction ends and other callers skip
// them, so two workers never get the same row. If the process dies before the
// commit, or ctx is canceled, or apply panics, the transaction rolls back and the
// rows stay pending, untouched.
//
// Several workers may hold rows of the same listing, queued by separate writes.
// Each transaction also takes an advisory lock per listing before apply, so the
// second one waits, then reads the listing afresh: the newer version is always
// the one written last.
func (s *Store) ProcessOutbox(ctx context.Context, limit int, apply func(ctx context.Context, listingIDs []string) error) (int, error) {
	if limit < 1 {
		return 0, fmt.Errorf("process outbox: limit must be positive, got %d", limit)
	}
	var processed int
	var applyErr error
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rowIDs, listingIDs, err := claimOutbox(ctx, tx, limit)
		if err != nil || len(rowIDs) == 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, k) FROM (
				SELECT DISTINCT hashtext(id) AS k FROM unnest($2::text[]) AS id ORDER BY k) AS keys`,
			listingLockSpace, listingIDs); err != nil {
			return translate(err, "lock listings of outbox rows")
		}
		applyErr = applyRolledBackOnPanic(ctx, tx, listingIDs, apply)
		switch {
		case applyErr == nil:
			_, err = tx.Exec(ctx, `UPDATE outbox SET processed_at = clock_timestamp(), last_error = NULL
				WHERE id = ANY($1)`, rowIDs)
			processed = len(rowIDs)
			return translate(err, "mark outbox rows processed")
		case ctx.Err() != nil:
			// Stopping is not the rows' fault: roll back and leave them as they were.
			return applyErr
		}
		_, err = tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
				available_at = clock_timestamp() + least(interval '5 minutes',
					interval '1 second' * power(2, least(attempts, 9)))
			WHERE id = ANY($1)`, rowIDs, truncateError(applyErr))
		return translate(err, "record outbox failure")
	})
	if err != nil {
		if applyErr != nil {
			return 0, applyErr
		}
		return 0, fmt.Errorf("process outbox: %w", err)
	}
	return processed, applyErr
}

// claimOutbox locks up to limit due rows, skipping rows another transaction holds.
func claimOutbox(ctx context.Context, tx pgx.Tx, limit int) (rowIDs []int64, listingIDs []string, err error) {
	rows, err := tx.Query(ctx, `SELECT id, listing_id::text FROM outbox
		WHERE processed_at IS NULL AND available_at <= now()
		ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
	if err != nil {
		return nil, nil, translate(err, "claim outbox rows")
	}
	seen := map[string]bool{}
	var rowID int64
	var listingID string
	_, err = pgx.ForEachRow(rows, []any{&rowID, &listingID}, func() error {
		rowIDs = append(rowIDs, rowID)
		if !seen[listingID] {
			seen[listingID] = true
			listingIDs = append(listingIDs, listingID)
		}
		return nil
	})
	return rowIDs, listingIDs, translate(err, "claim outbox rows")
}

// applyRolledBackOnPanic runs apply; should it panic, the transaction is rolled
// back before the panic goes on, so a caller that recovers has not leaked a
// connection still holding the claimed rows.
func applyRolledBackOnPanic(ctx context.Context, tx pgx.Tx, ids []string, apply func(context.Context, []string) error) error {
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(r)
		}
	}()
	return apply(ctx, ids)
}

// truncateError keeps the start of an error's text, cut on a character boundary
// and without the NUL bytes PostgreSQL text cannot hold.
func truncateError(err error) string {
	msg := strings.ToValidUTF8(strings.ReplaceAll(err.Error(), "\x00", ""), "?")
	if len(msg) <= maxOutboxError {
		return msg
	}
	cut := maxOutboxError
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}

// OutboxBacklog says how many outbox rows wait to be processed and how long the
// oldest of them has waited.
func (s *Store) OutboxBacklog(ctx context.Context) (pending int, oldest time.Duration, err error) {
	var seconds float64
	err = s.pool.QueryRow(ctx, `SELECT count(*),
			coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8
		FROM outbox WHERE processed_at IS NULL`).Scan(&pending, &seconds)
	if err != nil {
		return 0, 0, translate(err, "measure outbox backlog")
	}
	return pending, time.Duration(seconds * float64(time.Second)), nil
}

// PruneOutbox deletes rows processed longer than olderThan ago and returns how
// many it deleted. Pending rows are never deleted, however old.
func (s *Store) PruneOutbox(ctx context.Context, olderThan time.Duration) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM outbox
		WHERE processed_at < clock_timestamp() - make_interval(secs => $1)`, olderThan.Seconds())
	if err != nil {
		return 0, translate(err, "prune outbox")
	}
	return tag.RowsAffected(), nil
}

// OutboxMark returns the database's clock, to pass to RequeueProcessedSince later.
func (s *Store) OutboxMark(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := s.pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&t)
	return t, translate(err, "read database clock")
}

// RequeueProcessedSince queues again every listing whose outbox row was processed
// at or after mark. A rebuild that read listings while a worker was applying
// changes to the index it replaces uses it to apply those changes once more. It
// returns how many listings it queued.
func (s *Store) RequeueProcessedSince(ctx context.Context, mark time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO outbox (listing_id)
		SELECT DISTINCT listing_id FROM outbox WHERE processed_at >= $1`, mark)
	if err != nil {
		return 0, translate(err, "queue listings processed during a rebuild")
	}
	return int(tag.RowsAffected()), nil
}

// ListingIDs pages through the ids of every listing, whatever its status, in id
// order: pass "" to start and the last id of a page to get the next.
func (s *Store) ListingIDs(ctx context.Context, after string, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT id::text FROM listings
		WHERE $1 = '' OR id > nullif($1, '')::uuid ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, translate(err, "list listing ids")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err, "list listing ids")
}

// OutboxListener is a connection of its own, outside the pool, that hears about
// every outbox row added.
type OutboxListener struct {
	conn *pgx.Conn
}

// ListenOutbox opens a connection and listens for new outbox rows on it. Rows
// added before the call are not announced: listen first, then look.
func (s *Store) ListenOutbox(ctx context.Context) (*OutboxListener, error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to listen for outbox rows: %w", err)
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+outboxChannel); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("listen for outbox rows: %w", err)
	}
	return &OutboxListener{conn: conn}, nil
}

// Wait blocks until an outbox row is added or timeout passes, and reports which.
// An error means the connection is lost (or ctx is done): close the listener and
// open another.
func (l *OutboxListener) Wait(ctx context.Context, timeout time.Duration) (bool, error) {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err := l.conn.WaitForNotification(wctx)
	switch {
	case err == nil:
		return true, nil
	case ctx.Err() != nil:
		return false, ctx.Err()
	case pgconn.Timeout(err) && errors.Is(wctx.Err(), context.DeadlineExceeded) && !l.conn.IsClosed():
		return false, nil
	}
	return false, fmt.Errorf("wait for outbox rows: %w", err)
}

// Close ends the listening connection.
func (l *OutboxListener) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return l.conn.Close(ctx)
}
