package directory

import "time"

// CorrectionKind is what someone says is wrong with a listing.
type CorrectionKind string

const (
	Closed        CorrectionKind = "closed" // this group has closed
	WrongTime     CorrectionKind = "time"   // the time is wrong
	NotAccessible CorrectionKind = "access" // not accessible as described
	OtherProblem  CorrectionKind = "other"
)

// CorrectionKinds are the kinds, in the order a form offers them.
var CorrectionKinds = []CorrectionKind{Closed, WrongTime, NotAccessible, OtherProblem}

// Valid reports whether k is a known kind.
func (k CorrectionKind) Valid() bool {
	for _, known := range CorrectionKinds {
		if k == known {
			return true
		}
	}
	return false
}

// CorrectionState is where a correction is: received until someone answers
// it, then applied or declined (with a reason the sender sees).
type CorrectionState string

const (
	CorrectionReceived CorrectionState = "received"
	CorrectionApplied  CorrectionState = "applied"
	CorrectionDeclined CorrectionState = "declined"
)

// Resolution says how an applied correction was answered.
type Resolution string

const (
	// ConfirmedByOrganizer: the organizer, told of the correction, checked the
	// listing and confirmed it is accurate.
	ConfirmedByOrganizer Resolution = "confirmed"
	// EditedByOrganizer: an edit the organizer wrote after the correction
	// arrived was approved.
	EditedByOrganizer Resolution = "edited"
	// AppliedByModerator: a moderator applied it.
	AppliedByModerator Resolution = "moderator"
)

// Correction is what someone noticed about a public listing. It holds nothing
// about who sent it.
type Correction struct {
	ID         string
	ListingID  string
	Kind       CorrectionKind
	Text       string
	State      CorrectionState
	Resolution Resolution
	// Reason is what the moderator who declined it said.
	Reason    string
	CreatedAt time.Time
	DecidedAt *time.Time
	DecidedBy string
	// The listing's name and slug, for the pages that show a correction.
	ListingName, ListingSlug string
}
