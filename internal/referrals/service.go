// Package referrals owns referral lists: a few groups someone picked, with or
// for a person, shared by a short code as a link, QR code, printout or text
// message in the person's language. A list holds no personal data and ends by
// itself. A signed-in peer worker keeps the lists they share in their account
// and, when they turn it on, sees the follow-up marks the person chose to
// leave. It knows nothing of HTTP or SQL text.
package referrals

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/store"
)

// Limits of a list.
const (
	// MaxGroups is more than a person can take in from one list.
	MaxGroups = 30
	// MaxNote is a short note's length, in characters.
	MaxNote = 280
	// DefaultDays and MaxDays are how long a list lasts unless renewed.
	DefaultDays = 60
	MaxDays     = 180
)

// Translation keys of the messages a refused list gets.
const (
	KeyNoGroups      = "referral.error.empty"
	KeyTooMany       = "referral.error.too_many"
	KeyUnknownGroup  = "referral.error.unknown_group"
	KeyUnreadable    = "referral.error.unreadable"
	KeyNoteLong      = "referral.error.note_long"
	KeyNoteInvalid   = "referral.error.note_invalid"
	KeyLang          = "referral.error.lang"
	KeyDays          = "referral.error.days"
	KeyFollowUpNeeds = "referral.error.follow_up_account"
	KeyMark          = "referral.error.mark"
)

// ErrNoFollowUp refuses a mark on a list whose creator did not turn follow-up
// on (or turned it off since).
var ErrNoFollowUp = errors.New("this list does not take follow-up marks")

// Service keeps referral lists.
type Service struct {
	st    *store.Store
	dir   *listings.Service
	langs []string
	now   func() time.Time
	log   *slog.Logger
}

// Options are the service's settings.
type Options struct {
	// Langs are the languages a list can be read in (the interface's).
	Langs []string
	Now   func() time.Time
	Log   *slog.Logger
}

// New returns the service.
func New(st *store.Store, dir *listings.Service, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{st: st, dir: dir, langs: o.Langs, now: o.Now, log: o.Log}
}

// Langs are the languages a list can be read in.
func (s *Service) Langs() []string { return s.langs }

// today is the current day in UTC: lists keep days, never times.
func (s *Service) today() time.Time {
	y, m, d := s.now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// ParseIDs reads the groups of a list from an address: listing ids separated
// by commas, in order, each once. More than MaxGroups is a
// *directory.ValidationError and reads nothing; anything else that is not a
// listing id is left out, and reported (KeyUnreadable) with the ids read.
func ParseIDs(raw string) ([]string, error) {
	var ids []string
	if strings.TrimSpace(raw) == "" {
		return ids, nil
	}
	// Counting separators first keeps a 10,000-id address from being split
	// and checked one by one.
	if strings.Count(raw, ",") >= MaxGroups {
		return nil, (&directory.ValidationError{}).Add("ids", KeyTooMany, "a list holds at most 30 groups")
	}
	unreadable := false
	for part := range strings.SplitSeq(raw, ",") {
		id := strings.ToLower(strings.TrimSpace(part))
		if id == "" {
			continue
		}
		if !idPattern.MatchString(id) {
			unreadable = true
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if unreadable {
		return ids, (&directory.ValidationError{}).Add("ids", KeyUnreadable, "not a listing id")
	}
	return ids, nil
}

// Draft is a list as the person shaped it, before it is shared.
type Draft struct {
	ListingIDs []string
	Lang       string
	Note       string
	// Days is how long the list lasts; 0 means DefaultDays.
	Days     int
	FollowUp bool
}

// CheckNote refuses a note that is too long or not text. It returns the note
// with the space around it trimmed.
func CheckNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	switch {
	case len(note) > 4*MaxNote || utf8.RuneCountInString(note) > MaxNote:
		return "", (&directory.ValidationError{}).Add("note", KeyNoteLong, "a note holds at most 280 characters")
	case !utf8.ValidString(note) || strings.ContainsFunc(note, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
	}):
		return "", (&directory.ValidationError{}).Add("note", KeyNoteInvalid, "the note holds characters that are not text")
	}
	return note, nil
}

// check validates a draft against the directory as it is now. Every problem
// is reported at once.
func (s *Service) check(ctx context.Context, d Draft, by *directory.User) (Draft, map[string]listings.Listed, error) {
	v := &directory.ValidationError{}
	var listed map[string]listings.Listed
	switch {
	case len(d.ListingIDs) == 0:
		v.Add("ids", KeyNoGroups, "a list needs at least one group")
	case len(d.ListingIDs) > MaxGroups:
		v.Add("ids", KeyTooMany, "a list holds at most 30 groups")
	default:
		ids, err := ParseIDs(strings.Join(d.ListingIDs, ","))
		if err != nil {
			// What is not a listing id is no group listed now: nothing is
			// left out of a list being shared.
			v.Add("ids", KeyUnknownGroup, "not a listing id")
			break
		}
		d.ListingIDs = ids
		listed, err = s.dir.Listed(ctx, ids)
		if err != nil {
			return d, nil, err
		}
		for _, id := range ids {
			if listed[id].Public == nil {
				v.Add("ids", KeyUnknownGroup, "a group on the list is not listed now")
				break
			}
		}
	}
	if !slices.Contains(s.langs, d.Lang) {
		v.Add("lang", KeyLang, "not a language the list can be read in")
	}
	note, err := CheckNote(d.Note)
	if ve, ok := errors.AsType[*directory.ValidationError](err); ok {
		v.Fields = append(v.Fields, ve.Fields...)
	}
	d.Note = note
	if d.Days == 0 {
		d.Days = DefaultDays
	}
	if d.Days < 1 || d.Days > MaxDays {
		v.Add("days", KeyDays, "a list lasts from 1 to 180 days")
	}
	if d.FollowUp && !isPeer(by) {
		v.Add("follow_up", KeyFollowUpNeeds, "follow-up is for lists a signed-in peer worker keeps")
	}
	return d, listed, v.Err()
}

func isPeer(u *directory.User) bool { return u != nil && u.Role.Grants(directory.Peer) }

// Share keeps the list and gives it a code. A signed-in peer worker (or
// admin) keeps it in their account; anyone else shares it without one.
func (s *Service) Share(ctx context.Context, d Draft, by *directory.User) (directory.ReferralList, error) {
	d, _, err := s.check(ctx, d, by)
	if err != nil {
		return directory.ReferralList{}, err
	}
	today := s.today()
	l := directory.ReferralList{ListingIDs: d.ListingIDs, Lang: d.Lang, Note: d.Note, FollowUp: d.FollowUp,
		ExpiresOn: today.AddDate(0, 0, d.Days)}
	if isPeer(by) {
		l.CreatedBy = by.ID
	}
	// A collision among 2^65 codes is all but impossible; drawing again
	// costs nothing when it happens.
	for range 3 {
		l.Code = newCode()
		var out directory.ReferralList
		err = s.st.InTx(ctx, func(tx *store.Tx) error {
			var err error
			out, err = tx.AddReferralList(ctx, l, today)
			return err
		})
		if !errors.Is(err, directory.ErrConflict) {
			return out, err
		}
	}
	return directory.ReferralList{}, err
}

// GroupState is how a group on a list stands now.
type GroupState string

const (
	Meeting GroupState = "meeting"
	Paused  GroupState = "paused"
	// Gone is a group that was archived or is no longer listed at all.
	Gone GroupState = "gone"
)

// Group is one group of a list as the person sees it now.
type Group struct {
	ID     string
	Public *directory.PublicListing // nil when Gone
	// Name is the group's name when it is known, even once archived.
	Name     string
	TextLang string
	State    GroupState
	Mark     directory.Mark
}

// Opened is a shared list with its groups as they stand now.
type Opened struct {
	List   directory.ReferralList
	Groups []Group
}

// Preview shows the groups of a list that is being built, in its order.
func (s *Service) Preview(ctx context.Context, ids []string) ([]Group, error) {
	listed, err := s.dir.Listed(ctx, ids)
	if err != nil {
		return nil, err
	}
	return groups(ids, listed, nil), nil
}

func groups(ids []string, listed map[string]listings.Listed, marks []directory.FollowUpMark) []Group {
	out := make([]Group, 0, len(ids))
	for _, id := range ids {
		l := listed[id]
		g := Group{ID: id, Public: l.Public, Name: l.Name, TextLang: l.TextLang, State: Gone}
		switch {
		case l.Public != nil && l.Public.Paused:
			g.State = Paused
		case l.Public != nil:
			g.State = Meeting
		}
		for _, m := range marks {
			if m.ListingID == id {
				g.Mark = m.Mark
			}
		}
		out = append(out, g)
	}
	return out
}

// Open returns the list a code names. A code that is malformed, was never
// given, has ended or was deleted is the same ErrNotFound.
func (s *Service) Open(ctx context.Context, code string) (Opened, error) {
	l, err := s.byCode(ctx, code)
	if err != nil {
		return Opened{}, err
	}
	var marks []directory.FollowUpMark
	if l.FollowUp {
		m, err := s.st.ReferralMarks(ctx, []string{l.ID})
		if err != nil {
			return Opened{}, err
		}
		marks = m[l.ID]
	}
	listed, err := s.dir.Listed(ctx, l.ListingIDs)
	if err != nil {
		return Opened{}, err
	}
	return Opened{List: l, Groups: groups(l.ListingIDs, listed, marks)}, nil
}

func (s *Service) byCode(ctx context.Context, code string) (directory.ReferralList, error) {
	canonical, ok := ParseCode(code)
	if !ok {
		return directory.ReferralList{}, directory.ErrNotFound
	}
	return s.st.ReferralListByCode(ctx, canonical, s.today())
}

// Mark keeps the person's mark on one group of their list, or clears it when
// mark is "". Only the day is kept with it. A list without follow-up is
// ErrNoFollowUp; a group not on the list is a *directory.ValidationError.
func (s *Service) Mark(ctx context.Context, code, listingID, mark string) error {
	l, err := s.byCode(ctx, code)
	if err != nil {
		return err
	}
	m := directory.Mark(mark)
	if m != "" && !m.Valid() {
		return (&directory.ValidationError{}).Add("mark", KeyMark, "not a mark")
	}
	if !l.FollowUp {
		return ErrNoFollowUp
	}
	if !slices.Contains(l.ListingIDs, listingID) {
		return (&directory.ValidationError{}).Add("listing", KeyUnknownGroup, "that group is not on this list")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		ok, err := tx.SetReferralMark(ctx, l.ID, listingID, m, s.today())
		if err == nil && !ok {
			// Follow-up was turned off, or the list deleted, just now.
			return ErrNoFollowUp
		}
		return err
	})
}

// Kept is one of a peer worker's lists on their dashboard.
type Kept struct {
	List   directory.ReferralList
	Groups []Group
	Marks  []directory.FollowUpMark
}

// Mine returns the lists a peer worker keeps, newest first, with the marks
// left on each. Nobody sees another person's lists.
func (s *Service) Mine(ctx context.Context, by directory.User) ([]Kept, error) {
	lists, err := s.st.ReferralListsBy(ctx, by.ID, s.today())
	if err != nil || len(lists) == 0 {
		return nil, err
	}
	var ids, listIDs []string
	for _, l := range lists {
		listIDs = append(listIDs, l.ID)
		for _, id := range l.ListingIDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	marks, err := s.st.ReferralMarks(ctx, listIDs)
	if err != nil {
		return nil, err
	}
	listed, err := s.dir.Listed(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Kept, len(lists))
	for i, l := range lists {
		out[i] = Kept{List: l, Groups: groups(l.ListingIDs, listed, marks[l.ID]), Marks: marks[l.ID]}
	}
	return out, nil
}

// Renew makes a peer worker's list last days from today (at most MaxDays).
func (s *Service) Renew(ctx context.Context, by directory.User, listID string, days int) error {
	if days == 0 {
		days = DefaultDays
	}
	if days < 1 || days > MaxDays {
		return (&directory.ValidationError{}).Add("days", KeyDays, "a list lasts from 1 to 180 days")
	}
	return s.own(ctx, func(tx *store.Tx) (bool, error) {
		return tx.RenewReferralList(ctx, by.ID, listID, s.today().AddDate(0, 0, days))
	})
}

// SetFollowUp turns follow-up on or off for a peer worker's list; off deletes
// every mark left on it.
func (s *Service) SetFollowUp(ctx context.Context, by directory.User, listID string, on bool) error {
	return s.own(ctx, func(tx *store.Tx) (bool, error) { return tx.SetReferralFollowUp(ctx, by.ID, listID, on) })
}

// Delete deletes a peer worker's list and its marks at once.
func (s *Service) Delete(ctx context.Context, by directory.User, listID string) error {
	return s.own(ctx, func(tx *store.Tx) (bool, error) { return tx.DeleteReferralList(ctx, by.ID, listID) })
}

// own runs a change to one of the person's own lists: a list they do not
// keep is ErrNotFound, whether or not someone else keeps it.
func (s *Service) own(ctx context.Context, fn func(tx *store.Tx) (bool, error)) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		ok, err := fn(tx)
		if err == nil && !ok {
			return directory.ErrNotFound
		}
		return err
	})
}

// DeleteExpired deletes every list that has ended, with its marks.
func (s *Service) DeleteExpired(ctx context.Context) (int64, error) {
	return s.st.DeleteExpiredReferralLists(ctx, s.today())
}

// RunExpiry deletes ended lists now and then every interval until ctx ends.
func (s *Service) RunExpiry(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if n, err := s.DeleteExpired(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("ended referral lists not deleted; trying again later", "error", err.Error())
		} else if n > 0 {
			s.log.Info("ended referral lists deleted", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
