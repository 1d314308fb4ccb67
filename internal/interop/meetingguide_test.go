package interop_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/interop/schematest"
)

func TestMeetingGuideFeed(t *testing.T) {
	t.Parallel()
	svc, _ := fixture(t, directoryFixture()...)
	feed, err := svc.MeetingGuide(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	schematest.Check(t, schematest.MeetingGuide, "", mustJSON(t, feed))

	bySlug := map[string]interop.Meeting{}
	for _, m := range feed {
		if _, dup := bySlug[m.Slug]; dup {
			t.Fatalf("slug %s twice", m.Slug)
		}
		bySlug[m.Slug] = m
		if _, err := time.LoadLocation(m.Timezone); err != nil {
			t.Errorf("%s: time zone %q: %v", m.Slug, m.Timezone, err)
		}
		for _, left := range []string{"monthly", "fortnightly", "ended", "draft"} {
			if strings.HasPrefix(m.Slug, left) {
				t.Errorf("%s is in the feed: it is not a weekly meeting anyone can go to", m.Slug)
			}
		}
	}

	// One object per weekday, with the same place, types and times.
	tue, thu := bySlug["grief-circle-tue-1830"], bySlug["grief-circle-thu-1830"]
	if tue.Day != 2 || thu.Day != 4 || tue.Time != "18:30" || tue.EndTime != "20:00" || tue.Timezone != "America/Chicago" {
		t.Fatalf("weekly meetings: %+v / %+v", tue, thu)
	}
	if tue.Approximate != "no" || tue.FormattedAddress != "1234 N Milwaukee Ave, Chicago, IL 60622, US" ||
		tue.Latitude == nil || tue.Location != "Library" || tue.LocationNotes != "Blue Line, Damen stop" {
		t.Fatalf("exact place: %+v", tue)
	}
	// Only what is fully offered is claimed: step-free yes (X), the accessible
	// toilet only partly (no XB); languages by their spec codes.
	if want := []string{"EN", "LGBTQ", "S", "X"}; !slices.Equal(tue.Types, want) {
		t.Fatalf("types %v, want %v", tue.Types, want)
	}
	if tue.URL != "https://belong.example/groups/grief-circle" || tue.Group != "Neighbours" ||
		!strings.Contains(tue.Notes, "Doors open 15 minutes early.") {
		t.Fatalf("links and notes: %+v", tue)
	}
	if _, err := time.Parse("2006-01-02 15:04:05", tue.Updated); err != nil {
		t.Fatalf("updated %q: %v", tue.Updated, err)
	}

	// A discreet place: its area only, approximate, no position, and the way in.
	d := bySlug["safe-harbour-tue-1830"]
	if d.Approximate != "yes" || d.Latitude != nil || d.Location != "" || d.LocationNotes != "" ||
		d.FormattedAddress != "Logan Square, Chicago, IL, US" || !strings.Contains(d.Notes, "Write to us") {
		t.Fatalf("discreet place: %+v", d)
	}
	for _, m := range feed {
		if strings.Contains(mustJSONString(t, m), "Quiet Street") || strings.Contains(mustJSONString(t, m), "60618") {
			t.Fatalf("the discreet street leaks: %+v", m)
		}
	}

	// Online only: a room and a dial-in, no physical-access claims.
	o := bySlug["online-circle-sat-1830"]
	if o.ConferenceURL != "https://meet.example/online-circle" || o.ConferencePhone != "+16465550199" ||
		o.Approximate != "yes" || o.FormattedAddress != "" || o.Timezone != "Europe/Madrid" || o.Day != 6 {
		t.Fatalf("online meeting: %+v", o)
	}
	if want := []string{"ONL", "S"}; !slices.Equal(o.Types, want) {
		t.Fatalf("online types %v, want %v (step-free is hidden on an online-only listing)", o.Types, want)
	}

	// Paused and hybrid: temporarily closed, online too.
	p := bySlug["hybrid-paused-tue-1830"]
	if want := []string{"BA", "EN", "ONL", "TC"}; !slices.Equal(p.Types, want) || !strings.Contains(p.Notes, "Back in March.") {
		t.Fatalf("paused hybrid: %+v", p)
	}

	// Long slugs are cut to the spec's 64 characters, and the same meeting
	// twice still gets two slugs.
	var long []string
	for slug := range bySlug {
		if strings.HasPrefix(slug, "a-very-long") {
			long = append(long, slug)
		}
	}
	if len(long) != 2 {
		t.Fatalf("long group meetings: %v", long)
	}
}

func TestMeetingGuideSchemaCatchesWhatItShould(t *testing.T) {
	t.Parallel()
	good := `{"name":"A","slug":"a-tue-1830","day":2,"time":"18:30","end_time":"20:00","timezone":"America/Chicago",
		"approximate":"no","formatted_address":"1 Main St, Chicago, IL 60622, US","types":["X"],
		"updated":"2026-01-12 12:00:00","url":"https://belong.example/groups/a"}`
	if schematest.Invalid(t, schematest.MeetingGuide, "meeting", []byte(good)) {
		t.Fatal("a good meeting is refused")
	}
	for name, bad := range map[string]string{
		"day array":        strings.Replace(good, `"day":2`, `"day":[2,4]`, 1),
		"day 7":            strings.Replace(good, `"day":2`, `"day":7`, 1),
		"time 24:00":       strings.Replace(good, `"time":"18:30"`, `"time":"24:00"`, 1),
		"no timezone":      strings.Replace(good, `"timezone":"America/Chicago",`, ``, 1),
		"offset zone":      strings.Replace(good, `"America/Chicago"`, `"-05:00"`, 1),
		"approximate true": strings.Replace(good, `"approximate":"no"`, `"approximate":true`, 1),
		"unknown type":     strings.Replace(good, `["X"]`, `["WHEELCHAIR"]`, 1),
		"types string":     strings.Replace(good, `["X"]`, `"X"`, 1),
		"ISO updated":      strings.Replace(good, `2026-01-12 12:00:00`, `2026-01-12T12:00:00Z`, 1),
		"approx position":  strings.Replace(good, `"approximate":"no"`, `"approximate":"yes","latitude":41.9,"longitude":-87.6`, 1),
		"stray field":      strings.Replace(good, `"name":"A"`, `"name":"A","contact_email":"x@example.org"`, 1),
	} {
		if !schematest.Invalid(t, schematest.MeetingGuide, "meeting", []byte(bad)) {
			t.Errorf("%s passes the schema", name)
		}
	}
}

func mustJSONString(t *testing.T, v any) string { return string(mustJSON(t, v)) }
