package search

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

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

// TestUnmarshalDocumentsDecodesAsTheClient: documents fetched by id, kept as
// one raw array, decode to the very Documents the client's own decoding gave,
// and split back into the same hits for code that reads them field by field.
func TestUnmarshalDocumentsDecodesAsTheClient(t *testing.T) {
	var search map[string][]map[string]json.RawMessage
	if err := json.Unmarshal(multiSearchAnswer(t), &search); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(map[string]any{"results": search["results"][0]["hits"], "limit": 20, "offset": 0, "total": 97979})
	if err != nil {
		t.Fatal(err)
	}
	var plain, once meilisearch.DocumentsResult
	if err := json.Unmarshal(raw, &plain); err != nil {
		t.Fatal(err)
	}
	if err := unmarshalAnswer(raw, &once); err != nil {
		t.Fatal(err)
	}
	if _, ok := rawHits(once.Results); !ok || once.Total != 97979 || once.Limit != 20 {
		t.Fatalf("unmarshalAnswer kept %d hits whole: %v, total %d, limit %d", len(once.Results), ok, once.Total, once.Limit)
	}
	want, err := decodeHits[Document](plain.Results, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeHits[Document](once.Results, len(want))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 20 || !reflect.DeepEqual(got, want) {
		t.Errorf("documents decoded once:\n%+v\nwant the client's %d:\n%+v", got, len(want), want)
	}
	split, err := splitHits(once.Results)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(split, plain.Results) {
		t.Errorf("split hits differ from the client's:\n%v\nwant\n%v", split, plain.Results)
	}
	if same, err := splitHits(plain.Results); err != nil || !reflect.DeepEqual(same, plain.Results) {
		t.Errorf("hits decoded by the client were changed: %v", err)
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

// TestMarshalRequestWritesWhatEncodingJSONWrites: searches encoded with
// goccy/go-json are the very bytes encoding/json writes, escaping included.
func TestMarshalRequestWritesWhatEncodingJSONWrites(t *testing.T) {
	b := NewMeiliBackend(nil, "listings", time.Second)
	odd := "grief <b>&</b> \"niños\" \u2028 \\ café"
	specs := []Spec{
		{Text: odd, Limit: 20, Facets: true, City: `Coeur d"Alene`, Languages: []string{"en", "es"}, PreferLang: "es"},
		{Needs: []string{"cost.free", "care.childcare"}, Partly: true, Near: &Point{Lat: 41.88, Lng: -87.63}, RadiusKm: 2.5,
			Sort: ByDistance, Offset: 40, Limit: 20},
		{NeedsAny: []string{"cost.free"}, CloseTo: []string{"cost.free", "access.step-free"}, CloseAmong: 1000, NotAll: true,
			Limit: 10, Slots: []string{"tue-evening"}, OnlineOnly: true, ConfirmedSince: 1700000000},
		{Sort: BySoonest, Days: []string{"sat"}, Modes: []string{"online"}},
		{Sort: ByRecentlyConfirmed, WithPlace: true},
		{},
	}
	req := &meilisearch.MultiSearchRequest{}
	for _, s := range specs {
		req.Queries = append(req.Queries, b.request(s))
	}
	want, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := marshalRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("goccy wrote\n%s\nencoding/json\n%s", got, want)
	}
	other := map[string]any{"html": "<b>"}
	if got, _ := marshalRequest(other); string(got) != `{"html":"\u003cb\u003e"}` {
		t.Errorf("other requests: %s", got)
	}
}
