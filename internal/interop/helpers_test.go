package interop_test

import (
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/testenv"
)

// now is when the tests look at the feeds: a Monday in January, when Chicago is
// six hours behind UTC.
var now = time.Date(2026, 1, 12, 12, 0, 0, 0, time.UTC)

// fixture saves the listings on a fresh database and returns the interop
// service over them, wired as main wires it.
func fixture(t *testing.T, ls ...*directory.Listing) (*interop.Service, map[string]*directory.Listing) {
	t.Helper()
	svc, _, bySlug := fixtureWithDirectory(t, ls...)
	return svc, bySlug
}

// fixtureWithDirectory is fixture, with the directory service, for tests that
// save listings again.
func fixtureWithDirectory(t *testing.T, ls ...*directory.Listing) (*interop.Service, *listings.Service,
	map[string]*directory.Listing) {
	t.Helper()
	st := testenv.Store(t)
	dir, err := listings.New(t.Context(), st, listings.Options{UILangs: []string{"en", "es"},
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]*directory.Listing{}
	for _, l := range ls {
		if err := dir.Save(t.Context(), l, "test"); err != nil {
			t.Fatalf("save %s: %v", l.Slug, err)
		}
		bySlug[l.Slug] = l
	}
	return interop.New(dir, "https://belong.example", func() time.Time { return now }), dir, bySlug
}

func tag(slug string, v directory.Value, note string) directory.ListingTag {
	return directory.ListingTag{Tag: slug, Value: v, Note: note, Source: directory.ByOrganizer, ConfirmedAt: now}
}

// directoryFixture has one of each kind of listing the feeds must handle.
func directoryFixture() []*directory.Listing {
	lat, lng := 41.9101, -87.6775
	weekly := testenv.WeeklyGroup("grief-circle", "cost.free")
	weekly.Name = "Grief Circle"
	weekly.Locations[0].Address, weekly.Locations[0].PostalCode = "1234 N Milwaukee Ave", "60622"
	weekly.Locations[0].Lat, weekly.Locations[0].Lng = &lat, &lng
	weekly.Locations[0].TransitNotes = "Blue Line, Damen stop"
	weekly.Schedules[0].ByDay = "TU,TH"
	weekly.Schedules[0].Notes = "Doors open 15 minutes early."
	weekly.Languages = []string{"en", "es"}
	weekly.Tags = append(weekly.Tags, tag("access.step-free", directory.Yes, "ramp at the side door"),
		tag("access.accessible-toilet", directory.Partly, "grab bars, narrow door"),
		tag("care.childcare", directory.No, ""), tag("lang.sign-interpreting", directory.Partly, "ask a week ahead"),
		tag("identity.lgbtq-affirming", directory.Yes, ""))
	weekly.Phone = "+1 312 555 0100"

	discreet := testenv.WeeklyGroup("safe-harbour", "paperwork.no-id")
	discreet.Organization = directory.Organization{Slug: "harbour", Name: "Harbour Collective", Description: "Peer support."}
	discreet.Locations[0].Address, discreet.Locations[0].PostalCode, discreet.Locations[0].Discreet =
		"77 Quiet Street", "60618", true
	discreet.Locations[0].TransitNotes = "Behind the clinic"
	discreet.HowToJoin = "Write to us and we will tell you where we meet."
	discreet.Email = "hello@harbour.example"
	discreet.Tags = append(discreet.Tags, tag("access.step-free", directory.Yes, ""))

	online := testenv.WeeklyGroup("online-circle", "digital.camera-optional", "access.step-free")
	online.Locations = []directory.Location{{Kind: directory.Virtual, Name: "Zoom room",
		URL: "https://meet.example/online-circle"}}
	online.PhoneMeeting = "+1 (646) 555-0199"
	online.Schedules[0].ByDay, online.Schedules[0].TimeZone = "SA", "Europe/Madrid"
	online.Languages = []string{"es"}

	hybridPaused := testenv.WeeklyGroup("hybrid-paused", "care.childcare")
	hybridPaused.Locations = append(hybridPaused.Locations, directory.Location{Kind: directory.Virtual,
		URL: "https://meet.example/hybrid"})
	hybridPaused.Paused, hybridPaused.PausedNote = true, "Back in March."

	monthly := testenv.WeeklyGroup("monthly-circle")
	monthly.Schedules[0] = directory.Schedule{Freq: "MONTHLY", Interval: 1, ByDay: "2WE", OpensAt: "10:00",
		ClosesAt: "11:30", Start: "2025-01-01", TimeZone: "America/Chicago"}

	fortnightly := testenv.WeeklyGroup("fortnightly-circle")
	fortnightly.Schedules[0].Interval = 2

	ended := testenv.WeeklyGroup("ended-circle")
	until := "2025-06-30"
	ended.Schedules[0].Until = &until

	long := testenv.WeeklyGroup("a-very-long-group-name-that-goes-on-and-on-about-what-it-does-every-week")
	long.Schedules = append(long.Schedules, long.Schedules[0]) // the same meeting twice

	draft := testenv.WeeklyGroup("draft-circle")
	draft.Status = directory.Draft

	return []*directory.Listing{weekly, discreet, online, hybridPaused, monthly, fortnightly, ended, long, draft}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
