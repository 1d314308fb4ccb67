package listings_test

import (
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/testenv"
)

// Every export starts from PublishedListings, so it must apply Publish's rules:
// published only, and a discreet place without its street or position.
func TestPublishedListingsArePublicViews(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	s := newService(t, st)
	open := testenv.WeeklyGroup("open-circle", "cost.free")
	open.Locations[0].Address = "2150 N Milwaukee Ave"
	discreet := testenv.WeeklyGroup("discreet-circle", "access.step-free")
	discreet.Locations[0].Address, discreet.Locations[0].Discreet = "1 Hidden Street", true
	draft := testenv.WeeklyGroup("draft-circle")
	draft.Status = directory.Draft
	for _, l := range []*directory.Listing{open, discreet, draft} {
		if err := s.Save(t.Context(), l, "test"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PublishedListings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Slug != "discreet-circle" || got[1].Slug != "open-circle" {
		t.Fatalf("published: %+v", got)
	}
	place := got[0].Locations[0]
	if place.Address != "" || place.Name != "" || place.Lat != nil || place.Neighbourhood != "Logan Square" {
		t.Fatalf("discreet place leaks: %+v", place)
	}
	if got[1].Locations[0].Address != "2150 N Milwaukee Ave" {
		t.Fatalf("open place: %+v", got[1].Locations[0])
	}
}
