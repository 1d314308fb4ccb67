// Package listings is the directory service: what the public may see of a listing
// (one PublicListing for every surface), the taxonomy, languages and cities that
// pages and searches are built from, kept in memory, and saving listings through
// one store transaction. It knows nothing of HTTP or SQL text.
package listings

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
)

// Service answers the directory's questions about listings.
type Service struct {
	st      *store.Store
	th      directory.Thresholds
	uiLangs []string
	now     func() time.Time
	log     *slog.Logger
	terms   atomic.Pointer[Terms]
}

// Options are the service's settings; main supplies them from the config.
type Options struct {
	Thresholds directory.Thresholds
	// UILangs are the interface languages, English first; taxonomy and language
	// names are kept in each.
	UILangs []string
	Now     func() time.Time
	Log     *slog.Logger
}

// New loads the first snapshot of the terms; without one there is nothing to
// build a page or check a search against, so it is an error.
func New(ctx context.Context, st *store.Store, o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Service{st: st, th: o.Thresholds, uiLangs: o.UILangs, now: o.Now, log: o.Log}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Thresholds are the ages at which listings start aging and go stale.
func (s *Service) Thresholds() directory.Thresholds { return s.th }

// PublicListing returns the public view of a listing by id or slug: ErrNotFound
// for one that does not exist or is not published.
func (s *Service) PublicListing(ctx context.Context, idOrSlug string) (directory.PublicListing, error) {
	l, err := s.st.Listing(ctx, idOrSlug)
	if err != nil {
		return directory.PublicListing{}, err
	}
	return directory.Publish(l, s.terms.Load(), s.th, s.now())
}

// Save writes a listing, its outbox row and its audit row in one transaction;
// a listing that fails Validate gets its *ValidationError and nothing is
// written. The terms are reloaded afterwards, since the listing may bring a new
// city.
func (s *Service) Save(ctx context.Context, l *directory.Listing, actor string) error {
	if err := s.st.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveListing(ctx, l, actor)
		return err
	}); err != nil {
		return err
	}
	if err := s.Refresh(ctx); err != nil {
		s.log.Warn("terms not refreshed after a save; the next refresh will", "error", err.Error())
	}
	return nil
}

// Refresh reloads the terms from PostgreSQL. A failed reload keeps the last good
// snapshot, so pages and searches go on working while PostgreSQL is away.
func (s *Service) Refresh(ctx context.Context) error {
	t := &Terms{categories: map[string][]directory.Category{}, languages: map[string][]directory.Language{},
		physical: map[string]bool{}}
	for _, ui := range s.uiLangs {
		cats, err := s.st.Taxonomy(ctx, ui)
		if err != nil {
			return fmt.Errorf("load the taxonomy: %w", err)
		}
		langs, err := s.st.Languages(ctx, ui)
		if err != nil {
			return fmt.Errorf("load the languages: %w", err)
		}
		t.categories[ui], t.languages[ui] = cats, langs
	}
	cities, err := s.st.Cities(ctx)
	if err != nil {
		return fmt.Errorf("load the cities: %w", err)
	}
	t.cities = cities
	var needs, codes []string
	for _, c := range t.categories[s.uiLangs[0]] {
		for _, tag := range c.Tags {
			needs = append(needs, tag.Slug)
			t.physical[tag.Slug] = tag.Physical
		}
	}
	for _, l := range t.languages[s.uiLangs[0]] {
		codes = append(codes, l.Code)
	}
	t.search = search.NewTerms(needs, codes, cities)
	s.terms.Store(t)
	return nil
}

// Watch reloads the terms every interval until ctx ends, so a city whose first
// listing another process published becomes searchable without a restart.
func (s *Service) Watch(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			err := s.Refresh(ctx)
			switch {
			case err != nil && ctx.Err() == nil && !failing:
				s.log.Warn("terms not refreshed; keeping the last ones", "error", err.Error())
				failing = true
			case err == nil && failing:
				s.log.Info("terms refreshed again")
				failing = false
			}
		}
	}
}

// Taxonomy is every category of needs with its tags, in one interface language
// (English when ui is not one of them).
func (s *Service) Taxonomy(ui string) []directory.Category {
	return s.terms.Load().Categories(ui, s.uiLangs[0])
}

// Languages is every language a group can meet in, named in ui.
func (s *Service) Languages(ui string) []directory.Language {
	// A copy: the terms are shared by every request, and a page may sort it.
	return slices.Clone(s.terms.Load().Languages(ui, s.uiLangs[0]))
}

// Cities are the cities published listings meet in.
func (s *Service) Cities() []string { return s.terms.Load().cities }

// Vocabulary is what searches are checked against.
func (s *Service) Vocabulary() search.Vocabulary { return vocabulary{s} }

// vocabulary reads the latest snapshot on every call.
type vocabulary struct{ s *Service }

func (v vocabulary) HasNeed(slug string) bool        { return v.s.terms.Load().search.HasNeed(slug) }
func (v vocabulary) HasLanguage(code string) bool    { return v.s.terms.Load().search.HasLanguage(code) }
func (v vocabulary) City(name string) (string, bool) { return v.s.terms.Load().search.City(name) }

// Terms is one snapshot of what pages and searches are built from.
type Terms struct {
	categories map[string][]directory.Category
	languages  map[string][]directory.Language
	cities     []string
	physical   map[string]bool
	search     *search.Terms
}

// Physical reports whether a tag describes a physical place.
func (t *Terms) Physical(slug string) bool { return t.physical[slug] }

// Categories in ui, or in fallback when ui is not kept.
func (t *Terms) Categories(ui, fallback string) []directory.Category {
	if c, ok := t.categories[ui]; ok {
		return c
	}
	return t.categories[fallback]
}

// Languages named in ui, or in fallback when ui is not kept.
func (t *Terms) Languages(ui, fallback string) []directory.Language {
	if l, ok := t.languages[ui]; ok {
		return l
	}
	return t.languages[fallback]
}

// publishedBatch is how many listings PublishedListings loads per round trip:
// few queries, and a batch of whole listings stays a few megabytes.
const publishedBatch = 500

// PublishedListings returns the public view of every published listing, in slug
// order, loaded from the store in batches. It is where every export starts: each
// listing goes through Publish, so an export shows nothing a group page would not.
func (s *Service) PublishedListings(ctx context.Context) ([]directory.PublicListing, error) {
	terms, now := s.terms.Load(), s.now()
	var out []directory.PublicListing
	after := ""
	for {
		batch, err := s.st.PublishedListingsAfter(ctx, after, publishedBatch)
		if err != nil {
			return nil, err
		}
		if len(batch) == 0 {
			return out, nil
		}
		for _, l := range batch {
			p, err := directory.Publish(l, terms, s.th, now)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		after = batch[len(batch)-1].Slug
	}
}
