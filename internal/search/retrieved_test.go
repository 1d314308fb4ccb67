package search

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

// TestHitNeedsOnlyRetrievedFields builds hits from whole documents and from the
// same documents cut down to the fields Meilisearch is asked to send back: they
// must be equal, or a hit would lose something when Meilisearch answers.
func TestHitNeedsOnlyRetrievedFields(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	full := Document{
		ID: "id-1", Slug: "grief-circle", Name: "Grief circle", Summary: "A peer circle", Description: "Long text",
		WhatToExpect: "Tea first", Organization: "Neighbours", TextLang: "es", City: "Madrid", Region: "Madrid",
		Neighbourhood: "Lavapiés", TagLabels: []string{"Free"}, TagsYes: []string{"cost.free"},
		TagsPartly: []string{"access.step-free"}, TagsOffered: []string{"cost.free", "access.step-free"},
		TagsNo: []string{"care.childcare"}, Languages: []string{"es", "en"}, Modes: []string{"in_person", "online"},
		Days: []string{"tue"}, Times: []string{"evening"}, Slots: []string{"tue-evening"}, NextAt: ptr(now.Add(48 * time.Hour).Unix()),
		TimeZone: "Europe/Madrid", ConfirmedAt: now.Add(-24 * time.Hour).Unix(), ConfirmedBy: "organizer", Paused: true,
		UpdatedAt: now.Unix(), SortKey: "grief circle id-1", Geo: &Geo{Lat: 40.41, Lng: -3.70},
	}
	cut := cutTo(t, full, retrieved)
	s := NewSearcher(nil, directory.Thresholds{AgingAfter: 90 * 24 * time.Hour, StaleAfter: 365 * 24 * time.Hour},
		func() time.Time { return now })
	q := Query{Needs: []string{"cost.free", "access.step-free", "care.childcare"}, Near: &Point{Lat: 40.42, Lng: -3.71}}
	if got, want := s.hit(cut, q, now), s.hit(full, q, now); !reflect.DeepEqual(got, want) {
		t.Errorf("hit from the retrieved fields\n%+v\ndiffers from the hit of the whole document\n%+v", got, want)
	}
	for _, need := range q.Needs {
		if got, want := lackOf(cut, need, false), lackOf(full, need, false); !reflect.DeepEqual(got, want) {
			t.Errorf("what %s lacks: %+v from the retrieved fields, %+v from the whole document", need, got, want)
		}
	}
}

// TestCloseMatchesRankOnRankingFields: Meilisearch is asked for exactly the
// fields a candidate holds (ranking), and a document sent back cut to them
// decodes into the candidate of the whole document.
func TestCloseMatchesRankOnRankingFields(t *testing.T) {
	var fields []string
	ct := reflect.TypeFor[candidate]()
	for i := range ct.NumField() {
		fields = append(fields, ct.Field(i).Tag.Get("json"))
	}
	if !reflect.DeepEqual(fields, ranking) {
		t.Fatalf("a candidate holds %v; Meilisearch is asked for %v", fields, ranking)
	}
	d := Document{ID: "id-1", Slug: "group", Name: "Group", TagsYes: []string{"cost.free"},
		TagsPartly: []string{"access.step-free"}, TagsNo: []string{"care.childcare"}, Languages: []string{"es"}}
	raw, err := json.Marshal(cutTo(t, d, ranking))
	if err != nil {
		t.Fatal(err)
	}
	var got candidate
	if err := decodeJSON(raw, &got); err != nil {
		t.Fatal(err)
	}
	if want := (candidate{ID: d.ID, TagsYes: d.TagsYes, TagsPartly: d.TagsPartly}); !reflect.DeepEqual(got, want) {
		t.Errorf("candidate %+v, want %+v", got, want)
	}
}

// TestClosestRanks: most needs met first, then most met in part, then the
// order the candidates came in; NotAll leaves out those meeting every need.
func TestClosestRanks(t *testing.T) {
	needs := []string{"a", "b", "c"}
	cands := []candidate{
		{ID: "none"},
		{ID: "a", TagsYes: []string{"a"}},
		{ID: "a+b~c", TagsYes: []string{"a", "b"}, TagsPartly: []string{"c"}},
		{ID: "all", TagsYes: needs},
		{ID: "a~b", TagsYes: []string{"a"}, TagsPartly: []string{"b"}},
		{ID: "a+b", TagsYes: []string{"a", "b"}},
		{ID: "~a~b~c", TagsPartly: needs},
	}
	ids := func(cs []candidate) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.ID
		}
		return out
	}
	for _, c := range []struct {
		sp   Spec
		want []string
	}{
		{Spec{CloseTo: needs, NotAll: true, Limit: 4}, []string{"a+b~c", "a+b", "a~b", "a"}},
		{Spec{CloseTo: needs, Limit: 2}, []string{"all", "a+b~c"}},
		// Partly: a need met in part counts as met.
		{Spec{CloseTo: needs, Partly: true, NotAll: true, Limit: 3}, []string{"a~b", "a+b", "a"}},
		{Spec{CloseTo: needs[2:], Limit: 3}, []string{"all", "a+b~c", "~a~b~c"}},
	} {
		if got := ids(closest(c.sp, cands)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: ranked %v, want %v", c.sp, got, c.want)
		}
	}
}

// cutTo is d as Meilisearch sends it back when asked for fields only.
func cutTo(t *testing.T, d Document, fields []string) Document {
	t.Helper()
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	kept := map[string]json.RawMessage{}
	for _, f := range fields {
		v, ok := all[f]
		if !ok {
			t.Fatalf("field %q is not a document field", f)
		}
		kept[f] = v
	}
	raw, _ = json.Marshal(kept)
	var cut Document
	if err := json.Unmarshal(raw, &cut); err != nil {
		t.Fatal(err)
	}
	return cut
}
