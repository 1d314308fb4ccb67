package seed

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/schedule"
	"github.com/belong-directory/belong/internal/store"
)

// actor is who the audit log says wrote seeded rows.
const actor = "seed"

// Demo saves the demo listings in one transaction and returns how many it saved.
// Dates (confirmations, schedule starts, holidays skipped) are worked out from now,
// so the same now always gives the same rows, and saving again replaces each
// listing by its slug: running Demo twice leaves the same listings with the same ids.
func Demo(ctx context.Context, st *store.Store, now time.Time) (int, error) {
	physical, err := physicalTags(ctx, st)
	if err != nil {
		return 0, err
	}
	listings, err := demoListings(now, physical)
	if err != nil {
		return 0, err
	}
	err = st.InTx(ctx, func(tx *store.Tx) error {
		for i := range listings {
			if _, err := tx.SaveListing(ctx, &listings[i], actor); err != nil {
				return fmt.Errorf("seed demo: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(listings), nil
}

// physicalTags maps every tag slug in the taxonomy to whether it is about a
// building or place, which an online-only listing must not carry.
func physicalTags(ctx context.Context, st *store.Store) (map[string]bool, error) {
	cats, err := st.Taxonomy(ctx, "en")
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	physical := map[string]bool{}
	for _, c := range cats {
		for _, t := range c.Tags {
			physical[t.Slug] = t.Physical
		}
	}
	return physical, nil
}

// demoListings builds every demo listing as of now; physical is the taxonomy.
func demoListings(now time.Time, physical map[string]bool) ([]directory.Listing, error) {
	out := make([]directory.Listing, 0, len(demos))
	seen := map[string]bool{}
	for i, d := range demos {
		l, err := d.listing(i, now, physical)
		if err != nil {
			return nil, fmt.Errorf("seed: demo listing %d (%s): %w", i, d.slug, err)
		}
		if seen[l.Slug] {
			return nil, fmt.Errorf("seed: demo slug %q is used twice", l.Slug)
		}
		seen[l.Slug] = true
		out = append(out, l)
	}
	return out, nil
}

func (d demo) listing(i int, now time.Time, physical map[string]bool) (directory.Listing, error) {
	k := d.kind
	lang := "en"
	if d.es {
		lang = "es"
	}
	o, ok := orgs[d.org]
	if !ok {
		return directory.Listing{}, fmt.Errorf("no organization %q", d.org)
	}
	v, inPerson := venues[d.at]
	if d.at != "" && !inPerson {
		return directory.Listing{}, fmt.Errorf("no venue %q", d.at)
	}
	if !inPerson && (d.online == nil || d.online.timeZone == "") {
		return directory.Listing{}, fmt.Errorf("an online-only listing needs its organizers' time zone")
	}
	country, timeZone := "", ""
	if inPerson {
		country, timeZone = v.city.country, v.city.timeZone
	} else {
		timeZone = d.online.timeZone
	}
	words := func(s string) string { return strings.ReplaceAll(s, "{sign}", signPhrase(country, lang)) }

	slug := d.slug
	if slug == "" {
		slug = k.slug.in(lang) + "-" + slugify(v.hood)
	}
	name := d.name
	if name == "" {
		name = placeName(k.name.in(lang), v.hood, lang)
	}
	h := hash(slug)
	summary := d.summary
	if summary == "" {
		summary = k.summaries[h%uint64(len(k.summaries))].in(lang)
	}

	l := directory.Listing{
		Slug:         slug,
		Organization: o.organization(d.org),
		Name:         name,
		Summary:      words(summary),
		Description:  words(k.description.in(lang)),
		WhatToExpect: words(k.expect.in(lang)),
		TextLang:     lang,
		Status:       "published",
		Paused:       d.paused != "",
		PausedNote:   d.paused,
		CostNote:     k.cost.in(lang),
	}
	if d.draft {
		l.Status = "draft"
	}
	l.ConfirmedAt, l.ConfirmedBy = confirmation(i, h, now)
	if err := d.contacts(&l, o, h); err != nil {
		return l, err
	}

	if inPerson {
		l.Locations = append(l.Locations, v.location(lang, d.discreet))
	}
	if d.online != nil {
		loc := directory.Location{Kind: directory.Virtual, Name: d.online.platform}
		if !d.online.noLink && o.domain != "" {
			loc.URL = "https://" + o.domain + "/join/" + slug
		}
		l.Locations = append(l.Locations, loc)
		l.PhoneMeeting = d.online.dialIn
	}

	l.HowToJoin = d.howToJoin(lang, l)
	if !inPerson && slices.Contains(k.tags, "cost.free") {
		l.CostNote = text{"Free.", "Gratuito."}.in(lang) // no jar for tea money online
	}

	today := schedule.DateOf(now.UTC())
	for j, r := range d.when {
		sc, err := r.schedule(lang, timeZone, country, today, 60+int((h>>16)%700)+37*j)
		if err != nil {
			return l, err
		}
		l.Schedules = append(l.Schedules, sc)
	}

	tags, err := d.tagsOf(v, inPerson, lang, physical)
	if err != nil {
		return l, err
	}
	for _, t := range tags {
		t.Source = l.ConfirmedBy
		if t.Source != directory.ByImport && t.fromVenue && hash(slug+t.Tag)%3 == 0 {
			t.Source = directory.ByModerator
		}
		t.ConfirmedAt = l.ConfirmedAt.Add(-time.Duration(hash(slug+t.Tag)%4) * 21 * 24 * time.Hour)
		l.Tags = append(l.Tags, t.ListingTag)
	}
	l.Languages = d.languages(lang, country)
	return l, nil
}

// confirmation spreads the demo over the freshness bands: of every 25 listings,
// 4 were last confirmed 6 to 12 months ago and 2 more than a year ago.
func confirmation(i int, h uint64, now time.Time) (time.Time, directory.Source) {
	age := 2 + int(h%170) // fresh: under six months
	switch i % 25 {
	case 3, 9, 15, 21:
		age = 195 + int(h%160)
	case 12, 24:
		age = 380 + int(h%420)
	}
	at := now.Add(-time.Duration(age)*24*time.Hour - time.Duration((h>>8)%600)*time.Minute)
	by := directory.ByOrganizer
	switch r := (h >> 12) % 20; {
	case age >= 365 && r%3 != 0:
		by = directory.ByImport
	case age >= 365:
	case r >= 16:
		by = directory.ByImport
	case r >= 11:
		by = directory.ByModerator
	}
	return at, by
}

// contacts gives some listings an email, phone or website from their
// organization, and makes sure anyone who must get in touch first can.
func (d demo) contacts(l *directory.Listing, o org, h uint64) error {
	email, phone, website := o.email(), o.phoneNumber(), ""
	if o.domain != "" {
		website = "https://" + o.domain + "/groups/" + l.Slug
	}
	switch (h >> 4) % 5 {
	case 1:
		l.Email = email
	case 2:
		l.Email, l.Website = email, website
	case 3:
		l.Phone = phone
	case 4:
		l.Email, l.Phone, l.Website = email, phone, website
	}
	if d.discreet || d.kind.contactFirst || (d.online != nil && (d.online.noLink || o.domain == "")) {
		l.Email, l.Phone = email, phone
		if email == "" && phone == "" {
			return fmt.Errorf("people must get in touch first, but %s has no email or phone", o.name)
		}
	}
	return nil
}

var (
	discreetJoin = text{
		"For everyone's safety the address isn't published. Email or text us and a facilitator will reply within two days with the address and a few words about what to expect.",
		"Por la seguridad de todas las personas, no publicamos la dirección. Escríbenos por correo o mensaje y alguien del equipo te responderá en dos días con la dirección y lo que puedes esperar."}
	linkJoin = text{
		"Use the link a few minutes before the start; no account or download needed.",
		"Entra con el enlace unos minutos antes; no necesitas cuenta ni descargar nada."}
	emailJoin = text{
		"Email us and we'll send you the link the day before.",
		"Escríbenos y te enviamos el enlace el día anterior."}
	contactFirstJoin = text{
		"Please email us before your first meeting: a facilitator will say hello and send you the link.",
		"Escríbenos antes de tu primera reunión: alguien del equipo te saludará y te enviará el enlace."}
	dialInJoin = text{
		"No internet? You can join by phone with the number below.",
		"¿Sin internet? Puedes unirte por teléfono con el número de abajo."}
	hybridJoin = text{
		"You can also join online: the link is on this page.",
		"También puedes unirte en línea: el enlace está en esta página."}
	askLinkJoin = text{
		"You can also join online: call or email us for the link.",
		"También puedes unirte en línea: llámanos o escríbenos para recibir el enlace."}
	defaultJoin = text{"Just come along.", "Solo ven."}
)

func (d demo) howToJoin(lang string, l directory.Listing) string {
	if d.discreet {
		return discreetJoin.in(lang)
	}
	online := false
	link := false
	for _, loc := range l.Locations {
		online = online || loc.Kind == directory.Virtual
		link = link || loc.URL != ""
	}
	if d.at != "" {
		join := d.kind.join.in(lang)
		if join == "" {
			join = defaultJoin.in(lang)
		}
		switch {
		case online && link:
			join += " " + hybridJoin.in(lang)
		case online:
			join += " " + askLinkJoin.in(lang)
		}
		return join
	}
	join := emailJoin.in(lang)
	switch {
	case d.kind.contactFirst:
		join = contactFirstJoin.in(lang)
	case link:
		join = linkJoin.in(lang)
	}
	if d.online.dialIn != "" {
		join += " " + dialInJoin.in(lang)
	}
	return join
}

// taggedValue is a listing tag and whether the venue, rather than the group,
// is what it describes.
type taggedValue struct {
	directory.ListingTag
	fromVenue bool
}

// tagsOf merges what the venue, the kind, meeting online and the listing itself
// say, later sources winning, and leaves physical-access tags off a group that
// meets nowhere physical.
func (d demo) tagsOf(v venue, inPerson bool, lang string, physical map[string]bool) ([]taggedValue, error) {
	var out []taggedValue
	add := func(specs []string, fromVenue bool) error {
		for _, s := range specs {
			t, err := parseTag(s, lang)
			if err != nil {
				return err
			}
			isPhysical, known := physical[t.Tag]
			if !known {
				return fmt.Errorf("tag %q is not in the taxonomy", t.Tag)
			}
			if isPhysical && !inPerson {
				continue
			}
			tv := taggedValue{t, fromVenue}
			if k := slices.IndexFunc(out, func(o taggedValue) bool { return o.Tag == t.Tag }); k >= 0 {
				out[k] = tv
			} else {
				out = append(out, tv)
			}
		}
		return nil
	}
	if inPerson {
		if err := add(v.tags, true); err != nil {
			return nil, err
		}
	}
	if err := add(d.kind.tags, false); err != nil {
		return nil, err
	}
	if d.online != nil {
		if err := add([]string{"digital.camera-optional", "digital.chat-ok"}, false); err != nil {
			return nil, err
		}
	}
	if err := add(d.tags, false); err != nil {
		return nil, err
	}
	return out, nil
}

// parseTag reads "slug" (yes), "slug=value" or "slug=value:English note|Spanish note".
func parseTag(s, lang string) (directory.ListingTag, error) {
	slug, rest, hasValue := strings.Cut(s, "=")
	t := directory.ListingTag{Tag: slug, Value: directory.Yes}
	if hasValue {
		value, note, _ := strings.Cut(rest, ":")
		t.Value = directory.Value(value)
		t.Note = bilingual(note, lang)
	}
	if !t.Value.Valid() {
		return t, fmt.Errorf("tag %q has no valid value", s)
	}
	return t, nil
}

func (d demo) languages(lang, country string) []string {
	if d.kind.signed {
		return []string{signedLanguage[country]}
	}
	for _, code := range d.langs {
		if slices.Contains(signedLanguages, code) {
			return d.langs // a group that meets in a signed language
		}
	}
	return append([]string{lang}, d.langs...)
}

var (
	signedLanguages = []string{"ase", "bfi", "fcs", "ssp", "mfs", "csc"}
	signedLanguage  = map[string]string{"US": "ase", "ES": "ssp", "MX": "mfs"}
)

func (v venue) location(lang string, discreet bool) directory.Location {
	lat, lng := v.lat, v.lng
	loc := directory.Location{
		Kind: directory.Physical, Name: v.name, Address: v.address, Neighbourhood: v.hood,
		City: v.city.name, Region: v.city.region, PostalCode: v.postal, Country: v.city.country,
		TransitNotes: bilingual(v.transit, lang), Discreet: discreet,
	}
	if discreet {
		// Only the neighbourhood is public: no venue, no street, and a point
		// rounded to about a kilometre.
		loc.Name, loc.Address, loc.TransitNotes = "", "", ""
		lat, lng = math.Round(lat*100)/100, math.Round(lng*100)/100
	}
	loc.Lat, loc.Lng = &lat, &lng
	return loc
}

func (o org) organization(slug string) directory.Organization {
	org := directory.Organization{Slug: slug, Name: o.name, Description: o.description,
		Email: o.email(), Phone: o.phoneNumber()}
	if o.domain != "" {
		org.Website = "https://" + o.domain
	}
	return org
}

func (o org) email() string {
	switch {
	case o.domain == "":
		return ""
	case o.spanish:
		return "hola@" + o.domain
	default:
		return "hello@" + o.domain
	}
}

func (o org) phoneNumber() string {
	if o.phone == 0 {
		return ""
	}
	return fmt.Sprintf("%s%02d", o.city.phone, o.phone)
}
