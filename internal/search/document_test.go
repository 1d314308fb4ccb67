package search

import (
	"slices"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

func ptr[T any](v T) *T { return &v }

func TestBuildDocument(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tax := Taxonomy{
		"access.step-free": {Physical: true, Labels: []string{"Step-free", "Sin escalones"}},
		"cost.free":        {Labels: []string{"Free", "Gratis"}},
		"care.childcare":   {Physical: true, Labels: []string{"Childcare", "Cuidado infantil"}},
	}
	l := directory.Listing{
		ID: "id-1", Slug: "grief-circle", Name: "Grief circle", Summary: "s", Status: "published",
		TextLang: "en", ConfirmedAt: now.Add(-24 * time.Hour), ConfirmedBy: directory.ByOrganizer,
		Organization: directory.Organization{Name: "Org"},
		Locations: []directory.Location{{Kind: directory.Physical, City: "Chicago", Neighbourhood: "Pilsen",
			Lat: ptr(41.857123), Lng: ptr(-87.656789), Discreet: true}},
		Schedules: []directory.Schedule{
			{Freq: "WEEKLY", Interval: 1, ByDay: "TU", OpensAt: "18:30", ClosesAt: "20:00", Start: "2026-01-06", TimeZone: "America/Chicago"},
			{Freq: "MONTHLY", Interval: 1, ByDay: "-1FR", OpensAt: "10:00", ClosesAt: "11:30", Start: "2026-01-01", TimeZone: "America/Chicago"},
		},
		Tags: []directory.ListingTag{
			{Tag: "access.step-free", Value: directory.Partly, Note: "one step"},
			{Tag: "cost.free", Value: directory.Yes},
			{Tag: "care.childcare", Value: directory.No},
		},
		Languages: []string{"en", "es"},
	}
	d, ok := BuildDocument(l, tax, now)
	if !ok {
		t.Fatal("a published listing with meetings to come must be indexable")
	}
	if !slices.Equal(d.TagsYes, []string{"cost.free"}) || !slices.Equal(d.TagsPartly, []string{"access.step-free"}) ||
		!slices.Equal(d.TagsOffered, []string{"access.step-free", "cost.free"}) || !slices.Equal(d.TagsNo, []string{"care.childcare"}) {
		t.Fatalf("tags split wrong: %+v", d)
	}
	if !slices.Equal(d.Days, []string{"tue", "fri"}) || !slices.Equal(d.Times, []string{"morning", "evening"}) ||
		!slices.Equal(d.Slots, []string{"fri-morning", "tue-evening"}) {
		t.Fatalf("days/times wrong: %v %v %v", d.Days, d.Times, d.Slots)
	}
	// Next Tuesday after Wed 2026-11-25 is 12-01 18:30 CST; the last Friday of November is the 27th 10:00.
	want := time.Date(2026, 11, 27, 10, 0, 0, 0, mustLoad(t, "America/Chicago")).Unix()
	if d.NextAt == nil || *d.NextAt != want {
		t.Fatalf("next_at = %v, want %d", d.NextAt, want)
	}
	if d.Geo == nil || d.Geo.Lat != 41.86 || d.Geo.Lng != -87.66 {
		t.Fatalf("a discreet place must be coarsened, got %+v", d.Geo)
	}
	if !slices.Equal(d.Modes, []string{"in_person"}) || d.OnlineOnly {
		t.Fatalf("modes: %v", d.Modes)
	}

	online := l
	online.Locations = []directory.Location{{Kind: directory.Virtual, URL: "https://meet.example/x"}}
	online.PhoneMeeting = "+1 312 555 0100"
	d, _ = BuildDocument(online, tax, now)
	if slices.Contains(d.TagsOffered, "access.step-free") || slices.Contains(d.TagsNo, "care.childcare") || d.Geo != nil {
		t.Fatalf("physical tags and places must not reach an online-only document: %+v", d)
	}
	if !slices.Equal(d.Modes, []string{"online", "phone"}) || !d.OnlineOnly {
		t.Fatalf("modes: %v", d.Modes)
	}

	paused := l
	paused.Paused = true
	if d, ok := BuildDocument(paused, tax, now); !ok || d.NextAt != nil || !d.Paused {
		t.Fatalf("a paused listing stays indexed but has no next meeting: %v %+v", ok, d)
	}
	ended := l
	ended.Schedules = []directory.Schedule{{Freq: "WEEKLY", Interval: 1, ByDay: "MO", OpensAt: "09:00", ClosesAt: "10:00",
		Start: "2025-01-06", Until: ptr("2025-06-30"), TimeZone: "America/Chicago"}}
	if _, ok := BuildDocument(ended, tax, now); ok {
		t.Fatal("a listing whose every schedule has ended must leave the index")
	}
	draft := l
	draft.Status = "draft"
	if _, ok := BuildDocument(draft, tax, now); ok {
		t.Fatal("a draft must not be indexed")
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
