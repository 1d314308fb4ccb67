package submissions_test

import (
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/submissions"
	"github.com/belong-directory/belong/internal/testenv"
)

// TestAnEditKeepsThePositionOfAPlaceThatDidNotMove: the form has no
// coordinates, so an edit that leaves the address as it was keeps the place's
// position (and the group in searches near it); one that moves it does not.
func TestAnEditKeepsThePositionOfAPlaceThatDidNotMove(t *testing.T) {
	l := testenv.WeeklyGroup("still-here")
	l.ContactEmail = "org@example.org"
	vocab := search.NewTerms(nil, []string{"en", "es"}, nil)
	sub := submissions.FromListing(*l)
	sub.Summary = "Now with tea."
	edited, err := sub.Validate(vocab, time.Now(), l)
	if err != nil {
		t.Fatal(err)
	}
	got := edited.Locations[0]
	if got.Lat == nil || got.Lng == nil || *got.Lat != *l.Locations[0].Lat || *got.Lng != *l.Locations[0].Lng {
		t.Fatalf("an edit of the summary lost the place's position: %+v", got)
	}
	sub.Place.Address = "12 Other Street"
	moved, err := sub.Validate(vocab, time.Now(), l)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Locations[0].Lat != nil || moved.Locations[0].Lng != nil {
		t.Fatalf("a place that moved kept its old position: %+v", moved.Locations[0])
	}
}
