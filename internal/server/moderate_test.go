package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

func TestApprovedSubmissionIsPublishedAndSearchable(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	mod := e.addUser("mod@example.org", directory.Moderator)
	group := testenv.WeeklyGroup("harbour-circle", "cost.free")
	group.Name = "Harbour Circle"
	rev := e.submit(group, "organizer@example.org")
	cookie := e.signIn("mod@example.org")

	rec := e.do(http.MethodGet, "/moderate?ui=en", nil, cookie)
	if rec.Code != http.StatusOK {
		t.Fatalf("queue: %d", rec.Code)
	}
	mustContain(t, "the queue", rec.Body.String(), "1 new listing waiting", "0 edits waiting", "Harbour Circle",
		"/moderate/revisions/"+rev.ID)

	rec = e.do(http.MethodGet, "/moderate/revisions/"+rev.ID+"?ui=en", nil, cookie)
	if rec.Code != http.StatusOK {
		t.Fatalf("review: %d", rec.Code)
	}
	body := rec.Body.String()
	mustContain(t, "the review of a new listing", body, "The proposed listing", "Harbour Circle", "Chicago",
		"Free: Yes", "Every Tuesday, 6:30 pm – 8 pm (Chicago time)", "In person: Library", `name="version"`)
	// In Spanish, in words: no rule, tag or language codes.
	es := e.do(http.MethodGet, "/moderate/revisions/"+rev.ID+"?ui=es", nil, cookie).Body.String()
	mustContain(t, "the review in Spanish", es, "Todos los martes", "(hora de Chicago)", "En persona: Library")
	for _, code := range []string{"WEEKLY", "cost.free", "America/Chicago", "physical:"} {
		if strings.Contains(es[strings.Index(es, "<main"):], code) {
			t.Errorf("the Spanish review shows %q", code)
		}
	}
	if strings.Contains(body, "Published now") {
		t.Error("a new listing has nothing published to compare with")
	}

	rec = e.do(http.MethodPost, "/moderate/revisions/"+rev.ID+"/approve?ui=en",
		url.Values{"version": {versionOn(t, body)}}, cookie)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/moderate?ui=en&done=approved" {
		t.Fatalf("approve: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(http.MethodGet, "/groups/harbour-circle", nil); rec.Code != http.StatusOK {
		t.Fatalf("the approved listing is not public: %d", rec.Code)
	}
	e.drain()
	rec = e.do(http.MethodGet, "/api/v1/listings?q=harbour", nil)
	var found struct {
		Engine string `json:"engine"`
		Hits   []struct {
			Slug string `json:"slug"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &found); err != nil || len(found.Hits) != 1 ||
		found.Hits[0].Slug != "harbour-circle" || found.Engine != "meilisearch" {
		t.Fatalf("search after approval: %s", rec.Body)
	}

	m, ok := e.lastMail("approved", "organizer@example.org")
	if !ok || m.Lang != "es" || !strings.Contains(m.Text, "http://belong.test/groups/harbour-circle?ui=es") {
		t.Fatalf("the organizer was not told, in Spanish, with the link: %+v", m)
	}
	decided, err := e.st.Revision(t.Context(), rev.ID)
	if err != nil || decided.State != directory.Approved || decided.DecidedBy != mod.Actor() {
		t.Fatalf("revision after approval: %+v %v", decided, err)
	}

	// The public history names the role, never the person.
	rec = e.do(http.MethodGet, "/groups/harbour-circle/history?ui=es", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("history: %d", rec.Code)
	}
	mustContain(t, "the history", rec.Body.String(), "Datos actualizados", "por moderación", "por quien organiza")
	for _, private := range []string{"mod@example.org", mod.ID, "organizer@example.org"} {
		if strings.Contains(rec.Body.String(), private) {
			t.Errorf("the public history shows %q", private)
		}
	}
	mustContain(t, "the listing page", e.do(http.MethodGet, "/groups/harbour-circle?ui=en", nil).Body.String(),
		`href="/groups/harbour-circle/history?ui=en"`, `href="/about/listing-criteria?ui=en"`)
	// The queue is empty again and says what happened.
	mustContain(t, "the queue after", e.do(http.MethodGet, "/moderate?ui=en&done=approved", nil, cookie).Body.String(),
		"Approved.", "Nothing is waiting")
}

func TestDeclineNeedsAReasonAndTellsTheOrganizer(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	rev := e.submit(testenv.WeeklyGroup("sales-pitch"), "seller@example.org")
	cookie := e.signIn("mod@example.org")
	target := "/moderate/revisions/" + rev.ID + "/decline?ui=en"

	rec := e.do(http.MethodPost, target, url.Values{"reason": {"  "}}, cookie)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("decline without a reason: %d", rec.Code)
	}
	mustContain(t, "the refused decline", rec.Body.String(), `id="f-reason-error"`, `href="#f-reason"`,
		"Please give a reason")

	reason := "This is a sales event, not a peer group. <b>Sorry</b>"
	rec = e.do(http.MethodPost, target, url.Values{"reason": {reason}}, cookie)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("decline: %d %s", rec.Code, rec.Body)
	}
	m, ok := e.lastMail("declined", "seller@example.org")
	if !ok || !strings.Contains(m.Text, reason) || !strings.Contains(m.HTML, "&lt;b&gt;Sorry&lt;/b&gt;") ||
		strings.Contains(m.HTML, "<b>Sorry") {
		t.Fatalf("the organizer was not told the reason, escaped: %+v", m)
	}
	got, err := e.st.LatestRevision(t.Context(), rev.ListingID)
	if err != nil || got.State != directory.Declined || got.Reason != reason {
		t.Fatalf("revision after decline: %+v %v", got, err)
	}
	if rec := e.do(http.MethodGet, "/groups/sales-pitch", nil); rec.Code != http.StatusNotFound {
		t.Fatalf("a declined submission is public: %d", rec.Code)
	}
	// Deciding twice is refused, and says so.
	rec = e.do(http.MethodPost, "/moderate/revisions/"+rev.ID+"/approve?ui=en", url.Values{}, cookie)
	if rec.Code != http.StatusConflict {
		t.Fatalf("approve after decline: %d", rec.Code)
	}
	mustContain(t, "the second decision", rec.Body.String(), "Someone else decided")
}

// An organizer's edit approved after the listing changed again must not
// overwrite the change: the moderator is told and reviews again.
func TestApprovingAnEditAfterAnotherChangeIsRefused(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	e.publish(testenv.WeeklyGroup("river-room"), "org@example.org")
	rev := e.proposeEdit("river-room", func(l *directory.Listing) { l.Summary = "Now on Thursdays too." })
	cookie := e.signIn("mod@example.org")

	page := e.do(http.MethodGet, "/moderate/revisions/"+rev.ID+"?ui=en", nil, cookie).Body.String()
	mustContain(t, "the diff", page, "What this edit changes", "Published now", "A peer-support group that meets every week.",
		"Now on Thursdays too.", "other fields stay as they are")
	seen := versionOn(t, page)

	// Meanwhile a moderator pauses the listing.
	cur, _ := e.st.Listing(t.Context(), "river-room")
	if err := e.st.InTx(t.Context(), func(tx *store.Tx) error {
		return tx.SetListingStatus(t.Context(), cur.ID, directory.Published, true)
	}); err != nil {
		t.Fatal(err)
	}

	rec := e.do(http.MethodPost, "/moderate/revisions/"+rev.ID+"/approve?ui=en", url.Values{"version": {seen}}, cookie)
	if rec.Code != http.StatusConflict {
		t.Fatalf("stale approval: %d", rec.Code)
	}
	again := rec.Body.String()
	mustContain(t, "the refused approval", again, "This listing changed since you opened it", "Taking a break")
	after, _ := e.st.Listing(t.Context(), "river-room")
	if after.Summary != cur.Summary || !after.Paused {
		t.Fatalf("the stale edit overwrote the listing: %+v", after)
	}
	if r, _ := e.st.Revision(t.Context(), rev.ID); r.State != directory.Pending {
		t.Fatalf("the revision was decided by a refused approval: %s", r.State)
	}

	// Reviewed again against what is published now, it goes through.
	rec = e.do(http.MethodPost, "/moderate/revisions/"+rev.ID+"/approve?ui=en", url.Values{"version": {versionOn(t, again)}}, cookie)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("approval after reviewing again: %d %s", rec.Code, rec.Body)
	}
	if after, _ := e.st.Listing(t.Context(), "river-room"); after.Summary != "Now on Thursdays too." {
		t.Fatalf("not applied: %q", after.Summary)
	}
}

func TestNobodyModeratesWithoutASession(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	rev := e.submit(testenv.WeeklyGroup("quiet-corner"), "org@example.org")
	rec := e.do(http.MethodGet, "/moderate", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sign-in?ui=en" || rec.Header().Get("Set-Cookie") != "" {
		t.Fatalf("anonymous /moderate: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	forged := &http.Cookie{Name: "belong_session", Value: "made-up-token"}
	for _, c := range []*http.Cookie{nil, forged} {
		for _, action := range []url.Values{{"version": {"1"}}, {"reason": {"no"}}} {
			path := "/moderate/revisions/" + rev.ID + "/approve"
			if action.Has("reason") {
				path = "/moderate/revisions/" + rev.ID + "/decline"
			}
			if rec := e.do(http.MethodPost, path, action, c); rec.Code != http.StatusForbidden {
				t.Errorf("%s with cookie %v: %d", path, c, rec.Code)
			}
		}
	}
	if r, _ := e.st.Revision(t.Context(), rev.ID); r.State != directory.Pending {
		t.Fatalf("decided without a session: %s", r.State)
	}
}

// What an organizer typed comes back escaped in the queue, the review and
// every email.
func TestOrganizerMarkupIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	const attack = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	l := testenv.WeeklyGroup("escaped-one")
	l.Name, l.Description, l.Locations[0].City = "Circle "+attack, "About "+attack, "Chicago "+attack
	rev := e.submit(l, "org@example.org")
	l2 := testenv.WeeklyGroup("escaped-two")
	l2.Name = "Second " + attack
	rev2 := e.submit(l2, "org2@example.org")
	cookie := e.signIn("mod@example.org")

	pages := map[string]string{
		"queue":  e.do(http.MethodGet, "/moderate", nil, cookie).Body.String(),
		"review": e.do(http.MethodGet, "/moderate/revisions/"+rev.ID, nil, cookie).Body.String(),
	}
	e.do(http.MethodPost, "/moderate/revisions/"+rev.ID+"/approve", url.Values{}, cookie)
	e.do(http.MethodPost, "/moderate/revisions/"+rev2.ID+"/decline", url.Values{"reason": {"Reason " + attack}}, cookie)
	approved, _ := e.lastMail("approved", "org@example.org")
	declined, _ := e.lastMail("declined", "org2@example.org")
	pages["approved email"], pages["declined email"] = approved.HTML, declined.HTML
	pages["history"] = e.do(http.MethodGet, "/groups/escaped-one/history", nil).Body.String()
	for name, body := range pages {
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s holds the organizer's markup unescaped", name)
		}
		if name != "history" && !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the text escaped", name)
		}
	}
}

func TestLikelyDuplicatesAreFlagged(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	existing := testenv.WeeklyGroup("grief-cafe")
	existing.Name = "Grief Café"
	e.publish(existing, "someone@example.org")
	twin := testenv.WeeklyGroup("grief-cafe-2")
	twin.Name = "grief cafe!"
	rev := e.submit(twin, "other@example.org")
	sameContact := testenv.WeeklyGroup("knitting-circle")
	sameContact.Locations[0].City = "Evanston"
	rev2 := e.submit(sameContact, "someone@example.org")
	alone := testenv.WeeklyGroup("walking-group")
	alone.Locations[0].City = "Evanston"
	e.submit(alone, "walker@example.org")
	cookie := e.signIn("mod@example.org")

	queue := e.do(http.MethodGet, "/moderate?ui=en", nil, cookie).Body.String()
	if n := strings.Count(queue, "1 possible duplicate"); n != 2 {
		t.Errorf("queue flags %d of the 2 likely duplicates", n)
	}
	mustContain(t, "the review of the twin", e.do(http.MethodGet, "/moderate/revisions/"+rev.ID+"?ui=en", nil, cookie).Body.String(),
		"This may already be listed", "/moderate/listings/grief-cafe?ui=en", "same name in the same city")
	mustContain(t, "the review of the same contact", e.do(http.MethodGet, "/moderate/revisions/"+rev2.ID+"?ui=en", nil, cookie).Body.String(),
		"same private contact address")
}

func TestModeratorsRevokeManageLinks(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	l := testenv.WeeklyGroup("leaky-link")
	e.publish(l, "org@example.org")
	hash := make([]byte, 32)
	hash[0] = 7
	if err := e.st.InTx(t.Context(), func(tx *store.Tx) error { return tx.AddManageLink(t.Context(), l.ID, hash) }); err != nil {
		t.Fatal(err)
	}
	cookie := e.signIn("mod@example.org")
	rec := e.do(http.MethodPost, "/moderate/listings/leaky-link/revoke-links?ui=en", url.Values{}, cookie)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	if _, err := e.st.ManageLink(t.Context(), hash); err == nil {
		t.Fatal("the manage link still works")
	}
	mustContain(t, "the listing page for moderators", e.do(http.MethodGet, rec.Header().Get("Location"), nil, cookie).Body.String(),
		"has stopped working")
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// versionOn reads the listing version a review page sends back with an approval.
func versionOn(t *testing.T, page string) string {
	t.Helper()
	m := versionField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the review page has no version field")
	}
	return m[1]
}
