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

// field reads one comparable value of a listing as text.
type field struct {
	key  string
	read func(directory.Listing) string
	// keys: the values read are translation keys
	keys bool
}

var fields = []field{
	{key: "moderate.field.name", read: func(l directory.Listing) string { return l.Name }},
	{key: "moderate.field.summary", read: func(l directory.Listing) string { return l.Summary }},
	{key: "moderate.field.description", read: func(l directory.Listing) string { return l.Description }},
	{key: "moderate.field.what_to_expect", read: func(l directory.Listing) string { return l.WhatToExpect }},
	{key: "moderate.field.text_lang", read: func(l directory.Listing) string { return l.TextLang }},
	{key: "moderate.field.organization", read: func(l directory.Listing) string {
		return lines(l.Organization.Name, l.Organization.Website, l.Organization.Email, l.Organization.Phone)
	}},
	{key: "moderate.field.how_to_join", read: func(l directory.Listing) string { return l.HowToJoin }},
	{key: "moderate.field.places", read: func(l directory.Listing) string {
		var out []string
		for _, loc := range l.Locations {
			out = append(out, place(loc))
		}
		return strings.Join(out, "\n")
	}},
	{key: "moderate.field.phone_meeting", read: func(l directory.Listing) string { return l.PhoneMeeting }},
	{key: "moderate.field.schedules", read: func(l directory.Listing) string {
		var out []string
		for _, sc := range l.Schedules {
			out = append(out, when(sc))
		}
		return strings.Join(out, "\n")
	}},
	{key: "moderate.field.tags", read: func(l directory.Listing) string {
		var out []string
		for _, t := range l.Tags {
			line := t.Tag + ": " + string(t.Value)
			if t.Note != "" {
				line += " — " + t.Note
			}
			out = append(out, line)
		}
		return strings.Join(out, "\n")
	}},
	{key: "moderate.field.languages", read: func(l directory.Listing) string { return strings.Join(l.Languages, ", ") }},
	{key: "moderate.field.cost_note", read: func(l directory.Listing) string { return l.CostNote }},
	{key: "moderate.field.contact", read: func(l directory.Listing) string { return lines(l.Email, l.Phone, l.Website) }},
	{key: "moderate.field.paused", keys: true, read: func(l directory.Listing) string {
		if l.Paused {
			return "moderate.paused.yes"
		}
		return ""
	}},
	{key: "moderate.field.paused_note", read: func(l directory.Listing) string { return l.PausedNote }},
}

// Diff compares two versions of a listing field by field: the changed fields in
// a fixed order, and how many were the same. Against an empty listing it lists
// every field the other fills in.
func Diff(before, after directory.Listing) (changes []Change, unchanged int) {
	for _, f := range fields {
		b, a := f.read(before), f.read(after)
		if a == b {
			unchanged++
			continue
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

func place(loc directory.Location) string {
	var parts []string
	for _, p := range []string{loc.Name, loc.Address, loc.Neighbourhood, loc.City, loc.Region, loc.PostalCode,
		loc.Country, loc.URL} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	s := string(loc.Kind) + ": " + strings.Join(parts, ", ")
	if loc.Lat != nil && loc.Lng != nil {
		s += fmt.Sprintf(" (%.5f, %.5f)", *loc.Lat, *loc.Lng)
	}
	if loc.Discreet {
		s += " [discreet]"
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
