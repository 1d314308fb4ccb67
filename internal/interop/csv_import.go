package interop

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/belong-directory/belong/internal/directory"
)

// Limits on a spreadsheet: more than this is better split into several files.
const (
	MaxCSVBytes = 4 << 20
	MaxCSVRows  = 5000
)

// Translation keys of the problems an import reports, besides the
// directory's own field keys (which it reads as import.field.*).
const (
	keyEncoding      = "import.problem.encoding"
	keyTooBig        = "import.problem.too_big"
	keyTooManyRows   = "import.problem.too_many_rows"
	keyUnreadable    = "import.problem.unreadable"
	keyEmpty         = "import.problem.empty"
	keyMissingColumn = "import.problem.missing_column"
	keyUnknownColumn = "import.problem.unknown_column"
	keyTwiceColumn   = "import.problem.column_twice"
	keyCells         = "import.problem.cells"
	keyYesNo         = "import.problem.yes_no"
	keyTagValue      = "import.problem.tag_value"
	keyDays          = "import.problem.days"
	keyTime          = "import.problem.time"
	keyRepeats       = "import.problem.repeats"
	keyDate          = "import.problem.date"
	keyNumber        = "import.problem.number"
	keyLanguage      = "import.problem.language"
	keyNoPlace       = "import.problem.no_place"
	keyTimeZone      = "import.problem.time_zone"
	keySameSlug      = "import.problem.same_slug"
	keySameSlugGiven = "import.problem.same_slug_given"
)

// CheckCSV reads a spreadsheet saved as CSV, one listing per row, and returns
// what importing it would do: every listing it would save and every problem,
// by row and column. Nothing is written. The error is only for the database
// not answering.
func (im *Importer) CheckCSV(ctx context.Context, r io.Reader) (Plan, error) {
	p := im.parseCSV(r)
	if len(p.Problems) == 0 {
		if err := im.markUpdates(ctx, &p); err != nil {
			return Plan{}, err
		}
	}
	return p, nil
}

// parseCSV is CheckCSV without the database.
func (im *Importer) parseCSV(r io.Reader) Plan {
	var p Plan
	fail := func(row int, key, msg string) Plan {
		p.Problems = append(p.Problems, Problem{Row: row, Key: key, Message: msg})
		return p
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return fail(0, keyUnreadable, "the file could not be read: "+err.Error())
	}
	if len(data) > MaxCSVBytes {
		return fail(0, keyTooBig, fmt.Sprintf("the file is larger than %d MB; split it into several", MaxCSVBytes>>20))
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return fail(0, keyEncoding, "the file is not UTF-8 text; in the spreadsheet, save it as \"CSV UTF-8\"")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(0, keyEmpty, "the file is empty")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delimiter(data)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return fail(1, keyUnreadable, csvError(err))
	}
	cols, ok := im.readHeader(header, &p)
	if !ok {
		return p
	}
	slugRows := map[string]int{}
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			if pe, ok := errors.AsType[*csv.ParseError](err); ok {
				line = pe.StartLine
			}
			return fail(line, keyUnreadable, csvError(err))
		}
		line, _ := cr.FieldPos(0)
		if blank(record) {
			continue
		}
		if len(p.Listings) >= MaxCSVRows {
			return fail(line, keyTooManyRows, fmt.Sprintf("more than %d listings; split the file into several", MaxCSVRows))
		}
		if len(record) != len(header) {
			p.Problems = append(p.Problems, Problem{Row: line, Key: keyCells, Arg: strconv.Itoa(len(header)),
				Message: fmt.Sprintf("this row has %d cells; the header has %d", len(record), len(header))})
			continue
		}
		cells := map[string]string{}
		for i, c := range cols {
			if c != "" {
				cells[c] = strings.TrimSpace(record[i])
			}
		}
		l, problems := im.rowListing(line, cells)
		p.Problems = append(p.Problems, problems...)
		if first, dup := slugRows[l.Slug]; dup && l.Slug != "" {
			// The page address comes from the slug column, or else from the name.
			pr := Problem{Row: line, Column: "name", Value: cells["name"], Key: keySameSlug, Arg: strconv.Itoa(first),
				Message: fmt.Sprintf("row %d already has a listing with this name", first)}
			if cells["slug"] != "" {
				pr.Column, pr.Value, pr.Key = "slug", cells["slug"], keySameSlugGiven
				pr.Message = fmt.Sprintf("row %d already has a listing with this page address", first)
			}
			p.Problems = append(p.Problems, pr)
		} else {
			slugRows[l.Slug] = line
		}
		p.Listings = append(p.Listings, Planned{Row: line, Listing: l, Slug: l.Slug, Name: l.Name})
	}
	if len(p.Listings) == 0 && len(p.Problems) == 0 {
		return fail(0, keyEmpty, "the file has a header but no listings")
	}
	return p
}

// delimiter is the header line's separator: a comma, or the semicolon that
// spreadsheets use where the comma is the decimal mark (Spanish, for one).
func delimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}

func csvError(err error) string {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return "the file is not CSV that can be read here: " + pe.Err.Error()
	}
	return "the file could not be read: " + err.Error()
}

func blank(record []string) bool {
	for _, c := range record {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readHeader maps each column of the file to a known column name ("" for one
// it reports as unknown), and reports whether rows can be read at all.
func (im *Importer) readHeader(header []string, p *Plan) ([]string, bool) {
	known := map[string]bool{}
	for _, c := range csvColumns {
		known[c.Name] = true
	}
	for slug := range im.tagsBySlug() {
		known[slug] = true
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		name := headerName(h)
		switch {
		case name == "":
			p.Problems = append(p.Problems, Problem{Row: 1, Column: fmt.Sprintf("#%d", i+1), Key: keyUnknownColumn,
				Message: "this column has no name"})
		case !known[name]:
			p.Problems = append(p.Problems, Problem{Row: 1, Column: h, Key: keyUnknownColumn,
				Message: "this column is not one the import knows; see the column guide"})
		case seen[name]:
			p.Problems = append(p.Problems, Problem{Row: 1, Column: h, Key: keyTwiceColumn,
				Message: "this column is in the file twice"})
		default:
			cols[i] = name
			seen[name] = true
		}
	}
	ok := true
	for _, c := range csvColumns {
		if c.Required && !seen[c.Name] {
			ok = false
			p.Problems = append(p.Problems, Problem{Row: 1, Column: c.Name, Key: keyMissingColumn, Arg: c.Name,
				Message: "the file has no column " + c.Name + ", which every listing needs"})
		}
	}
	return cols, ok
}

// headerName reads a header cell as a column name: "First date" is first_date.
func headerName(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.Join(strings.Fields(h), "_")
}

// rowBuilder turns one row into a listing and remembers which column each
// part came from, so the listing's own validation can be told by column.
type rowBuilder struct {
	row      int
	cells    map[string]string
	problems []Problem
	physical int // index of the physical place, -1 when none
	virtual  int
	tagCols  []string
}

func (b *rowBuilder) problem(column, key, msg string) {
	b.problems = append(b.problems, Problem{Row: b.row, Column: column, Value: shorten(b.cells[column]), Key: key,
		Message: msg})
}

// rowListing builds a listing from one row's cells, by column name.
func (im *Importer) rowListing(row int, cells map[string]string) (directory.Listing, []Problem) {
	b := &rowBuilder{row: row, cells: cells, physical: -1, virtual: -1}
	now := im.now()
	c := func(name string) string { return cells[name] }
	l := directory.Listing{
		Name: c("name"), Summary: c("summary"), Description: c("description"), WhatToExpect: c("what_to_expect"),
		HowToJoin: c("how_to_join"), TextLang: strings.ToLower(c("text_language")), Status: directory.Published,
		CostNote: c("cost_note"), Website: c("website"), Email: c("email"), Phone: c("phone"),
		ContactEmail: c("contact_email"), PhoneMeeting: c("join_by_phone"), PausedNote: c("paused_note"),
		ConfirmedAt: now, ConfirmedBy: directory.ByImport,
		Organization: directory.Organization{Name: c("organization"), Slug: slugify(c("organization")),
			Website: c("organization_website"), Email: c("organization_email"), Phone: c("organization_phone")},
	}
	if l.TextLang == "" {
		l.TextLang = "en"
	}
	l.Slug = c("slug")
	if l.Slug == "" {
		l.Slug = slugify(l.Name)
	}
	l.Paused = b.yesNo("paused")
	im.places(b, &l)
	b.schedule(&l, now)
	l.Languages = im.languages(b)
	tags := im.tagsBySlug()
	slugs := make([]string, 0, len(tags))
	for slug := range tags {
		slugs = append(slugs, slug)
	}
	slices.Sort(slugs)
	for _, slug := range slugs {
		v := cells[slug]
		if v == "" {
			continue
		}
		value, note, ok := tagValue(v)
		if !ok {
			b.problem(slug, keyTagValue, "must be yes, partly or no, with a note after a colon if you like")
			continue
		}
		l.Tags = append(l.Tags, directory.ListingTag{Tag: slug, Value: value, Note: note,
			Source: directory.ByImport, ConfirmedAt: now})
		b.tagCols = append(b.tagCols, slug)
	}
	for _, fe := range organizationProblems(l.Organization) {
		col := "organization_" + fe.Field
		b.problem(col, formatKeys[col], fe.Message)
	}
	if ve, ok := errors.AsType[*directory.ValidationError](l.Validate()); ok {
		for _, fe := range ve.Fields {
			col := b.column(fe.Field)
			if col == "" || b.reported(col) {
				continue
			}
			key := "import." + fe.Key
			if k, ok := formatKeys[col]; ok && fe.Key == directory.KeyFormat {
				key = k
			}
			b.problems = append(b.problems, Problem{Row: row, Column: col, Value: shorten(cells[col]),
				Key: key, Message: fe.Message})
		}
	}
	return l, b.problems
}

// formatKeys say, for a column whose shape is wrong, what shape it wants.
var formatKeys = map[string]string{
	"country": "import.problem.country", "website": "import.problem.link", "online_link": "import.problem.link",
	"organization_website": "import.problem.link", "email": "import.problem.email",
	"contact_email": "import.problem.email", "organization_email": "import.problem.email",
	"text_language": "import.problem.language_code",
}

// reported says whether the row already has a problem in column, so a cell
// gets one message, not one from reading it and one from validating it.
func (b *rowBuilder) reported(column string) bool {
	for _, p := range b.problems {
		if p.Column == column {
			return true
		}
	}
	return false
}

// places adds a physical place when any address column is filled in, and an
// online room when there is a link.
func (im *Importer) places(b *rowBuilder, l *directory.Listing) {
	c := func(name string) string { return b.cells[name] }
	address := []string{"place_name", "address", "neighbourhood", "city", "region", "postal_code", "country",
		"latitude", "longitude", "transit_notes"}
	if slices.ContainsFunc(address, func(n string) bool { return c(n) != "" }) {
		loc := directory.Location{Kind: directory.Physical, Name: c("place_name"), Address: c("address"),
			Neighbourhood: c("neighbourhood"), City: c("city"), Region: c("region"), PostalCode: c("postal_code"),
			Country: strings.ToUpper(c("country")), TransitNotes: c("transit_notes"), Discreet: b.yesNo("discreet")}
		loc.Lat = b.number("latitude")
		loc.Lng = b.number("longitude")
		b.physical = len(l.Locations)
		l.Locations = append(l.Locations, loc)
	} else if b.yesNo("discreet") {
		b.problem("discreet", keyNoPlace, "a discreet place needs at least its city and neighbourhood")
	}
	if c("online_link") != "" {
		b.virtual = len(l.Locations)
		l.Locations = append(l.Locations, directory.Location{Kind: directory.Virtual, URL: c("online_link")})
	}
	if len(l.Locations) == 0 && l.PhoneMeeting == "" {
		b.problem("city", keyNoPlace, "say where the group meets: a city and address, an online link or a phone number to join by")
	}
}

func (b *rowBuilder) yesNo(column string) bool {
	switch strings.ToLower(b.cells[column]) {
	case "", "no", "n", "false", "0":
		return false
	case "yes", "y", "true", "1", "sí", "si", "s":
		return true
	}
	b.problem(column, keyYesNo, "must be yes or no")
	return false
}

func (b *rowBuilder) number(column string) *float64 {
	s := strings.ReplaceAll(b.cells[column], ",", ".")
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		b.problem(column, keyNumber, "must be a number such as 41.92")
		return nil
	}
	return &f
}

// tagValue reads "yes", "partly" or "no" (or the Spanish words), with an
// optional note after a colon: "partly: ramp at the side door".
func tagValue(s string) (directory.Value, string, bool) {
	word, note, _ := strings.Cut(s, ":")
	var v directory.Value
	switch strings.ToLower(strings.TrimSpace(word)) {
	case "yes", "y", "sí", "si":
		v = directory.Yes
	case "partly", "partial", "en parte", "parcialmente", "parcial":
		v = directory.Partly
	case "no", "n":
		v = directory.No
	default:
		return "", "", false
	}
	return v, strings.TrimSpace(note), true
}

// languages reads language names or codes, English or Spanish ("English,
// Spanish", "en, es", "lengua de señas americana").
func (im *Importer) languages(b *rowBuilder) []string {
	s := b.cells["languages"]
	if s == "" {
		return nil
	}
	byName := map[string]string{}
	for _, ui := range []string{"es", "en"} {
		for _, lang := range im.dir.Languages(ui) {
			for _, name := range []string{lang.Name, lang.Autonym} {
				name = strings.ToLower(name)
				byName[name] = lang.Code
				// "Spanish Sign Language (LSE)" is also "Spanish Sign Language".
				if base, _, ok := strings.Cut(name, " ("); ok {
					byName[base] = lang.Code
				}
			}
			byName[lang.Code] = lang.Code
		}
	}
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '/' }) {
		name := strings.ToLower(strings.TrimSpace(part))
		code, ok := byName[name]
		if !ok {
			b.problems = append(b.problems, Problem{Row: b.row, Column: "languages", Value: shorten(part),
				Key: keyLanguage, Message: "is not a language this directory knows; use its name or a code such as es"})
			continue
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

// column is the spreadsheet column a validation field of the row's listing
// came from, or "" when it has none (the import filled it in itself).
func (b *rowBuilder) column(field string) string {
	switch field {
	case "slug":
		switch {
		case b.cells["slug"] != "":
			return "slug"
		case b.cells["name"] == "":
			return "" // no name, no slug made from it: the name's own problem says so
		}
		return "name"
	case "organization.name", "organization.slug":
		return "organization"
	case "text_lang":
		return "text_language"
	case "phone_meeting":
		return "join_by_phone"
	case "locations":
		return "city"
	case "schedules":
		return "days"
	case "languages":
		return "languages"
	case "name", "summary", "description", "what_to_expect", "how_to_join", "cost_note", "paused_note", "email",
		"contact_email", "website", "phone", "paused":
		return field
	}
	if m := indexedField.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[2])
		switch m[1] {
		case "locations":
			return b.locationColumn(i, m[3])
		case "schedules":
			if m[3] == "" {
				// The rule as a whole cannot be read: say so only when no
				// schedule cell has already said why.
				for _, col := range []string{"days", "starts", "ends", "repeats", "time_zone", "first_date", "last_date"} {
					if b.reported(col) {
						return ""
					}
				}
			}
			return scheduleColumns[strings.SplitN(m[3], ".", 2)[0]]
		case "tags":
			if i < len(b.tagCols) {
				return b.tagCols[i]
			}
		case "languages":
			return "languages"
		}
	}
	return ""
}

var indexedField = regexp.MustCompile(`^(locations|schedules|tags|languages)\[(\d+)\]\.?(.*)$`)

var scheduleColumns = map[string]string{"": "days", "freq": "repeats", "interval": "repeats", "byday": "days",
	"opens_at": "starts", "closes_at": "ends", "dtstart": "first_date", "until": "last_date",
	"time_zone": "time_zone", "notes": "schedule_notes", "skip": "days", "skip_dates": "days"}

var physicalColumns = map[string]string{"name": "place_name", "address": "address", "neighbourhood": "neighbourhood",
	"city": "city", "region": "region", "postal_code": "postal_code", "country": "country", "lat": "latitude",
	"lng": "longitude", "transit_notes": "transit_notes", "kind": "address", "url": "online_link"}

func (b *rowBuilder) locationColumn(i int, field string) string {
	if i == b.virtual {
		return "online_link"
	}
	return physicalColumns[field]
}

// shorten keeps a cell short enough to quote in a report.
func shorten(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

var notSlugChars = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes an address-safe name: lower-case ASCII words, at most 100
// characters. Two rows with the same name get the same slug, which the
// import reports.
func slugify(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	slug := strings.Trim(notSlugChars.ReplaceAllString(b.String(), "-"), "-")
	if len(slug) > 100 {
		slug = strings.Trim(slug[:100], "-")
	}
	return slug
}

// firstDate is the date a schedule starts from when the row gives none: today
// where the group meets.
func firstDate(now time.Time, tz string) string {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		now = now.In(loc)
	}
	return now.Format(time.DateOnly)
}
