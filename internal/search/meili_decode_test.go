package search

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/meilisearch/meilisearch-go"
)

// multiSearchAnswer is a multi-search answer shaped like the API's: a page of
// 20 hits with facets, then two close-match counts.
func multiSearchAnswer(t testing.TB) []byte {
	t.Helper()
	next := int64(1764500000)
	var hits []map[string]any
	for i := range 20 {
		d := Document{ID: fmt.Sprintf("0190c3a0-0000-7000-8000-%012d", i), Slug: fmt.Sprintf("grief-circle-%d", i),
			Name: "Grief circle " + fmt.Sprint(i), Summary: "A peer circle for grief and loss, every week in the library",
			Organization: "Friends of the library", TextLang: "en", City: "Chicago", Neighbourhood: "Loop",
			Languages: []string{"en", "es"}, Modes: []string{"in_person"},
			TagsYes: []string{"cost.free", "care.childcare", "access.step-free"}, TagsPartly: []string{"transit.near-stop"},
			TagsNo: []string{"digital.chat-ok"}, NextAt: &next, TimeZone: "America/Chicago", ConfirmedAt: 1764000000,
			ConfirmedBy: "organizer", Geo: &Geo{Lat: 41.88 + float64(i)/100, Lng: -87.63}}
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var h map[string]any
		if err := json.Unmarshal(raw, &h); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"description", "what_to_expect", "region", "tag_labels", "tags_offered", "online_only",
			"days", "times", "slots", "updated_at", "sort_key", "meets_in"} {
			delete(h, k) // not in retrieved
		}
		h["_geoDistance"] = 1200 + i
		hits = append(hits, h)
	}
	answer := map[string]any{"results": []map[string]any{
		{"indexUid": "listings", "hits": hits, "query": "grief", "processingTimeMs": 3, "limit": 20, "offset": 0,
			"estimatedTotalHits": 1234, "facetDistribution": map[string]map[string]int{
				"tags_yes": {"cost.free": 900, "care.childcare": 300}, "languages": {"en": 1000, "es": 400},
				"modes": {"in_person": 1100}, "city": {"Chicago": 1200}, "online_only": {"false": 1200, "true": 34}}},
		{"indexUid": "listings", "hits": []any{}, "query": "grief", "processingTimeMs": 1, "hitsPerPage": 0, "page": 1, "totalHits": 77},
		{"indexUid": "listings", "hits": []any{}, "query": "grief", "processingTimeMs": 1, "hitsPerPage": 0, "page": 1, "totalHits": 12},
	}}
	raw, err := json.Marshal(answer)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

var decodeSpecs = []Spec{{Text: "grief", Limit: 20, Facets: true}, {Text: "grief"}, {Text: "grief"}}

// TestUnmarshalAnswerDecodesAsTheClient: decoding each hit once gives the very
// documents, totals and facets meilisearch-go's own decoding gave.
func TestUnmarshalAnswerDecodesAsTheClient(t *testing.T) {
	raw := multiSearchAnswer(t)
	var plain, once meilisearch.MultiSearchResponse
	if err := json.Unmarshal(raw, &plain); err != nil {
		t.Fatal(err)
	}
	if err := unmarshalAnswer(raw, &once); err != nil {
		t.Fatal(err)
	}
	if _, ok := rawHits(plain.Results[0].Hits); ok {
		t.Fatal("the client's own decoding looks like unmarshalAnswer's")
	}
	if _, ok := rawHits(once.Results[0].Hits); !ok {
		t.Fatal("unmarshalAnswer did not keep the hits whole")
	}
	for i, s := range decodeSpecs {
		want, err := found(s, plain.Results[i])
		if err != nil {
			t.Fatal(err)
		}
		got, err := found(s, once.Results[i])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("result %d decoded once:\n%+v\nwant\n%+v", i, got, want)
		}
	}
	if got, err := found(decodeSpecs[0], once.Results[0]); err != nil || len(got.Docs) != 20 || got.Total != 1234 ||
		got.Docs[3].Geo == nil || got.Facets.Languages["es"] != 400 {
		t.Errorf("decoded %d docs, total %d, err %v; want 20 docs of 1234 with places and facets", len(got.Docs), got.Total, err)
	}
	var other struct{ A int }
	if err := unmarshalAnswer([]byte(`{"A": 3}`), &other); err != nil || other.A != 3 {
		t.Errorf("other answers: %+v, %v", other, err)
	}
}

// BenchmarkDecodeMultiSearch compares meilisearch-go's decoding of a
// multi-search answer, then each hit field by field, with unmarshalAnswer's.
func BenchmarkDecodeMultiSearch(b *testing.B) {
	raw := multiSearchAnswer(b)
	for _, c := range []struct {
		name string
		fn   func([]byte, any) error
		dec  func([]byte, any) error
	}{{"client", json.Unmarshal, json.Unmarshal}, {"once-encoding-json", unmarshalAnswer, json.Unmarshal}, {"once-goccy", unmarshalAnswer, gojson.Unmarshal}} {
		b.Run(c.name, func(b *testing.B) {
			defer func(was func([]byte, any) error) { decodeJSON = was }(decodeJSON)
			decodeJSON = c.dec
			b.ReportAllocs()
			for b.Loop() {
				var r meilisearch.MultiSearchResponse
				if err := c.fn(raw, &r); err != nil {
					b.Fatal(err)
				}
				for i, s := range decodeSpecs {
					if _, err := found(s, r.Results[i]); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
