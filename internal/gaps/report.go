package gaps

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
)

// PublicMinimum is the least number of searches a cell must hold before anyone
// who is not a moderator sees it: below it, a cell could point at one person's
// search. Sums shown to the public are sums of such cells only, so no number
// shown can be taken from another to reveal a smaller one.
const PublicMinimum = 10

// WeekChoices are the windows the report can cover, in weeks; the first is the
// default.
var WeekChoices = []int{12, 4, 26, 52}

const (
	// maxRows bounds the combinations listed.
	maxRows = 25
	// maxSeries is how many combinations the plot follows over the weeks.
	maxSeries = 5
	// closeListed is how many close matches a search lists at most
	// (internal/search), so a count of it means "at least".
	closeListed = 10
	// closeProbes is how many searches for close matches run at once for the
	// moderators' report.
	closeProbes = 4
)

// ReportStore reads the counters; the store supplies it.
type ReportStore interface {
	NeedCounts(ctx context.Context, since time.Time, atLeast int64) ([]directory.NeedCount, error)
}

// Service builds the unmet-needs report.
type Service struct {
	store  ReportStore
	search search.Engine
	now    func() time.Time
}

// NewService reads counters from st and, for moderators, asks engine what comes
// close today (nothing when engine is nil).
func NewService(st ReportStore, engine search.Engine, now func() time.Time) *Service {
	return &Service{store: st, search: engine, now: now}
}

// Options choose what the report covers.
type Options struct {
	Weeks int
	// Place keeps one place only; "" is every place.
	Place string
	// Staff is a moderator's or admin's report: every count, however small,
	// and what comes close today. Otherwise only cells of PublicMinimum or more.
	Staff bool
}

// Places says which places a report may be narrowed to: a city of the
// directory (found without regard to case) or one of the coarse places.
type Places interface {
	City(name string) (string, bool)
}

// ParseOptions reads the report's parameters, weeks and place, from a raw
// query string. Anything else (ui) is left to the caller. Bad values, and a
// query that is not valid URL encoding, come back as a
// *directory.ValidationError naming each parameter.
func ParseOptions(rawQuery string, places Places) (Options, error) {
	o := Options{Weeks: WeekChoices[0]}
	errs := &directory.ValidationError{}
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return o, errs.Add("query", "gaps.error.query", "the query string is not valid URL encoding")
	}
	if raw := strings.TrimSpace(v.Get("weeks")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || !slices.Contains(WeekChoices, n) || len(v["weeks"]) > 1 {
			errs.Add("weeks", "gaps.error.weeks", "weeks must be one of 4, 12, 26 or 52")
		} else {
			o.Weeks = n
		}
	}
	if raw := strings.Join(strings.Fields(v.Get("place")), " "); raw != "" {
		switch city, ok := places.City(raw); {
		case len(v["place"]) > 1:
			errs.Add("place", "gaps.error.place", "give place once")
		case slices.Contains([]string{directory.PlaceAnywhere, directory.PlaceOnline, directory.PlaceNear}, strings.ToLower(raw)):
			o.Place = strings.ToLower(raw)
		case ok:
			o.Place = city
		default:
			errs.Add("place", "gaps.error.place", "place must be a city of this directory, online, near or anywhere")
		}
	}
	return o, errs.Err()
}

// Report is the unmet-needs report for some weeks.
type Report struct {
	Options
	// Mondays start the weeks the report covers, oldest first.
	Mondays []time.Time
	// Minimum is the least a cell must hold to be counted here.
	Minimum int64
	// Rows are the combinations most often left unmet, by place, most first.
	Rows []Row
	// Places are every place with a row, for narrowing the report.
	Places []string
	// Trend follows the combinations most often left unmet week by week.
	Trend []Series
	// Cells are the counters the report is made of, oldest week first: the
	// CSV export.
	Cells []directory.NeedCount
}

// Row is one combination of needs in one place over the report's weeks.
type Row struct {
	Needs []string
	Place string
	// None, Few and Enough count searches by outcome.
	None, Few, Enough int64
	// Today is what the directory offers this combination now; only in a
	// moderator's report, and nil when it cannot be asked (near a point) or
	// did not answer.
	Today *Today
}

// Unmet is how many searches found no full match or only one or two.
func (r Row) Unmet() int64 { return r.None + r.Few }

// Searches is every search for the combination.
func (r Row) Searches() int64 { return r.None + r.Few + r.Enough }

// Today is what a search for a combination finds now.
type Today struct {
	FullMatches int
	// Close is how many listings meet some of the needs; CloseAtLeast when the
	// search lists only so many.
	Close        int
	CloseAtLeast bool
	// MostLacked is the need the close matches lack most often, "" when none.
	MostLacked string
	LackedBy   int
}

// Series is one combination's unmet searches, week by week.
type Series struct {
	Needs []string
	Place string
	// Points has one value per week of the report; -1 where no cell was
	// large enough to show.
	Points []int64
}

// Build makes the report.
func (s *Service) Build(ctx context.Context, o Options) (Report, error) {
	r := Report{Options: o, Minimum: PublicMinimum}
	if o.Staff {
		r.Minimum = 1
	}
	last := directory.WeekOf(s.now())
	first := last.AddDate(0, 0, -7*(o.Weeks-1))
	for w := first; !w.After(last); w = w.AddDate(0, 0, 7) {
		r.Mondays = append(r.Mondays, w)
	}
	cells, err := s.store.NeedCounts(ctx, first, r.Minimum)
	if err != nil {
		return Report{}, err
	}
	type key struct{ needs, place string }
	rows := map[key]*Row{}
	weekly := map[key][]int64{}
	places := map[string]bool{}
	for _, c := range cells {
		k := key{strings.Join(c.Needs, ","), c.Place}
		places[c.Place] = true
		if o.Place != "" && c.Place != o.Place {
			continue
		}
		r.Cells = append(r.Cells, c)
		row := rows[k]
		if row == nil {
			row = &Row{Needs: c.Needs, Place: c.Place}
			rows[k] = row
			weekly[k] = slices.Repeat([]int64{-1}, len(r.Mondays))
		}
		switch c.Outcome {
		case directory.NoFullMatch:
			row.None += c.Searches
		case directory.FewMatches:
			row.Few += c.Searches
		default:
			row.Enough += c.Searches
		}
		if i := int(c.Week.Sub(first).Hours() / (24 * 7)); c.Outcome.Unmet() && i >= 0 && i < len(r.Mondays) {
			weekly[k][i] = max(weekly[k][i], 0) + c.Searches
		}
	}
	slices.SortFunc(r.Cells, func(a, b directory.NeedCount) int {
		return cmp.Or(a.Week.Compare(b.Week), slices.Compare(a.Needs, b.Needs), cmp.Compare(a.Place, b.Place),
			slices.Index(directory.Outcomes, a.Outcome)-slices.Index(directory.Outcomes, b.Outcome))
	})
	for p := range places {
		r.Places = append(r.Places, p)
	}
	slices.Sort(r.Places)
	for _, row := range rows {
		if row.Unmet() > 0 {
			r.Rows = append(r.Rows, *row)
		}
	}
	slices.SortFunc(r.Rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(b.Unmet(), a.Unmet()), cmp.Compare(b.None, a.None), cmp.Compare(a.Place, b.Place),
			slices.Compare(a.Needs, b.Needs))
	})
	r.Rows = r.Rows[:min(len(r.Rows), maxRows)]
	for _, row := range r.Rows[:min(len(r.Rows), maxSeries)] {
		r.Trend = append(r.Trend, Series{Needs: row.Needs, Place: row.Place,
			Points: weekly[key{strings.Join(row.Needs, ","), row.Place}]})
	}
	if o.Staff && s.search != nil {
		s.today(ctx, r.Rows)
	}
	return r, nil
}

// today asks the search, a few at a time, what each combination finds now. A
// search that fails leaves its row without an answer; the report still shows.
func (s *Service) today(ctx context.Context, rows []Row) {
	sem := make(chan struct{}, closeProbes)
	var wg sync.WaitGroup
	for i := range rows {
		if rows[i].Place == directory.PlaceNear {
			continue // the point was never kept
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			rows[i].Today = s.findToday(ctx, rows[i])
		})
	}
	wg.Wait()
}

func (s *Service) findToday(ctx context.Context, row Row) *Today {
	q := search.Query{Needs: row.Needs, Sort: search.ByRelevance, Page: 1, PerPage: 3}
	switch row.Place {
	case directory.PlaceOnline:
		q.OnlineOnly = true
	case directory.PlaceAnywhere:
	default:
		q.City = row.Place
	}
	res, err := s.search.Search(ctx, q)
	if err != nil {
		return nil
	}
	t := &Today{FullMatches: res.Total, Close: len(res.CloseMatches), CloseAtLeast: len(res.CloseMatches) >= closeListed}
	lacked := map[string]int{}
	for _, h := range res.CloseMatches {
		for _, l := range h.Lacking {
			lacked[l.Need]++
		}
	}
	for _, need := range row.Needs {
		if lacked[need] > t.LackedBy {
			t.MostLacked, t.LackedBy = need, lacked[need]
		}
	}
	return t
}

// WeekLabel is an ISO week as people write it: 2026-W09.
func WeekLabel(monday time.Time) string {
	y, w := monday.ISOWeek()
	return strconv.Itoa(y) + "-W" + pad2(w)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
