package interop

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop/hsds"
)

// hsdsIndex is a dataset's records grouped by what they belong to.
type hsdsIndex struct {
	orgs       map[string]hsds.Organization
	orgPhones  map[string][]hsds.Phone
	phones     map[string][]hsds.Phone
	schedules  map[string][]hsds.Schedule
	sals       map[string][]hsds.ServiceAtLocation
	locations  map[string]hsds.Location
	addresses  map[string][]hsds.Address
	languages  map[string][]hsds.Language
	costs      map[string][]hsds.CostOption
	attributes map[string][]hsds.Attribute
	termCodes  map[string]string // term id → code, from the dataset's own terms
}

func indexDataset(ds rawDataset) hsdsIndex {
	x := hsdsIndex{orgs: map[string]hsds.Organization{}, orgPhones: map[string][]hsds.Phone{},
		phones: map[string][]hsds.Phone{}, schedules: map[string][]hsds.Schedule{},
		sals: map[string][]hsds.ServiceAtLocation{}, locations: map[string]hsds.Location{},
		addresses: map[string][]hsds.Address{}, languages: map[string][]hsds.Language{},
		costs: map[string][]hsds.CostOption{}, attributes: map[string][]hsds.Attribute{}, termCodes: map[string]string{}}
	for _, o := range ds.Organizations {
		x.orgs[o.ID] = o
	}
	for _, ph := range ds.Phones {
		if ph.ServiceID != "" {
			x.phones[ph.ServiceID] = append(x.phones[ph.ServiceID], ph)
		} else if ph.OrganizationID != "" {
			x.orgPhones[ph.OrganizationID] = append(x.orgPhones[ph.OrganizationID], ph)
		}
	}
	for _, sc := range ds.Schedules {
		x.schedules[sc.ServiceID] = append(x.schedules[sc.ServiceID], sc)
	}
	for _, sal := range ds.ServiceAtLocations {
		x.sals[sal.ServiceID] = append(x.sals[sal.ServiceID], sal)
	}
	for _, l := range ds.Locations {
		x.locations[l.ID] = l
	}
	for _, a := range ds.Addresses {
		x.addresses[a.LocationID] = append(x.addresses[a.LocationID], a)
	}
	for _, l := range ds.Languages {
		x.languages[l.ServiceID] = append(x.languages[l.ServiceID], l)
	}
	for _, c := range ds.CostOptions {
		x.costs[c.ServiceID] = append(x.costs[c.ServiceID], c)
	}
	for _, a := range ds.Attributes {
		x.attributes[a.LinkID] = append(x.attributes[a.LinkID], a)
	}
	for _, t := range ds.TaxonomyTerms {
		x.termCodes[t.ID] = t.Code
	}
	return x
}

// hsdsTerms maps the ids and codes of the terms belong publishes (its own tags
// and the Open Eligibility terms they mean the same as) to tag slugs.
type hsdsTerms struct {
	tags    map[string]string // term id or tag slug → tag slug
	aliases map[string]string // alias term id or code → tag slug
}

func (im *Importer) hsdsTerms() hsdsTerms {
	t := hsdsTerms{tags: map[string]string{}, aliases: map[string]string{}}
	for _, tag := range im.tagsBySlug() {
		t.tags[tagTermID(tag.Slug)] = tag.Slug
		t.tags[tag.Slug] = tag.Slug
		for _, code := range tag.Aliases["hsds"] {
			t.aliases[aliasTermID(code)] = tag.Slug
			if name, ok := strings.CutPrefix(code, openEligibilityPrefix); ok {
				t.aliases[name] = tag.Slug
			}
		}
	}
	return t
}

// planHSDS turns each service into a listing.
func (im *Importer) planHSDS(_ context.Context, ds rawDataset, p *Plan) {
	x := indexDataset(ds)
	terms := im.hsdsTerms()
	seen := map[string]string{}
	for _, sv := range ds.Services {
		item := "service " + shorten(sv.ID)
		if sv.ID == "" {
			item = "service " + shorten(sv.Name)
		}
		b := &hsdsBuilder{im: im, x: x, terms: terms, item: item, p: p, now: im.now()}
		l, ok := b.listing(sv)
		if !ok {
			continue
		}
		if other, dup := seen[l.Slug]; dup {
			p.Problems = append(p.Problems, Problem{Item: item, Column: "name", Value: l.Slug, Key: keySameSlug,
				Arg: other, Message: other + " has the same address (slug)"})
			continue
		}
		seen[l.Slug] = item
		p.Listings = append(p.Listings, Planned{Item: item, Listing: l, Slug: l.Slug, Name: l.Name})
	}
}

type hsdsBuilder struct {
	im    *Importer
	x     hsdsIndex
	terms hsdsTerms
	item  string
	p     *Plan
	now   time.Time
}

func (b *hsdsBuilder) note(item, field, msg string) {
	b.p.Notes = append(b.p.Notes, Problem{Item: item, Column: field, Key: "import.note.left_out", Message: msg})
}

func (b *hsdsBuilder) problem(item, field, key, msg string) {
	b.p.Problems = append(b.p.Problems, Problem{Item: item, Column: field, Key: key, Message: msg})
}

// listing maps one service; false when it cannot become a listing.
func (b *hsdsBuilder) listing(sv hsds.Service) (directory.Listing, bool) {
	confirmed := assuredTime(sv.AssuredDate, b.now)
	l := directory.Listing{Name: strings.TrimSpace(sv.Name), Email: sv.Email, HowToJoin: sv.ApplicationProcess,
		CostNote: sv.FeesDescription, TextLang: "en", Status: directory.Published, ConfirmedAt: confirmed,
		ConfirmedBy: directory.ByImport}
	if isUUID(sv.ID) {
		l.ID = sv.ID
	} else {
		b.note(b.item, "id", "the id is not a UUID, so the listing gets a new one")
	}
	if by := directory.Source(sv.XConfirmedBy); by.Valid() {
		l.ConfirmedBy = by
	}
	l.Summary, l.Description = splitDescription(sv.Description, l.Name)
	if sv.URL != "" && sv.URL != sv.XPageURL {
		l.Website = sv.URL
	}
	l.Slug = pageSlug(sv.XPageURL)
	if l.Slug == "" {
		l.Slug = slugify(l.Name)
	}
	if l.Slug == "" && isUUID(sv.ID) {
		l.Slug = "listing-" + sv.ID[:8]
	}
	switch sv.Status {
	case "", statusActive:
	case statusClosedForNow:
		l.Paused, l.PausedNote = true, sv.Alert
	case "inactive", "defunct":
		l.Status = directory.Archived
	default:
		b.problem(b.item, "status", "import.problem.status", "must be active, inactive, defunct or temporarily closed")
	}
	if sv.Alert != "" && !l.Paused {
		b.note(b.item, "alert", "an alert is kept only on a paused listing")
	}
	org, ok := b.x.orgs[sv.OrganizationID]
	if !ok {
		b.problem(b.item, "organization_id", "import.problem.organization",
			"names an organization that is not in the dataset")
		return l, false
	}
	l.Organization = directory.Organization{Name: org.Name, Description: org.Description, Email: org.Email,
		Website: org.Website, Slug: slugify(org.Name)}
	if isUUID(org.ID) {
		l.Organization.ID = org.ID
	}
	if phones := b.x.orgPhones[org.ID]; len(phones) > 0 {
		l.Organization.Phone = phones[0].Number
	}
	b.phones(sv.ID, &l)
	b.places(sv.ID, &l)
	b.schedules(sv.ID, &l)
	b.languages(sv.ID, &l)
	b.tags(sv.ID, &l, confirmed)
	ok = true
	for _, fe := range organizationProblems(l.Organization) {
		b.problem("organization "+shorten(org.ID), fe.Field, "import."+fe.Key, fe.Message)
		ok = false
	}
	if ve, isVE := errors.AsType[*directory.ValidationError](l.Validate()); isVE {
		for _, fe := range ve.Fields {
			b.p.Problems = append(b.p.Problems, Problem{Item: b.item, Column: fe.Field, Key: "import." + fe.Key,
				Message: fe.Message})
		}
		ok = false
	}
	return l, ok
}

// splitDescription undoes the export's joining of summary, description and
// what to expect with blank lines: the first paragraph is the summary.
func splitDescription(text, name string) (string, string) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return name, ""
	}
	summary, rest, _ := strings.Cut(text, "\n\n")
	if r := []rune(summary); len(r) > directory.MaxSummaryLen {
		return string(r[:directory.MaxSummaryLen-1]) + "…", text
	}
	return summary, rest
}

// pageSlug is the slug at the end of a group page's address, x_page_url.
func pageSlug(page string) string {
	u, err := url.Parse(page)
	if err != nil || !strings.Contains(u.Path, "/groups/") {
		return ""
	}
	slug := path.Base(u.Path)
	if slugify(slug) != slug {
		return ""
	}
	return slug
}

func (b *hsdsBuilder) phones(serviceID string, l *directory.Listing) {
	meeting := nameID("phone", serviceID, "meeting")
	for _, ph := range b.x.phones[serviceID] {
		switch {
		case ph.ID == meeting || (l.PhoneMeeting == "" && strings.Contains(strings.ToLower(ph.Description), "join")):
			l.PhoneMeeting = ph.Number
		case l.Phone == "":
			l.Phone = ph.Number
		default:
			b.note("phone "+shorten(ph.ID), "number", "a listing keeps one phone number to call; this one is left out")
		}
	}
}

func (b *hsdsBuilder) places(serviceID string, l *directory.Listing) {
	for _, sal := range b.x.sals[serviceID] {
		loc, ok := b.x.locations[sal.LocationID]
		item := "location " + shorten(sal.LocationID)
		if !ok {
			b.problem(b.item, "service_at_locations", "import.problem.location", "names a location that is not in the dataset")
			continue
		}
		switch loc.LocationType {
		case "virtual":
			l.Locations = append(l.Locations, directory.Location{Kind: directory.Virtual, Name: loc.Name, URL: loc.URL})
			continue
		case "physical", "":
		default:
			b.note(item, "location_type", "a "+loc.LocationType+" address is not where a group meets; left out")
			continue
		}
		out := directory.Location{Kind: directory.Physical, Name: loc.Name, TransitNotes: loc.Transportation,
			Lat: loc.Latitude, Lng: loc.Longitude, Discreet: loc.XDiscreet}
		addrs := b.x.addresses[loc.ID]
		if len(addrs) == 0 {
			b.problem(item, "addresses", "import.problem.address", "a physical location needs an address with its city")
			continue
		}
		a := addrs[0]
		for _, extra := range addrs[1:] {
			b.note("address "+shorten(extra.ID), "", "a place keeps one address; this one is left out")
		}
		out.Address, out.City, out.Neighbourhood, out.Region = a.Address1, a.City, a.Region, a.StateProvince
		out.PostalCode, out.Country = a.PostalCode, strings.ToUpper(a.Country)
		l.Locations = append(l.Locations, out)
	}
}

func (b *hsdsBuilder) schedules(serviceID string, l *directory.Listing) {
	for _, sc := range b.x.schedules[serviceID] {
		item := "schedule " + shorten(sc.ID)
		if sc.ByMonthDay != nil {
			b.note(item, "bymonthday", "meetings on a day of the month are not kept; this schedule is left out")
			continue
		}
		tz := sc.XTimezone
		if tz == "" {
			zone, ok := zoneFromOffset(sc.Timezone)
			if !ok {
				b.problem(item, "timezone", "import.problem.time_zone", "needs a whole-hour UTC offset or x_timezone_name")
				continue
			}
			tz = zone
			b.note(item, "timezone", "only a UTC offset is given, so daylight saving time is not followed ("+tz+")")
		}
		out := directory.Schedule{Freq: strings.ToUpper(sc.Freq), Interval: sc.Interval, ByDay: strings.ToUpper(sc.ByDay),
			OpensAt: hsdsTime(sc.OpensAt), ClosesAt: hsdsTime(sc.ClosesAt), Start: sc.DTStart, TimeZone: tz,
			Notes: sc.Notes, SkipDates: sc.XSkipDates}
		if out.Interval == 0 {
			out.Interval = 1
		}
		if out.Interval > maxInterval {
			b.problem(item, "interval", "import.field.schedule", fmt.Sprintf("must be at most %d", maxInterval))
			continue
		}
		if out.Start == "" {
			out.Start = firstDate(b.now, tz)
		}
		if sc.Until != "" {
			until := sc.Until
			out.Until = &until
		}
		if sc.Description != "" && out.Notes == "" {
			out.Notes = sc.Description
		}
		l.Schedules = append(l.Schedules, out)
	}
}

func (b *hsdsBuilder) languages(serviceID string, l *directory.Listing) {
	byName, known := map[string]string{}, map[string]bool{}
	for _, lang := range b.im.dir.Languages(exportLang) {
		byName[strings.ToLower(lang.Name)] = lang.Code
		known[lang.Code] = true
	}
	for _, lang := range b.x.languages[serviceID] {
		code := strings.ToLower(lang.Code)
		if code == "" {
			code = byName[strings.ToLower(lang.Name)]
		}
		if slices.Contains(l.Languages, code) {
			continue
		}
		if !known[code] {
			b.note("language "+shorten(lang.ID), "name", "is not a language belong knows; left out")
			continue
		}
		l.Languages = append(l.Languages, code)
	}
}

// tags reads the service's attributes (and its places' accessibility
// attributes) as barrier tags; a term of belong's taxonomy gives the value,
// an Open Eligibility term a tag means the same as says yes, and a free cost
// option says cost.free. Terms belong does not know are noted.
func (b *hsdsBuilder) tags(serviceID string, l *directory.Listing, confirmed time.Time) {
	set := map[string]bool{}
	add := func(slug string, v directory.Value, note, at string) {
		if set[slug] {
			return
		}
		set[slug] = true
		when := confirmed
		if t, err := time.Parse(time.RFC3339, at); err == nil {
			when = t
		}
		l.Tags = append(l.Tags, directory.ListingTag{Tag: slug, Value: v, Note: note, Source: directory.ByImport,
			ConfirmedAt: when})
	}
	var aliases []hsds.Attribute
	attrs := append([]hsds.Attribute{}, b.x.attributes[serviceID]...)
	for _, sal := range b.x.sals[serviceID] {
		for _, acc := range b.x.locations[sal.LocationID].Accessibility {
			attrs = append(attrs, acc.Attributes...)
		}
	}
	for _, a := range attrs {
		slug, ok := b.terms.tags[a.TaxonomyTermID]
		if !ok {
			slug, ok = b.terms.tags[b.x.termCodes[a.TaxonomyTermID]]
		}
		if !ok {
			aliases = append(aliases, a)
			continue
		}
		v := directory.Value(strings.ToLower(a.Value))
		if a.Value == "" {
			v = directory.Yes
		}
		if !v.Valid() {
			b.note("attribute "+shorten(a.ID), "value", fmt.Sprintf("%q is not yes, partly or no; left out", a.Value))
			continue
		}
		add(slug, v, a.XNote, a.XConfirmedAt)
	}
	for _, a := range aliases {
		slug, ok := b.terms.aliases[a.TaxonomyTermID]
		if !ok {
			slug, ok = b.terms.aliases[b.x.termCodes[a.TaxonomyTermID]]
		}
		if !ok {
			b.note("attribute "+shorten(a.ID), "taxonomy_term_id", "is not a term belong knows; left out")
			continue
		}
		add(slug, directory.Yes, "", a.XConfirmedAt)
	}
	for _, c := range b.x.costs[serviceID] {
		if c.Amount != nil && *c.Amount == 0 {
			add("cost.free", directory.Yes, c.AmountDescription, "")
			continue
		}
		// What belong writes for pay-what-you-can is a cost option without an
		// amount, which the tag it came from already says.
		if c.Amount != nil || !set["cost.pay-what-you-can"] {
			b.note("cost_option "+shorten(c.ID), "amount", "only free and pay-what-you-can are kept, as tags; left out")
		}
	}
}

// resolveOrganizations keeps an organization's slug here when its id is
// already here, and tells apart organizations of the same name.
func (im *Importer) resolveOrganizations(ctx context.Context, p *Plan) error {
	slugOf := map[string]string{} // organization id → slug in this import
	taken := map[string]string{}  // slug → organization id in this import
	for i := range p.Listings {
		o := &p.Listings[i].Listing.Organization
		if s, ok := slugOf[o.ID]; ok && o.ID != "" {
			o.Slug = s
			continue
		}
		if o.ID != "" {
			existing, err := im.st.Organization(ctx, o.ID)
			switch {
			case err == nil:
				o.Slug = existing.Slug
			case errors.Is(err, directory.ErrNotFound):
				if other, err := im.st.Organization(ctx, o.Slug); err == nil && other.ID != o.ID {
					o.Slug = suffixed(o.Slug, o.ID)
				} else if err != nil && !errors.Is(err, directory.ErrNotFound) {
					return err
				}
			default:
				return err
			}
		}
		if other, ok := taken[o.Slug]; ok && other != o.ID {
			o.Slug = suffixed(o.Slug, o.ID+strconv.Itoa(i))
		}
		slugOf[o.ID], taken[o.Slug] = o.Slug, o.ID
	}
	return nil
}

func suffixed(slug, id string) string {
	s := slugify(id)
	if len(s) > 8 {
		s = s[:8]
	}
	return strings.Trim(slug+"-"+s, "-")
}
