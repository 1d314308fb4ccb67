package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/feeds"
)

func TestAdminsSubscribeToFeedsAndReadTheirReports(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	e.addUser("admin@example.org", directory.Admin)
	e.addUser("mod@example.org", directory.Moderator)
	admin := e.signIn("admin@example.org")

	page := e.do(http.MethodGet, "/admin/feeds?ui=en", nil, admin)
	if page.Code != http.StatusOK {
		t.Fatalf("feeds page: %d", page.Code)
	}
	mustContain(t, "the empty feeds page", page.Body.String(), "No feeds yet.", `href="/admin/feeds?ui=en"`)

	// Refused: an http address and a time zone that does not exist, each named next to its field, input kept.
	rec := e.do(http.MethodPost, "/admin/feeds?ui=en", url.Values{"url": {"http://intergroup.example/feed.json"},
		"timezone": {"Mars/Olympus"}, "every": {"6"}, "grace": {"7"}}, admin)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("bad subscription: %d", rec.Code)
	}
	mustContain(t, "the refused subscription", rec.Body.String(), `href="#f-url"`, `href="#f-timezone"`,
		`value="http://intergroup.example/feed.json"`, `aria-invalid="true"`)

	rec = e.do(http.MethodPost, "/admin/feeds?ui=es", url.Values{"url": {"https://intergroup.example/feed.json"},
		"name": {"Intergroup"}, "timezone": {"America/Chicago"}, "country": {"us"}, "every": {"6"}, "grace": {"7"}}, admin)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("subscribe: %d %s", rec.Code, rec.Body)
	}
	loc := rec.Header().Get("Location")
	id := strings.TrimPrefix(strings.Split(loc, "?")[0], "/admin/feeds/")
	feed, err := e.st.Feed(ctx, id)
	if err != nil || !feed.Subscribed || feed.DefaultCountry != "US" || feed.AllowPrivate {
		t.Fatalf("subscription %+v %v", feed, err)
	}

	// A run with a hostile name in it, as the worker would make.
	im := feeds.NewImporter(e.st, nil, nil)
	body := `[{"name": "<script>alert(1)</script>", "slug": "x", "day": 8, "time": "10:00"},
		{"name": "Open Door", "slug": "open-door", "day": 1, "time": "10:00", "types": ["O", "X"],
		 "formatted_address": "1 Elm St, Tulsa, OK 74103", "latitude": 200, "longitude": 1}]`
	if _, err := im.ImportMeetingGuide(ctx, feed, []byte(body)); err != nil {
		t.Fatal(err)
	}
	page = e.do(http.MethodGet, loc, nil, admin)
	if page.Code != http.StatusOK {
		t.Fatalf("feed page: %d", page.Code)
	}
	mustContain(t, "the import report", page.Body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;",
		"Reuniones no importadas", "200 is not between -90 and 90", "<td>O</td>", "Sincronizar ahora")
	if strings.Contains(page.Body.String(), "<script>alert(1)") {
		t.Fatal("a feed's markup reached the page unescaped")
	}
	list := e.do(http.MethodGet, "/admin/feeds?ui=en", nil, admin).Body.String()
	mustContain(t, "the feeds list", list, "Intergroup", "Applied", "1 added, 0 updated, 0 unchanged, 0 archived, 1 skipped.")

	// A drop to nothing is held; the admin confirms it.
	if _, err := im.ImportMeetingGuide(ctx, feed, []byte(`[]`)); err == nil {
		t.Fatal("a drop to nothing was applied")
	}
	page = e.do(http.MethodGet, "/admin/feeds/"+id+"?ui=en", nil, admin)
	mustContain(t, "the held run", page.Body.String(), "The last run is held for you", "/confirm-drop",
		"The feed now has 0 meetings that can be imported, where it had 1 listings")
	if rec := e.do(http.MethodPost, "/admin/feeds/"+id+"/confirm-drop?ui=en", url.Values{}, admin); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", rec.Code)
	}
	if feed, _ = e.st.Feed(ctx, id); !feed.ConfirmDrop {
		t.Fatal("confirming did not record it")
	}
	if rec := e.do(http.MethodPost, "/admin/feeds/"+id+"/sync?ui=en", url.Values{}, admin); rec.Code != http.StatusSeeOther {
		t.Fatalf("sync now: %d", rec.Code)
	}
	mod := e.signIn("mod@example.org")
	if rec := e.do(http.MethodGet, "/admin/feeds/"+id, nil, mod); rec.Code != http.StatusForbidden {
		t.Fatalf("a moderator opened a feed: %d", rec.Code)
	}
	if rec := e.do(http.MethodGet, "/admin/feeds/"+id+"?run=nope", nil, admin); rec.Code != http.StatusNotFound {
		t.Fatalf("a run that is not a number: %d", rec.Code)
	}
	if rec := e.do(http.MethodPost, "/admin/feeds/"+id+"/remove?ui=en", url.Values{}, admin); rec.Code != http.StatusSeeOther {
		t.Fatalf("remove: %d", rec.Code)
	}
	if rec := e.do(http.MethodGet, "/admin/feeds/"+id, nil, admin); rec.Code != http.StatusNotFound {
		t.Fatalf("a removed feed: %d", rec.Code)
	}
	if _, err := e.st.Listing(ctx, "open-door"); err != nil {
		t.Fatalf("removing the feed removed its listing: %v", err)
	}
}
