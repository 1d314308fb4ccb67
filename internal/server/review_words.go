package server

import (
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/moderation"
	"github.com/belong-directory/belong/internal/schedule"
	"github.com/belong-directory/belong/internal/view"
)

// reviewWords says a listing's schedules, tags, places and languages in the
// moderator's language, for the comparison on a review page
// (moderation.Wording). What it cannot read it says as stored.
type reviewWords struct {
	t     func(key string, args ...any) string
	words view.Words
	tags  map[string]string // label by tag slug
	langs map[string]string // name by language code
}

func (s *Server) reviewWords(lang string) reviewWords {
	r := reviewWords{t: func(key string, args ...any) string { return s.View.I18n.T(lang, key, args...) },
		words: s.View.Words(lang), tags: map[string]string{}, langs: map[string]string{}}
	for _, c := range s.Directory.Taxonomy(lang) {
		for _, tag := range c.Tags {
			r.tags[tag.Slug] = tag.Label
		}
	}
	for _, l := range s.Directory.Languages(lang) {
		r.langs[l.Code] = l.Name
	}
	return r
}

var _ moderation.Wording = reviewWords{}

// Schedule is "Every Monday, 10 am – 11 am (Chicago time)", with the day it
// starts when that is still to come, the dates it skips and its notes.
func (r reviewWords) Schedule(sc directory.Schedule) string {
	rule, err := sc.Rule()
	if err != nil {
		return moderation.Stored{}.Schedule(sc)
	}
	loc, err := rule.Location()
	if err != nil {
		return moderation.Stored{}.Schedule(sc)
	}
	at := func(c schedule.Clock) time.Time {
		return time.Date(rule.Start.Year, rule.Start.Month, rule.Start.Day, c.Hour, c.Minute, 0, 0, loc)
	}
	start, end := at(rule.OpensAt), at(rule.ClosesAt)
	if !end.After(start) {
		end = end.AddDate(0, 0, 1) // past midnight
	}
	parts := []string{r.words.Recurrence(rule) + ", " + r.words.Span(start, end) + " " +
		r.t("moderate.schedule.zone", r.words.Zone(sc.TimeZone))}
	once := rule.Until != nil && *rule.Until == rule.Start
	if !once && start.After(time.Now()) {
		parts = append(parts, r.t("moderate.schedule.from", r.words.ShortDate(start)))
	}
	if len(sc.SkipDates) > 0 {
		var skipped []string
		for _, d := range sc.SkipDates {
			if date, err := schedule.ParseDate(d); err == nil {
				skipped = append(skipped, r.words.ShortDate(date.In(time.UTC)))
			} else {
				skipped = append(skipped, d)
			}
		}
		parts = append(parts, r.t("moderate.schedule.skip", strings.Join(skipped, ", ")))
	}
	out := strings.Join(parts, "; ")
	if sc.Notes != "" {
		out += " — " + sc.Notes
	}
	return out
}

// Tag is "Free to attend: Yes — always", by the tag's label.
func (r reviewWords) Tag(t directory.ListingTag) string {
	label, ok := r.tags[t.Tag]
	if !ok {
		label = t.Tag
	}
	out := label + ": " + r.t("value."+string(t.Value))
	if t.Note != "" {
		out += " — " + t.Note
	}
	return out
}

// Place is "In person: Library, 12 Main St, Chicago" or "Online: https://…".
func (r reviewWords) Place(loc directory.Location) string {
	return moderation.PlaceLine(loc, r.t("moderate.place."+string(loc.Kind))+":", r.t("moderate.place.discreet"))
}

// Languages names each language in the moderator's language.
func (r reviewWords) Languages(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		if names[i] = r.langs[c]; names[i] == "" {
			names[i] = c
		}
	}
	return strings.Join(names, ", ")
}
