package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, b)
	}
	return v
}

// duelGroup is a Spanish-speaking grief circle in Chicago that meets in person
// on Tuesday evenings, is free and has childcare partly: it matches every
// filter of TestAPISearch's search, partial matches included.
func duelGroup(slug string) *directory.Listing {
	l := testenv.WeeklyGroup(slug, "cost.free")
	l.Name, l.Summary, l.TextLang, l.Languages = "Círculo de duelo", "Un espacio tranquilo para hablar de una pérdida.", "es", []string{"es"}
	l.Tags = append(l.Tags, directory.ListingTag{Tag: "care.childcare", Value: directory.Partly, Source: directory.ByOrganizer,
		ConfirmedAt: time.Now()})
	return l
}

func TestAPISearch(t *testing.T) {
	st := testenv.Store(t)
	listings := make([]*directory.Listing, 0, 46)
	for i := range 45 {
		listings = append(listings, duelGroup(fmt.Sprintf("circulo-de-duelo-%02d", i)))
	}
	// A close match: everything but childcare, which it has not reported.
	other := duelGroup("otro-circulo")
	other.Tags = other.Tags[:1]
	listings = append(listings, other)
	client, uid := indexListings(t, st, listings...)
	engine := recording(meiliEngine(t, client, uid))
	srv, _ := newTestServer(t, st, engine)

	const query = "/api/v1/listings?need=care.childcare&need=cost.free&include=partly&city=chicago" +
		"&lang=ES&day=tue&time=evening&mode=in_person&q=duelo&ui=es&utm_source=flyer"
	rec := do(srv, http.MethodGet, query, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	h := rec.Header()
	if h.Get("X-Search-Engine") != "meilisearch" || h.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("headers: %v", h)
	}
	asked := engine.asked()
	want := search.Query{Text: "duelo", Needs: []string{"care.childcare", "cost.free"}, Languages: []string{"es"},
		Modes: []directory.Mode{directory.InPerson}, Days: []string{"tue"}, Times: []string{"evening"},
		City: "Chicago", Sort: search.ByRelevance, IncludePartly: true, Page: 1, PerPage: 20}
	if len(asked) != 1 || !reflect.DeepEqual(asked[0], want) {
		t.Fatalf("engine asked %+v", asked)
	}

	body := decode[map[string]any](t, rec.Body.Bytes())
	for _, field := range []string{"engine", "total", "page", "per_page", "hits", "close_matches", "facets", "links"} {
		if _, ok := body[field]; !ok {
			t.Errorf("response lacks %s: %s", field, rec.Body)
		}
	}
	got := decode[searchResponse](t, rec.Body.Bytes())
	if got.Engine != "meilisearch" || got.Total != 45 || got.Page != 1 || got.PerPage != 20 || len(got.Hits) != 20 ||
		got.Facets.Tags["cost.free"] != 45 || got.Facets.Languages["es"] != 45 || got.Facets.Modes["in_person"] != 45 {
		t.Fatalf("body: %s", rec.Body)
	}
	for _, hit := range got.Hits {
		if !strings.HasPrefix(hit.Slug, "circulo-de-duelo-") || !reflect.DeepEqual(hit.NeedsPartly, []string{"care.childcare"}) ||
			!reflect.DeepEqual(hit.NeedsMet, []string{"cost.free"}) {
			t.Fatalf("hit: %+v", hit)
		}
	}
	// A full first page leaves no room for close matches.
	if len(got.CloseMatches) != 0 {
		t.Fatalf("close matches beside a full page: %+v", got.CloseMatches)
	}
	self := "https://belong.example/api/v1/listings?city=Chicago&day=tue&include=partly&lang=es&mode=in_person" +
		"&need=care.childcare&need=cost.free&per_page=20&q=duelo&time=evening"
	if got.Links.Self != self || got.Links.Prev != nil || got.Links.Next == nil || *got.Links.Next != strings.Replace(self, "per_page=20", "page=2&per_page=20", 1) {
		t.Fatalf("links: %+v", got.Links)
	}

	// On one page of 100 every match fits, and the close match follows, naming
	// the need it lacks.
	rec = do(srv, http.MethodGet, query+"&per_page=100", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("X-Search-Engine") != "meilisearch" {
		t.Fatalf("status %d %v: %s", rec.Code, rec.Header(), rec.Body)
	}
	want.PerPage = 100
	if asked := engine.asked(); len(asked) != 2 || !reflect.DeepEqual(asked[1], want) {
		t.Fatalf("engine asked %+v", asked)
	}
	got = decode[searchResponse](t, rec.Body.Bytes())
	if got.Total != 45 || len(got.Hits) != 45 || got.Hits[0].NeedsPartly[0] != "care.childcare" ||
		len(got.CloseMatches) != 1 || got.CloseMatches[0].Slug != "otro-circulo" ||
		!reflect.DeepEqual(got.CloseMatches[0].Lacking, []search.Lack{{Need: "care.childcare"}}) ||
		!reflect.DeepEqual(got.CloseMatches[0].NeedsMet, []string{"cost.free"}) || got.Facets.Tags["cost.free"] != 45 {
		t.Fatalf("body: %s", rec.Body)
	}
	if got.Links.Next != nil || got.Links.Prev != nil {
		t.Fatalf("links: %+v", got.Links)
	}
}

func TestAPISearchLinks(t *testing.T) {
	st := testenv.Store(t)
	listings := make([]*directory.Listing, 0, 45)
	for i := range 45 {
		listings = append(listings, testenv.WeeklyGroup(fmt.Sprintf("weekly-%02d", i), "cost.free"))
	}
	indexListings(t, st, listings...)
	srv, _ := newTestServer(t, st, postgresEngine(t, st))
	link := func(s *string) string {
		if s == nil {
			return "null"
		}
		u, err := url.Parse(*s)
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("page")
	}
	for _, c := range []struct{ query, next, prev string }{
		{"", "2", "null"},
		{"page=2", "3", ""}, // page 1 is written as no page at all
		{"page=3", "null", "2"},
	} {
		rec := do(srv, http.MethodGet, "/api/v1/listings?"+c.query, nil)
		got := decode[searchResponse](t, rec.Body.Bytes())
		if rec.Header().Get("X-Search-Engine") != "postgres" || got.Engine != "postgres" {
			t.Fatalf("the fallback must say it answered: %v", rec.Header())
		}
		if got.Total != 45 {
			t.Fatalf("%s: total %d, want 45", c.query, got.Total)
		}
		if link(got.Links.Next) != c.next || link(got.Links.Prev) != c.prev {
			t.Errorf("%s: next %v prev %v", c.query, link(got.Links.Next), link(got.Links.Prev))
		}
	}
	rec := do(srv, http.MethodGet, "/api/v1/listings?page=45&per_page=1", nil)
	if got := decode[searchResponse](t, rec.Body.Bytes()); got.Total != 45 || got.Links.Next != nil {
		t.Fatalf("no next link from the last page: %s", rec.Body)
	}
	// Past the end is not found, and says where the end is, as the page does.
	for _, query := range []string{"page=9", "page=2&per_page=100", "page=500&per_page=1"} {
		rec = do(srv, http.MethodGet, "/api/v1/listings?"+query, nil)
		p := decode[Problem](t, rec.Body.Bytes())
		if rec.Code != http.StatusNotFound || !strings.Contains(p.Detail, "the last page of this search is") {
			t.Fatalf("%s: %d %s", query, rec.Code, rec.Body)
		}
	}
}

// Every bad parameter is a 400 problem naming it, and the engine is never asked.
func TestAPISearchRefusesBadParameters(t *testing.T) {
	st := testenv.Store(t)
	engine := recording(postgresEngine(t, st))
	srv, _ := newTestServer(t, st, engine)
	for query, field := range map[string]string{
		"q=" + strings.Repeat("x", 201):                     "q",
		"q=a&q=b":                                           "q",
		"need=cost.free&need=no-such.tag":                   "need",
		"need=" + strings.Join(manyNeeds(t, srv), "&need="): "need",
		"lang=tlh":                      "lang",
		"mode=teleport":                 "mode",
		"day=funday":                    "day",
		"time=teatime":                  "time",
		"near=41.9":                     "near",
		"near=91,0":                     "near",
		"near=NaN,NaN":                  "near",
		"radius_km=5":                   "radius_km",
		"near=41.9,-87.6&radius_km=0":   "radius_km",
		"near=41.9,-87.6&radius_km=201": "radius_km",
		"city=Atlantis":                 "city",
		"sort=cheapest":                 "sort",
		"sort=distance":                 "sort",
		"include=all":                   "include",
		"page=0":                        "page",
		"page=501":                      "page",
		"page=x":                        "page",
		"per_page=0":                    "per_page",
		"per_page=101":                  "per_page",
		"q=%zz":                         "query",
	} {
		rec := do(srv, http.MethodGet, "/api/v1/listings?"+query, nil)
		if rec.Code != http.StatusBadRequest || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%.50s: status %d %s", query, rec.Code, rec.Header().Get("Content-Type"))
			continue
		}
		p := decode[Problem](t, rec.Body.Bytes())
		if p.Status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != field ||
			!strings.HasPrefix(p.Errors[0].Key, "search.error.") || p.Errors[0].Message == "" {
			t.Errorf("%.50s: %s", query, rec.Body)
		}
	}
	if n := len(engine.asked()); n != 0 {
		t.Fatalf("the engine was asked %d bad searches", n)
	}
}

// manyNeeds returns one more real tag slug than a search may ask for.
func manyNeeds(t *testing.T, srv *Server) []string {
	var out []string
	for _, c := range srv.Directory.Taxonomy("en") {
		for _, tag := range c.Tags {
			if len(out) <= search.MaxNeeds {
				out = append(out, tag.Slug)
			}
		}
	}
	return out
}

func TestAPISearchEngineDown(t *testing.T) {
	st := testenv.Store(t)
	cfg := testConfig(t)
	th := thresholds(t)
	// Meilisearch where nothing listens, and a PostgreSQL fallback whose pool is
	// closed: every engine fails, for real.
	meili := search.NewClient("http://"+closedPort(t), testenv.MeiliKey(), cfg.SearchTimeout)
	t.Cleanup(meili.Close)
	failover := &search.Failover{
		Primary:   search.NewSearcher(search.NewMeiliBackend(meili, "listings", cfg.SearchTimeout), th, time.Now),
		Fallback:  search.NewSearcher(search.NewPostgresBackend(closedStore(t, st)), th, time.Now),
		Threshold: 1,
		Cooldown:  15 * time.Second,
		Now:       time.Now,
	}
	srv, logs := newTestServer(t, st, failover)
	failover.Log = srv.Log.With("component", "search")

	// A point whose figures no log line can hold by chance: "41.9" once
	// matched a timestamp's seconds (…:41.939Z).
	rec := do(srv, http.MethodGet, "/api/v1/listings?q=grief&near=-33.8688,151.2093", nil)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("got %d %v: %s", rec.Code, rec.Header(), rec.Body)
	}
	for _, cause := range []string{"connection refused", "closed pool", "meilisearch"} {
		if strings.Contains(rec.Body.String(), cause) {
			t.Fatalf("the cause leaked to the client (%s): %s", cause, rec.Body)
		}
	}
	out := logs.String()
	// Meilisearch's failure is logged as the failover gives up on it, and the
	// fallback's, which failed the request, with the request.
	if !strings.Contains(out, "connection refused") {
		t.Fatalf("the primary's cause must be logged: %s", out)
	}
	var failed string
	for line := range strings.Lines(out) {
		if strings.Contains(line, `"msg":"request failed"`) {
			failed = line
		}
	}
	if !strings.Contains(failed, "closed pool") {
		t.Fatalf("the cause must be logged with the failed request: %s", out)
	}
	for _, leak := range []string{"grief", "-33.8688", "151.2093"} {
		if strings.Contains(out, leak) {
			t.Errorf("log holds the search (%s): %s", leak, out)
		}
	}
}

func TestAPITags(t *testing.T) {
	srv, _ := testServer(t)
	for _, c := range []struct {
		target, acceptLanguage, ui, cost string
	}{
		{"/api/v1/tags", "", "en", "Cost"},
		{"/api/v1/tags?ui=es", "", "es", "Costo"},
		{"/api/v1/tags", "es-MX,es;q=0.9,en;q=0.5", "es", "Costo"},
		{"/api/v1/tags?ui=en", "es", "en", "Cost"},
		{"/api/v1/tags?ui=xx", "", "en", "Cost"},
	} {
		rec := do(srv, http.MethodGet, c.target, map[string]string{"Accept-Language": c.acceptLanguage})
		if rec.Code != 200 || rec.Header().Get("Content-Language") != c.ui {
			t.Fatalf("%s (%s): %d %v", c.target, c.acceptLanguage, rec.Code, rec.Header())
		}
		got := decode[apiTaxonomy](t, rec.Body.Bytes())
		if got.UI != c.ui || len(got.Categories) == 0 || got.Categories[0].Label != c.cost ||
			len(got.Categories[0].Tags) == 0 || got.Categories[0].Tags[0].Definition == "" || len(got.Languages) < 40 {
			t.Fatalf("%s (%s): %.300s", c.target, c.acceptLanguage, rec.Body)
		}
	}
	rec := do(srv, http.MethodGet, "/api/v1/tags?ui=es", nil)
	got := decode[apiTaxonomy](t, rec.Body.Bytes())
	for _, l := range got.Languages {
		if l.Code == "de" && l.Name != "alemán" {
			t.Fatalf("language names should be in Spanish: %+v", l)
		}
	}
}

// apiFixture is a hybrid listing that meets at a discreet place.
func apiFixture(slug string) directory.Listing {
	now := time.Now()
	return directory.Listing{
		Slug: slug, Name: "Grupo de apoyo trans", Summary: "Un espacio seguro para personas trans y no binarias.",
		TextLang: "es", Status: "published", ConfirmedAt: now.Add(-200 * 24 * time.Hour), ConfirmedBy: directory.ByModerator,
		Email: "hola@example.org", PhoneMeeting: "+1 312 555 0100",
		Organization: directory.Organization{Slug: "orgullo-sur", Name: "Orgullo Sur"},
		Locations: []directory.Location{
			{Kind: directory.Physical, Name: "Iglesia San Pedro, sótano", Address: "1234 W 18th St", Neighbourhood: "Pilsen",
				City: "Chicago", Region: "IL", PostalCode: "60608", Country: "US", Lat: new(41.8575), Lng: new(-87.6602),
				TransitNotes: "Detrás de la farmacia", Discreet: true},
			{Kind: directory.Virtual, URL: "https://meet.example/abc"},
		},
		Schedules: []directory.Schedule{{Freq: "WEEKLY", Interval: 1, ByDay: "TU", OpensAt: "18:30", ClosesAt: "20:00",
			Start: "2026-01-06", TimeZone: "America/Chicago"}},
		Tags: []directory.ListingTag{
			{Tag: "access.step-free", Value: directory.Yes, Note: "rampa lateral", Source: directory.ByOrganizer, ConfirmedAt: now},
			{Tag: "cost.free", Value: directory.Yes, Source: directory.ByOrganizer, ConfirmedAt: now},
			{Tag: "care.childcare", Value: directory.Partly, Source: directory.ByOrganizer, ConfirmedAt: now},
		},
		Languages: []string{"en", "es"},
	}
}

func TestAPIListingDetail(t *testing.T) {
	srv, _ := testServer(t)
	saved := saveListing(t, srv, apiFixture("grupo-trans"))

	rec := do(srv, http.MethodGet, "/api/v1/listings/grupo-trans?ui=es", nil)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	raw := rec.Body.String()
	for _, secret := range []string{"1234 W 18th St", "60608", "41.8575", "87.6602", "Iglesia", "farmacia", `"address"`, `"lat"`} {
		if strings.Contains(raw, secret) {
			t.Errorf("a discreet place gave away %q: %s", secret, raw)
		}
	}
	if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Content-Language") != "es" {
		t.Fatalf("headers: %v", rec.Header())
	}
	got := decode[apiListing](t, rec.Body.Bytes())
	place := got.Locations[0]
	if got.ID != saved.ID || place.Neighbourhood != "Pilsen" || place.City != "Chicago" || !place.Discreet ||
		got.Locations[1].URL != "https://meet.example/abc" {
		t.Fatalf("locations: %+v", got.Locations)
	}
	if !reflect.DeepEqual(got.Modes, []directory.Mode{directory.Hybrid, directory.InPerson, directory.Online, directory.ByPhone}) ||
		got.OnlineOnly || got.Freshness != directory.Aging {
		t.Fatalf("derived: modes %v online_only %v freshness %s", got.Modes, got.OnlineOnly, got.Freshness)
	}
	if len(got.Tags) != 3 {
		t.Fatalf("tags: %+v", got.Tags)
	}
	for _, tag := range got.Tags {
		if tag.Label == "" || tag.Definition == "" || tag.Category == "" {
			t.Errorf("tag not described: %+v", tag)
		}
		if tag.Tag == "access.step-free" && (tag.Label != "Sin escalones" || tag.Note != "rampa lateral") {
			t.Errorf("tag not in Spanish: %+v", tag)
		}
	}
	sc := got.Schedules[0]
	if len(sc.Next) != 3 {
		t.Fatalf("want the next 3 meetings: %+v", sc)
	}
	chicago, _ := time.LoadLocation("America/Chicago")
	var body struct {
		Schedules []struct {
			Next []struct{ Start, End string }
		}
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	for i, o := range sc.Next {
		start := o.Start.In(chicago)
		if start.Weekday() != time.Tuesday || start.Hour() != 18 || start.Minute() != 30 || o.End.Sub(o.Start) != 90*time.Minute {
			t.Errorf("meeting %d: %s – %s", i, o.Start, o.End)
		}
		if written := body.Schedules[0].Next[i].Start; written != start.Format(time.RFC3339) {
			t.Errorf("meeting %d not written in the listing's zone: %s", i, written)
		}
		if i > 0 && o.Start.Sub(sc.Next[i-1].Start) < 6*24*time.Hour {
			t.Errorf("meetings not a week apart: %v", sc.Next)
		}
	}

	// By id, and in English by Accept-Language.
	rec = do(srv, http.MethodGet, "/api/v1/listings/"+saved.ID, map[string]string{"Accept-Language": "en-GB"})
	got = decode[apiListing](t, rec.Body.Bytes())
	if rec.Code != 200 || got.Slug != "grupo-trans" || rec.Header().Get("Content-Language") != "en" {
		t.Fatalf("by id: %d %s", rec.Code, rec.Body)
	}
	for _, tag := range got.Tags {
		if tag.Tag == "access.step-free" && tag.Label != "Step-free" {
			t.Errorf("tag not in English: %+v", tag)
		}
	}
	// A UUID is the same in capitals.
	if rec := do(srv, http.MethodGet, "/api/v1/listings/"+strings.ToUpper(saved.ID), nil); rec.Code != http.StatusOK {
		t.Errorf("by the id in capitals: %d", rec.Code)
	}
}

func TestAPIListingDetailOnlineOnlyAndPaused(t *testing.T) {
	srv, _ := testServer(t)
	l := apiFixture("en-linea")
	l.Locations = l.Locations[1:]
	l.PhoneMeeting = ""
	l.Paused, l.PausedNote = true, "De vuelta en marzo"
	saveListing(t, srv, l)
	rec := do(srv, http.MethodGet, "/api/v1/listings/en-linea", nil)
	got := decode[apiListing](t, rec.Body.Bytes())
	if !got.OnlineOnly || !reflect.DeepEqual(got.Modes, []directory.Mode{directory.Online}) {
		t.Fatalf("modes %v online_only %v", got.Modes, got.OnlineOnly)
	}
	for _, tag := range got.Tags {
		if tag.Tag == "access.step-free" || tag.Tag == "care.childcare" {
			t.Errorf("a physical tag shown on an online-only listing: %+v", tag)
		}
	}
	if len(got.Tags) != 1 || len(got.Schedules) != 1 || got.Schedules[0].Next == nil || len(got.Schedules[0].Next) != 0 {
		t.Fatalf("a paused listing lists no coming meetings: %s", rec.Body)
	}
}

func TestAPIListingDetailNotFound(t *testing.T) {
	srv, _ := testServer(t)
	for _, status := range []directory.Status{directory.Draft, directory.Archived} {
		l := apiFixture("hidden-" + string(status))
		l.Status = status
		saveListing(t, srv, l)
	}
	for _, target := range []string{
		"/api/v1/listings/hidden-draft", "/api/v1/listings/hidden-archived", "/api/v1/listings/no-such-group",
		"/api/v1/listings/00000000-0000-4000-8000-000000000000", "/api/v1/listings/Not%20A%20Slug%21",
	} {
		rec := do(srv, http.MethodGet, target, nil)
		if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
}

func TestOpenAPIDocumentDescribesTheRouteTable(t *testing.T) {
	srv, _ := testServer(t)
	rec := do(srv, http.MethodGet, "/api/v1/openapi.json", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters map[string]struct {
				Name   string         `json:"name"`
				Schema map[string]any `json:"schema"`
			} `json:"parameters"`
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	var api int
	for _, r := range srv.echo.Routes() {
		if !strings.HasPrefix(r.Path, apiPrefix+"/") {
			continue
		}
		path := r.Path
		if i := strings.Index(path, "/:"); i >= 0 {
			path = path[:i] + "/{" + path[i+2:] + "}"
		}
		method := r.Method
		if method == http.MethodHead {
			// HEAD is GET without the body (RFC 9110); the document's GET covers it.
			method = http.MethodGet
		} else {
			api++
		}
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s %s is not in openapi.json", r.Method, path)
		}
	}
	if api < 4 || len(doc.Paths) != api {
		t.Errorf("%d API routes, %d documented paths", api, len(doc.Paths))
	}

	// The documented choices and limits are the parser's.
	enum := func(schema string) []string {
		var out []string
		for _, v := range doc.Components.Schemas[schema]["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	var modes, sorts []string
	for _, m := range search.AttendanceModes {
		modes = append(modes, string(m))
	}
	for _, s := range search.Sorts {
		sorts = append(sorts, string(s))
	}
	for schema, want := range map[string][]string{"Mode": modes, "Day": search.Days, "PartOfDay": search.PartsOfDay, "Sort": sorts} {
		if got := enum(schema); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: documented %v, parser takes %v", schema, got, want)
		}
	}
	params := doc.Components.Parameters
	for name, want := range map[string]map[string]float64{
		"q":         {"maxLength": search.MaxTextLen},
		"need":      {"maxItems": search.MaxNeeds},
		"radius_km": {"maximum": search.MaxRadiusKm, "default": search.DefaultRadiusKm, "exclusiveMinimum": 0},
		"page":      {"minimum": 1, "maximum": search.MaxPage},
		"per_page":  {"minimum": 1, "maximum": search.MaxPerPage},
	} {
		if params[name].Name != name {
			t.Errorf("parameter %s is documented as %q", name, params[name].Name)
		}
		for k, v := range want {
			if got, _ := params[name].Schema[k].(float64); got != v {
				t.Errorf("%s.%s: documented %v, parser uses %v", name, k, params[name].Schema[k], v)
			}
		}
	}
}
