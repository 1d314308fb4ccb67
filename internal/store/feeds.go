package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

const feedColumns = `f.id::text, f.kind, f.url, f.name, f.default_timezone, f.default_country, f.allow_private,
	f.subscribed, extract(epoch FROM f.sync_every)::bigint, f.next_sync_at, extract(epoch FROM f.grace)::bigint,
	f.confirm_drop, f.created_by, f.created_at`

func scanFeed(r pgx.CollectableRow) (directory.Feed, error) {
	var f directory.Feed
	var every, grace int64
	err := r.Scan(&f.ID, &f.Kind, &f.URL, &f.Name, &f.DefaultTimeZone, &f.DefaultCountry, &f.AllowPrivate,
		&f.Subscribed, &every, &f.NextSyncAt, &grace, &f.ConfirmDrop, &f.CreatedBy, &f.CreatedAt)
	f.SyncEvery, f.Grace = time.Duration(every)*time.Second, time.Duration(grace)*time.Second
	return f, err
}

// SaveFeed adds a feed, or updates the one with the same URL, and sets f.ID. A
// new subscription's first sync is due at f.NextSyncAt, or at once.
func (t *Tx) SaveFeed(ctx context.Context, f *directory.Feed, actor string) error {
	err := t.tx.QueryRow(ctx, `
		INSERT INTO feeds (kind, url, name, default_timezone, default_country, allow_private, subscribed,
			sync_every, grace, next_sync_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, make_interval(secs => $8), make_interval(secs => $9),
			CASE WHEN $7 THEN coalesce($11, now()) END, $10)
		ON CONFLICT (url) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
			default_timezone = EXCLUDED.default_timezone, default_country = EXCLUDED.default_country,
			allow_private = EXCLUDED.allow_private, subscribed = feeds.subscribed OR EXCLUDED.subscribed,
			sync_every = EXCLUDED.sync_every, grace = EXCLUDED.grace,
			next_sync_at = coalesce(feeds.next_sync_at, EXCLUDED.next_sync_at)
		RETURNING id::text`,
		f.Kind, f.URL, f.Name, f.DefaultTimeZone, f.DefaultCountry, f.AllowPrivate, f.Subscribed,
		f.SyncEvery.Seconds(), f.Grace.Seconds(), actor, f.NextSyncAt).Scan(&f.ID)
	if err != nil {
		return translate(err, "save feed")
	}
	return audit(ctx, t.tx, actor, "save", "feed", f.ID, mustJSON(map[string]any{"url": f.URL,
		"subscribed": f.Subscribed, "allow_private": f.AllowPrivate}))
}

// DeleteFeed removes a feed and its runs; its listings stay, no longer synced.
func (t *Tx) DeleteFeed(ctx context.Context, id, actor string) error {
	if !uuidPattern.MatchString(id) {
		return fmt.Errorf("feed %q: %w", id, directory.ErrNotFound)
	}
	tag, err := t.tx.Exec(ctx, `DELETE FROM feeds WHERE id = $1`, id)
	if err != nil {
		return translate(err, "remove feed")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("remove feed %s: %w", id, directory.ErrNotFound)
	}
	return audit(ctx, t.tx, actor, "remove", "feed", id, []byte("{}"))
}

// SetFeedConfirmDrop records that an admin confirmed (or, with false, that a
// run used up) a held large drop.
func (t *Tx) SetFeedConfirmDrop(ctx context.Context, id string, confirm bool, actor string) error {
	if !uuidPattern.MatchString(id) {
		return fmt.Errorf("feed %q: %w", id, directory.ErrNotFound)
	}
	tag, err := t.tx.Exec(ctx, `UPDATE feeds SET confirm_drop = $2 WHERE id = $1`, id, confirm)
	if err != nil {
		return translate(err, "confirm feed drop")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("confirm feed drop %s: %w", id, directory.ErrNotFound)
	}
	if !confirm {
		return nil
	}
	return audit(ctx, t.tx, actor, "confirm_drop", "feed", id, []byte("{}"))
}

// ScheduleFeedSync sets when a subscription is next synced; a feed that is not
// a subscription is left alone (it is imported from the command line).
func (t *Tx) ScheduleFeedSync(ctx context.Context, id string, at time.Time) error {
	if !uuidPattern.MatchString(id) {
		return fmt.Errorf("feed %q: %w", id, directory.ErrNotFound)
	}
	var found bool
	err := t.tx.QueryRow(ctx, `WITH f AS (SELECT id, subscribed FROM feeds WHERE id = $1),
			u AS (UPDATE feeds SET next_sync_at = $2 WHERE id IN (SELECT id FROM f WHERE subscribed))
		SELECT EXISTS (SELECT 1 FROM f)`, id, at).Scan(&found)
	if err != nil {
		return translate(err, "schedule feed sync")
	}
	if !found {
		return fmt.Errorf("feed %s: %w", id, directory.ErrNotFound)
	}
	return nil
}

// Feed returns one feed with its last run.
func (s *Store) Feed(ctx context.Context, id string) (directory.Feed, error) {
	if !uuidPattern.MatchString(id) {
		return directory.Feed{}, fmt.Errorf("feed %q: %w", id, directory.ErrNotFound)
	}
	feeds, err := s.feedsWhere(ctx, "f.id = $1", id)
	if err != nil {
		return directory.Feed{}, err
	}
	if len(feeds) == 0 {
		return directory.Feed{}, fmt.Errorf("feed %q: %w", id, directory.ErrNotFound)
	}
	return feeds[0], nil
}

// FeedByURL returns the feed with this URL.
func (s *Store) FeedByURL(ctx context.Context, url string) (directory.Feed, error) {
	feeds, err := s.feedsWhere(ctx, "f.url = $1", url)
	if err != nil {
		return directory.Feed{}, err
	}
	if len(feeds) == 0 {
		return directory.Feed{}, fmt.Errorf("feed %q: %w", url, directory.ErrNotFound)
	}
	return feeds[0], nil
}

// Feeds lists every feed with its last run, subscriptions first, by name.
func (s *Store) Feeds(ctx context.Context) ([]directory.Feed, error) {
	return s.feedsWhere(ctx, "true", nil)
}

// FeedsDue lists the subscriptions whose next sync is due at now.
func (s *Store) FeedsDue(ctx context.Context, now time.Time) ([]directory.Feed, error) {
	return s.feedsWhere(ctx, "f.subscribed AND f.next_sync_at <= $1", now)
}

func (s *Store) feedsWhere(ctx context.Context, cond string, arg any) ([]directory.Feed, error) {
	args := []any{}
	if arg != nil {
		args = append(args, arg)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+feedColumns+` FROM feeds f WHERE `+cond+`
		ORDER BY f.subscribed DESC, f.name, f.url`, args...)
	if err != nil {
		return nil, translate(err, "load feeds")
	}
	feeds, err := pgx.CollectRows(rows, scanFeed)
	if err != nil {
		return nil, translate(err, "load feeds")
	}
	for i := range feeds {
		runs, err := s.FeedRuns(ctx, feeds[i].ID, 1)
		if err != nil {
			return nil, err
		}
		if len(runs) > 0 {
			feeds[i].LastRun = &runs[0]
		}
	}
	return feeds, nil
}

const runColumns = `id, feed_id::text, started_at, finished_at, outcome, message, meetings, added, updated,
	unchanged, missing, archived, skipped, report`

func scanRun(r pgx.CollectableRow) (directory.FeedRun, error) {
	var run directory.FeedRun
	var report []byte
	err := r.Scan(&run.ID, &run.FeedID, &run.StartedAt, &run.FinishedAt, &run.Outcome, &run.Message,
		&run.Meetings, &run.Added, &run.Updated, &run.Unchanged, &run.Missing, &run.Archived, &run.Skipped, &report)
	if err == nil {
		err = json.Unmarshal(report, &run.Report)
	}
	return run, err
}

// AddFeedRun records one run of an import and sets run.ID.
func (t *Tx) AddFeedRun(ctx context.Context, run *directory.FeedRun) error {
	report, err := json.Marshal(run.Report)
	if err != nil {
		return fmt.Errorf("record feed run: %w", err)
	}
	err = t.tx.QueryRow(ctx, `INSERT INTO feed_runs (feed_id, started_at, outcome, message, meetings, added,
			updated, unchanged, missing, archived, skipped, report)
		VALUES ($1, $2, $3, left($4, 2000), $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id, finished_at`,
		run.FeedID, run.StartedAt, run.Outcome, run.Message, run.Meetings, run.Added, run.Updated, run.Unchanged,
		run.Missing, run.Archived, run.Skipped, report).Scan(&run.ID, &run.FinishedAt)
	return translate(err, "record feed run")
}

// FeedRuns returns a feed's most recent runs, newest first.
func (s *Store) FeedRuns(ctx context.Context, feedID string, limit int) ([]directory.FeedRun, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+runColumns+` FROM feed_runs WHERE feed_id = $1
		ORDER BY id DESC LIMIT $2`, feedID, limit)
	if err != nil {
		return nil, translate(err, "load feed runs")
	}
	runs, err := pgx.CollectRows(rows, scanRun)
	return runs, translate(err, "load feed runs")
}

// FeedRun returns one run.
func (s *Store) FeedRun(ctx context.Context, id int64) (directory.FeedRun, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+runColumns+` FROM feed_runs WHERE id = $1`, id)
	if err != nil {
		return directory.FeedRun{}, translate(err, "load feed run")
	}
	run, err := pgx.CollectExactlyOneRow(rows, scanRun)
	return run, translate(err, "load feed run")
}

// ListingSources returns every listing a feed has given, with its slug and status.
func (s *Store) ListingSources(ctx context.Context, feedID string) ([]directory.ListingSource, error) {
	rows, err := s.pool.Query(ctx, `SELECT ls.listing_id::text, ls.feed_id::text, ls.source_id, ls.content_hash,
			ls.kept_types, ls.feedback_emails, coalesce(ls.feedback_url, ''), ls.missing_since, l.slug, l.status, l.paused
		FROM listing_sources ls JOIN listings l ON l.id = ls.listing_id
		WHERE ls.feed_id = $1 ORDER BY ls.source_id`, feedID)
	if err != nil {
		return nil, translate(err, "load listing sources")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (directory.ListingSource, error) {
		var src directory.ListingSource
		err := r.Scan(&src.ListingID, &src.FeedID, &src.SourceID, &src.ContentHash, &src.KeptTypes,
			&src.FeedbackEmails, &src.FeedbackURL, &src.MissingSince, &src.Slug, &src.Status, &src.Paused)
		return src, err
	})
	return out, translate(err, "load listing sources")
}

// ListingSource returns where one listing came from: ErrNotFound for a listing
// that was not imported.
func (s *Store) ListingSource(ctx context.Context, listingID string) (directory.ListingSource, error) {
	var src directory.ListingSource
	err := s.pool.QueryRow(ctx, `SELECT ls.listing_id::text, ls.feed_id::text, ls.source_id, ls.content_hash,
			ls.kept_types, ls.feedback_emails, coalesce(ls.feedback_url, ''), ls.missing_since, l.slug, l.status, l.paused
		FROM listing_sources ls JOIN listings l ON l.id = ls.listing_id WHERE ls.listing_id = $1`, listingID).
		Scan(&src.ListingID, &src.FeedID, &src.SourceID, &src.ContentHash, &src.KeptTypes,
			&src.FeedbackEmails, &src.FeedbackURL, &src.MissingSince, &src.Slug, &src.Status, &src.Paused)
	return src, translate(err, "load listing source")
}

// SaveListingSources records where listings came from, replacing what was
// recorded for the same listings, in one statement.
func (t *Tx) SaveListingSources(ctx context.Context, sources []directory.ListingSource) error {
	if len(sources) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, src := range sources {
		kept, emails := src.KeptTypes, src.FeedbackEmails
		if kept == nil {
			kept = []string{}
		}
		if emails == nil {
			emails = []string{}
		}
		b.Queue(`INSERT INTO listing_sources (listing_id, feed_id, source_id, content_hash, kept_types,
				feedback_emails, feedback_url, missing_since)
			VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), $8)
			ON CONFLICT (listing_id) DO UPDATE SET feed_id = EXCLUDED.feed_id, source_id = EXCLUDED.source_id,
				content_hash = EXCLUDED.content_hash, kept_types = EXCLUDED.kept_types,
				feedback_emails = EXCLUDED.feedback_emails, feedback_url = EXCLUDED.feedback_url,
				missing_since = EXCLUDED.missing_since`,
			src.ListingID, src.FeedID, src.SourceID, src.ContentHash, kept, emails, src.FeedbackURL, src.MissingSince)
	}
	return translate(t.tx.SendBatch(ctx, b).Close(), "save listing sources")
}

// MarkSourcesMissing records when listings were first found gone from their
// feed; nil clears it.
func (t *Tx) MarkSourcesMissing(ctx context.Context, listingIDs []string, since *time.Time) error {
	if len(listingIDs) == 0 {
		return nil
	}
	_, err := t.tx.Exec(ctx, `UPDATE listing_sources SET missing_since = $2 WHERE listing_id = ANY($1::uuid[])`,
		listingIDs, since)
	return translate(err, "mark listings missing from their feed")
}

// SlugsTaken returns which of slugs are already listings' slugs.
func (t *Tx) SlugsTaken(ctx context.Context, slugs []string) (map[string]bool, error) {
	return existingListings(ctx, t.tx, slugs)
}

// LockFeed makes runs of the same feed wait for each other, so two workers
// syncing one feed at once cannot both add its new listings.
func (t *Tx) LockFeed(ctx context.Context, feedID string) error {
	_, err := t.tx.Exec(ctx, `SELECT id FROM feeds WHERE id = $1 FOR UPDATE`, feedID)
	return translate(err, "lock feed")
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("{}")
	}
	return b
}

// ClaimDueFeeds moves the next sync of up to limit due subscriptions on by
// their interval and returns their ids, so of several workers only one syncs
// each feed.
func (s *Store) ClaimDueFeeds(ctx context.Context, now time.Time, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `UPDATE feeds SET next_sync_at = $1::timestamptz + sync_every
		WHERE id IN (SELECT id FROM feeds WHERE subscribed AND next_sync_at <= $1
			ORDER BY next_sync_at LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING id::text`, now, limit)
	if err != nil {
		return nil, translate(err, "claim due feeds")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err, "claim due feeds")
}

// LastConfirmedDrop is when the feed's latest applied run whose drop an admin
// confirmed started; false when none did.
func (s *Store) LastConfirmedDrop(ctx context.Context, feedID string) (time.Time, bool, error) {
	var at *time.Time
	err := s.pool.QueryRow(ctx, `SELECT max(started_at) FROM feed_runs
		WHERE feed_id = $1 AND outcome = 'applied' AND report @> '{"confirmed_drop": true}'`, feedID).Scan(&at)
	if err != nil {
		return time.Time{}, false, translate(err, "read the last confirmed drop")
	}
	if at == nil {
		return time.Time{}, false, nil
	}
	return *at, true, nil
}
