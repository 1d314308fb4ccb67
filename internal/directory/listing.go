package directory

import (
	"slices"
	"time"
)

// Value is how far a space offers what a tag describes. A tag that is absent from a
// listing means "not reported yet", which is never the same as No.
type Value string

const (
	Yes    Value = "yes"
	Partly Value = "partly"
	No     Value = "no"
)

// Valid reports whether v is one of the three values a listing tag may hold.
func (v Value) Valid() bool { return v == Yes || v == Partly || v == No }

// Status is where a listing is in its life: a draft waits (for its organizer to
// confirm an email, or for a moderator), a published listing is public, an
// archived one is kept for its history but no longer shown.
type Status string

const (
	Draft     Status = "draft"
	Published Status = "published"
	Archived  Status = "archived"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Draft || s == Published || s == Archived }

// Source says who last confirmed something.
type Source string

const (
	ByOrganizer Source = "organizer"
	ByModerator Source = "moderator"
	ByImport    Source = "import"
)

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return s == ByOrganizer || s == ByModerator || s == ByImport }

// Organization runs one or more listings.
type Organization struct {
	ID          string `db:"id" json:"id"`
	Slug        string `db:"slug" json:"slug"`
	Name        string `db:"name" json:"name"`
	Description string `db:"description" json:"description,omitempty"`
	Website     string `db:"website" json:"website,omitempty"`
	Email       string `db:"email" json:"email,omitempty"`
	Phone       string `db:"phone" json:"phone,omitempty"`
}

// Listing is one group, space or recurring gathering (an HSDS service).
type Listing struct {
	ID           string       `json:"id"`
	Slug         string       `json:"slug"`
	Organization Organization `json:"organization"`
	Name         string       `json:"name"`
	Summary      string       `json:"summary"`
	Description  string       `json:"description,omitempty"`
	WhatToExpect string       `json:"what_to_expect,omitempty"`
	TextLang     string       `json:"text_lang"`
	Status       Status       `json:"status"`
	Paused       bool         `json:"paused"`
	PausedNote   string       `json:"paused_note,omitempty"`
	CostNote     string       `json:"cost_note,omitempty"`
	HowToJoin    string       `json:"how_to_join,omitempty"`
	Email        string       `json:"email,omitempty"`
	Phone        string       `json:"phone,omitempty"`
	Website      string       `json:"website,omitempty"`
	PhoneMeeting string       `json:"phone_meeting,omitempty"`
	ConfirmedAt  time.Time    `json:"confirmed_at"`
	ConfirmedBy  Source       `json:"confirmed_by"`
	UpdatedAt    time.Time    `json:"updated_at"`
	// Version goes up on every change to the listing, so an edit based on an
	// older version is refused rather than overwriting a newer one.
	Version int `json:"version"`
	// ContactEmail is the organizer's private address, used only to verify and
	// reach them; never public. ContactLang is the language they write in.
	ContactEmail string `json:"contact_email,omitempty"`
	ContactLang  string `json:"contact_lang,omitempty"`

	Locations []Location   `json:"locations"`
	Schedules []Schedule   `json:"schedules"`
	Tags      []ListingTag `json:"tags"`
	Languages []string     `json:"languages"`
}

// Location is where a listing meets: a physical place or a virtual room.
type Location struct {
	ID            string       `db:"id" json:"id"`
	Kind          LocationKind `db:"kind" json:"kind"`
	Name          string       `db:"name" json:"name,omitempty"`
	Address       string       `db:"address" json:"address,omitempty"`
	Neighbourhood string       `db:"neighbourhood" json:"neighbourhood,omitempty"`
	City          string       `db:"city" json:"city,omitempty"`
	Region        string       `db:"region" json:"region,omitempty"`
	PostalCode    string       `db:"postal_code" json:"postal_code,omitempty"`
	Country       string       `db:"country" json:"country,omitempty"`
	Lat           *float64     `db:"lat" json:"lat,omitempty"`
	Lng           *float64     `db:"lng" json:"lng,omitempty"`
	TransitNotes  string       `db:"transit_notes" json:"transit_notes,omitempty"`
	URL           string       `db:"url" json:"url,omitempty"`
	Discreet      bool         `db:"discreet" json:"discreet"`
}

// LocationKind says whether a location is a physical place or a virtual room.
type LocationKind string

const (
	Physical LocationKind = "physical"
	Virtual  LocationKind = "virtual"
)

// Valid reports whether k is a known kind.
func (k LocationKind) Valid() bool { return k == Physical || k == Virtual }

// Schedule is one recurring meeting pattern, in HSDS RRULE terms, in the listing's
// own time zone. Times are "HH:MM", dates "YYYY-MM-DD".
type Schedule struct {
	ID        string   `db:"id" json:"id"`
	Freq      string   `db:"freq" json:"freq"`
	Interval  int      `db:"interval" json:"interval"`
	ByDay     string   `db:"byday" json:"byday,omitempty"`
	OpensAt   string   `db:"opens_at" json:"opens_at"`
	ClosesAt  string   `db:"closes_at" json:"closes_at"`
	Start     string   `db:"dtstart" json:"dtstart"`
	Until     *string  `db:"until" json:"until,omitempty"`
	TimeZone  string   `db:"timezone" json:"timezone"`
	SkipDates []string `db:"skip_dates" json:"skip_dates,omitempty"`
	Notes     string   `db:"notes" json:"notes,omitempty"`
}

// ListingTag says how far a listing offers what one barrier tag describes.
type ListingTag struct {
	Tag         string    `db:"tag" json:"tag"`
	Value       Value     `db:"value" json:"value"`
	Note        string    `db:"note" json:"note,omitempty"`
	Source      Source    `db:"source" json:"source"`
	ConfirmedAt time.Time `db:"confirmed_at" json:"confirmed_at"`
}

// Mode is how a person can attend. It is derived from the data, never typed in.
type Mode string

const (
	InPerson Mode = "in_person"
	Online   Mode = "online"
	Hybrid   Mode = "hybrid"
	ByPhone  Mode = "phone"
)

// Modes lists every way a person can attend, in a stable order.
func (l Listing) Modes() []Mode {
	var physical, virtual bool
	for _, loc := range l.Locations {
		physical = physical || loc.Kind == Physical
		virtual = virtual || loc.Kind == Virtual
	}
	var modes []Mode
	switch {
	case physical && virtual:
		modes = append(modes, Hybrid, InPerson, Online)
	case physical:
		modes = append(modes, InPerson)
	case virtual:
		modes = append(modes, Online)
	}
	if l.PhoneMeeting != "" {
		modes = append(modes, ByPhone)
	}
	return modes
}

// OnlineOnly reports whether nobody meets in a physical place, so physical-access
// tags do not apply and distance never excludes the listing.
func (l Listing) OnlineOnly() bool {
	modes := l.Modes()
	return len(modes) > 0 && !slices.Contains(modes, InPerson)
}

// Tag returns the listing's value for a tag slug, and whether it was reported.
func (l Listing) Tag(slug string) (ListingTag, bool) {
	for _, t := range l.Tags {
		if t.Tag == slug {
			return t, true
		}
	}
	return ListingTag{}, false
}
