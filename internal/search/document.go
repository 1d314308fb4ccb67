package search

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/schedule"
)

// Document is what the search index holds for one listing: text to match, and
// everything a filter, facet or sort needs, derived from the listing at index time.
type Document struct {
	ID            string   `json:"id"`
	Slug          string   `json:"slug"`
	Name          string   `json:"name"`
	Summary       string   `json:"summary"`
	Description   string   `json:"description"`
	WhatToExpect  string   `json:"what_to_expect"`
	Organization  string   `json:"organization"`
	TextLang      string   `json:"text_lang"`
	City          string   `json:"city"`
	Region        string   `json:"region"`
	Neighbourhood string   `json:"neighbourhood"`
	TagLabels     []string `json:"tag_labels"`
	// TagsYes hold the needs met fully, TagsPartly those met in part, TagsOffered
	// both; TagsNo the ones the organizer says are not met.
	TagsYes     []string `json:"tags_yes"`
	TagsPartly  []string `json:"tags_partly"`
	TagsOffered []string `json:"tags_offered"`
	TagsNo      []string `json:"tags_no"`
	Languages   []string `json:"languages"`
	Modes       []string `json:"modes"`
	OnlineOnly  bool     `json:"online_only"`
	// Days, Times and Slots ("tue-evening") are when meetings start, in the
	// listing's own time zone.
	Days     []string `json:"days"`
	Times    []string `json:"times"`
	Slots    []string `json:"slots"`
	NextAt   *int64   `json:"next_at"` // unix seconds of the next meeting; nil when none is coming
	TimeZone string   `json:"time_zone"`
	// ConfirmedAt is unix seconds, so freshness is decided at query time.
	ConfirmedAt int64  `json:"confirmed_at"`
	ConfirmedBy string `json:"confirmed_by"`
	Paused      bool   `json:"paused"`
	UpdatedAt   int64  `json:"updated_at"`
	// SortKey orders listings the same way in every engine: the name folded to
	// plain lower-case ASCII, then the id to break ties.
	SortKey string `json:"sort_key"`
	Geo     *Geo   `json:"_geo,omitempty"`
}

// Geo is Meilisearch's reserved location field.
type Geo struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// TagInfo is what building a document needs to know of one tag.
type TagInfo struct {
	Physical bool
	Labels   []string // in every UI language, so either language's words find it
}

// Taxonomy maps tag slugs to what documents need of them.
type Taxonomy map[string]TagInfo

// NewTaxonomy flattens categories loaded in several UI languages.
func NewTaxonomy(byLang ...[]directory.Category) Taxonomy {
	t := Taxonomy{}
	for _, cats := range byLang {
		for _, c := range cats {
			for _, tag := range c.Tags {
				info := t[tag.Slug]
				info.Physical = tag.Physical
				if !slices.Contains(info.Labels, tag.Label) {
					info.Labels = append(info.Labels, tag.Label)
				}
				t[tag.Slug] = info
			}
		}
	}
	return t
}

// lookahead is how many upcoming meetings are read to find a listing's days.
const lookahead = 16

// BuildDocument derives the search document of a listing as of now. It reports
// false when the listing must not be searchable at all: not published, or every
// schedule has ended.
func BuildDocument(l directory.Listing, tax Taxonomy, now time.Time) (Document, bool) {
	if l.Status != "published" {
		return Document{}, false
	}
	d := Document{
		ID: l.ID, Slug: l.Slug, Name: l.Name, Summary: l.Summary, Description: l.Description,
		WhatToExpect: l.WhatToExpect, Organization: l.Organization.Name, TextLang: l.TextLang,
		Languages: nonNil(l.Languages), OnlineOnly: l.OnlineOnly(), Paused: l.Paused,
		ConfirmedAt: l.ConfirmedAt.Unix(), ConfirmedBy: string(l.ConfirmedBy), UpdatedAt: l.UpdatedAt.Unix(),
		SortKey:   sortKey(l.Name, l.ID),
		TagLabels: []string{}, TagsYes: []string{}, TagsPartly: []string{}, TagsOffered: []string{},
		TagsNo: []string{}, Modes: []string{}, Days: []string{}, Times: []string{}, Slots: []string{},
	}
	for _, m := range l.Modes() {
		d.Modes = append(d.Modes, string(m))
	}
	for _, t := range l.Tags {
		info := tax[t.Tag]
		if info.Physical && d.OnlineOnly {
			continue // a step-free entrance means nothing to a group that meets online
		}
		switch t.Value {
		case directory.Yes:
			d.TagsYes = append(d.TagsYes, t.Tag)
			d.TagsOffered = append(d.TagsOffered, t.Tag)
			d.TagLabels = append(d.TagLabels, info.Labels...)
		case directory.Partly:
			d.TagsPartly = append(d.TagsPartly, t.Tag)
			d.TagsOffered = append(d.TagsOffered, t.Tag)
		case directory.No:
			d.TagsNo = append(d.TagsNo, t.Tag)
		}
	}
	placeDocument(&d, l.Locations)
	ok := scheduleDocument(&d, l, now)
	return d, ok
}

// placeDocument takes the first physical place. A discreet place is only located
// to about a kilometre, so the index never holds its exact position.
func placeDocument(d *Document, locs []directory.Location) {
	for _, loc := range locs {
		if loc.Kind != directory.Physical {
			continue
		}
		d.City, d.Region, d.Neighbourhood = loc.City, loc.Region, loc.Neighbourhood
		if loc.Lat != nil && loc.Lng != nil {
			lat, lng := *loc.Lat, *loc.Lng
			if loc.Discreet {
				lat, lng = math.Round(lat*100)/100, math.Round(lng*100)/100
			}
			d.Geo = &Geo{Lat: lat, Lng: lng}
		}
		return
	}
}

// scheduleDocument fills days, parts of day and the next meeting. It reports false
// when no schedule has a meeting to come.
func scheduleDocument(d *Document, l directory.Listing, now time.Time) bool {
	var next *time.Time
	days, times, slots := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, s := range l.Schedules {
		rule, err := s.Rule()
		if err != nil {
			continue
		}
		occs, err := rule.Next(now, lookahead)
		if err != nil || len(occs) == 0 {
			continue
		}
		if d.TimeZone == "" {
			d.TimeZone = s.TimeZone
		}
		part := schedule.PartOfDay(rule.OpensAt)
		for _, o := range occs {
			day := Days[(int(o.Start.Weekday())+6)%7]
			days[day], times[part], slots[day+"-"+part] = true, true, true
		}
		// A meeting under way counts for its days, but the next one is the next
		// to start: otherwise its document would look due for a refresh until it ends.
		for _, o := range occs {
			if !o.Start.Before(now) {
				if next == nil || o.Start.Before(*next) {
					next = &o.Start
				}
				break
			}
		}
	}
	if next == nil {
		return false
	}
	d.Days, d.Times, d.Slots = ordered(days, Days), ordered(times, PartsOfDay), sortedKeys(slots)
	if !l.Paused {
		at := next.Unix()
		d.NextAt = &at
	}
	return true
}

func ordered(set map[string]bool, order []string) []string {
	out := []string{}
	for _, v := range order {
		if set[v] {
			out = append(out, v)
		}
	}
	return out
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.SortFunc(out, strings.Compare)
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// sortKey folds a name to lower-case ASCII letters, digits and single spaces, so
// byte order is the same in Meilisearch and in PostgreSQL's "C" collation.
func sortKey(name, id string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		case unicode.IsSpace(r) || unicode.IsPunct(r):
			space = true
		}
	}
	return b.String() + "~" + id
}
