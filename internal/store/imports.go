package store

import (
	"context"

	"github.com/belong-directory/belong/internal/directory"
)

// ImportListing is SaveListing for a listing that comes from another
// directory's data: when the listing or its organization is new here it keeps
// the id it has there (l.ID, l.Organization.ID, when not empty), so the same
// record has the same id on both sides and a second import updates it in place.
// An id already taken by another slug is a conflict.
func (t *Tx) ImportListing(ctx context.Context, l *directory.Listing, actor string) (string, error) {
	return t.saveListing(ctx, l, actor, l.ID, l.Organization.ID)
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
