package testenv

import (
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

// WeeklyGroup is a published group in Chicago that meets every Tuesday evening and
// fully offers the given needs.
func WeeklyGroup(slug string, needs ...string) *directory.Listing {
	lat, lng := 41.92, -87.70
	l := &directory.Listing{
		Slug:         slug,
		Organization: directory.Organization{Slug: "neighbours", Name: "Neighbours"},
		Name:         "Group " + slug,
		Summary:      "A peer-support group that meets every week.",
		TextLang:     "en",
		Status:       "published",
		ConfirmedAt:  time.Now().Add(-24 * time.Hour),
		ConfirmedBy:  directory.ByOrganizer,
		Locations: []directory.Location{{Kind: directory.Physical, Name: "Library", City: "Chicago",
			Region: "IL", Country: "US", Neighbourhood: "Logan Square", Lat: &lat, Lng: &lng}},
		Schedules: []directory.Schedule{{Freq: "WEEKLY", Interval: 1, ByDay: "TU", OpensAt: "18:30",
			ClosesAt: "20:00", Start: "2025-01-07", TimeZone: "America/Chicago"}},
		Languages: []string{"en"},
	}
	for _, n := range needs {
		l.Tags = append(l.Tags, directory.ListingTag{Tag: n, Value: directory.Yes, Source: directory.ByOrganizer,
			ConfirmedAt: time.Now()})
	}
	return l
}
