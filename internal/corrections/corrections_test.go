package corrections_test

import (
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/corrections"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/moderation"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/submissions"
	"github.com/belong-directory/belong/internal/testenv"
	"github.com/belong-directory/belong/web"
)

const base = "https://belong.example"

// env is the corrections service on a database of the test's own, with a clock
// the test moves.
type env struct {
	t   *testing.T
	st  *store.Store
	svc *corrections.Service
	mod *moderation.Service
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := testenv.Store(t)
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, now: time.Now()}
	clock := func() time.Time { return e.now }
	composer := mail.Composer{Catalogs: catalogs, BaseURL: base}
	subs := submissions.New(st, nil, composer, base, clock, slog.New(slog.DiscardHandler))
	e.svc = corrections.New(st, corrections.Options{Links: subs, Mail: composer, BaseURL: base, Now: clock})
	e.mod = moderation.New(st, moderation.Options{Mail: composer, BaseURL: base, Now: clock})
	return e
}

// publish saves a published listing whose organizer has a private address.
func (e *env) publish(slug, contact, lang string) *directory.Listing {
	e.t.Helper()
	l := testenv.WeeklyGroup(slug)
	l.ContactEmail, l.ContactLang = contact, lang
	if err := e.st.InTx(e.t.Context(), func(tx *store.Tx) error {
		_, err := tx.SaveListing(e.t.Context(), l, "test")
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return l
}

func (e *env) send(slug, kind, text string) string {
	e.t.Helper()
	token, err := e.svc.Send(e.t.Context(), slug, corrections.Report{Kind: kind, Text: text})
	if err != nil {
		e.t.Fatalf("send a correction: %v", err)
	}
	return token
}

func (e *env) status(token string) directory.Correction {
	e.t.Helper()
	c, err := e.svc.Status(e.t.Context(), token)
	if err != nil {
		e.t.Fatalf("status: %v", err)
	}
	return c
}

func (e *env) mailTo(to string) []mail.Queued {
	e.t.Helper()
	msgs, err := e.st.RecentMail(e.t.Context(), 50)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []mail.Queued
	for _, m := range msgs {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

var (
	accurateLink = regexp.MustCompile(`https://belong\.example/manage/([A-Za-z0-9_-]{43})/corrections/([0-9a-f-]{36})\?ui=([a-z]+)`)
	fixLink      = regexp.MustCompile(`https://belong\.example/manage/([A-Za-z0-9_-]{43})/edit\?ui=([a-z]+)`)
)

// TestOrganizerConfirmingFromTheEmailAppliesTheCorrection: the organizer is
// emailed in their language with both one-click links; "still accurate" from
// the correction confirms the listing and applies that correction, once.
func TestOrganizerConfirmingFromTheEmailAppliesTheCorrection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.publish("tuesday-circle", "org@example.org", "es")
	before, _ := e.st.Listing(t.Context(), l.ID)
	token := e.send(l.Slug, "time", "It starts at 19:00 now. <script>alert(1)</script>")

	c := e.status(token)
	if c.State != directory.CorrectionReceived || c.Kind != directory.WrongTime || c.ListingSlug != l.Slug {
		t.Fatalf("a new correction: %+v", c)
	}
	msgs := e.mailTo("org@example.org")
	if len(msgs) != 1 || msgs[0].Kind != "correction" || msgs[0].Lang != "es" {
		t.Fatalf("the organizer is emailed once, in Spanish: %+v", msgs)
	}
	m := msgs[0]
	for _, want := range []string{"La hora no es correcta", "It starts at 19:00 now. <script>alert(1)</script>",
		"Sigue siendo correcta", "Corregir la ficha"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the email lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;") {
		t.Errorf("the sender's words are escaped in the email's HTML: %s", m.HTML)
	}
	accurate := accurateLink.FindStringSubmatch(m.Text)
	fix := fixLink.FindStringSubmatch(m.Text)
	if accurate == nil || fix == nil || accurate[2] != c.ID || accurate[3] != "es" || accurate[1] != fix[1] {
		t.Fatalf("the email's links: %v %v\n%s", accurate, fix, m.Text)
	}
	manage := accurate[1]

	// Looking at the correction changes nothing.
	if got, err := e.svc.ForOrganizer(t.Context(), manage, c.ID); err != nil || got.State != directory.CorrectionReceived {
		t.Fatalf("the organizer's view: %+v %v", got, err)
	}
	if err := e.svc.ConfirmAccurate(t.Context(), manage, c.ID); err != nil {
		t.Fatal(err)
	}
	c = e.status(token)
	if c.State != directory.CorrectionApplied || c.Resolution != directory.ConfirmedByOrganizer || c.DecidedAt == nil {
		t.Fatalf("after the organizer confirmed: %+v", c)
	}
	after, _ := e.st.Listing(t.Context(), l.ID)
	if !after.ConfirmedAt.After(before.ConfirmedAt) || after.ConfirmedBy != directory.ByOrganizer {
		t.Errorf("the listing is confirmed as of now: %v → %v", before.ConfirmedAt, after.ConfirmedAt)
	}
	if err := e.svc.ConfirmAccurate(t.Context(), manage, c.ID); !errors.Is(err, directory.ErrConflict) {
		t.Errorf("confirming an answered correction again: %v", err)
	}
	history, _ := e.st.History(t.Context(), l.ID, 10)
	if len(history) == 0 || history[0].Action != "confirm" || history[0].By != "organizer" {
		t.Errorf("the public history says the organizer confirmed it: %+v", history)
	}
}

// TestAManageLinkOpensOnlyItsOwnListingsCorrections: a manage link of another
// listing, or a forged one, neither shows nor answers a correction.
func TestAManageLinkOpensOnlyItsOwnListingsCorrections(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish("first-circle", "first@example.org", "en")
	e.publish("second-circle", "second@example.org", "en")
	e.send("first-circle", "closed", "The hall is locked every week.")
	e.send("second-circle", "other", "The phone number is wrong.")
	first := accurateLink.FindStringSubmatch(e.mailTo("first@example.org")[0].Text)
	second := accurateLink.FindStringSubmatch(e.mailTo("second@example.org")[0].Text)
	for _, try := range [][2]string{{first[1], second[2]}, {strings.Repeat("A", 43), first[2]}, {"x", first[2]},
		{first[1], "not-a-uuid"}} {
		if _, err := e.svc.ForOrganizer(t.Context(), try[0], try[1]); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("view %v: %v, want not found", try, err)
		}
		if err := e.svc.ConfirmAccurate(t.Context(), try[0], try[1]); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("confirm %v: %v, want not found", try, err)
		}
	}
	q, err := e.svc.Queue(t.Context())
	if err != nil || q.Total != 2 {
		t.Fatalf("both wait: %+v %v", q, err)
	}
}

// TestAnApprovedEditAppliesTheCorrectionsItAnswered: an edit written after a
// correction arrived answers it once a moderator approves the edit; a
// correction that arrived after the edit was written stays open.
func TestAnApprovedEditAppliesTheCorrectionsItAnswered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.publish("moved-circle", "org@example.org", "en")
	answered := e.send(l.Slug, "time", "It is on Wednesdays now.")
	cur, _ := e.st.Listing(t.Context(), l.ID)
	proposed := cur
	proposed.Schedules[0].ByDay = "WE"
	rev := directory.Revision{ListingID: l.ID, Kind: directory.Edit, State: directory.Pending, Proposed: proposed,
		BaseVersion: cur.Version}
	if err := e.st.InTx(t.Context(), func(tx *store.Tx) error { return tx.AddRevision(t.Context(), &rev) }); err != nil {
		t.Fatal(err)
	}
	later := e.send(l.Slug, "access", "The lift is broken.")

	mod := directory.User{ID: "00000000-0000-0000-0000-000000000001", Role: directory.Moderator}
	if err := e.mod.Approve(t.Context(), mod, rev.ID, 0); err != nil {
		t.Fatal(err)
	}
	if c := e.status(answered); c.State != directory.CorrectionApplied || c.Resolution != directory.EditedByOrganizer ||
		c.DecidedBy != mod.Actor() {
		t.Errorf("the correction the edit answered: %+v", c)
	}
	if c := e.status(later); c.State != directory.CorrectionReceived {
		t.Errorf("a correction sent after the edit was written: %+v", c)
	}
}

// TestDeclinedWithAReasonAndStatusLinksExpire: a moderator declines with a
// reason the sender reads; the status link stops working StatusKept after the
// decision, an open correction's never does, and forged links open nothing.
func TestDeclinedWithAReasonAndStatusLinksExpire(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish("quiet-room", "", "en") // seeded: nobody to email
	declined := e.send("quiet-room", "access", "No ramp.")
	open := e.send("quiet-room", "other", "The room number changed.")
	if len(e.mailTo("org@example.org")) != 0 {
		t.Fatal("no email without an organizer")
	}
	q, err := e.svc.Queue(t.Context())
	if err != nil || q.Total != 2 || len(q.Items) != 2 || q.Items[0].Text != "No ramp." {
		t.Fatalf("both wait for a moderator, oldest first: %+v %v", q, err)
	}
	mod := directory.User{ID: "00000000-0000-0000-0000-000000000002", Role: directory.Moderator}
	ve := &directory.ValidationError{}
	if err := e.svc.Decline(t.Context(), mod, q.Items[0].ID, "   "); !errors.As(err, &ve) || ve.Fields[0].Field != "reason" {
		t.Fatalf("a decline without a reason: %v", err)
	}
	if err := e.svc.Decline(t.Context(), mod, q.Items[0].ID, strings.Repeat("r", corrections.MaxReason+1)); !errors.As(err, &ve) {
		t.Fatalf("a reason too long: %v", err)
	}
	reason := "There is a ramp at the side door: the listing says so."
	if err := e.svc.Decline(t.Context(), mod, q.Items[0].ID, reason); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Apply(t.Context(), mod, q.Items[0].ID); !errors.Is(err, directory.ErrConflict) {
		t.Errorf("deciding twice: %v", err)
	}
	if c := e.status(declined); c.State != directory.CorrectionDeclined || c.Reason != reason || c.Resolution != "" {
		t.Fatalf("declined: %+v", c)
	}

	e.now = e.now.Add(corrections.StatusKept - time.Hour)
	e.status(declined)
	e.now = e.now.Add(2 * time.Hour)
	if _, err := e.svc.Status(t.Context(), declined); !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("a status link long after the decision: %v", err)
	}
	if c := e.status(open); c.State != directory.CorrectionReceived {
		t.Errorf("an open correction's link keeps working: %+v", c)
	}
	changed := []byte(open)
	changed[10] ^= 1
	for _, forged := range []string{"", "x", strings.Repeat("A", 43), string(changed), open + "A", open[:42]} {
		if _, err := e.svc.Status(t.Context(), forged); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("forged %q: %v", forged, err)
		}
	}
}

// TestRefusedCorrectionsWriteNothing: a missing or unknown kind, an empty or
// too long text, or a listing that is not public is refused, and nothing is
// written; control characters are dropped from what is kept.
func TestRefusedCorrectionsWriteNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish("kept-circle", "org@example.org", "en")
	draft := testenv.WeeklyGroup("draft-circle")
	draft.Status = directory.Draft
	if err := e.st.InTx(t.Context(), func(tx *store.Tx) error { _, err := tx.SaveListing(t.Context(), draft, "test"); return err }); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		slug, kind, text string
		field            string
	}{
		{"kept-circle", "", "Closed.", "kind"},
		{"kept-circle", "gone", "Closed.", "kind"},
		{"kept-circle", "closed", "  \n\t ", "text"},
		{"kept-circle", "closed", strings.Repeat("é", corrections.MaxText+1), "text"},
		{"draft-circle", "closed", "Closed.", ""},
		{"no-such-circle", "closed", "Closed.", ""},
	}
	for _, c := range cases {
		_, err := e.svc.Send(t.Context(), c.slug, corrections.Report{Kind: c.kind, Text: c.text})
		ve := &directory.ValidationError{}
		switch {
		case c.field == "" && !errors.Is(err, directory.ErrNotFound):
			t.Errorf("%+v: %v, want not found", c, err)
		case c.field != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != c.field):
			t.Errorf("%+v: %v, want a problem with %s", c, err, c.field)
		}
	}
	if q, _ := e.svc.Queue(t.Context()); q.Total != 0 || len(e.mailTo("org@example.org")) != 0 {
		t.Fatalf("a refused correction wrote something: %+v", q)
	}
	if _, err := e.svc.Send(t.Context(), "kept-circle", corrections.Report{Kind: "other",
		Text: strings.Repeat("é", corrections.MaxText)}); err != nil {
		t.Fatalf("a text of exactly the limit: %v", err)
	}
	token := e.send("kept-circle", "other", "a\x00b\x1bc\xffd\r\ne")
	if c := e.status(token); c.Text != "abc\uFFFDd\ne" {
		t.Errorf("kept %q", c.Text)
	}
}

// A correction of a listing imported from a feed goes to the feed's feedback
// addresses (its maintainers keep the meeting true), with a link to the listing
// and no manage link; a seeded listing with neither sends no email at all.
func TestCorrectionsOfImportedListingsGoToTheFeed(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	imported := e.publish("imported-circle", "", "")
	e.publish("seeded-circle", "", "")
	if err := e.st.InTx(ctx, func(tx *store.Tx) error {
		f := &directory.Feed{Kind: directory.MeetingGuideFeed, URL: "https://intergroup.example/meetings.json",
			Name: "Intergroup", SyncEvery: time.Hour, Grace: time.Hour}
		if err := tx.SaveFeed(ctx, f, "test"); err != nil {
			return err
		}
		return tx.SaveListingSources(ctx, []directory.ListingSource{{ListingID: imported.ID, FeedID: f.ID,
			SourceID: "imported-circle", ContentHash: "x",
			FeedbackEmails: []string{"feedback@intergroup.example", "second@intergroup.example"}}})
	}); err != nil {
		t.Fatal(err)
	}

	e.send("imported-circle", "time", "It meets at <b>7</b> now.")
	e.send("seeded-circle", "other", "Nobody to tell.")
	for _, to := range []string{"feedback@intergroup.example", "second@intergroup.example"} {
		got := e.mailTo(to)
		if len(got) != 1 {
			t.Fatalf("%s got %d messages, want 1", to, len(got))
		}
		m := got[0]
		if !strings.Contains(m.Text, "It meets at <b>7</b> now.") || !strings.Contains(m.Text, base+"/groups/imported-circle") ||
			strings.Contains(m.Text, "/manage/") || strings.Contains(m.HTML, "<b>7</b>") {
			t.Errorf("the feed's message:\n%s\n%s", m.Text, m.HTML)
		}
	}
	msgs, err := e.st.RecentMail(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Errorf("%d messages queued, want only the two to the feed", len(msgs))
	}
}
