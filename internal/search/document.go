package search

import (
	"encoding/json"
	"unicode"

	"golang.org/x/text/unicode/norm"
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

// MarshalJSON writes the document with one more field, meets_in: 1 for each
// language the group meets in, so Meilisearch can sort on one of them
// (meets_in.es) to put a preferred language first. Derived from Languages as
// it is written, it can never disagree with them, and reading a document back
// simply drops it.
func (d Document) MarshalJSON() ([]byte, error) {
	type plain Document
	b, err := json.Marshal(plain(d))
	if err != nil {
		return nil, err
	}
	meetsIn := make(map[string]int, len(d.Languages))
	for _, l := range d.Languages {
		meetsIn[l] = 1
	}
	m, err := json.Marshal(meetsIn)
	if err != nil {
		return nil, err
	}
	// b is a JSON object with at least the id: add the field before its end.
	return append(append(append(b[:len(b)-1], `,"meets_in":`...), m...), '}'), nil
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

// Physical reports whether a tag describes a physical place.
func (t Taxonomy) Physical(slug string) bool { return t[slug].Physical }

// BuildDocument derives the search document of a listing as of now, from its
// public view, so the index holds nothing a person could not see. It reports
// false when the listing must not be searchable at all: not published, or every
// schedule has ended.
func BuildDocument(l directory.Listing, tax Taxonomy, now time.Time) (Document, bool) {
	// Freshness is decided at query time from ConfirmedAt, so the thresholds
	// given here do not matter.
	p, err := directory.Publish(l, tax, directory.Thresholds{}, now)
	if err != nil {
		return Document{}, false
	}
	d := Document{
		ID: p.ID, Slug: p.Slug, Name: p.Name, Summary: p.Summary, Description: p.Description,
		WhatToExpect: p.WhatToExpect, Organization: p.Organization.Name, TextLang: p.TextLang,
		Languages: nonNil(p.Languages), OnlineOnly: p.OnlineOnly, Paused: p.Paused,
		ConfirmedAt: p.ConfirmedAt.Unix(), ConfirmedBy: string(p.ConfirmedBy), UpdatedAt: p.UpdatedAt.Unix(),
		SortKey:   sortKey(p.Name, p.ID),
		TagLabels: []string{}, TagsYes: []string{}, TagsPartly: []string{}, TagsOffered: []string{},
		TagsNo: []string{}, Modes: []string{}, Days: []string{}, Times: []string{}, Slots: []string{},
	}
	for _, m := range p.Modes {
		d.Modes = append(d.Modes, string(m))
	}
	for _, t := range p.Tags {
		switch t.Value {
		case directory.Yes:
			d.TagsYes = append(d.TagsYes, t.Tag)
			d.TagsOffered = append(d.TagsOffered, t.Tag)
			d.TagLabels = append(d.TagLabels, tax[t.Tag].Labels...)
		case directory.Partly:
			d.TagsPartly = append(d.TagsPartly, t.Tag)
			d.TagsOffered = append(d.TagsOffered, t.Tag)
		case directory.No:
			d.TagsNo = append(d.TagsNo, t.Tag)
		}
	}
	if places := p.Places(); len(places) > 0 {
		d.City, d.Region, d.Neighbourhood = places[0].City, places[0].Region, places[0].Neighbourhood
	}
	if near, ok := p.Near(); ok {
		d.Geo = &Geo{Lat: near.Lat, Lng: near.Lng}
	}
	ok := scheduleDocument(&d, p, now)
	return d, ok
}

// scheduleDocument fills days, parts of day and the next meeting. It reports false
// when no schedule has a meeting to come; a listing with no schedule at all meets
// by arrangement and stays searchable, with no days.
func scheduleDocument(d *Document, l directory.PublicListing, now time.Time) bool {
	if len(l.Schedules) == 0 {
		return true
	}
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
