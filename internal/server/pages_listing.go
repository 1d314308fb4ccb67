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
	L            directory.Listing
	Freshness    directory.Freshness
	Confirmed    string
	ConfirmedBy  string
	Modes        []directory.Mode
	OnlineOnly   bool
	Schedules    []scheduleView
	Offers       []tagView
	Languages    []directory.Language
	TextLangName string
	Places       []directory.Location
	Rooms        []directory.Location
	CalendarURL  string
	JSONLD       template.JS
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

// upcoming is how many next dates a listing page shows per schedule.
const upcoming = 4

// listingByslug loads a listing that the public may see: drafts and archived
// listings are not found.
func (s *Server) publicListing(c echo.Context) (directory.Listing, error) {
	l, err := s.Store.Listing(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return l, err
	}
	if l.Status != "published" {
		return l, directory.ErrNotFound
	}
	return l, nil
}

func (s *Server) listingPage(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := s.publicListing(c)
	if err != nil {
		return err
	}
	lang := s.lang(c)
	words := s.View.Words(lang)
	now := time.Now()
	thresholds := directory.Thresholds{AgingAfter: s.Config.AgingAfter, StaleAfter: s.Config.StaleAfter}
	p := listingPage{
		L: l, Modes: l.Modes(), OnlineOnly: l.OnlineOnly(), Freshness: thresholds.Of(l.ConfirmedAt, now),
		Confirmed:   words.ShortDate(l.ConfirmedAt),
		ConfirmedBy: s.View.I18n.T(lang, "source."+string(l.ConfirmedBy)),
		CalendarURL: "/groups/" + l.Slug + "/calendar.ics",
	}
	for _, loc := range l.Locations {
		if loc.Kind == directory.Physical {
			p.Places = append(p.Places, loc)
		} else {
			p.Rooms = append(p.Rooms, loc)
		}
	}
	for _, sc := range l.Schedules {
		if v, ok := scheduleWords(words, sc, now, l.Paused); ok {
			p.Schedules = append(p.Schedules, v)
		}
	}
	cats, err := s.Store.Taxonomy(ctx, lang)
	if err != nil {
		return err
	}
	tags := map[string]directory.Tag{}
	for _, c := range cats {
		for _, t := range c.Tags {
			tags[t.Slug] = t
		}
	}
	for _, lt := range l.Tags {
		t := tags[lt.Tag]
		if t.Physical && p.OnlineOnly {
			continue
		}
		p.Offers = append(p.Offers, tagView{Label: t.Label, Definition: t.Definition, Value: string(lt.Value), Note: lt.Note})
	}
	langs, err := s.Store.Languages(ctx, lang)
	if err != nil {
		return err
	}
	for _, lg := range langs {
		if slices.Contains(l.Languages, lg.Code) {
			p.Languages = append(p.Languages, lg)
		}
		if lg.Code == l.TextLang && l.TextLang != lang {
			p.TextLangName = lg.Name
		}
	}
	p.JSONLD = jsonLD(l, s.Config.BaseURL)
	return s.render(c, http.StatusOK, "listing", l.Name, p)
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
		Zone:       strings.ReplaceAll(sc.TimeZone[strings.LastIndex(sc.TimeZone, "/")+1:], "_", " "),
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
	l, err := s.publicListing(c)
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

// jsonLD describes the listing for search engines as a schema.org Event series.
// A discreet place gives only its area.
func jsonLD(l directory.Listing, baseURL string) template.JS {
	doc := map[string]any{
		"@context": "https://schema.org", "@type": "Event", "name": l.Name, "description": l.Summary,
		"url": baseURL + "/groups/" + l.Slug, "inLanguage": l.Languages,
		"organizer": map[string]any{"@type": "Organization", "name": l.Organization.Name, "url": l.Organization.Website},
	}
	modes := l.Modes()
	switch {
	case slices.Contains(modes, directory.Hybrid):
		doc["eventAttendanceMode"] = "https://schema.org/MixedEventAttendanceMode"
	case l.OnlineOnly():
		doc["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
	default:
		doc["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
	}
	if t, ok := l.Tag("cost.free"); ok {
		doc["isAccessibleForFree"] = t.Value == directory.Yes
	}
	var places []map[string]any
	for _, loc := range l.Locations {
		if loc.Kind == directory.Virtual {
			places = append(places, map[string]any{"@type": "VirtualLocation", "url": loc.URL})
			continue
		}
		addr := map[string]any{"@type": "PostalAddress", "addressLocality": loc.City, "addressRegion": loc.Region,
			"addressCountry": loc.Country}
		if !loc.Discreet {
			addr["streetAddress"] = loc.Address
			addr["postalCode"] = loc.PostalCode
		}
		places = append(places, map[string]any{"@type": "Place", "name": loc.Name, "address": addr})
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
