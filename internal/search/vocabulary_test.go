package search

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
)

type fakeTerms struct {
	cities []string
	err    error
}

func (f *fakeTerms) Taxonomy(context.Context, string) ([]directory.Category, error) {
	return []directory.Category{{Slug: "cost", Tags: []directory.Tag{{Slug: "cost.free"}}}}, nil
}

func (f *fakeTerms) Languages(context.Context, string) ([]directory.Language, error) {
	return []directory.Language{{Code: "es"}, {Code: "ase"}}, nil
}

func (f *fakeTerms) Cities(context.Context) ([]string, error) { return f.cities, f.err }

func TestLiveVocabularyRefreshKeepsTheLastGoodSnapshot(t *testing.T) {
	src := &fakeTerms{cities: []string{"Chicago"}}
	v, err := NewLiveVocabulary(context.Background(), src, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if !v.HasNeed("cost.free") || v.HasNeed("cost") || !v.HasLanguage("ase") || v.HasLanguage("fr") {
		t.Fatal("needs and languages not loaded")
	}
	if c, ok := v.City(" chicago "); !ok || c != "Chicago" {
		t.Fatalf("city: %q %v", c, ok)
	}
	if _, ok := v.City("Oakland"); ok {
		t.Fatal("a city nobody meets in was found")
	}
	src.cities = append(src.cities, "Oakland")
	if err := v.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := v.City("oakland"); !ok {
		t.Fatal("a new city should be found after a refresh")
	}
	src.err = errors.New("database gone")
	if err := v.Refresh(context.Background()); err == nil {
		t.Fatal("a failed refresh must say so")
	}
	if _, ok := v.City("Oakland"); !ok {
		t.Fatal("a failed refresh must keep the last snapshot")
	}
	if _, err := NewLiveVocabulary(context.Background(), src, slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("without a first snapshot there is nothing to check searches against")
	}
}
