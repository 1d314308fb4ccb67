package search

import (
	"unicode"

	"context"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

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
