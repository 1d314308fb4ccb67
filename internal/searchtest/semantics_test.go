package searchtest

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
)

// engines are the two Searchers over the demo directory.
func (d *demoDirectory) engines() []search.Engine { return []search.Engine{d.meili, d.pg} }

// pick returns the first document, by slug, that ok accepts among the listings a
// default search may show (neither paused nor stale).
func (d *demoDirectory) pick(t *testing.T, what string, ok func(search.Document) bool) search.Document {
	t.Helper()
	since := demoNow.Add(-thresholds.StaleAfter).Unix()
	var docs []search.Document
	for _, doc := range d.docs {
		if !doc.Paused && doc.ConfirmedAt >= since && ok(doc) {
			docs = append(docs, doc)
		}
	}
	if len(docs) == 0 {
		t.Fatalf("the demo has no listing that %s", what)
	}
	return slices.MinFunc(docs, func(a, b search.Document) int { return cmp.Compare(a.Slug, b.Slug) })
}

// around is a query narrowed to the day, part of day and city (or language) of
// doc, so few listings besides it match.
func around(doc search.Document, params string) string {
	day, part, _ := strings.Cut(doc.Slots[0], "-")
	q := params + "&day=" + day + "&time=" + part
	if doc.City != "" {
		return q + "&city=" + url.QueryEscape(doc.City)
	}
	return q + "&lang=" + doc.Languages[0]
}

// otherYes is a need doc offers fully, other than skip.
func otherYes(doc search.Document, skip string) string {
	for _, tag := range doc.TagsYes {
		if tag != skip {
			return tag
		}
	}
	return ""
}

// TestCloseMatchesNameWhatIsMissing checks that a listing meeting every need but
// one is a close match naming that need, and says whether the organizer said no,
// said partly, or has not reported it yet.
func TestCloseMatchesNameWhatIsMissing(t *testing.T) {
	t.Parallel()
	d := demo(t)
	const need = "care.childcare"
	for _, value := range []string{"no", "partly", ""} {
		doc := d.pick(t, fmt.Sprintf("says %q of %s", value, need), func(doc search.Document) bool {
			return valueOf(doc, need) == value && !slices.Contains(doc.TagsYes, need) && otherYes(doc, need) != ""
		})
		raw := around(doc, "need="+need+"&need="+otherYes(doc, need))
		t.Run(cmp.Or(value, "not-reported")+"/"+doc.Slug, func(t *testing.T) {
			q := d.parse(t, raw)
			for _, e := range d.engines() {
				r := all(t, e, q).first
				if _, ok := find(r.Hits, doc.ID); ok {
					t.Errorf("%s: %s is a full match for %s", e.Name(), doc.Slug, raw)
				}
				h, ok := find(r.CloseMatches, doc.ID)
				switch {
				case !ok:
					t.Errorf("%s: %s is not among the close matches of %s: %v", e.Name(), doc.Slug, raw, closeMatches(d, r.CloseMatches))
				case !slices.Equal(h.Lacking, []search.Lack{{Need: need, Value: value}}):
					t.Errorf("%s: %s lacks %s, want [%s (%s)]", e.Name(), doc.Slug, lacks(h.Lacking), need, cmp.Or(value, "not-reported"))
				}
				d.checkCloseMatches(t, q, r)
			}
		})
	}
}

// TestPartlyOnlyWithIncludePartly checks that a need met only partly counts only
// when include=partly is asked for, and is then flagged in needs_partly.
func TestPartlyOnlyWithIncludePartly(t *testing.T) {
	t.Parallel()
	d := demo(t)
	const need = "access.step-free"
	partly := d.pick(t, "offers step-free access partly", func(doc search.Document) bool {
		return slices.Contains(doc.TagsPartly, need)
	})
	yes := d.pick(t, "offers step-free access in "+partly.City, func(doc search.Document) bool {
		return doc.City == partly.City && slices.Contains(doc.TagsYes, need)
	})
	raw := "need=" + need + "&city=" + url.QueryEscape(partly.City)
	for _, e := range d.engines() {
		t.Run(e.Name(), func(t *testing.T) {
			strict := all(t, e, d.parse(t, raw))
			if _, ok := find(strict.hits, partly.ID); ok {
				t.Errorf("%s, met only partly, is a full match without include=partly", partly.Slug)
			}
			if h, ok := find(strict.hits, yes.ID); !ok || !slices.Equal(h.NeedsMet, []string{need}) || len(h.NeedsPartly) != 0 {
				t.Errorf("%s, met fully: found %v, needs met %v, partly %v", yes.Slug, ok, h.NeedsMet, h.NeedsPartly)
			}
			if h, ok := find(strict.first.CloseMatches, partly.ID); ok && !slices.Equal(h.Lacking, []search.Lack{{Need: need, Value: "partly"}}) {
				t.Errorf("%s as a close match lacks %s, want %s in part", partly.Slug, lacks(h.Lacking), need)
			}
			loose := all(t, e, d.parse(t, raw+"&include=partly"))
			h, ok := find(loose.hits, partly.ID)
			if !ok {
				t.Fatalf("%s is not a match with include=partly", partly.Slug)
			}
			if !slices.Equal(h.NeedsPartly, []string{need}) || len(h.NeedsMet) != 0 {
				t.Errorf("%s with include=partly: needs met %v, partly %v; want partly [%s]", partly.Slug, h.NeedsMet, h.NeedsPartly, need)
			}
			if loose.first.Total <= strict.first.Total {
				t.Errorf("include=partly found %d, without it %d", loose.first.Total, strict.first.Total)
			}
			for _, r := range []answer{strict, loose} {
				if n := r.first.Facets.Tags[need]; n != r.first.Total {
					t.Errorf("facet %s counts %d of %d matches, all of which offer it", need, n, r.first.Total)
				}
			}
		})
	}
}

// onlineOnly are the online-only listings a default search may show.
func (d *demoDirectory) onlineOnly() []string {
	since := demoNow.Add(-thresholds.StaleAfter).Unix()
	var ids []string
	for id, doc := range d.docs {
		if doc.OnlineOnly && !doc.Paused && doc.ConfirmedAt >= since {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestOnlineOnlyNeverExcludedByPlace checks that searching near a place or in a
// city never leaves out a group that meets only online, and that distance sorts
// put them after every group with a place.
func TestOnlineOnlyNeverExcludedByPlace(t *testing.T) {
	t.Parallel()
	d := demo(t)
	online := d.onlineOnly()
	if len(online) == 0 {
		t.Fatal("the demo has no online-only listing")
	}
	for _, e := range d.engines() {
		t.Run(e.Name(), func(t *testing.T) {
			// Nothing meets in the middle of the Atlantic.
			nowhere := all(t, e, d.parse(t, "near=30,-40&radius_km=2"))
			if got, _ := sortedIDs(nowhere.ids()); !slices.Equal(got, online) {
				missing, extra := d.diff(online, got)
				t.Errorf("near the middle of the Atlantic: leaves out %v, adds %v", missing, extra)
			}
			for _, raw := range []string{"city=Madrid", "near=40.4168,-3.7038&radius_km=3&sort=distance",
				"near=41.8781,-87.6298&radius_km=200&sort=distance&mode=online"} {
				r := all(t, e, d.parse(t, raw))
				got, _ := sortedIDs(r.ids())
				if missing, _ := d.diff(online, got); len(missing) > 0 {
					t.Errorf("%s leaves out the online-only %v", raw, missing)
				}
				if !strings.Contains(raw, "sort=distance") {
					continue
				}
				// Online-only listings have no distance and come after every listing that has one.
				seenOnline := false
				for _, h := range r.hits {
					isOnline := slices.Contains(online, h.ID)
					switch {
					case isOnline && h.DistanceKm != nil:
						t.Errorf("%s: online-only %s has a distance", raw, d.slug(h.ID))
					case !isOnline && seenOnline:
						t.Errorf("%s: %s comes after an online-only listing", raw, d.slug(h.ID))
					}
					seenOnline = seenOnline || isOnline
				}
			}
		})
	}
}

// TestStaleAndPausedLeaveDefaultResults checks that listings confirmed more than
// a year ago, and paused ones, are in no default result, not even when searched
// for by name, and that aging listings are shown and flagged.
func TestStaleAndPausedLeaveDefaultResults(t *testing.T) {
	t.Parallel()
	d := demo(t)
	var stale, paused []search.Document
	visible := 0
	for _, doc := range d.docs {
		confirmed := time.Unix(doc.ConfirmedAt, 0)
		switch {
		case doc.Paused:
			paused = append(paused, doc)
		case thresholds.Of(confirmed, demoNow) == directory.Stale:
			stale = append(stale, doc)
		default:
			visible++
		}
	}
	if len(stale) == 0 || len(paused) == 0 {
		t.Fatalf("the demo has %d stale and %d paused listings; want some of each", len(stale), len(paused))
	}
	for _, e := range d.engines() {
		t.Run(e.Name(), func(t *testing.T) {
			everything := all(t, e, d.parse(t, ""))
			if everything.first.Total != visible {
				t.Errorf("a search for everything finds %d, want the %d neither stale nor paused", everything.first.Total, visible)
			}
			aging := 0
			for _, h := range everything.hits {
				doc := d.docs[h.ID]
				if doc.Paused || h.Paused {
					t.Errorf("paused %s is shown", doc.Slug)
				}
				want := thresholds.Of(time.Unix(doc.ConfirmedAt, 0), demoNow)
				if h.Freshness != want || want == directory.Stale {
					t.Errorf("%s is shown as %s, confirmed %s: want %s, and never stale", doc.Slug, h.Freshness, h.ConfirmedAt.Format(time.DateOnly), want)
				}
				if h.Freshness == directory.Aging {
					aging++
				}
			}
			if aging == 0 {
				t.Error("no aging listing is shown with its notice")
			}
			for _, doc := range append(slices.Clone(stale), paused...) {
				r := all(t, e, d.parse(t, "q="+url.QueryEscape(doc.Name)))
				if _, ok := find(r.hits, doc.ID); ok {
					t.Errorf("%s (paused %v) is found by its name %q", doc.Slug, doc.Paused, doc.Name)
				}
			}
		})
	}
}

// TestSpanishTextWithAndWithoutAccents checks that accents make no difference to
// what a text search finds, and that the listing searched for is found.
func TestSpanishTextWithAndWithoutAccents(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, c := range []struct {
		accented, plain string
		want            []string
	}{
		{"recuperación", "recuperacion", []string{"reunion-de-recuperacion-pilsen", "reunion-de-recuperacion-malasana"}},
		{"Lavapiés", "lavapies", []string{"apoyo-mutuo-lavapies", "circulo-de-tejido-lavapies"}},
		{"duelo Coyoacán", "duelo coyoacan", []string{"circulo-de-duelo-coyoacan"}},
		{"Círculo de crianza", "circulo de crianza", []string{"circulo-de-crianza-carabanchel", "circulo-de-crianza-pilsen"}},
	} {
		t.Run(c.plain, func(t *testing.T) {
			for _, e := range d.engines() {
				a := all(t, e, d.parse(t, "q="+url.QueryEscape(c.accented)))
				p := all(t, e, d.parse(t, "q="+url.QueryEscape(c.plain)))
				as, _ := sortedIDs(a.ids())
				ps, _ := sortedIDs(p.ids())
				if onlyA, onlyP := d.diff(as, ps); len(onlyA)+len(onlyP) > 0 {
					t.Errorf("%s: only %q finds %v; only %q finds %v", e.Name(), c.accented, onlyA, c.plain, onlyP)
				}
				for _, slug := range c.want {
					if !slices.Contains(as, d.id(t, slug)) {
						t.Errorf("%s: %q does not find %s", e.Name(), c.accented, slug)
					}
				}
			}
		})
	}
}

// TestCityWithoutAccents checks that a city is found however its accents are
// typed, as text is.
func TestCityWithoutAccents(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, c := range []struct{ typed, listed string }{
		{"ciudad de mexico", "Ciudad de México"},
		{"Los Ángeles", "Los Angeles"},
	} {
		t.Run(c.typed, func(t *testing.T) {
			q, err := search.ParseQuery("city="+url.QueryEscape(c.typed), d.vocab, search.MaxPerPage)
			if err != nil {
				t.Fatalf("city=%q is refused: %v", c.typed, err)
			}
			if q.City != c.listed {
				t.Errorf("city=%q reads as %q, want %q", c.typed, q.City, c.listed)
			}
		})
	}
}

// TestTypos checks that a misspelt word still finds what it names.
func TestTypos(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Hearing Voises", []string{"hearing-voices-online", "hearing-voices-group-echo-park"}},
		{"duelo Coyoacam", []string{"circulo-de-duelo-coyoacan"}},
		{"escuchadoras de voces", []string{"escuchadores-de-voces-roma-norte"}},
	} {
		t.Run(c.text, func(t *testing.T) {
			for _, e := range d.engines() {
				got := all(t, e, d.parse(t, "q="+url.QueryEscape(c.text))).ids()
				for _, slug := range c.want {
					if !slices.Contains(got, d.id(t, slug)) {
						t.Errorf("%s: %q does not find %s", e.Name(), c.text, slug)
					}
				}
			}
		})
	}
}

// How the engines' text matching may differ. Filter-only searches must agree
// exactly; text differs where the engines' word matching does: the fallback
// stems English and Spanish (so "Madrid" also reaches "madres"), while
// Meilisearch forgives typos in every field, not only in names.
type textRelation int

const (
	same            textRelation = iota
	fallbackBroader              // PostgreSQL finds everything Meilisearch does, and more
	meiliBroader                 // Meilisearch finds everything PostgreSQL does, and more
)

// TestTextQueryParity checks that both engines find the same listings for a
// text search, with the meaning search.FallbackText documents: the first ten
// words, stop words left out, each remaining word matching; where word matching
// differs by design, that one engine's answer contains the other's.
func TestTextQueryParity(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, c := range []struct {
		text     string
		relation textRelation
	}{
		{"recuperación", same},
		{"Lavapiés", same},
		{"grief", same},
		{`"grief circle"`, same},
		{"grief -online", same},
		{"niños", same},
		{"gratis", same},
		{"ASL", same},
		{"Pilsen", same},
		{"duelo Coyoacán", same},
		{"grief circle", same},
		{"circl", same},
		{"the", same},
		{"de la", same},
		{"Hearing Voises", meiliBroader},
		{"sober", meiliBroader},
		{"Madrid", fallbackBroader},
	} {
		t.Run(c.text, func(t *testing.T) {
			q := d.parse(t, "q="+url.QueryEscape(c.text))
			m, p := all(t, d.meili, q), all(t, d.pg, q)
			ms, _ := sortedIDs(m.ids())
			ps, _ := sortedIDs(p.ids())
			onlyM, onlyP := d.diff(ms, ps)
			if len(ps) == 0 || len(ms) == 0 {
				t.Fatalf("%q: meilisearch finds %d, postgres %d; each should find something", c.text, len(ms), len(ps))
			}
			ok := len(onlyM)+len(onlyP) == 0 ||
				c.relation == fallbackBroader && len(onlyM) == 0 ||
				c.relation == meiliBroader && len(onlyP) == 0
			if !ok {
				t.Errorf("%q: meilisearch finds %d, postgres %d; only meilisearch %v; only postgres %v",
					c.text, m.first.Total, p.first.Total, onlyM, onlyP)
			}
		})
	}
}

// TestRelevanceOrderWithoutTextParity checks that a search without text shows
// the same listings on its first page, and the same close matches, whichever
// engine answers: a person whose search falls back to PostgreSQL mid-way, or
// pages on after it does, must not see other groups.
func TestRelevanceOrderWithoutTextParity(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, raw := range []string{"per_page=20", "need=cost.free&per_page=20", "lang=es&per_page=20",
		"need=cost.free&need=access.step-free&per_page=20"} {
		t.Run(raw, func(t *testing.T) {
			q := d.parse(t, raw)
			m, err := d.meili.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			p, err := d.pg.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			d.checkCloseMatches(t, q, m, p)
			var problems []string
			if onlyM, onlyP := d.diff(hitIDs(m.Hits), hitIDs(p.Hits)); len(onlyM)+len(onlyP) > 0 {
				problems = append(problems, fmt.Sprintf("page 1 of %d: only meilisearch %v; only postgres %v", m.Total, onlyM, onlyP))
			}
			if mc, pc := closeMatches(d, m.CloseMatches), closeMatches(d, p.CloseMatches); !slices.Equal(mc, pc) {
				problems = append(problems, fmt.Sprintf("close matches: meilisearch %v; postgres %v", mc, pc))
			}
			if len(problems) > 0 {
				t.Error(strings.Join(problems, "\n"))
			}
		})
	}
}
