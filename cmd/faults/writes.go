package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// writeTimeout bounds one listing update, from BEGIN to COMMIT.
const writeTimeout = 3 * time.Second

// writeEvent is one listing update as the writer saw it.
type writeEvent struct {
	at time.Time
	ok bool
}

// trackedListing is one listing the writer updates, and what it knows of the
// updates it sent.
type trackedListing struct {
	id, slug   string
	name       string // as seeded; every update appends a mark to it
	summary    string
	acked      int64   // the last version whose COMMIT succeeded; 0: none
	inDoubt    []int64 // versions whose COMMIT failed: they may or may not be in
	attempts   int
	successful int
}

// content is what version v of a listing says: a name and summary that name
// the version, so any copy of the listing tells which write it holds.
func (t *trackedListing) content(v int64) (name, summary string) {
	if v == 0 {
		return t.name, t.summary
	}
	return t.name + " · w" + strconv.FormatInt(v, 10), "Fault run write " + strconv.FormatInt(v, 10) + " of " + t.slug + "."
}

// holds reports whether a copy of the listing with this name and summary has
// the last acknowledged write, or a later one whose COMMIT was in doubt.
func (t *trackedListing) holds(name, summary string) bool {
	for _, v := range append([]int64{t.acked}, t.inDoubt...) {
		if v < t.acked {
			continue // an in-doubt write older than an acknowledged one is overwritten
		}
		if n, s := t.content(v); n == name && s == summary {
			return true
		}
	}
	return false
}

// writer updates the tracked listings as an organizer would: the row, its
// outbox row and its audit row in one transaction, as store.SaveListing writes
// them, so the indexer relays these writes exactly as it relays the product's.
type writer struct {
	c       *cluster
	tl      *timeline
	rng     *rand.Rand
	mu      sync.Mutex
	tracked []*trackedListing
	version int64
}

// chooseTracked picks the listings to update: published ones that are in the
// search index, drawn by the seed.
func (c *cluster) chooseTracked(ctx context.Context, rng *rand.Rand, n int) ([]*trackedListing, error) {
	rows, err := c.pool.Query(ctx, `SELECT l.id::text, l.slug, l.name, l.summary
		FROM listings l JOIN search_documents d ON d.listing_id = l.id
		WHERE l.status = 'published' ORDER BY l.slug`)
	if err != nil {
		return nil, err
	}
	var all []*trackedListing
	for rows.Next() {
		t := &trackedListing{}
		if err := rows.Scan(&t.id, &t.slug, &t.name, &t.summary); err != nil {
			return nil, err
		}
		all = append(all, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(all) < n {
		return nil, fmt.Errorf("only %d searchable published listings; -tracked asks for %d", len(all), n)
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	all = all[:n]
	slices.SortFunc(all, func(a, b *trackedListing) int { return strings.Compare(a.slug, b.slug) })
	return all, nil
}

// run writes at rate updates per second, one at a time, until ctx ends.
func (w *writer) run(ctx context.Context, rate float64) {
	every := time.Duration(float64(time.Second) / rate)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.writeOne(ctx)
	}
}

func (w *writer) writeOne(ctx context.Context) {
	w.mu.Lock()
	l := w.tracked[w.rng.IntN(len(w.tracked))]
	w.version++
	v := w.version
	l.attempts++
	w.mu.Unlock()
	name, summary := l.content(v)
	committed, inDoubt := w.update(ctx, l, name, summary)
	if ctx.Err() != nil && !committed && !inDoubt {
		return // the run is stopping
	}
	w.mu.Lock()
	switch {
	case committed:
		l.acked = v
		l.successful++
	case inDoubt:
		l.inDoubt = append(l.inDoubt, v)
	}
	w.mu.Unlock()
	w.tl.addWrite(writeEvent{at: time.Now(), ok: committed})
}

// update writes one version. A failure before COMMIT leaves nothing behind; a
// failed COMMIT may or may not have committed, so that version is in doubt.
func (w *writer) update(ctx context.Context, l *trackedListing, name, summary string) (committed, inDoubt bool) {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	tx, err := w.c.pool.Begin(ctx)
	if err != nil {
		return false, false
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	tag, err := tx.Exec(ctx, `UPDATE listings SET name = $2, summary = $3, updated_at = now() WHERE id = $1`,
		l.id, name, summary)
	if err != nil || tag.RowsAffected() != 1 {
		return false, false
	}
	if _, err := tx.Exec(ctx, `INSERT INTO outbox (listing_id) VALUES ($1)`, l.id); err != nil {
		return false, false
	}
	detail, _ := json.Marshal(map[string]string{"slug": l.slug})
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log (actor, action, entity, entity_id, detail)
		VALUES ('faults', 'save', 'listing', $1, $2)`, l.id, detail); err != nil {
		return false, false
	}
	if err := tx.Commit(ctx); err != nil {
		return false, true
	}
	return true, false
}

// maxOutboxID is the newest outbox row's id; 0 when PostgreSQL cannot say.
func (c *cluster) maxOutboxID(ctx context.Context) int64 {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var id int64
	_ = c.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM outbox`).Scan(&id)
	return id
}

// pendingOutbox counts the rows not yet processed, of those up to upTo (every
// row when upTo is 0).
func (c *cluster) pendingOutbox(ctx context.Context, upTo int64) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var n int
	err := c.pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE processed_at IS NULL AND ($1 = 0 OR id <= $1)`,
		upTo).Scan(&n)
	return n, err
}

// waitOutbox waits until the indexer has processed every outbox row up to upTo
// (every row when 0), at most timeout.
func (c *cluster) waitOutbox(ctx context.Context, upTo int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		n, err := c.pendingOutbox(ctx, upTo)
		if err == nil && n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d outbox rows still pending after %s (%v); see %s/worker.log", n, timeout, err, c.o.work)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// lostReport compares, for every listing the writer updated, the content it
// last wrote with what PostgreSQL, search_documents and Meilisearch hold.
type lostReport struct {
	updated, writes, acked, inDoubt int
	// postgres: the listing does not hold its last acknowledged version (nor a
	// later one whose COMMIT was in doubt).
	postgres []string
	// fallback and meili: the copy differs from what PostgreSQL holds (or is
	// missing).
	fallback, meili []string
	lost            int // listings wrong in at least one place
	pendingAtEnd    int // outbox rows still unprocessed when compared
	settleTook      time.Duration
	settled         bool
}

func (w *writer) compare(ctx context.Context, pending int, settle time.Duration, settled bool) (lostReport, error) {
	r := lostReport{pendingAtEnd: pending, settleTook: settle, settled: settled}
	w.mu.Lock()
	defer w.mu.Unlock()
	var ids []string
	byID := map[string]*trackedListing{}
	for _, l := range w.tracked {
		if l.attempts == 0 {
			continue
		}
		r.updated++
		r.writes += l.attempts
		r.acked += l.successful
		r.inDoubt += len(l.inDoubt)
		ids = append(ids, l.id)
		byID[l.id] = l
	}
	type content struct{ name, summary string }
	inPostgres := map[string]content{}
	rows, err := w.c.pool.Query(ctx, `SELECT id::text, name, summary FROM listings WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return r, fmt.Errorf("read the updated listings back: %w", err)
	}
	for rows.Next() {
		var id string
		var c content
		if err := rows.Scan(&id, &c.name, &c.summary); err != nil {
			return r, err
		}
		inPostgres[id] = c
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	inFallback := map[string]content{}
	rows, err = w.c.pool.Query(ctx, `SELECT listing_id::text, doc->>'name', doc->>'summary' FROM search_documents
		WHERE listing_id = ANY($1::uuid[])`, ids)
	if err != nil {
		return r, fmt.Errorf("read search_documents: %w", err)
	}
	for rows.Next() {
		var id string
		var c content
		if err := rows.Scan(&id, &c.name, &c.summary); err != nil {
			return r, err
		}
		inFallback[id] = c
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	wrong := map[string]bool{}
	for _, id := range ids {
		l := byID[id]
		pg, ok := inPostgres[id]
		if !ok || !l.holds(pg.name, pg.summary) {
			r.postgres = append(r.postgres, fmt.Sprintf("%s: PostgreSQL has %q, last acknowledged write was w%d",
				l.slug, pg.name, l.acked))
			wrong[id] = true
		}
		if fb, ok := inFallback[id]; !ok || fb != pg {
			r.fallback = append(r.fallback, fmt.Sprintf("%s: search_documents has %q, PostgreSQL %q", l.slug, fb.name, pg.name))
			wrong[id] = true
		}
		var doc struct {
			Name    string `json:"name"`
			Summary string `json:"summary"`
		}
		found, err := w.c.meiliAPI.Document(ctx, "listings", id, []string{"name", "summary"}, &doc)
		if err != nil {
			return r, fmt.Errorf("read listing %s from Meilisearch: %w", l.slug, err)
		}
		if !found || doc.Name != pg.name || doc.Summary != pg.summary {
			r.meili = append(r.meili, fmt.Sprintf("%s: Meilisearch has %q (found: %t), PostgreSQL %q", l.slug, doc.Name, found, pg.name))
			wrong[id] = true
		}
	}
	r.lost = len(wrong)
	return r, nil
}
