package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
)

// apiListing is a listing as the API shows it: what is stored, with what the
// product derives from it, tag words in the UI language, and the next dates of
// each schedule. A discreet place shows only its neighbourhood and city.
type apiListing struct {
	directory.Listing
	Locations  []directory.Location `json:"locations"`
	Schedules  []apiSchedule        `json:"schedules"`
	Tags       []apiListingTag      `json:"tags"`
	Modes      []directory.Mode     `json:"modes"`
	OnlineOnly bool                 `json:"online_only"`
	Freshness  directory.Freshness  `json:"freshness"`
}

type apiSchedule struct {
	directory.Schedule
	// Next are the coming meetings, in the schedule's time zone; empty while the
	// listing is paused or once the schedule has ended.
	Next []apiOccurrence `json:"next"`
}

type apiOccurrence struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

type apiListingTag struct {
	directory.ListingTag
	Category   string `json:"category"`
	Label      string `json:"label"`
	Definition string `json:"definition"`
}

// apiUpcoming is how many next meetings each schedule lists.
const apiUpcoming = 3

// apiListingDetail answers GET /api/v1/listings/{idOrSlug}. Only published
// listings are public; a draft or an archived listing is not found.
func (s *Server) apiListingDetail(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := s.Store.Listing(ctx, c.Param("idOrSlug"))
	if err != nil {
		return err
	}
	if l.Status != "published" {
		return fmt.Errorf("listing %s is %s: %w", l.Slug, l.Status, directory.ErrNotFound)
	}
	ui := s.lang(c)
	cats, err := s.Store.Taxonomy(ctx, ui)
	if err != nil {
		return err
	}
	tags := map[string]directory.Tag{}
	for _, cat := range cats {
		for _, t := range cat.Tags {
			tags[t.Slug] = t
		}
	}
	thresholds := directory.Thresholds{AgingAfter: s.Config.AgingAfter, StaleAfter: s.Config.StaleAfter}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", ui)
	return c.JSON(http.StatusOK, newAPIListing(l, tags, thresholds, time.Now()))
}

func newAPIListing(l directory.Listing, tags map[string]directory.Tag, th directory.Thresholds, now time.Time) apiListing {
	out := apiListing{
		Listing: l, Locations: make([]directory.Location, 0, len(l.Locations)),
		Schedules: make([]apiSchedule, 0, len(l.Schedules)), Tags: []apiListingTag{},
		Modes: append([]directory.Mode{}, l.Modes()...), OnlineOnly: l.OnlineOnly(),
		Freshness: th.Of(l.ConfirmedAt, now),
	}
	for _, loc := range l.Locations {
		if loc.Discreet {
			// Only the area, until someone asks the organizer: name, address,
			// transit notes and coordinates can each give the place away.
			loc.Name, loc.Address, loc.PostalCode, loc.TransitNotes = "", "", "", ""
			loc.Lat, loc.Lng = nil, nil
		}
		out.Locations = append(out.Locations, loc)
	}
	for _, sc := range l.Schedules {
		out.Schedules = append(out.Schedules, apiSchedule{Schedule: sc, Next: nextMeetings(sc, l.Paused, now)})
	}
	for _, lt := range l.Tags {
		t, known := tags[lt.Tag]
		if !known || (t.Physical && out.OnlineOnly) {
			continue // a step-free entrance means nothing to a group that meets online
		}
		out.Tags = append(out.Tags, apiListingTag{ListingTag: lt, Category: t.Category, Label: t.Label,
			Definition: t.Definition})
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
	ctx := c.Request().Context()
	ui := s.lang(c)
	cats, err := s.Store.Taxonomy(ctx, ui)
	if err != nil {
		return err
	}
	langs, err := s.Store.Languages(ctx, ui)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Content-Language", ui)
	return c.JSON(http.StatusOK, apiTaxonomy{UI: ui, Categories: cats, Languages: langs})
}
