package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/testenv"
)

func TestSignInByEmailedLink(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)

	// The sign-in page is for anyone, and sets no cookie.
	rec := e.do(http.MethodGet, "/sign-in?ui=es", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Set-Cookie") != "" {
		t.Fatalf("sign-in page: %d, Set-Cookie %q", rec.Code, rec.Header().Get("Set-Cookie"))
	}
	mustContain(t, "the Spanish sign-in page", rec.Body.String(), `lang="es"`, "Enviarme un enlace")

	link := e.requestLink("MOD@example.org")
	// Opening the link (as a mail scanner would) spends nothing; the button does.
	if rec := e.do(http.MethodGet, link, nil); rec.Code != http.StatusOK || rec.Header().Get("Set-Cookie") != "" {
		t.Fatalf("open link: %d %q", rec.Code, rec.Header().Get("Set-Cookie"))
	}
	rec = e.do(http.MethodPost, link+"?ui=en", url.Values{})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/moderate?ui=en" {
		t.Fatalf("sign in: %d %s", rec.Code, rec.Body)
	}
	raw := rec.Header().Get("Set-Cookie")
	for _, want := range []string{"belong_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(raw, want) {
			t.Errorf("session cookie %q lacks %s", raw, want)
		}
	}
	if strings.Contains(raw, "Secure") || strings.Contains(raw, "Max-Age") {
		t.Errorf("an http site's cookie is not Secure, and ends with the browser: %q", raw)
	}
	cookie := rec.Result().Cookies()[0]
	if rec := e.do(http.MethodGet, "/moderate?ui=en", nil, cookie); rec.Code != http.StatusOK {
		t.Fatalf("moderate with the session: %d", rec.Code)
	}

	// A link works once.
	rec = e.do(http.MethodPost, link, url.Values{})
	if rec.Code != http.StatusNotFound || rec.Header().Get("Set-Cookie") != "" {
		t.Fatalf("second use: %d", rec.Code)
	}
	mustContain(t, "a spent link's page", rec.Body.String(), "This sign-in link no longer works", `href="/sign-in?ui=en"`)
	// And a made-up one is the same.
	if rec := e.do(http.MethodPost, "/sign-in/"+strings.Repeat("A", 43), url.Values{}); rec.Code != http.StatusNotFound {
		t.Fatalf("forged link: %d", rec.Code)
	}
}

func TestSignInNeverSaysWhetherAnAddressHasAnAccount(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	disabled := e.addUser("gone@example.org", directory.Moderator)
	admin := e.addUser("admin@example.org", directory.Admin)
	if err := e.web.Accounts.Disable(t.Context(), admin, disabled.ID); err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, email := range []string{"mod@example.org", "nobody@example.org", "gone@example.org"} {
		rec := e.do(http.MethodPost, "/sign-in?ui=en", url.Values{"email": {email}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%s: %d", email, rec.Code)
		}
		pages = append(pages, rec.Header().Get("Location"))
	}
	if pages[0] != pages[1] || pages[1] != pages[2] {
		t.Fatalf("the answers differ: %v", pages)
	}
	if _, ok := e.lastMail("sign_in", "nobody@example.org"); ok {
		t.Error("an address without an account was sent a link")
	}
	if _, ok := e.lastMail("sign_in", "gone@example.org"); ok {
		t.Error("a disabled account was sent a link")
	}
	// A malformed address is said to be one, next to the field.
	rec := e.do(http.MethodPost, "/sign-in?ui=en", url.Values{"email": {"not an address"}})
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("malformed: %d", rec.Code)
	}
	mustContain(t, "the refused form", rec.Body.String(), `id="f-email-error"`, `href="#f-email"`,
		`value="not an address"`, `aria-invalid="true"`)
}

func TestSignOutAndSignOutEverywhere(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	open := func(c *http.Cookie) int { return e.do(http.MethodGet, "/moderate", nil, c).Code }

	here := e.signIn("mod@example.org")
	rec := e.do(http.MethodPost, "/sign-out?ui=en", url.Values{}, here)
	if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("sign out: %d %q", rec.Code, rec.Header().Get("Set-Cookie"))
	}
	if got := open(here); got != http.StatusSeeOther {
		t.Fatalf("the signed-out session still opens /moderate: %d", got)
	}

	phone, laptop := e.signIn("mod@example.org"), e.signIn("mod@example.org")
	if open(phone) != http.StatusOK || open(laptop) != http.StatusOK {
		t.Fatal("two sessions should both work")
	}
	rec = e.do(http.MethodPost, "/sign-out/everywhere?ui=en", url.Values{}, phone)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d %s", rec.Code, rec.Body)
	}
	for name, c := range map[string]*http.Cookie{"phone": phone, "laptop": laptop} {
		rec := e.do(http.MethodGet, "/moderate", nil, c)
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/sign-in") {
			t.Errorf("%s after signing out everywhere: %d %s", name, rec.Code, rec.Header().Get("Location"))
		}
	}
	// Signing in again afterwards works.
	if open(e.signIn("mod@example.org")) != http.StatusOK {
		t.Fatal("cannot sign in again")
	}
}

// With Redis down, signing in says so plainly, an emailed link is not spent by
// trying, and public pages carry on.
func TestSignInSaysSoWhenRedisIsDown(t *testing.T) {
	t.Parallel()
	up := newStaffEnv(t)
	up.addUser("mod@example.org", directory.Moderator)
	up.publish(testenv.WeeklyGroup("still-here"), "org@example.org")
	up.drain()
	cookie := up.signIn("mod@example.org")
	link := up.requestLink("mod@example.org")

	clients := up.clients
	clients.Redis = deadRedis(t)
	down := newStaffEnvOn(t, up.st, clients, up.cfg.MeiliIndex, up.cfg.CachePrefix)
	for _, r := range []struct{ method, target string }{
		{http.MethodGet, "/sign-in?ui=en"}, {http.MethodPost, "/sign-in?ui=en"},
		{http.MethodGet, link}, {http.MethodPost, link}, {http.MethodGet, "/moderate"},
	} {
		var form url.Values
		if r.method == http.MethodPost {
			form = url.Values{"email": {"mod@example.org"}}
		}
		rec := down.do(r.method, r.target, form, cookie)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s with Redis down: %d", r.method, r.target, rec.Code)
			continue
		}
		mustContain(t, r.target, rec.Body.String(), "Signing in is not available right now", "Searching and every public page still work")
	}
	for _, target := range []string{"/?ui=en", "/groups/still-here", "/groups/still-here/history", "/about/listing-criteria",
		"/api/v1/listings?q=still"} {
		if rec := down.do(http.MethodGet, target, nil); rec.Code != http.StatusOK {
			t.Errorf("%s with Redis down: %d", target, rec.Code)
		}
	}
	// The link tried while Redis was down still works once it is back.
	if rec := up.do(http.MethodPost, link, url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("the link was spent by a failed sign-in: %d", rec.Code)
	}
}
