// Package corrections owns what anyone may tell the directory about a public
// listing without an account or an email address ("this group has closed",
// "the time is wrong", ...): taking a correction, sending it to whoever can
// fix the listing, the sender's private status link, and the rules by which a
// correction becomes applied or declined. Every write commits with its audit
// row and its email in one transaction. It knows nothing of HTTP or SQL text.
//
// A correction becomes applied when
//   - the organizer, from the page the correction's email links to, confirms
//     the listing is still accurate (that correction only: they answered it);
//   - an edit of the listing is approved that the organizer wrote after the
//     correction arrived (every such open correction: they had been told of
//     it when they edited; AppliedByEdit);
//   - a moderator applies it from the moderation queue.
//
// It becomes declined only by a moderator, with a reason the sender reads.
package corrections

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/linktoken"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/store"
)

// MaxText is the longest correction, in characters: a few sentences.
const MaxText = 1000

// MaxReason is the longest reason a moderator may give.
const MaxReason = 2000

// StatusKept is how long a status link keeps working after its correction was
// decided: long enough to come back to, not forever.
const StatusKept = 180 * 24 * time.Hour

// Translation keys of the messages a refused correction gets.
const (
	KeyKind   = "correction.kind.required"
	KeyText   = "correction.text.required"
	KeyReason = "moderate.correction.reason.required"
)

// queueLimit is how many open corrections the queue shows at once.
const queueLimit = 200

// ManageLinks are the organizer's private manage links (the submissions
// service owns them).
type ManageLinks interface {
	// ListingOf returns the listing a manage token opens, or ErrNotFound.
	ListingOf(ctx context.Context, token string) (string, error)
	// IssueLink adds a fresh manage link in tx and returns its address.
	IssueLink(ctx context.Context, tx *store.Tx, listingID string) (string, error)
}

// Service takes corrections and follows them to a decision.
type Service struct {
	st      *store.Store
	links   ManageLinks
	mail    mail.Composer
	baseURL string
	now     func() time.Time
}

// Options are the service's settings.
type Options struct {
	Links   ManageLinks
	Mail    mail.Composer
	BaseURL string
	Now     func() time.Time
}

// New returns the service.
func New(st *store.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{st: st, links: o.Links, mail: o.Mail, baseURL: strings.TrimRight(o.BaseURL, "/"), now: o.Now}
}

// Report is a correction as someone sends it.
type Report struct {
	Kind string
	Text string
}

// Validate checks a report and returns it cleaned, or a *ValidationError
// naming the fields "kind" and "text".
func (r Report) Validate() (directory.CorrectionKind, string, error) {
	v := &directory.ValidationError{}
	kind := directory.CorrectionKind(r.Kind)
	if !kind.Valid() {
		v.Add("kind", KeyKind, "choose what is out of date")
	}
	text := cleanText(r.Text)
	switch {
	case text == "":
		v.Add("text", KeyText, "say in a sentence what you noticed")
	case utf8.RuneCountInString(text) > MaxText:
		v.Add("text", directory.KeyTooLong, fmt.Sprintf("at most %d characters", MaxText))
	}
	return kind, text, v.Err()
}

// cleanText keeps what a person wrote as plain text: valid UTF-8, line breaks
// kept, other control characters (NUL among them) dropped, trimmed.
func cleanText(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
	return strings.TrimSpace(s)
}

// Send takes a correction of the published listing slug and returns the token
// of the sender's private status link. The correction, its audit row and the
// email to whoever answers it commit together; a refused one writes nothing.
func (s *Service) Send(ctx context.Context, slug string, r Report) (string, error) {
	kind, text, err := r.Validate()
	if err != nil {
		return "", err
	}
	l, err := s.st.Listing(ctx, slug)
	if err != nil {
		return "", err
	}
	if l.Status != directory.Published {
		return "", fmt.Errorf("correction of %s, which is %s: %w", slug, l.Status, directory.ErrNotFound)
	}
	token, hash := linktoken.New()
	c := directory.Correction{ListingID: l.ID, Kind: kind, Text: text, State: directory.CorrectionReceived,
		ListingName: l.Name, ListingSlug: l.Slug}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.AddCorrection(ctx, &c, hash); err != nil {
			return err
		}
		// Never the text in the audit log: it is the sender's words, kept once.
		if err := tx.Audit(ctx, "public", "correct", "correction", c.ID,
			map[string]string{"listing": l.ID, "kind": string(kind)}); err != nil {
			return err
		}
		return s.route(ctx, tx, l, c)
	})
	return token, err
}

// route sends a correction to whoever can fix the listing. This is the one
// place that decides who that is: the organizer's private address, in their
// language, with one-click links; for a listing imported from a feed, the
// feed's feedback addresses, since its maintainers keep the meeting true and
// the next sync brings their fix; a listing with neither (seeded) is left to
// the moderators, who see every correction in their queue.
func (s *Service) route(ctx context.Context, tx *store.Tx, l directory.Listing, c directory.Correction) error {
	if l.ContactEmail == "" {
		return s.routeToSource(ctx, tx, l, c)
	}
	if s.links == nil {
		return nil
	}
	manage, err := s.links.IssueLink(ctx, tx, l.ID)
	if err != nil {
		return err
	}
	lang := l.ContactLang
	kind := s.mail.Catalogs.T(lang, "correction.kind."+string(c.Kind))
	ui := "?ui=" + lang
	return tx.QueueMail(ctx, s.mail.ComposeLinks("correction", l.ContactEmail, lang, []mail.Link{
		{Name: "accurate", URL: manage + "/corrections/" + c.ID + ui},
		{Name: "fix", URL: manage + "/edit" + ui},
	}, l.Name, kind, c.Text))
}

// maxFeedbackEmails bounds how many of a feed's feedback addresses one
// correction is sent to.
const maxFeedbackEmails = 3

// routeToSource sends a correction of an imported listing to its feed's
// feedback addresses, in the directory's first language (a feed says nothing
// of its maintainers' own), with a link to the listing as belong shows it.
func (s *Service) routeToSource(ctx context.Context, tx *store.Tx, l directory.Listing, c directory.Correction) error {
	src, err := s.st.ListingSource(ctx, l.ID)
	if errors.Is(err, directory.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	lang := i18n.Fallback
	kind := s.mail.Catalogs.T(lang, "correction.kind."+string(c.Kind))
	page := s.baseURL + "/groups/" + l.Slug
	for i, to := range src.FeedbackEmails {
		if i == maxFeedbackEmails {
			break
		}
		if err := tx.QueueMail(ctx, s.mail.Compose("correction_feed", to, lang, page, l.Name, kind, c.Text)); err != nil {
			return err
		}
	}
	return nil
}

// Status returns the correction a status token opens: ErrNotFound for a
// forged token, or one whose correction was decided more than StatusKept ago.
func (s *Service) Status(ctx context.Context, token string) (directory.Correction, error) {
	hash, ok := linktoken.Hash(token)
	if !ok {
		return directory.Correction{}, fmt.Errorf("correction status link: %w", directory.ErrNotFound)
	}
	return s.st.CorrectionByStatus(ctx, hash, s.now().Add(-StatusKept))
}

// ForOrganizer returns a correction of the listing a manage token opens.
func (s *Service) ForOrganizer(ctx context.Context, manageToken, id string) (directory.Correction, error) {
	listingID, err := s.links.ListingOf(ctx, manageToken)
	if err != nil {
		return directory.Correction{}, err
	}
	c, err := s.st.Correction(ctx, id)
	if err != nil {
		return directory.Correction{}, err
	}
	if c.ListingID != listingID {
		return directory.Correction{}, fmt.Errorf("correction %s is not of this listing: %w", id, directory.ErrNotFound)
	}
	return c, nil
}

// OpenFor returns the unanswered corrections of the listing a manage token
// opens, oldest first, for its manage page.
func (s *Service) OpenFor(ctx context.Context, manageToken string) ([]directory.Correction, error) {
	listingID, err := s.links.ListingOf(ctx, manageToken)
	if err != nil {
		return nil, err
	}
	return s.st.OpenCorrectionsOf(ctx, listingID)
}

// ConfirmAccurate is the organizer's "still accurate" in answer to a
// correction: the listing is confirmed as of now and the correction applied,
// together. A correction already decided leaves it decided (ErrConflict), and
// the listing is not confirmed: the organizer sees what was decided instead.
func (s *Service) ConfirmAccurate(ctx context.Context, manageToken, id string) error {
	listingID, err := s.links.ListingOf(ctx, manageToken)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DecideCorrection(ctx, id, listingID, directory.CorrectionApplied,
			directory.ConfirmedByOrganizer, "", "organizer", s.now()); err != nil {
			return err
		}
		if err := tx.ConfirmListing(ctx, listingID, directory.ByOrganizer); err != nil {
			return err
		}
		if err := tx.Audit(ctx, "organizer", "confirm", "listing", listingID, map[string]string{"correction": id}); err != nil {
			return err
		}
		return tx.Audit(ctx, "organizer", "apply", "correction", id, map[string]string{"resolution": "confirmed"})
	})
}

// AppliedByEdit applies, in the transaction that approves an edit, every open
// correction of the listing that arrived before the organizer wrote the edit.
func AppliedByEdit(ctx context.Context, tx *store.Tx, listingID string, editWritten time.Time, by string,
	now time.Time) error {
	ids, err := tx.ApplyCorrections(ctx, listingID, editWritten, directory.EditedByOrganizer, by, now)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.Audit(ctx, by, "apply", "correction", id, map[string]string{"resolution": "edited"}); err != nil {
			return err
		}
	}
	return nil
}

// Queue is what waits for a moderator: the open corrections, oldest first, and
// how many there are in all.
type Queue struct {
	Items []directory.Correction
	Total int
}

// Queue returns the open corrections.
func (s *Service) Queue(ctx context.Context) (Queue, error) {
	items, total, err := s.st.OpenCorrections(ctx, queueLimit)
	return Queue{Items: items, Total: total}, err
}

// Correction returns one correction, for a moderator.
func (s *Service) Correction(ctx context.Context, id string) (directory.Correction, error) {
	return s.st.Correction(ctx, id)
}

// Apply marks a correction applied by a moderator (who changed the listing,
// or found the organizer had).
func (s *Service) Apply(ctx context.Context, by directory.User, id string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DecideCorrection(ctx, id, "", directory.CorrectionApplied, directory.AppliedByModerator, "",
			by.Actor(), s.now()); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Actor(), "apply", "correction", id, map[string]string{"resolution": "moderator"})
	})
}

// Decline refuses a correction with a reason its sender reads on their status
// page.
func (s *Service) Decline(ctx context.Context, by directory.User, id, reason string) error {
	reason = cleanText(reason)
	switch {
	case reason == "":
		return (&directory.ValidationError{}).Add("reason", KeyReason, "say why, in a sentence the sender will read")
	case utf8.RuneCountInString(reason) > MaxReason:
		return (&directory.ValidationError{}).Add("reason", directory.KeyTooLong,
			fmt.Sprintf("at most %d characters", MaxReason))
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DecideCorrection(ctx, id, "", directory.CorrectionDeclined, "", reason, by.Actor(),
			s.now()); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Actor(), "decline", "correction", id, map[string]string{"reason": reason})
	})
}
