package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

func bulkListing(slug, org string, confirmed time.Time) directory.Listing {
	lat, lng := 41.9234, -87.7083
	until := "2026-12-15"
	return directory.Listing{
		Slug:         slug,
		Organization: directory.Organization{Slug: org, Name: "Org " + org, Website: "https://" + org + ".example.org"},
		Name:         "Group " + slug,
		Summary:      "A friendly group.",
		TextLang:     "en",
		Status:       "published",
		Email:        "hello@example.org",
		ConfirmedAt:  confirmed,
		ConfirmedBy:  directory.ByImport,
		Locations: []directory.Location{
			{Kind: directory.Physical, Name: "Library", Address: "2300 N Milwaukee Ave", Neighbourhood: "Logan Square",
				City: "Chicago", Region: "IL", PostalCode: "60647", Country: "US", Lat: &lat, Lng: &lng,
				TransitNotes: "Blue Line to Logan Square"},
			{Kind: directory.Virtual, Name: "Jitsi", URL: "https://meet.example.org/" + slug},
		},
		Schedules: []directory.Schedule{
			{Freq: "WEEKLY", Interval: 2, ByDay: "TU", OpensAt: "18:30", ClosesAt: "20:00", Start: "2025-01-07",
				TimeZone: "America/Chicago", SkipDates: []string{"2025-12-23"}},
			{Freq: "MONTHLY", Interval: 1, ByDay: "-1FR", OpensAt: "10:00", ClosesAt: "11:30", Start: "2025-01-01",
				Until: &until, TimeZone: "America/Chicago"},
		},
		Tags: []directory.ListingTag{
			{Tag: "cost.free", Value: directory.Yes, Source: directory.ByImport, ConfirmedAt: confirmed},
			{Tag: "access.step-free", Value: directory.Partly, Note: "one 5 cm step at the door",
				Source: directory.ByModerator, ConfirmedAt: confirmed},
			{Tag: "care.childcare", Value: directory.No, Source: directory.ByImport, ConfirmedAt: confirmed},
		},
		Languages: []string{"en", "es"},
	}
}

func bulkRows(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.Pool().QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestBulkInsertLandsWholeListings(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	confirmed := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	in := []directory.Listing{
		bulkListing("bulk-a", "org-one", confirmed),
		bulkListing("bulk-b", "org-one", confirmed),
		bulkListing("bulk-c", "org-two", confirmed),
	}
	in[2].Locations = in[2].Locations[1:] // online only
	in[2].Tags = in[2].Tags[:1]

	n, err := st.BulkInsert(ctx, in, "test")
	if err != nil {
		t.Fatalf("BulkInsert: %v", err)
	}
	if n != 3 {
		t.Fatalf("added %d, want 3", n)
	}
	for table, want := range map[string]int{"organizations": 2, "listings": 3, "locations": 5,
		"schedules": 6, "listing_tags": 7, "listing_languages": 6, "outbox": 3} {
		if got := bulkRows(t, st, table); got != want {
			t.Errorf("%s: %d rows, want %d", table, got, want)
		}
	}
	var queued int
	if err := st.Pool().QueryRow(ctx, `SELECT count(DISTINCT o.listing_id) FROM outbox o
		JOIN listings l ON l.id = o.listing_id`).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != 3 {
		t.Errorf("outbox names %d listings, want 3", queued)
	}
	var action, detail string
	if err := st.Pool().QueryRow(ctx, `SELECT action, detail::text FROM audit_log WHERE actor = 'test'`).
		Scan(&action, &detail); err != nil {
		t.Fatalf("audit row: %v", err)
	}
	if action != "bulk_insert" {
		t.Errorf("audit action %q", action)
	}

	got, err := st.Listing(ctx, "bulk-a")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != in[0].ID || got.ID == "" {
		t.Errorf("id %q, BulkInsert set %q", got.ID, in[0].ID)
	}
	want := in[0]
	if got.Name != want.Name || got.Organization.Website != want.Organization.Website || got.Email != want.Email ||
		got.Phone != "" || !got.ConfirmedAt.Equal(want.ConfirmedAt) || got.ConfirmedBy != directory.ByImport {
		t.Errorf("listing row differs: %+v", got)
	}
	if len(got.Locations) != 2 || *got.Locations[0].Lat != *want.Locations[0].Lat ||
		got.Locations[1].URL != want.Locations[1].URL || got.Locations[1].Country != "" {
		t.Errorf("locations: %+v", got.Locations)
	}
	scheds := map[string]directory.Schedule{}
	for _, sc := range got.Schedules {
		sc.ID = ""
		scheds[sc.ByDay] = sc
	}
	for _, sc := range want.Schedules {
		if sc.SkipDates == nil {
			sc.SkipDates = []string{}
		}
		if !reflect.DeepEqual(scheds[sc.ByDay], sc) {
			t.Errorf("schedule %s: got %+v, want %+v", sc.ByDay, scheds[sc.ByDay], sc)
		}
	}
	if tag, ok := got.Tag("access.step-free"); !ok || tag.Value != directory.Partly || tag.Note == "" ||
		tag.Source != directory.ByModerator {
		t.Errorf("partly tag: %+v", tag)
	}
	if !reflect.DeepEqual(got.Languages, []string{"en", "es"}) {
		t.Errorf("languages %v", got.Languages)
	}
}

func TestBulkInsertSkipsExistingSlugs(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Now()
	if _, err := st.BulkInsert(ctx, []directory.Listing{bulkListing("bulk-a", "org-one", now)}, "test"); err != nil {
		t.Fatal(err)
	}
	again := []directory.Listing{bulkListing("bulk-a", "org-one", now), bulkListing("bulk-b", "org-one", now)}
	again[0].Name = "Renamed"
	n, err := st.BulkInsert(ctx, again, "test")
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || again[0].ID != "" || again[1].ID == "" {
		t.Errorf("added %d (ids %q, %q), want only bulk-b", n, again[0].ID, again[1].ID)
	}
	if got, _ := st.Listing(ctx, "bulk-a"); got.Name != "Group bulk-a" {
		t.Errorf("existing listing was changed to %q", got.Name)
	}
	if got := bulkRows(t, st, "organizations"); got != 1 {
		t.Errorf("%d organizations, want the existing one reused", got)
	}
	if n, err := st.BulkInsert(ctx, again, "test"); err != nil || n != 0 {
		t.Errorf("third run added %d, %v; want 0, nil", n, err)
	}
	if got := bulkRows(t, st, "audit_log"); got != 2 {
		t.Errorf("%d audit rows, want one per load that added something", got)
	}
}

func TestBulkInsertBadRowRollsBackEverything(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	for name, spoil := range map[string]func(*directory.Listing){
		"unknown tag":      func(l *directory.Listing) { l.Tags[0].Tag = "cost.free-beer" },
		"unknown language": func(l *directory.Listing) { l.Languages = []string{"xx"} },
		"bad time":         func(l *directory.Listing) { l.Schedules[0].OpensAt = "25:99" },
		"bad website":      func(l *directory.Listing) { l.Website = "example.org" },
	} {
		t.Run(name, func(t *testing.T) {
			st := testenv.Store(t)
			var in []directory.Listing
			for i := range 50 {
				in = append(in, bulkListing(fmt.Sprintf("bulk-%d", i), fmt.Sprintf("org-%d", i%3), now))
			}
			spoil(&in[37])
			if n, err := st.BulkInsert(ctx, in, "test"); err == nil || n != 0 {
				t.Fatalf("BulkInsert = %d, %v; want an error", n, err)
			}
			for _, table := range []string{"organizations", "listings", "locations", "schedules",
				"listing_tags", "listing_languages", "outbox", "audit_log"} {
				if got := bulkRows(t, st, table); got != 0 {
					t.Errorf("%s has %d rows after a failed load", table, got)
				}
			}
			if in[0].ID != "" {
				t.Errorf("id set on a listing that was rolled back")
			}
		})
	}
}

func TestBulkInsertRefusesRepeatedSlug(t *testing.T) {
	st := testenv.Store(t)
	now := time.Now()
	in := []directory.Listing{bulkListing("bulk-a", "o", now), bulkListing("bulk-a", "o", now)}
	if _, err := st.BulkInsert(context.Background(), in, "test"); err == nil {
		t.Fatal("want an error for a slug given twice")
	}
}
