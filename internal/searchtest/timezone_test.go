package searchtest

import (
	"maps"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

// zoned is a group meeting by one rule in a city's own time zone.
func zoned(slug, city, zone string, lat, lng float64, freq, byday, opens, closes, start string) *directory.Listing {
	country := "US"
	if zone == "Europe/Madrid" {
		country = "ES"
	}
	return &directory.Listing{
		Slug:         slug,
		Organization: directory.Organization{Slug: "time-zones", Name: "Time Zones"},
		Name:         "Group " + slug,
		Summary:      "A group that meets at the same local time all year.",
		TextLang:     "en",
		Status:       "published",
		ConfirmedAt:  time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		ConfirmedBy:  directory.ByOrganizer,
		Locations:    []directory.Location{{Kind: directory.Physical, Name: "Hall", City: city, Country: country, Lat: &lat, Lng: &lng}},
		Schedules: []directory.Schedule{{Freq: freq, Interval: 1, ByDay: byday, OpensAt: opens, ClosesAt: closes,
			Start: start, TimeZone: zone}},
		Languages: []string{"en"},
	}
}

// zonedGroups meet in four time zones whose clocks change on different Sundays
// of 2026: the US on 8 March and 1 November, the EU on 29 March and 25 October.
// Each call builds fresh listings: saving one writes its id, and tests using
// them run in parallel.
func zonedGroups() []*directory.Listing {
	return []*directory.Listing{
		// Sunday at 01:30 in Chicago: on 1 November that hour happens twice.
		zoned("chicago-sunday-small-hours", "Chicago", "America/Chicago", 41.88, -87.63, "WEEKLY", "SU", "01:30", "02:30", "2026-01-04"),
		// Sunday at 02:30 in Chicago: on 8 March that time does not exist.
		zoned("chicago-sunday-half-two", "Chicago", "America/Chicago", 41.88, -87.63, "WEEKLY", "SU", "02:30", "03:00", "2026-01-04"),
		zoned("madrid-sunday-morning", "Madrid", "Europe/Madrid", 40.42, -3.70, "WEEKLY", "SU", "08:00", "09:00", "2026-01-04"),
		zoned("madrid-last-friday", "Madrid", "Europe/Madrid", 40.42, -3.70, "MONTHLY", "-1FR", "19:00", "21:00", "2026-01-30"),
		// Saturday at 20:00 in Los Angeles is already Sunday in UTC.
		zoned("los-angeles-saturday-evening", "Los Angeles", "America/Los_Angeles", 34.05, -118.24, "WEEKLY", "SA", "20:00", "21:30", "2026-01-03"),
	}
}

// zonedExpect is what a group's document says as of one moment.
type zonedExpect struct {
	next  string // UTC
	local string // the next meeting on the group's own clock
}

// dstWeeks are moments in the weeks the clocks change, each the Saturday noon
// (UTC) before a change, with every group's next meeting, in soonest order.
var dstWeeks = []struct {
	now  time.Time
	next []string // slugs, soonest first
	want map[string]zonedExpect
}{
	{
		now:  time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), // the US springs forward tomorrow
		next: []string{"los-angeles-saturday-evening", "madrid-sunday-morning", "chicago-sunday-small-hours", "chicago-sunday-half-two", "madrid-last-friday"},
		want: map[string]zonedExpect{
			"los-angeles-saturday-evening": {"2026-03-08T04:00Z", "2026-03-07 20:00 PST"},
			"madrid-sunday-morning":        {"2026-03-08T07:00Z", "2026-03-08 08:00 CET"},
			"chicago-sunday-small-hours":   {"2026-03-08T07:30Z", "2026-03-08 01:30 CST"},
			// 02:30 does not exist that night; the meeting moves on by the jump.
			"chicago-sunday-half-two": {"2026-03-08T08:30Z", "2026-03-08 03:30 CDT"},
			"madrid-last-friday":      {"2026-03-27T18:00Z", "2026-03-27 19:00 CET"},
		},
	},
	{
		now:  time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), // the EU springs forward tomorrow
		next: []string{"los-angeles-saturday-evening", "madrid-sunday-morning", "chicago-sunday-small-hours", "chicago-sunday-half-two", "madrid-last-friday"},
		want: map[string]zonedExpect{
			"los-angeles-saturday-evening": {"2026-03-29T03:00Z", "2026-03-28 20:00 PDT"},
			"madrid-sunday-morning":        {"2026-03-29T06:00Z", "2026-03-29 08:00 CEST"},
			"chicago-sunday-small-hours":   {"2026-03-29T06:30Z", "2026-03-29 01:30 CDT"},
			"chicago-sunday-half-two":      {"2026-03-29T07:30Z", "2026-03-29 02:30 CDT"},
			"madrid-last-friday":           {"2026-04-24T17:00Z", "2026-04-24 19:00 CEST"},
		},
	},
	{
		now:  time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC), // the EU falls back tomorrow
		next: []string{"los-angeles-saturday-evening", "chicago-sunday-small-hours", "madrid-sunday-morning", "chicago-sunday-half-two", "madrid-last-friday"},
		want: map[string]zonedExpect{
			"los-angeles-saturday-evening": {"2026-10-25T03:00Z", "2026-10-24 20:00 PDT"},
			"chicago-sunday-small-hours":   {"2026-10-25T06:30Z", "2026-10-25 01:30 CDT"},
			"madrid-sunday-morning":        {"2026-10-25T07:00Z", "2026-10-25 08:00 CET"},
			"chicago-sunday-half-two":      {"2026-10-25T07:30Z", "2026-10-25 02:30 CDT"},
			"madrid-last-friday":           {"2026-10-30T18:00Z", "2026-10-30 19:00 CET"},
		},
	},
	{
		now:  time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC), // the US falls back tomorrow
		next: []string{"los-angeles-saturday-evening", "chicago-sunday-small-hours", "madrid-sunday-morning", "chicago-sunday-half-two", "madrid-last-friday"},
		want: map[string]zonedExpect{
			"los-angeles-saturday-evening": {"2026-11-01T03:00Z", "2026-10-31 20:00 PDT"},
			// 01:30 happens twice that night; the meeting is at the first.
			"chicago-sunday-small-hours": {"2026-11-01T06:30Z", "2026-11-01 01:30 CDT"},
			"madrid-sunday-morning":      {"2026-11-01T07:00Z", "2026-11-01 08:00 CET"},
			"chicago-sunday-half-two":    {"2026-11-01T08:30Z", "2026-11-01 02:30 CST"},
			"madrid-last-friday":         {"2026-11-27T18:00Z", "2026-11-27 19:00 CET"},
		},
	},
}

// zonedWhen is when each group meets on its own clock, whatever the date.
var zonedWhen = map[string]struct{ days, times, slots []string }{
	"chicago-sunday-small-hours":   {[]string{"sun"}, []string{"night"}, []string{"sun-night"}},
	"chicago-sunday-half-two":      {[]string{"sun"}, []string{"night"}, []string{"sun-night"}},
	"madrid-sunday-morning":        {[]string{"sun"}, []string{"morning"}, []string{"sun-morning"}},
	"madrid-last-friday":           {[]string{"fri"}, []string{"evening"}, []string{"fri-evening"}},
	"los-angeles-saturday-evening": {[]string{"sat"}, []string{"evening"}, []string{"sat-evening"}},
}

// TestDocumentsAcrossTimeZones builds each group's document in every week the
// clocks change and checks its next meeting, days, parts of day and slots, all
// on the group's own clock.
func TestDocumentsAcrossTimeZones(t *testing.T) {
	t.Parallel()
	for _, week := range dstWeeks {
		t.Run(week.now.Format(time.DateOnly), func(t *testing.T) {
			for _, l := range zonedGroups() {
				doc, ok := search.BuildDocument(*l, search.Taxonomy{}, week.now)
				if !ok {
					t.Fatalf("%s is not searchable", l.Slug)
				}
				want, when := week.want[l.Slug], zonedWhen[l.Slug]
				if doc.NextAt == nil {
					t.Fatalf("%s has no next meeting", l.Slug)
				}
				next := time.Unix(*doc.NextAt, 0)
				if got := next.UTC().Format("2006-01-02T15:04Z"); got != want.next {
					t.Errorf("%s: next meeting %s, want %s", l.Slug, got, want.next)
				}
				if !slices.Equal(doc.Days, when.days) || !slices.Equal(doc.Times, when.times) || !slices.Equal(doc.Slots, when.slots) {
					t.Errorf("%s: days %v, times %v, slots %v; want %v, %v, %v", l.Slug, doc.Days, doc.Times, doc.Slots,
						when.days, when.times, when.slots)
				}
				if doc.TimeZone != l.Schedules[0].TimeZone {
					t.Errorf("%s: time zone %q, want %q", l.Slug, doc.TimeZone, l.Schedules[0].TimeZone)
				}
			}
		})
	}
}

// TestSoonestAcrossTimeZones indexes the groups as of each week the clocks
// change, in both engines, and checks that soonest puts them in the order their
// meetings come, that the next meeting is shown on the group's own clock, and
// that days and parts of day are the group's own.
func TestSoonestAcrossTimeZones(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	client, uid := testenv.Meili(t)
	var now atomic.Pointer[time.Time]
	clock := func() time.Time { return *now.Load() }
	ix := indexer.New(indexer.Deps{
		Listings: st, Taxonomy: st, Outbox: st,
		Listen:   indexer.ListenWith(st.ListenOutbox),
		Fallback: indexer.Fallback(st), Index: search.NewIndex(client, uid, 10*time.Second),
		Now: clock,
	}, indexer.Config{})
	ids := map[string]string{}
	slugs := map[string]string{}
	for _, l := range zonedGroups() {
		id := save(t, st, l)
		ids[l.Slug], slugs[id] = id, l.Slug
	}
	vocab, err := search.LoadTerms(t.Context(), st)
	if err != nil {
		t.Fatal(err)
	}
	engines := []search.Engine{
		search.NewSearcher(search.NewMeiliBackend(client, uid, 5*time.Second), thresholds, clock),
		search.NewSearcher(search.NewPostgresBackend(st), thresholds, clock),
	}
	for _, week := range dstWeeks {
		t.Run(week.now.Format(time.DateOnly), func(t *testing.T) {
			now.Store(&week.now)
			if err := ix.Apply(t.Context(), slices.Collect(maps.Values(ids))); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				raw  string
				want []string
			}{
				{"sort=soonest", week.next},
				{"sort=soonest&day=sun", filterSlugs(week.next, "chicago-sunday-small-hours", "chicago-sunday-half-two", "madrid-sunday-morning")},
				{"sort=soonest&day=sun&time=night", filterSlugs(week.next, "chicago-sunday-small-hours", "chicago-sunday-half-two")},
				// Saturday evening in Los Angeles, although Sunday in UTC.
				{"sort=soonest&day=sat&time=evening", []string{"los-angeles-saturday-evening"}},
				{"sort=soonest&day=fri", []string{"madrid-last-friday"}},
			} {
				q, err := search.ParseQuery(c.raw, vocab, 20)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range engines {
					r, err := e.Search(t.Context(), q)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, h := range r.Hits {
						got = append(got, slugs[h.ID])
						want := week.want[slugs[h.ID]]
						switch {
						case h.NextAt == nil:
							t.Errorf("%s: %s has no next meeting", e.Name(), slugs[h.ID])
						case h.NextAt.Format("2006-01-02 15:04 MST") != want.local || h.NextAt.Location().String() != h.TimeZone:
							t.Errorf("%s: %s next meets %s (%s), want %s in %s", e.Name(), slugs[h.ID],
								h.NextAt.Format("2006-01-02 15:04 MST"), h.NextAt.Location(), want.local, h.TimeZone)
						}
					}
					if !slices.Equal(got, c.want) {
						t.Errorf("%s: %s gives %v, want %v", e.Name(), c.raw, got, c.want)
					}
				}
			}
		})
	}
}

// filterSlugs keeps, in order, the slugs among keep.
func filterSlugs(slugs []string, keep ...string) []string {
	return slices.DeleteFunc(slices.Clone(slugs), func(s string) bool { return !slices.Contains(keep, s) })
}
