package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
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
	// Places group the results, and CloseByPlace the close matches, when no
	// place was chosen.
	Places       []placeView
	CloseByPlace []placeView
	// Headline says what was found in words that fit what was asked.
	Headline string
	// Chosen is a short summary of the current choices, shown above the results.
	Chosen []string
	// Where offers the places a person can choose in one step.
	Where []whereChoice
	// Ways on when few or none were found: leave out one need, search without
	// the text, or with a word spelt like it.
	Drop        *wayOn
	WithoutText *wayOn
	Similar     []wayOn
	Fallback    bool
	Counted     bool // whether the options show how many spaces each would find
	Pager       pager
	// List is the referral list being built, carried in the address.
	List     []string
	ListIDs  string
	ListHref string
}

// placeView is one place's group of results, with a link to all of them.
type placeView struct {
	ID, Heading string
	Total       int
	Hits        []hitView
	More        string // link to every result in this place; "" when all are shown
	// Online is how many groups that meet only online the link's page lists
	// too (a place's search keeps them: they are open from anywhere).
	Online int
}

// whereChoice is one answer to "where", as a link that keeps every other choice.
type whereChoice struct {
	Label, Href string
	Current     bool
}

// wayOn is a link to a search that finds more, and how many it finds.
type wayOn struct {
	Label, Href string
	Total       int
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
// Autonym is a language's own name, shown only when Label does not already say it.
type option struct {
	Value, Label, Definition, Autonym string
	Count                             int
	Checked, Hidden                   bool
}

type hitView struct {
	search.Hit
	Met, Partly []string
	Lacking     []string
	Modes       []string
	// Next is the next meeting in the group's own time and zone; NextAt is the
	// same moment for the script that adds the person's own time.
	Next      string
	NextAt    string
	Confirmed string
	Distance  string
	// Deep cards sit under a place's heading, one level further down.
	Deep bool
	// GroupHref is the group's page; AddHref adds it to the list being built
	// (listlink.go), or OnList says it is there already.
	GroupHref, AddHref string
	OnList             bool
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
	list := readList(form)
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
		// Groups meeting in the person's language come first; the page's own
		// links carry ui=, which says the same.
		asked := q
		asked.PreferLang = lang
		r, err := s.Search.Search(ctx, asked)
		if err != nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable).SetInternal(err)
		}
		if err := pastTheEnd(q, r.Total, lang); err != nil {
			return err
		}
		s.NeedCounter.Count(q, r.Total)
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
		s.results(lang, &p)
	}
	carryList(&p, list, form, lang)
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "search", s.View.I18n.T(lang, "search.title"), p)
}

// results turns a search's answer into what the page shows: the results (by
// place when no place was chosen), the close matches, and ways on.
func (s *Server) results(lang string, p *searchPage) {
	t, q, r := s.View.I18n, p.Q, p.Result
	words := s.View.Words(lang)
	labels := map[string]string{}
	for _, cat := range p.Categories {
		for _, o := range cat.Options {
			labels[o.Value] = o.Label
		}
	}
	view := func(h search.Hit, deep bool) hitView {
		v := s.hitView(lang, words, labels, h)
		v.Deep = deep
		return v
	}
	for _, h := range r.Hits {
		p.Hits = append(p.Hits, view(h, false))
	}
	online := 0
	for _, pl := range r.Places {
		if pl.OnlineOnly {
			online = pl.Total
		}
	}
	for _, pl := range r.Places {
		pv := placeView{Total: pl.Total}
		n := q
		if pl.OnlineOnly {
			pv.ID, pv.Heading, n.OnlineOnly = "place-online", t.T(lang, "search.place.online"), true
		} else {
			pv.ID, pv.Heading, n.City, pv.Online = "place-"+slug(pl.City), pl.City, pl.City, online
		}
		for _, h := range pl.Hits {
			pv.Hits = append(pv.Hits, view(h, true))
		}
		if pl.Total > len(pl.Hits) {
			pv.More = s.searchURL(n, lang)
		}
		p.Places = append(p.Places, pv)
	}
	for _, h := range r.CloseMatches {
		p.Close = append(p.Close, view(h, false))
	}
	if q.City == "" && q.Near == nil && !q.OnlineOnly && len(p.Close) > 0 {
		p.CloseByPlace = groupByPlace(t.T(lang, "search.place.online"), p.Close)
	}
	p.Pager = pageLinks(q, r.Total, lang)
	p.Headline = s.headline(lang, q, r.Total)
	p.Chosen = s.chosenSummary(lang, p)
	if d := r.BestDrop; d != nil && r.Total < q.PerPage {
		n := q
		n.Needs = slices.DeleteFunc(slices.Clone(q.Needs), func(x string) bool { return x == d.Need })
		n.Page = 1
		p.Drop = &wayOn{Label: labels[d.Need], Href: s.searchURL(n, lang), Total: d.Total}
	}
	if r.Total == 0 && r.WithoutText != nil && *r.WithoutText > 0 {
		n := q
		n.Text, n.Page = "", 1
		p.WithoutText = &wayOn{Label: q.Text, Href: s.searchURL(n, lang), Total: *r.WithoutText}
	}
	for _, text := range r.Similar {
		n := q
		n.Text, n.Page = text, 1
		p.Similar = append(p.Similar, wayOn{Label: text, Href: s.searchURL(n, lang)})
	}
}

// groupByPlace groups close matches by city, online-only ones on their own,
// in the order each place first appears, keeping their rank within it.
func groupByPlace(online string, hits []hitView) []placeView {
	var out []placeView
	at := map[string]int{}
	for _, h := range hits {
		heading, id := h.City, "close-place-"+slug(h.City)
		if h.City == "" {
			heading, id = online, "close-place-online"
		}
		i, ok := at[id]
		if !ok {
			i = len(out)
			at[id] = i
			out = append(out, placeView{ID: id, Heading: heading})
		}
		h.Deep = true
		out[i].Hits = append(out[i].Hits, h)
		out[i].Total++
	}
	return out
}

// headline says what the page found, in words that fit what was asked: needs
// are "everything you chose", text is named, and nothing chosen is everything.
func (s *Server) headline(lang string, q search.Query, total int) string {
	t := s.View.I18n
	filtered := len(q.Languages)+len(q.Modes)+len(q.Days)+len(q.Times) > 0 || q.City != "" || q.Near != nil || q.OnlineOnly
	switch {
	case len(q.Needs) > 0 && total > 0:
		return t.N(lang, "search.results.count", total)
	case len(q.Needs) > 0:
		return t.T(lang, "search.results.none")
	case q.Text != "" && total > 0:
		return t.N(lang, "search.results.text", total, q.Text)
	case q.Text != "":
		return t.T(lang, "search.results.text.none", q.Text)
	case filtered && total > 0:
		return t.N(lang, "search.results.filtered", total)
	case filtered:
		return t.T(lang, "search.results.filtered.none")
	}
	return t.N(lang, "search.results.all", total)
}

// chosenSummary names the current choices briefly, for the line above the
// results that leads to the form.
func (s *Server) chosenSummary(lang string, p *searchPage) []string {
	t, q := s.View.I18n, p.Q
	var out []string
	if q.Text != "" {
		out = append(out, t.T(lang, "search.chosen.text", q.Text))
	}
	for _, cat := range p.Categories {
		for _, o := range cat.Options {
			if o.Checked {
				out = append(out, o.Label)
			}
		}
	}
	for _, group := range [][]option{p.Languages, p.MoreLanguages, p.Days, p.Times, p.Modes} {
		for _, o := range group {
			if o.Checked {
				out = append(out, o.Label)
			}
		}
	}
	if q.Near != nil {
		out = append(out, t.T(lang, "search.locate.active"))
	}
	if q.IncludePartly {
		out = append(out, t.T(lang, "search.chosen.partly"))
	}
	return out
}

// searchURL is the page for q in lang, in canonical form, without what the page
// decides for itself (the preferred language) or the usual page size.
func (s *Server) searchURL(q search.Query, lang string) string {
	v := q.Values()
	v.Del("prefer_lang")
	if q.PerPage == s.Config.SearchPerPage {
		v.Del("per_page")
	}
	v.Set("ui", lang)
	return "/?" + v.Encode() + "#results"
}

// slug makes an element id from a place name.
func slug(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(name))
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
		o := counted(option{Value: l.Code, Label: l.Name, Checked: slices.Contains(p.Q.Languages, l.Code)}, facets.Languages)
		o.Autonym = l.OwnName()
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
	anywhere := p.Q
	anywhere.City, anywhere.OnlineOnly, anywhere.Near, anywhere.RadiusKm, anywhere.Page = "", false, nil, 0, 1
	if anywhere.Sort == search.ByDistance {
		anywhere.Sort = search.ByRelevance
	}
	p.Where = append(p.Where, whereChoice{Label: t.T(lang, "search.city.any"), Href: s.searchURL(anywhere, lang),
		Current: p.Q.City == "" && p.Q.Near == nil && !p.Q.OnlineOnly})
	for _, city := range s.Directory.Cities() {
		checked := strings.EqualFold(city, p.Q.City)
		p.Cities = append(p.Cities, option{Value: city, Label: city, Checked: checked})
		in := anywhere
		in.City = city
		p.Where = append(p.Where, whereChoice{Label: city, Href: s.searchURL(in, lang), Current: checked})
	}
	online := anywhere
	online.OnlineOnly = true
	p.Cities = append(p.Cities, option{Value: search.OnlineOnlyCity, Label: t.T(lang, "search.place.online"), Checked: p.Q.OnlineOnly})
	p.Where = append(p.Where, whereChoice{Label: t.T(lang, "search.place.online"), Href: s.searchURL(online, lang),
		Current: p.Q.OnlineOnly})
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
	for _, l := range h.Lacking {
		key := "search.close.missing.unknown"
		if l.Value != "" {
			key = "search.close.missing." + l.Value
		}
		v.Lacking = append(v.Lacking, t.T(lang, key, labels[l.Need]))
	}
	if h.NextAt != nil {
		v.Next = t.T(lang, "card.next", w.Date(*h.NextAt), w.Clock(*h.NextAt), w.Zone(h.TimeZone))
		v.NextAt = h.NextAt.Format(time.RFC3339)
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
