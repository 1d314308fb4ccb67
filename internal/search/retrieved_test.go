package search

import (
	"encoding/json"
	"fmt"
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

// TestCloseMatchesRankOnRankingFields ranks candidates cut down to the fields
// Meilisearch sends for close-match candidates (ranking) and the whole
// documents: the same listings must come first, in the same order.
func TestCloseMatchesRankOnRankingFields(t *testing.T) {
	needs := []string{"cost.free", "access.step-free", "care.childcare"}
	tags := [][]string{nil, {"cost.free"}, {"access.step-free"}, {"cost.free", "care.childcare"}, needs}
	var whole, cut []Document
	for i := range 40 {
		// Every field differs from one document to the next, so ranking on
		// any field but the ranking ones would rank the cut documents apart.
		id := string(rune('a'+i%26)) + string(rune('0'+i/26))
		d := Document{ID: id, Slug: "group-" + id, Name: "Group " + id, Summary: "text " + id,
			Organization: "org " + id, City: []string{"Madrid", "Quito", "Lima"}[i%3],
			Languages: [][]string{{"es"}, {"en"}, {"es", "en"}}[i%3], Modes: [][]string{{"online"}, {"in_person"}}[i%2],
			TagsYes: tags[i%len(tags)], TagsPartly: tags[(i/3)%len(tags)], TagsNo: tags[(i/7)%len(tags)],
			NextAt: ptr(int64(1_800_000_000 - i*3600)), ConfirmedAt: int64(1_700_000_000 + i*97%40*3600),
			SortKey: fmt.Sprintf("%02d", 39-i), Geo: &Geo{Lat: float64(i%7) - 3, Lng: float64(i%11) - 5}}
		whole, cut = append(whole, d), append(cut, cutTo(t, d, ranking))
	}
	ids := func(docs []Document) []string {
		out := make([]string, len(docs))
		for i, d := range docs {
			out[i] = d.ID
		}
		return out
	}
	for _, sp := range []Spec{
		{CloseTo: needs, NotAll: true, Limit: 10},
		{CloseTo: needs, Partly: true, Limit: 10},
		{CloseTo: needs[:1], Limit: 5},
	} {
		if got, want := ids(closest(sp, cut)), ids(closest(sp, whole)); !reflect.DeepEqual(got, want) || len(want) == 0 {
			t.Errorf("%+v: ranked on the ranking fields %v, on whole documents %v", sp, got, want)
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
