package listings

import (
	"context"

	"github.com/belong-directory/belong/internal/directory"
)

// historyLimit is how many changes a listing's public history shows.
const historyLimit = 100

// History returns a published listing's public view and its change history,
// newest first: when, what kind of change, and the role of who made it, never
// a name, an address or any other personal data.
func (s *Service) History(ctx context.Context, slug string) (directory.PublicListing, []directory.Change, error) {
	l, err := s.PublicListing(ctx, slug)
	if err != nil {
		return directory.PublicListing{}, nil, err
	}
	changes, err := s.st.History(ctx, l.ID, historyLimit)
	if err != nil {
		return directory.PublicListing{}, nil, err
	}
	return l, changes, nil
}
