package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/belong-directory/belong/internal/directory"
)

// BulkInsert adds many new listings at once, for seeding and large imports, with
// COPY instead of one round trip per row. Listings whose slug already exists are
// skipped untouched, so a load can be re-run to fill in what an earlier run missed;
// organizations are created when their slug is new and otherwise reused as they
// are. Everything happens in one transaction: one bad row (an unknown tag or
// language, a value the schema refuses) and nothing lands. The new listings are
// queued for the search index with one statement and summed up in one audit row.
//
// It returns how many listings it added and sets the ID of each one it added.
// Input IDs are ignored. Two slugs repeated within listings are an error; a
// concurrent writer adding one of the same slugs makes the call fail with
// directory.ErrConflict rather than overwrite.
func (s *Store) BulkInsert(ctx context.Context, listings []directory.Listing, actor string) (int, error) {
	if len(listings) == 0 {
		return 0, nil
	}
	slugs := make([]string, len(listings))
	seen := make(map[string]bool, len(listings))
	for i, l := range listings {
		if seen[l.Slug] {
			return 0, fmt.Errorf("bulk insert: slug %q appears twice", l.Slug)
		}
		seen[l.Slug] = true
		slugs[i] = l.Slug
	}
	var added []int
	var ids []pgtype.UUID
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		added, ids, err = insertListings(ctx, tx, listings, slugs, actor)
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, i := range added {
		listings[i].ID = ids[i].String()
	}
	return len(added), nil
}

// InsertListings is BulkInsert inside a transaction the caller holds, for an
// import that adds many listings and changes others in one all-or-nothing
// run. Unlike BulkInsert, a slug that already exists is ErrConflict: the caller
// said these listings are new.
func (t *Tx) InsertListings(ctx context.Context, listings []directory.Listing, actor string) error {
	if len(listings) == 0 {
		return nil
	}
	slugs := make([]string, len(listings))
	for i, l := range listings {
		slugs[i] = l.Slug
	}
	added, ids, err := insertListings(ctx, t.tx, listings, slugs, actor)
	if err != nil {
		return err
	}
	if len(added) != len(listings) {
		return fmt.Errorf("insert listings: %d of %d slugs already taken: %w", len(listings)-len(added),
			len(listings), directory.ErrConflict)
	}
	// One audit row per listing as well as the summary, so each listing's
	// history starts with its import.
	addedIDs := make([]string, len(added))
	for k, i := range added {
		listings[i].ID = ids[i].String()
		addedIDs[k] = listings[i].ID
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO audit_log (actor, action, entity, entity_id, detail)
		SELECT $1, 'save', 'listing', unnest($2::text[]), '{}'`, actor, addedIDs)
	return translate(err, "write audit log")
}

// insertListings copies the listings whose slugs are new, with their children,
// outbox rows and one summary audit row, and returns which it added and the id
// of each.
func insertListings(ctx context.Context, tx pgx.Tx, listings []directory.Listing, slugs []string,
	actor string) ([]int, []pgtype.UUID, error) {
	var added []int
	ids := make([]pgtype.UUID, len(listings))
	existing, err := existingListings(ctx, tx, slugs)
	if err != nil {
		return nil, nil, err
	}
	for i, l := range listings {
		if !existing[l.Slug] {
			added = append(added, i)
		}
	}
	if len(added) == 0 {
		return nil, ids, nil
	}
	orgIDs, err := ensureOrganizations(ctx, tx, listings, added)
	if err != nil {
		return nil, nil, err
	}
	for _, i := range added {
		ids[i] = newUUID()
	}
	b := bulk{tx: tx, listings: listings, added: added, ids: ids}
	if err := b.copyListings(ctx, orgIDs); err != nil {
		return nil, nil, err
	}
	if err := b.copyChildren(ctx); err != nil {
		return nil, nil, err
	}
	queued := make([]pgtype.UUID, len(added))
	for k, i := range added {
		queued[k] = ids[i]
	}
	if _, err := tx.Exec(ctx, `INSERT INTO outbox (listing_id) SELECT unnest($1::uuid[])`, queued); err != nil {
		return nil, nil, translate(err, "queue bulk-loaded listings for search")
	}
	detail, _ := json.Marshal(map[string]any{
		"added":   len(added),
		"skipped": len(listings) - len(added),
		"first":   listings[added[0]].Slug,
		"last":    listings[added[len(added)-1]].Slug,
	})
	return added, ids, audit(ctx, tx, actor, "bulk_insert", "listing", "", detail)
}

// existingListings returns which of slugs are already listings.
func existingListings(ctx context.Context, tx pgx.Tx, slugs []string) (map[string]bool, error) {
	rows, err := tx.Query(ctx, `SELECT slug FROM listings WHERE slug = ANY($1::text[])`, slugs)
	if err != nil {
		return nil, translate(err, "find existing listings")
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, translate(err, "find existing listings")
	}
	existing := make(map[string]bool, len(found))
	for _, slug := range found {
		existing[slug] = true
	}
	return existing, nil
}

// ensureOrganizations returns the id of every organization the added listings
// name, by slug, creating the ones that do not exist yet from the first listing
// that names them. Existing organizations are left as they are. Two loads running
// at once may name the same new organization: ON CONFLICT makes the second wait
// for the first and reuse its row, and inserting in slug order means two loads
// always take those row locks in the same order, so they cannot deadlock.
func ensureOrganizations(ctx context.Context, tx pgx.Tx, listings []directory.Listing, added []int) (map[string]pgtype.UUID, error) {
	first := map[string]directory.Organization{}
	var slugs []string
	for _, i := range added {
		o := listings[i].Organization
		if _, ok := first[o.Slug]; !ok {
			first[o.Slug] = o
			slugs = append(slugs, o.Slug)
		}
	}
	slices.Sort(slugs)
	names, descriptions := make([]string, len(slugs)), make([]string, len(slugs))
	websites, emails, phones := make([]*string, len(slugs)), make([]*string, len(slugs)), make([]*string, len(slugs))
	for k, slug := range slugs {
		o := first[slug]
		names[k], descriptions[k] = o.Name, o.Description
		websites[k], emails[k], phones[k] = orNull(o.Website), orNull(o.Email), orNull(o.Phone)
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO organizations (slug, name, description, website, email, phone)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
		ON CONFLICT (slug) DO NOTHING`, slugs, names, descriptions, websites, emails, phones)
	if err != nil {
		return nil, translate(err, "add organizations")
	}
	rows, err := tx.Query(ctx, `SELECT slug, id FROM organizations WHERE slug = ANY($1::text[])`, slugs)
	if err != nil {
		return nil, translate(err, "find organizations")
	}
	ids := make(map[string]pgtype.UUID, len(slugs))
	var slug string
	var id pgtype.UUID
	if _, err := pgx.ForEachRow(rows, []any{&slug, &id}, func() error {
		ids[slug] = id
		return nil
	}); err != nil {
		return nil, translate(err, "find organizations")
	}
	return ids, nil
}

// bulk holds one BulkInsert's rows: listings[added[k]] is the k-th listing to add,
// with id ids[added[k]].
type bulk struct {
	tx       pgx.Tx
	listings []directory.Listing
	added    []int
	ids      []pgtype.UUID
}

func (b bulk) copyListings(ctx context.Context, orgIDs map[string]pgtype.UUID) error {
	_, err := b.tx.CopyFrom(ctx, pgx.Identifier{"listings"},
		[]string{"id", "slug", "organization_id", "name", "summary", "description", "what_to_expect",
			"text_lang", "status", "paused", "paused_note", "cost_note", "how_to_join", "email", "phone",
			"website", "phone_meeting", "confirmed_at", "confirmed_by"},
		pgx.CopyFromSlice(len(b.added), func(k int) ([]any, error) {
			i := b.added[k]
			l := &b.listings[i]
			return []any{b.ids[i], l.Slug, orgIDs[l.Organization.Slug], l.Name, l.Summary, l.Description,
				l.WhatToExpect, l.TextLang, l.Status, l.Paused, l.PausedNote, l.CostNote, l.HowToJoin,
				orNull(l.Email), orNull(l.Phone), orNull(l.Website), orNull(l.PhoneMeeting),
				l.ConfirmedAt, string(l.ConfirmedBy)}, nil
		}))
	return translate(err, "copy listings")
}

// copyChildren copies each child table in one pass; children get their ids from
// the database's column defaults.
func (b bulk) copyChildren(ctx context.Context) error {
	type child struct {
		table   string
		columns []string
		rows    func(l *directory.Listing) int
		row     func(id pgtype.UUID, l *directory.Listing, j int) ([]any, error)
	}
	children := []child{
		{"locations", []string{"listing_id", "kind", "name", "address", "neighbourhood", "city", "region",
			"postal_code", "country", "lat", "lng", "transit_notes", "url", "discreet"},
			func(l *directory.Listing) int { return len(l.Locations) },
			func(id pgtype.UUID, l *directory.Listing, j int) ([]any, error) {
				loc := l.Locations[j]
				return []any{id, loc.Kind, loc.Name, loc.Address, loc.Neighbourhood, loc.City, loc.Region,
					loc.PostalCode, orNull(loc.Country), loc.Lat, loc.Lng, loc.TransitNotes,
					orNull(loc.URL), loc.Discreet}, nil
			}},
		{"schedules", []string{"listing_id", "freq", "interval", "byday", "opens_at", "closes_at", "dtstart",
			"until", "timezone", "skip_dates", "notes"},
			func(l *directory.Listing) int { return len(l.Schedules) },
			func(id pgtype.UUID, l *directory.Listing, j int) ([]any, error) {
				return scheduleValues(id, l.Slug, l.Schedules[j])
			}},
		{"listing_tags", []string{"listing_id", "tag", "value", "note", "source", "confirmed_at"},
			func(l *directory.Listing) int { return len(l.Tags) },
			func(id pgtype.UUID, l *directory.Listing, j int) ([]any, error) {
				t := l.Tags[j]
				return []any{id, t.Tag, string(t.Value), t.Note, string(t.Source), t.ConfirmedAt}, nil
			}},
		{"listing_languages", []string{"listing_id", "language"},
			func(l *directory.Listing) int { return len(l.Languages) },
			func(id pgtype.UUID, l *directory.Listing, j int) ([]any, error) {
				return []any{id, l.Languages[j]}, nil
			}},
	}
	for _, c := range children {
		// Walk (listing, child) pairs in order without building the rows up front.
		k, j := 0, -1
		src := &childSource{next: func() bool {
			for k < len(b.added) {
				j++
				if j < c.rows(&b.listings[b.added[k]]) {
					return true
				}
				k, j = k+1, -1
			}
			return false
		}, values: func() ([]any, error) {
			i := b.added[k]
			return c.row(b.ids[i], &b.listings[i], j)
		}}
		if _, err := b.tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, src); err != nil {
			return translate(err, "copy "+c.table)
		}
	}
	return nil
}

// childSource adapts two closures to pgx.CopyFromSource.
type childSource struct {
	next   func() bool
	values func() ([]any, error)
	err    error
}

func (c *childSource) Next() bool { return c.err == nil && c.next() }

func (c *childSource) Values() ([]any, error) {
	v, err := c.values()
	c.err = err
	return v, err
}

func (c *childSource) Err() error { return c.err }

// scheduleValues converts a schedule's text times and dates to the column types COPY
// needs, saying which listing a malformed one belongs to.
func scheduleValues(id pgtype.UUID, slug string, sc directory.Schedule) ([]any, error) {
	bad := func(field, value string) error {
		return fmt.Errorf("bulk insert: listing %s: schedule %s %q is malformed", slug, field, value)
	}
	opens, ok := copyClock(sc.OpensAt)
	if !ok {
		return nil, bad("opens_at", sc.OpensAt)
	}
	closes, ok := copyClock(sc.ClosesAt)
	if !ok {
		return nil, bad("closes_at", sc.ClosesAt)
	}
	start, ok := copyDate(sc.Start)
	if !ok {
		return nil, bad("dtstart", sc.Start)
	}
	var until pgtype.Date
	if sc.Until != nil {
		if until, ok = copyDate(*sc.Until); !ok {
			return nil, bad("until", *sc.Until)
		}
	}
	skip := make([]pgtype.Date, len(sc.SkipDates))
	for k, d := range sc.SkipDates {
		if skip[k], ok = copyDate(d); !ok {
			return nil, bad("skip date", d)
		}
	}
	return []any{id, sc.Freq, int32(sc.Interval), sc.ByDay, opens, closes, start, until, sc.TimeZone,
		skip, sc.Notes}, nil
}

// copyClock parses "HH:MM" (or "HH:MM:SS").
func copyClock(s string) (pgtype.Time, bool) {
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			d := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
				time.Duration(t.Second())*time.Second
			return pgtype.Time{Microseconds: d.Microseconds(), Valid: true}, true
		}
	}
	return pgtype.Time{}, false
}

// copyDate parses "YYYY-MM-DD".
func copyDate(s string) (pgtype.Date, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return pgtype.Date{}, false
	}
	return pgtype.Date{Time: t, Valid: true}, true
}

// orNull stores an empty optional text as NULL, as SaveListing does, so the
// columns' format checks apply only to values that are there.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// newUUID returns a random (version 4) UUID, made here so that child rows can
// name their listing without a round trip. crypto/rand.Read never fails.
func newUUID() pgtype.UUID {
	u := pgtype.UUID{Valid: true}
	_, _ = rand.Read(u.Bytes[:])
	u.Bytes[6] = u.Bytes[6]&0x0f | 0x40
	u.Bytes[8] = u.Bytes[8]&0x3f | 0x80
	return u
}
