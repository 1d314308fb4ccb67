package store

import (
	"context"

	"github.com/belong-directory/belong/internal/directory"
)

// ImportListing is SaveListing for a listing that comes from another
// directory's data: when the listing or its organization is new here it keeps
// the id it has there (l.ID, l.Organization.ID, when not empty), so the same
// record has the same id on both sides and a second import updates it in place.
// It claims the ids with a bare row first, in the same transaction, which
// SaveListing then fills in by slug as it would any existing listing; so the
// one write path (row, outbox, audit) stays the only one. An id already taken
// under another slug is left alone: the importer reports that case before
// applying.
func (t *Tx) ImportListing(ctx context.Context, l *directory.Listing, actor string) (string, error) {
	if err := l.Validate(); err != nil {
		return "", err
	}
	if o := l.Organization; o.ID != "" && uuidPattern.MatchString(o.ID) {
		if _, err := t.tx.Exec(ctx, `INSERT INTO organizations (id, slug, name) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, o.ID, o.Slug, o.Name); err != nil {
			return "", translate(err, "claim organization id "+o.Slug)
		}
	}
	if l.ID != "" && uuidPattern.MatchString(l.ID) {
		_, err := t.tx.Exec(ctx, `INSERT INTO listings (id, slug, organization_id, name, summary, confirmed_by)
			SELECT $1, $2, o.id, $4, $5, $6 FROM organizations o WHERE o.slug = $3
			ON CONFLICT DO NOTHING`, l.ID, l.Slug, l.Organization.Slug, l.Name, l.Summary, string(l.ConfirmedBy))
		if err != nil {
			return "", translate(err, "claim listing id "+l.Slug)
		}
	}
	return t.SaveListing(ctx, l, actor)
}

// Organization returns an organization by id or slug.
func (s *Store) Organization(ctx context.Context, idOrSlug string) (directory.Organization, error) {
	cond := "slug = $1"
	if uuidPattern.MatchString(idOrSlug) {
		cond = "id = $1::uuid"
	}
	o, err := collect[directory.Organization](ctx, s, `
		SELECT id, slug, name, description, coalesce(website, '') AS website, coalesce(email, '') AS email,
			coalesce(phone, '') AS phone
		FROM organizations WHERE `+cond, idOrSlug)
	if err != nil {
		return directory.Organization{}, translate(err, "load organization")
	}
	if len(o) == 0 {
		return directory.Organization{}, directory.ErrNotFound
	}
	return o[0], nil
}
