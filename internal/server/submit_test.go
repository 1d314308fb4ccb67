package server

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
)

// clients numbers the addresses post sends from, so that tests which are not
// about rate limits are never slowed by them.
var clients atomic.Int32

// post sends a form as a browser on this site does, each from an address of its own.
func post(srv *Server, target string, form url.Values) *httptest.ResponseRecorder {
	n := clients.Add(1)
	return postFrom(srv, fmt.Sprintf("10.%d.%d.1:4000", n/250, n%250), target, form)
}

// postFrom sends a form from one client address.
func postFrom(srv *Server, addr, target string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.RemoteAddr = addr
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	return rec
}

// goodSubmission is a form a person could send.
func goodSubmission(srv *Server, name string) url.Values {
	return url.Values{
		"token": {srv.Forms.Issue(purposeSubmit)}, "name": {name}, "summary": {"A calm weekly circle."},
		"place.city": {"Chicago"}, "place.country": {"US"}, "place.neighbourhood": {"Pilsen"},
		"schedules[0].pattern": {"weekly"}, "schedules[0].days": {"TU"}, "schedules[0].opens": {"18:30"},
		"schedules[0].closes": {"20:00"}, "schedules[0].zone": {"America/Chicago"},
		"tags.cost.free": {"yes"}, "languages": {"en"}, "contact_email": {"organizer@example.org"},
	}
}

var manageLinkPattern = regexp.MustCompile(`/manage/[A-Za-z0-9_-]{43}`)

// lastManageLink reads the newest queued email's manage link, as the organizer
// would from their inbox.
func lastManageLink(t *testing.T, srv *Server) string {
	t.Helper()
	msgs, err := srv.Submissions.Store().RecentMail(context.Background(), 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no email queued: %v", err)
	}
	link := manageLinkPattern.FindString(msgs[0].Text)
	if link == "" {
		t.Fatalf("no manage link in %q", msgs[0].Text)
	}
	return link
}

func TestSubmitThenOpenTheManageLink(t *testing.T) {
	srv, _ := testServer(t)
	rec := post(srv, "/submit?ui=es", goodSubmission(srv, "Círculo <script>alert(1)</script>"))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/submit/sent?ui=es" {
		t.Fatalf("submit: %d %s\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	msgs, err := srv.Submissions.Store().RecentMail(context.Background(), 1)
	if err != nil || len(msgs) != 1 || msgs[0].Lang != "es" || msgs[0].To != "organizer@example.org" {
		t.Fatalf("the organizer is emailed in their language: %+v %v", msgs, err)
	}
	if strings.Contains(msgs[0].HTML, "<script>") || !strings.Contains(msgs[0].HTML, "&lt;script&gt;") {
		t.Errorf("what an organizer types is escaped in the email's HTML: %s", msgs[0].HTML)
	}
	link := lastManageLink(t, srv)
	rec = do(srv, http.MethodGet, link+"?ui=en", nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "moderator will look") {
		t.Fatalf("manage page: %d\n%s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "<script>alert") || rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("the manage page escapes what was typed and is never cached")
	}
	// Not public until a moderator approves it.
	if rec := do(srv, http.MethodGet, "/api/v1/listings?q=circulo", nil); strings.Contains(rec.Body.String(), "organizer@example.org") {
		t.Error("the private address is never public")
	}
}

func TestSubmitRefusesBadInputAndWritesNothing(t *testing.T) {
	srv, _ := testServer(t)
	cases := map[string]struct {
		change func(url.Values)
		field  string
	}{
		"no email":       {func(f url.Values) { f.Del("contact_email") }, "f-contact-email"},
		"no way to join": {func(f url.Values) { f.Del("place.city"); f.Del("place.country"); f.Del("place.neighbourhood") }, "f-join"},
		"no schedule":    {func(f url.Values) { f.Set("schedules[0].pattern", "") }, "f-schedules"},
		"http link":      {func(f url.Values) { f.Set("online_url", "javascript:alert(1)") }, "f-online-url"},
		"never meets": {func(f url.Values) {
			f.Set("schedules[0].until", "2020-01-01")
			f.Set("schedules[0].start", "2019-01-01")
		}, "f-schedules-0"},
		"unknown tag":         {func(f url.Values) { f.Set("tags.made.up", "yes") }, "f-tags-made-up"},
		"long name":           {func(f url.Values) { f.Set("name", strings.Repeat("n", 201)) }, "f-name"},
		"bad zone":            {func(f url.Values) { f.Set("schedules[0].zone", "Mars/Olympus") }, "f-schedules-0-zone"},
		"fifth tuesday month": {func(f url.Values) { f.Set("schedules[0].pattern", "monthly"); f.Set("schedules[0].ordinal", "5") }, "f-schedules-0-ordinal"},
	}
	for name, c := range cases {
		form := goodSubmission(srv, "Refused "+name)
		c.change(form)
		rec := post(srv, "/submit", form)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#`+c.field+`"`) {
			t.Errorf("%s: %d, want 422 with a link to #%s\n%s", name, rec.Code, c.field, body[:min(len(body), 400)])
		}
		if !strings.Contains(body, `value="`+form.Get("name")+`"`) {
			t.Errorf("%s: the form must keep what was typed", name)
		}
	}
	if msgs, _ := srv.Submissions.Store().RecentMail(context.Background(), 1); len(msgs) != 0 {
		t.Fatalf("a refused form writes nothing: %v", msgs)
	}
	if _, err := srv.Submissions.Store().ListingsByContact(context.Background(), "organizer@example.org"); err != nil {
		t.Fatal(err)
	}
}

func TestSubmitRefusesBotsAndForeignForms(t *testing.T) {
	srv, _ := testServer(t)
	form := goodSubmission(srv, "Bot")
	form.Set("homepage", "https://spam.example")
	if rec := post(srv, "/submit", form); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("honeypot: %d", rec.Code)
	}
	form = goodSubmission(srv, "Forged")
	form.Set("token", "forged")
	if rec := post(srv, "/submit", form); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "everything you typed") {
		t.Errorf("forged token: %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/submit", strings.NewReader(goodSubmission(srv, "Cross").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("cross-site submit: %d", rec.Code)
	}
	big := goodSubmission(srv, "Huge")
	big.Set("description", strings.Repeat("x", 1<<20))
	if rec := post(srv, "/submit", big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MB description: %d", rec.Code)
	}
	if ids, _ := srv.Submissions.Store().ListingsByContact(context.Background(), "organizer@example.org"); len(ids) != 0 {
		t.Fatalf("nothing may be written: %v", ids)
	}
}

func TestManageLinkActions(t *testing.T) {
	srv, _ := testServer(t)
	post(srv, "/submit", goodSubmission(srv, "Managed circle"))
	link := lastManageLink(t, srv)
	do(srv, http.MethodGet, link, nil) // confirms the address
	ctx := context.Background()
	id, err := srv.Submissions.Store().ListingsByContact(ctx, "organizer@example.org")
	if err != nil || len(id) != 1 {
		t.Fatal(id, err)
	}
	// Publish it as a moderator's approval would, to try the actions that need it.
	if err := srv.Submissions.Store().InTx(ctx, func(tx *store.Tx) error {
		return tx.SetListingStatus(ctx, id[0], directory.Published, false)
	}); err != nil {
		t.Fatal(err)
	}
	// The page's buttons are clicks: they may come at once, however long a
	// typed form must take.
	srv.Forms.MinFill = 3 * time.Second
	tok := func() url.Values { return url.Values{"token": {srv.Forms.Issue(purposeManage)}} }
	for _, action := range []string{"confirm", "pause", "resume"} {
		rec := post(srv, link+"/"+action, tok())
		if rec.Code != http.StatusSeeOther || !strings.HasSuffix(rec.Header().Get("Location"), "done="+action) {
			t.Fatalf("%s: %d %s", action, rec.Code, rec.Body)
		}
		if action == "pause" && !strings.Contains(do(srv, http.MethodGet, link+"?ui=en", nil).Body.String(),
			"It comes back into search results") {
			t.Error("a paused listing's button back is explained as pausing")
		}
	}
	if rec := post(srv, link+"/confirm", url.Values{"token": {"forged"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("a forged form token: %d", rec.Code)
	}
	// A fresh link: the old one stops working and says how to get another.
	if rec := post(srv, link+"/link", tok()); rec.Code != http.StatusSeeOther {
		t.Fatalf("new link: %d", rec.Code)
	}
	rec := do(srv, http.MethodGet, link, nil)
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `href="/manage?ui=en"`) {
		t.Fatalf("an old link: %d\n%s", rec.Code, rec.Body)
	}
	fresh := lastManageLink(t, srv)
	if fresh == link || do(srv, http.MethodGet, fresh, nil).Code != http.StatusOK {
		t.Fatal("the fresh link must open the listing")
	}
	// The same link with one character changed, in the middle and at the end.
	mid := len("/manage/") + 20
	other := func(c byte) string {
		if c == 'B' {
			return "C"
		}
		return "B"
	}
	for _, forged := range []string{"/manage/x", "/manage/" + strings.Repeat("A", 43),
		fresh[:mid] + other(fresh[mid]) + fresh[mid+1:], fresh[:len(fresh)-1] + other(fresh[len(fresh)-1])} {
		if rec := do(srv, http.MethodGet, forged, nil); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", forged, rec.Code)
		}
	}
	// Archiving, which the manage page cannot undo, needs the box ticked.
	rec = post(srv, fresh+"/archive", tok())
	if rec.Code != http.StatusSeeOther || !strings.HasSuffix(rec.Header().Get("Location"), "done=archive_unsure") {
		t.Fatalf("archive without the box: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if l, _ := srv.Submissions.Store().Listing(ctx, id[0]); l.Status == directory.Archived {
		t.Fatal("archived without the box ticked")
	}
	sure := tok()
	sure.Set("sure", "yes")
	if rec := post(srv, fresh+"/archive", sure); rec.Code != http.StatusSeeOther {
		t.Fatalf("archive: %d", rec.Code)
	}
	if l, _ := srv.Submissions.Store().Listing(ctx, id[0]); l.Status != directory.Archived {
		t.Fatalf("archived: %s", l.Status)
	}
}

func TestEditRacingAnotherChangeIsRefused(t *testing.T) {
	srv, _ := testServer(t)
	post(srv, "/submit", goodSubmission(srv, "Raced circle"))
	link := lastManageLink(t, srv)
	rec := do(srv, http.MethodGet, link+"/edit", nil)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || version == nil {
		t.Fatalf("edit form: %d", rec.Code)
	}
	// Meanwhile the organizer confirms in another tab: the listing moves on.
	ctx := context.Background()
	ids, _ := srv.Submissions.Store().ListingsByContact(ctx, "organizer@example.org")
	if err := srv.Submissions.Store().InTx(ctx, func(tx *store.Tx) error {
		return tx.ConfirmListing(ctx, ids[0], directory.ByOrganizer)
	}); err != nil {
		t.Fatal(err)
	}
	form := goodSubmission(srv, "Raced circle, renamed")
	form.Set("token", srv.Forms.Issue(purposeManage))
	form.Set("version", version[1])
	rec = post(srv, link+"/edit", form)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "changed while this form was open") {
		t.Fatalf("a stale edit: %d", rec.Code)
	}
}

func TestWritingAndGuessingAreRateLimited(t *testing.T) {
	srv, _ := testServer(t)
	var last *httptest.ResponseRecorder
	for i := range submitLimit.Burst + 1 {
		last = postFrom(srv, "203.0.113.9:1234", "/submit", goodSubmission(srv, fmt.Sprintf("Burst %d", i)))
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") == "" {
		t.Fatalf("a burst of submissions: %d, Retry-After %q", last.Code, last.Header().Get("Retry-After"))
	}
	for range openLinkLimit.Burst {
		do(srv, http.MethodGet, "/manage/"+strings.Repeat("G", 43), nil)
	}
	if rec := do(srv, http.MethodGet, "/manage/"+strings.Repeat("H", 43), nil); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("guessing manage links: %d", rec.Code)
	}
	ask := url.Values{"token": {srv.Forms.Issue(purposeManage)}, "email": {"x@example.org"}}
	for range linkLimit.Burst {
		postFrom(srv, "203.0.113.9:1234", "/manage", ask)
	}
	if rec := postFrom(srv, "203.0.113.9:1234", "/manage", ask); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("asking for links again and again: %d", rec.Code)
	}
}

var languageLabel = regexp.MustCompile(`<label for="f-lang-([a-z]+)">(.*?)</label>`)

// Every language on the submit form says its own name once, in both UI
// languages: "Spanish (Español)" and "español", "American Sign Language (ASL)"
// and never "… (ASL) (ASL)".
func TestSubmitFormNamesEachLanguageOnce(t *testing.T) {
	srv, _ := testServer(t)
	tags := regexp.MustCompile(`<[^>]*>`)
	for _, tc := range []struct {
		ui    string
		wants []string
	}{
		{"en", []string{`American Sign Language (ASL)</label>`, `Spanish (<bdi lang="es">Español</bdi>)</label>`, `>English</label>`}},
		{"es", []string{`lengua de señas americana (ASL)</label>`, `>español</label>`, `inglés (<bdi lang="en">English</bdi>)</label>`}},
	} {
		rec := do(srv, http.MethodGet, "/submit?ui="+tc.ui, nil)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", tc.ui, rec.Code)
		}
		for _, want := range tc.wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the submit form lacks %q", tc.ui, want)
			}
		}
		labels := map[string]string{}
		for _, m := range languageLabel.FindAllStringSubmatch(body, -1) {
			labels[m[1]] = strings.ToLower(html.UnescapeString(tags.ReplaceAllString(m[2], "")))
		}
		langs := srv.Directory.Languages(tc.ui)
		if len(labels) != len(langs) {
			t.Errorf("%s: %d language choices, want %d", tc.ui, len(labels), len(langs))
		}
		for _, lg := range langs {
			label, own := labels[lg.Code], strings.ToLower(lg.Autonym)
			if n := strings.Count(label, own); n != 1 || !strings.Contains(label, strings.ToLower(lg.Name)) {
				t.Errorf("%s: %s reads %q, with its own name %q %d times", tc.ui, lg.Code, label, lg.Autonym, n)
			}
		}
	}
}

// The edit form always has an empty row for another meeting time, however many
// the listing has, and gives back dates sent together in one row.
func TestTheEditFormHasRoomForAnotherMeetingTime(t *testing.T) {
	srv, _ := testServer(t)
	form := goodSubmission(srv, "Three times a week")
	for i, day := range []string{"WE", "TH"} {
		p := fmt.Sprintf("schedules[%d].", i+1)
		form.Set(p+"pattern", "weekly")
		form.Set(p+"days", day)
		form.Set(p+"opens", "10:00")
		form.Set(p+"closes", "11:00")
		form.Set(p+"zone", "America/Chicago")
	}
	form.Set("schedules[3].pattern", "dates")
	form.Set("schedules[3].dates", "2027-01-07, 2027-02-04")
	form.Set("schedules[3].opens", "18:00")
	form.Set("schedules[3].closes", "19:00")
	form.Set("schedules[3].zone", "America/Chicago")
	if rec := post(srv, "/submit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", rec.Code, rec.Body)
	}
	rec := do(srv, http.MethodGet, lastManageLink(t, srv)+"/edit", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, `name="schedules[4].pattern"`) ||
		strings.Contains(body, `name="schedules[5].pattern"`) {
		t.Fatalf("the edit form's rows: %d", rec.Code)
	}
	if !strings.Contains(body, "2027-01-07, 2027-02-04") {
		t.Error("the dates sent together do not come back in one row")
	}
	empty := regexp.MustCompile(`(?s)name="schedules\[4\]\.pattern">\s*<option value="" selected>`)
	if !empty.MatchString(body) {
		t.Error("the last row is not empty")
	}
}

// Every problem of a refused form is tied to its control or group, which its
// link in the summary can take the focus to, and the summary follows the form
// from top to bottom.
func TestRefusedFormProblemsAreTiedToTheirControlsInFormOrder(t *testing.T) {
	srv, _ := testServer(t)
	form := goodSubmission(srv, "")
	form.Del("schedules[0].days")
	form.Del("languages")
	rec := post(srv, "/submit?ui=en", form)
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("%d", rec.Code)
	}
	for _, want := range []string{
		`<fieldset class="days" id="f-schedules-0-days" tabindex="-1" aria-describedby="f-schedules-0-days-error">`,
		`<p class="field-error" id="f-schedules-0-days-error">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %s", want)
		}
	}
	links := regexp.MustCompile(`<li><a href="#([^"]+)"`).FindAllStringSubmatch(body[strings.Index(body, `id="problems"`):], -1)
	var order []string
	for _, l := range links {
		order = append(order, l[1])
	}
	if len(order) < 2 || order[0] != "f-name" || order[1] != "f-schedules-0-days" {
		t.Errorf("the summary's order: %v", order)
	}
}
