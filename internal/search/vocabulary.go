package search

import (
	"unicode"

	"context"
	"fmt"
	"golang.org/x/text/unicode/norm"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

// Vocabulary is what ParseParams checks names against: the needs (tag slugs),
// group languages and cities the directory knows.
type Vocabulary interface {
	HasNeed(slug string) bool
	HasLanguage(code string) bool
	// City returns a city's name as listings spell it, matched without regard
	// to case.
	City(name string) (string, bool)
}

// Terms is one snapshot of the vocabulary.
type Terms struct {
	needs, languages map[string]bool
	cities           map[string]string // lower case → as listed
}

// NewTerms builds a snapshot; the first spelling of a city wins.
func NewTerms(needs, languages, cities []string) *Terms {
	t := &Terms{needs: map[string]bool{}, languages: map[string]bool{}, cities: map[string]string{}}
	for _, n := range needs {
		t.needs[n] = true
	}
	for _, l := range languages {
		t.languages[l] = true
	}
	for _, c := range cities {
		key := cityKey(c)
		if _, seen := t.cities[key]; !seen && key != "" {
			t.cities[key] = c
		}
	}
	return t
}

// HasNeed reports whether slug is a tag.
func (t *Terms) HasNeed(slug string) bool { return t.needs[slug] }

// HasLanguage reports whether code is a language groups can meet in.
func (t *Terms) HasLanguage(code string) bool { return t.languages[code] }

// City finds a city some listing meets in.
func (t *Terms) City(name string) (string, bool) {
	c, ok := t.cities[cityKey(name)]
	return c, ok
}

// TermSource is where the vocabulary comes from; main supplies the store.
type TermSource interface {
	Taxonomy(ctx context.Context, uiLang string) ([]directory.Category, error)
	Languages(ctx context.Context, uiLang string) ([]directory.Language, error)
	// Cities lists the cities that published listings meet in.
	Cities(ctx context.Context) ([]string, error)
}

// LoadTerms reads a snapshot from src.
func LoadTerms(ctx context.Context, src TermSource) (*Terms, error) {
	cats, err := src.Taxonomy(ctx, "en")
	if err != nil {
		return nil, fmt.Errorf("load search vocabulary: %w", err)
	}
	var needs []string
	for _, c := range cats {
		for _, t := range c.Tags {
			needs = append(needs, t.Slug)
		}
	}
	langs, err := src.Languages(ctx, "en")
	if err != nil {
		return nil, fmt.Errorf("load search vocabulary: %w", err)
	}
	codes := make([]string, len(langs))
	for i, l := range langs {
		codes[i] = l.Code
	}
	cities, err := src.Cities(ctx)
	if err != nil {
		return nil, fmt.Errorf("load search vocabulary: %w", err)
	}
	return NewTerms(needs, codes, cities), nil
}

// LiveVocabulary answers from the latest snapshot and reloads it now and then, so
// a city whose first listing was just published becomes searchable without a
// restart. A failed reload keeps the last good snapshot.
type LiveVocabulary struct {
	src     TermSource
	log     *slog.Logger
	current atomic.Pointer[Terms]
}

// NewLiveVocabulary loads the first snapshot; failing that, there is nothing to
// check searches against, so it is an error.
func NewLiveVocabulary(ctx context.Context, src TermSource, log *slog.Logger) (*LiveVocabulary, error) {
	v := &LiveVocabulary{src: src, log: log}
	if err := v.Refresh(ctx); err != nil {
		return nil, err
	}
	return v, nil
}

// Refresh reloads the snapshot.
func (v *LiveVocabulary) Refresh(ctx context.Context) error {
	t, err := LoadTerms(ctx, v.src)
	if err != nil {
		return err
	}
	v.current.Store(t)
	return nil
}

// Watch reloads every interval until ctx ends.
func (v *LiveVocabulary) Watch(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := v.Refresh(ctx); err != nil && ctx.Err() == nil {
				v.log.Warn("search vocabulary not refreshed; keeping the last one", "error", err.Error())
			}
		}
	}
}

// HasNeed reports whether slug is a tag.
func (v *LiveVocabulary) HasNeed(slug string) bool { return v.current.Load().HasNeed(slug) }

// HasLanguage reports whether code is a language groups can meet in.
func (v *LiveVocabulary) HasLanguage(code string) bool { return v.current.Load().HasLanguage(code) }

// City finds a city some listing meets in.
func (v *LiveVocabulary) City(name string) (string, bool) { return v.current.Load().City(name) }

// cityKey is how a typed city is matched to a listed one: case, spacing and
// accents aside, so "ciudad de mexico" finds "Ciudad de México".
func cityKey(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(collapseSpace(name))) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
