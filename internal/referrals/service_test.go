package referrals_test

import (
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/accounts"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/referrals"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

type env struct {
	st    *store.Store
	svc   *referrals.Service
	clock *time.Time
	ids   []string
}

// newEnv publishes three groups and returns the service over them, with a
// clock the test moves.
func newEnv(t *testing.T) *env {
	t.Helper()
	st := testenv.Store(t)
	e := &env{st: st}
	for _, slug := range []string{"first-circle", "second-circle", "third-circle"} {
		if err := st.InTx(t.Context(), func(tx *store.Tx) error {
			id, err := tx.SaveListing(t.Context(), testenv.WeeklyGroup(slug, "cost.free"), "test")
			e.ids = append(e.ids, id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	dir, err := listings.New(t.Context(), st, listings.Options{UILangs: []string{"en", "es"},
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	e.clock = &now
	e.svc = referrals.New(st, dir, referrals.Options{Langs: []string{"en", "es"}, Now: func() time.Time { return *e.clock }})
	return e
}

func (e *env) user(t *testing.T, email string, role directory.Role) directory.User {
	t.Helper()
	u, err := accounts.New(e.st, accounts.Options{}).AddUser(t.Context(), "cli", email, role)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func fields(err error) []string {
	ve, ok := errors.AsType[*directory.ValidationError](err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field+":"+f.Key)
	}
	return out
}

func TestSharedListHoldsWhatWasChosenAndOpensByItsCodeHoweverTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: []string{e.ids[2], e.ids[0]}, Lang: "es",
		Note: "  Pregunta por Ana en la puerta  "}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Code) != referrals.CodeLen || l.CreatedBy != "" || l.FollowUp || l.Note != "Pregunta por Ana en la puerta" {
		t.Fatalf("list: %+v", l)
	}
	if days := l.ExpiresOn.Sub(l.CreatedOn).Hours() / 24; days != referrals.DefaultDays {
		t.Fatalf("a list lasts %v days by default, want %d", days, referrals.DefaultDays)
	}
	spoken := strings.ToLower(referrals.GroupCode(l.Code))
	spoken = strings.NewReplacer("1", "l", "0", "o").Replace(spoken)
	for _, code := range []string{l.Code, referrals.GroupCode(l.Code), spoken, " " + strings.ReplaceAll(spoken, "-", " ")} {
		o, err := e.svc.Open(t.Context(), code)
		if err != nil {
			t.Fatalf("open %q: %v", code, err)
		}
		if len(o.Groups) != 2 || o.Groups[0].ID != e.ids[2] || o.Groups[1].ID != e.ids[0] || o.List.Lang != "es" {
			t.Fatalf("opened %q: %+v", code, o)
		}
	}
}

func TestBadListsAreRefusedClearlyAndWriteNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	many := make([]string, 500)
	for i := range many {
		many[i] = e.ids[i%3]
	}
	cases := []struct {
		name  string
		draft referrals.Draft
		want  string
	}{
		{"no groups", referrals.Draft{Lang: "en"}, "ids:" + referrals.KeyNoGroups},
		{"500 groups", referrals.Draft{ListingIDs: many, Lang: "en"}, "ids:" + referrals.KeyTooMany},
		{"not an id", referrals.Draft{ListingIDs: []string{"'; drop table users; --"}, Lang: "en"}, "ids:" + referrals.KeyUnknownGroup},
		{"unknown group", referrals.Draft{ListingIDs: []string{"00000000-0000-0000-0000-000000000000"}, Lang: "en"}, "ids:" + referrals.KeyUnknownGroup},
		{"10 KB note", referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", Note: strings.Repeat("a", 10<<10)}, "note:" + referrals.KeyNoteLong},
		{"281 characters", referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", Note: strings.Repeat("é", 281)}, "note:" + referrals.KeyNoteLong},
		{"a NUL in the note", referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", Note: "a\x00b"}, "note:" + referrals.KeyNoteInvalid},
		{"broken UTF-8", referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", Note: "a\xffb"}, "note:" + referrals.KeyNoteInvalid},
		{"unknown language", referrals.Draft{ListingIDs: e.ids[:1], Lang: "fr"}, "lang:" + referrals.KeyLang},
		{"181 days", referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", Days: 181}, "days:" + referrals.KeyDays},
		{"negative days", referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", Days: -5}, "days:" + referrals.KeyDays},
		{"follow-up without an account", referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", FollowUp: true}, "follow_up:" + referrals.KeyFollowUpNeeds},
	}
	for _, c := range cases {
		_, err := e.svc.Share(t.Context(), c.draft, nil)
		got := fields(err)
		if len(got) == 0 || got[0] != c.want {
			t.Errorf("%s: got %v (%v), want %s", c.name, got, err, c.want)
		}
	}
	// A moderator has no dashboard, so cannot keep follow-up either.
	mod := e.user(t, "mod@example.org", directory.Moderator)
	if _, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", FollowUp: true}, &mod); len(fields(err)) == 0 {
		t.Errorf("a moderator turned follow-up on: %v", err)
	}
	if lists, err := e.svc.DeleteExpired(t.Context()); err != nil || lists != 0 {
		t.Fatalf("refused lists were written: %d %v", lists, err)
	}
	var n int
	if err := e.st.Pool().QueryRow(t.Context(), `SELECT count(*) FROM referral_lists`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d lists written by refused drafts (%v)", n, err)
	}
}

func TestParseIDsRefusesLongAddressesBeforeReadingThem(t *testing.T) {
	t.Parallel()
	ids := strings.Repeat("00000000-0000-0000-0000-000000000000,", 500)
	if _, err := referrals.ParseIDs(ids); len(fields(err)) == 0 {
		t.Fatalf("500 ids: %v", err)
	}
	got, err := referrals.ParseIDs(" 00000000-0000-0000-0000-00000000000A,,00000000-0000-0000-0000-00000000000a ")
	if err != nil || len(got) != 1 || got[0] != "00000000-0000-0000-0000-00000000000a" {
		t.Fatalf("ids are read in lower case, once each: %v %v", got, err)
	}
}

// Something in the address that is not a listing id is left out and said;
// the groups around it are kept.
func TestParseIDsKeepsWhatItCanRead(t *testing.T) {
	t.Parallel()
	got, err := referrals.ParseIDs("00000000-0000-0000-0000-00000000000a,bogus,00000000-0000-0000-0000-00000000000b")
	if !slices.Equal(got, []string{"00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b"}) ||
		!slices.Contains(fields(err), "ids:"+referrals.KeyUnreadable) {
		t.Fatalf("ids %v, %v", got, err)
	}
}

func TestMalformedUnknownEndedAndDeletedCodesAreAllNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	peer := e.user(t, "peer@example.org", directory.Peer)
	short, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", Days: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: e.ids[:1], Lang: "en"}, &peer)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Delete(t.Context(), peer, deleted.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Open(t.Context(), short.Code); err != nil {
		t.Fatalf("a list on its last day should open: %v", err)
	}
	*e.clock = e.clock.Add(48 * time.Hour)
	for _, code := range []string{"", "x", "ZZZZ-ZZZZ-ZZZZZ", "UUUU-UUUU-UUUUU", strings.Repeat("A", 5000),
		"<script>", short.Code, deleted.Code} {
		if _, err := e.svc.Open(t.Context(), code); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("open %q: %v, want ErrNotFound", code, err)
		}
	}
	// The worker's sweep deletes what has ended, and only that.
	kept, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: e.ids[:1], Lang: "en"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.svc.DeleteExpired(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("deleted %d ended lists (%v), want 1", n, err)
	}
	if _, err := e.svc.Open(t.Context(), kept.Code); err != nil {
		t.Fatalf("a current list was swept: %v", err)
	}
}

func TestAPausedOrArchivedGroupNoLongerMeetsAndTheRestStay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: e.ids, Lang: "en"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.InTx(t.Context(), func(tx *store.Tx) error {
		if err := tx.SetListingStatus(t.Context(), e.ids[0], directory.Published, true); err != nil {
			return err
		}
		return tx.SetListingStatus(t.Context(), e.ids[1], directory.Archived, false)
	}); err != nil {
		t.Fatal(err)
	}
	o, err := e.svc.Open(t.Context(), l.Code)
	if err != nil {
		t.Fatal(err)
	}
	want := []referrals.GroupState{referrals.Paused, referrals.Gone, referrals.Meeting}
	for i, g := range o.Groups {
		if g.State != want[i] || g.Name == "" {
			t.Errorf("group %d: %s %q, want %s with its name", i, g.State, g.Name, want[i])
		}
	}
	if o.Groups[1].Public != nil {
		t.Error("an archived group's public view was given out")
	}
}

func TestFollowUpMarksArePersonOwnedDayOnlyAndOnlyWhereTurnedOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	peer := e.user(t, "peer@example.org", directory.Peer)
	other := e.user(t, "other@example.org", directory.Peer)
	off, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: e.ids[:2], Lang: "en"}, &peer)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Mark(t.Context(), off.Code, e.ids[0], "went"); !errors.Is(err, referrals.ErrNoFollowUp) {
		t.Fatalf("a mark on a list without follow-up: %v", err)
	}
	on, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: e.ids[:2], Lang: "en", FollowUp: true}, &peer)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Mark(t.Context(), on.Code, e.ids[0], "try"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Mark(t.Context(), on.Code, e.ids[0], "went"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Mark(t.Context(), on.Code, e.ids[1], "not_for_me"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Mark(t.Context(), on.Code, e.ids[1], ""); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Mark(t.Context(), on.Code, e.ids[2], "went"); len(fields(err)) == 0 {
		t.Fatalf("a mark on a group not on the list: %v", err)
	}
	if err := e.svc.Mark(t.Context(), on.Code, e.ids[0], "loved it"); len(fields(err)) == 0 {
		t.Fatalf("a mark that is not one: %v", err)
	}
	mine, err := e.svc.Mine(t.Context(), peer)
	if err != nil || len(mine) != 2 {
		t.Fatalf("mine: %d %v", len(mine), err)
	}
	for _, k := range mine {
		if k.List.ID == on.ID && (len(k.Marks) != 1 || k.Marks[0].Mark != directory.MarkWent || k.Groups[0].Mark != directory.MarkWent) {
			t.Errorf("marks: %+v", k.Marks)
		}
	}
	// What is kept of a mark: the list, the group, the mark and the day.
	var cols []string
	rows, err := e.st.Pool().Query(t.Context(), `SELECT column_name FROM information_schema.columns
		WHERE table_name = 'referral_marks' ORDER BY ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		cols = append(cols, c)
	}
	if strings.Join(cols, ",") != "list_id,listing_id,mark,marked_on" {
		t.Fatalf("a mark keeps %v", cols)
	}

	// Another peer worker sees none of it and can change none of it.
	if theirs, err := e.svc.Mine(t.Context(), other); err != nil || len(theirs) != 0 {
		t.Fatalf("another peer sees %d lists (%v)", len(theirs), err)
	}
	for name, err := range map[string]error{
		"renew":     e.svc.Renew(t.Context(), other, on.ID, 30),
		"follow-up": e.svc.SetFollowUp(t.Context(), other, on.ID, false),
		"delete":    e.svc.Delete(t.Context(), other, on.ID),
	} {
		if !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("another peer's %s: %v, want ErrNotFound", name, err)
		}
	}
	if o, err := e.svc.Open(t.Context(), on.Code); err != nil || o.Groups[0].Mark != directory.MarkWent || !o.List.FollowUp {
		t.Fatalf("after another peer tried: %+v %v", o, err)
	}

	// Turning follow-up off deletes the marks and refuses new ones.
	if err := e.svc.SetFollowUp(t.Context(), peer, on.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Mark(t.Context(), on.Code, e.ids[0], "try"); !errors.Is(err, referrals.ErrNoFollowUp) {
		t.Fatalf("a mark after follow-up was turned off: %v", err)
	}
	var n int
	if err := e.st.Pool().QueryRow(t.Context(), `SELECT count(*) FROM referral_marks`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d marks kept after follow-up was turned off (%v)", n, err)
	}
}

func TestRenewMovesTheEndAtMost180DaysFromToday(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	peer := e.user(t, "peer@example.org", directory.Peer)
	l, err := e.svc.Share(t.Context(), referrals.Draft{ListingIDs: e.ids[:1], Lang: "en", Days: 7}, &peer)
	if err != nil {
		t.Fatal(err)
	}
	*e.clock = e.clock.AddDate(0, 0, 5)
	if err := e.svc.Renew(t.Context(), peer, l.ID, 181); len(fields(err)) == 0 {
		t.Fatalf("renewed for 181 days: %v", err)
	}
	if err := e.svc.Renew(t.Context(), peer, l.ID, 180); err != nil {
		t.Fatal(err)
	}
	mine, err := e.svc.Mine(t.Context(), peer)
	if err != nil || len(mine) != 1 {
		t.Fatal(mine, err)
	}
	y, m, d := e.clock.UTC().AddDate(0, 0, 180).Date()
	if got := mine[0].List.ExpiresOn; got.Year() != y || got.Month() != m || got.Day() != d {
		t.Fatalf("renewed to %s, want %d-%d-%d", got, y, m, d)
	}
}
