package feeds

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/interop/schematest"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/testenv"
)

// A Meeting Guide feed imported and exported again (the /api/meeting-guide.json
// builder) keeps every field belong models: name, day, times, time zone, the
// modelled type codes, notes, place, position, approximate, join link and
// phone, group and regions. What it does not model is the feed's own slug (the
// export names meetings by listing and weekday), its url (the export links to
// the group's page here) and the type codes kept but not modelled.
func TestMeetingGuideRoundTrip(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	feed := newFeed(t, st, time.Hour)
	data := fixture(t)
	mustImport(t, importer(st, &now), feed, data)

	dir, err := listings.New(ctx, st, listings.Options{Thresholds: directory.Thresholds{AgingAfter: 4380 * time.Hour,
		StaleAfter: 8760 * time.Hour}, UILangs: []string{"en", "es"}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := interop.New(dir, "https://belong.example", func() time.Time { return now }).MeetingGuide(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	schematest.Check(t, schematest.MeetingGuide, "", b)

	originals, _, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	cats, _ := st.Taxonomy(ctx, "en")
	langs, _ := st.Languages(ctx, "en")
	cw := interop.NewMeetingTypeCrosswalk(cats, langs)
	exported := 0
	for _, m := range originals {
		for _, day := range m.Days {
			i := slices.IndexFunc(out, func(e interop.Meeting) bool { return e.Name == m.Name && e.Day == int(day) })
			if i < 0 {
				t.Errorf("%s on day %d is not in the export", m.Slug, day)
				continue
			}
			exported++
			e := out[i]
			end := m.EndTime
			if end == "" {
				end = "20:30" // the one meeting without an end time starts at 19:30
			}
			var wantTypes []string
			for _, code := range m.Types {
				if it := cw.Import(code); !it.Kept && !it.Derived {
					wantTypes = append(wantTypes, code)
				}
			}
			if m.ConferenceURL != "" {
				wantTypes = append(wantTypes, "ONL")
			}
			slices.Sort(wantTypes)
			check := func(field string, got, want any) {
				t.Helper()
				gb, _ := json.Marshal(got)
				wb, _ := json.Marshal(want)
				if string(gb) != string(wb) {
					t.Errorf("%s %s: exported %s, fed %s", m.Slug, field, gb, wb)
				}
			}
			check("time", e.Time, m.Time)
			check("end_time", e.EndTime, end)
			check("timezone", e.Timezone, m.Timezone)
			check("types", e.Types, wantTypes)
			check("notes", e.Notes, m.Notes)
			check("approximate", e.Approximate == "yes", m.Approximate)
			check("conference_url", e.ConferenceURL, m.ConferenceURL)
			check("conference_url_notes", e.ConferenceURLNotes, m.ConferenceURLNotes)
			check("conference_phone", e.ConferencePhone, strings.NewReplacer(" ", "", "-", "").Replace(m.ConferencePhone))
			if m.Group != "" {
				check("group", e.Group, m.Group)
			}
			if m.Approximate && m.ConferenceURL != "" {
				// An online meeting's approximate area is not a place to go.
				check("formatted_address", e.FormattedAddress, "")
				continue
			}
			check("location", e.Location, m.Location)
			check("location_notes", e.LocationNotes, m.LocationNotes)
			check("latitude", e.Latitude, m.Latitude)
			check("longitude", e.Longitude, m.Longitude)
			if len(m.Regions) > 0 {
				check("regions", e.Regions, m.Regions)
			}
			street, city, region, postal, country := m.Address, m.City, m.State, m.PostalCode, m.Country
			if city == "" {
				street, city, region, postal, country = splitAddress(m.FormattedAddress)
			}
			s2, c2, r2, p2, k2 := splitAddress(e.FormattedAddress)
			check("formatted_address", []string{s2, c2, r2, p2, countryCode(k2)},
				[]string{street, city, region, postal, countryCode(country)})
		}
	}
	if exported != 4 || len(out) != 4 {
		t.Fatalf("exported %d of the fed meetings; the export has %d", exported, len(out))
	}
	if !slices.Contains(out[slices.IndexFunc(out, func(e interop.Meeting) bool { return e.Name == "Closed for now" })].Types, "TC") {
		t.Error("a temporarily closed meeting came back open")
	}
}
