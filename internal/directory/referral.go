package directory

import "time"

// ReferralList is a short list of groups someone picked, with or for a person,
// shared by a code. It holds no personal data: the listings, the language the
// person reads, an optional note (the form warns: no names, no health
// details), the creator's account if they were signed in, whether the person
// may leave follow-up marks, and the day it ends.
type ReferralList struct {
	ID string
	// Code is the canonical share code: 13 Crockford base32 symbols.
	Code       string
	ListingIDs []string
	Lang       string
	Note       string
	// CreatedBy is the peer worker's account id; "" for a list shared by
	// someone not signed in.
	CreatedBy string
	FollowUp  bool
	// CreatedOn and ExpiresOn are days (midnight UTC): nothing finer is kept.
	CreatedOn time.Time
	ExpiresOn time.Time
}

// Mark is what a person says about one group of their list.
type Mark string

const (
	MarkTry      Mark = "try"        // I'd like to try it
	MarkWent     Mark = "went"       // I went
	MarkNotForMe Mark = "not_for_me" // not for me
)

// Marks are the marks a person can choose, in the order they are offered.
var Marks = []Mark{MarkTry, MarkWent, MarkNotForMe}

// Valid reports whether m is a mark a person can leave.
func (m Mark) Valid() bool { return m == MarkTry || m == MarkWent || m == MarkNotForMe }

// FollowUpMark is one mark as it is kept: the list, the group, the mark and
// the day, nothing else.
type FollowUpMark struct {
	ListingID string
	Mark      Mark
	On        time.Time
}
