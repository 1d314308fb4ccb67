package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// MeiliBackend answers Specs from a Meilisearch index: every Spec of a Find in
// one multi-search request and, when one asks for close matches, their whole
// documents in a second; the backend's deadline bounds the two together.
type MeiliBackend struct {
	client  meilisearch.ServiceManager
	uid     string
	timeout time.Duration
}

// NewMeiliBackend searches the index uid, each Find bounded by timeout.
func NewMeiliBackend(client meilisearch.ServiceManager, uid string, timeout time.Duration) *MeiliBackend {
	return &MeiliBackend{client: client, uid: uid, timeout: timeout}
}

// Name is the engine name results report.
func (b *MeiliBackend) Name() string { return "meilisearch" }

// needsField is the field a Spec's needs are matched and counted in: the needs
// met fully, or met at least partly when partial matches are welcome.
func needsField(s Spec) string {
	if s.Partly {
		return "tags_offered"
	}
	return "tags_yes"
}

// retrieved are the document fields a Hit is made of (see Searcher.hit and
// missingValue): the rest are only searched, filtered or sorted on, and sending
// them back costs Meilisearch and this process time on every search.
var retrieved = []string{"id", "slug", "name", "summary", "organization", "text_lang", "city", "neighbourhood",
	"languages", "modes", "tags_yes", "tags_partly", "tags_no", "next_at", "time_zone", "confirmed_at",
	"confirmed_by", "paused", "_geo"}

// ranking are the fields closest ranks close-match candidates by, those of a
// candidate. A thousand candidates with every retrieved field made an answer
// of 685 kB, which took Meilisearch 41 ms of CPU; with these it is 193 kB and
// 34 ms (make bench). The few ranked first are then fetched whole
// (wholeDocuments).
var ranking = []string{"id", "tags_yes", "tags_partly"}

// candidate is a close-match candidate as Meilisearch sends it: what closest
// ranks it by.
type candidate struct {
	ID         string   `json:"id"`
	TagsYes    []string `json:"tags_yes"`
	TagsPartly []string `json:"tags_partly"`
}

// Find runs every spec in one request; the answers come back in spec order.
// Close matches take a second request, for the ranked listings' fields.
func (b *MeiliBackend) Find(ctx context.Context, specs []Spec) ([]Found, error) {
	if len(specs) == 0 {
		return []Found{}, nil
	}
	req := &meilisearch.MultiSearchRequest{Queries: make([]*meilisearch.SearchRequest, len(specs))}
	for i, s := range specs {
		req.Queries[i] = b.request(s)
	}
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	resp, err := b.client.MultiSearchWithContext(ctx, req)
	if err != nil {
		return nil, searchError(ctx, b.uid, err)
	}
	if len(resp.Results) != len(specs) {
		return nil, fmt.Errorf("meilisearch search %s: %d answers to %d queries", b.uid, len(resp.Results), len(specs))
	}
	out := make([]Found, len(specs))
	for i, r := range resp.Results {
		if out[i], err = found(specs[i], r); err != nil {
			return nil, fmt.Errorf("meilisearch search %s: %w", b.uid, err)
		}
	}
	if err := b.wholeDocuments(ctx, specs, out); err != nil {
		return nil, err
	}
	return out, nil
}

// wholeDocuments replaces the ranked close matches, which came with only the
// ranking fields, by their whole documents, in the same order. A listing
// removed from the index in between is left out.
func (b *MeiliBackend) wholeDocuments(ctx context.Context, specs []Spec, out []Found) error {
	var ids []string
	for i, s := range specs {
		if len(s.CloseTo) > 0 {
			for _, d := range out[i].Docs {
				ids = append(ids, d.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var resp meilisearch.DocumentsResult
	err := b.client.Index(b.uid).GetDocumentsWithContext(ctx, &meilisearch.DocumentsQuery{
		Ids: ids, Limit: int64(len(ids)), Fields: retrieved}, &resp)
	if err != nil {
		return searchError(ctx, b.uid, err)
	}
	fetched, err := decodeHits[Document](resp.Results, len(ids))
	if err != nil {
		return fmt.Errorf("meilisearch search %s: %w", b.uid, err)
	}
	whole := make(map[string]Document, len(fetched))
	for _, d := range fetched {
		whole[d.ID] = d
	}
	for i, s := range specs {
		if len(s.CloseTo) == 0 {
			continue
		}
		docs := out[i].Docs[:0]
		for _, d := range out[i].Docs {
			if w, ok := whole[d.ID]; ok {
				docs = append(docs, w)
			}
		}
		out[i].Docs = docs
	}
	return nil
}

func (b *MeiliBackend) request(s Spec) *meilisearch.SearchRequest {
	r := &meilisearch.SearchRequest{
		IndexUID: b.uid,
		Query:    s.Text,
		Filter:   meiliFilter(s),
		Sort:     meiliSort(s),
		// Every word must match, as in the fallback: a person who writes "grief
		// circle" does not want every circle.
		MatchingStrategy:     meilisearch.All,
		Offset:               int64(max(s.Offset, 0)),
		Limit:                int64(s.Limit),
		AttributesToRetrieve: retrieved,
	}
	if len(s.CloseTo) > 0 {
		// Meilisearch cannot rank by needs met: it sends the candidates, and
		// found ranks them (closest).
		r.Offset, r.Limit, r.AttributesToRetrieve = 0, int64(s.CloseAmong), ranking
	}
	if s.Limit <= 0 {
		// The client leaves out a zero limit, which Meilisearch reads as 20;
		// zero hits per page asks for the count alone.
		r.Limit, r.HitsPerPage = 0, new(int64)
	}
	if s.Facets {
		// Only the tag field the search counts in: every facet is counted over
		// the whole match set, and the tag fields are the largest.
		r.Facets = []string{needsField(s), "languages", "modes", "city", "online_only"}
	}
	return r
}

// meiliFilter is the filter expression of a Spec. Every value is quoted; city is
// free text.
func meiliFilter(s Spec) string {
	needs := needsField(s)
	var and []string
	for _, n := range s.Needs {
		and = append(and, needs+" = "+quote(n))
	}
	for _, choice := range []struct {
		field  string
		values []string
	}{{"tags_offered", s.NeedsAny}, {"languages", s.Languages}, {"modes", s.Modes}, {"days", s.Days}, {"times", s.Times}, {"slots", s.Slots}} {
		if len(choice.values) == 0 {
			continue
		}
		quoted := make([]string, len(choice.values))
		for i, v := range choice.values {
			quoted[i] = quote(v)
		}
		and = append(and, choice.field+" IN ["+strings.Join(quoted, ", ")+"]")
	}
	and = append(and, "paused = false", "confirmed_at >= "+strconv.FormatInt(s.ConfirmedSince, 10))
	if s.Near != nil && s.RadiusKm > 0 {
		and = append(and, fmt.Sprintf("(_geoRadius(%s, %s, %s) OR online_only = true)",
			number(s.Near.Lat), number(s.Near.Lng), number(s.RadiusKm*1000)))
	}
	switch {
	case s.City != "" && s.WithPlace:
		and = append(and, "city = "+quote(s.City))
	case s.City != "":
		and = append(and, "(city = "+quote(s.City)+" OR online_only = true)")
	}
	switch {
	case s.OnlineOnly:
		and = append(and, "online_only = true")
	case s.WithPlace:
		and = append(and, "online_only = false")
	}
	return strings.Join(and, " AND ")
}

var filterEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func quote(v string) string { return `"` + filterEscaper.Replace(v) + `"` }

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// meiliSort orders by the Spec's sort, then listings meeting in the preferred
// language. Without text, sort_key follows, so ties (and everything, where
// relevance says nothing) come in the same order from both engines. With text,
// relevance decides after the sort: the index ranks "sort" first, as the
// fallback orders. Documents without the sorted field (online-only ones for
// distance, paused ones for soonest, those not meeting in the language) come
// after those with it.
func meiliSort(s Spec) []string {
	var out []string
	switch s.Sort {
	case ByDistance:
		if s.Near != nil {
			out = append(out, fmt.Sprintf("_geoPoint(%s, %s):asc", number(s.Near.Lat), number(s.Near.Lng)))
		}
	case BySoonest:
		out = append(out, "next_at:asc")
	case ByRecentlyConfirmed:
		out = append(out, "confirmed_at:desc")
	}
	if s.PreferLang != "" {
		out = append(out, "meets_in."+s.PreferLang+":desc")
	}
	if s.Text == "" {
		out = append(out, "sort_key:asc")
	}
	return out
}

func found(s Spec, r meilisearch.SearchResponse) (f Found, err error) {
	f.Total = int(max(r.EstimatedTotalHits, r.TotalHits))
	// Room for as many as can have come, so up to a thousand close-match
	// candidates are not copied over and over as the slice grows.
	room := min(max(s.Limit, s.CloseAmong), f.Total-s.Offset)
	if len(s.CloseTo) > 0 {
		// Candidates come with the ranking fields only, decoded into what
		// closest reads rather than a thousand whole Documents; the ranked ones
		// are fetched whole (wholeDocuments).
		cands, err := decodeHits[candidate](r.Hits, room)
		if err != nil {
			return Found{}, err
		}
		ranked := closest(s, cands)
		f.Total, f.Docs = len(cands), make([]Document, len(ranked))
		for i, c := range ranked {
			f.Docs[i] = Document{ID: c.ID, TagsYes: c.TagsYes, TagsPartly: c.TagsPartly}
		}
	} else if f.Docs, err = decodeHits[Document](r.Hits, room); err != nil {
		return Found{}, err
	}
	if f.Docs == nil {
		f.Docs = []Document{}
	}
	if !s.Facets {
		return f, nil
	}
	var dist map[string]map[string]int
	if len(r.FacetDistribution) > 0 {
		if err := decodeJSON(r.FacetDistribution, &dist); err != nil {
			return Found{}, fmt.Errorf("decode facets: %w", err)
		}
	}
	f.Facets = Facets{Tags: counts(dist[needsField(s)]), Languages: counts(dist["languages"]), Modes: counts(dist["modes"]),
		Cities: counts(dist["city"]), OnlineOnly: dist["online_only"]["true"]}
	delete(f.Facets.Cities, "")
	return f, nil
}

// decodeHits decodes hits into Documents or candidates, with room for up to
// room. The hits NewClient's unmarshalAnswer kept as one raw array are decoded
// once, straight into them; any other client decoded them into maps of raw
// fields, each decoded again here.
func decodeHits[T Document | candidate](hits meilisearch.Hits, room int) ([]T, error) {
	if raw, ok := rawHits(hits); ok {
		out := make([]T, 0, max(0, room))
		if err := decodeJSON(raw, &out); err != nil {
			return nil, fmt.Errorf("decode hits: %w", err)
		}
		return out, nil
	}
	out := make([]T, 0, len(hits))
	for _, h := range hits {
		var v T
		if err := h.DecodeInto(&v); err != nil {
			return nil, fmt.Errorf("decode hit: %w", err)
		}
		out = append(out, v)
	}
	return out, nil
}

// splitHits turns hits that unmarshalAnswer kept as one raw array back into
// one Hit per document, for code that reads them a field at a time.
func splitHits(hits meilisearch.Hits) (meilisearch.Hits, error) {
	raw, ok := rawHits(hits)
	if !ok {
		return hits, nil
	}
	var split meilisearch.Hits
	if err := decodeJSON(raw, &split); err != nil {
		return nil, fmt.Errorf("decode hits: %w", err)
	}
	return split, nil
}

// rawHits is the whole hits array unmarshalAnswer kept, if it did.
func rawHits(h meilisearch.Hits) (json.RawMessage, bool) {
	if len(h) != 1 || len(h[0]) != 1 {
		return nil, false
	}
	raw, ok := h[0][rawHitsKey]
	return raw, ok
}

func counts(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// searchError says why a search failed without the request itself: the client's
// errors quote it, and it holds what a person searched for, which logs must not.
func searchError(ctx context.Context, uid string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("meilisearch search %s: %w", uid, cerr)
	}
	if me, ok := errors.AsType[*meilisearch.Error](err); ok {
		if me.OriginError != nil {
			return fmt.Errorf("meilisearch search %s: status %d, code %q: %w", uid, me.StatusCode,
				me.MeilisearchApiError.Code, me.OriginError)
		}
		return fmt.Errorf("meilisearch search %s: status %d, code %q", uid, me.StatusCode, me.MeilisearchApiError.Code)
	}
	return fmt.Errorf("meilisearch search %s: %w", uid, err)
}
