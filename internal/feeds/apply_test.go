package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

var testNow = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func newFeed(t *testing.T, st *store.Store, grace time.Duration) directory.Feed {
	t.Helper()
	f := directory.Feed{Kind: directory.MeetingGuideFeed, URL: "https://feeds.example.org/" + t.Name() + ".json",
		Name: "Example Intergroup", SyncEvery: 6 * time.Hour, Grace: grace}
	if err := st.InTx(context.Background(), func(tx *store.Tx) error { return tx.SaveFeed(context.Background(), &f, "cli") }); err != nil {
		t.Fatal(err)
	}
	got, err := st.Feed(context.Background(), f.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func importer(st *store.Store, now *time.Time) *Importer {
	return NewImporter(st, func() time.Time { return *now }, nil)
}

func mustImport(t *testing.T, im *Importer, feed directory.Feed, data []byte) directory.FeedRun {
	t.Helper()
	run, err := im.ImportMeetingGuide(context.Background(), feed, data)
	if err != nil {
		t.Fatalf("import: %v (run %+v)", err, run)
	}
	return run
}

func fixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/feed.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func tagValues(l directory.Listing) []string {
	var out []string
	for _, tg := range l.Tags {
		out = append(out, tg.Tag+"="+string(tg.Value))
	}
	slices.Sort(out)
	return out
}

func TestImportMapsMeetingsOntoListings(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := testNow
	feed := newFeed(t, st, time.Hour)
	run := mustImport(t, importer(st, &now), feed, fixture(t))
	if run.Outcome != directory.RunApplied || run.Added != 3 || run.Skipped != 0 {
		t.Fatalf("run %+v", run)
	}
	if run.Report.KeptTypes["O"] != 1 || run.Report.KeptTypes["D"] != 1 || run.Report.KeptTypes["ZZ-CUSTOM"] != 1 ||
		run.Report.KeptTypes["C"] != 1 {
		t.Errorf("kept types reported as %v", run.Report.KeptTypes)
	}

	l, err := st.Listing(ctx, "sunrise-serenity")
	if err != nil {
		t.Fatal(err)
	}
	if got := tagValues(l); !slices.Equal(got, []string{"access.accessible-toilet=yes", "access.step-free=yes",
		"care.childcare=yes", "identity.lgbtq-affirming=yes"}) {
		t.Errorf("tags %v", got)
	}
	if !slices.Equal(l.Languages, []string{"es"}) || l.TextLang != "es" {
		t.Errorf("languages %v, text in %s", l.Languages, l.TextLang)
	}
	if l.Status != directory.Published || l.ConfirmedBy != directory.ByImport ||
		!l.ConfirmedAt.Equal(time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)) {
		t.Errorf("status %s by %s at %s", l.Status, l.ConfirmedBy, l.ConfirmedAt)
	}
	if len(l.Locations) != 1 {
		t.Fatalf("locations %+v", l.Locations)
	}
	p := l.Locations[0]
	if p.Kind != directory.Physical || p.Name != "Grace Hall" || p.Address != "123 Main St" || p.City != "Tulsa" ||
		p.Region != "OK" || p.PostalCode != "74103" || p.Country != "US" || p.Neighbourhood != "Downtown" ||
		p.Lat == nil || *p.Lat != 36.1539 || p.TransitNotes != "Bus 12 stops outside." {
		t.Errorf("place %+v", p)
	}
	if len(l.Schedules) != 1 {
		t.Fatalf("schedules %+v", l.Schedules)
	}
	sc := l.Schedules[0]
	if sc.Freq != "WEEKLY" || sc.ByDay != "MO,WE" || sc.OpensAt != "07:00" || sc.ClosesAt != "08:15" ||
		sc.TimeZone != "America/Chicago" || sc.Interval != 1 {
		t.Errorf("schedule %+v", sc)
	}
	if l.Summary != "Coffee from 6:45. Enter by the side door." || l.Website != "https://example.org/meetings/sunrise-serenity" ||
		l.Organization.Name != "Sunrise Group" {
		t.Errorf("summary %q website %q organization %q", l.Summary, l.Website, l.Organization.Name)
	}
	if modes := l.Modes(); !slices.Equal(modes, []directory.Mode{directory.InPerson}) {
		t.Errorf("modes %v", modes)
	}
	src, err := st.ListingSource(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if src.FeedID != feed.ID || src.SourceID != "sunrise-serenity" || !slices.Equal(src.KeptTypes, []string{"O", "D", "ZZ-CUSTOM"}) ||
		!slices.Equal(src.FeedbackEmails, []string{"feedback@example.org"}) || src.FeedbackURL != "https://example.org/feedback" {
		t.Errorf("source %+v", src)
	}

	online, err := st.Listing(ctx, "online-evening")
	if err != nil {
		t.Fatal(err)
	}
	// Approximate: never a street or a position; with a join link, online only.
	if modes := online.Modes(); !slices.Equal(modes, []directory.Mode{directory.Online, directory.ByPhone}) {
		t.Errorf("online modes %v, locations %+v", modes, online.Locations)
	}
	if online.Locations[0].URL != "https://zoom.us/j/123456789" || online.Locations[0].Name != "Password: serenity" ||
		online.PhoneMeeting != "+16465588656,,123456789#" || online.Schedules[0].ClosesAt != "20:30" {
		t.Errorf("online listing %+v", online)
	}
	if got := tagValues(online); !slices.Equal(got, []string{"identity.by-and-for-women=yes"}) || !slices.Equal(online.Languages, []string{"en"}) {
		t.Errorf("online tags %v languages %v", got, online.Languages)
	}

	closed, err := st.Listing(ctx, "closed-for-now")
	if err != nil {
		t.Fatal(err)
	}
	if !closed.Paused || closed.Status != directory.Published || closed.Schedules[0].ByDay != "FR" ||
		closed.Locations[0].Lat == nil || closed.Locations[0].Country != "ES" {
		t.Errorf("TC listing %+v", closed)
	}
}

// counts are the rows a write would add or change.
func counts(t *testing.T, st *store.Store) string {
	t.Helper()
	var outbox, audit, versions int
	err := st.Pool().QueryRow(context.Background(), `SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM audit_log),
		(SELECT coalesce(sum(version), 0) FROM listings)`).Scan(&outbox, &audit, &versions)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("outbox %d, audit %d, versions %d", outbox, audit, versions)
}

func TestReimportUnchangedWritesNothingAndChangesUpdateInPlace(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := testNow
	im := importer(st, &now)
	feed := newFeed(t, st, time.Hour)
	mustImport(t, im, feed, fixture(t))
	before, err := st.Listing(ctx, "sunrise-serenity")
	if err != nil {
		t.Fatal(err)
	}
	was := counts(t, st)
	now = now.Add(24 * time.Hour)
	run := mustImport(t, im, feed, fixture(t))
	if run.Unchanged != 3 || run.Added+run.Updated+run.Archived != 0 {
		t.Fatalf("unchanged re-run %+v", run)
	}
	if is := counts(t, st); is != was {
		t.Fatalf("an unchanged feed wrote: before %s, after %s", was, is)
	}

	changed := strings.Replace(string(fixture(t)), `"Sunrise Serenity"`, `"Sunrise Serenity Group"`, 1)
	run = mustImport(t, im, feed, []byte(changed))
	if run.Updated != 1 || run.Unchanged != 2 || run.Added != 0 {
		t.Fatalf("changed re-run %+v", run)
	}
	after, err := st.Listing(ctx, "sunrise-serenity")
	if err != nil {
		t.Fatal(err)
	}
	if after.ID != before.ID || after.Name != "Sunrise Serenity Group" || after.Version != before.Version+1 ||
		after.Schedules[0].Start != before.Schedules[0].Start {
		t.Errorf("update in place: before %s v%d %s, after %s v%d %q %s", before.ID, before.Version,
			before.Schedules[0].Start, after.ID, after.Version, after.Name, after.Schedules[0].Start)
	}
	hist, err := st.History(ctx, after.ID, 10)
	if err != nil || len(hist) < 2 {
		t.Fatalf("history %+v %v", hist, err)
	}
}

func TestMeetingsGoneFromTheFeedAreArchivedAfterTheGrace(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := testNow
	im := importer(st, &now)
	feed := newFeed(t, st, 48*time.Hour)
	mustImport(t, im, feed, fixture(t))
	var items []json.RawMessage
	if err := json.Unmarshal(fixture(t), &items); err != nil {
		t.Fatal(err)
	}
	short, _ := json.Marshal(items[:2])

	now = now.Add(time.Hour)
	run := mustImport(t, im, feed, short)
	if run.Missing != 1 || run.Archived != 0 {
		t.Fatalf("first run without it: %+v", run)
	}
	if l, _ := st.Listing(ctx, "closed-for-now"); l.Status != directory.Published {
		t.Fatalf("archived within the grace: %s", l.Status)
	}
	now = now.Add(49 * time.Hour)
	run = mustImport(t, im, feed, short)
	if run.Missing != 1 || run.Archived != 1 {
		t.Fatalf("after the grace: %+v", run)
	}
	if l, _ := st.Listing(ctx, "closed-for-now"); l.Status != directory.Archived || l.Paused {
		t.Fatalf("after the grace: %s paused %v", l.Status, l.Paused)
	}
	// Back in the feed: published again, in place.
	run = mustImport(t, im, feed, fixture(t))
	if run.Updated != 1 {
		t.Fatalf("back in the feed: %+v", run)
	}
	if l, _ := st.Listing(ctx, "closed-for-now"); l.Status != directory.Published {
		t.Fatalf("back in the feed: %s", l.Status)
	}
}

func manyMeetings(n int) []byte {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"name":"Meeting %d","slug":"m-%d","day":%d,"time":"18:00","timezone":"America/Chicago",
			"formatted_address":"%d Main St, Tulsa, OK, US"}`, i, i, i%7, i+1)
	}
	b.WriteString("]")
	return []byte(b.String())
}

func TestALargeDropIsHeldUntilAnAdminConfirms(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := testNow
	im := importer(st, &now)
	feed := newFeed(t, st, 0)
	if run := mustImport(t, im, feed, manyMeetings(20)); run.Added != 20 {
		t.Fatalf("first run %+v", run)
	}
	was := counts(t, st)
	run, err := im.ImportMeetingGuide(ctx, feed, manyMeetings(2))
	if !errors.Is(err, ErrHeld) || run.Outcome != directory.RunHeld || !strings.Contains(run.Message, "2 usable meetings where it had 20") {
		t.Fatalf("drop to 2 of 20: %v %+v", err, run)
	}
	if is := counts(t, st); is != was {
		t.Fatalf("a held run wrote: before %s, after %s", was, is)
	}
	// Only a 90% drop is held: 3 of 20 is applied.
	if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.SetFeedConfirmDrop(ctx, feed.ID, true, "admin:test") }); err != nil {
		t.Fatal(err)
	}
	feed, _ = st.Feed(ctx, feed.ID)
	run = mustImport(t, im, feed, manyMeetings(2))
	if run.Outcome != directory.RunApplied || run.Archived != 18 {
		t.Fatalf("confirmed drop %+v", run)
	}
	if feed, _ = st.Feed(ctx, feed.ID); feed.ConfirmDrop {
		t.Fatal("a confirmation outlived the run it was for")
	}
	if runs, _ := st.FeedRuns(ctx, feed.ID, 10); len(runs) != 3 || runs[1].Outcome != directory.RunHeld {
		t.Fatalf("runs %+v", runs)
	}
}

// twentyMeetingsAWeekOfGrace is a feed with a week of grace whose first run
// imported twenty meetings, with the importer's clock to move on.
func twentyMeetingsAWeekOfGrace(t *testing.T) (*store.Store, *Importer, directory.Feed, *time.Time) {
	t.Helper()
	st := testenv.Store(t)
	now := testNow
	im := importer(st, &now)
	feed := newFeed(t, st, 7*24*time.Hour)
	mustImport(t, im, feed, manyMeetings(20))
	return st, im, feed, &now
}

// A confirmed drop is not held again at the next sync while the meetings it
// dropped wait out the feed's grace: the feed is measured against what it had
// at its last run.
func TestAConfirmedDropIsNotHeldAgainDuringTheGrace(t *testing.T) {
	st, im, feed, now := twentyMeetingsAWeekOfGrace(t)
	ctx := context.Background()
	if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.SetFeedConfirmDrop(ctx, feed.ID, true, "admin:test") }); err != nil {
		t.Fatal(err)
	}
	feed, _ = st.Feed(ctx, feed.ID)
	if run := mustImport(t, im, feed, manyMeetings(2)); run.Outcome != directory.RunApplied || run.Missing != 18 || run.Archived != 0 {
		t.Fatalf("the confirmed drop: %+v", run)
	}
	for sync := range 2 {
		feed, _ = st.Feed(ctx, feed.ID)
		*now = now.Add(6 * time.Hour)
		run, err := im.ImportMeetingGuide(ctx, feed, manyMeetings(2))
		if err != nil || run.Outcome != directory.RunApplied || run.Unchanged != 2 {
			t.Fatalf("the same feed at sync %d after: %v %+v", sync+1, err, run)
		}
	}
}

// A feed cannot shed its meetings in steps each too small to be held: what it
// had counts the meetings gone from it that wait out the grace.
func TestAFeedCannotDropItsMeetingsInSmallSteps(t *testing.T) {
	_, im, feed, now := twentyMeetingsAWeekOfGrace(t)
	ctx := context.Background()
	if run := mustImport(t, im, feed, manyMeetings(3)); run.Outcome != directory.RunApplied || run.Missing != 17 {
		t.Fatalf("20 to 3, under the line: %+v", run)
	}
	*now = now.Add(6 * time.Hour)
	run, err := im.ImportMeetingGuide(ctx, feed, manyMeetings(1))
	if !errors.Is(err, ErrHeld) || !strings.Contains(run.Message, "1 usable meetings where it had 20") {
		t.Fatalf("then to 1: %v %+v", err, run)
	}
}

func TestBadItemsAreReportedAndTheRestImported(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := testNow
	feed := newFeed(t, st, time.Hour)
	body := `[
		{"name": "Good", "slug": "good", "day": 1, "time": "10:00", "timezone": "America/Chicago",
		 "notes": "<script>alert('x')</script> <b>bold</b>", "formatted_address": "1 Elm St, Tulsa, OK 74103, US",
		 "latitude": 200, "longitude": 10},
		{"name": "Bad time", "slug": "bad-time", "day": 1, "time": "25:00", "timezone": "America/Chicago"},
		{"name": "Bad zone", "slug": "bad-zone", "day": 1, "time": "10:00", "timezone": "Mars/Olympus_Mons"},
		{"name": "Good", "slug": "good", "day": 2, "time": "11:00", "timezone": "America/Chicago"},
		{"name": "", "slug": "no-name", "day": 2, "time": "11:00", "timezone": "America/Chicago"},
		{"name": "By appointment", "slug": "appointment", "conference_phone": "555-0100"},
		{"name": "Day 9", "slug": "day-9", "day": 9, "time": "11:00", "timezone": "America/Chicago"}
	]`
	run := mustImport(t, importer(st, &now), feed, []byte(body))
	if run.Added != 2 || run.Skipped != 5 || run.Meetings != 7 {
		t.Fatalf("run %+v", run)
	}
	byItem := map[int]directory.ItemProblem{}
	for _, p := range run.Report.Problems {
		if _, seen := byItem[p.Item]; !seen || p.Skipped {
			byItem[p.Item] = p
		}
	}
	for item, want := range map[int]string{1: "latitude", 2: "time", 3: "timezone", 4: "slug", 5: "name", 6: "day", 7: "day"} {
		if byItem[item].Field != want {
			t.Errorf("item %d: problem %+v, want field %s", item, byItem[item], want)
		}
	}
	if byItem[1].Skipped || byItem[6].Skipped || !byItem[4].Skipped || !strings.Contains(byItem[4].Message, "item 1") {
		t.Errorf("problems %+v", run.Report.Problems)
	}
	l, err := st.Listing(ctx, "good")
	if err != nil {
		t.Fatal(err)
	}
	if l.Summary != "<script>alert('x')</script> <b>bold</b>" || l.Locations[0].Lat != nil || l.Schedules[0].ByDay != "MO" {
		t.Errorf("good listing %+v", l)
	}
}

func TestARunThatFailsChangesNothing(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := testNow
	im := importer(st, &now)
	feed := newFeed(t, st, 0)
	mustImport(t, im, feed, fixture(t))
	// The database refuses one row late in the run, after listings were written.
	_, err := st.Pool().Exec(ctx, `
		CREATE FUNCTION refuse_source() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.source_id = 'm-3' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER refuse_source BEFORE INSERT ON listing_sources FOR EACH ROW EXECUTE FUNCTION refuse_source();`)
	if err != nil {
		t.Fatal(err)
	}
	was := counts(t, st)
	changed := strings.Replace(string(fixture(t)), `"Sunrise Serenity"`, `"Renamed"`, 1)
	feedPlus := strings.TrimSuffix(strings.TrimSpace(changed), "]") + "," + strings.TrimPrefix(string(manyMeetings(5)), "[")
	run, err := im.ImportMeetingGuide(ctx, feed, []byte(feedPlus))
	if err == nil || run.Outcome != directory.RunFailed || !strings.Contains(run.Message, "nothing was changed") {
		t.Fatalf("run %v %+v", err, run)
	}
	if is := counts(t, st); is != was {
		t.Fatalf("a failed run wrote: before %s, after %s", was, is)
	}
	if l, _ := st.Listing(ctx, "sunrise-serenity"); l.Name != "Sunrise Serenity" {
		t.Fatalf("half applied: %q", l.Name)
	}
	if _, err := st.Listing(ctx, "m-0"); !errors.Is(err, directory.ErrNotFound) {
		t.Fatalf("half applied: m-0 exists (%v)", err)
	}
	if runs, _ := st.FeedRuns(ctx, feed.ID, 1); len(runs) != 1 || runs[0].Outcome != directory.RunFailed {
		t.Fatalf("failed run not recorded: %+v", runs)
	}
}

func TestMalformedFeedIsAFailedRun(t *testing.T) {
	st := testenv.Store(t)
	now := testNow
	feed := newFeed(t, st, 0)
	run, err := importer(st, &now).ImportMeetingGuide(context.Background(), feed, []byte(`[{"name":`))
	if err == nil || run.Outcome != directory.RunFailed || !strings.Contains(run.Message, "not valid JSON") {
		t.Fatalf("%v %+v", err, run)
	}
}

func TestSlugsTakenByOtherListingsGetTheFeedsSuffix(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := testNow
	mine := testenv.WeeklyGroup("sunrise-serenity")
	if err := st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.SaveListing(ctx, mine, "organizer"); return err }); err != nil {
		t.Fatal(err)
	}
	feed := newFeed(t, st, 0)
	mustImport(t, importer(st, &now), feed, fixture(t))
	if l, _ := st.Listing(ctx, "sunrise-serenity"); l.Name != mine.Name {
		t.Fatalf("an import overwrote a listing it does not own: %q", l.Name)
	}
	if _, err := st.Listing(ctx, "sunrise-serenity-"+shortHash(feed.ID)); err != nil {
		t.Fatalf("imported listing under the feed's suffix: %v", err)
	}
}

func TestAListingArchivedByAPersonStaysArchived(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := testNow
	im := importer(st, &now)
	feed := newFeed(t, st, 0)
	mustImport(t, im, feed, fixture(t))
	l, _ := st.Listing(ctx, "sunrise-serenity")
	if err := st.InTx(ctx, func(tx *store.Tx) error {
		return tx.SetListingStatus(ctx, l.ID, directory.Archived, false)
	}); err != nil {
		t.Fatal(err)
	}
	if run := mustImport(t, im, feed, fixture(t)); run.Unchanged != 3 {
		t.Fatalf("unchanged run %+v", run)
	}
	changed := strings.Replace(string(fixture(t)), `"Sunrise Serenity"`, `"Sunrise Serenity Group"`, 1)
	if run := mustImport(t, im, feed, []byte(changed)); run.Updated != 1 {
		t.Fatalf("changed run %+v", run)
	}
	if l, _ = st.Listing(ctx, "sunrise-serenity"); l.Status != directory.Archived || l.Name != "Sunrise Serenity Group" {
		t.Fatalf("a sync overruled a moderator's archive: %s %q", l.Status, l.Name)
	}
}
