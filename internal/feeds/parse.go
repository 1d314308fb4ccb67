// Package feeds takes listings in from outside feeds: it parses a Meeting Guide
// JSON feed item by item, maps each meeting onto a listing through the same
// type crosswalk the export uses, fetches feed URLs safely, and applies a run
// all or nothing through store.Tx, so every change writes its outbox and audit
// rows in the same transaction. It owns feed subscriptions and their runs.
package feeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/directory"
)

// MaxMeetings is the most meetings one feed may hold; the largest feeds in use
// have a few thousand.
const MaxMeetings = 50000

// Meeting is one item of a Meeting Guide feed as the spec describes it, read
// leniently: feeds in the wild write numbers as strings, one type as a string
// rather than an array, and `day` as a number or an array of numbers.
type Meeting struct {
	// Item is the position in the feed, from 1.
	Item                 int
	Name                 string
	Slug                 string
	Days                 []time.Weekday
	Time                 string
	EndTime              string
	Timezone             string
	Types                []string
	Notes                string
	Location             string
	LocationNotes        string
	FormattedAddress     string
	Address              string
	City                 string
	State                string
	PostalCode           string
	Country              string
	Latitude             *float64
	Longitude            *float64
	Approximate          bool
	ConferenceURL        string
	ConferenceURLNotes   string
	ConferencePhone      string
	ConferencePhoneNotes string
	Regions              []string
	Group                string
	Updated              string
	URL                  string
	FeedbackEmails       []string
	FeedbackURL          string
}

// Parse reads a whole feed: a JSON array of meetings. A feed that is not a JSON
// array is an error and nothing of it is used; an item that cannot be read is
// reported and left out, and the rest are returned in feed order.
func Parse(data []byte) ([]Meeting, []directory.ItemProblem, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte-order mark some servers add
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return nil, nil, fmt.Errorf("the feed is not valid JSON (at byte %d): %s", syntax.Offset, syntax.Error())
		case errors.As(err, &typ):
			return nil, nil, errors.New("the feed must be a JSON array of meetings")
		}
		return nil, nil, fmt.Errorf("the feed is not valid JSON: %v", err)
	}
	if items == nil {
		return nil, nil, errors.New("the feed must be a JSON array of meetings, not null")
	}
	if len(items) > MaxMeetings {
		return nil, nil, fmt.Errorf("the feed has %d meetings; at most %d are taken", len(items), MaxMeetings)
	}
	var out []Meeting
	var problems []directory.ItemProblem
	for i, raw := range items {
		m, err := parseMeeting(raw)
		m.Item = i + 1
		if err != nil {
			problems = append(problems, directory.ItemProblem{Item: i + 1, ID: m.Slug, Name: m.Name,
				Field: err.field, Message: err.msg, Skipped: true})
			continue
		}
		out = append(out, m)
	}
	return out, problems, nil
}

type fieldError struct{ field, msg string }

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

func parseMeeting(raw json.RawMessage) (Meeting, *fieldError) {
	var m Meeting
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return m, &fieldError{"", "is not a JSON object"}
	}
	r := reader{obj: obj}
	m.Name = r.text("name")
	m.Slug = r.text("slug")
	m.Time = r.text("time")
	m.EndTime = r.text("end_time")
	m.Timezone = r.text("timezone")
	m.Types = r.list("types")
	m.Notes = r.text("notes")
	m.Location = r.text("location")
	m.LocationNotes = r.text("location_notes")
	m.FormattedAddress = r.text("formatted_address")
	m.Address = r.text("address")
	m.City = r.text("city")
	m.State = r.text("state")
	m.PostalCode = r.text("postal_code")
	m.Country = r.text("country")
	m.Latitude = r.number("latitude")
	m.Longitude = r.number("longitude")
	m.Approximate = r.yes("approximate")
	m.ConferenceURL = r.text("conference_url")
	m.ConferenceURLNotes = r.text("conference_url_notes")
	m.ConferencePhone = r.text("conference_phone")
	m.ConferencePhoneNotes = r.text("conference_phone_notes")
	m.Regions = r.list("regions")
	if region := r.text("region"); region != "" && len(m.Regions) == 0 {
		m.Regions = []string{region}
	}
	if sub := r.text("sub_region"); sub != "" && len(m.Regions) == 1 {
		m.Regions = append(m.Regions, sub)
	}
	m.Group = r.text("group")
	m.Updated = r.text("updated")
	m.URL = r.text("url")
	m.FeedbackEmails = r.list("feedback_emails")
	m.FeedbackURL = r.text("feedback_url")
	if r.err != nil {
		return m, r.err
	}
	days, err := parseDays(obj["day"])
	if err != nil {
		return m, err
	}
	m.Days = days
	return m, nil
}

// reader takes fields out of one item, remembering the first that has the
// wrong kind of value.
type reader struct {
	obj map[string]json.RawMessage
	err *fieldError
}

// maxField is the longest text a single field may hold: a long description
// fits, a megabyte of padding does not.
const maxField = 20000

func (r *reader) fail(field, msg string) {
	if r.err == nil {
		r.err = &fieldError{field, msg}
	}
}

// text reads a string (or a number, which some feeds write for postal codes),
// trimmed. Null and absent are "".
func (r *reader) text(field string) string {
	raw, ok := r.obj[field]
	if !ok || isNull(raw) {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
		r.fail(field, "must be text")
		return ""
	}
	if !utf8.ValidString(s) {
		r.fail(field, "is not valid UTF-8 text")
		return ""
	}
	if len(s) > maxField {
		r.fail(field, fmt.Sprintf("is longer than %d bytes", maxField))
		return ""
	}
	return strings.TrimSpace(s)
}

// list reads an array of strings, or a single string as a one-item list.
func (r *reader) list(field string) []string {
	raw, ok := r.obj[field]
	if !ok || isNull(raw) {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one = strings.TrimSpace(one); one == "" {
			return nil
		}
		return []string{one}
	}
	var many []any
	if err := json.Unmarshal(raw, &many); err != nil {
		r.fail(field, "must be a list of text")
		return nil
	}
	var out []string
	for _, v := range many {
		s, ok := v.(string)
		if !ok {
			r.fail(field, "must be a list of text")
			return nil
		}
		if s = strings.TrimSpace(s); s != "" && utf8.ValidString(s) && len(s) <= 300 {
			out = append(out, s)
		}
	}
	if len(out) > 200 {
		r.fail(field, "has more than 200 entries")
		return nil
	}
	return out
}

// number reads a number or a numeric string; anything else is reported.
func (r *reader) number(field string) *float64 {
	raw, ok := r.obj[field]
	if !ok || isNull(raw) {
		return nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			r.fail(field, "must be a number")
			return nil
		}
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			r.fail(field, "must be a number")
			return nil
		}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		r.fail(field, "must be a number")
		return nil
	}
	return &f
}

// yes reads a flag written "yes"/"no" (as the spec has it) or true/false.
func (r *reader) yes(field string) bool {
	var b bool
	if raw, ok := r.obj[field]; ok && json.Unmarshal(raw, &b) == nil {
		return b
	}
	return strings.EqualFold(r.text(field), "yes")
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// parseDays reads `day`: 0 (Sunday) to 6, as a number, a numeric string or an
// array of those. Absent means "by appointment": no regular day.
func parseDays(raw json.RawMessage) ([]time.Weekday, *fieldError) {
	if raw == nil || isNull(raw) {
		return nil, nil
	}
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) != nil {
		many = []json.RawMessage{raw}
	}
	seen := map[time.Weekday]bool{}
	var days []time.Weekday
	for _, one := range many {
		d, ok := parseDay(one)
		if !ok {
			return nil, &fieldError{"day", "must be a whole number from 0 (Sunday) to 6 (Saturday), or a list of them"}
		}
		if !seen[d] {
			seen[d] = true
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		return nil, &fieldError{"day", "is an empty list"}
	}
	return days, nil
}

func parseDay(raw json.RawMessage) (time.Weekday, bool) {
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		n = json.Number(strings.TrimSpace(s))
	}
	i, err := strconv.Atoi(n.String())
	if err != nil || i < 0 || i > 6 {
		return 0, false
	}
	return time.Weekday(i), true
}
