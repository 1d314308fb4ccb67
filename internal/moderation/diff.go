package moderation

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/belong-directory/belong/internal/directory"
)

// Change is one field that a revision changes. Field is the translation key of
// the field's name; Before and After are the values as plain text (a template
// escapes them), one line per place, schedule or tag. With Keys, Before and
// After are translation keys rather than text.
type Change struct {
	Field         string
	Before, After string
	Keys          bool
}

// Wording says the parts of a listing that are stored as codes (schedules,
// tags, places, languages) as a person reads them, in their language. What
// counts as a change never depends on it: fields are compared as stored.
type Wording interface {
	Schedule(directory.Schedule) string
	Tag(directory.ListingTag) string
	Place(directory.Location) string
	Languages(codes []string) string
}

// Stored says those parts as they are stored: codes, for comparing, tests and
// logs.
type Stored struct{}

func (Stored) Schedule(sc directory.Schedule) string { return when(sc) }
func (Stored) Place(loc directory.Location) string {
	return PlaceLine(loc, string(loc.Kind)+":", "[discreet]")
}
func (Stored) Languages(codes []string) string { return strings.Join(codes, ", ") }
func (Stored) Tag(t directory.ListingTag) string {
	line := t.Tag + ": " + string(t.Value)
	if t.Note != "" {
		line += " — " + t.Note
	}
	return line
}

// field reads one comparable value of a listing as text, in w's words.
type field struct {
	key  string
	read func(l directory.Listing, w Wording) string
	// keys: the values read are translation keys
	keys bool
}

// each says every item of a list on a line of its own.
func each[T any](items []T, say func(T) string) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = say(it)
	}
	return strings.Join(out, "\n")
}

var fields = []field{
	{key: "moderate.field.name", read: func(l directory.Listing, _ Wording) string { return l.Name }},
	{key: "moderate.field.summary", read: func(l directory.Listing, _ Wording) string { return l.Summary }},
	{key: "moderate.field.description", read: func(l directory.Listing, _ Wording) string { return l.Description }},
	{key: "moderate.field.what_to_expect", read: func(l directory.Listing, _ Wording) string { return l.WhatToExpect }},
	{key: "moderate.field.text_lang", read: func(l directory.Listing, w Wording) string {
		if l.TextLang == "" {
			return ""
		}
		return w.Languages([]string{l.TextLang})
	}},
	{key: "moderate.field.organization", read: func(l directory.Listing, _ Wording) string {
		return lines(l.Organization.Name, l.Organization.Website, l.Organization.Email, l.Organization.Phone)
	}},
	{key: "moderate.field.how_to_join", read: func(l directory.Listing, _ Wording) string { return l.HowToJoin }},
	{key: "moderate.field.places", read: func(l directory.Listing, w Wording) string { return each(l.Locations, w.Place) }},
	{key: "moderate.field.phone_meeting", read: func(l directory.Listing, _ Wording) string { return l.PhoneMeeting }},
	{key: "moderate.field.schedules", read: func(l directory.Listing, w Wording) string { return each(l.Schedules, w.Schedule) }},
	{key: "moderate.field.tags", read: func(l directory.Listing, w Wording) string { return each(l.Tags, w.Tag) }},
	{key: "moderate.field.languages", read: func(l directory.Listing, w Wording) string {
		if len(l.Languages) == 0 {
			return ""
		}
		return w.Languages(l.Languages)
	}},
	{key: "moderate.field.cost_note", read: func(l directory.Listing, _ Wording) string { return l.CostNote }},
	{key: "moderate.field.contact", read: func(l directory.Listing, _ Wording) string { return lines(l.Email, l.Phone, l.Website) }},
	{key: "moderate.field.paused", keys: true, read: func(l directory.Listing, _ Wording) string {
		if l.Paused {
			return "moderate.paused.yes"
		}
		return ""
	}},
	{key: "moderate.field.paused_note", read: func(l directory.Listing, _ Wording) string { return l.PausedNote }},
}

// Diff compares two versions of a listing field by field, as stored: the
// changed fields in a fixed order, in w's words, and how many were the same.
// Against an empty listing it lists every field the other fills in.
func Diff(before, after directory.Listing, w Wording) (changes []Change, unchanged int) {
	for _, f := range fields {
		if f.read(before, Stored{}) == f.read(after, Stored{}) {
			unchanged++
			continue
		}
		b, a := f.read(before, w), f.read(after, w)
		if b == a {
			// A change the words leave out (a past start date): shown as stored.
			b, a = f.read(before, Stored{}), f.read(after, Stored{})
		}
		changes = append(changes, Change{Field: f.key, Before: b, After: a, Keys: f.keys})
	}
	return changes, unchanged
}

func lines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// PlaceLine says a place on one line: kind (its label), name, address and link,
// its position, discreet (its label) when its address is kept private, and how
// to get there.
func PlaceLine(loc directory.Location, kind, discreet string) string {
	var parts []string
	for _, p := range []string{loc.Name, loc.Address, loc.Neighbourhood, loc.City, loc.Region, loc.PostalCode,
		loc.Country, loc.URL} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	s := kind + " " + strings.Join(parts, ", ")
	if loc.Lat != nil && loc.Lng != nil {
		s += fmt.Sprintf(" (%.5f, %.5f)", *loc.Lat, *loc.Lng)
	}
	if loc.Discreet {
		s += " " + discreet
	}
	if loc.TransitNotes != "" {
		s += " — " + loc.TransitNotes
	}
	return s
}

func when(sc directory.Schedule) string {
	var b strings.Builder
	b.WriteString(sc.Freq)
	if sc.Interval > 1 {
		b.WriteString(" ×" + strconv.Itoa(sc.Interval))
	}
	if sc.ByDay != "" {
		b.WriteString(" " + sc.ByDay)
	}
	b.WriteString(" " + sc.OpensAt + "–" + sc.ClosesAt + " " + sc.TimeZone + ", from " + sc.Start)
	if sc.Until != nil {
		b.WriteString(" until " + *sc.Until)
	}
	if len(sc.SkipDates) > 0 {
		b.WriteString(", not on " + strings.Join(sc.SkipDates, " "))
	}
	if sc.Notes != "" {
		b.WriteString(" — " + sc.Notes)
	}
	return b.String()
}
