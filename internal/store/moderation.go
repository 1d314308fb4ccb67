package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

// What moderators read besides revisions: how long the queue is and which
// listings may be the same group.

// LikelyDuplicates returns other listings (not archived) that may be the same
// group as l: the same normalized name meeting in one of l's cities, or the same
// private contact address.
func (s *Store) LikelyDuplicates(ctx context.Context, l directory.Listing, limit int) ([]directory.Duplicate, error) {
	var cities []string
	for _, loc := range l.Locations {
		if loc.Kind == directory.Physical && strings.TrimSpace(loc.City) != "" {
			cities = append(cities, strings.ToLower(strings.TrimSpace(loc.City)))
		}
	}
	id := l.ID
	if !uuidPattern.MatchString(id) {
		id = "00000000-0000-0000-0000-000000000000"
	}
	rows, err := s.pool.Query(ctx, `
		SELECT id, slug, name, status, same_name, same_contact FROM (
			SELECT l.id::text AS id, l.slug, l.name, l.status,
				regexp_replace(lower(unaccent(l.name)), '[[:space:][:punct:]]+', '', 'g') =
					regexp_replace(lower(unaccent($2)), '[[:space:][:punct:]]+', '', 'g')
				AND EXISTS (SELECT 1 FROM locations loc WHERE loc.listing_id = l.id AND loc.kind = 'physical'
					AND lower(btrim(loc.city)) = ANY($3::text[])) AS same_name,
				$4 <> '' AND coalesce(lower(l.contact_email) = lower($4), false) AS same_contact
			FROM listings l
			WHERE l.id <> $1 AND l.status <> 'archived') c
		WHERE same_name OR same_contact
		ORDER BY name, slug LIMIT $5`, id, l.Name, cities, l.ContactEmail, limit)
	if err != nil {
		return nil, translate(err, "find likely duplicates")
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (directory.Duplicate, error) {
		var d directory.Duplicate
		err := r.Scan(&d.ID, &d.Slug, &d.Name, &d.Status, &d.SameName, &d.SameContact)
		return d, err
	})
	return ds, translate(err, "find likely duplicates")
}

// PendingCounts says how many new submissions and how many edits wait for a
// moderator.
func (s *Store) PendingCounts(ctx context.Context) (newListings, edits int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE kind = 'new'), count(*) FILTER (WHERE kind = 'edit')
		FROM revisions WHERE state = 'pending'`).Scan(&newListings, &edits)
	return newListings, edits, translate(err, "count the moderation queue")
}
