package store_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
	indexdef "github.com/belong-directory/belong/search"
)

var (
	searchNow  = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	searchDay  = 24 * time.Hour
	staleSince = searchNow.Add(-365 * searchDay).Unix()
	downtown   = search.Point{Lat: 41.8781, Lng: -87.6298}
)

func ago(days int) int64               { return searchNow.Add(-time.Duration(days) * searchDay).Unix() }
func inDays(days int) *int64           { v := searchNow.Add(time.Duration(days) * searchDay).Unix(); return &v }
func geo(lat, lng float64) *search.Geo { return &search.Geo{Lat: lat, Lng: lng} }

// docID gives each hand-made document a stable uuid derived from its short name.
func docID(name string) string {
	var n uint64
	for _, r := range name {
		n = n*131 + uint64(r)
	}
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", n%(1<<48))
}

// addListings inserts minimal listings with the given ids, so search documents
// can refer to them.
func addListings(t *testing.T, st *store.Store, ids ...string) {
	t.Helper()
	ctx := context.Background()
	var org string
	err := st.Pool().QueryRow(ctx, `INSERT INTO organizations (slug, name)
		VALUES ('org-' || substr(md5(random()::text), 1, 12), 'Org') RETURNING id`).Scan(&org)
	if err != nil {
		t.Fatalf("add organization: %v", err)
	}
	for _, id := range ids {
		_, err := st.Pool().Exec(ctx, `INSERT INTO listings (id, slug, organization_id, name, summary)
			VALUES ($1, $2, $3, 'Listing', 'A group.')`, id, "listing-"+id, org)
		if err != nil {
			t.Fatalf("add listing %s: %v", id, err)
		}
	}
}

// searchFixtures are hand-made documents, each there to be told apart by one filter.
func searchFixtures() []search.Document {
	docs := []search.Document{
		{ID: "grief", Name: "Grief circle", Summary: "A peer circle for grief and loss",
			Description: "We meet in the library community room.", Organization: "Northside Mutual Aid",
			TagsYes: []string{"cost.free", "care.childcare"}, TagsPartly: []string{"access.step-free"},
			TagsOffered: []string{"cost.free", "care.childcare", "access.step-free"}, TagLabels: []string{"Free", "Gratis"},
			Languages: []string{"en"}, Modes: []string{"in_person"},
			Days: []string{"tue"}, Times: []string{"evening"}, Slots: []string{"tue-evening"}, TimeZone: "America/Chicago",
			NextAt: inDays(1), City: "Chicago", Geo: geo(41.8800, -87.6300), ConfirmedAt: ago(30), UpdatedAt: ago(30)},
		{ID: "walk", Name: "Walking group", Summary: "Gentle walks by the lake",
			TagsYes: []string{"cost.free", "access.step-free"}, TagsOffered: []string{"cost.free", "access.step-free"},
			TagsNo:    []string{"care.childcare"},
			Languages: []string{"en", "es"}, Modes: []string{"in_person"},
			Days: []string{"sat"}, Times: []string{"morning"}, Slots: []string{"sat-morning"},
			NextAt: inDays(3), City: "Evanston", Geo: geo(42.0451, -87.6877), ConfirmedAt: ago(10)},
		{ID: "online", Name: "Ansiedad: apoyo en línea", Summary: "Un grupo para hablar de la ansiedad",
			TagsYes: []string{"cost.free"}, TagsOffered: []string{"cost.free"},
			Languages: []string{"es"}, Modes: []string{"online"}, OnlineOnly: true,
			Days: []string{"mon"}, Times: []string{"night"}, Slots: []string{"mon-night"},
			NextAt: inDays(2), ConfirmedAt: ago(5)},
		{ID: "far", Name: "Parents circle", Summary: "Parents supporting parents",
			TagsYes: []string{"cost.free", "care.childcare"}, TagsOffered: []string{"cost.free", "care.childcare"},
			Languages: []string{"en"}, Modes: []string{"in_person", "online"},
			Days: []string{"wed"}, Times: []string{"afternoon"}, Slots: []string{"wed-afternoon"},
			NextAt: inDays(5), City: "Milwaukee", Geo: geo(43.0389, -87.9065), ConfirmedAt: ago(200)},
		{ID: "recovery", Name: "Grupo de recuperación", Summary: "Apoyo entre pares, en español",
			TagsYes: []string{"cost.free"}, TagsOffered: []string{"cost.free"},
			Languages: []string{"es"}, Modes: []string{"in_person"},
			Days: []string{"thu"}, Times: []string{"evening"}, Slots: []string{"thu-evening"},
			NextAt: inDays(6), City: "Chicago", ConfirmedAt: ago(20)},
		{ID: "stale", Name: "Old grief group", TagsYes: []string{"cost.free"}, TagsOffered: []string{"cost.free"},
			Languages: []string{"en"}, Modes: []string{"in_person"}, NextAt: inDays(4),
			City: "Chicago", Geo: geo(41.88, -87.63), ConfirmedAt: ago(400)},
		{ID: "paused", Name: "Paused grief group", TagsYes: []string{"cost.free"}, TagsOffered: []string{"cost.free"},
			Languages: []string{"en"}, Modes: []string{"in_person"}, Paused: true,
			City: "Chicago", Geo: geo(41.88, -87.63), ConfirmedAt: ago(1)},
	}
	for i := range docs {
		docs[i].Slug = docs[i].ID
		docs[i].ID = docID(docs[i].ID)
		docs[i].SortKey = strings.ToLower(docs[i].Name) + "~" + docs[i].ID
	}
	return docs
}

// fixtureStore is a database holding searchFixtures.
func fixtureStore(t *testing.T) *store.Store {
	t.Helper()
	st := testenv.Store(t)
	docs := searchFixtures()
	for _, d := range docs {
		addListings(t, st, d.ID)
	}
	if err := st.UpsertSearchDocuments(context.Background(), docs); err != nil {
		t.Fatalf("upsert: %v", err)
	}
	return st
}

// slugs names found documents by their short names.
func slugs(f search.Found) []string {
	out := []string{}
	for _, d := range f.Docs {
		out = append(out, d.Slug)
	}
	return out
}

func TestUpsertSearchDocumentsReplacesByListing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	docs := searchFixtures()[:2]
	addListings(t, st, docs[0].ID, docs[1].ID)
	if err := st.UpsertSearchDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	changed := docs[0]
	changed.Name, changed.UpdatedAt = "Grief and loss circle", ago(1)
	earlier := docs[0]
	earlier.Name = "An earlier version"
	// The same listing twice in one call: the last document wins.
	if err := st.UpsertSearchDocuments(ctx, []search.Document{earlier, changed}); err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertSearchDocuments(ctx, []search.Document{changed}); err != nil {
		t.Fatal(err)
	}
	ids, err := st.SearchDocumentIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{docs[0].ID: ago(1), docs[1].ID: docs[1].UpdatedAt}; !maps.Equal(ids, want) {
		t.Fatalf("ids = %v, want %v", ids, want)
	}
	found, err := st.FindDocuments(ctx, []search.Spec{{Text: "loss circle", Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(found[0].Docs) != 1 || found[0].Docs[0].Name != "Grief and loss circle" {
		t.Fatalf("the stored document and its text must be the latest: %+v", found[0].Docs)
	}

	// A document whose listing is gone is not stored: its deletion is on its way.
	if err := st.UpsertSearchDocuments(ctx, []search.Document{{ID: docID("gone"), Name: "Gone"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSearchDocuments(ctx, []string{docs[1].ID, docID("never-there")}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := st.SearchDocumentIDs(ctx); len(ids) != 1 || ids[docs[0].ID] == 0 {
		t.Fatalf("after delete: %v", ids)
	}
	if _, err := st.Pool().Exec(ctx, `DELETE FROM listings WHERE id = $1`, docs[0].ID); err != nil {
		t.Fatal(err)
	}
	if ids, _ := st.SearchDocumentIDs(ctx); len(ids) != 0 {
		t.Fatalf("deleting a listing must delete its document: %v", ids)
	}
	if err := st.UpsertSearchDocuments(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSearchDocuments(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

func TestFindDocumentsReturnsTheStoredDocument(t *testing.T) {
	t.Parallel()
	st := fixtureStore(t)
	found, err := st.FindDocuments(context.Background(), []search.Spec{{Text: "grief circle", ConfirmedSince: staleSince, Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	want := searchFixtures()[0]
	want.TagsNo = []string{}
	if len(found[0].Docs) != 1 || !reflect.DeepEqual(found[0].Docs[0], want) {
		t.Fatalf("got %+v\nwant %+v", found[0].Docs, want)
	}
}

func TestFindDocumentsSemantics(t *testing.T) {
	t.Parallel()
	st := fixtureStore(t)
	base := search.Spec{ConfirmedSince: staleSince, Limit: 20}
	with := func(change func(*search.Spec)) search.Spec { s := base; change(&s); return s }
	text := func(q string) search.Spec { return with(func(s *search.Spec) { s.Text = q }) }
	cases := []struct {
		name    string
		spec    search.Spec
		want    []string // sorted, or in order when ordered
		ordered bool
	}{
		{"everything fresh and not paused", base, []string{"far", "grief", "online", "recovery", "walk"}, false},
		{"stale only when asked", with(func(s *search.Spec) { s.ConfirmedSince = 0 }), []string{"far", "grief", "online", "recovery", "stale", "walk"}, false},
		{"needs are ANDed", with(func(s *search.Spec) { s.Needs = []string{"cost.free", "care.childcare"} }), []string{"far", "grief"}, false},
		{"partly does not count", with(func(s *search.Spec) { s.Needs = []string{"access.step-free"} }), []string{"walk"}, false},
		{"partly counts with Partly", with(func(s *search.Spec) { s.Needs = []string{"access.step-free"}; s.Partly = true }), []string{"grief", "walk"}, false},
		{"any need, partly counting", with(func(s *search.Spec) { s.NeedsAny = []string{"access.step-free"} }), []string{"grief", "walk"}, false},
		{"any of several needs", with(func(s *search.Spec) { s.NeedsAny = []string{"access.step-free", "care.childcare"} }), []string{"far", "grief", "walk"}, false},
		{"city with a place leaves out online-only", with(func(s *search.Spec) { s.City = "chicago"; s.WithPlace = true }), []string{"grief", "recovery"}, false},
		{"online only", with(func(s *search.Spec) { s.OnlineOnly = true }), []string{"online"}, false},
		{"a preferred language comes first", with(func(s *search.Spec) { s.PreferLang = "es" }),
			[]string{"online", "recovery", "walk", "grief", "far"}, true},
		{"a preferred language after the chosen sort", with(func(s *search.Spec) { s.PreferLang = "en"; s.Sort = search.BySoonest }),
			[]string{"grief", "online", "walk", "far", "recovery"}, true},
		{"languages are ORed", with(func(s *search.Spec) { s.Languages = []string{"es"} }), []string{"online", "recovery", "walk"}, false},
		{"languages are ORed 2", with(func(s *search.Spec) { s.Languages = []string{"es", "en"} }), []string{"far", "grief", "online", "recovery", "walk"}, false},
		{"modes", with(func(s *search.Spec) { s.Modes = []string{"online"} }), []string{"far", "online"}, false},
		{"days", with(func(s *search.Spec) { s.Days = []string{"tue", "sat"} }), []string{"grief", "walk"}, false},
		{"times", with(func(s *search.Spec) { s.Times = []string{"night", "morning"} }), []string{"online", "walk"}, false},
		{"slots", with(func(s *search.Spec) { s.Slots = []string{"wed-afternoon", "mon-night", "tue-morning"} }), []string{"far", "online"}, false},
		{"near keeps online-only, drops the unplaced", with(func(s *search.Spec) { s.Near = &downtown; s.RadiusKm = 25 }), []string{"grief", "online", "walk"}, false},
		{"near by distance", with(func(s *search.Spec) { s.Near = &downtown; s.RadiusKm = 200; s.Sort = search.ByDistance }),
			[]string{"grief", "walk", "far", "online"}, true},
		{"distance without a radius puts the unplaced last", with(func(s *search.Spec) { s.Near = &downtown; s.Sort = search.ByDistance }),
			[]string{"grief", "walk", "far", "online", "recovery"}, true},
		{"distance without a place is relevance", with(func(s *search.Spec) { s.Sort = search.ByDistance }),
			[]string{"online", "grief", "recovery", "far", "walk"}, true},
		{"city keeps online-only", with(func(s *search.Spec) { s.City = "chicago" }), []string{"grief", "online", "recovery"}, false},
		{"city is free text", with(func(s *search.Spec) { s.City = `Chi"cago\` }), []string{"online"}, false},
		{"soonest", with(func(s *search.Spec) { s.Sort = search.BySoonest }), []string{"grief", "online", "walk", "far", "recovery"}, true},
		{"recently confirmed", with(func(s *search.Spec) { s.Sort = search.ByRecentlyConfirmed }), []string{"online", "walk", "recovery", "grief", "far"}, true},
		{"english stems", text("circles"), []string{"far", "grief"}, false},
		{"words are ANDed", text("parents circle"), []string{"far"}, false},
		{"every field is searched", text("library"), []string{"grief"}, false},
		{"organization and tag labels", text("northside gratis"), []string{"grief"}, false},
		{"english stop words", text("the walks"), []string{"walk"}, false},
		{"spanish without accents", text("recuperacion"), []string{"recovery"}, false},
		{"spanish with accents", text("RECUPERACIÓN"), []string{"recovery"}, false},
		{"spanish stems and stop words", text("los grupos"), []string{"online", "recovery"}, false},
		{"typo", text("gref"), []string{"grief"}, false},
		{"swapped letters are one typo", text("greif circle"), []string{"grief"}, false},
		{"one typo in five letters", text("grouf"), []string{"walk"}, false},
		{"short words take no typo", text("wak"), []string{}, false},
		{"synonym in spanish", text("duelo"), []string{"grief"}, false},
		{"synonym of spanish text", text("anxiety"), []string{"online"}, false},
		{"synonym phrase", text("peer support"), []string{"recovery"}, false},
		{"phrase", text(`"grief circle"`), []string{"grief"}, false},
		{"no typos in a phrase", text(`"gref circle"`), []string{}, false},
		{"phrase in order", text(`"circle parents"`), []string{}, false},
		{"negation", text("circle -grief"), []string{"far"}, false},
		{"no word in the text", text(`&|!:*() "" -`), []string{"far", "grief", "online", "recovery", "walk"}, false},
		{"paused never", text("paused"), []string{}, false},
		{"text and filters", with(func(s *search.Spec) { s.Text = "circle"; s.Needs = []string{"care.childcare"}; s.City = "Milwaukee" }), []string{"far"}, false},
	}
	specs := make([]search.Spec, len(cases))
	for i, c := range cases {
		specs[i] = c.spec
	}
	found, err := st.FindDocuments(context.Background(), specs)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		got := slugs(found[i])
		if !c.ordered {
			slices.Sort(got)
		}
		if !slices.Equal(got, c.want) || found[i].Total != len(c.want) {
			t.Errorf("%s: got %v (total %d), want %v", c.name, got, found[i].Total, c.want)
		}
	}
}

func TestFindDocumentsRanksByRelevance(t *testing.T) {
	t.Parallel()
	st := fixtureStore(t)
	found, err := st.FindDocuments(context.Background(), []search.Spec{
		{Text: "grief", ConfirmedSince: 0, Limit: 10},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The circle has "grief" in its name and summary, the stale group only in its name.
	if got := slugs(found[0]); !slices.Equal(got, []string{"grief", "stale"}) {
		t.Errorf("grief ranks %v", got)
	}
}

func TestFindDocumentsTypoBudgetFollowsTheIndexSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw, err := fs.ReadFile(indexdef.FS, "settings.json")
	if err != nil {
		t.Fatal(err)
	}
	var settings struct {
		TypoTolerance struct {
			Enabled             bool `json:"enabled"`
			MinWordSizeForTypos struct {
				OneTypo  int `json:"oneTypo"`
				TwoTypos int `json:"twoTypos"`
			} `json:"minWordSizeForTypos"`
		} `json:"typoTolerance"`
	}
	if err := json.Unmarshal(raw, &settings); err != nil {
		t.Fatal(err)
	}
	if tt := settings.TypoTolerance; !tt.Enabled || tt.MinWordSizeForTypos.OneTypo != 4 || tt.MinWordSizeForTypos.TwoTypos != 8 {
		t.Fatalf("search/settings.json changed its typo tolerance to %+v: change the fallback's (store.oneTypo, twoTypos) and this test", tt)
	}
	st := testenv.Store(t)
	// One typo from 4 letters, two from 8; Meilisearch counts a typo on the first
	// letter twice.
	words := []string{"tern", "bak", "mountain", "pastels"}
	docs := make([]search.Document, len(words))
	for i, w := range words {
		docs[i] = search.Document{ID: docID(w), Slug: w, Name: w + " club"}
		addListings(t, st, docs[i].ID)
	}
	if err := st.UpsertSearchDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"terx":     {"tern"},     // 4 letters, one typo
		"bax":      {},           // 3 letters, none
		"mountaxx": {"mountain"}, // 8 letters, two typos
		"pastexx":  {},           // 7 letters: two typos is one too many
		"xern":     {},           // the first letter's typo counts twice
		"xountain": {"mountain"},
		"mountian": {"mountain"}, // two letters swapped: one typo
	}
	for q, want := range cases {
		found, err := st.FindDocuments(ctx, []search.Spec{{Text: q, Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		got := slugs(found[0])
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q found %v, want %v", q, got, want)
		}
	}
}

func TestFindDocumentsCountsFacetsOverEveryMatch(t *testing.T) {
	t.Parallel()
	st := fixtureStore(t)
	found, err := st.FindDocuments(context.Background(), []search.Spec{
		{ConfirmedSince: staleSince, Sort: search.BySoonest, Offset: 1, Limit: 2},
		{ConfirmedSince: staleSince, Limit: 0},
		{ConfirmedSince: staleSince, Limit: 1, Facets: true},
		{ConfirmedSince: staleSince, Limit: 1, Facets: true, Partly: true},
		{ConfirmedSince: staleSince, Limit: 1, Facets: true, Text: "nothing matches this"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := slugs(found[0]); !slices.Equal(got, []string{"online", "walk"}) || found[0].Total != 5 {
		t.Errorf("page = %v, total %d", got, found[0].Total)
	}
	if len(found[1].Docs) != 0 || found[1].Total != 5 {
		t.Errorf("limit 0 must count without hits: %d docs, total %d", len(found[1].Docs), found[1].Total)
	}
	if found[0].Facets.Tags != nil {
		t.Errorf("facets only when asked: %+v", found[0].Facets)
	}
	f := found[2].Facets
	if len(found[2].Docs) != 1 || found[2].Total != 5 ||
		!maps.Equal(f.Tags, map[string]int{"cost.free": 5, "care.childcare": 2, "access.step-free": 1}) ||
		!maps.Equal(f.Languages, map[string]int{"en": 3, "es": 3}) ||
		!maps.Equal(f.Modes, map[string]int{"in_person": 4, "online": 2}) {
		t.Errorf("facets = %+v", f)
	}
	if got := found[3].Facets.Tags["access.step-free"]; got != 2 {
		t.Errorf("with Partly a partly counts: %d", got)
	}
	if f := found[4].Facets; f.Tags == nil || len(f.Tags)+len(f.Languages)+len(f.Modes) != 0 || found[4].Total != 0 {
		t.Errorf("no match, no counts, but empty maps: %+v", f)
	}
}

func TestFindDocumentsPagesInAStableOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	var docs []search.Document
	for i := range 25 {
		d := search.Document{ID: docID(fmt.Sprintf("same-%d", i)), Name: "Same name", ConfirmedAt: ago(1), NextAt: inDays(1)}
		if i%2 == 0 {
			d.SortKey = "same name~" + d.ID // and half without one, as documents built before it had
		}
		docs = append(docs, d)
		addListings(t, st, d.ID)
	}
	if err := st.UpsertSearchDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	// Ties come in sort_key order, as from Meilisearch, then by id.
	slices.SortFunc(docs, func(a, b search.Document) int {
		return cmp.Or(strings.Compare(a.SortKey, b.SortKey), strings.Compare(a.ID, b.ID))
	})
	var want []string
	for _, d := range docs {
		want = append(want, d.ID)
	}
	for _, sort := range search.Sorts {
		var got []string
		for offset := 0; offset < 30; offset += 10 {
			sp := search.Spec{Sort: sort, Near: &downtown, Offset: offset, Limit: 10}
			if sort == search.ByRelevance {
				sp.Text = "same"
			}
			found, err := st.FindDocuments(ctx, []search.Spec{sp})
			if err != nil {
				t.Fatal(err)
			}
			if found[0].Total != 25 {
				t.Fatalf("%s: total %d", sort, found[0].Total)
			}
			for _, d := range found[0].Docs {
				got = append(got, d.ID)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: ties must come in sort_key order, pages neither overlapping nor missing any:\n%v", sort, got)
		}
	}
}

func TestFindDocumentsRefusesAnUnknownSort(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	if _, err := st.FindDocuments(context.Background(), []search.Spec{{Sort: "random"}}); err == nil {
		t.Fatal("an unknown sort must be an error")
	}
	found, err := st.FindDocuments(context.Background(), nil)
	if err != nil || len(found) != 0 {
		t.Fatalf("no specs: %v %v", found, err)
	}
}

// Whatever a person types, the text only ever travels as an argument and
// websearch_to_tsquery reads it without a syntax error.
func TestFindDocumentsTakesAnyText(t *testing.T) {
	t.Parallel()
	st := fixtureStore(t)
	texts := []string{
		`'`, `''`, `"`, `"""`, `\`, `\'`, `'; DROP TABLE search_documents; --`, `$1`, `%`, `_`,
		`&`, `|`, `!`, `:*`, `()`, `(grief`, `grief)`, `a & b | !c`, `<->`, `<2>`, `grief:*`, `grief:A`,
		`-`, `--`, `- -grief`, `or`, `grief or`, `or grief`, `"grief`, `grief"`, `"" grief ""`, `-"grief circle"`,
		"tab\tand\nnewline", "\x00grief\x00", "\xff\xfe grief", "é", "ñandú", "中文 支持", "🙂🙂", "\u200b\u200d",
		"ا" + strings.Repeat("ب", 3000), strings.Repeat("grief ", 2000), strings.Repeat("x", 10000),
		strings.Repeat("&|!:*()", 1500), strings.Repeat("ab\"c", 2500),
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aeiou grfs&|!:*()'\"\\-<>.,;@#%^~`[]{}éñü中🙂\t")
	for range 200 {
		b := make([]rune, r.IntN(60))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		texts = append(texts, string(b))
	}
	for _, q := range texts {
		for _, sort := range search.Sorts {
			_, err := st.FindDocuments(context.Background(), []search.Spec{{Text: q, Sort: sort, Near: &downtown, Limit: 5, Facets: true}})
			if err != nil {
				t.Fatalf("text %.40q (%d bytes), sort %s: %v", q, len(q), sort, err)
			}
		}
	}
}

// TestFindDocumentsAnswersEachPlaceAsAlone checks the statements that answer
// several Specs of a search at once against the same Specs asked one by one:
// the places of a search (each city with a place, and meeting only online),
// among other Specs, in every sort, with text and near a point, and with a
// place that has no match, and second pages.
func TestFindDocumentsAnswersEachPlaceAsAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := fixtureStore(t)
	for _, base := range []search.Spec{
		{ConfirmedSince: staleSince},
		{ConfirmedSince: staleSince, Needs: []string{"cost.free"}, Sort: search.BySoonest},
		{ConfirmedSince: staleSince, Text: "grief", PreferLang: "es"},
		{ConfirmedSince: staleSince, Near: &downtown, Sort: search.ByDistance},
		{ConfirmedSince: staleSince, Sort: search.ByRecentlyConfirmed, Languages: []string{"en", "es"}},
	} {
		var specs []search.Spec
		for _, city := range []string{"Chicago", "evanston", "Milwaukee", "Nowhere"} {
			sp := base
			sp.City, sp.WithPlace, sp.Limit = city, true, 1
			specs = append(specs, sp)
		}
		online := base
		online.OnlineOnly, online.Limit = true, 1
		// The second page of two places: one has a second match, the other's
		// page is empty though it has a total.
		pastChicago, pastEvanston := specs[0], specs[1]
		pastChicago.Offset, pastEvanston.Offset = 1, 1
		faceted := base
		faceted.Limit, faceted.Facets = 2, true
		counted := base
		counted.Needs = nil
		specs = append(specs, online, faceted, pastChicago, pastEvanston, counted)

		together, err := st.FindDocuments(ctx, specs)
		if err != nil {
			t.Fatal(err)
		}
		for i, sp := range specs {
			alone, err := st.FindDocuments(ctx, []search.Spec{sp})
			if err != nil {
				t.Fatal(err)
			}
			if together[i].Total != alone[0].Total || !slices.Equal(slugs(together[i]), slugs(alone[0])) ||
				!reflect.DeepEqual(together[i].Facets, alone[0].Facets) {
				t.Errorf("spec %d %+v:\ntogether %d %v %+v\nalone    %d %v %+v", i, sp, together[i].Total, slugs(together[i]),
					together[i].Facets, alone[0].Total, slugs(alone[0]), alone[0].Facets)
			}
		}
		if together[0].Total == 0 || together[3].Total != 0 {
			t.Errorf("%+v: the fixtures must have a match in Chicago and none in Nowhere", base)
		}
	}
}
