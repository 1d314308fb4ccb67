package listings_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

func newService(t *testing.T, st *store.Store) *listings.Service {
	t.Helper()
	s, err := listings.New(t.Context(), st, listings.Options{UILangs: []string{"en", "es"},
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTermsRefreshKeepsTheLastGoodSnapshot(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	if err := st.InTx(t.Context(), func(tx *store.Tx) error {
		_, err := tx.SaveListing(t.Context(), testenv.WeeklyGroup("chicago-circle", "cost.free"), "test")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s := newService(t, st)
	v := s.Vocabulary()
	if !v.HasNeed("cost.free") || v.HasNeed("cost") || !v.HasLanguage("ase") || v.HasLanguage("xx") {
		t.Fatal("needs and languages are not the taxonomy's")
	}
	if c, ok := v.City(" chicago "); !ok || c != "Chicago" {
		t.Fatalf("city: %q %v", c, ok)
	}
	if _, ok := v.City("Oakland"); ok {
		t.Fatal("a city nobody meets in was found")
	}
	if len(s.Taxonomy("es")) == 0 || s.Taxonomy("es")[0].Label == s.Taxonomy("en")[0].Label {
		t.Fatal("the taxonomy is not kept in each interface language")
	}
	oakland := testenv.WeeklyGroup("oakland-circle")
	oakland.Locations[0].City, oakland.Locations[0].Region = "Oakland", "CA"
	if err := s.Save(t.Context(), oakland, "test"); err != nil {
		t.Fatal(err)
	}
	if _, ok := v.City("oakland"); !ok {
		t.Fatal("a city brought by a saved listing should be found at once")
	}

	// The database goes away: the refresh says so, and pages and searches keep
	// the last snapshot.
	st.Close()
	if err := s.Refresh(t.Context()); err == nil {
		t.Fatal("a failed refresh must say so")
	}
	if _, ok := v.City("Oakland"); !ok || len(s.Taxonomy("en")) == 0 || len(s.Languages("es")) == 0 {
		t.Fatal("a failed refresh must keep the last snapshot")
	}
	if _, err := listings.New(t.Context(), st, listings.Options{UILangs: []string{"en"}}); err == nil {
		t.Fatal("without a first snapshot there is nothing to build pages from")
	}
}

// A discreet place with every field that could give it away, an online-only
// listing with a physical-access tag, and a draft.
func TestPublicListingKeepsTheRulesOfWhatThePublicSees(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	s := newService(t, st)

	discreet := testenv.WeeklyGroup("discreet-circle", "cost.free")
	loc := &discreet.Locations[0]
	loc.Discreet, loc.Name, loc.Address, loc.PostalCode = true, "Secret Venue Hall", "1 Hidden Lane", "60647"
	loc.TransitNotes = "Blue line to Hidden Stop"
	lat, lng := 41.92345, -87.70678
	loc.Lat, loc.Lng = &lat, &lng
	if err := s.Save(t.Context(), discreet, "test"); err != nil {
		t.Fatal(err)
	}
	p, err := s.PublicListing(t.Context(), "discreet-circle")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(p)
	for _, secret := range []string{"Secret Venue", "Hidden Lane", "60647", "Hidden Stop", "41.923", "87.706"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the public view of a discreet place holds %q: %s", secret, b)
		}
	}
	if got := p.Places()[0]; got.Neighbourhood != "Logan Square" || got.City != "Chicago" || got.Lat != nil {
		t.Errorf("a discreet place keeps its area and nothing more: %+v", got)
	}
	if near, ok := p.Near(); !ok || near.Lat != 41.92 || near.Lng != -87.71 {
		t.Errorf("a discreet place is found by distance to about a kilometre: %+v", near)
	}

	online := testenv.WeeklyGroup("online-circle", "access.step-free", "cost.free")
	online.Locations = []directory.Location{{Kind: directory.Virtual, URL: "https://meet.example.org/circle"}}
	if err := s.Save(t.Context(), online, "test"); err != nil {
		t.Fatal(err)
	}
	p, err = s.PublicListing(t.Context(), "online-circle")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Tag("access.step-free"); ok || !p.OnlineOnly {
		t.Errorf("a step-free entrance means nothing to a group that meets online: %+v", p.Tags)
	}
	if _, ok := p.Tag("cost.free"); !ok {
		t.Errorf("other tags stay: %+v", p.Tags)
	}

	draft := testenv.WeeklyGroup("draft-circle")
	draft.Status = directory.Draft
	if err := s.Save(t.Context(), draft, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublicListing(t.Context(), "draft-circle"); !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("a draft is not public: %v", err)
	}
}

func TestSaveRefusesAnInvalidListingAndWritesNothing(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	s := newService(t, st)
	l := testenv.WeeklyGroup("too-long")
	l.Description = strings.Repeat("x", 1<<20)
	l.Schedules[0].ByDay = "5MO"
	err := s.Save(t.Context(), l, "test")
	var ve *directory.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a validation error, got %v", err)
	}
	fields := map[string]bool{}
	for _, f := range ve.Fields {
		fields[f.Field] = true
	}
	if !fields["description"] || !fields["schedules[0].byday"] {
		t.Fatalf("each problem is named by its field: %+v", ve.Fields)
	}
	if _, err := st.Listing(t.Context(), "too-long"); !errors.Is(err, directory.ErrNotFound) {
		t.Fatalf("nothing may be written: %v", err)
	}
}
