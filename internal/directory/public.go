package directory

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// PublicListing is everything anyone may see of a listing, and nothing more. It is
// built in one place, Publish, and every public surface (the group page, the API,
// JSON-LD, calendar files, exports and the search document) starts from it, so a
// rule about what the public sees is written once. Fields are listed one by one,
// never by embedding Listing: a private field added to Listing later cannot
// become public by accident.
type PublicListing struct {
	ID           string
	Slug         string
	Organization PublicOrganization
	Name         string
	Summary      string
	Description  string
	WhatToExpect string
	TextLang     string
	Paused       bool
	PausedNote   string
	CostNote     string
	HowToJoin    string
	Email        string
	Phone        string
	Website      string
	PhoneMeeting string
	ConfirmedAt  time.Time
	ConfirmedBy  Source
	UpdatedAt    time.Time
	Freshness    Freshness
	Modes        []Mode
	OnlineOnly   bool
	// Locations are physical places first, then online rooms. A discreet place
	// keeps only its area: see Publish.
	Locations []Location
	Schedules []Schedule
	// Tags leave out physical-access tags when nobody meets in person.
	Tags      []ListingTag
	Languages []string

	// near is where the listing is for "near me": the first physical place's
	// position, coarsened for a discreet place. It is for distances only, never
	// shown.
	near *Position
}

// Position is a point on the map.
type Position struct{ Lat, Lng float64 }

// Near is the position distances are measured from, if the listing has one: the
// first physical place's, to about a kilometre for a discreet place.
func (p PublicListing) Near() (Position, bool) {
	if p.near == nil {
		return Position{}, false
	}
	return *p.near, true
}

// PublicOrganization is what anyone may see of the organization behind a listing.
type PublicOrganization struct {
	ID, Slug, Name, Description, Website, Email, Phone string
}

// TagKinds tells which tags describe a physical place (a step-free entrance, an
// accessible toilet), which mean nothing for a group that only meets online.
type TagKinds interface {
	Physical(slug string) bool
}

// discreetPrecision is how many decimals of a discreet place's position are
// public: two decimals is about a kilometre, enough for "near me" and no more.
const discreetPrecision = 100

// Publish builds the public view of a listing as of now: ErrNotFound unless it is
// published; a discreet place shows only its neighbourhood, city, region and
// country (no name, address, postal code, transit notes or position: each can
// give the place away), and is found by distance to about a kilometre; physical-access
// tags are left out when nobody meets in person.
func Publish(l Listing, kinds TagKinds, th Thresholds, now time.Time) (PublicListing, error) {
	if l.Status != Published {
		return PublicListing{}, fmt.Errorf("listing %s is %s: %w", l.Slug, l.Status, ErrNotFound)
	}
	o := l.Organization
	p := PublicListing{
		ID: l.ID, Slug: l.Slug, Name: l.Name, Summary: l.Summary, Description: l.Description,
		WhatToExpect: l.WhatToExpect, TextLang: l.TextLang, Paused: l.Paused, PausedNote: l.PausedNote,
		CostNote: l.CostNote, HowToJoin: l.HowToJoin, Email: l.Email, Phone: l.Phone, Website: l.Website,
		PhoneMeeting: l.PhoneMeeting, ConfirmedAt: l.ConfirmedAt, ConfirmedBy: l.ConfirmedBy, UpdatedAt: l.UpdatedAt,
		Organization: PublicOrganization{ID: o.ID, Slug: o.Slug, Name: o.Name, Description: o.Description,
			Website: o.Website, Email: o.Email, Phone: o.Phone},
		Freshness:  th.Of(l.ConfirmedAt, now),
		Modes:      slices.Clone(l.Modes()),
		OnlineOnly: l.OnlineOnly(),
		Locations:  make([]Location, 0, len(l.Locations)),
		Schedules:  slices.Clone(l.Schedules),
		Tags:       make([]ListingTag, 0, len(l.Tags)),
		Languages:  slices.Clone(l.Languages),
	}
	if p.Schedules == nil {
		p.Schedules = []Schedule{}
	}
	if p.Languages == nil {
		p.Languages = []string{}
	}
	for _, kind := range []LocationKind{Physical, Virtual} {
		for _, loc := range l.Locations {
			if loc.Kind != kind {
				continue
			}
			if p.near == nil && loc.Lat != nil && loc.Lng != nil {
				p.near = &Position{Lat: *loc.Lat, Lng: *loc.Lng}
				if loc.Discreet {
					p.near = &Position{Lat: coarse(*loc.Lat), Lng: coarse(*loc.Lng)}
				}
			}
			if loc.Discreet {
				loc.Name, loc.Address, loc.PostalCode, loc.TransitNotes = "", "", "", ""
				loc.Lat, loc.Lng = nil, nil
			}
			p.Locations = append(p.Locations, loc)
		}
	}
	for _, t := range l.Tags {
		if p.OnlineOnly && kinds.Physical(t.Tag) {
			continue
		}
		p.Tags = append(p.Tags, t)
	}
	return p, nil
}

func coarse(v float64) float64 { return math.Round(v*discreetPrecision) / discreetPrecision }

// Tag returns the listing's public value for a tag slug, and whether it has one.
func (p PublicListing) Tag(slug string) (ListingTag, bool) {
	for _, t := range p.Tags {
		if t.Tag == slug {
			return t, true
		}
	}
	return ListingTag{}, false
}

// Places are the physical locations; Rooms the online ones.
func (p PublicListing) Places() []Location { return p.ofKind(Physical) }

// Rooms are the online locations.
func (p PublicListing) Rooms() []Location { return p.ofKind(Virtual) }

func (p PublicListing) ofKind(k LocationKind) []Location {
	var out []Location
	for _, loc := range p.Locations {
		if loc.Kind == k {
			out = append(out, loc)
		}
	}
	return out
}
