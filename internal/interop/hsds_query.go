package interop

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/directory"
)

// Query is the parameters of the /hsds lists, as the HSDS 3.0 API names them.
// Each list uses the ones that apply to it and ignores the rest.
type Query struct {
	Search         string
	Page           int
	PerPage        int
	TaxonomyTermID string
	TaxonomyID     string
	OrganizationID string
	ParentID       string
	// ModifiedAfter is the zero time when not asked for.
	ModifiedAfter time.Time
	Minimal       bool
	Full          bool
	FullService   bool
	TopOnly       bool
}

// Limits of a Query.
const (
	DefaultPerPage  = 50
	MaxPerPage      = 500
	maxPage         = 1_000_000
	maxSearchLength = 200
)

// ParseQuery reads a raw query string. Every parameter it knows with a value it
// cannot use is a *directory.ValidationError naming that parameter; parameters
// it does not know are ignored, and blank values count as absent.
func ParseQuery(raw string) (Query, error) {
	q := Query{Page: 1, PerPage: DefaultPerPage}
	v := &directory.ValidationError{}
	values, err := url.ParseQuery(raw)
	if err != nil {
		return q, v.Add("query", directory.KeyFormat, "is not a valid query string").Err()
	}
	get := func(name string) string {
		all := values[name]
		if len(all) > 1 {
			v.Add(name, directory.KeyTooMany, "is given more than once")
			return ""
		}
		if len(all) == 0 {
			return ""
		}
		return strings.TrimSpace(all[0])
	}
	if s := get("search"); s != "" {
		switch {
		case !utf8.ValidString(s):
			v.Add("search", directory.KeyFormat, "is not valid UTF-8 text")
		case utf8.RuneCountInString(s) > maxSearchLength:
			v.Add("search", directory.KeyTooLong, "must be at most 200 characters")
		case strings.ContainsFunc(s, unicode.IsControl):
			v.Add("search", directory.KeyFormat, "must not hold control characters")
		default:
			q.Search = s
		}
	}
	q.Page = number(v, "page", get("page"), 1, maxPage, q.Page)
	q.PerPage = number(v, "per_page", get("per_page"), 1, MaxPerPage, q.PerPage)
	q.TaxonomyTermID = id(v, "taxonomy_term_id", get("taxonomy_term_id"))
	q.TaxonomyID = id(v, "taxonomy_id", get("taxonomy_id"))
	q.OrganizationID = id(v, "organization_id", get("organization_id"))
	q.ParentID = id(v, "parent_id", get("parent_id"))
	if s := get("modified_after"); s != "" {
		t, err := parseInstant(s)
		if err != nil {
			v.Add("modified_after", directory.KeyFormat, "must be a date-time such as 2025-01-31T18:00:00Z, or a date")
		}
		q.ModifiedAfter = t
	}
	q.Minimal = boolean(v, "minimal", get("minimal"))
	q.Full = boolean(v, "full", get("full"))
	q.FullService = boolean(v, "full_service", get("full_service"))
	q.TopOnly = boolean(v, "top_only", get("top_only"))
	if q.Minimal && q.Full {
		v.Add("minimal", directory.KeyChoice, "cannot be true together with full")
	}
	if f := get("format"); f != "" && f != "json" {
		v.Add("format", directory.KeyChoice, "must be json: results come as pages of JSON")
	}
	return q, v.Err()
}

// Values is the query in canonical form: ParseQuery(q.Values().Encode()) is q.
func (q Query) Values() url.Values {
	out := url.Values{}
	set := func(name, value string) {
		if value != "" {
			out.Set(name, value)
		}
	}
	set("search", q.Search)
	set("page", strconv.Itoa(q.Page))
	set("per_page", strconv.Itoa(q.PerPage))
	set("taxonomy_term_id", q.TaxonomyTermID)
	set("taxonomy_id", q.TaxonomyID)
	set("organization_id", q.OrganizationID)
	set("parent_id", q.ParentID)
	if !q.ModifiedAfter.IsZero() {
		set("modified_after", q.ModifiedAfter.UTC().Format(time.RFC3339Nano))
	}
	for name, on := range map[string]bool{"minimal": q.Minimal, "full": q.Full, "full_service": q.FullService,
		"top_only": q.TopOnly} {
		if on {
			set(name, "true")
		}
	}
	return out
}

func number(v *directory.ValidationError, name, s string, lo, hi, fallback int) int {
	if s == "" {
		return fallback
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		v.Add(name, directory.KeyFormat, "must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
		return fallback
	}
	return n
}

// id accepts a UUID in any case and keeps it in lower case, as ids are written.
func id(v *directory.ValidationError, name, s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToLower(s)
	if !isUUID(s) {
		v.Add(name, directory.KeyFormat, "must be a UUID such as 0b7d7c8e-4f5a-5b6c-8d9e-0f1a2b3c4d5e")
		return ""
	}
	return s
}

func boolean(v *directory.ValidationError, name, s string) bool {
	switch strings.ToLower(s) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	v.Add(name, directory.KeyChoice, "must be true or false")
	return false
}

// parseInstant reads an RFC 3339 date-time, or a date meaning its start in UTC.
func parseInstant(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
