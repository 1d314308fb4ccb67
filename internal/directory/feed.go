package directory

import "time"

// FeedKind is the format a feed speaks.
type FeedKind string

const (
	MeetingGuideFeed FeedKind = "meeting_guide"
	HSDSFeed         FeedKind = "hsds"
	CSVFeed          FeedKind = "csv"
)

// Feed is a source of listings kept elsewhere: a subscription the worker syncs
// on a schedule, or a file imported once.
type Feed struct {
	ID              string
	Kind            FeedKind
	URL             string
	Name            string
	DefaultTimeZone string
	DefaultCountry  string
	// AllowPrivate lets the fetcher reach a private or loopback address: an
	// admin's explicit choice for a feed on the same network.
	AllowPrivate bool
	Subscribed   bool
	SyncEvery    time.Duration
	NextSyncAt   *time.Time
	// Grace is how long a listing gone from the feed stays before it is archived.
	Grace time.Duration
	// ConfirmDrop says an admin confirmed a held large drop: the next run applies it.
	ConfirmDrop bool
	CreatedBy   string
	CreatedAt   time.Time
	// LastRun is the most recent run, when there has been one.
	LastRun *FeedRun
}

// RunOutcome is how one run of an import ended.
type RunOutcome string

const (
	RunApplied RunOutcome = "applied"
	// RunHeld changed nothing: the feed dropped so much that an admin must confirm.
	RunHeld   RunOutcome = "held"
	RunFailed RunOutcome = "failed"
)

// FeedRun is one run of an import and what it did.
type FeedRun struct {
	ID         int64
	FeedID     string
	StartedAt  time.Time
	FinishedAt time.Time
	Outcome    RunOutcome
	Message    string
	Meetings   int
	Added      int
	Updated    int
	Unchanged  int
	Missing    int
	Archived   int
	Skipped    int
	Report     ImportReport
}

// ImportReport is what a person needs to see about one run: every item that
// could not be taken whole, and the type codes kept without being modelled.
type ImportReport struct {
	Problems []ItemProblem `json:"problems"`
	// KeptTypes counts, per type code, the items that carried a code belong
	// keeps with the listing but does not model as a tag.
	KeptTypes map[string]int `json:"kept_types"`
	// Usable and Before say, for a held run, how many meetings the feed has
	// now that could be imported and how many listings it had.
	Usable int `json:"usable,omitempty"`
	Before int `json:"before,omitempty"`
	// ConfirmedDrop: an admin confirmed this run's drop, so the meetings gone
	// by then no longer count against the feed's next runs.
	ConfirmedDrop bool `json:"confirmed_drop,omitempty"`
}

// ItemProblem is one problem with one item of a feed. A problem that is not
// Skipped was worked around (a field left out) and the item imported anyway.
type ItemProblem struct {
	// Item is the position in the feed, from 1.
	Item    int    `json:"item"`
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Skipped bool   `json:"skipped"`
}

// ListingSource is where an imported listing came from.
type ListingSource struct {
	ListingID      string
	FeedID         string
	SourceID       string
	ContentHash    string
	KeptTypes      []string
	FeedbackEmails []string
	FeedbackURL    string
	MissingSince   *time.Time
	// Slug, Status and Paused are the listing's own, read with the source.
	Slug   string
	Status Status
	Paused bool
}
