package submissions_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
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

// TestABlankNameIsTheOnlyProblemReported: the summary and the organization may
// be left empty and then take the name, so a submission whose only problem is
// a blank name gets one error, on the name, and not on the fields that would
// have borrowed it. A valid submission still fills them from the name.
func TestABlankNameIsTheOnlyProblemReported(t *testing.T) {
	vocab := search.NewTerms(nil, []string{"en", "es"}, nil)
	l := testenv.WeeklyGroup("blank-name")
	l.ContactEmail = "org@example.org"
	sub := submissions.FromListing(*l)
	sub.Summary, sub.Organization = "", ""

	valid, err := sub.Validate(vocab, time.Now(), nil)
	if err != nil {
		t.Fatalf("a submission without summary or organization: %v", err)
	}
	if valid.Summary != sub.Name || valid.Organization.Name != sub.Name {
		t.Errorf("summary %q and organization %q do not default to the name %q", valid.Summary,
			valid.Organization.Name, sub.Name)
	}

	for _, summary := range []string{"", "Peers who meet on Tuesdays."} {
		sub.Name, sub.Summary = "  ", summary
		_, err := sub.Validate(vocab, time.Now(), nil)
		var v *directory.ValidationError
		if !errors.As(err, &v) {
			t.Fatalf("summary %q: want a validation error, got %v", summary, err)
		}
		if len(v.Fields) != 1 || v.Fields[0].Field != "name" || v.Fields[0].Key != directory.KeyRequired {
			t.Errorf("summary %q: want one error, name required; got %+v", summary, v.Fields)
		}
	}
}

// Dates sent in one row come back in one row for editing, and saving that row
// again gives the same schedules.
func TestDatesSentTogetherComeBackTogether(t *testing.T) {
	l := testenv.WeeklyGroup("on-some-dates")
	l.ContactEmail = "org@example.org"
	vocab := search.NewTerms(nil, []string{"en", "es"}, nil)
	sub := submissions.FromListing(*l)
	sub.Schedules = append(sub.Schedules, submissions.ScheduleInput{Pattern: submissions.OnDates,
		Dates: []string{"2027-01-07", "2027-02-04", "2027-03-04"}, Opens: "18:00", Closes: "19:00", Zone: "America/Chicago"})
	saved, err := sub.Validate(vocab, time.Now(), l)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Schedules) != 4 {
		t.Fatalf("%d schedules saved, want the weekly one and three dates", len(saved.Schedules))
	}
	back := submissions.FromListing(saved)
	if len(back.Schedules) != 2 || back.Schedules[0].Pattern != submissions.Weekly ||
		strings.Join(back.Schedules[1].Dates, ",") != "2027-01-07,2027-02-04,2027-03-04" {
		t.Fatalf("the rows to edit: %+v", back.Schedules)
	}
	again, err := back.Validate(vocab, time.Now(), &saved)
	if err != nil || len(again.Schedules) != 4 {
		t.Fatalf("saved again: %d schedules, %v", len(again.Schedules), err)
	}
}

// A meeting time with no time zone is told the zone is needed, not that it
// does not look right.
func TestAMissingTimeZoneIsNeeded(t *testing.T) {
	l := testenv.WeeklyGroup("no-zone")
	l.ContactEmail = "org@example.org"
	sub := submissions.FromListing(*l)
	sub.Schedules[0].Zone = ""
	_, err := sub.Validate(search.NewTerms(nil, []string{"en", "es"}, nil), time.Now(), nil)
	ve, ok := errors.AsType[*directory.ValidationError](err)
	if !ok || len(ve.Fields) != 1 || ve.Fields[0].Field != "schedules[0].zone" || ve.Fields[0].Key != directory.KeyRequired {
		t.Fatalf("%v", err)
	}
}

// A meeting time with no end says the end is needed, next to it, and not that
// the whole schedule cannot be read.
func TestAMissingEndIsNamed(t *testing.T) {
	l := testenv.WeeklyGroup("no-end")
	l.ContactEmail = "org@example.org"
	sub := submissions.FromListing(*l)
	sub.Schedules[0].Closes = ""
	_, err := sub.Validate(search.NewTerms(nil, []string{"en", "es"}, nil), time.Now(), nil)
	ve, ok := errors.AsType[*directory.ValidationError](err)
	if !ok || len(ve.Fields) != 1 || ve.Fields[0].Field != "schedules[0].closes" || ve.Fields[0].Key != directory.KeyRequired {
		t.Fatalf("%v", err)
	}
}

// A row that cannot be read for a reason of its own still says so beside a
// missing time zone.
func TestARowThatCannotBeReadIsStillSaid(t *testing.T) {
	l := testenv.WeeklyGroup("bad-end")
	l.ContactEmail = "org@example.org"
	sub := submissions.FromListing(*l)
	sub.Schedules[0].Zone, sub.Schedules[0].Closes = "", "8pm"
	_, err := sub.Validate(search.NewTerms(nil, []string{"en", "es"}, nil), time.Now(), nil)
	ve, ok := errors.AsType[*directory.ValidationError](err)
	if !ok {
		t.Fatalf("%v", err)
	}
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	if !slices.Contains(fields, "schedules[0].zone") || (!slices.Contains(fields, "schedules[0]") && !slices.Contains(fields, "schedules[0].closes")) {
		t.Fatalf("problems: %v", fields)
	}
}
