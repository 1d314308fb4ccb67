package directory

import "time"

// Outcome is how a search for needs came out: how many spaces offered every
// need asked for.
type Outcome string

const (
	NoFullMatch Outcome = "none"   // no space offers every need
	FewMatches  Outcome = "few"    // one or two do
	EnoughFound Outcome = "enough" // three or more do
)

// Outcomes lists every outcome, the unmet ones first.
var Outcomes = []Outcome{NoFullMatch, FewMatches, EnoughFound}

// OutcomeOf buckets a number of full matches.
func OutcomeOf(fullMatches int) Outcome {
	switch {
	case fullMatches <= 0:
		return NoFullMatch
	case fullMatches <= 2:
		return FewMatches
	}
	return EnoughFound
}

// Unmet reports whether searches with this outcome found too little.
func (o Outcome) Unmet() bool { return o == NoFullMatch || o == FewMatches }

// Coarse places a search for needs is counted under, besides a city of the
// directory.
const (
	PlaceAnywhere = "anywhere" // no place chosen
	PlaceOnline   = "online"   // groups meeting only online
	PlaceNear     = "near"     // near a point, which is never kept
)

// MaxCountedNeeds is the most needs a counted combination holds; a search for
// more is not counted, being both rare and easier to tell apart.
const MaxCountedNeeds = 4

// NeedCount is one cell of the unmet-needs report: how many searches in one
// ISO week asked for one combination of needs in one coarse place, with one
// outcome. It is all that is kept of a search: no text, no coordinates, no
// session, no time finer than the week.
type NeedCount struct {
	// Week is the Monday, 00:00 UTC, that starts the ISO week.
	Week time.Time
	// Needs are tag slugs, sorted and distinct, one to MaxCountedNeeds.
	Needs    []string
	Place    string
	Outcome  Outcome
	Searches int64
}

// WeekOf is the Monday, 00:00 UTC, of the ISO week t falls in (in UTC).
func WeekOf(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	back := (int(day.Weekday()) + 6) % 7 // Monday 0 … Sunday 6
	return day.AddDate(0, 0, -back)
}
