package search

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/directory"
)

// Limits of one search. ParseParams enforces them and the API document states them.
const (
	MaxTextLen      = 200 // characters of q
	MaxNeeds        = 20
	DefaultRadiusKm = 10.0
	MaxRadiusKm     = 200.0
	MaxPage         = 500
	MaxPerPage      = 100
)

// AttendanceModes are the modes a search can ask for, in canonical order.
var AttendanceModes = []directory.Mode{directory.InPerson, directory.Online, directory.Hybrid, directory.ByPhone}

// OnlineOnlyCity is the value of city that asks for groups meeting only online.
const OnlineOnlyCity = "online"

// Includes are the values of the include parameter.
var Includes = []string{"partly"}

// ParseQuery reads a raw query string. A string that is not valid URL encoding is
// refused rather than read in part, as url.URL.Query would.
func ParseQuery(rawQuery string, vocab Vocabulary, perPageDefault int) (Query, error) {
	v, err := ReadQuery(rawQuery)
	if err != nil {
		return Query{}, err
	}
	return ParseParams(v, vocab, perPageDefault)
}

// ReadQuery splits a raw query string into values. When part of it is not valid
// URL encoding it returns the parts it could read along with a
// *directory.ValidationError on "query", so a form can keep what was readable
// and say that something was not.
func ReadQuery(rawQuery string) (url.Values, error) {
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return v, (&directory.ValidationError{}).Add("query", "search.error.query_malformed",
			"the query string is not valid URL encoding ("+err.Error()+")")
	}
	return v, nil
}

// ParseParams is the one reader of search parameters, for the JSON API and the
// HTML pages alike. It returns a canonical Query (lists deduplicated and in a
// stable order) or a *directory.ValidationError with one entry per bad parameter.
// Blank values count as absent, as an empty form field does; parameters it does
// not know, such as ui, are left to the caller. perPageDefault must be between 1
// and MaxPerPage.
func ParseParams(v url.Values, vocab Vocabulary, perPageDefault int) (Query, error) {
	p := &params{v: v, errs: &directory.ValidationError{}}
	q := Query{Sort: ByRelevance, Page: 1, PerPage: perPageDefault}

	if text, ok := p.one("q", cleanText); ok {
		if n := utf8.RuneCountInString(text); n > MaxTextLen {
			p.fail("q", "search.error.q_too_long",
				fmt.Sprintf("q is %d characters long; the most is %d", n, MaxTextLen))
		}
		q.Text = text
	}
	q.Needs = p.many("need", strings.ToLower, vocab.HasNeed, "search.error.need_unknown",
		"is not a need this directory knows; needs are tag slugs such as cost.free, listed at /api/v1/tags")
	if len(q.Needs) > MaxNeeds {
		p.fail("need", "search.error.need_too_many",
			fmt.Sprintf("%d needs were chosen; the most is %d", len(q.Needs), MaxNeeds))
	}
	q.Languages = p.many("lang", strings.ToLower, vocab.HasLanguage, "search.error.lang_unknown",
		"is not a language code this directory knows; codes such as es or ase are listed at /api/v1/tags")
	for _, m := range p.many("mode", strings.ToLower, oneOf(modeNames()), "search.error.mode_unknown",
		"is not an attendance mode; use "+list(modeNames())) {
		q.Modes = append(q.Modes, directory.Mode(m))
	}
	q.Days = p.many("day", strings.ToLower, oneOf(Days), "search.error.day_unknown",
		"is not a day; use "+list(Days))
	q.Times = p.many("time", strings.ToLower, oneOf(PartsOfDay), "search.error.time_unknown",
		"is not a part of the day; use "+list(PartsOfDay))
	q.Near, q.RadiusKm = p.near()
	if city, ok := p.one("city", collapseSpace); ok {
		if known, found := vocab.City(city); found {
			q.City = known
		} else if strings.EqualFold(city, OnlineOnlyCity) {
			q.OnlineOnly = true
		} else {
			p.fail("city", "search.error.city_unknown",
				fmt.Sprintf("no group in this directory meets in a city called %s", show(city)))
		}
	}
	if pref, ok := p.one("prefer_lang", strings.ToLower); ok {
		// A preference only reorders, so one the directory does not know is
		// simply not applied.
		if vocab.HasLanguage(pref) {
			q.PreferLang = pref
		}
	}
	q.Sort = p.sort(q.Near != nil)
	if inc, ok := p.one("include", strings.ToLower); ok {
		if inc == "partly" {
			q.IncludePartly = true
		} else {
			p.fail("include", "search.error.include_unknown",
				fmt.Sprintf("%s cannot be included; use %s", show(inc), list(Includes)))
		}
	}
	if n, ok := p.number("page", "search.error.page_invalid", 1, MaxPage); ok {
		q.Page = n
	}
	if n, ok := p.number("per_page", "search.error.per_page_invalid", 1, MaxPerPage); ok {
		q.PerPage = n
	}
	canonicalize(&q)
	if err := p.errs.Err(); err != nil {
		return Query{}, err
	}
	return q, nil
}

// Values is the canonical query string of q: the same search always gives the
// same string, whatever order its parameters came in, and ParseParams reads it
// back to the same Query. It serves as cache key, pagination link and shareable
// URL. Defaults that never change (sort=relevance, page=1) are left out; per_page
// is always written because its default is configuration.
func (q Query) Values() url.Values {
	canonicalize(&q)
	v := url.Values{}
	set := func(name string, values ...string) {
		if len(values) > 0 && values[0] != "" {
			v[name] = values
		}
	}
	set("q", q.Text)
	set("need", q.Needs...)
	set("lang", q.Languages...)
	for _, m := range q.Modes {
		v.Add("mode", string(m))
	}
	set("day", q.Days...)
	set("time", q.Times...)
	if q.Near != nil {
		v.Set("near", formatNumber(q.Near.Lat)+","+formatNumber(q.Near.Lng))
		if q.RadiusKm > 0 {
			v.Set("radius_km", formatNumber(q.RadiusKm))
		}
	}
	set("city", q.City)
	if q.OnlineOnly {
		v.Set("city", OnlineOnlyCity)
	}
	set("prefer_lang", q.PreferLang)
	if q.Sort != ByRelevance {
		set("sort", string(q.Sort))
	}
	if q.IncludePartly {
		v.Set("include", "partly")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.PerPage > 0 {
		v.Set("per_page", strconv.Itoa(q.PerPage))
	}
	return v
}

// LastPage is the last page of q's results when the search finds total listings;
// a search that finds nothing has one, empty, page. Both the page and the API
// refuse a page past it rather than show "page 500 of 7".
func (q Query) LastPage(total int) int {
	return min(MaxPage, max(1, (total+q.PerPage-1)/q.PerPage))
}

// canonicalize puts every list in its one order: slugs and codes sorted, the
// closed sets in the order they are documented in. Lists in q are replaced, never
// sorted in place, so a caller's slices stay as they were.
func canonicalize(q *Query) {
	q.Needs = sortedSet(q.Needs, nil)
	q.Languages = sortedSet(q.Languages, nil)
	q.Days = sortedSet(q.Days, Days)
	q.Times = sortedSet(q.Times, PartsOfDay)
	var modes []string
	for _, m := range q.Modes {
		modes = append(modes, string(m))
	}
	q.Modes = nil
	for _, m := range sortedSet(modes, modeNames()) {
		q.Modes = append(q.Modes, directory.Mode(m))
	}
}

// sortedSet returns the distinct values, ordered by their place in order, or
// alphabetically when order is nil; nil when there are none.
func sortedSet(values, order []string) []string {
	if len(values) == 0 {
		return nil
	}
	out := slices.Clone(values)
	if order == nil {
		slices.Sort(out)
	} else {
		slices.SortFunc(out, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	}
	return slices.Compact(out)
}

// params reads one url.Values, collecting at most one error per parameter.
type params struct {
	v    url.Values
	errs *directory.ValidationError
}

func (p *params) fail(name, key, message string) {
	for _, f := range p.errs.Fields {
		if f.Field == name {
			return // one problem per parameter is enough to fix it
		}
	}
	p.errs.Add(name, key, message)
}

// given reports whether a parameter has a non-blank value.
func (p *params) given(name string) bool {
	return slices.ContainsFunc(p.v[name], func(s string) bool { return strings.TrimSpace(s) != "" })
}

// one returns a single-valued parameter, trimmed and normalized; false when it is
// absent, blank or given twice with different values.
func (p *params) one(name string, norm func(string) string) (string, bool) {
	var val string
	for _, raw := range p.v[name] {
		s := norm(strings.TrimSpace(raw))
		if s == "" {
			continue
		}
		if val != "" && s != val {
			p.fail(name, "search.error.repeated",
				fmt.Sprintf("%s was given more than once (%s and %s); give it once", name, show(val), show(s)))
			return "", false
		}
		val = s
	}
	return val, val != ""
}

// many returns a repeatable parameter's distinct values, each trimmed and
// normalized, so a value given twice counts once; every value must pass known,
// and the ones that do not are named together in one error.
func (p *params) many(name string, norm func(string) string, known func(string) bool, key, why string) []string {
	var out, bad []string
	for _, raw := range p.v[name] {
		s := norm(strings.TrimSpace(raw))
		switch {
		case s == "" || slices.Contains(out, s):
		case known(s):
			out = append(out, s)
		case !slices.Contains(bad, s):
			bad = append(bad, s)
		}
	}
	if len(bad) > 0 {
		p.fail(name, key, showAll(bad)+" "+why)
	}
	return out
}

// near reads near=lat,lng and radius_km. A radius without a place to measure
// from is an error; a place without a radius gets the default.
func (p *params) near() (*Point, float64) {
	raw, ok := p.one("near", strings.TrimSpace)
	var at *Point
	if ok {
		lat, lng, comma := strings.Cut(raw, ",")
		la, errLat := finite(lat, 6)
		ln, errLng := finite(lng, 6)
		switch {
		case !comma || errLat != nil || errLng != nil:
			p.fail("near", "search.error.near_invalid",
				fmt.Sprintf("near must be latitude,longitude in degrees, such as 41.88,-87.63; got %s", show(raw)))
		case la < -90 || la > 90 || ln < -180 || ln > 180:
			p.fail("near", "search.error.near_invalid",
				fmt.Sprintf("near %s is not on Earth: latitude must be between -90 and 90, longitude between -180 and 180", show(raw)))
		default:
			at = &Point{Lat: la, Lng: ln}
		}
	}
	raw, ok = p.one("radius_km", strings.TrimSpace)
	switch {
	case !ok:
		if at != nil {
			return at, DefaultRadiusKm
		}
	case !p.given("near"):
		p.fail("radius_km", "search.error.radius_without_near",
			"radius_km needs near, the place to measure from")
	default:
		r, err := finite(raw, 3)
		if err != nil || r <= 0 || r > MaxRadiusKm {
			p.fail("radius_km", "search.error.radius_invalid",
				fmt.Sprintf("radius_km must be a number of kilometres above 0 and at most %g; got %s", MaxRadiusKm, show(raw)))
		} else if at != nil {
			return at, r
		}
	}
	return nil, 0
}

func (p *params) sort(hasNear bool) Sort {
	s, ok := p.one("sort", strings.ToLower)
	if !ok {
		return ByRelevance
	}
	sort := Sort(s)
	switch {
	case !slices.Contains(Sorts, sort):
		names := make([]string, len(Sorts))
		for i, s := range Sorts {
			names[i] = string(s)
		}
		p.fail("sort", "search.error.sort_unknown",
			fmt.Sprintf("%s is not a way to sort; use %s", show(s), list(names)))
	case sort == ByDistance && !hasNear:
		if !p.given("near") {
			p.fail("sort", "search.error.sort_needs_near", "sort=distance needs near, the place to measure from")
		}
	default:
		return sort
	}
	return ByRelevance
}

// number reads a whole number between lo and hi.
func (p *params) number(name, key string, lo, hi int) (int, bool) {
	raw, ok := p.one(name, strings.TrimSpace)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(raw)
	if err != nil || !decimalDigits(raw) || n < lo || n > hi {
		p.fail(name, key, fmt.Sprintf("%s must be a whole number from %d to %d; got %s", name, lo, hi, show(raw)))
		return 0, false
	}
	return n, true
}

// finite parses a finite decimal number rounded to places decimals, so that
// written back it reads the same. Only plain decimals are numbers here: Go's
// hexadecimal floats, digit separators and exponents are not what a person or a
// form writes, and would let one search be spelled many ways.
func finite(s string, places int) (float64, error) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+"), ".")
	if whole+frac == "" || (whole != "" && !decimalDigits(whole)) || (frac != "" && !decimalDigits(frac)) {
		return 0, fmt.Errorf("not a decimal number")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a finite number")
	}
	scale := math.Pow10(places)
	f = math.Round(f*scale) / scale
	if f == 0 {
		f = 0 // no negative zero
	}
	return f, nil
}

// decimalDigits reports whether s is one or more of the digits 0 to 9.
func decimalDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// cleanText makes free text safe to search for and to show back: valid UTF-8, no
// control characters, single spaces, no space at either end.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return collapseSpace(s)
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func oneOf(allowed []string) func(string) bool {
	return func(s string) bool { return slices.Contains(allowed, s) }
}

func modeNames() []string {
	out := make([]string, len(AttendanceModes))
	for i, m := range AttendanceModes {
		out[i] = string(m)
	}
	return out
}

// show quotes a value for an error message, cut short so a huge value is not
// echoed back whole.
func show(s string) string {
	const most = 40
	if utf8.RuneCountInString(s) > most {
		s = string([]rune(s)[:most]) + "…"
	}
	return strconv.Quote(s)
}

// showAll quotes up to five values and counts the rest.
func showAll(values []string) string {
	const most = 5
	quoted := make([]string, 0, most)
	for _, v := range values[:min(len(values), most)] {
		quoted = append(quoted, show(v))
	}
	out := strings.Join(quoted, ", ")
	if len(values) > most {
		out += fmt.Sprintf(" and %d more", len(values)-most)
	}
	return out
}

func list(values []string) string { return strings.Join(values, ", ") }
