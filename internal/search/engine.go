package search

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
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
	// NeedsAny, when set, asks for listings offering at least one of these, at
	// least in part (close-match candidates).
	NeedsAny []string
	// CloseTo, when set, ranks the first CloseAmong matches in the usual order
	// as close matches to these needs: those meeting the most of them first
	// (fully, or at least in part when Partly), then those meeting the most of
	// the rest in part, then in the usual order; Limit of them are answered.
	// NotAll leaves out the listings meeting every one: they are full matches.
	// Found.Total is then the number of candidates.
	// A backend answers with the ranked listings only, not every candidate.
	CloseTo    []string
	CloseAmong int
	NotAll     bool
	Languages  []string // OR
	Modes      []string // OR
	Days       []string // OR
	Times      []string // OR
	Slots      []string // OR, "tue-evening"; used when both days and times are chosen
	Near       *Point
	RadiusKm   float64 // with Near: online-only listings always pass
	City       string  // online-only listings always pass, unless WithPlace
	// OnlineOnly keeps only listings meeting only online; WithPlace leaves them out.
	OnlineOnly, WithPlace bool
	// ConfirmedSince leaves out stale listings (unix seconds).
	ConfirmedSince int64
	Sort           Sort
	// PreferLang puts listings meeting in this language first, after the
	// chosen sort and before relevance or name.
	PreferLang    string
	Offset, Limit int
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

// WordFinder knows the words of the index and finds those spelt like a word.
type WordFinder interface {
	SimilarWords(ctx context.Context, word string, limit int) ([]string, error)
}

const (
	// maxCloseMatches bounds the close-matches list shown under the results.
	maxCloseMatches = 10
	// closeCandidates bounds how many listings offering some chosen need are
	// ranked for close matches. Beyond it, listings later in the usual order
	// are not considered; a directory that size has full matches to show.
	closeCandidates = 1000
	// placeHits is how many listings each place shows when results are grouped
	// by place and there is more than one page of them.
	placeHits = 4
	// maxSimilar bounds the similar words offered for a text that found nothing.
	maxSimilar = 3
	// similarLookups is how many of a text's words are looked up at once for
	// similar words: a text may have fifty, and a search must leave most of the
	// database connections to others.
	similarLookups = 3
)

// Searcher implements Engine on any Backend.
type Searcher struct {
	backend    Backend
	thresholds directory.Thresholds
	now        func() time.Time
	words      WordFinder
}

// NewSearcher returns an Engine answering through b.
func NewSearcher(b Backend, t directory.Thresholds, now func() time.Time) *Searcher {
	return &Searcher{backend: b, thresholds: t, now: now}
}

// SuggestFrom has the Searcher offer words spelt like those of a text that found
// nothing, from w. Both engines are given the same WordFinder, so they offer the
// same words.
func (s *Searcher) SuggestFrom(w WordFinder) *Searcher {
	s.words = w
	return s
}

// Name says which backend answers.
func (s *Searcher) Name() string { return s.backend.Name() }

// Search answers one page, and makes sure it is never a dead end. In a first
// round trip it finds the page, counts what each chosen need left out would
// find, and what the search finds without its text. In a second, when needed,
// it fetches close matches (when full matches do not fill a page), the first
// listings of each place (when no place was chosen) and checks similar words
// (when the text found nothing).
func (s *Searcher) Search(ctx context.Context, q Query) (Result, error) {
	now := s.now()
	base := s.spec(q, now)
	main := base
	main.Offset, main.Limit, main.Facets = (q.Page-1)*q.PerPage, q.PerPage, true
	specs := []Spec{main}
	for _, need := range q.Needs {
		c := base
		c.Needs = without(q.Needs, need)
		specs = append(specs, c)
	}
	if base.Text != "" {
		c := base
		c.Text = ""
		specs = append(specs, c)
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
	for i, need := range q.Needs {
		if n := found[1+i].Total; n > r.Total && (r.BestDrop == nil || n > r.BestDrop.Total) {
			r.BestDrop = &Drop{Need: need, Total: n}
		}
	}
	if base.Text != "" {
		n := found[len(found)-1].Total
		r.WithoutText = &n
	}

	var more []Spec
	// Close matches: ranked candidates, or the search without its text.
	closeAt := -1
	close := base
	if r.Total == 0 && base.Text != "" {
		close.Text = ""
	}
	if r.Total < q.PerPage && (len(q.Needs) > 0 || close.Text != base.Text) {
		closeAt = len(more)
		close.Limit = maxCloseMatches
		if len(q.Needs) > 0 {
			close.Needs, close.NeedsAny, close.CloseTo, close.CloseAmong = nil, q.Needs, q.Needs, closeCandidates
			close.NotAll = close.Text == base.Text
		}
		more = append(more, close)
	}
	// Places, when none was chosen.
	var places []Place
	placesAt := len(more)
	if q.Page == 1 && q.City == "" && q.Near == nil && !q.OnlineOnly && r.Total > 0 {
		limit := placeHits
		if r.Total <= q.PerPage {
			limit = q.PerPage
		}
		for _, city := range slices.Sorted(maps.Keys(r.Facets.Cities)) {
			c := base
			c.City, c.WithPlace, c.Limit = city, true, limit
			more = append(more, c)
			places = append(places, Place{City: city})
		}
		if r.Facets.OnlineOnly > 0 {
			c := base
			c.OnlineOnly, c.Limit = true, limit
			more = append(more, c)
			places = append(places, Place{OnlineOnly: true})
		}
	}
	// Similar words, each kept only if it finds something with every other choice.
	similarAt := len(more)
	var similar []string
	if r.Total == 0 && base.Text != "" && s.words != nil {
		// Similar words are a courtesy: when they cannot be looked up, the
		// search without its text is still offered, and the backend that
		// answered must not be blamed for another's failure.
		similar = s.similarTexts(ctx, base.Text)
		for _, text := range similar {
			c := base
			c.Text = text
			more = append(more, c)
		}
	}
	if len(more) == 0 {
		return r, nil
	}
	extra, err := s.backend.Find(ctx, more)
	if err != nil {
		return Result{}, err
	}
	if closeAt >= 0 {
		r.CloseMatches = s.closeMatches(extra[closeAt], q, now)
	}
	for i := range places {
		f := extra[placesAt+i]
		places[i].Total, places[i].Hits = f.Total, make([]Hit, 0, len(f.Docs))
		for _, d := range f.Docs {
			places[i].Hits = append(places[i].Hits, s.hit(d, q, now))
		}
	}
	r.Places = places
	for i, text := range similar {
		if extra[similarAt+i].Total > 0 {
			r.Similar = append(r.Similar, text)
		}
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
		Near: q.Near, RadiusKm: q.RadiusKm, City: q.City, OnlineOnly: q.OnlineOnly, Sort: q.Sort,
		PreferLang: q.PreferLang, ConfirmedSince: now.Add(-s.thresholds.StaleAfter).Unix(),
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

// closeMatches are the close matches the backend found, ranked by the Spec's
// CloseTo (see closest), each naming the needs it lacks and why.
func (s *Searcher) closeMatches(f Found, q Query, now time.Time) []Hit {
	out := make([]Hit, 0, len(f.Docs))
	for _, d := range f.Docs {
		h := s.hit(d, q, now)
		for _, need := range q.Needs {
			if v := lackOf(d, need, q.IncludePartly); v != nil {
				h.Lacking = append(h.Lacking, *v)
			}
		}
		out = append(out, h)
	}
	return out
}

// closest ranks candidates, in the usual order, as sp.CloseTo asks: those
// meeting the most of its needs first, then those meeting the most of the rest
// in part, then in the order they came; it keeps the first sp.Limit. A backend
// that cannot rank (Meilisearch) ranks its candidates with it; the fallback
// ranks the same way in SQL, and the parity tests hold the two together.
func closest(sp Spec, docs []candidate) []candidate {
	type ranked struct{ at, met, partly int }
	all := make([]ranked, 0, len(docs))
	for i, d := range docs {
		r := ranked{at: i}
		for _, need := range sp.CloseTo {
			switch {
			case slices.Contains(d.TagsYes, need):
				r.met++
			case !slices.Contains(d.TagsPartly, need):
			case sp.Partly:
				r.met++
			default:
				r.partly++
			}
		}
		if sp.NotAll && r.met == len(sp.CloseTo) {
			continue
		}
		all = append(all, r)
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		if a.met != b.met {
			return b.met - a.met
		}
		return b.partly - a.partly
	})
	n := min(len(all), max(sp.Limit, 0))
	out := make([]candidate, 0, n)
	for _, r := range all[:n] {
		out = append(out, docs[r.at])
	}
	return out
}

// lackOf says whether a listing lacks a need and why; nil when it meets it.
func lackOf(d Document, need string, partlyCounts bool) *Lack {
	switch {
	case slices.Contains(d.TagsYes, need):
		return nil
	case slices.Contains(d.TagsPartly, need):
		if partlyCounts {
			return nil
		}
		return &Lack{Need: need, Value: string(directory.Partly)}
	case slices.Contains(d.TagsNo, need):
		return &Lack{Need: need, Value: string(directory.No)}
	}
	return &Lack{Need: need}
}

// similarTexts are the text with one of its words replaced by a word of the
// index spelt like it, closest first. The words are looked up a few at once
// (similarLookups), each in its own round trip, so a long text cannot take
// every database connection; when one lookup fails, the texts of the words
// before it are kept.
func (s *Searcher) similarTexts(ctx context.Context, text string) []string {
	words := strings.Fields(text)
	type found struct {
		alts []string
		err  error
	}
	lookups := make([]found, len(words))
	turns := make(chan struct{}, similarLookups)
	var wg sync.WaitGroup
	for i, w := range words {
		if onlyStopWords(w) {
			continue
		}
		turns <- struct{}{}
		wg.Go(func() {
			defer func() { <-turns }()
			alts, err := s.words.SimilarWords(ctx, w, maxSimilar)
			lookups[i] = found{alts, err}
		})
	}
	wg.Wait()
	var out []string
	for i, w := range words {
		if lookups[i].err != nil {
			return out
		}
		for _, alt := range lookups[i].alts {
			if strings.EqualFold(alt, w) {
				continue
			}
			changed := slices.Clone(words)
			changed[i] = alt
			if t := strings.Join(changed, " "); !slices.Contains(out, t) && len(out) < maxSimilar {
				out = append(out, t)
			}
		}
	}
	return out
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
