package searchtest

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/search"
)

// Places to search near, each with listings around it, and one with none.
var places = []struct {
	name, near string
}{
	{"chicago-loop", "41.8781,-87.6298"},
	{"logan-square", "41.9230,-87.7090"},
	{"madrid-sol", "40.4168,-3.7038"},
	{"los-angeles", "34.0522,-118.2437"},
	{"cdmx-zocalo", "19.4326,-99.1332"},
	{"mid-atlantic", "30.0,-40.0"},
}

// parityQueries are filter-only searches (no text, where the engines' own
// relevance could differ) covering every filter, alone and together. Each is a
// raw query string, as the API receives it.
func parityQueries(d *demoDirectory) []string {
	qs := []string{""}
	partly := map[string]bool{"cost.free": true} // and one no listing offers partly, for contrast
	for _, doc := range d.docs {
		for _, tag := range doc.TagsPartly {
			partly[tag] = true
		}
	}
	for _, tag := range d.tags {
		qs = append(qs, "need="+tag)
		if partly[tag] {
			qs = append(qs, "need="+tag+"&include=partly")
		}
	}
	// The needs listings offer most, so pairs and triples still match something.
	common := []string{"cost.free", "access.step-free", "format.peer-led", "paperwork.no-referral",
		"format.drop-in", "care.childcare", "lang.sign-interpreting", "paperwork.first-names-only"}
	for i, a := range common {
		for j, b := range common[i+1:] {
			qs = append(qs, "need="+a+"&need="+b)
			if i < 4 {
				qs = append(qs, "need="+a+"&need="+b+"&include=partly")
			}
			for _, c := range common[i+j+2 : min(len(common), i+j+4)] {
				qs = append(qs, "need="+a+"&need="+b+"&need="+c, "need="+a+"&need="+b+"&need="+c+"&include=partly")
			}
		}
	}
	for _, lang := range []string{"ar", "ase", "bn", "en", "es", "fr", "ht", "ja", "ko", "mfs", "ssp", "tl", "vi", "yue", "zh"} {
		qs = append(qs, "lang="+lang)
	}
	qs = append(qs, "lang=en&lang=es", "lang=zh&lang=yue", "lang=ase&lang=ssp&lang=mfs", "lang=fr&lang=ht&lang=ar")
	for _, m := range search.AttendanceModes {
		qs = append(qs, "mode="+string(m))
	}
	qs = append(qs, "mode=online&mode=phone", "mode=hybrid&mode=in_person")
	for _, day := range search.Days {
		qs = append(qs, "day="+day)
	}
	qs = append(qs, "day=sat&day=sun", "day=mon&day=wed&day=fri")
	for _, part := range search.PartsOfDay {
		qs = append(qs, "time="+part)
	}
	qs = append(qs, "time=morning&time=evening", "time=afternoon&time=night")
	for _, day := range search.Days {
		for _, part := range search.PartsOfDay {
			qs = append(qs, "day="+day+"&time="+part)
		}
	}
	qs = append(qs, "day=sat&day=sun&time=morning&time=afternoon", "day=tue&day=thu&time=evening")
	for _, city := range []string{"Chicago", "Los Angeles", "Madrid", "Ciudad de México", "madrid"} {
		qs = append(qs, "city="+url.QueryEscape(city))
	}
	for _, p := range places {
		for _, r := range []string{"", "&radius_km=2", "&radius_km=5", "&radius_km=25"} {
			qs = append(qs, "near="+p.near+r, "near="+p.near+r+"&sort=distance")
		}
	}
	qs = append(qs,
		"need=cost.free&lang=es&day=sat&day=sun",
		"need=access.step-free&city=Chicago&time=evening",
		"need=cost.free&near=41.8781,-87.6298&radius_km=10&mode=in_person",
		"need=care.childcare&include=partly&lang=es&mode=in_person",
		"need=format.peer-led&need=cost.free&city=Madrid&day=tue&day=thu&time=evening",
		"lang=en&mode=online&time=evening&day=mon&day=tue&day=wed",
		"need=digital.camera-optional&mode=online&lang=en",
		"need=access.step-free&include=partly&near=34.0522,-118.2437&radius_km=25&sort=distance",
		"need=paperwork.no-immigration-questions&lang=es&near=19.4326,-99.1332&radius_km=5",
		"city=Chicago&mode=online",
	)
	for _, filters := range []string{"", "need=cost.free", "city=Madrid", "lang=en&time=evening",
		"near=41.8781,-87.6298&radius_km=10", "need=access.step-free&include=partly&day=sat&day=sun"} {
		for _, sort := range []string{"soonest", "recently-confirmed"} {
			q := "sort=" + sort
			if filters != "" {
				q = filters + "&" + q
			}
			qs = append(qs, q)
		}
	}
	return qs
}

// TestEngineParityOnDemo asks both engines every filter-only search of
// parityQueries over the demo directory. They must find the same listings, the
// same total, the same facet counts and the same close matches, and sorted
// searches must come back in the same order of their sort key. Both must also
// agree with what the documents say: the semantics of DESIGN.md worked out here.
func TestEngineParityOnDemo(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, raw := range parityQueries(d) {
		name := raw
		if name == "" {
			name = "everything"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q := d.parse(t, raw)
			m, p := all(t, d.meili, q), all(t, d.pg, q)
			if m.first.Engine != "meilisearch" || p.first.Engine != "postgres" {
				t.Fatalf("engines %q and %q answered", m.first.Engine, p.first.Engine)
			}
			mIDs, mRep := sortedIDs(m.ids())
			pIDs, pRep := sortedIDs(p.ids())
			if len(mRep)+len(pRep) > 0 {
				t.Errorf("a listing came back on two pages: meilisearch %v, postgres %v", mRep, pRep)
			}
			if m.first.Total != p.first.Total {
				t.Errorf("total: meilisearch %d, postgres %d", m.first.Total, p.first.Total)
			}
			if len(mIDs) != m.first.Total || len(pIDs) != p.first.Total {
				t.Errorf("pages held %d and %d hits for totals %d and %d", len(mIDs), len(pIDs), m.first.Total, p.first.Total)
			}
			if onlyM, onlyP := d.diff(mIDs, pIDs); len(onlyM)+len(onlyP) > 0 {
				t.Errorf("listings differ: only meilisearch %v; only postgres %v", onlyM, onlyP)
			}
			want, either := d.expected(q)
			for engine, got := range map[string][]string{"meilisearch": mIDs, "postgres": pIDs} {
				missing, extra := d.diff(want, got)
				missing, extra = d.except(missing, either), d.except(extra, either)
				if len(missing)+len(extra) > 0 {
					t.Errorf("%s disagrees with the documents: leaves out %v; adds %v", engine, missing, extra)
				}
			}
			if diff := facetDiff(m.first.Facets, p.first.Facets); diff != "" {
				t.Errorf("facet counts (meilisearch vs postgres): %s", diff)
			}
			d.checkCloseMatches(t, q, m.first, p.first)
			if mk, pk := sortKeys(q, m.hits), sortKeys(q, p.hits); !slices.Equal(mk, pk) {
				t.Errorf("%s order differs:\n meilisearch %v\n postgres    %v", q.Sort, mk, pk)
			}
		})
	}
}

// TestCloseMatchCandidatesParity compares, for multi-need searches, every
// listing each engine holds to offer at least one chosen need, not only the
// first ten the results show: the sets close matches are ranked from must be
// the same, and what the documents say.
func TestCloseMatchCandidatesParity(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, raw := range []string{
		"need=cost.free&need=access.step-free",
		"need=cost.free&need=access.step-free&include=partly",
		"need=cost.free&need=care.childcare&need=format.peer-led",
		"need=care.childcare&need=access.step-free&include=partly&lang=es",
		"need=lang.sign-interpreting&need=access.step-free&city=Chicago",
		"need=format.drop-in&need=paperwork.no-referral&near=41.8781,-87.6298&radius_km=10",
		"need=sensory.scent-free&need=sensory.quiet-space&day=sat&day=sun&time=morning",
	} {
		t.Run(raw, func(t *testing.T) {
			q := d.parse(t, raw)
			sp := d.spec(q)
			sp.Needs, sp.NeedsAny, sp.Limit = nil, q.Needs, 1000
			specs := []search.Spec{sp}
			m, err := d.meiliBackend.Find(t.Context(), specs)
			if err != nil {
				t.Fatal(err)
			}
			p, err := d.pgBackend.Find(t.Context(), specs)
			if err != nil {
				t.Fatal(err)
			}
			if m[0].Total != p[0].Total {
				t.Errorf("total meilisearch %d, postgres %d", m[0].Total, p[0].Total)
			}
			if onlyM, onlyP := d.diff(docIDs(m[0].Docs), docIDs(p[0].Docs)); len(onlyM)+len(onlyP) > 0 {
				t.Errorf("only meilisearch %v; only postgres %v", onlyM, onlyP)
			}
			want := d.candidates(q)
			if missing, extra := d.diff(want, docIDs(p[0].Docs)); len(missing)+len(extra) > 0 {
				t.Errorf("the engines disagree with the documents: leave out %v; add %v", missing, extra)
			}
		})
	}
}

// spec is the Spec the engine derives from a filter-only Query, for asking a
// backend directly.
func (d *demoDirectory) spec(q search.Query) search.Spec {
	sp := search.Spec{Needs: q.Needs, Partly: q.IncludePartly, Languages: q.Languages, Near: q.Near,
		RadiusKm: q.RadiusKm, City: q.City, Sort: q.Sort,
		ConfirmedSince: demoNow.Add(-thresholds.StaleAfter).Unix()}
	for _, m := range q.Modes {
		sp.Modes = append(sp.Modes, string(m))
	}
	if len(q.Days) > 0 && len(q.Times) > 0 {
		for _, day := range q.Days {
			for _, part := range q.Times {
				sp.Slots = append(sp.Slots, day+"-"+part)
			}
		}
	} else {
		sp.Days, sp.Times = q.Days, q.Times
	}
	return sp
}

func docIDs(docs []search.Document) []string {
	out := make([]string, len(docs))
	for i, doc := range docs {
		out[i] = doc.ID
	}
	return out
}

// expected works out from the indexed documents which listings a filter-only
// query finds, following DESIGN.md: needs ANDed (partly counting only with
// include=partly), languages, modes, days and parts of day each ORed, stale and
// paused listings left out, and online-only listings never left out for a place.
// either holds the slugs of listings so close to a radius that the engines'
// rounding may fairly decide.
func (d *demoDirectory) expected(q search.Query) (ids, either []string) {
	since := demoNow.Add(-thresholds.StaleAfter).Unix()
	anyOf := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(want, func(v string) bool { return slices.Contains(have, v) })
	}
	for id, doc := range d.docs {
		offered := doc.TagsYes
		if q.IncludePartly {
			offered = doc.TagsOffered
		}
		modes := make([]string, len(q.Modes))
		for i, m := range q.Modes {
			modes[i] = string(m)
		}
		ok := !doc.Paused && doc.ConfirmedAt >= since &&
			!slices.ContainsFunc(q.Needs, func(n string) bool { return !slices.Contains(offered, n) }) &&
			anyOf(q.Languages, doc.Languages) && anyOf(modes, doc.Modes)
		if len(q.Days) > 0 && len(q.Times) > 0 {
			var slots []string
			for _, day := range q.Days {
				for _, part := range q.Times {
					slots = append(slots, day+"-"+part)
				}
			}
			ok = ok && anyOf(slots, doc.Slots)
		} else {
			ok = ok && anyOf(q.Days, doc.Days) && anyOf(q.Times, doc.Times)
		}
		if q.City != "" {
			ok = ok && (doc.OnlineOnly || strings.EqualFold(doc.City, q.City))
		}
		if q.OnlineOnly {
			ok = ok && doc.OnlineOnly
		}
		if q.Near != nil && !doc.OnlineOnly {
			if doc.Geo == nil {
				ok = false
			} else {
				km := search.DistanceKm(*q.Near, search.Point{Lat: doc.Geo.Lat, Lng: doc.Geo.Lng})
				if ok && math.Abs(km-q.RadiusKm) < 0.05 {
					either = append(either, doc.Slug)
				}
				ok = ok && km <= q.RadiusKm
			}
		}
		if ok {
			ids = append(ids, id)
		}
	}
	return ids, either
}

// except drops the slugs in skip from slugs.
func (d *demoDirectory) except(slugs, skip []string) []string {
	return slices.DeleteFunc(slugs, func(s string) bool { return slices.Contains(skip, s) })
}

// sortKeys is the sequence of the values a sorted search is ordered by; nil for
// relevance, whose order each engine decides for itself.
func sortKeys(q search.Query, hits []search.Hit) []string {
	var out []string
	for _, h := range hits {
		switch q.Sort {
		case search.BySoonest:
			if h.NextAt == nil {
				out = append(out, "none")
			} else {
				out = append(out, h.NextAt.UTC().Format("2006-01-02T15:04Z"))
			}
		case search.ByRecentlyConfirmed:
			out = append(out, h.ConfirmedAt.Format("2006-01-02T15:04:05Z"))
		case search.ByDistance:
			if h.DistanceKm == nil {
				out = append(out, "online")
			} else {
				out = append(out, fmt.Sprintf("%.1f", *h.DistanceKm))
			}
		default:
			return nil
		}
	}
	return out
}

// maxCloseMatches is how many close matches a result shows at most.
const maxCloseMatches = 10

// candidates are the listings matching every choice of q but its needs, and
// offering at least one of its needs at least in part: what close matches are
// ranked from.
func (d *demoDirectory) candidates(q search.Query) []string {
	needs := q.Needs
	q.Needs = nil
	all, _ := d.expected(q)
	return slices.DeleteFunc(all, func(id string) bool {
		return !slices.ContainsFunc(needs, func(n string) bool { return slices.Contains(d.docs[id].TagsOffered, n) })
	})
}

// expectedClose works out the close matches of a filter-only query from the
// documents, following DESIGN.md: when full matches do not fill a page, the
// candidates that are not full matches, those meeting the most needs first,
// then those meeting more in part, then by name (the usual order without
// text), each naming every need it lacks.
func (d *demoDirectory) expectedClose(q search.Query, total int) []string {
	if len(q.Needs) == 0 || total >= q.PerPage {
		return []string{}
	}
	type ranked struct {
		id          string
		lack        []search.Lack
		met, partly int
	}
	var all []ranked
	for _, id := range d.candidates(q) {
		doc := d.docs[id]
		r := ranked{id: id}
		for _, need := range q.Needs {
			switch v := valueOf(doc, need); {
			case slices.Contains(doc.TagsYes, need), v == "partly" && q.IncludePartly:
				r.met++
			default:
				r.lack = append(r.lack, search.Lack{Need: need, Value: v})
				if v == "partly" {
					r.partly++
				}
			}
		}
		if len(r.lack) > 0 {
			all = append(all, r)
		}
	}
	slices.SortFunc(all, func(a, b ranked) int {
		return cmp.Or(b.met-a.met, b.partly-a.partly, d.usualOrder(q, a.id, b.id))
	})
	out := []string{}
	for _, r := range all[:min(len(all), maxCloseMatches)] {
		out = append(out, d.slug(r.id)+" lacks "+lacks(r.lack))
	}
	return out
}

// usualOrder compares two listings as a filter-only search orders them: by its
// sort, then by name.
func (d *demoDirectory) usualOrder(q search.Query, a, b string) int {
	da, db := d.docs[a], d.docs[b]
	last := func(v *int64, none int64) int64 {
		if v == nil {
			return none
		}
		return *v
	}
	var c int
	switch q.Sort {
	case search.BySoonest:
		c = cmp.Compare(last(da.NextAt, math.MaxInt64), last(db.NextAt, math.MaxInt64))
	case search.ByRecentlyConfirmed:
		c = cmp.Compare(db.ConfirmedAt, da.ConfirmedAt)
	case search.ByDistance:
		km := func(doc search.Document) float64 {
			if doc.Geo == nil {
				return math.Inf(1)
			}
			return search.DistanceKm(*q.Near, search.Point{Lat: doc.Geo.Lat, Lng: doc.Geo.Lng})
		}
		c = cmp.Compare(km(da), km(db))
	}
	return cmp.Or(c, strings.Compare(da.SortKey, db.SortKey))
}

// checkCloseMatches holds each engine's close matches to expectedClose: the
// same listings, in the same order, each naming what it lacks and why.
func (d *demoDirectory) checkCloseMatches(t *testing.T, q search.Query, results ...search.Result) {
	t.Helper()
	for _, r := range results {
		want := d.expectedClose(q, r.Total)
		if got := closeMatches(d, r.CloseMatches); !slices.Equal(got, want) {
			t.Errorf("%s close matches:\n got  %v\n want %v", r.Engine, got, want)
		}
	}
}

// valueOf is what a document says of a need: "no", "partly", or "" for not
// reported (or offered).
func valueOf(doc search.Document, need string) string {
	switch {
	case slices.Contains(doc.TagsNo, need):
		return "no"
	case slices.Contains(doc.TagsPartly, need):
		return "partly"
	}
	return ""
}
