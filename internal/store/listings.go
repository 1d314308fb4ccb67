package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

// SaveListing inserts or updates a listing by slug, with its organization, places,
// schedules, tags and languages, queues it for the search index and records a
// "save" in the audit log, all in tx. It returns the listing's id. The listing
// must have passed Validate; the database's own checks stay as the last line of
// defence.
func (t *Tx) SaveListing(ctx context.Context, l *directory.Listing, actor string) (string, error) {
	id, err := t.writeListing(ctx, l)
	if err != nil {
		return "", err
	}
	detail, _ := json.Marshal(map[string]string{"slug": l.Slug})
	return id, audit(ctx, t.tx, actor, "save", "listing", id, detail)
}

// SubmitListing saves a new listing as SaveListing does, with its first
// revision, and records one "submit" in the audit log instead of a "save": a
// listing's history starts with its submission, not with an edit nobody made.
// rev's listing, proposal and base version are taken from the saved listing.
func (t *Tx) SubmitListing(ctx context.Context, l *directory.Listing, rev *directory.Revision, actor string) error {
	id, err := t.writeListing(ctx, l)
	if err != nil {
		return err
	}
	rev.ListingID, rev.Proposed, rev.BaseVersion = id, *l, l.Version
	if err := t.AddRevision(ctx, rev); err != nil {
		return err
	}
	return t.Audit(ctx, actor, "submit", "listing", id, map[string]string{"slug": l.Slug, "revision": rev.ID})
}

// writeListing is SaveListing without its audit row, which is the caller's.
func (t *Tx) writeListing(ctx context.Context, l *directory.Listing) (string, error) {
	if err := l.Validate(); err != nil {
		return "", err
	}
	tx := t.tx
	o := l.Organization
	var orgID string
	err := tx.QueryRow(ctx, `
		INSERT INTO organizations (slug, name, description, website, email, phone)
		VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), NULLIF($6, ''))
		ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
			website = EXCLUDED.website, email = EXCLUDED.email, phone = EXCLUDED.phone, updated_at = now()
		RETURNING id`,
		o.Slug, o.Name, o.Description, o.Website, o.Email, o.Phone).Scan(&orgID)
	if err != nil {
		return "", translate(err, "save organization "+o.Slug)
	}
	var id string
	err = tx.QueryRow(ctx, `
		INSERT INTO listings (slug, organization_id, name, summary, description, what_to_expect, text_lang,
			status, paused, paused_note, cost_note, how_to_join, email, phone, website, phone_meeting,
			confirmed_at, confirmed_by, contact_email, contact_lang)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULLIF($13, ''), NULLIF($14, ''),
			NULLIF($15, ''), NULLIF($16, ''), $17, $18, NULLIF($19, ''), coalesce(NULLIF($20, ''), 'en'))
		ON CONFLICT (slug) DO UPDATE SET organization_id = EXCLUDED.organization_id, name = EXCLUDED.name,
			summary = EXCLUDED.summary, description = EXCLUDED.description,
			what_to_expect = EXCLUDED.what_to_expect, text_lang = EXCLUDED.text_lang, status = EXCLUDED.status,
			paused = EXCLUDED.paused, paused_note = EXCLUDED.paused_note, cost_note = EXCLUDED.cost_note,
			how_to_join = EXCLUDED.how_to_join, email = EXCLUDED.email, phone = EXCLUDED.phone,
			website = EXCLUDED.website, phone_meeting = EXCLUDED.phone_meeting,
			confirmed_at = EXCLUDED.confirmed_at, confirmed_by = EXCLUDED.confirmed_by,
			contact_email = coalesce(EXCLUDED.contact_email, listings.contact_email),
			contact_lang = CASE WHEN $20 = '' THEN listings.contact_lang ELSE EXCLUDED.contact_lang END,
			version = listings.version + 1, updated_at = now()
		WHERE $21 = 0 OR listings.version = $21
		RETURNING id, version`,
		l.Slug, orgID, l.Name, l.Summary, l.Description, l.WhatToExpect, l.TextLang, l.Status, l.Paused,
		l.PausedNote, l.CostNote, l.HowToJoin, l.Email, l.Phone, l.Website, l.PhoneMeeting,
		l.ConfirmedAt, string(l.ConfirmedBy), l.ContactEmail, l.ContactLang, l.Version).Scan(&id, &l.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		// Only the version check can stop an upsert from returning its row.
		return "", fmt.Errorf("save listing %s: changed since version %d: %w", l.Slug, l.Version, directory.ErrConflict)
	}
	if err != nil {
		return "", translate(err, "save listing "+l.Slug)
	}
	if err := replaceChildren(ctx, tx, id, l); err != nil {
		return "", err
	}
	if err := queueIndex(ctx, tx, id); err != nil {
		return "", err
	}
	l.ID, l.Organization.ID = id, orgID
	return id, nil
}

// replaceChildren swaps a listing's places, schedules, tags and languages for the
// given ones; a listing is saved whole, so there is nothing to merge.
func replaceChildren(ctx context.Context, tx pgx.Tx, id string, l *directory.Listing) error {
	for _, table := range []string{"locations", "schedules", "listing_tags", "listing_languages"} {
		if _, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE listing_id = $1", id); err != nil {
			return translate(err, "clear "+table)
		}
	}
	b := &pgx.Batch{}
	for _, loc := range l.Locations {
		b.Queue(`INSERT INTO locations (listing_id, kind, name, address, neighbourhood, city, region,
				postal_code, country, lat, lng, transit_notes, url, discreet)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, ''), $10, $11, $12, NULLIF($13, ''), $14)`,
			id, loc.Kind, loc.Name, loc.Address, loc.Neighbourhood, loc.City, loc.Region, loc.PostalCode,
			loc.Country, loc.Lat, loc.Lng, loc.TransitNotes, loc.URL, loc.Discreet)
	}
	for _, sc := range l.Schedules {
		skip := sc.SkipDates
		if skip == nil {
			skip = []string{}
		}
		b.Queue(`INSERT INTO schedules (listing_id, freq, "interval", byday, opens_at, closes_at, dtstart,
				until, timezone, skip_dates, notes)
			VALUES ($1, $2, $3, $4, $5::time, $6::time, $7::date, $8::date, $9, $10::date[], $11)`,
			id, sc.Freq, sc.Interval, sc.ByDay, sc.OpensAt, sc.ClosesAt, sc.Start, sc.Until, sc.TimeZone,
			skip, sc.Notes)
	}
	for _, t := range l.Tags {
		b.Queue(`INSERT INTO listing_tags (listing_id, tag, value, note, source, confirmed_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			id, t.Tag, string(t.Value), t.Note, string(t.Source), t.ConfirmedAt)
	}
	for _, lang := range l.Languages {
		b.Queue(`INSERT INTO listing_languages (listing_id, language) VALUES ($1, $2)`, id, lang)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return translate(err, "save listing details for "+l.Slug)
	}
	return nil
}

var (
	uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Listing returns one listing, whole, by id or slug.
func (s *Store) Listing(ctx context.Context, idOrSlug string) (directory.Listing, error) {
	where := "l.slug = $1"
	switch {
	case uuidPattern.MatchString(strings.ToLower(idOrSlug)):
		// An id in any case, by the primary key.
		where = "l.id = $1::uuid"
	case !slugPattern.MatchString(idOrSlug) || len(idOrSlug) > 120:
		// Not something the database could hold; no need to ask it.
		return directory.Listing{}, fmt.Errorf("listing %q: %w", idOrSlug, directory.ErrNotFound)
	}
	ls, err := s.listingsWhere(ctx, where, idOrSlug)
	if err != nil {
		return directory.Listing{}, err
	}
	if len(ls) == 0 {
		return directory.Listing{}, fmt.Errorf("listing %q: %w", idOrSlug, directory.ErrNotFound)
	}
	return ls[0], nil
}

// ListingsByID returns the listings with the given ids, whole, in no set order.
// Ids that do not exist are left out. It costs one round trip.
func (s *Store) ListingsByID(ctx context.Context, ids []string) ([]directory.Listing, error) {
	return s.loadListings(ctx, "l.id = ANY($1::uuid[])", ids, ids)
}

// listingsWhere loads whole listings matching a condition on l (listings) with one
// query per child table, so loading a batch costs five queries, not five per listing.
func (s *Store) listingsWhere(ctx context.Context, cond string, arg any) ([]directory.Listing, error) {
	return s.loadListings(ctx, cond, arg, nil)
}

// loadListings reads the listings matching cond and their child rows. When the
// ids of the listings are known before they are read (ids), everything is read
// in one round trip; otherwise the child rows of the listings found are read
// in a second.
func (s *Store) loadListings(ctx context.Context, cond string, arg any, ids []string) ([]directory.Listing, error) {
	var listings []directory.Listing
	index := map[string]*directory.Listing{}
	b := &pgx.Batch{}
	b.Queue(`
		SELECT l.id, l.slug, l.name, l.summary, l.description, l.what_to_expect, l.text_lang, l.status,
			l.paused, l.paused_note, l.cost_note, l.how_to_join, coalesce(l.email, ''), coalesce(l.phone, ''),
			coalesce(l.website, ''), coalesce(l.phone_meeting, ''), l.confirmed_at, l.confirmed_by, l.updated_at,
			l.version, coalesce(l.contact_email, ''), l.contact_lang,
			o.id, o.slug, o.name, o.description, coalesce(o.website, ''), coalesce(o.email, ''), coalesce(o.phone, '')
		FROM listings l JOIN organizations o ON o.id = l.organization_id
		WHERE `+cond+` ORDER BY l.slug`, arg).Query(func(rows pgx.Rows) error {
		var err error
		listings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (directory.Listing, error) {
			var l directory.Listing
			o := &l.Organization
			err := r.Scan(&l.ID, &l.Slug, &l.Name, &l.Summary, &l.Description, &l.WhatToExpect, &l.TextLang,
				&l.Status, &l.Paused, &l.PausedNote, &l.CostNote, &l.HowToJoin, &l.Email, &l.Phone, &l.Website,
				&l.PhoneMeeting, &l.ConfirmedAt, &l.ConfirmedBy, &l.UpdatedAt, &l.Version, &l.ContactEmail, &l.ContactLang,
				&o.ID, &o.Slug, &o.Name, &o.Description, &o.Website, &o.Email, &o.Phone)
			return l, err
		})
		if err != nil {
			return err
		}
		for i := range listings {
			listings[i].Locations, listings[i].Schedules = []directory.Location{}, []directory.Schedule{}
			listings[i].Tags, listings[i].Languages = []directory.ListingTag{}, []string{}
			index[listings[i].ID] = &listings[i]
		}
		return nil
	})
	if ids != nil {
		queueChildren(b, ids, index)
	}
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, translate(err, "load listings")
	}
	if ids != nil || len(listings) == 0 {
		return listings, nil
	}
	found := make([]string, len(listings))
	for i, l := range listings {
		found[i] = l.ID
	}
	b = &pgx.Batch{}
	queueChildren(b, found, index)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, translate(err, "load the locations, schedules, tags and languages of listings")
	}
	return listings, nil
}

// Child rows carry the id of the listing they belong to.
type (
	locationRow struct {
		ListingID string `db:"listing_id"`
		directory.Location
	}
	scheduleRow struct {
		ListingID string `db:"listing_id"`
		directory.Schedule
	}
	tagRow struct {
		ListingID string `db:"listing_id"`
		directory.ListingTag
	}
)

// queueChildren queues the reads of the locations, schedules, tags and
// languages of the listings ids into their listings in index. A row of a
// listing index lacks (written between the reads) is left out.
func queueChildren(b *pgx.Batch, ids []string, index map[string]*directory.Listing) {
	queueCollect(b, `
		SELECT listing_id, id, kind, name, address, neighbourhood, city, region, postal_code,
			coalesce(country, '') AS country, lat, lng, transit_notes, coalesce(url, '') AS url, discreet
		FROM locations WHERE listing_id = ANY($1::uuid[]) ORDER BY kind, name, id`, ids, func(r locationRow) {
		if l := index[r.ListingID]; l != nil {
			l.Locations = append(l.Locations, r.Location)
		}
	})
	queueCollect(b, `
		SELECT listing_id, id, freq, "interval", byday, to_char(opens_at, 'HH24:MI') AS opens_at,
			to_char(closes_at, 'HH24:MI') AS closes_at, dtstart::text AS dtstart, until::text AS until,
			timezone, skip_dates::text[] AS skip_dates, notes
		FROM schedules WHERE listing_id = ANY($1::uuid[]) ORDER BY opens_at, byday, dtstart, id`, ids, func(r scheduleRow) {
		if l := index[r.ListingID]; l != nil {
			l.Schedules = append(l.Schedules, r.Schedule)
		}
	})
	queueCollect(b, `
		SELECT lt.listing_id, lt.tag, lt.value, lt.note, lt.source, lt.confirmed_at
		FROM listing_tags lt JOIN tags t ON t.slug = lt.tag JOIN tag_categories c ON c.slug = t.category
		WHERE lt.listing_id = ANY($1::uuid[]) ORDER BY c.position, t.position`, ids, func(r tagRow) {
		if l := index[r.ListingID]; l != nil {
			l.Tags = append(l.Tags, r.ListingTag)
		}
	})
	queueCollect(b, `SELECT listing_id, language FROM listing_languages
		WHERE listing_id = ANY($1::uuid[]) ORDER BY language`, ids, func(r languageRow) {
		if l := index[r.ListingID]; l != nil {
			l.Languages = append(l.Languages, r.Language)
		}
	})
}

type languageRow struct {
	ListingID string `db:"listing_id"`
	Language  string `db:"language"`
}

// queueCollect queues a query whose rows are scanned into T by column name and
// handed to each.
func queueCollect[T any](b *pgx.Batch, sql string, arg any, each func(T)) {
	b.Queue(sql, arg).Query(func(rows pgx.Rows) error {
		got, err := pgx.CollectRows(rows, pgx.RowToStructByName[T])
		if err != nil {
			return err
		}
		for _, r := range got {
			each(r)
		}
		return nil
	})
}

// collect runs a query and scans each row into T by column name.
func collect[T any](ctx context.Context, s *Store, sql string, args ...any) ([]T, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[T])
}

// PublishedListingsAfter returns up to limit published listings, whole, whose
// slugs sort after the given one (the empty string starts at the beginning), in
// slug order. Callers page through every published listing by passing the last
// slug they got until a batch comes back empty.
func (s *Store) PublishedListingsAfter(ctx context.Context, afterSlug string, limit int) ([]directory.Listing, error) {
	if limit < 1 {
		return nil, fmt.Errorf("published listings: batch of %d", limit)
	}
	return s.listingsWhere(ctx, fmt.Sprintf(`l.id IN (SELECT id FROM listings
		WHERE status = 'published' AND slug > $1 ORDER BY slug LIMIT %d)`, limit), afterSlug)
}
