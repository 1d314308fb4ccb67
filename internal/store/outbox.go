package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
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

// claimLockSpace is the first key of the advisory lock that makes outbox
// claims take turns; 74060 is this project's and nobody else's.
const claimLockSpace = 74060

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

// ProcessOutbox claims up to limit due outbox rows, the oldest first, for lease,
// and hands their distinct listing ids to apply. When apply succeeds the rows are
// marked processed; when it fails each row's attempts go up, its error is kept
// and it waits 1 s·2^attempts (at most 5 minutes) before it is due again, and
// apply's error is returned. It returns how many rows it marked processed: 0
// means nothing was due.
//
// No transaction is open while apply runs, so a slow Meilisearch holds no
// connection, row lock or advisory lock: a short transaction claims the rows
// (claimed_until and a token of this call's own) and commits, apply runs, and
// another short statement records the outcome on the rows that still carry the
// token. The lease is renewed while apply runs, and apply's context ends a
// tenth of a lease before the last renewed lease does (see keepLease), so
// nothing it sends arrives after another worker may have claimed the rows.
//
// If ctx is canceled or apply panics, the rows are released as they were. If the
// process dies, its lease runs out and the rows are claimable again.
//
// A claim skips every listing that has a row under a live lease, so two workers
// never apply one listing at once. A listing written again while it is applied
// gets a new row that stays pending until the lease ends, and is then applied
// again: apply reads the listing afresh, so its newest version is the one written
// last.
func (s *Store) ProcessOutbox(ctx context.Context, limit int, lease time.Duration,
	apply func(ctx context.Context, listingIDs []string) error) (int, error) {
	if limit < 1 {
		return 0, fmt.Errorf("process outbox: limit must be positive, got %d", limit)
	}
	if lease <= 0 {
		return 0, fmt.Errorf("process outbox: lease must be positive, got %v", lease)
	}
	// The lease is measured from before the claim, so the deadline below is
	// never later than the lease's end on the database's clock.
	claimedAt := time.Now()
	token := rand.Text()
	listingIDs, err := s.claimOutbox(ctx, limit, lease, token)
	if err != nil || len(listingIDs) == 0 {
		return 0, err
	}
	applyErr := s.applyReleasedOnPanic(ctx, token, func() (err error) {
		actx, stop := s.keepLease(ctx, token, lease, claimedAt)
		defer func() {
			if stop() && err != nil {
				err = fmt.Errorf("%w: %w", errLeaseEnding, err)
			}
		}()
		return apply(actx, listingIDs)
	})
	// The outcome is worth recording even when ctx has just ended.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), outcomeTimeout)
	defer cancel()
	switch {
	case applyErr == nil:
		tag, err := s.pool.Exec(rctx, `UPDATE outbox SET processed_at = clock_timestamp(), last_error = NULL,
				claimed_until = NULL, claim_token = NULL
			WHERE claim_token = $1`, token)
		if err != nil {
			return 0, fmt.Errorf("process outbox: %w", translate(err, "mark outbox rows processed"))
		}
		return int(tag.RowsAffected()), nil
	case ctx.Err() != nil:
		// Stopping is not the rows' fault: leave them as they were, claimable now.
		if err := s.releaseOutbox(rctx, token); err != nil {
			return 0, errors.Join(applyErr, err)
		}
		return 0, applyErr
	}
	_, err = s.pool.Exec(rctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
			available_at = clock_timestamp() + least(interval '5 minutes',
				interval '1 second' * power(2, least(attempts, 9))),
			claimed_until = NULL, claim_token = NULL
		WHERE claim_token = $1`, token, truncateError(applyErr))
	if err != nil {
		return 0, errors.Join(applyErr, translate(err, "record outbox failure"))
	}
	return 0, applyErr
}

// errLeaseEnding is why apply's context ends when its lease could not be
// renewed: a deadline, as far as callers are concerned.
var errLeaseEnding = fmt.Errorf("outbox lease about to run out: %w", context.DeadlineExceeded)

// keepLease renews token's lease every third of it while apply runs, and ends
// the context it returns a tenth of a lease before the last lease it holds
// runs out: when PostgreSQL cannot be reached to renew it, or the lease ran out
// anyway. So a batch that waits minutes for Meilisearch keeps its rows, while
// the rows of a worker that dies, or loses PostgreSQL, are claimable again
// within one lease. stop ends the renewals and says whether the context ended
// because the lease was about to.
func (s *Store) keepLease(ctx context.Context, token string, lease time.Duration, claimedAt time.Time) (
	context.Context, func() bool) {
	actx, cancel := context.WithCancelCause(ctx)
	margin := lease - lease/10
	// Times are taken before the statements that set the lease, so each end is
	// never later than the lease's end on the database's clock.
	end := time.AfterFunc(time.Until(claimedAt.Add(margin)), func() { cancel(errLeaseEnding) })
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-actx.Done():
				return
			case <-tick.C:
			}
			at := time.Now()
			rctx, done := context.WithTimeout(actx, lease/3)
			tag, err := s.pool.Exec(rctx, `UPDATE outbox SET claimed_until = statement_timestamp() + make_interval(secs => $2)
				WHERE claim_token = $1 AND claimed_until > statement_timestamp()`, token, lease.Seconds())
			done()
			if err == nil && tag.RowsAffected() > 0 {
				end.Reset(time.Until(at.Add(margin)))
			}
		}
	}()
	return actx, func() bool {
		ending := context.Cause(actx) == errLeaseEnding
		cancel(context.Canceled)
		end.Stop()
		<-stopped
		return ending
	}
}

// outcomeTimeout bounds recording a batch's outcome; past it, the lease running
// out does the recording's work.
const outcomeTimeout = 10 * time.Second

// claimOutbox leases up to limit due rows to token and returns their distinct
// listing ids in row order. Claims take turns under an advisory lock held for
// one short transaction: the statement that claims then sees every lease
// committed before it, so two claims cannot both take rows of one listing.
func (s *Store) claimOutbox(ctx context.Context, limit int, lease time.Duration, token string) ([]string, error) {
	type claimed struct {
		id        int64
		listingID string
	}
	var got []claimed
	// One round trip: a batch runs in one implicit transaction, which holds the
	// advisory lock until it commits. A claim lost in a crash of the server
	// only leaves its rows to be claimed again, and applying a row twice writes
	// the same documents, so the commit need not wait for the disk: a change
	// reaches Meilisearch a flush sooner.
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('synchronous_commit', 'off', true)`)
	b.Queue(`SELECT pg_advisory_xact_lock($1, 0)`, claimLockSpace)
	b.Queue(`WITH due AS (
			SELECT o.id FROM outbox o
			WHERE o.processed_at IS NULL AND o.available_at <= statement_timestamp()
				AND (o.claimed_until IS NULL OR o.claimed_until <= statement_timestamp())
				AND NOT EXISTS (SELECT FROM outbox held
					WHERE held.listing_id = o.listing_id AND held.processed_at IS NULL
						AND held.claimed_until > statement_timestamp())
			ORDER BY o.id LIMIT $1)
		UPDATE outbox o SET claimed_until = statement_timestamp() + make_interval(secs => $2), claim_token = $3
		FROM due WHERE o.id = due.id
		RETURNING o.id, o.listing_id::text`, limit, lease.Seconds(), token).Query(func(rows pgx.Rows) error {
		var c claimed
		_, err := pgx.ForEachRow(rows, []any{&c.id, &c.listingID}, func() error {
			got = append(got, c)
			return nil
		})
		return err
	})
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, translate(err, "claim outbox rows")
	}
	slices.SortFunc(got, func(a, b claimed) int { return cmp.Compare(a.id, b.id) })
	seen := map[string]bool{}
	var listingIDs []string
	for _, c := range got {
		if !seen[c.listingID] {
			seen[c.listingID] = true
			listingIDs = append(listingIDs, c.listingID)
		}
	}
	return listingIDs, nil
}

// releaseOutbox ends token's lease on the rows it still holds, leaving them as
// they were before the claim.
func (s *Store) releaseOutbox(ctx context.Context, token string) error {
	_, err := s.pool.Exec(ctx, `UPDATE outbox SET claimed_until = NULL, claim_token = NULL
		WHERE claim_token = $1`, token)
	return translate(err, "release outbox rows")
}

// applyReleasedOnPanic runs apply; should it panic, the claimed rows are
// released before the panic goes on, so a caller that recovers finds them
// claimable at once rather than after the lease.
func (s *Store) applyReleasedOnPanic(ctx context.Context, token string, apply func() error) error {
	defer func() {
		if r := recover(); r != nil {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), outcomeTimeout)
			defer cancel()
			_ = s.releaseOutbox(rctx, token)
			panic(r)
		}
	}()
	return apply()
}

// RetryWaiting makes every pending row that is waiting out a back-off due now,
// and returns how many it changed. The indexer calls it when a sink that failed
// answers again, so changes made during an outage are not held back for up to
// five more minutes.
func (s *Store) RetryWaiting(ctx context.Context) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET available_at = clock_timestamp()
		WHERE processed_at IS NULL AND available_at > clock_timestamp()`)
	if err != nil {
		return 0, translate(err, "retry waiting outbox rows")
	}
	return int(tag.RowsAffected()), nil
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

// OutboxEmpty reports whether no outbox row waits to be processed. Unlike
// OutboxBacklog, which counts them, it stops at the first, so it is cheap to
// ask often while a bulk load drains.
func (s *Store) OutboxEmpty(ctx context.Context) (bool, error) {
	var empty bool
	err := s.pool.QueryRow(ctx, `SELECT NOT EXISTS (SELECT FROM outbox WHERE processed_at IS NULL)`).Scan(&empty)
	if err != nil {
		return false, translate(err, "check outbox backlog")
	}
	return empty, nil
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
