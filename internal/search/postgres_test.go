package search_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

var (
	_ search.DocumentFinder = (*store.Store)(nil)
	_ search.Backend        = (*search.PostgresBackend)(nil)
)

var pgNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func pgAgo(days int) int64 { return pgNow.Add(-time.Duration(days) * 24 * time.Hour).Unix() }

// pgStore is a database holding docs, each with a minimal listing of the same id.
func pgStore(t *testing.T, docs []search.Document) *store.Store {
	t.Helper()
	ctx := context.Background()
	st := testenv.Store(t)
	var org string
	if err := st.Pool().QueryRow(ctx, `INSERT INTO organizations (slug, name) VALUES ('org', 'Org') RETURNING id`).Scan(&org); err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		_, err := st.Pool().Exec(ctx, `INSERT INTO listings (id, slug, organization_id, name, summary)
			VALUES ($1, $2, $3, 'Listing', 'A group.')`, d.ID, d.Slug, org)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := st.UpsertSearchDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSearcherOnPostgresNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	lat, lng := 41.88, -87.63
	docs := []search.Document{
		{ID: "00000000-0000-4000-8000-000000000001", Slug: "grief", Name: "Grief circle", Summary: "A peer circle",
			TagsYes: []string{"cost.free", "care.childcare"}, TagsPartly: []string{"access.step-free"},
			TagsOffered: []string{"cost.free", "care.childcare", "access.step-free"}, Languages: []string{"en"},
			Modes: []string{"in_person"}, Geo: &search.Geo{Lat: lat, Lng: lng}, ConfirmedAt: pgAgo(30)},
		{ID: "00000000-0000-4000-8000-000000000002", Slug: "walk", Name: "Walking group", Summary: "Walks",
			TagsYes: []string{"cost.free", "access.step-free"}, TagsOffered: []string{"cost.free", "access.step-free"},
			TagsNo: []string{"care.childcare"}, Languages: []string{"en", "es"}, Modes: []string{"in_person"},
			ConfirmedAt: pgAgo(10)},
		{ID: "00000000-0000-4000-8000-000000000003", Slug: "far", Name: "Parents circle", Summary: "Parents",
			TagsYes: []string{"cost.free", "care.childcare"}, TagsOffered: []string{"cost.free", "care.childcare"},
			Languages: []string{"en"}, Modes: []string{"in_person", "online"}, ConfirmedAt: pgAgo(200)},
	}
	st := pgStore(t, docs)
	s := search.NewSearcher(search.NewPostgresBackend(st),
		directory.Thresholds{AgingAfter: 180 * 24 * time.Hour, StaleAfter: 365 * 24 * time.Hour},
		func() time.Time { return pgNow })
	q := search.Query{Needs: []string{"cost.free", "care.childcare", "access.step-free"}, Page: 1, PerPage: 10}
	r, err := s.Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Engine != "postgres" || r.Total != 0 || len(r.Hits) != 0 {
		t.Fatalf("nothing meets every need fully: %+v", r)
	}
	// Ranked by needs met, then by needs met in part; each names all it lacks.
	var missing []string
	for _, h := range r.CloseMatches {
		var lacks []string
		for _, l := range h.Lacking {
			lacks = append(lacks, l.Need+"/"+l.Value)
		}
		missing = append(missing, h.Slug+": "+strings.Join(lacks, " "))
	}
	want := []string{"grief: access.step-free/partly", "walk: care.childcare/no", "far: access.step-free/"}
	if !slices.Equal(missing, want) {
		t.Fatalf("close matches = %q, want %q", missing, want)
	}

	q.IncludePartly, q.Near, q.Text = true, &search.Point{Lat: lat, Lng: lng}, "circles"
	r, err = s.Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 1 || r.Hits[0].Slug != "grief" || !slices.Equal(r.Hits[0].NeedsPartly, []string{"access.step-free"}) ||
		r.Hits[0].DistanceKm == nil || *r.Hits[0].DistanceKm != 0 || r.Facets.Tags["care.childcare"] != 1 {
		t.Fatalf("with partly, grief is a partial match: %+v", r)
	}
}

func TestFallbackText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text  string
		terms [][]string
		typos []string
	}{
		{"grief circle", [][]string{{"grief", "bereavement", "loss", "duelo"}, {"circle"}}, []string{"grief", "circle"}},
		{"Recuperacion", [][]string{{"Recuperacion", "recovery", "sobriedad"}}, []string{"Recuperacion"}},
		{"the grupos de LOS", [][]string{{"grupos"}}, []string{"grupos"}},
		{"Support  Group tonight", [][]string{{`"Support Group"`, `"grupo de apoyo"`, `"peer support"`}, {"tonight"}},
			[]string{"Support", "Group", "tonight"}},
		{"circle -grief", [][]string{{"circle"}, {"-grief"}}, nil},
		{"circle - grief", [][]string{{"circle"}, {"-"}, {"grief", "bereavement", "loss", "duelo"}}, []string{"circle", "-", "grief"}},
		{`"grief circle" tonight`, [][]string{{`"grief circle" tonight`}}, nil},
		{"one two three four five six seven eight nine ten eleven",
			[][]string{{"one"}, {"two"}, {"three"}, {"four"}, {"five"}, {"six"}, {"seven"}, {"eight"}, {"nine"}, {"ten"}},
			strings.Fields("one two three four five six seven eight nine ten")},
		{"\x00gri\xffef", [][]string{{"grief", "bereavement", "loss", "duelo"}}, []string{"grief"}},
		{"the of y", nil, nil},
		{`&|!:*() -`, nil, nil},
		{"", nil, nil},
	}
	for _, c := range cases {
		got, err := search.FallbackText(c.text)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Terms, c.terms) || !slices.Equal(got.TypoWords, c.typos) {
			t.Errorf("%q: got %q / %q, want %q / %q", c.text, got.Terms, got.TypoWords, c.terms, c.typos)
		}
	}
}
