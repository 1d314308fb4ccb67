package gaps_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/gaps"
	"github.com/belong-directory/belong/internal/testenv"
)

type cities []string

func (c cities) City(name string) (string, bool) {
	for _, city := range c {
		if strings.EqualFold(city, name) {
			return city, true
		}
	}
	return "", false
}

func TestParseOptions(t *testing.T) {
	known := cities{"Madrid", "Chicago"}
	ok := map[string]gaps.Options{
		"":                          {Weeks: 12},
		"ui=es":                     {Weeks: 12},
		"weeks=4":                   {Weeks: 4},
		"weeks=52&place=madrid":     {Weeks: 52, Place: "Madrid"},
		"place=online":              {Weeks: 12, Place: directory.PlaceOnline},
		"place=anywhere&weeks=+26+": {Weeks: 26, Place: directory.PlaceAnywhere},
		"place=near":                {Weeks: 12, Place: directory.PlaceNear},
		"place=Online":              {Weeks: 12, Place: directory.PlaceOnline},
		"place=":                    {Weeks: 12},
	}
	for raw, want := range ok {
		got, err := gaps.ParseOptions(raw, known)
		if err != nil || got != want {
			t.Errorf("ParseOptions(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	bad := map[string][]string{
		"weeks=5":                            {"weeks"},
		"weeks=x":                            {"weeks"},
		"weeks=4&weeks=12":                   {"weeks"},
		"place=Atlantis":                     {"place"},
		"place=Madrid&place=x":               {"place"},
		"weeks=0&place=nowhere":              {"weeks", "place"},
		"weeks=%zz":                          {"query"},
		"place=" + strings.Repeat("a", 5000): {"place"},
	}
	for raw, fields := range bad {
		_, err := gaps.ParseOptions(raw, known)
		ve, isVE := err.(*directory.ValidationError)
		if !isVE {
			t.Errorf("ParseOptions(%q): %v, want a validation error", raw, err)
			continue
		}
		var got []string
		for _, f := range ve.Fields {
			got = append(got, f.Field)
			if !strings.HasPrefix(f.Key, "gaps.error.") {
				t.Errorf("ParseOptions(%q): key %q", raw, f.Key)
			}
		}
		if !slices.Equal(got, fields) {
			t.Errorf("ParseOptions(%q) names %v, want %v", raw, got, fields)
		}
	}
}

// FuzzParseOptions: whatever the query, ParseOptions answers options the
// report can be built with, or a validation error; it never panics.
func FuzzParseOptions(f *testing.F) {
	for _, seed := range []string{"", "weeks=4", "weeks=52&place=Madrid", "place=online", "place=%zz", "weeks=-1",
		"weeks=99999999999999999999", "place=%E2%80%AE", "place=madrid&place=madrid", "weeks=4;place=x"} {
		f.Add(seed)
	}
	known := cities{"Madrid", "Ciudad de México"}
	f.Fuzz(func(t *testing.T, raw string) {
		o, err := gaps.ParseOptions(raw, known)
		if err != nil {
			if _, ok := err.(*directory.ValidationError); !ok {
				t.Fatalf("%q: %v is not a validation error", raw, err)
			}
			return
		}
		if !slices.Contains(gaps.WeekChoices, o.Weeks) {
			t.Fatalf("%q: weeks %d", raw, o.Weeks)
		}
		if o.Place != "" && !slices.Contains([]string{"anywhere", "online", "near", "Madrid", "Ciudad de México"}, o.Place) {
			t.Fatalf("%q: place %q", raw, o.Place)
		}
		if o.Staff {
			t.Fatalf("%q: a query made itself staff", raw)
		}
	})
}

// TestThePublicReportShowsOnlyCellsOfTen writes counters to a real PostgreSQL
// and builds the report both ways. One unusual search is in the moderators'
// report and nowhere in the public one; ten identical searches are in both. A
// combination with 12 unmet searches in one week and 3 in another shows 12 to
// the public: the small cell is left out, not added in.
func TestThePublicReportShowsOnlyCellsOfTen(t *testing.T) {
	st := testenv.Store(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	this, last := directory.WeekOf(now), directory.WeekOf(now).AddDate(0, 0, -7)
	unusual := []string{"access.step-free", "lang.sign-interpreting", "sensory.scent-free", "transit.parking"}
	common := []string{"care.childcare", "cost.free"}
	if err := st.AddNeedCounts(t.Context(), []directory.NeedCount{
		{Week: this, Needs: unusual, Place: "Madrid", Outcome: directory.NoFullMatch, Searches: 1},
		{Week: this, Needs: common, Place: "Chicago", Outcome: directory.NoFullMatch, Searches: 10},
		{Week: last, Needs: common, Place: "Chicago", Outcome: directory.NoFullMatch, Searches: 3},
		{Week: this, Needs: common, Place: "Chicago", Outcome: directory.FewMatches, Searches: 2},
		{Week: this, Needs: common, Place: "online", Outcome: directory.EnoughFound, Searches: 40},
	}); err != nil {
		t.Fatal(err)
	}
	// Upserts add up.
	if err := st.AddNeedCounts(t.Context(), []directory.NeedCount{
		{Week: this, Needs: common, Place: "Chicago", Outcome: directory.NoFullMatch, Searches: 2},
	}); err != nil {
		t.Fatal(err)
	}
	svc := gaps.NewService(st, nil, func() time.Time { return now })
	public, err := svc.Build(t.Context(), gaps.Options{Weeks: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(public.Rows) != 1 || public.Rows[0].Place != "Chicago" || public.Rows[0].None != 12 || public.Rows[0].Few != 0 {
		t.Fatalf("public rows: %+v", public.Rows)
	}
	for _, c := range public.Cells {
		if c.Searches < gaps.PublicMinimum || slices.Equal(c.Needs, unusual) {
			t.Errorf("public cell %+v", c)
		}
	}
	if slices.Contains(public.Places, "Madrid") {
		t.Errorf("the public places name Madrid, where only the unusual search was: %v", public.Places)
	}
	if got := public.Trend[0].Points; !slices.Equal(got, []int64{-1, -1, -1, 12}) {
		t.Errorf("public trend %v, want the last week only", got)
	}
	if len(public.Mondays) != 4 || !public.Mondays[3].Equal(this) {
		t.Errorf("weeks %v", public.Mondays)
	}
	// A moderator's report has everything; with no search engine, nothing is
	// known of today, and the report still builds.
	staffed, err := svc.Build(t.Context(), gaps.Options{Weeks: 4, Staff: true})
	if err != nil {
		t.Fatal(err)
	}
	var sawUnusual bool
	for _, r := range staffed.Rows {
		if slices.Equal(r.Needs, unusual) && r.Place == "Madrid" && r.None == 1 {
			sawUnusual = true
		}
		if slices.Equal(r.Needs, common) && r.Place == "Chicago" && (r.None != 15 || r.Few != 2) {
			t.Errorf("staff row %+v, want 15 none and 2 few", r)
		}
	}
	if !sawUnusual {
		t.Errorf("the moderators' report lacks the unusual search: %+v", staffed.Rows)
	}
	// Narrowed to one place; weeks outside the window are left out.
	madrid, err := svc.Build(t.Context(), gaps.Options{Weeks: 4, Place: "Madrid", Staff: true})
	if err != nil || len(madrid.Rows) != 1 || madrid.Rows[0].Place != "Madrid" {
		t.Fatalf("Madrid only: %+v %v", madrid.Rows, err)
	}
	later := gaps.NewService(st, nil, func() time.Time { return now.AddDate(0, 0, 7*12) })
	old, err := later.Build(t.Context(), gaps.Options{Weeks: 4, Staff: true})
	if err != nil || len(old.Rows) != 0 {
		t.Fatalf("twelve weeks later a four-week report still shows %+v (%v)", old.Rows, err)
	}
}
