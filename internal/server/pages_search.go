package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/view"
)

// searchPage is what web/templates/search.html receives.
type searchPage struct {
	Form       url.Values // the person's input as given, so a refused form keeps it
	Q          search.Query
	Errors     map[string]string // parameter → translated message
	Problems   []problem         // the same messages in the form's order, for the summary at the top
	Categories []categoryOptions
	Languages  []option
	// MoreLanguages are folded away under "Other languages" when there are no
	// counts to choose the languages worth showing.
	MoreLanguages []option
	Days          []option
	Times         []option
	Modes         []option
	Cities        []option
	Sorts         []option
	Radii         []option
	Partly        bool
	Near          string
	Result        *search.Result
	Hits          []hitView
	Close         []hitView
	Fallback      bool
	Counted       bool // whether the options show how many spaces each would find
	Pager         pager
}

// problem is one message in the summary of what needs a look, with a link to the
// field it is about when the form has one.
type problem struct {
	Message, Href string
}

// problemFields are the search parameters in the order the form shows them, with
// the id of the field each one is about ("" when the form has no such field).
var problemFields = []struct{ param, id string }{
	{"q", "f-q"}, {"need", "f-need"}, {"include", "f-include"}, {"lang", "f-lang"}, {"day", "f-day"},
	{"time", "f-time"}, {"mode", "f-mode"}, {"city", "f-city"}, {"near", "f-where"}, {"radius_km", "f-where"},
	{"sort", "f-sort"}, {"page", ""}, {"per_page", ""}, {"query", ""},
}

// problemsInFormOrder lists the messages in the order of the form's fields.
func problemsInFormOrder(errs map[string]string) []problem {
	var out []problem
	seen := map[string]bool{}
	for _, f := range problemFields {
		if msg, ok := errs[f.param]; ok && !seen[f.param] {
			pr := problem{Message: msg}
			if f.id != "" {
				pr.Href = "#" + f.id
			}
			out = append(out, pr)
			seen[f.param] = true
		}
	}
	var rest []string
	for param := range errs {
		if !seen[param] {
			rest = append(rest, param)
		}
	}
	sort.Strings(rest)
	for _, param := range rest {
		out = append(out, problem{Message: errs[param]})
	}
	return out
}

// categoryOptions is one category of needs. The form shows it folded unless one
// of its needs is chosen.
type categoryOptions struct {
	Label   string
	Options []option
	Chosen  int
}

// option is one checkbox or select choice. Hidden options would return nothing.
type option struct {
	Value, Label, Definition string
	Count                    int
	Checked, Hidden          bool
}

type hitView struct {
	search.Hit
	Met, Partly []string
	Missing     string
	Modes       []string
	Next        string
	Confirmed   string
	Distance    string
}

type pager struct {
	Prev, Next  string
	Page, Pages int
	From, To    int
}

// radii are the distances offered with "use my location".
var radii = []int{2, 5, 10, 25, 50}

// searchHome is the search page: the form, and results for whatever it holds.
// With nothing chosen it lists every current listing, so there is never a dead end.
func (s *Server) searchHome(c echo.Context) error {
	ctx := c.Request().Context()
	lang := s.lang(c)
	// Parsed afresh, not from c.QueryParams, which drops a damaged part silently:
	// the page says what it could not read, as the API does. ui stays in the
	// context's values for render to answer in the person's language.
	form, readErr := search.ReadQuery(c.Request().URL.RawQuery)
	form.Del("ui")
	p := searchPage{Form: echoable(form), Errors: map[string]string{}}

	q, err := search.ParseParams(form, s.Vocabulary, s.Config.SearchPerPage)
	problems, err := fieldErrors(readErr, err)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusBadRequest
		for _, f := range problems {
			p.Errors[f.Field] = s.View.I18n.T(lang, f.Key)
		}
		p.Problems = problemsInFormOrder(p.Errors)
	} else {
		r, err := s.Search.Search(ctx, q)
		if err != nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable).SetInternal(err)
		}
		if err := pastTheEnd(q, r.Total, lang); err != nil {
			return err
		}
		p.Result, p.Fallback, p.Counted = &r, r.Engine != "meilisearch", r.Total > 0
		c.Response().Header().Set("X-Search-Engine", r.Engine)
	}
	p.Q = q
	p.Partly = q.IncludePartly
	if q.Near != nil {
		p.Near = strconv.FormatFloat(q.Near.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(q.Near.Lng, 'f', -1, 64)
	}
	s.searchOptions(lang, &p)
	if p.Result != nil {
		words := s.View.Words(lang)
		labels := map[string]string{}
		for _, cat := range p.Categories {
			for _, o := range cat.Options {
				labels[o.Value] = o.Label
			}
		}
		for _, h := range p.Result.Hits {
			p.Hits = append(p.Hits, s.hitView(lang, words, labels, h))
		}
		for _, h := range p.Result.CloseMatches {
			p.Close = append(p.Close, s.hitView(lang, words, labels, h))
		}
		p.Pager = pageLinks(q, p.Result.Total, lang)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "search", s.View.I18n.T(lang, "search.title"), p)
}

// searchOptions fills every choice on the form, with counts from the results'
// facets when there are results.
func (s *Server) searchOptions(lang string, p *searchPage) {
	t := s.View.I18n
	// Counts hide choices that would return nothing; with nothing found at all
	// every count is zero, and hiding every choice would be a dead end.
	var facets search.Facets
	if p.Result != nil && p.Result.Total > 0 {
		facets = p.Result.Facets
	}
	counted := func(o option, counts map[string]int) option {
		if counts != nil {
			o.Count = counts[o.Value]
			o.Hidden = o.Count == 0 && !o.Checked
		}
		return o
	}
	for _, cat := range s.Directory.Taxonomy(lang) {
		co := categoryOptions{Label: cat.Label}
		for _, tag := range cat.Tags {
			o := counted(option{Value: tag.Slug, Label: tag.Label, Definition: tag.Definition,
				Checked: slices.Contains(p.Q.Needs, tag.Slug) || slices.Contains(p.Form["need"], tag.Slug)}, facets.Tags)
			// A need is never hidden: one that no space offers along with the others
			// still finds close matches, and a person must always be able to say what
			// they need. Its count says how many spaces would offer everything.
			o.Hidden = false
			if o.Checked {
				co.Chosen++
			}
			co.Options = append(co.Options, o)
		}
		p.Categories = append(p.Categories, co)
	}
	for _, l := range s.Directory.Languages(lang) {
		o := counted(option{Value: l.Code, Label: l.Name, Definition: l.Autonym, Checked: slices.Contains(p.Q.Languages, l.Code)},
			facets.Languages)
		switch {
		case facets.Languages != nil && o.Hidden:
			continue // the list of every language is long; show only those that would find a group
		case facets.Languages == nil && !o.Checked && !s.View.I18n.Supported(l.Code):
			// Without counts to go by, the UI languages and the chosen ones come
			// first and every other language waits, folded, under "Other languages".
			p.MoreLanguages = append(p.MoreLanguages, o)
			continue
		}
		p.Languages = append(p.Languages, o)
	}
	sort.SliceStable(p.Languages, func(i, j int) bool { return p.Languages[i].Count > p.Languages[j].Count })
	sort.SliceStable(p.MoreLanguages, func(i, j int) bool {
		return strings.ToLower(p.MoreLanguages[i].Label) < strings.ToLower(p.MoreLanguages[j].Label)
	})
	for _, d := range search.Days {
		p.Days = append(p.Days, option{Value: d, Label: t.T(lang, "day."+d), Checked: slices.Contains(p.Q.Days, d)})
	}
	for _, part := range search.PartsOfDay {
		p.Times = append(p.Times, option{Value: part, Label: t.T(lang, "time."+part), Checked: slices.Contains(p.Q.Times, part)})
	}
	for _, m := range search.AttendanceModes {
		p.Modes = append(p.Modes, counted(option{Value: string(m), Label: t.T(lang, "mode."+string(m)),
			Checked: slices.Contains(p.Q.Modes, m)}, facets.Modes))
	}
	for _, city := range s.Directory.Cities() {
		p.Cities = append(p.Cities, option{Value: city, Label: city, Checked: strings.EqualFold(city, p.Q.City)})
	}
	for _, so := range search.Sorts {
		p.Sorts = append(p.Sorts, option{Value: string(so), Label: t.T(lang, "search.sort."+string(so)), Checked: so == p.Q.Sort})
	}
	for _, r := range radii {
		p.Radii = append(p.Radii, option{Value: strconv.Itoa(r), Label: t.T(lang, "search.radius.km", r),
			Checked: float64(r) == p.Q.RadiusKm || (p.Q.RadiusKm == 0 && float64(r) == search.DefaultRadiusKm)})
	}
}

func (s *Server) hitView(lang string, w view.Words, labels map[string]string, h search.Hit) hitView {
	t := s.View.I18n
	v := hitView{Hit: h, Confirmed: w.ShortDate(h.ConfirmedAt)}
	for _, n := range h.NeedsMet {
		v.Met = append(v.Met, labels[n])
	}
	for _, n := range h.NeedsPartly {
		v.Partly = append(v.Partly, labels[n])
	}
	hybrid := slices.Contains(h.Modes, directory.Hybrid)
	for _, m := range h.Modes {
		if hybrid && (m == directory.InPerson || m == directory.Online) {
			continue // "in person or online" already says both
		}
		v.Modes = append(v.Modes, t.T(lang, "mode."+string(m)))
	}
	if h.Missing != "" {
		key := "search.close.missing.unknown"
		if h.MissingValue != "" {
			key = "search.close.missing." + h.MissingValue
		}
		v.Missing = t.T(lang, key, labels[h.Missing])
	}
	if h.NextAt != nil {
		v.Next = w.Date(*h.NextAt) + ", " + w.Clock(*h.NextAt)
	}
	if h.DistanceKm != nil {
		v.Distance = strconv.FormatFloat(*h.DistanceKm, 'f', 1, 64)
	}
	return v
}

// pageLinks are real links to the neighbouring pages of the same search.
func pageLinks(q search.Query, total int, lang string) pager {
	pages := q.LastPage(total)
	p := pager{Page: q.Page, Pages: pages, From: min(total, (q.Page-1)*q.PerPage+1), To: min(total, q.Page*q.PerPage)}
	if q.Page > 1 {
		p.Prev = pageLink(q, q.Page-1, lang)
	}
	if q.Page < pages {
		p.Next = pageLink(q, q.Page+1, lang)
	}
	return p
}

func pageLink(q search.Query, page int, lang string) string {
	q.Page = page
	v := q.Values()
	v.Set("ui", lang)
	return "/?" + v.Encode() + "#results"
}

// pastTheEnd refuses a page after the last one with a 404 that links to the last
// page, rather than show "page 500 of 7"; the API answers the same.
func pastTheEnd(q search.Query, total int, lang string) error {
	last := q.LastPage(total)
	if q.Page <= last {
		return nil
	}
	return &pageError{status: http.StatusNotFound, titleKey: "search.past_end.title", detailKey: "search.past_end.detail",
		args: []any{q.Page, last}, back: pageLink(q, last, lang), backKey: "search.past_end.back"}
}

// fieldErrors gathers the field problems of validation errors; any other error
// is returned as it is.
func fieldErrors(errs ...error) ([]directory.FieldError, error) {
	var out []directory.FieldError
	for _, err := range errs {
		ve, ok := errors.AsType[*directory.ValidationError](err)
		switch {
		case ok:
			out = append(out, ve.Fields...)
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}

// maxEchoedRunes is as much of one value as the form shows again: more than any
// value the form can send, never a 100,000-character query repeated into the
// page. (How many values there are does not matter: the page shows only q's
// text, and ticks the needs it knows.)
const maxEchoedRunes = search.MaxTextLen + 20

// echoable is the person's input cut to what the form may show again.
func echoable(form url.Values) url.Values {
	out := make(url.Values, len(form))
	for name, values := range form {
		for _, v := range values {
			if utf8.RuneCountInString(v) > maxEchoedRunes {
				v = string([]rune(v)[:maxEchoedRunes])
			}
			out[name] = append(out[name], v)
		}
	}
	return out
}
