package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
)

// apiListing is a listing as the API shows it: its public view, with tag words
// in the UI language and the next dates of each schedule. Every field is listed
// here on purpose; nothing is embedded from the domain.
type apiListing struct {
	ID           string              `json:"id"`
	Slug         string              `json:"slug"`
	Organization apiOrganization     `json:"organization"`
	Name         string              `json:"name"`
	Summary      string              `json:"summary"`
	Description  string              `json:"description,omitempty"`
	WhatToExpect string              `json:"what_to_expect,omitempty"`
	TextLang     string              `json:"text_lang"`
	Status       directory.Status    `json:"status"`
	Paused       bool                `json:"paused"`
	PausedNote   string              `json:"paused_note,omitempty"`
	CostNote     string              `json:"cost_note,omitempty"`
	HowToJoin    string              `json:"how_to_join,omitempty"`
	Email        string              `json:"email,omitempty"`
	Phone        string              `json:"phone,omitempty"`
	Website      string              `json:"website,omitempty"`
	PhoneMeeting string              `json:"phone_meeting,omitempty"`
	ConfirmedAt  time.Time           `json:"confirmed_at"`
	ConfirmedBy  directory.Source    `json:"confirmed_by"`
	UpdatedAt    time.Time           `json:"updated_at"`
	Locations    []apiLocation       `json:"locations"`
	Schedules    []apiSchedule       `json:"schedules"`
	Tags         []apiListingTag     `json:"tags"`
	Languages    []string            `json:"languages"`
	Modes        []directory.Mode    `json:"modes"`
	OnlineOnly   bool                `json:"online_only"`
	Freshness    directory.Freshness `json:"freshness"`
}

type apiOrganization struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Website     string `json:"website,omitempty"`
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
}

// apiLocation is a place or an online room. A discreet place has only its area
// and a position coarsened to about a kilometre.
type apiLocation struct {
	ID            string                 `json:"id"`
	Kind          directory.LocationKind `json:"kind"`
	Name          string                 `json:"name,omitempty"`
	Address       string                 `json:"address,omitempty"`
	Neighbourhood string                 `json:"neighbourhood,omitempty"`
	City          string                 `json:"city,omitempty"`
	Region        string                 `json:"region,omitempty"`
	PostalCode    string                 `json:"postal_code,omitempty"`
	Country       string                 `json:"country,omitempty"`
	Lat           *float64               `json:"lat,omitempty"`
	Lng           *float64               `json:"lng,omitempty"`
	TransitNotes  string                 `json:"transit_notes,omitempty"`
	URL           string                 `json:"url,omitempty"`
	Discreet      bool                   `json:"discreet"`
}

type apiSchedule struct {
	ID        string   `json:"id"`
	Freq      string   `json:"freq"`
	Interval  int      `json:"interval"`
	ByDay     string   `json:"byday,omitempty"`
	OpensAt   string   `json:"opens_at"`
	ClosesAt  string   `json:"closes_at"`
	Start     string   `json:"dtstart"`
	Until     *string  `json:"until,omitempty"`
	TimeZone  string   `json:"timezone"`
	SkipDates []string `json:"skip_dates,omitempty"`
	Notes     string   `json:"notes,omitempty"`
	// Next are the coming meetings, in the schedule's time zone; empty while the
	// listing is paused or once the schedule has ended.
	Next []apiOccurrence `json:"next"`
}

type apiOccurrence struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

type apiListingTag struct {
	Tag         string           `json:"tag"`
	Value       directory.Value  `json:"value"`
	Note        string           `json:"note,omitempty"`
	Source      directory.Source `json:"source"`
	ConfirmedAt time.Time        `json:"confirmed_at"`
	Category    string           `json:"category"`
	Label       string           `json:"label"`
	Definition  string           `json:"definition"`
}

// apiUpcoming is how many next meetings each schedule lists.
const apiUpcoming = 3

// apiListingDetail answers GET /api/v1/listings/{idOrSlug}. Only published
// listings are public; a draft or an archived listing is not found.
func (s *Server) apiListingDetail(c echo.Context) error {
	l, err := s.Directory.PublicListing(c.Request().Context(), c.Param("idOrSlug"))
	if err != nil {
		return err
	}
	ui := s.lang(c)
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", ui)
	return c.JSON(http.StatusOK, newAPIListing(l, tagsBySlug(s.Directory.Taxonomy(ui)), time.Now()))
}

func newAPIListing(l directory.PublicListing, tags map[string]directory.Tag, now time.Time) apiListing {
	o := l.Organization
	out := apiListing{
		ID: l.ID, Slug: l.Slug, Name: l.Name, Summary: l.Summary, Description: l.Description,
		WhatToExpect: l.WhatToExpect, TextLang: l.TextLang, Status: directory.Published, Paused: l.Paused,
		PausedNote: l.PausedNote, CostNote: l.CostNote, HowToJoin: l.HowToJoin, Email: l.Email, Phone: l.Phone,
		Website: l.Website, PhoneMeeting: l.PhoneMeeting, ConfirmedAt: l.ConfirmedAt, ConfirmedBy: l.ConfirmedBy,
		UpdatedAt: l.UpdatedAt, Languages: l.Languages, Modes: l.Modes, OnlineOnly: l.OnlineOnly,
		Freshness: l.Freshness,
		Organization: apiOrganization{ID: o.ID, Slug: o.Slug, Name: o.Name, Description: o.Description,
			Website: o.Website, Email: o.Email, Phone: o.Phone},
		Locations: make([]apiLocation, 0, len(l.Locations)), Schedules: make([]apiSchedule, 0, len(l.Schedules)),
		Tags: make([]apiListingTag, 0, len(l.Tags)),
	}
	if out.Modes == nil {
		out.Modes = []directory.Mode{}
	}
	for _, loc := range l.Locations {
		out.Locations = append(out.Locations, apiLocation{ID: loc.ID, Kind: loc.Kind, Name: loc.Name,
			Address: loc.Address, Neighbourhood: loc.Neighbourhood, City: loc.City, Region: loc.Region,
			PostalCode: loc.PostalCode, Country: loc.Country, Lat: loc.Lat, Lng: loc.Lng,
			TransitNotes: loc.TransitNotes, URL: loc.URL, Discreet: loc.Discreet})
	}
	for _, sc := range l.Schedules {
		out.Schedules = append(out.Schedules, apiSchedule{ID: sc.ID, Freq: sc.Freq, Interval: sc.Interval,
			ByDay: sc.ByDay, OpensAt: sc.OpensAt, ClosesAt: sc.ClosesAt, Start: sc.Start, Until: sc.Until,
			TimeZone: sc.TimeZone, SkipDates: sc.SkipDates, Notes: sc.Notes, Next: nextMeetings(sc, l.Paused, now)})
	}
	for _, lt := range l.Tags {
		t := tags[lt.Tag]
		out.Tags = append(out.Tags, apiListingTag{Tag: lt.Tag, Value: lt.Value, Note: lt.Note, Source: lt.Source,
			ConfirmedAt: lt.ConfirmedAt, Category: t.Category, Label: t.Label, Definition: t.Definition})
	}
	return out
}

// nextMeetings lists a schedule's coming meetings; none when the listing is
// paused or the stored rule cannot be read.
func nextMeetings(sc directory.Schedule, paused bool, now time.Time) []apiOccurrence {
	out := []apiOccurrence{}
	if paused {
		return out
	}
	rule, err := sc.Rule()
	if err != nil {
		return out
	}
	occs, err := rule.Next(now, apiUpcoming)
	if err != nil {
		return out
	}
	for _, o := range occs {
		out = append(out, apiOccurrence{Start: o.Start, End: o.End})
	}
	return out
}

// apiTaxonomy is every need a search can ask for and every language a group can
// meet in, in one UI language.
type apiTaxonomy struct {
	UI         string               `json:"ui"`
	Categories []directory.Category `json:"categories"`
	Languages  []directory.Language `json:"languages"`
}

// apiTags answers GET /api/v1/tags.
func (s *Server) apiTags(c echo.Context) error {
	ui := s.lang(c)
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Content-Language", ui)
	return c.JSON(http.StatusOK, apiTaxonomy{UI: ui, Categories: s.Directory.Taxonomy(ui), Languages: s.Directory.Languages(ui)})
}
