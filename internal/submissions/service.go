package submissions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/linktoken"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/store"
)

// Service takes submissions and keeps listings true through their manage links.
type Service struct {
	st      *store.Store
	vocab   Vocabulary
	mail    mail.Composer
	baseURL string
	now     func() time.Time
	log     *slog.Logger
}

// New returns the service; vocab is what tags and languages are checked against.
func New(st *store.Store, vocab Vocabulary, composer mail.Composer, baseURL string, now func() time.Time,
	log *slog.Logger) *Service {
	return &Service{st: st, vocab: vocab, mail: composer, baseURL: baseURL, now: now, log: log}
}

// actor is how organizers appear in the audit log: by role, never by address.
const actor = "organizer"

// Check reports what Submit would refuse in sub, writing nothing.
func (s *Service) Check(sub Submission) error {
	_, err := sub.Validate(s.vocab, s.now(), nil)
	return err
}

// Submit turns a submission into a draft listing and a revision waiting for its
// organizer to open the manage link emailed to them; all in one transaction. A
// refused submission writes nothing.
func (s *Service) Submit(ctx context.Context, sub Submission) error {
	l, err := sub.Validate(s.vocab, s.now(), nil)
	if err != nil {
		return err
	}
	token, hash := linktoken.New()
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		rev := directory.Revision{Kind: directory.NewListing, State: directory.Unverified}
		if err := tx.SubmitListing(ctx, &l, &rev, actor); err != nil {
			return err
		}
		if err := tx.AddManageLink(ctx, l.ID, hash); err != nil {
			return err
		}
		return tx.QueueMail(ctx, s.mail.Compose("manage_link", l.ContactEmail, l.ContactLang, s.link(token), l.Name))
	})
}

// Manage is what a manage link shows its organizer.
type Manage struct {
	Listing directory.Listing
	// Revision is the newest proposal, open or decided; its zero value when
	// there has never been one.
	Revision directory.Revision
	History  []directory.Change
}

// Published reports whether the listing is public now.
func (m Manage) Published() bool { return m.Listing.Status == directory.Published }

// Open returns what a manage link shows. Opening it the first time confirms the
// organizer's address and sends their submission to the moderators. A forged,
// old or revoked token is ErrNotFound.
func (s *Service) Open(ctx context.Context, token string) (Manage, error) {
	id, err := s.listingOf(ctx, token)
	if err != nil {
		return Manage{}, err
	}
	rev, err := s.st.LatestRevision(ctx, id)
	if err != nil && !errors.Is(err, directory.ErrNotFound) {
		return Manage{}, err
	}
	if rev.State == directory.Unverified {
		err := s.st.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.DecideRevision(ctx, rev.ID, directory.Unverified, directory.Pending, "", ""); err != nil {
				return err
			}
			return tx.Audit(ctx, actor, "verify_email", "listing", id, map[string]string{"revision": rev.ID})
		})
		if err != nil && !errors.Is(err, directory.ErrConflict) { // opened twice at once: either did it
			return Manage{}, err
		}
		rev.State = directory.Pending
	}
	l, err := s.st.Listing(ctx, id)
	if err != nil {
		return Manage{}, err
	}
	history, err := s.st.History(ctx, id, 20)
	if err != nil {
		return Manage{}, err
	}
	return Manage{Listing: l, Revision: rev, History: history}, nil
}

// Edit proposes a changed listing; the published version stays live until a
// moderator approves it. An edit of a listing that changed since the form was
// served (version) is ErrConflict.
func (s *Service) Edit(ctx context.Context, token string, version int, sub Submission) error {
	id, err := s.listingOf(ctx, token)
	if err != nil {
		return err
	}
	current, err := s.st.Listing(ctx, id)
	if err != nil {
		return err
	}
	if current.Version != version {
		return fmt.Errorf("listing %s is at version %d, the form was for %d: %w", current.Slug, current.Version, version,
			directory.ErrConflict)
	}
	sub.ContactEmail = current.ContactEmail // changed only through a fresh link
	proposed, err := sub.Validate(s.vocab, s.now(), &current)
	if err != nil {
		return err
	}
	kind := directory.Edit
	if current.Status == directory.Draft {
		kind = directory.NewListing // still waiting for its first approval
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		rev := directory.Revision{ListingID: id, Kind: kind, State: directory.Pending, Proposed: proposed,
			BaseVersion: current.Version}
		if err := tx.AddRevision(ctx, &rev); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "propose_edit", "listing", id, map[string]string{"revision": rev.ID})
	})
}

// Confirm records in one click that a published listing is still accurate.
func (s *Service) Confirm(ctx context.Context, token string) error {
	id, err := s.listingOf(ctx, token)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.ConfirmListing(ctx, id, directory.ByOrganizer); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "confirm", "listing", id, nil)
	})
}

// Actions an organizer can take on a listing's state.
const (
	Pause   = "pause"
	Resume  = "resume"
	Archive = "archive"
)

// SetState pauses, resumes or archives a listing.
func (s *Service) SetState(ctx context.Context, token, action string) error {
	id, err := s.listingOf(ctx, token)
	if err != nil {
		return err
	}
	l, err := s.st.Listing(ctx, id)
	if err != nil {
		return err
	}
	status, paused := l.Status, l.Paused
	switch {
	case action == Pause && l.Status != directory.Archived:
		paused = true
	case action == Resume && l.Status != directory.Archived:
		paused = false
	case action == Archive:
		status, paused = directory.Archived, false
	default:
		return (&directory.ValidationError{}).Add("action", directory.KeyChoice, "choose pause, resume or archive")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetListingStatus(ctx, id, status, paused); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, action, "listing", id, nil)
	})
}

// RenewLink sends a fresh manage link to the listing's private address; every
// older link stops working.
func (s *Service) RenewLink(ctx context.Context, token string) error {
	id, err := s.listingOf(ctx, token)
	if err != nil {
		return err
	}
	return s.renew(ctx, id)
}

// SendLinks sends a fresh manage link for every listing whose private address is
// email. It says nothing about whether there were any: the answer a person sees
// is the same either way.
func (s *Service) SendLinks(ctx context.Context, email string) error {
	if !emailPattern.MatchString(email) || len(email) > 254 {
		return (&directory.ValidationError{}).Add("email", directory.KeyFormat, "must be an email address such as name@example.org")
	}
	ids, err := s.st.ListingsByContact(ctx, email)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.renew(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) renew(ctx context.Context, id string) error {
	l, err := s.st.Listing(ctx, id)
	if err != nil {
		return err
	}
	if l.ContactEmail == "" {
		return nil // imported or seeded: nobody to send it to
	}
	token, hash := linktoken.New()
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeManageLinks(ctx, id); err != nil {
			return err
		}
		if err := tx.AddManageLink(ctx, id, hash); err != nil {
			return err
		}
		if err := tx.QueueMail(ctx, s.mail.Compose("new_link", l.ContactEmail, l.ContactLang, s.link(token), l.Name)); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "renew_link", "listing", id, nil)
	})
}

// ListingOf returns the id of the listing a manage token opens: ErrNotFound for
// a forged, old or revoked token.
func (s *Service) ListingOf(ctx context.Context, token string) (string, error) {
	return s.listingOf(ctx, token)
}

// IssueLink adds a fresh manage link to a listing in tx, beside the links it
// has, and returns its address, for an email that tx also queues.
func (s *Service) IssueLink(ctx context.Context, tx *store.Tx, listingID string) (string, error) {
	token, hash := linktoken.New()
	if err := tx.AddManageLink(ctx, listingID, hash); err != nil {
		return "", err
	}
	return s.link(token), nil
}

// listingOf returns the listing a manage token opens.
func (s *Service) listingOf(ctx context.Context, token string) (string, error) {
	hash, ok := linktoken.Hash(token)
	if !ok {
		return "", fmt.Errorf("manage link: %w", directory.ErrNotFound)
	}
	return s.st.ManageLink(ctx, hash)
}

func (s *Service) link(token string) string { return s.baseURL + "/manage/" + token }

// Store is the store the service writes to, for tests that look behind it.
func (s *Service) Store() *store.Store { return s.st }

// Reminders asks organizers to confirm listings nobody has confirmed for a while.
type Reminders struct {
	Service *Service
	// After is how long after its last confirmation a listing's organizer is
	// asked; Every how often at most the same listing is asked again.
	After, Every time.Duration
	// Batch bounds the reminders one pass sends.
	Batch int
}

// Send emails the organizer of each listing due a reminder, as of now, with a
// fresh manage link whose first button is "still accurate". Each reminder, its
// link and the record that it was sent commit together. It returns how many
// were sent.
func (r Reminders) Send(ctx context.Context, now time.Time) (int, error) {
	s := r.Service
	ids, err := s.st.RemindersDue(ctx, now.Add(-r.After), now.Add(-r.Every), r.Batch)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		l, err := s.st.Listing(ctx, id)
		if err != nil {
			return sent, err
		}
		token, hash := linktoken.New()
		err = s.st.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.AddManageLink(ctx, id, hash); err != nil {
				return err
			}
			if err := tx.MarkReminded(ctx, id, now); err != nil {
				return err
			}
			months := int(now.Sub(l.ConfirmedAt).Hours() / 24 / 30)
			if err := tx.QueueMail(ctx, s.mail.Compose("reminder", l.ContactEmail, l.ContactLang, s.link(token), l.Name, months)); err != nil {
				return err
			}
			return tx.Audit(ctx, "system", "remind", "listing", id, nil)
		})
		if err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// Run sends reminders every interval until ctx ends.
func (r Reminders) Run(ctx context.Context, every time.Duration, now func() time.Time) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if n, err := r.Send(ctx, now()); err != nil && ctx.Err() == nil {
			r.Service.log.Warn("freshness reminders not sent; trying again later", "error", err.Error())
		} else if n > 0 {
			r.Service.log.Info("freshness reminders sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
