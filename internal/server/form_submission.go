package server

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/submissions"
)

// scheduleRows is how many rows the schedule builder offers without JavaScript
// (more when a listing being edited has more schedules).
const scheduleRows = 3

// maxFormValues bounds what one form may send, so a huge form costs nothing.
const maxFormValues = 400

// parseSubmission reads the submit and edit forms. It never fails: what cannot
// be read is left empty or kept as typed, for the validator to name.
func parseSubmission(form url.Values, lang string) submissions.Submission {
	get := func(k string) string { return form.Get(k) }
	s := submissions.Submission{
		Name: get("name"), Summary: get("summary"), Description: get("description"),
		WhatToExpect: get("what_to_expect"), Organization: get("organization"),
		Place: submissions.Place{Name: get("place.name"), Address: get("place.address"),
			Neighbourhood: get("place.neighbourhood"), City: get("place.city"), Region: get("place.region"),
			PostalCode: get("place.postal_code"), Country: get("place.country"),
			TransitNotes: get("place.transit_notes"), Discreet: get("place.discreet") == "yes"},
		OnlineURL: get("online_url"), PhoneMeeting: get("phone_meeting"), HowToJoin: get("how_to_join"),
		ByArrangement: get("by_arrangement") == "yes", CostNote: get("cost_note"),
		PublicEmail: get("public_email"), PublicPhone: get("public_phone"), ContactEmail: get("contact_email"),
		Lang: lang, Languages: form["languages"], Tags: map[string]submissions.TagInput{},
	}
	for i := range scheduleRowsIn(form) {
		p := fmt.Sprintf("schedules[%d].", i)
		ordinal, _ := strconv.Atoi(get(p + "ordinal"))
		s.Schedules = append(s.Schedules, submissions.ScheduleInput{
			Pattern: get(p + "pattern"), Days: form[p+"days"], Ordinal: ordinal,
			Opens: get(p + "opens"), Closes: get(p + "closes"), Start: get(p + "start"), Until: get(p + "until"),
			Dates: dateList(get(p + "dates")), Skip: dateList(get(p + "skip")), Zone: strings.TrimSpace(get(p + "zone")),
		})
	}
	for key, values := range form {
		slug, ok := strings.CutPrefix(key, "tags.")
		if !ok || strings.HasSuffix(slug, ".note") || len(values) == 0 {
			continue
		}
		s.Tags[slug] = submissions.TagInput{Value: directory.Value(values[0]), Note: form.Get(key + ".note")}
	}
	return s
}

// scheduleRowsIn is how many builder rows a form holds: at least the usual
// number, at most MaxSchedules.
func scheduleRowsIn(form url.Values) int {
	n := scheduleRows
	for n < directory.MaxSchedules && form.Has(fmt.Sprintf("schedules[%d].pattern", n)) {
		n++
	}
	return n
}

// formRows is how many builder rows a form is shown with: every row up to the
// last that has a meeting pattern, and an empty one after it for another
// meeting time; at least the usual number, at most MaxSchedules.
func formRows(form url.Values) int {
	filled := 0
	for i := range scheduleRowsIn(form) {
		if form.Get(fmt.Sprintf("schedules[%d].pattern", i)) != "" {
			filled = i + 1
		}
	}
	return min(directory.MaxSchedules, max(scheduleRows, filled+1))
}

// dateList reads dates typed one after another, separated by commas, spaces or
// line breaks.
func dateList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' })
}

// submissionForm writes a submission back into form values, to fill the edit
// form from a listing.
func submissionForm(s submissions.Submission) url.Values {
	f := url.Values{}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("name", s.Name)
	set("summary", s.Summary)
	set("description", s.Description)
	set("what_to_expect", s.WhatToExpect)
	set("organization", s.Organization)
	set("place.name", s.Place.Name)
	set("place.address", s.Place.Address)
	set("place.neighbourhood", s.Place.Neighbourhood)
	set("place.city", s.Place.City)
	set("place.region", s.Place.Region)
	set("place.postal_code", s.Place.PostalCode)
	set("place.country", s.Place.Country)
	set("place.transit_notes", s.Place.TransitNotes)
	if s.Place.Discreet {
		f.Set("place.discreet", "yes")
	}
	set("online_url", s.OnlineURL)
	set("phone_meeting", s.PhoneMeeting)
	set("how_to_join", s.HowToJoin)
	if s.ByArrangement {
		f.Set("by_arrangement", "yes")
	}
	set("cost_note", s.CostNote)
	set("public_email", s.PublicEmail)
	set("public_phone", s.PublicPhone)
	set("contact_email", s.ContactEmail)
	f["languages"] = s.Languages
	for i, sc := range s.Schedules {
		p := fmt.Sprintf("schedules[%d].", i)
		f.Set(p+"pattern", sc.Pattern)
		f[p+"days"] = sc.Days
		if sc.Ordinal != 0 {
			f.Set(p+"ordinal", strconv.Itoa(sc.Ordinal))
		}
		set(p+"opens", sc.Opens)
		set(p+"closes", sc.Closes)
		set(p+"start", sc.Start)
		set(p+"until", sc.Until)
		set(p+"dates", strings.Join(sc.Dates, ", "))
		set(p+"skip", strings.Join(sc.Skip, ", "))
		set(p+"zone", sc.Zone)
	}
	for slug, t := range s.Tags {
		f.Set("tags."+slug, string(t.Value))
		set("tags."+slug+".note", t.Note)
	}
	return f
}
