package search

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/meilisearch/meilisearch-go"
)

// NewClient returns a Meilisearch client whose every call is bounded by timeout.
//
// It does not ask for gzip: on loopback or a LAN compression saves nothing, and
// Meilisearch's compressed answers on a kept-alive connection stalled about 40 ms
// each (measured by make bench), which was most of a search's time.
func NewClient(url, apiKey string, timeout time.Duration) meilisearch.ServiceManager {
	return meilisearch.New(url,
		meilisearch.WithAPIKey(apiKey),
		meilisearch.WithCustomJsonUnmarshaler(unmarshalAnswer),
		meilisearch.WithCustomJsonMarshaler(marshalRequest),
		meilisearch.WithCustomClient(&http.Client{Timeout: timeout, Transport: Transport()}),
		meilisearch.DisableRetries())
}

// Transport is the HTTP transport NewClient's client talks to Meilisearch
// through: no gzip, and enough kept-alive connections for every search in
// flight.
func Transport() *http.Transport {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DisableCompression = true
	transport.MaxIdleConnsPerHost = 64
	return transport
}

// Ping reports whether Meilisearch answers and says it is available.
func Ping(ctx context.Context, c meilisearch.ServiceManager) error {
	_, err := c.HealthWithContext(ctx)
	return err
}

// rawHitsKey is the one key of the one Hit unmarshalAnswer leaves in a
// multi-search result: its value is the result's whole "hits" array, as
// Meilisearch sent it. No document field can have this name.
const rawHitsKey = "\x00hits"

// decodeJSON decodes Meilisearch's search answers: goccy/go-json decodes the
// hits into Documents 3–7× faster than encoding/json (BenchmarkDecodeMultiSearch).
var decodeJSON = gojson.Unmarshal

// marshalRequest encodes what the client sends: a search with goccy/go-json,
// which writes the same bytes in a fraction of encoding/json's time (3% of the
// API's CPU went to encoding searches; make bench's profile), and the rest,
// documents and settings, with encoding/json, whose output Document's own
// MarshalJSON is written for.
func marshalRequest(v any) ([]byte, error) {
	if r, ok := v.(*meilisearch.MultiSearchRequest); ok {
		return gojson.Marshal(r)
	}
	return json.Marshal(v)
}

// unmarshalAnswer decodes Meilisearch's answers as the client would, except a
// multi-search's: meilisearch-go decodes every hit into a map of raw fields,
// which MeiliBackend then decoded field by field into a Document, so every
// hit was parsed twice (about a third of the API's CPU, measured by make
// bench). Here each result keeps its hits as one raw array (see rawHitsKey),
// which found decodes once, straight into Documents.
func unmarshalAnswer(data []byte, v any) error {
	switch r := v.(type) {
	case *meilisearch.MultiSearchResponse:
		return unmarshalMultiSearch(data, r)
	case *meilisearch.DocumentsResult:
		return unmarshalDocuments(data, r)
	}
	return json.Unmarshal(data, v)
}

// unmarshalDocuments decodes an answer of documents fetched by id as
// unmarshalMultiSearch does a search's: the documents stay one raw array, which
// wholeDocuments decodes once, straight into Documents (it was 12% of the
// API's CPU decoded twice with encoding/json; make bench's profile).
func unmarshalDocuments(data []byte, r *meilisearch.DocumentsResult) error {
	var answer struct {
		Results json.RawMessage `json:"results"`
		Limit   int64           `json:"limit"`
		Offset  int64           `json:"offset"`
		Total   int64           `json:"total"`
	}
	if err := decodeJSON(data, &answer); err != nil {
		return err
	}
	*r = meilisearch.DocumentsResult{Limit: answer.Limit, Offset: answer.Offset, Total: answer.Total}
	if len(answer.Results) > 0 {
		r.Results = meilisearch.Hits{{rawHitsKey: answer.Results}}
	}
	return nil
}

// unmarshalMultiSearch keeps each result's hits as one raw array (see
// unmarshalAnswer).
func unmarshalMultiSearch(data []byte, r *meilisearch.MultiSearchResponse) error {
	var answer struct {
		Results []struct {
			Hits               json.RawMessage `json:"hits"`
			EstimatedTotalHits int64           `json:"estimatedTotalHits"`
			Offset             int64           `json:"offset"`
			Limit              int64           `json:"limit"`
			ProcessingTimeMs   int64           `json:"processingTimeMs"`
			Query              string          `json:"query"`
			FacetDistribution  json.RawMessage `json:"facetDistribution"`
			TotalHits          int64           `json:"totalHits"`
			HitsPerPage        int64           `json:"hitsPerPage"`
			Page               int64           `json:"page"`
			TotalPages         int64           `json:"totalPages"`
			IndexUID           string          `json:"indexUid"`
		} `json:"results"`
	}
	if err := decodeJSON(data, &answer); err != nil {
		return err
	}
	r.Results = make([]meilisearch.SearchResponse, len(answer.Results))
	for i, a := range answer.Results {
		r.Results[i] = meilisearch.SearchResponse{EstimatedTotalHits: a.EstimatedTotalHits, Offset: a.Offset,
			Limit: a.Limit, ProcessingTimeMs: a.ProcessingTimeMs, Query: a.Query, FacetDistribution: a.FacetDistribution,
			TotalHits: a.TotalHits, HitsPerPage: a.HitsPerPage, Page: a.Page, TotalPages: a.TotalPages, IndexUID: a.IndexUID}
		if len(a.Hits) > 0 {
			r.Results[i].Hits = meilisearch.Hits{{rawHitsKey: a.Hits}}
		}
	}
	return nil
}
