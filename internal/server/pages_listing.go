package server

import (
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/calendar"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/view"
)

// listingPage is what web/templates/listing.html receives.
type listingPage struct {
	L            directory.PublicListing
	Confirmed    string
	ConfirmedBy  string
	Schedules    []scheduleView
	Offers       []offerGroup
	Languages    []languageView
	TextLangName string
	Places       []directory.Location
	Rooms        []directory.Location
	CalendarURL  string
	JSONLD       template.JS
	// The referral list being built, carried in the address (listlink.go).
	SearchHref, AddHref, ListHref string
	OnList                        bool
}

type scheduleView struct {
	Recurrence string
	Span       string
	Zone       string
	Notes      string
	Next       []occurrenceView
}

type occurrenceView struct {
	Date  string
	Span  string
	Start string // RFC 3339, for the script that adds the person's own time
}

type tagView struct {
	Label, Definition, Value, Note string
}

// offerGroup is one category of what a listing offers, its tags grouped by
// value so each value is said once.
type offerGroup struct {
	Label    string
	ByValue  []valueGroup
	Explains []tagView // every tag of the group, for its one explanation toggle
}

type valueGroup struct {
	Value string
	Tags  []tagView
}

// languageView names a language, and in its own words when its name does not already say them.
type languageView struct {
	Name, Autonym, Code string
}

// upcoming is how many next dates a listing page shows per schedule.
const upcoming = 4

func (s *Server) listingPage(c echo.Context) error {
	l, err := s.Directory.PublicListing(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	lang := s.lang(c)
	words := s.View.Words(lang)
	now := time.Now()
	p := listingPage{
		L:           l,
		Confirmed:   words.ShortDate(l.ConfirmedAt),
		ConfirmedBy: s.View.I18n.T(lang, "source."+string(l.ConfirmedBy)),
		CalendarURL: "/groups/" + l.Slug + "/calendar.ics",
		Places:      l.Places(),
		Rooms:       l.Rooms(),
	}
	for _, sc := range l.Schedules {
		if v, ok := scheduleWords(words, sc, now, l.Paused); ok {
			p.Schedules = append(p.Schedules, v)
		}
	}
	p.Offers = offerGroups(s.Directory.Taxonomy(lang), l.Tags)
	for _, lg := range s.Directory.Languages(lang) {
		if slices.Contains(l.Languages, lg.Code) {
			p.Languages = append(p.Languages, languageView{Name: lg.Name, Autonym: lg.OwnName(), Code: lg.Code})
		}
		if lg.Code == l.TextLang && l.TextLang != lang {
			p.TextLangName = lg.Name
		}
	}
	p.JSONLD = jsonLD(l, s.Config.BaseURL)
	p.SearchHref, p.AddHref, p.ListHref, p.OnList = groupListLinks(l.ID, c.QueryParam("list"), lang)
	return s.render(c, http.StatusOK, "listing", l.Name, p)
}

// offerGroups sorts a listing's tags into the taxonomy's categories, in the
// taxonomy's order, and within each by value: yes, then partly, then no.
func offerGroups(cats []directory.Category, tags []directory.ListingTag) []offerGroup {
	bySlug := map[string]directory.ListingTag{}
	for _, lt := range tags {
		bySlug[lt.Tag] = lt
	}
	var out []offerGroup
	for _, c := range cats {
		g := offerGroup{Label: c.Label}
		for _, v := range []directory.Value{directory.Yes, directory.Partly, directory.No} {
			vg := valueGroup{Value: string(v)}
			for _, t := range c.Tags {
				if lt, ok := bySlug[t.Slug]; ok && lt.Value == v {
					tv := tagView{Label: t.Label, Definition: t.Definition, Value: string(v), Note: lt.Note}
					vg.Tags = append(vg.Tags, tv)
					g.Explains = append(g.Explains, tv)
				}
			}
			if len(vg.Tags) > 0 {
				g.ByValue = append(g.ByValue, vg)
			}
		}
		if len(g.ByValue) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// scheduleWords describes one schedule and its next dates; false when it has ended.
func scheduleWords(w view.Words, sc directory.Schedule, now time.Time, paused bool) (scheduleView, bool) {
	rule, err := sc.Rule()
	if err != nil {
		return scheduleView{}, false
	}
	occs, err := rule.Next(now, upcoming)
	if err != nil || len(occs) == 0 {
		return scheduleView{}, false
	}
	v := scheduleView{
		Recurrence: w.Recurrence(rule),
		Span:       w.Span(occs[0].Start, occs[0].End),
		Zone:       w.Zone(sc.TimeZone),
		Notes:      sc.Notes,
	}
	if !paused {
		for _, o := range occs {
			v.Next = append(v.Next, occurrenceView{Date: w.Date(o.Start), Span: w.Span(o.Start, o.End),
				Start: o.Start.Format(time.RFC3339)})
		}
	}
	return v, true
}

// calendarFile serves the listing's meetings as an .ics download.
func (s *Server) calendarFile(c echo.Context) error {
	l, err := s.Directory.PublicListing(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	var b strings.Builder
	err = calendar.Write(&b, l, s.Config.BaseURL+"/groups/"+l.Slug, time.Now())
	if errors.Is(err, calendar.ErrNothingToAdd) {
		lang := s.lang(c)
		return &pageError{status: http.StatusNotFound, titleKey: "ics.nothing", detailKey: "ics.nothing.detail",
			back: "/groups/" + l.Slug + "?ui=" + lang, backKey: "error.back_to_group"}
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+l.Slug+`.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(b.String()))
}

// render writes a page in the request's UI language.
func (s *Server) render(c echo.Context, status int, name, title string, data any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return s.View.Render(c.Response(), name, view.Page{Lang: s.lang(c), Title: title,
		Path: c.Request().URL.RequestURI(), Data: data})
}

// jsonLD describes the listing for search engines as a schema.org Event series,
// from its public view.
func jsonLD(l directory.PublicListing, baseURL string) template.JS {
	doc := map[string]any{
		"@context": "https://schema.org", "@type": "Event", "name": l.Name, "description": l.Summary,
		"url": baseURL + "/groups/" + l.Slug, "inLanguage": l.Languages,
		"organizer": map[string]any{"@type": "Organization", "name": l.Organization.Name, "url": l.Organization.Website},
	}
	switch {
	case slices.Contains(l.Modes, directory.Hybrid):
		doc["eventAttendanceMode"] = "https://schema.org/MixedEventAttendanceMode"
	case l.OnlineOnly:
		doc["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
	default:
		doc["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
	}
	if t, ok := l.Tag("cost.free"); ok {
		doc["isAccessibleForFree"] = t.Value == directory.Yes
	}
	var places []map[string]any
	for _, loc := range l.Places() {
		addr := map[string]any{"@type": "PostalAddress"}
		for key, v := range map[string]string{"addressLocality": loc.City, "addressRegion": loc.Region,
			"addressCountry": loc.Country, "streetAddress": loc.Address, "postalCode": loc.PostalCode} {
			if v != "" {
				addr[key] = v
			}
		}
		place := map[string]any{"@type": "Place", "address": addr}
		if loc.Name != "" {
			place["name"] = loc.Name
		}
		places = append(places, place)
	}
	for _, loc := range l.Rooms() {
		places = append(places, map[string]any{"@type": "VirtualLocation", "url": loc.URL})
	}
	doc["location"] = places
	var schedules []map[string]any
	for _, sc := range l.Schedules {
		rule, err := sc.Rule()
		if err != nil {
			continue
		}
		freq := "P1W"
		if sc.Freq == "MONTHLY" {
			freq = "P1M"
		}
		var days []string
		for _, d := range rule.ByDay {
			days = append(days, "https://schema.org/"+d.Day.String())
		}
		schedules = append(schedules, map[string]any{"@type": "Schedule", "repeatFrequency": freq,
			"byDay": days, "startTime": sc.OpensAt, "endTime": sc.ClosesAt, "startDate": sc.Start,
			"scheduleTimezone": sc.TimeZone})
	}
	doc["eventSchedule"] = schedules
	b, err := json.Marshal(doc) // escapes <, > and & so the block cannot end early
	if err != nil {
		return ""
	}
	return template.JS(b)
}

// tagsBySlug indexes the taxonomy's tags.
func tagsBySlug(cats []directory.Category) map[string]directory.Tag {
	tags := map[string]directory.Tag{}
	for _, c := range cats {
		for _, t := range c.Tags {
			tags[t.Slug] = t
		}
	}
	return tags
}
