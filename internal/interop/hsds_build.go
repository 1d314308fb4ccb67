package interop

import (
	"strconv"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop/hsds"
)

// Statuses of an HSDS service.
const (
	statusActive       = "active"
	statusClosedForNow = "temporarily closed"
)

// vocab is what building HSDS records needs to know of the taxonomy and the
// languages, looked up once per answer.
type vocab struct {
	tags      map[string]directory.Tag
	terms     *terms
	languages map[string]string // code → English name
}

func (s *Service) vocab() vocab {
	v := vocab{tags: s.tagsBySlug(), terms: buildTerms(s.dir.Taxonomy(exportLang)), languages: map[string]string{}}
	for _, l := range s.dir.Languages(exportLang) {
		v.languages[l.Code] = l.Name
	}
	return v
}

// hsdsService is a listing as a fully nested HSDS service.
func (s *Service) hsdsService(l directory.PublicListing, v vocab, now time.Time) hsds.Service {
	org := hsdsOrganization(l.Organization)
	out := hsds.Service{
		ServiceFields: s.serviceFields(l, v),
		Organization:  &org,
	}
	if l.Phone != "" {
		out.Phones = append(out.Phones, hsds.Phone{ID: nameID("phone", l.ID, "contact"), ServiceID: l.ID,
			Number: l.Phone, Type: "voice", Description: "Get in touch"})
	}
	if l.PhoneMeeting != "" {
		out.Phones = append(out.Phones, hsds.Phone{ID: nameID("phone", l.ID, "meeting"), ServiceID: l.ID,
			Number: l.PhoneMeeting, Type: "voice", Description: "Join the meeting by phone"})
	}
	for i, sc := range l.Schedules {
		out.Schedules = append(out.Schedules, hsdsSchedule(l.ID, i, sc, now))
	}
	for i, loc := range l.Locations {
		location := hsdsLocation(l, i, loc, v)
		out.ServiceAtLocations = append(out.ServiceAtLocations, hsds.ServiceAtLocation{
			ID: nameID("service_at_location", l.ID, location.ID), ServiceID: l.ID, LocationID: location.ID,
			Location: &location})
	}
	for _, code := range l.Languages {
		name := v.languages[code]
		if name == "" {
			name = code
		}
		out.Languages = append(out.Languages, hsds.Language{ID: nameID("language", l.ID, code), ServiceID: l.ID,
			Name: name, Code: code})
	}
	out.CostOptions = costOptions(l, v)
	out.Attributes = serviceAttributes(l, v)
	return out
}

// serviceFields are the one-to-one fields of a listing's service.
func (s *Service) serviceFields(l directory.PublicListing, v vocab) hsds.ServiceFields {
	f := hsds.ServiceFields{
		ID: l.ID, OrganizationID: l.Organization.ID, Name: l.Name,
		Description:        joinNonEmpty([]string{l.Summary, l.Description, l.WhatToExpect}, "\n\n"),
		URL:                l.Website,
		Email:              l.Email,
		Status:             statusActive,
		ApplicationProcess: l.HowToJoin,
		FeesDescription:    l.CostNote,
		AssuredDate:        l.ConfirmedAt.UTC().Format(time.DateOnly),
		XConfirmedBy:       string(l.ConfirmedBy),
		XFreshness:         string(l.Freshness),
		XUpdatedAt:         l.UpdatedAt.UTC().Format(time.RFC3339),
		XPageURL:           s.groupURL(l.Slug),
	}
	if f.URL == "" {
		f.URL = f.XPageURL
	}
	if l.Paused {
		f.Status, f.Alert = statusClosedForNow, l.PausedNote
	}
	var interpreting []string
	for _, slug := range []string{"lang.sign-interpreting", "lang.interpreting-on-request"} {
		if t, ok := l.Tag(slug); ok && t.Value != directory.No {
			interpreting = append(interpreting, joinNonEmpty([]string{v.tags[slug].Label + ": " + string(t.Value), t.Note}, ". "))
		}
	}
	f.InterpretationServices = strings.Join(interpreting, "\n")
	return f
}

func hsdsOrganization(o directory.PublicOrganization) hsds.Organization {
	out := hsds.Organization{ID: o.ID, Name: o.Name, Description: o.Description, Email: o.Email, Website: o.Website}
	if o.Phone != "" {
		out.Phones = []hsds.Phone{{ID: nameID("phone", o.ID, "organization"), OrganizationID: o.ID, Number: o.Phone,
			Type: "voice"}}
	}
	return out
}

// hsdsLocation is a place or a room. Publish has already taken a discreet
// place's name, street, postal code, transport notes and position away; HSDS
// requires address_1 and postal_code, so they are written empty.
func hsdsLocation(l directory.PublicListing, i int, loc directory.Location, v vocab) hsds.Location {
	id := nameID("location", l.ID, strconv.Itoa(i))
	if loc.Kind == directory.Virtual {
		name := loc.Name
		if name == "" {
			name = "Online"
		}
		return hsds.Location{ID: id, LocationType: "virtual", URL: loc.URL, Name: name}
	}
	out := hsds.Location{ID: id, LocationType: "physical", Name: loc.Name, Transportation: loc.TransitNotes,
		Latitude: loc.Lat, Longitude: loc.Lng, XDiscreet: loc.Discreet,
		Addresses: []hsds.Address{{ID: nameID("address", id), LocationID: id, Address1: loc.Address, City: loc.City,
			Region: loc.Neighbourhood, StateProvince: loc.Region, PostalCode: loc.PostalCode, Country: loc.Country,
			AddressType: "physical"}}}
	// Barrier tags belong to the listing, not to one of its places; a
	// physical-access tag describes each place the group meets in.
	for _, t := range l.Tags {
		tag := v.tags[t.Tag]
		if tag.Category != "physical-access" {
			continue
		}
		aid := nameID("accessibility", id, t.Tag)
		out.Accessibility = append(out.Accessibility, hsds.Accessibility{ID: aid, LocationID: id,
			Description: tag.Label + ": " + string(t.Value), Details: t.Note,
			Attributes: []hsds.Attribute{attribute(nameID("attribute", aid), aid, "accessibility", t, v)}})
	}
	return out
}

// hsdsSchedule is one schedule; its id is named after the listing and its
// place in it, since stored schedule ids change whenever the listing is saved.
func hsdsSchedule(listingID string, i int, sc directory.Schedule, now time.Time) hsds.Schedule {
	out := hsds.Schedule{ID: nameID("schedule", listingID, strconv.Itoa(i)), ServiceID: listingID, Freq: sc.Freq,
		Interval: sc.Interval, ByDay: sc.ByDay, OpensAt: sc.OpensAt, ClosesAt: sc.ClosesAt, DTStart: sc.Start,
		Notes: sc.Notes, XTimezone: sc.TimeZone, XSkipDates: sc.SkipDates, Timezone: utcOffset(sc, now)}
	if sc.Until != nil {
		out.Until = *sc.Until
	}
	return out
}

// utcOffset is the schedule's UTC offset in hours at its next meeting (at now
// when it has none left): daylight saving time moves it during the year.
func utcOffset(sc directory.Schedule, now time.Time) float64 {
	loc, err := time.LoadLocation(sc.TimeZone)
	if err != nil {
		return 0
	}
	at := now.In(loc)
	if rule, err := sc.Rule(); err == nil {
		if next, err := rule.Next(now, 1); err == nil && len(next) > 0 {
			at = next[0].Start.In(loc)
		}
	}
	_, seconds := at.Zone()
	return float64(seconds) / 3600
}

// costOptions says what the cost tags say: free, or pay what you can.
func costOptions(l directory.PublicListing, v vocab) []hsds.CostOption {
	var out []hsds.CostOption
	if t, ok := l.Tag("cost.free"); ok && t.Value == directory.Yes {
		zero := 0.0
		out = append(out, hsds.CostOption{ID: nameID("cost_option", l.ID, t.Tag), ServiceID: l.ID,
			Option: v.tags[t.Tag].Label, Amount: &zero, AmountDescription: t.Note})
	}
	if t, ok := l.Tag("cost.pay-what-you-can"); ok && t.Value != directory.No {
		out = append(out, hsds.CostOption{ID: nameID("cost_option", l.ID, t.Tag), ServiceID: l.ID,
			Option: v.tags[t.Tag].Label, AmountDescription: t.Note})
	}
	return out
}

// serviceAttributes link the service to a barrier term for each tag it has
// reported, and to an Open Eligibility term for each tag it fully offers that
// the hsds alias table says means the same.
func serviceAttributes(l directory.PublicListing, v vocab) []hsds.Attribute {
	var out []hsds.Attribute
	for _, t := range l.Tags {
		if _, ok := v.terms.byID[tagTermID(t.Tag)]; !ok {
			continue
		}
		out = append(out, attribute(nameID("attribute", l.ID, t.Tag), l.ID, "service", t, v))
		if t.Value != directory.Yes {
			continue
		}
		for _, code := range v.tags[t.Tag].Aliases["hsds"] {
			term, ok := v.terms.byID[aliasTermID(code)]
			if !ok {
				continue
			}
			out = append(out, hsds.Attribute{ID: nameID("attribute", l.ID, code), LinkID: l.ID, LinkType: linkType,
				LinkEntity: "service", TaxonomyTermID: term.ID, Value: string(t.Value), TaxonomyTerm: &term,
				XConfirmedAt: t.ConfirmedAt.UTC().Format(time.RFC3339)})
		}
	}
	return out
}

// linkType says what an attribute's term describes: something the space offers.
const linkType = "offers"

func attribute(id, linkID, entity string, t directory.ListingTag, v vocab) hsds.Attribute {
	term := v.terms.byID[tagTermID(t.Tag)]
	return hsds.Attribute{ID: id, LinkID: linkID, LinkType: linkType, LinkEntity: entity, TaxonomyTermID: term.ID,
		Value: string(t.Value), TaxonomyTerm: &term, XNote: t.Note, XConfirmedAt: t.ConfirmedAt.UTC().Format(time.RFC3339)}
}

// oneToOne is a service without its nested records, as lists show it.
func oneToOne(f hsds.ServiceFields) hsds.Service { return hsds.Service{ServiceFields: f} }
