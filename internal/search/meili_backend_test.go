package search_test

import (
	"context"
	"errors"
	"maps"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

var (
	downtown = search.Point{Lat: 41.8781, Lng: -87.6298}
	stale    = now.Add(-365 * day).Unix()
)

func unix(d time.Duration) int64         { return now.Add(d).Unix() }
func next(d time.Duration) *int64        { v := unix(d); return &v }
func place(lat, lng float64) *search.Geo { return &search.Geo{Lat: lat, Lng: lng} }

// listings are hand-made documents, each there to be told apart by one filter.
var listings = []search.Document{
	{ID: "grief", Name: "Grief circle", Summary: "A peer circle for grief and loss",
		Description: "We meet in the library community room.",
		TagsYes:     []string{"cost.free", "care.childcare"}, TagsPartly: []string{"access.step-free"},
		TagsOffered: []string{"cost.free", "care.childcare", "access.step-free"},
		Languages:   []string{"en"}, Modes: []string{"in_person"},
		Days: []string{"tue"}, Times: []string{"evening"}, Slots: []string{"tue-evening"},
		NextAt: next(1 * day), City: "Chicago", Geo: place(41.8800, -87.6300), ConfirmedAt: unix(-30 * day)},
	{ID: "walk", Name: "Walking group", Summary: "Gentle walks by the lake",
		TagsYes: []string{"cost.free", "access.step-free"}, TagsOffered: []string{"cost.free", "access.step-free"},
		TagsNo:    []string{"care.childcare"},
		Languages: []string{"en", "es"}, Modes: []string{"in_person"},
		Days: []string{"sat"}, Times: []string{"morning"}, Slots: []string{"sat-morning"},
		NextAt: next(3 * day), City: "Evanston", Geo: place(42.0451, -87.6877), ConfirmedAt: unix(-10 * day)},
	{ID: "online", Name: "Ansiedad: apoyo en línea", Summary: "Un grupo para hablar de la ansiedad",
		TagsYes: []string{"cost.free"}, TagsOffered: []string{"cost.free"},
		Languages: []string{"es"}, Modes: []string{"online"}, OnlineOnly: true,
		Days: []string{"mon"}, Times: []string{"night"}, Slots: []string{"mon-night"},
		NextAt: next(2 * day), ConfirmedAt: unix(-5 * day)},
	{ID: "far", Name: "Parents circle", Summary: "Parents supporting parents",
		TagsYes: []string{"cost.free", "care.childcare"}, TagsOffered: []string{"cost.free", "care.childcare"},
		Languages: []string{"en"}, Modes: []string{"in_person", "online"},
		Days: []string{"wed"}, Times: []string{"afternoon"}, Slots: []string{"wed-afternoon"},
		NextAt: next(5 * day), City: "Milwaukee", Geo: place(43.0389, -87.9065), ConfirmedAt: unix(-200 * day)},
	{ID: "stale", Name: "Old grief group", TagsYes: []string{"cost.free"}, TagsOffered: []string{"cost.free"},
		Languages: []string{"en"}, Modes: []string{"in_person"}, NextAt: next(4 * day),
		City: "Chicago", Geo: place(41.88, -87.63), ConfirmedAt: unix(-400 * day)},
	{ID: "paused", Name: "Paused grief group", TagsYes: []string{"cost.free"}, TagsOffered: []string{"cost.free"},
		Languages: []string{"en"}, Modes: []string{"in_person"}, Paused: true,
		City: "Chicago", Geo: place(41.88, -87.63), ConfirmedAt: unix(-1 * day)},
}

// listingsBackend is a backend on an index of its own holding listings.
func listingsBackend(t *testing.T) *search.MeiliBackend {
	t.Helper()
	x, client := newIndex(t)
	if err := x.Upsert(t.Context(), listings); err != nil {
		t.Fatal(err)
	}
	return search.NewMeiliBackend(client, x.UID(), 5*time.Second)
}

func TestMeiliBackendSemantics(t *testing.T) {
	t.Parallel()
	b := listingsBackend(t)
	base := search.Spec{ConfirmedSince: stale, Limit: 20}
	with := func(change func(*search.Spec)) search.Spec { s := base; change(&s); return s }
	cases := []struct {
		name    string
		spec    search.Spec
		want    []string // sorted, or in order when ordered
		ordered bool
	}{
		{"everything fresh and not paused", base, []string{"far", "grief", "online", "walk"}, false},
		{"stale only when asked", with(func(s *search.Spec) { s.ConfirmedSince = 0 }), []string{"far", "grief", "online", "stale", "walk"}, false},
		{"needs are ANDed", with(func(s *search.Spec) { s.Needs = []string{"cost.free", "care.childcare"} }), []string{"far", "grief"}, false},
		{"partly does not count", with(func(s *search.Spec) { s.Needs = []string{"access.step-free"} }), []string{"walk"}, false},
		{"partly counts with Partly", with(func(s *search.Spec) { s.Needs = []string{"access.step-free"}; s.Partly = true }), []string{"grief", "walk"}, false},
		{"any need, partly counting", with(func(s *search.Spec) { s.NeedsAny = []string{"access.step-free"} }), []string{"grief", "walk"}, false},
		{"any of several needs", with(func(s *search.Spec) { s.NeedsAny = []string{"access.step-free", "care.childcare"} }), []string{"far", "grief", "walk"}, false},
		{"city with a place leaves out online-only", with(func(s *search.Spec) { s.City = "chicago"; s.WithPlace = true }), []string{"grief"}, false},
		{"online only", with(func(s *search.Spec) { s.OnlineOnly = true }), []string{"online"}, false},
		{"a preferred language comes first", with(func(s *search.Spec) { s.PreferLang = "es" }),
			[]string{"walk", "online", "grief", "far"}, true},
		{"a preferred language after the chosen sort", with(func(s *search.Spec) { s.PreferLang = "en"; s.Sort = search.BySoonest }),
			[]string{"grief", "online", "walk", "far"}, true},
		{"languages are ORed", with(func(s *search.Spec) { s.Languages = []string{"es"} }), []string{"online", "walk"}, false},
		{"languages are ORed 2", with(func(s *search.Spec) { s.Languages = []string{"es", "en"} }), []string{"far", "grief", "online", "walk"}, false},
		{"modes", with(func(s *search.Spec) { s.Modes = []string{"online"} }), []string{"far", "online"}, false},
		{"days", with(func(s *search.Spec) { s.Days = []string{"tue", "sat"} }), []string{"grief", "walk"}, false},
		{"times", with(func(s *search.Spec) { s.Times = []string{"night", "morning"} }), []string{"online", "walk"}, false},
		{"slots", with(func(s *search.Spec) { s.Slots = []string{"wed-afternoon", "mon-night", "tue-morning"} }), []string{"far", "online"}, false},
		{"near keeps online-only", with(func(s *search.Spec) { s.Near = &downtown; s.RadiusKm = 25 }), []string{"grief", "online", "walk"}, false},
		{"near by distance", with(func(s *search.Spec) { s.Near = &downtown; s.RadiusKm = 200; s.Sort = search.ByDistance }),
			[]string{"grief", "walk", "far", "online"}, true},
		{"city keeps online-only", with(func(s *search.Spec) { s.City = "chicago" }), []string{"grief", "online"}, false},
		{"city is free text", with(func(s *search.Spec) { s.City = `Chi"cago\` }), []string{"online"}, false},
		{"soonest", with(func(s *search.Spec) { s.Sort = search.BySoonest }), []string{"grief", "online", "walk", "far"}, true},
		{"recently confirmed", with(func(s *search.Spec) { s.Sort = search.ByRecentlyConfirmed }), []string{"online", "walk", "grief", "far"}, true},
		{"typo", with(func(s *search.Spec) { s.Text = "gref" }), []string{"grief"}, false},
		{"spanish synonym", with(func(s *search.Spec) { s.Text = "duelo" }), []string{"grief"}, false},
		{"english synonym of spanish text", with(func(s *search.Spec) { s.Text = "anxiety" }), []string{"online"}, false},
	}
	specs := make([]search.Spec, len(cases))
	for i, c := range cases {
		specs[i] = c.spec
	}
	found, err := b.Find(t.Context(), specs)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		got := []string{}
		for _, d := range found[i].Docs {
			got = append(got, d.ID)
		}
		if !c.ordered {
			slices.Sort(got)
		}
		if !slices.Equal(got, c.want) || found[i].Total != len(c.want) {
			t.Errorf("%s: got %v (total %d), want %v\nfilter: %s", c.name, got, found[i].Total, c.want, search.MeiliFilter(c.spec))
		}
	}
}

func TestMeiliBackendDecodesDocuments(t *testing.T) {
	t.Parallel()
	b := listingsBackend(t)
	found, err := b.Find(t.Context(), []search.Spec{{Text: "grief circle", ConfirmedSince: stale, Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	d := found[0].Docs[0]
	want := listings[0]
	want.Description = "" // long text is searched, not sent back
	if d.ID != "grief" || d.Geo == nil || *d.Geo != *want.Geo || d.NextAt == nil || *d.NextAt != *want.NextAt ||
		!slices.Equal(d.TagsPartly, want.TagsPartly) || d.ConfirmedAt != want.ConfirmedAt || d.Description != "" {
		t.Fatalf("decoded %+v", d)
	}
}

// Close-match candidates come from Meilisearch with only the fields that rank
// them; the ones ranked first must still come back whole, in rank order, which
// is not the order Meilisearch keeps them in.
func TestMeiliBackendCloseMatchesComeWhole(t *testing.T) {
	t.Parallel()
	b := listingsBackend(t)
	needs := []string{"care.childcare", "cost.free"}
	found, err := b.Find(t.Context(), []search.Spec{{ConfirmedSince: stale, NeedsAny: needs, CloseTo: needs,
		CloseAmong: 1000, Limit: 3}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range found[0].Docs {
		got = append(got, d.ID)
	}
	// grief and far meet both needs, walk and online one each; Meilisearch
	// holds them as listings orders them: grief, walk, online, far.
	if want := []string{"grief", "far", "walk"}; !slices.Equal(got, want) || found[0].Total != 4 {
		t.Fatalf("close matches %v of %d candidates, want %v of 4", got, found[0].Total, want)
	}
	for _, d := range found[0].Docs {
		i := slices.IndexFunc(listings, func(l search.Document) bool { return l.ID == d.ID })
		want := listings[i]
		if d.Name != want.Name || d.Summary != want.Summary || d.City != want.City || d.Geo == nil ||
			!slices.Equal(d.Languages, want.Languages) || !slices.Equal(d.TagsNo, want.TagsNo) ||
			d.NextAt == nil || d.ConfirmedAt != want.ConfirmedAt {
			t.Fatalf("a close match came back cut down: %+v", d)
		}
	}
}

func TestMeiliBackendPagesAndCounts(t *testing.T) {
	t.Parallel()
	b := listingsBackend(t)
	specs := []search.Spec{
		{ConfirmedSince: stale, Sort: search.BySoonest, Offset: 1, Limit: 2},
		{ConfirmedSince: stale, Limit: 0},
		{ConfirmedSince: stale, Limit: 20, Facets: true},
		{ConfirmedSince: stale, Limit: 20, Facets: true, Partly: true},
	}
	found, err := b.Find(t.Context(), specs)
	if err != nil {
		t.Fatal(err)
	}
	var page []string
	for _, d := range found[0].Docs {
		page = append(page, d.ID)
	}
	if !slices.Equal(page, []string{"online", "walk"}) || found[0].Total != 4 {
		t.Errorf("page = %v, total %d", page, found[0].Total)
	}
	if len(found[1].Docs) != 0 || found[1].Total != 4 {
		t.Errorf("limit 0 must count without hits: %d docs, total %d", len(found[1].Docs), found[1].Total)
	}
	if found[0].Facets.Tags != nil {
		t.Errorf("facets only when asked: %+v", found[0].Facets)
	}
	f := found[2].Facets
	if !maps.Equal(f.Tags, map[string]int{"cost.free": 4, "care.childcare": 2, "access.step-free": 1}) ||
		!maps.Equal(f.Languages, map[string]int{"en": 3, "es": 2}) ||
		!maps.Equal(f.Modes, map[string]int{"in_person": 3, "online": 2}) {
		t.Errorf("facets = %+v", f)
	}
	if got := found[3].Facets.Tags["access.step-free"]; got != 2 {
		t.Errorf("with Partly a partly counts: %d", got)
	}
}

func TestSearcherOnMeilisearchNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	b := listingsBackend(t)
	s := search.NewSearcher(b, directory.Thresholds{AgingAfter: 180 * day, StaleAfter: 365 * day}, func() time.Time { return now })
	q := search.Query{Needs: []string{"cost.free", "care.childcare", "access.step-free"}, Page: 1, PerPage: 10}
	r, err := s.Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Engine != "meilisearch" || r.Total != 0 || len(r.Hits) != 0 {
		t.Fatalf("nothing meets every need fully: %+v", r)
	}
	// Ranked by needs met, then by needs met in part; each names all it lacks.
	var missing []string
	for _, h := range r.CloseMatches {
		var lacks []string
		for _, l := range h.Lacking {
			lacks = append(lacks, l.Need+"/"+l.Value)
		}
		missing = append(missing, h.ID+": "+strings.Join(lacks, " "))
	}
	want := []string{"grief: access.step-free/partly", "walk: care.childcare/no", "far: access.step-free/", "online: care.childcare/ access.step-free/"}
	if !slices.Equal(missing, want) {
		t.Fatalf("close matches = %q, want %q", missing, want)
	}

	q.IncludePartly = true
	r, err = s.Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 1 || r.Hits[0].ID != "grief" || !slices.Equal(r.Hits[0].NeedsPartly, []string{"access.step-free"}) {
		t.Fatalf("with partly, grief is a partial match: %+v", r.Hits)
	}
}

// hangingURL is a server that accepts connections and never answers.
func hangingURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan net.Conn, 16)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held <- c
		}
	}()
	t.Cleanup(func() {
		l.Close()
		for {
			select {
			case c := <-held:
				c.Close()
			default:
				return
			}
		}
	})
	return "http://" + l.Addr().String()
}

func TestMeilisearchCallsHaveADeadline(t *testing.T) {
	t.Parallel()
	// The client's own timeout is long, so only the deadline can end the calls.
	client := search.NewClient(hangingURL(t), testenv.MeiliKey(), time.Minute)
	const timeout = 200 * time.Millisecond
	calls := map[string]func(context.Context) error{
		"find": func(ctx context.Context) error {
			_, err := search.NewMeiliBackend(client, "listings", timeout).Find(ctx, []search.Spec{{Limit: 10}})
			return err
		},
		"ensure settings": search.NewIndex(client, "listings", timeout).EnsureSettings,
		"upsert": func(ctx context.Context) error {
			return search.NewIndex(client, "listings", timeout).Upsert(ctx, []search.Document{{ID: "a"}})
		},
	}
	for name, call := range calls {
		start := time.Now()
		err := call(t.Context())
		took := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: want a deadline error, got %v", name, err)
		}
		if took > timeout+5*time.Second {
			t.Errorf("%s took %v with a %v deadline", name, took, timeout)
		}
	}
}
