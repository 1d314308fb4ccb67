package listings

import (
	"context"

	"github.com/belong-directory/belong/internal/directory"
)

// Listed is how a listing on a referral list stands now: its public view while
// it is published; only its name once it is archived, so a list can say it no
// longer meets; nothing for a listing that never was public or is gone.
type Listed struct {
	Public   *directory.PublicListing
	Name     string
	TextLang string
	Archived bool
}

// Listed looks up the listings of a referral list in one batch, by id. Ids
// that do not exist are left out.
func (s *Service) Listed(ctx context.Context, ids []string) (map[string]Listed, error) {
	out := make(map[string]Listed, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	ls, err := s.st.ListingsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	terms, now := s.terms.Load(), s.now()
	for _, l := range ls {
		switch l.Status {
		case directory.Published:
			p, err := directory.Publish(l, terms, s.th, now)
			if err != nil {
				return nil, err
			}
			out[l.ID] = Listed{Public: &p, Name: p.Name, TextLang: p.TextLang}
		case directory.Archived:
			out[l.ID] = Listed{Name: l.Name, TextLang: l.TextLang, Archived: true}
		}
	}
	return out, nil
}
