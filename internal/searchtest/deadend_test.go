package searchtest

import (
	"net/url"
	"slices"
	"testing"

	"github.com/belong-directory/belong/internal/search"
)

// unmetNeeds are four needs no demo space offers together.
const unmetNeeds = "need=identity.trans-affirming&need=sensory.quiet-space&need=care.children-welcome&need=care.childcare"

// TestNeverADeadEnd checks, in both engines, that a search finding nothing
// still offers a way on, with the same meaning: four needs nobody meets give
// the closest groups ranked by needs met; a text that finds nothing gives the
// search without it, and words of the index spelt like it.
func TestNeverADeadEnd(t *testing.T) {
	t.Parallel()
	d := demo(t)
	t.Run("four unmet needs", func(t *testing.T) {
		q := d.parse(t, unmetNeeds)
		var got [][]string
		for _, e := range d.engines() {
			r := all(t, e, q).first
			if r.Total != 0 {
				t.Fatalf("%s: precondition: %d spaces offer all four", e.Name(), r.Total)
			}
			if len(r.CloseMatches) != maxCloseMatches {
				t.Errorf("%s: %d close matches, want %d", e.Name(), len(r.CloseMatches), maxCloseMatches)
			}
			prev := len(q.Needs)
			for _, h := range r.CloseMatches {
				met := len(q.Needs) - len(h.Lacking)
				if met > prev || met < 1 && len(h.NeedsPartly) == 0 {
					t.Errorf("%s: %s meets %d needs after one meeting %d", e.Name(), d.slug(h.ID), met, prev)
				}
				prev = met
			}
			d.checkCloseMatches(t, q, r)
			got = append(got, closeMatches(d, r.CloseMatches))
		}
		if !slices.Equal(got[0], got[1]) {
			t.Errorf("close matches differ:\n meilisearch %v\n postgres    %v", got[0], got[1])
		}
	})
	t.Run("one need: only spaces offering it in part are close", func(t *testing.T) {
		for _, e := range d.engines() {
			r := all(t, e, d.parse(t, "need=access.step-free")).first
			for _, h := range r.CloseMatches {
				if !slices.Equal(h.Lacking, []search.Lack{{Need: "access.step-free", Value: "partly"}}) {
					t.Errorf("%s: %s is a close match lacking %s", e.Name(), d.slug(h.ID), lacks(h.Lacking))
				}
			}
			r = all(t, e, d.parse(t, "need=access.step-free&include=partly")).first
			if len(r.CloseMatches) != 0 {
				t.Errorf("%s: with partial matches counted, nothing is close: %v", e.Name(), closeMatches(d, r.CloseMatches))
			}
		}
	})
	t.Run("the need to leave out", func(t *testing.T) {
		q := d.parse(t, "need=identity.trans-affirming&need=sensory.quiet-space&need=care.children-welcome")
		var drops []search.Drop
		for _, e := range d.engines() {
			r := all(t, e, q).first
			if r.BestDrop == nil {
				t.Fatalf("%s: no need to leave out for %s (total %d)", e.Name(), q.Values().Encode(), r.Total)
			}
			for _, need := range q.Needs {
				n := q
				n.Needs = slices.DeleteFunc(slices.Clone(q.Needs), func(x string) bool { return x == need })
				if total := all(t, e, n).first.Total; total > r.BestDrop.Total {
					t.Errorf("%s: leaving out %s finds %d, more than the best, %s with %d", e.Name(), need, total, r.BestDrop.Need, r.BestDrop.Total)
				}
			}
			drops = append(drops, *r.BestDrop)
		}
		if drops[0] != drops[1] {
			t.Errorf("best need to leave out: meilisearch %+v, postgres %+v", drops[0], drops[1])
		}
	})
	t.Run("a text that finds nothing", func(t *testing.T) {
		// Further from "grief" than typos reach.
		q := d.parse(t, "q="+url.QueryEscape("gryeef")+"&lang=en")
		without := d.parse(t, "lang=en")
		var similar [][]string
		var closeIDs [][]string
		for _, e := range d.engines() {
			r := all(t, e, q).first
			if r.Total != 0 {
				t.Fatalf("%s: precondition: %q finds %d", e.Name(), q.Text, r.Total)
			}
			want := all(t, e, without)
			if r.WithoutText == nil || *r.WithoutText != want.first.Total {
				t.Errorf("%s: without the text %v, want %d", e.Name(), r.WithoutText, want.first.Total)
			}
			if got, want := hitIDs(r.CloseMatches), want.ids()[:maxCloseMatches]; !slices.Equal(got, want) {
				t.Errorf("%s: close matches are not the search without its text", e.Name())
			}
			similar = append(similar, r.Similar)
			closeIDs = append(closeIDs, hitIDs(r.CloseMatches))
		}
		if !slices.Equal(similar[0], similar[1]) || !slices.Equal(closeIDs[0], closeIDs[1]) {
			t.Errorf("similar words: meilisearch %q, postgres %q; close matches equal: %v", similar[0], similar[1],
				slices.Equal(closeIDs[0], closeIDs[1]))
		}
		if !slices.Contains(similar[0], "grief") {
			t.Errorf("no similar words offered for %q", q.Text)
		}
		for _, text := range similar[0] {
			for _, e := range d.engines() {
				n := q
				n.Text = text
				if all(t, e, n).first.Total == 0 {
					t.Errorf("%s: the similar text %q finds nothing", e.Name(), text)
				}
			}
		}
	})
}

// TestPreferredLanguageFirst checks that groups meeting in the preferred
// language come first, in both engines, in the same order without text, and
// that a text search in English puts an English-speaking group first.
func TestPreferredLanguageFirst(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, raw := range []string{"prefer_lang=es&per_page=40", "prefer_lang=en&need=cost.free&per_page=40", "prefer_lang=es&q=grief"} {
		t.Run(raw, func(t *testing.T) {
			q := d.parse(t, raw)
			var firsts [][]string
			for _, e := range d.engines() {
				r := all(t, e, q)
				seenOther := false
				for _, h := range r.hits {
					meets := slices.Contains(h.Languages, q.PreferLang)
					if meets && seenOther {
						t.Errorf("%s: %s meets in %s but comes after a group that does not", e.Name(), d.slug(h.ID), q.PreferLang)
					}
					seenOther = seenOther || !meets
				}
				firsts = append(firsts, hitIDs(r.first.Hits))
			}
			if q.Text == "" && !slices.Equal(firsts[0], firsts[1]) {
				missing, extra := d.diff(firsts[0], firsts[1])
				t.Errorf("first page differs: only meilisearch %v, only postgres %v", missing, extra)
			}
		})
	}
	for _, e := range d.engines() {
		r := all(t, e, d.parse(t, "q=grief&prefer_lang=en")).first
		if len(r.Hits) == 0 || !slices.Contains(r.Hits[0].Languages, "en") {
			t.Errorf("%s: grief in English first finds %v", e.Name(), hitIDs(r.Hits[:min(1, len(r.Hits))]))
		}
	}
}

// TestGroupedByPlace checks that with no place chosen the first page holds
// the first listings of each city and of the online-only ones, the same in
// both engines, and never a listing of another place.
func TestGroupedByPlace(t *testing.T) {
	t.Parallel()
	d := demo(t)
	for _, raw := range []string{"", "need=cost.free", "lang=es&prefer_lang=es"} {
		t.Run(raw, func(t *testing.T) {
			q := d.parse(t, raw)
			var shapes [][]string
			for _, e := range d.engines() {
				r := all(t, e, q).first
				if len(r.Places) < 2 {
					t.Fatalf("%s: %d places", e.Name(), len(r.Places))
				}
				var shape []string
				sum := 0
				for _, p := range r.Places {
					sum += p.Total
					for _, h := range p.Hits {
						doc := d.docs[h.ID]
						if p.OnlineOnly != doc.OnlineOnly || !p.OnlineOnly && doc.City != p.City {
							t.Errorf("%s: %s (%s, online only %v) is under %q", e.Name(), doc.Slug, doc.City, doc.OnlineOnly, p.City)
						}
						shape = append(shape, p.City+"/"+doc.Slug)
					}
				}
				if sum != r.Total {
					t.Errorf("%s: places hold %d of %d", e.Name(), sum, r.Total)
				}
				if !r.Places[len(r.Places)-1].OnlineOnly {
					t.Errorf("%s: online-only groups do not come last, on their own", e.Name())
				}
				shapes = append(shapes, shape)
			}
			if !slices.Equal(shapes[0], shapes[1]) {
				t.Errorf("places differ:\n meilisearch %v\n postgres    %v", shapes[0], shapes[1])
			}
		})
	}
	for _, raw := range []string{"city=Madrid", "city=online", "near=41.8781,-87.6298", "page=2&per_page=20"} {
		r, err := d.pg.Search(t.Context(), d.parse(t, raw))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Places) != 0 {
			t.Errorf("%s: grouped by place although a place was chosen (or past the first page)", raw)
		}
	}
}
