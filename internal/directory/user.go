package directory

import (
	"slices"
	"time"
)

// Role is what a signed-in person may do. Only the people who look after the
// directory, and peer workers who refer people to groups, have accounts;
// someone looking for a group never needs one.
type Role string

const (
	Moderator Role = "moderator"
	Admin     Role = "admin"
	// Peer is a peer worker: keeps the referral lists they share in their
	// account and sees the follow-up marks people chose to leave on them.
	Peer Role = "peer"
)

// grants lists, for each role, every role whose pages it may open. A peer
// worker moderates nothing and a moderator keeps no lists; an admin may do both.
var grants = map[Role][]Role{
	Moderator: {Moderator},
	Peer:      {Peer},
	Admin:     {Admin, Moderator, Peer},
}

// Valid reports whether r is a role an account can hold.
func (r Role) Valid() bool { _, ok := grants[r]; return ok }

// Grants reports whether a person holding r may do what needs.
func (r Role) Grants(needs Role) bool { return slices.Contains(grants[r], needs) }

// User is an account of a moderator, admin or peer worker.
type User struct {
	ID        string
	Email     string
	Role      Role
	CreatedAt time.Time
	CreatedBy string
	// DisabledAt is when an admin turned the account off; nil while it works.
	DisabledAt *time.Time
	// SessionEpoch is the generation of the person's sessions: a session begun
	// in an older epoch has been signed out everywhere.
	SessionEpoch int
}

// Actor is how the audit log names what the person did: "moderator:<id>".
func (u User) Actor() string { return string(u.Role) + ":" + u.ID }

// Active reports whether the account may sign in.
func (u User) Active() bool { return u.DisabledAt == nil }
