package directory

import "time"

// RevisionKind says whether a revision proposes a new listing or an edit.
type RevisionKind string

const (
	NewListing RevisionKind = "new"
	Edit       RevisionKind = "edit"
)

// RevisionState is where a proposed change is on its way to the public.
type RevisionState string

const (
	// Unverified waits for the organizer to open the link sent to their address.
	Unverified RevisionState = "unverified"
	// Pending waits for a moderator.
	Pending  RevisionState = "pending"
	Approved RevisionState = "approved"
	Declined RevisionState = "declined"
	// Withdrawn was replaced by a newer proposal before anyone decided.
	Withdrawn RevisionState = "withdrawn"
)

// Open reports whether nobody has decided on the revision yet.
func (s RevisionState) Open() bool { return s == Unverified || s == Pending }

// Revision is a whole listing as its organizer proposes it. The published
// version, if any, stays live until a moderator approves the revision.
type Revision struct {
	ID          string
	ListingID   string
	Kind        RevisionKind
	State       RevisionState
	Proposed    Listing
	BaseVersion int
	// Reason is what the moderator told the organizer, on a decision.
	Reason    string
	CreatedAt time.Time
	DecidedAt *time.Time
	DecidedBy string
}

// Change is one entry of a listing's public history: when and what kind of
// change, never who (beyond the role) or any personal data.
type Change struct {
	At     time.Time
	Action string
	By     string // "organizer", "moderator", "import", "system"
}
