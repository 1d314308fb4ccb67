package server_test

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/testenv"
)

// listEnv is the whole product with three published groups and form tokens
// that need no waiting.
type listEnv struct {
	*staffEnv
	ids []string
}

func newListEnv(t *testing.T) *listEnv {
	t.Helper()
	e := &listEnv{staffEnv: newStaffEnv(t)}
	e.web.Server.Forms.MinFill = 0
	for _, slug := range []string{"first-circle", "second-circle", "third-circle"} {
		e.publish(testenv.WeeklyGroup(slug, "cost.free"), "org@example.org")
		l, err := e.st.Listing(t.Context(), slug)
		if err != nil {
			t.Fatal(err)
		}
		e.ids = append(e.ids, l.ID)
	}
	return e
}

var sharedAt = regexp.MustCompile(`^/r/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5})/share\?ui=[a-z]+$`)

// share sends the builder's share form and returns the list's code.
func (e *listEnv) share(form url.Values, cookie *http.Cookie) string {
	e.t.Helper()
	form.Set("token", e.web.Server.Forms.Issue("share_list"))
	rec := e.do(http.MethodPost, "/list?ui=en", form, cookie)
	m := sharedAt.FindStringSubmatch(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || m == nil {
		e.t.Fatalf("share: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if cookie == nil && rec.Header().Get("Set-Cookie") != "" {
		e.t.Fatalf("sharing gave an anonymous person a cookie")
	}
	return m[1]
}

func noCookie(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if c := rec.Header().Get("Set-Cookie"); c != "" {
		t.Errorf("%s set a cookie: %s", what, c)
	}
}

func TestAnyoneBuildsAListInTheAddressAndSharesIt(t *testing.T) {
	t.Parallel()
	e := newListEnv(t)
	e.drain()

	// Search results carry the list and offer to add each group.
	rec := e.do(http.MethodGet, "/?ui=en&list="+e.ids[0], nil)
	body := rec.Body.String()
	noCookie(t, "the search page", rec)
	mustContain(t, "search with a list", body, "Your list: 1 of 30 groups.", `name="list" value="`+e.ids[0]+`"`,
		"On your list", "add="+e.ids[1])
	if !strings.Contains(body, "/groups/second-circle?ui=en&amp;list="+e.ids[0]) {
		t.Error("a card's link drops the list")
	}

	// So does a group page opened from them.
	rec = e.do(http.MethodGet, "/groups/second-circle?ui=en&list="+e.ids[0], nil)
	noCookie(t, "a group page", rec)
	mustContain(t, "a group page with a list", rec.Body.String(), "Add to list", "add="+e.ids[1], "ids="+e.ids[0],
		`href="/?ui=en&amp;list=`+e.ids[0]+`"`)

	// Adding, moving and removing are plain GETs that lead to the list's new address.
	move := func(target string) string {
		t.Helper()
		rec := e.do(http.MethodGet, target, nil)
		noCookie(t, target, rec)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%s: %d", target, rec.Code)
		}
		u, _ := url.Parse(rec.Header().Get("Location"))
		return u.Query().Get("ids")
	}
	ids := e.ids[0]
	ids = move("/list?ui=en&ids=" + ids + "&add=" + e.ids[1])
	ids = move("/list?ui=en&ids=" + ids + "&add=" + e.ids[2])
	if ids != strings.Join(e.ids, ",") {
		t.Fatalf("after adding: %s", ids)
	}
	ids = move("/list?ui=en&ids=" + ids + "&up=" + e.ids[2])
	ids = move("/list?ui=en&ids=" + ids + "&remove=" + e.ids[0])
	if ids != e.ids[2]+","+e.ids[1] {
		t.Fatalf("after moving and removing: %s", ids)
	}
	rec = e.do(http.MethodGet, "/list?ui=en&ids="+ids, nil)
	noCookie(t, "the builder", rec)
	mustContain(t, "the builder", rec.Body.String(), "2 groups on the list", "/groups/third-circle", "/groups/second-circle",
		"(Chicago time)</p>")
	// The next meeting says its time zone as the search cards and the shared list do.
	mustContain(t, "the builder in Spanish", e.do(http.MethodGet, "/list?ui=es&ids="+ids, nil).Body.String(),
		"(hora de Chicago)</p>")
	if strings.Contains(rec.Body.String(), "first-circle") {
		t.Error("a removed group is still on the list")
	}

	note := `<script>alert(1)</script> Pregunta por la puerta lateral`
	code := e.share(url.Values{"ids": {ids}, "lang": {"es"}, "note": {note}, "days": {"30"}}, nil)

	for _, path := range []string{"/r/" + code, "/r/" + strings.ToLower(strings.ReplaceAll(code, "-", "")), "/r/" + code + "/print"} {
		rec := e.do(http.MethodGet, path, nil)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: %d %q", path, rec.Code, rec.Header().Get("Cache-Control"))
		}
		noCookie(t, path, rec)
		mustContain(t, path, body, `<html lang="es"`, "Grupos elegidos con usted", "&lt;script&gt;alert(1)&lt;/script&gt;",
			"Pregunta por la puerta lateral")
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s does not escape the note", path)
		}
		if strings.Index(body, "third-circle") > strings.Index(body, "second-circle") {
			t.Errorf("%s does not keep the list's order", path)
		}
	}
	text := e.do(http.MethodGet, "/r/"+code+"/text", nil).Body.String()
	if n := utf8.RuneCountInString(text); n >= 300 || !strings.Contains(text, "http://belong.test/r/"+code) ||
		strings.Contains(text, "<") || !strings.Contains(text, "grupos") {
		t.Errorf("text message (%d characters): %q", n, text)
	}
	svg := e.do(http.MethodGet, "/r/"+code+"/qr.svg", nil)
	if svg.Header().Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(svg.Body.String(), "<svg") ||
		strings.Contains(svg.Body.String(), "Pregunta") {
		t.Errorf("qr.svg: %s %.80s", svg.Header().Get("Content-Type"), svg.Body)
	}
	pngRec := e.do(http.MethodGet, "/r/"+code+"/qr.png", nil)
	img, err := png.Decode(bytes.NewReader(pngRec.Body.Bytes()))
	if err != nil || img.Bounds().Dx() < 200 || img.Bounds().Dx() != img.Bounds().Dy() {
		t.Errorf("qr.png: %v", err)
	}
	share := e.do(http.MethodGet, "/r/"+code+"/share?ui=en", nil).Body.String()
	mustContain(t, "the share page", share, code, "http://belong.test/r/"+code, "/r/"+code+"/qr.svg", "/r/"+code+"/print")

	var stored struct {
		lang, note string
		by         *string
		followUp   bool
	}
	if err := e.st.Pool().QueryRow(t.Context(), `SELECT lang, note, created_by::text, follow_up FROM referral_lists`).
		Scan(&stored.lang, &stored.note, &stored.by, &stored.followUp); err != nil {
		t.Fatal(err)
	}
	if stored.lang != "es" || stored.note != note || stored.by != nil || stored.followUp {
		t.Fatalf("stored: %+v", stored)
	}
}

func TestBadListsAreRefusedClearlyAndNothingIsKept(t *testing.T) {
	t.Parallel()
	e := newListEnv(t)
	many := strings.TrimSuffix(strings.Repeat(e.ids[0]+",", 500), ",")
	rec := e.do(http.MethodGet, "/list?ui=en&ids="+many, nil)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "A list holds at most 30 groups") {
		t.Errorf("500 groups in the address: %d", rec.Code)
	}
	refused := func(name string, form url.Values, status int, want string) {
		t.Helper()
		if form.Get("token") == "" {
			form.Set("token", e.web.Server.Forms.Issue("share_list"))
		}
		rec := e.do(http.MethodPost, "/list?ui=en", form)
		if rec.Code != status || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: %d, want %d with %q", name, rec.Code, status, want)
		}
		if strings.Contains(rec.Body.String(), "<script>x") {
			t.Errorf("%s: the refused note came back unescaped", name)
		}
	}
	refused("500 groups", url.Values{"ids": {many}, "lang": {"en"}}, http.StatusUnprocessableEntity, "A list holds at most 30 groups")
	refused("a 10 KB note", url.Values{"ids": {e.ids[0]}, "lang": {"en"}, "note": {"<script>x" + strings.Repeat("a", 10<<10)}},
		http.StatusUnprocessableEntity, "The note can be at most 280 characters.")
	refused("no groups", url.Values{"lang": {"en"}}, http.StatusUnprocessableEntity, "Add at least one group")
	refused("181 days", url.Values{"ids": {e.ids[0]}, "days": {"181"}}, http.StatusUnprocessableEntity, "from 1 to 180 days")
	refused("follow-up without an account", url.Values{"ids": {e.ids[0]}, "follow_up": {"on"}},
		http.StatusUnprocessableEntity, "Please sign in first")
	refused("a forged token", url.Values{"ids": {e.ids[0]}, "token": {"forged"}}, http.StatusUnprocessableEntity, "Please send it again")
	var n int
	if err := e.st.Pool().QueryRow(t.Context(), `SELECT count(*) FROM referral_lists`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d lists kept from refused forms (%v)", n, err)
	}
}

func TestEveryCodeThatOpensNothingGetsTheSameKind404AndGuessesAreLimited(t *testing.T) {
	t.Parallel()
	e := newListEnv(t)
	peer := e.addUser("peer@example.org", directory.Peer)
	cookie := e.signIn(peer.Email)
	ended := e.share(url.Values{"ids": {e.ids[0]}, "lang": {"en"}}, nil)
	if _, err := e.st.Pool().Exec(t.Context(), `UPDATE referral_lists SET created_on = current_date - 90,
		expires_on = current_date - 1`); err != nil {
		t.Fatal(err)
	}
	deleted := e.share(url.Values{"ids": {e.ids[0]}, "lang": {"en"}}, cookie)
	var id string
	if err := e.st.Pool().QueryRow(t.Context(), `SELECT id FROM referral_lists WHERE created_by IS NOT NULL`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if rec := e.do(http.MethodPost, "/lists/"+id+"/delete?ui=en", url.Values{}, cookie); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", rec.Code)
	}
	// Renewed from a tab opened before the delete: back to the lists, which say so.
	rec := e.do(http.MethodPost, "/lists/"+id+"/renew?ui=en", url.Values{"days": {"30"}}, cookie)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/lists?ui=en&done=gone" {
		t.Fatalf("renewing a deleted list: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	mustContain(t, "the lists after a stale renew", e.do(http.MethodGet, "/lists?ui=en&done=gone", nil, cookie).Body.String(),
		"That list is not among your lists")
	var first string
	for _, code := range []string{ended, deleted, "ZZZZ-ZZZZ-ZZZZZ", "not-a-code", "%3Cscript%3E", strings.Repeat("A", 300)} {
		for _, suffix := range []string{"", "/print", "/text", "/qr.svg", "/qr.png", "/share"} {
			rec := e.do(http.MethodGet, "/r/"+code+suffix+"?ui=en", nil)
			body := rec.Body.String()
			if rec.Code != http.StatusNotFound || !strings.Contains(body, "This list is not here") ||
				!strings.Contains(body, `href="/?ui=en"`) {
				t.Errorf("%s%s: %d", code, suffix, rec.Code)
			}
			noCookie(t, code, rec)
			// The page's own address (in its language links) aside, every
			// answer is the same.
			main := body[strings.Index(body, "<main"):strings.Index(body, "</main>")]
			if first == "" {
				first = main
			} else if main != first {
				t.Errorf("%s%s answers differently from the others", code, suffix)
			}
		}
	}

	// A burst of guesses from one address is slowed down.
	limited := false
	for i := range 100 {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/r/ZZZZ-ZZZZ-%05d", i), nil)
		req.RemoteAddr = "192.0.2.7:5000"
		rec := httptest.NewRecorder()
		e.web.Server.Handler().ServeHTTP(rec, req)
		if rec.Code == http.StatusTooManyRequests {
			limited = rec.Header().Get("Retry-After") != ""
			break
		}
	}
	if !limited {
		t.Error("100 guesses from one address were all answered")
	}
}

func TestPeerWorkersSeeAndChangeOnlyTheirOwnListsAndMarks(t *testing.T) {
	t.Parallel()
	e := newListEnv(t)
	a, b := e.addUser("a@example.org", directory.Peer), e.addUser("b@example.org", directory.Peer)
	ca, cb := e.signIn(a.Email), e.signIn(b.Email)
	mod := e.signIn(e.addUser("mod@example.org", directory.Moderator).Email)

	// The builder offers follow-up to a signed-in peer worker only.
	if !strings.Contains(e.do(http.MethodGet, "/list?ui=en&ids="+e.ids[0], nil, ca).Body.String(), `name="follow_up"`) ||
		strings.Contains(e.do(http.MethodGet, "/list?ui=en&ids="+e.ids[0], nil).Body.String(), `name="follow_up"`) {
		t.Error("follow-up is offered to the wrong people")
	}
	withFollowUp := e.share(url.Values{"ids": {e.ids[0] + "," + e.ids[1]}, "lang": {"en"}, "follow_up": {"on"}}, ca)
	without := e.share(url.Values{"ids": {e.ids[0]}, "lang": {"en"}}, ca)

	page := e.do(http.MethodGet, "/r/"+withFollowUp, nil).Body.String()
	mustContain(t, "a list with follow-up", page, "This is optional", "I went", "/r/"+withFollowUp+"/marks")
	if strings.Contains(e.do(http.MethodGet, "/r/"+without, nil).Body.String(), "/marks") {
		t.Error("a list without follow-up offers marks")
	}
	mark := func(code, listing, m string, extra ...string) *httptest.ResponseRecorder {
		form := url.Values{"token": {e.web.Server.Forms.Issue("referral_mark")}, "listing": {listing}, "mark": {m}}
		for i := 0; i+1 < len(extra); i += 2 {
			form.Set(extra[i], extra[i+1])
		}
		rec := e.do(http.MethodPost, "/r/"+code+"/marks", form)
		noCookie(t, "a mark", rec)
		return rec
	}
	if rec := mark(without, e.ids[0], "went"); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "does not take marks") {
		t.Errorf("a mark on a list without follow-up: %d", rec.Code)
	}
	if rec := mark(withFollowUp, e.ids[0], "loved it"); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("a mark that is not one: %d", rec.Code)
	}
	if rec := mark(withFollowUp, e.ids[2], "went"); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("a mark on a group not on the list: %d", rec.Code)
	}
	if rec := mark(withFollowUp, e.ids[0], "try"); rec.Code != http.StatusSeeOther {
		t.Fatalf("mark: %d %s", rec.Code, rec.Body)
	}
	if rec := mark(withFollowUp, e.ids[0], "went"); rec.Code != http.StatusSeeOther {
		t.Fatalf("change a mark: %d", rec.Code)
	}
	if rec := mark(withFollowUp, e.ids[1], "not_for_me"); rec.Code != http.StatusSeeOther {
		t.Fatalf("mark: %d", rec.Code)
	}
	if rec := mark(withFollowUp, e.ids[1], "not_for_me", "clear", "1"); rec.Code != http.StatusSeeOther {
		t.Fatalf("clear a mark: %d", rec.Code)
	}
	if !strings.Contains(e.do(http.MethodGet, "/r/"+withFollowUp, nil).Body.String(), `value="went" id="m-`+e.ids[0]+`-went" checked`) {
		t.Error("the person does not see their own mark to change it")
	}

	mine := e.do(http.MethodGet, "/lists?ui=en", nil, ca)
	mustContain(t, "a's lists", mine.Body.String(), withFollowUp, without, "I went", "Follow-up is on.")
	if strings.Contains(mine.Body.String(), "Not for me ·") {
		t.Error("a cleared mark is still shown")
	}
	theirs := e.do(http.MethodGet, "/lists?ui=en", nil, cb).Body.String()
	if strings.Contains(theirs, withFollowUp) || strings.Contains(theirs, without) || strings.Contains(theirs, "I went") {
		t.Error("another peer worker sees a's lists or marks")
	}
	if rec := e.do(http.MethodGet, "/lists?ui=en", nil, mod); rec.Code != http.StatusForbidden {
		t.Errorf("a moderator opened /lists: %d", rec.Code)
	}

	var listID string
	if err := e.st.Pool().QueryRow(t.Context(), `SELECT id FROM referral_lists WHERE follow_up`).Scan(&listID); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"renew", "follow-up", "delete"} {
		// The same answer as for a list that is not there: nothing is said
		// about a's.
		rec := e.do(http.MethodPost, "/lists/"+listID+"/"+action+"?ui=en", url.Values{"days": {"30"}, "follow_up": {"off"}}, cb)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/lists?ui=en&done=gone" {
			t.Errorf("b's %s of a's list: %d %s", action, rec.Code, rec.Header().Get("Location"))
		}
	}
	if !strings.Contains(e.do(http.MethodGet, "/lists?ui=en", nil, ca).Body.String(), "I went") {
		t.Fatal("b changed a's list")
	}

	// a renews, turns follow-up off (the marks go), and deletes.
	if rec := e.do(http.MethodPost, "/lists/"+listID+"/renew?ui=en", url.Values{"days": {"181"}}, ca); rec.Code != http.StatusBadRequest {
		t.Errorf("renew for 181 days: %d", rec.Code)
	}
	if rec := e.do(http.MethodPost, "/lists/"+listID+"/renew?ui=en", url.Values{"days": {"180"}}, ca); rec.Code != http.StatusSeeOther {
		t.Errorf("renew: %d", rec.Code)
	}
	if rec := e.do(http.MethodPost, "/lists/"+listID+"/follow-up?ui=en", url.Values{"follow_up": {"off"}}, ca); rec.Code != http.StatusSeeOther {
		t.Errorf("follow-up off: %d", rec.Code)
	}
	if strings.Contains(e.do(http.MethodGet, "/lists?ui=en", nil, ca).Body.String(), "I went") {
		t.Error("marks outlived follow-up")
	}
	if rec := e.do(http.MethodPost, "/lists/"+listID+"/delete?ui=en", url.Values{}, ca); rec.Code != http.StatusSeeOther {
		t.Errorf("delete: %d", rec.Code)
	}
	if rec := e.do(http.MethodGet, "/r/"+withFollowUp, nil); rec.Code != http.StatusNotFound {
		t.Errorf("a deleted list still opens: %d", rec.Code)
	}
}
