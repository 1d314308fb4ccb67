package search_test

import (
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// save writes a listing the way the product does.
func save(t *testing.T, st *store.Store, l *directory.Listing) {
	t.Helper()
	err := st.InTx(t.Context(), func(tx pgx.Tx) error {
		_, err := st.SaveListing(t.Context(), tx, l, "test")
		return err
	})
	if err != nil {
		t.Fatalf("save %s: %v", l.Slug, err)
	}
}

func TestLiveVocabularyRefreshKeepsTheLastGoodSnapshot(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	save(t, st, testenv.WeeklyGroup("chicago-circle", "cost.free"))
	log := slog.New(slog.DiscardHandler)
	v, err := search.NewLiveVocabulary(t.Context(), st, log)
	if err != nil {
		t.Fatal(err)
	}
	if !v.HasNeed("cost.free") || v.HasNeed("cost") || !v.HasLanguage("ase") || v.HasLanguage("xx") {
		t.Fatal("needs and languages are not the taxonomy's")
	}
	if c, ok := v.City(" chicago "); !ok || c != "Chicago" {
		t.Fatalf("city: %q %v", c, ok)
	}
	if _, ok := v.City("Oakland"); ok {
		t.Fatal("a city nobody meets in was found")
	}
	oakland := testenv.WeeklyGroup("oakland-circle")
	oakland.Locations[0].City, oakland.Locations[0].Region = "Oakland", "CA"
	save(t, st, oakland)
	if err := v.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, ok := v.City("oakland"); !ok {
		t.Fatal("a new city should be found after a refresh")
	}

	// The database goes away: the refresh says so and the last snapshot stays.
	st.Close()
	if err := v.Refresh(t.Context()); err == nil {
		t.Fatal("a failed refresh must say so")
	}
	if _, ok := v.City("Oakland"); !ok {
		t.Fatal("a failed refresh must keep the last snapshot")
	}
	if _, err := search.NewLiveVocabulary(t.Context(), st, log); err == nil {
		t.Fatal("without a first snapshot there is nothing to check searches against")
	}
}
