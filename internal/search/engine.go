package search

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

// Spec is one filtered query against a backend, in index terms. The engine turns
// a person's Query into one or more Specs, so both backends share one meaning.
// Backends always leave out paused listings: they stay in the index, reachable by
// link, but are not somewhere a person can go this week.
type Spec struct {
	Text string
	// Needs must each be offered: in tags_yes, or in tags_offered when Partly.
	Needs  []string
	Partly bool
	// Lacking, when set, is a need the listing must NOT offer (close matches).
	Lacking   string
	Languages []string // OR
	Modes     []string // OR
	Days      []string // OR
	Times     []string // OR
	Slots     []string // OR, "tue-evening"; used when both days and times are chosen
	Near      *Point
	RadiusKm  float64 // with Near: online-only listings always pass
	City      string  // online-only listings always pass
	// ConfirmedSince leaves out stale listings (unix seconds).
	ConfirmedSince int64
	Sort           Sort
	Offset, Limit  int
	// Facets asks for counts over the whole match set, not just the page.
	Facets bool
}

// Found is a backend's answer to one Spec. Its Docs hold at least the fields a
// Hit is made of; a backend may leave the rest empty.
type Found struct {
	Docs   []Document
	Total  int
	Facets Facets
}

// Backend runs Specs; several at once so a backend can answer them in one round trip.
type Backend interface {
	Name() string
	Find(ctx context.Context, specs []Spec) ([]Found, error)
}

// maxCloseMatches bounds the close-matches list shown under the results.
const maxCloseMatches = 10

// Searcher implements Engine on any Backend.
type Searcher struct {
	backend    Backend
	thresholds directory.Thresholds
	now        func() time.Time
}

// NewSearcher returns an Engine answering through b.
func NewSearcher(b Backend, t directory.Thresholds, now func() time.Time) *Searcher {
	return &Searcher{backend: b, thresholds: t, now: now}
}

// Name says which backend answers.
func (s *Searcher) Name() string { return s.backend.Name() }

// Search answers one page. When fewer full matches than a page exist and needs
// were chosen, it adds close matches: listings meeting every need but one, each
// naming the one it lacks.
func (s *Searcher) Search(ctx context.Context, q Query) (Result, error) {
	now := s.now()
	base := s.spec(q, now)
	main := base
	main.Offset, main.Limit, main.Facets = (q.Page-1)*q.PerPage, q.PerPage, true
	specs := []Spec{main}
	if len(q.Needs) > 0 {
		for _, need := range q.Needs {
			c := base
			c.Needs = without(q.Needs, need)
			c.Lacking = need
			c.Offset, c.Limit = 0, maxCloseMatches
			specs = append(specs, c)
		}
	}
	found, err := s.backend.Find(ctx, specs)
	if err != nil {
		return Result{}, err
	}
	r := Result{Engine: s.backend.Name(), Total: found[0].Total, Page: q.Page, PerPage: q.PerPage,
		Hits: make([]Hit, 0, len(found[0].Docs)), CloseMatches: []Hit{}, Facets: found[0].Facets}
	for _, d := range found[0].Docs {
		r.Hits = append(r.Hits, s.hit(d, q, now))
	}
	if found[0].Total < q.PerPage {
		r.CloseMatches = s.closeMatches(found[1:], q, now)
	}
	return r, nil
}

func (s *Searcher) spec(q Query, now time.Time) Spec {
	text := q.Text
	if onlyStopWords(text) {
		// "the" or "de la" asks for nothing; both engines then search without
		// text, as the fallback would (Meilisearch matched a few by typo).
		text = ""
	}
	sp := Spec{
		Text: text, Needs: q.Needs, Partly: q.IncludePartly, Languages: q.Languages,
		Near: q.Near, RadiusKm: q.RadiusKm, City: q.City, Sort: q.Sort,
		ConfirmedSince: now.Add(-s.thresholds.StaleAfter).Unix(),
	}
	for _, m := range q.Modes {
		sp.Modes = append(sp.Modes, string(m))
	}
	switch {
	case len(q.Days) > 0 && len(q.Times) > 0:
		for _, d := range q.Days {
			for _, t := range q.Times {
				sp.Slots = append(sp.Slots, d+"-"+t)
			}
		}
	default:
		sp.Days, sp.Times = q.Days, q.Times
	}
	return sp
}

// closeMatches takes the listings lacking each need in turn, in need order, each
// listing once, up to maxCloseMatches.
func (s *Searcher) closeMatches(perNeed []Found, q Query, now time.Time) []Hit {
	out := []Hit{}
	seen := map[string]bool{}
	for rank := 0; len(out) < maxCloseMatches; rank++ {
		more := false
		for i, f := range perNeed {
			if rank >= len(f.Docs) {
				continue
			}
			more = true
			d := f.Docs[rank]
			if seen[d.ID] || len(out) >= maxCloseMatches {
				continue
			}
			seen[d.ID] = true
			h := s.hit(d, q, now)
			h.Missing = q.Needs[i]
			h.MissingValue = missingValue(d, q.Needs[i])
			out = append(out, h)
		}
		if !more {
			break
		}
	}
	return out
}

// missingValue says why a need is not met: "no" when the organizer says so,
// "partly" when only partly and partial matches were not asked for, "" when
// simply not reported yet.
func missingValue(d Document, need string) string {
	switch {
	case slices.Contains(d.TagsNo, need):
		return string(directory.No)
	case slices.Contains(d.TagsPartly, need):
		return string(directory.Partly)
	}
	return ""
}

func (s *Searcher) hit(d Document, q Query, now time.Time) Hit {
	h := Hit{
		ID: d.ID, Slug: d.Slug, Name: d.Name, Summary: d.Summary, Organization: d.Organization,
		TextLang: d.TextLang, City: d.City, Neighbourhood: d.Neighbourhood, Languages: d.Languages,
		NeedsMet: []string{}, NeedsPartly: []string{}, TimeZone: d.TimeZone, Paused: d.Paused,
		ConfirmedAt: time.Unix(d.ConfirmedAt, 0).UTC(), ConfirmedBy: directory.Source(d.ConfirmedBy),
	}
	for _, m := range d.Modes {
		h.Modes = append(h.Modes, directory.Mode(m))
	}
	h.Freshness = s.thresholds.Of(h.ConfirmedAt, now)
	for _, need := range q.Needs {
		switch {
		case slices.Contains(d.TagsYes, need):
			h.NeedsMet = append(h.NeedsMet, need)
		case slices.Contains(d.TagsPartly, need):
			h.NeedsPartly = append(h.NeedsPartly, need)
		}
	}
	if d.NextAt != nil {
		at := time.Unix(*d.NextAt, 0).UTC()
		if loc, err := location(d.TimeZone); err == nil {
			at = at.In(loc)
		}
		h.NextAt = &at
	}
	if q.Near != nil && d.Geo != nil {
		km := math.Round(DistanceKm(*q.Near, Point{d.Geo.Lat, d.Geo.Lng})*10) / 10
		h.DistanceKm = &km
	}
	return h
}

func without(list []string, drop string) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		if v != drop {
			out = append(out, v)
		}
	}
	return out
}

// DistanceKm is the great-circle distance between two points.
func DistanceKm(a, b Point) float64 {
	const earthKm = 6371.0088
	rad := math.Pi / 180
	dLat, dLng := (b.Lat-a.Lat)*rad, (b.Lng-a.Lng)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// locations caches time zones by name: time.LoadLocation reads and parses the
// zone file on every call, which was a tenth of a search's own work.
var locations sync.Map

func location(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}
