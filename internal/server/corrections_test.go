package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/server"
	"github.com/belong-directory/belong/internal/testenv"
)

// filledToken is a form token served a minute ago, as a person's would be by
// the time they send the form (the minimum fill time is its own test).
func (e *staffEnv) filledToken(purpose string) string {
	signer := *e.web.Server.Forms
	signer.Now = func() time.Time { return time.Now().Add(-time.Minute) }
	return signer.Issue(purpose)
}

// correct sends the correction form of slug as a browser would and returns the
// answer.
func (e *staffEnv) correct(slug, kind, text string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do(http.MethodPost, "/groups/"+slug+"/correction?ui=en", url.Values{
		"token": {e.filledToken("correction:" + slug)}, "kind": {kind}, "text": {text}})
}

var statusPath = regexp.MustCompile(`^(/corrections/[A-Za-z0-9_-]{43})\?ui=([a-z]+)&sent=1$`)

// sendCorrection sends a correction that is accepted and returns the path of
// its status page.
func (e *staffEnv) sendCorrection(slug, kind, text string) string {
	e.t.Helper()
	rec := e.correct(slug, kind, text)
	m := statusPath.FindStringSubmatch(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || m == nil {
		e.t.Fatalf("send a correction: %d %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	return m[1]
}

var correctionLinks = regexp.MustCompile(`http://belong\.test(/manage/[A-Za-z0-9_-]{43})(/corrections/[0-9a-f-]{36})\?ui=en`)

const hostile = `The time changed. <script>alert("x")</script> & <b>bold</b>`

// TestCorrectionToOrganizerEmailToOneClickConfirmToApplied walks the whole
// way: the listing page links the form (both languages); the form sets no
// cookie; the organizer's email carries the sender's words escaped and a link
// whose page changes nothing until its button is pressed; then the sender's
// page says "applied", and every page escapes what was typed.
func TestCorrectionToOrganizerEmailToOneClickConfirmToApplied(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.publish(testenv.WeeklyGroup("corner-circle"), "org@example.org")
	for _, ui := range []string{"en", "es"} {
		rec := e.do(http.MethodGet, "/groups/corner-circle?ui="+ui, nil)
		mustContain(t, "the listing page ("+ui+")", rec.Body.String(), `href="/groups/corner-circle/correction?ui=`+ui+`"`)
		rec = e.do(http.MethodGet, "/groups/corner-circle/correction?ui="+ui, nil)
		if rec.Code != http.StatusOK || len(rec.Result().Cookies()) > 0 || rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("the form (%s): %d, cookies %v, cache %q", ui, rec.Code, rec.Result().Cookies(), rec.Header().Get("Cache-Control"))
		}
	}
	mustContain(t, "the Spanish form", e.do(http.MethodGet, "/groups/corner-circle/correction?ui=es", nil).Body.String(),
		"Este grupo ha cerrado", "La hora no es correcta", "No es accesible como se describe", "Otra cosa")

	status := e.sendCorrection("corner-circle", "time", hostile)
	rec := e.do(http.MethodGet, status+"?ui=en&sent=1", nil)
	if rec.Code != http.StatusOK || len(rec.Result().Cookies()) > 0 || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("status page: %d %v", rec.Code, rec.Result().Cookies())
	}
	body := rec.Body.String()
	mustContain(t, "the new status page", body, "We have received your correction", "Received.", "The time is wrong",
		"&lt;script&gt;", "http://belong.test"+status+"?ui=en")
	if strings.Contains(body, "<script>alert") {
		t.Error("the status page runs what was typed")
	}

	m, ok := e.lastMail("correction", "org@example.org")
	if !ok {
		t.Fatal("the organizer was not emailed")
	}
	if !strings.Contains(m.Text, hostile) || strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;b&gt;bold&lt;/b&gt;") {
		t.Fatalf("the email carries the words, escaped in HTML:\n%s\n%s", m.Text, m.HTML)
	}
	links := correctionLinks.FindStringSubmatch(m.Text)
	if links == nil || !strings.Contains(m.Text, "http://belong.test"+links[1]+"/edit?ui=en") {
		t.Fatalf("the email's links:\n%s", m.Text)
	}
	manage, page := links[1], links[1]+links[2]

	// Opening the link (as a mail scanner would) changes nothing.
	for range 2 {
		rec = e.do(http.MethodGet, page+"?ui=en", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("the organizer's page: %d", rec.Code)
		}
	}
	body = rec.Body.String()
	mustContain(t, "the organizer's page", body, "A suggested correction", "The time is wrong", "&lt;script&gt;",
		`action="`+page+`/confirm?ui=en"`, `href="`+manage+`/edit?ui=en"`)
	if strings.Contains(body, "<script>alert") {
		t.Error("the organizer's page runs what was typed")
	}
	mustContain(t, "the status before the click", e.do(http.MethodGet, status+"?ui=en", nil).Body.String(), "Received.")
	// The manage page lists it too, for an organizer who lost the email.
	mustContain(t, "the manage page", e.do(http.MethodGet, manage+"?ui=en", nil).Body.String(), "Suggested corrections",
		`href="`+page+`?ui=en">The time is wrong</a>`)

	// A forged form token changes nothing either.
	if rec := e.do(http.MethodPost, page+"/confirm?ui=en", url.Values{"token": {"forged"}}); rec.Code != http.StatusBadRequest {
		t.Fatalf("a forged form token: %d", rec.Code)
	}
	rec = e.do(http.MethodPost, page+"/confirm?ui=en", url.Values{"token": {e.filledToken("manage")}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != manage+"?ui=en&done=corrected" {
		t.Fatalf("one click: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	mustContain(t, "the manage page after", e.do(http.MethodGet, manage+"?ui=en&done=corrected", nil).Body.String(),
		"the person who sent the correction will see that you checked")
	if strings.Contains(e.do(http.MethodGet, manage+"?ui=en", nil).Body.String(), "Suggested corrections") {
		t.Error("an answered correction is still listed on the manage page")
	}
	mustContain(t, "the status after the click", e.do(http.MethodGet, status+"?ui=es", nil).Body.String(),
		"Revisada.", "Quien organiza revisó la ficha y confirmó que es correcta")
	// A second click says it was answered, and changes nothing.
	rec = e.do(http.MethodPost, page+"/confirm?ui=en", url.Values{"token": {e.filledToken("manage")}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != page+"?ui=en" {
		t.Fatalf("a second click: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	mustContain(t, "the organizer's page after", e.do(http.MethodGet, page+"?ui=en", nil).Body.String(),
		"answered already")
}

// TestModeratorsSeeCorrectionsAndDeclineWithAReason: the queue counts and
// lists corrections oldest first; a decline needs a reason, which the sender
// then reads, escaped; applying is one button.
func TestModeratorsSeeCorrectionsAndDeclineWithAReason(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	e.publish(testenv.WeeklyGroup("ramp-room"), "org@example.org")
	first := e.sendCorrection("ramp-room", "access", "There is no ramp. "+hostile)
	second := e.sendCorrection("ramp-room", "closed", "Closed since May.")
	cookie := e.signIn("mod@example.org")

	rec := e.do(http.MethodGet, "/moderate?ui=en", nil, cookie)
	body := rec.Body.String()
	mustContain(t, "the queue", body, "2 corrections waiting", "Corrections", "It is not accessible as described",
		"This group has closed")
	ids := regexp.MustCompile(`/moderate/corrections/([0-9a-f-]{36})\?ui=en`).FindAllStringSubmatch(body, -1)
	if len(ids) != 2 || strings.Index(body, "not accessible") > strings.Index(body, "has closed") {
		t.Fatalf("two corrections, oldest first: %v", ids)
	}
	review := "/moderate/corrections/" + ids[0][1]
	rec = e.do(http.MethodGet, review+"?ui=en", nil, cookie)
	mustContain(t, "the review", rec.Body.String(), "Correction of Group ramp-room", "&lt;script&gt;", "Mark as applied")
	if strings.Contains(rec.Body.String(), "<script>alert") {
		t.Error("the review runs what was typed")
	}
	if rec := e.do(http.MethodGet, review+"?ui=en", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("anonymous review: %d", rec.Code)
	}

	rec = e.do(http.MethodPost, review+"/decline?ui=en", url.Values{"reason": {" "}}, cookie)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("decline without a reason: %d", rec.Code)
	}
	mustContain(t, "the refused decline", rec.Body.String(), `href="#f-reason"`, `id="f-reason-error"`,
		"the person who sent it will read it")
	reason := "The listing already says <em>partly</em>: the side door has a ramp."
	rec = e.do(http.MethodPost, review+"/decline?ui=en", url.Values{"reason": {reason}}, cookie)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/moderate?ui=en&done=correction_declined" {
		t.Fatalf("decline: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	body = e.do(http.MethodGet, first+"?ui=en", nil).Body.String()
	mustContain(t, "the declined status", body, "Declined.", "What the moderator said:",
		"The listing already says &lt;em&gt;partly&lt;/em&gt;: the side door has a ramp.")
	if strings.Contains(body, "<em>partly") {
		t.Error("the reason is shown as markup")
	}
	if rec := e.do(http.MethodPost, review+"/apply?ui=en", url.Values{}, cookie); rec.Code != http.StatusConflict ||
		!strings.Contains(rec.Body.String(), "Someone else decided") {
		t.Errorf("applying a declined correction: %d", rec.Code)
	}

	rec = e.do(http.MethodPost, "/moderate/corrections/"+ids[1][1]+"/apply?ui=en", url.Values{}, cookie)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/moderate?ui=en&done=correction_applied" {
		t.Fatalf("apply: %d", rec.Code)
	}
	mustContain(t, "the applied status", e.do(http.MethodGet, second+"?ui=en", nil).Body.String(), "Applied.",
		"A moderator took care of it.")
	mustContain(t, "the queue after", e.do(http.MethodGet, "/moderate?ui=en&done=correction_applied", nil, cookie).Body.String(),
		"0 corrections waiting", "Marked as applied.", "Nothing is waiting")
}

// TestCorrectionFormRefusesBadInputAndWritesNothing: each problem comes back
// next to its field with what was typed kept; bots, foreign and forged forms
// and a 1 MB text are refused; nothing is written.
func TestCorrectionFormRefusesBadInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.publish(testenv.WeeklyGroup("solid-circle"), "org@example.org")
	e.publish(testenv.WeeklyGroup("other-circle"), "other@example.org")
	draft := testenv.WeeklyGroup("draft-circle")
	draft.Status = directory.Draft
	e.publish(draft, "draft@example.org")
	form := func(change func(url.Values)) url.Values {
		f := url.Values{"token": {e.filledToken("correction:solid-circle")}, "kind": {"closed"}, "text": {"Closed. <i>x</i>"}}
		change(f)
		return f
	}
	cases := map[string]struct {
		form   url.Values
		status int
		want   string
	}{
		"empty text":     {form(func(f url.Values) { f.Set("text", " \n ") }), 422, `href="#f-text"`},
		"long text":      {form(func(f url.Values) { f.Set("text", strings.Repeat("x", 1001)) }), 422, "longer than we can keep"},
		"unknown kind":   {form(func(f url.Values) { f.Set("kind", "spam") }), 422, `href="#f-kind"`},
		"no kind":        {form(func(f url.Values) { f.Del("kind") }), 422, "Please choose what is out of date."},
		"honeypot":       {form(func(f url.Values) { f.Set("homepage", "https://spam.example") }), 422, "everything you typed"},
		"forged token":   {form(func(f url.Values) { f.Set("token", "forged") }), 422, "everything you typed"},
		"another's form": {form(func(f url.Values) { f.Set("token", e.filledToken("correction:other-circle")) }), 422, "everything you typed"},
		"too fast":       {form(func(f url.Values) { f.Set("token", e.web.Server.Forms.Issue("correction:solid-circle")) }), 422, "very quick"},
		"1 MB text":      {form(func(f url.Values) { f.Set("text", strings.Repeat("x", 1<<20)) }), 413, ""},
		"many fields": {form(func(f url.Values) {
			for i := range 20 {
				f.Set(fmt.Sprint("x", i), "y")
			}
		}), 400, ""},
	}
	for name, c := range cases {
		rec := e.do(http.MethodPost, "/groups/solid-circle/correction?ui=en", c.form)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%s: %d, want %d with %q\n%.600s", name, rec.Code, c.status, c.want, rec.Body)
		}
		if c.status == 422 {
			mustContain(t, name, rec.Body.String(), `id="problems"`)
			if c.form.Get("text") == "Closed. <i>x</i>" {
				mustContain(t, name+" keeps the text, escaped", rec.Body.String(), "Closed. &lt;i&gt;x&lt;/i&gt;</textarea>")
			}
		}
	}
	if rec := e.do(http.MethodPost, "/groups/draft-circle/correction", form(func(url.Values) {})); rec.Code != http.StatusNotFound {
		t.Errorf("a correction of a draft: %d", rec.Code)
	}
	if rec := e.do(http.MethodGet, "/groups/draft-circle/correction", nil); rec.Code != http.StatusNotFound {
		t.Errorf("the form of a draft: %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/groups/solid-circle/correction", strings.NewReader(form(func(url.Values) {}).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec := httptest.NewRecorder()
	e.web.Server.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("a cross-site correction: %d", rec.Code)
	}
	if q, err := e.web.Corrections.Queue(t.Context()); err != nil || q.Total != 0 {
		t.Fatalf("a refused correction was written: %+v %v", q, err)
	}
	if _, ok := e.lastMail("correction", "org@example.org"); ok {
		t.Fatal("a refused correction emailed the organizer")
	}
}

// TestForgedAndExpiredStatusLinksAreNotFound: a status link that was never
// issued, or whose correction was decided long ago, gets a 404 that says what
// to do; guessing is rate-limited.
func TestForgedAndExpiredStatusLinksAreNotFound(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.publish(testenv.WeeklyGroup("old-news"), "org@example.org")
	status := e.sendCorrection("old-news", "other", "The website moved.")
	e.addUser("mod@example.org", directory.Moderator)
	cookie := e.signIn("mod@example.org")
	q, _ := e.web.Corrections.Queue(t.Context())
	if rec := e.do(http.MethodPost, "/moderate/corrections/"+q.Items[0].ID+"/apply", url.Values{}, cookie); rec.Code != http.StatusSeeOther {
		t.Fatalf("apply: %d", rec.Code)
	}
	if rec := e.do(http.MethodGet, status, nil); rec.Code != http.StatusOK {
		t.Fatalf("a fresh decision's status: %d", rec.Code)
	}
	// Half a year on.
	if _, err := e.st.Pool().Exec(t.Context(), `UPDATE corrections SET decided_at = now() - interval '181 days'`); err != nil {
		t.Fatal(err)
	}
	forged := []byte(strings.TrimPrefix(status, "/corrections/"))
	forged[5] ^= 1
	for _, target := range []string{status, "/corrections/" + string(forged), "/corrections/" + strings.Repeat("A", 43),
		"/corrections/x"} {
		rec := e.do(http.MethodGet, target+"?ui=en", nil)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "send a new correction from the group") {
			t.Errorf("%s: %d", target, rec.Code)
		}
	}
	var last int
	for range 40 {
		req := httptest.NewRequest(http.MethodGet, "/corrections/"+strings.Repeat("B", 43), nil)
		req.RemoteAddr = "203.0.113.77:1234"
		rec := httptest.NewRecorder()
		e.web.Server.Handler().ServeHTTP(rec, req)
		if last = rec.Code; last == http.StatusTooManyRequests {
			break
		}
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("guessing status links is not rate-limited: %d", last)
	}
}

// TestCorrectionsAreRateLimited: one client sending correction after
// correction is slowed down with 429 and Retry-After.
func TestCorrectionsAreRateLimited(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.publish(testenv.WeeklyGroup("busy-circle"), "org@example.org")
	var rec *httptest.ResponseRecorder
	burst := server.CorrectionBurst
	for i := range burst + 1 {
		f := url.Values{"token": {e.filledToken("correction:busy-circle")}, "kind": {"other"}, "text": {fmt.Sprint("Note ", i)}}
		req := httptest.NewRequest(http.MethodPost, "/groups/busy-circle/correction", strings.NewReader(f.Encode()))
		req.RemoteAddr = "203.0.113.78:1234"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec = httptest.NewRecorder()
		e.web.Server.Handler().ServeHTTP(rec, req)
		if i < burst && rec.Code != http.StatusSeeOther {
			t.Fatalf("correction %d: %d", i, rec.Code)
		}
	}
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("correction %d in a row: %d, Retry-After %q", burst+1, rec.Code, rec.Header().Get("Retry-After"))
	}
	if q, _ := e.web.Corrections.Queue(t.Context()); q.Total != burst {
		t.Errorf("%d corrections kept, want %d", q.Total, burst)
	}
}
