// Package moderation owns what moderators do: the queue of proposed listings
// and edits (oldest first, likely duplicates flagged), a field-by-field
// comparison with what is published, approving (which publishes through the
// same versioned save as every other write) and declining with a reason the
// organizer is told. Every decision is written with its audit row, its outbox
// row and its email in one transaction. It knows nothing of HTTP or SQL text.
package moderation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/corrections"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/store"
)

var (
	// ErrListingChanged: the published listing changed after the moderator
	// looked at it (or after the organizer wrote the edit); approving would
	// overwrite a change nobody reviewed. The moderator reviews again.
	ErrListingChanged = errors.New("the listing changed since it was reviewed")
	// ErrDecided: someone else decided on the revision a moment ago.
	ErrDecided = errors.New("the revision has been decided already")
)

// MaxReason is the longest reason a moderator may give, in characters.
const MaxReason = 2000

// KeyReason is the message of a decline without a reason.
const KeyReason = "moderate.reason.required"

// queueLimit is how many waiting revisions the queue shows at once.
const queueLimit = 200

// Service moderates proposed listings.
type Service struct {
	st      *store.Store
	mail    mail.Composer
	baseURL string
	now     func() time.Time
}

// Options are the service's settings.
type Options struct {
	Mail    mail.Composer
	BaseURL string
	Now     func() time.Time
}

// New returns the service.
func New(st *store.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{st: st, mail: o.Mail, baseURL: strings.TrimRight(o.BaseURL, "/"), now: o.Now}
}

// Queue is what waits for a moderator, oldest first.
type Queue struct {
	Items []Item
	// New and Edits count every waiting revision, even past the ones shown.
	New, Edits int
}

// Total is how many revisions wait.
func (q Queue) Total() int { return q.New + q.Edits }

// Item is one waiting revision.
type Item struct {
	ID        string
	Kind      directory.RevisionKind
	Name      string
	City      string
	CreatedAt time.Time
	// Duplicates is how many other listings may be the same group.
	Duplicates int
}

// Queue returns the waiting revisions, oldest first, with likely duplicates
// counted.
func (s *Service) Queue(ctx context.Context) (Queue, error) {
	revs, err := s.st.PendingRevisions(ctx, queueLimit)
	if err != nil {
		return Queue{}, err
	}
	var q Queue
	if q.New, q.Edits, err = s.st.PendingCounts(ctx); err != nil {
		return Queue{}, err
	}
	for _, r := range revs {
		p := r.Proposed
		p.ID = r.ListingID
		dups, err := s.st.LikelyDuplicates(ctx, p, 10)
		if err != nil {
			return Queue{}, err
		}
		q.Items = append(q.Items, Item{ID: r.ID, Kind: r.Kind, Name: p.Name, City: firstCity(p),
			CreatedAt: r.CreatedAt, Duplicates: len(dups)})
	}
	return q, nil
}

func firstCity(l directory.Listing) string {
	for _, loc := range l.Locations {
		if loc.Kind == directory.Physical && loc.City != "" {
			return loc.City
		}
	}
	return ""
}

// Review is everything a moderator needs to decide on one revision.
type Review struct {
	Revision directory.Revision
	// Listing is the listing as it is now: published, or the draft a new
	// submission made.
	Listing directory.Listing
	// Changes compare the proposal with what is published; for a new
	// submission, with nothing, so every field it fills in is listed.
	Changes   []Change
	Unchanged int
	// Version is the listing version the comparison was made against; an
	// approval sends it back, so a change made after this page was read is
	// not overwritten unseen.
	Version int
	// Moved: the listing changed after the organizer wrote this edit, so the
	// comparison is with a newer version than theirs.
	Moved      bool
	Duplicates []directory.Duplicate
}

// Review returns one revision with its comparison, in w's words, and likely
// duplicates.
func (s *Service) Review(ctx context.Context, id string, w Wording) (Review, error) {
	rev, err := s.st.Revision(ctx, id)
	if err != nil {
		return Review{}, err
	}
	cur, err := s.st.Listing(ctx, rev.ListingID)
	if err != nil {
		return Review{}, err
	}
	r := Review{Revision: rev, Listing: cur, Version: cur.Version, Moved: cur.Version != rev.BaseVersion}
	before := cur
	if rev.Kind == directory.NewListing {
		before = directory.Listing{}
		r.Moved = false
	}
	r.Changes, r.Unchanged = Diff(before, rev.Proposed, w)
	p := rev.Proposed
	p.ID = rev.ListingID
	if r.Duplicates, err = s.st.LikelyDuplicates(ctx, p, 10); err != nil {
		return Review{}, err
	}
	return r, nil
}

// Approve publishes a revision as the listing, on behalf of by. seenVersion is
// the listing version the moderator compared against (Review.Version); 0 means
// the organizer's own base version. If the listing has changed since, nothing
// is written and the error is ErrListingChanged. The save, its outbox and audit
// rows, the decision and the organizer's email commit together.
func (s *Service) Approve(ctx context.Context, by directory.User, id string, seenVersion int) error {
	rev, err := s.st.Revision(ctx, id)
	if err != nil {
		return err
	}
	if rev.State != directory.Pending {
		return fmt.Errorf("approve %s: %w", id, ErrDecided)
	}
	cur, err := s.st.Listing(ctx, rev.ListingID)
	if err != nil {
		return err
	}
	l := rev.Proposed
	// The revision belongs to this listing whatever it says: the save upserts
	// by slug.
	l.ID, l.Slug = cur.ID, cur.Slug
	l.Version = rev.BaseVersion
	if seenVersion > rev.BaseVersion {
		l.Version = seenVersion
	}
	l.Status = directory.Published
	// The organizer vouched for these details when they wrote them.
	l.ConfirmedAt, l.ConfirmedBy = rev.CreatedAt, directory.ByOrganizer
	if l.ContactEmail == "" {
		l.ContactEmail = cur.ContactEmail
	}
	if l.ContactLang == "" {
		l.ContactLang = cur.ContactLang
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DecideRevision(ctx, id, directory.Pending, directory.Approved, "", by.Actor()); err != nil {
			return decided(err)
		}
		if _, err := tx.SaveListing(ctx, &l, by.Actor()); err != nil {
			if errors.Is(err, directory.ErrConflict) {
				return fmt.Errorf("%w: %w", ErrListingChanged, err)
			}
			return err
		}
		if err := tx.Audit(ctx, by.Actor(), "approve", "revision", id,
			map[string]string{"listing": l.ID, "kind": string(rev.Kind)}); err != nil {
			return err
		}
		// Corrections the organizer had been sent before writing this edit are
		// answered by it (the rule is the corrections package's).
		if err := corrections.AppliedByEdit(ctx, tx, l.ID, rev.CreatedAt, by.Actor(), s.now()); err != nil {
			return err
		}
		return s.tellOrganizer(ctx, tx, cur, "approved", s.baseURL+"/groups/"+l.Slug, l.Name)
	})
	return err
}

// Decline refuses a revision with a reason the organizer is told; the
// published listing, if any, stays as it is.
func (s *Service) Decline(ctx context.Context, by directory.User, id, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return (&directory.ValidationError{}).Add("reason", KeyReason, "say why, in a sentence the organizer will read")
	case utf8.RuneCountInString(reason) > MaxReason:
		return (&directory.ValidationError{}).Add("reason", directory.KeyTooLong,
			fmt.Sprintf("at most %d characters", MaxReason))
	}
	rev, err := s.st.Revision(ctx, id)
	if err != nil {
		return err
	}
	cur, err := s.st.Listing(ctx, rev.ListingID)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DecideRevision(ctx, id, directory.Pending, directory.Declined, reason, by.Actor()); err != nil {
			return decided(err)
		}
		if err := tx.Audit(ctx, by.Actor(), "decline", "revision", id,
			map[string]string{"listing": cur.ID, "kind": string(rev.Kind), "reason": reason}); err != nil {
			return err
		}
		return s.tellOrganizer(ctx, tx, cur, "declined", "", rev.Proposed.Name, reason)
	})
}

// decided says a lost race for a decision in the moderator's words.
func decided(err error) error {
	if errors.Is(err, directory.ErrConflict) {
		return fmt.Errorf("%w: %w", ErrDecided, err)
	}
	return err
}

// tellOrganizer queues an email to the listing's private contact, in their
// language; a listing without one (an import) has nobody to tell.
func (s *Service) tellOrganizer(ctx context.Context, tx *store.Tx, l directory.Listing, kind, link string, args ...any) error {
	if l.ContactEmail == "" {
		return nil
	}
	if link != "" {
		link += "?ui=" + url.QueryEscape(l.ContactLang)
	}
	return tx.QueueMail(ctx, s.mail.Compose(kind, l.ContactEmail, l.ContactLang, link, args...))
}

// Listing returns a listing as moderators see it, by id or slug.
func (s *Service) Listing(ctx context.Context, idOrSlug string) (directory.Listing, error) {
	return s.st.Listing(ctx, idOrSlug)
}

// RevokeManageLinks makes every manage link of a listing stop working (a link
// was forwarded, or an organizer left the group); the organizer can ask for a
// fresh one, which goes to the private contact address.
func (s *Service) RevokeManageLinks(ctx context.Context, by directory.User, listingID string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeManageLinks(ctx, listingID); err != nil {
			return err
		}
		// Not the listing's own history: its details did not change.
		return tx.Audit(ctx, by.Actor(), "revoke", "manage_links", listingID, struct{}{})
	})
}
