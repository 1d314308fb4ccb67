package searchtest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/search"
)

// parse reads a raw query string as the API does, with the demo's vocabulary and
// the most results a page may hold, so a whole answer takes few pages.
func (d *demoDirectory) parse(t *testing.T, raw string) search.Query {
	t.Helper()
	q, err := search.ParseQuery(raw, d.vocab, search.MaxPerPage)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return q
}

// answer is every page of one search, put together.
type answer struct {
	first search.Result // page 1: facets and close matches
	hits  []search.Hit  // every page's hits, in order
}

func (a answer) ids() []string {
	out := make([]string, len(a.hits))
	for i, h := range a.hits {
		out[i] = h.ID
	}
	return out
}

// all fetches every page of q from e.
func all(t *testing.T, e search.Engine, q search.Query) answer {
	t.Helper()
	var a answer
	for page := 1; ; page++ {
		q.Page = page
		r, err := e.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: search %s: %v", e.Name(), q.Values().Encode(), err)
		}
		if page == 1 {
			a.first = r
		} else if r.Total != a.first.Total {
			t.Errorf("%s: total moved from %d to %d on page %d", e.Name(), a.first.Total, r.Total, page)
		}
		a.hits = append(a.hits, r.Hits...)
		if len(r.Hits) < q.PerPage || page*q.PerPage >= r.Total {
			return a
		}
	}
}

// sortedIDs returns the ids sorted, and the ones that came more than once.
func sortedIDs(ids []string) (sorted, repeated []string) {
	sorted = slices.Sorted(slices.Values(ids))
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] && !slices.Contains(repeated, sorted[i]) {
			repeated = append(repeated, sorted[i])
		}
	}
	return sorted, repeated
}

// diff names what only a has and what only b has, by slug.
func (d *demoDirectory) diff(a, b []string) (onlyA, onlyB []string) {
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, id := range a {
		inA[id] = true
	}
	for _, id := range b {
		inB[id] = true
	}
	for id := range inA {
		if !inB[id] {
			onlyA = append(onlyA, d.slug(id))
		}
	}
	for id := range inB {
		if !inA[id] {
			onlyB = append(onlyB, d.slug(id))
		}
	}
	slices.Sort(onlyA)
	slices.Sort(onlyB)
	return onlyA, onlyB
}

func (d *demoDirectory) slug(id string) string {
	if l, ok := d.listing[id]; ok {
		return l.Slug
	}
	return id
}

// closeMatches describes close matches, in order: which listing, and what it lacks.
func closeMatches(d *demoDirectory, hits []search.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = d.slug(h.ID) + " lacks " + lacks(h.Lacking)
	}
	return out
}

// lacks says what a close match lacks, and why, briefly.
func lacks(ls []search.Lack) string {
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s (%s)", l.Need, cmp.Or(l.Value, "not-reported")))
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// facetDiff lists the facet counts that differ, "" when none do.
func facetDiff(a, b search.Facets) string {
	var out []string
	for _, f := range []struct {
		name string
		a, b map[string]int
	}{{"tags", a.Tags, b.Tags}, {"languages", a.Languages, b.Languages}, {"modes", a.Modes, b.Modes}} {
		keys := slices.Sorted(maps.Keys(f.a))
		for k := range f.b {
			if _, ok := f.a[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			if f.a[k] != f.b[k] {
				out = append(out, fmt.Sprintf("%s[%s] %d vs %d", f.name, k, f.a[k], f.b[k]))
			}
		}
	}
	return strings.Join(out, "; ")
}

// hitIDs are the ids of hits, in order.
func hitIDs(hits []search.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// find returns the hit for id, if any.
func find(hits []search.Hit, id string) (search.Hit, bool) {
	i := slices.IndexFunc(hits, func(h search.Hit) bool { return h.ID == id })
	if i < 0 {
		return search.Hit{}, false
	}
	return hits[i], true
}
