package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/testenv"
)

// Sharing a list is a click on a page just built; it is not refused for being
// quick, as a typed form is.
func TestAListMayBeSharedAtOnce(t *testing.T) {
	e := newListEnv(t)
	e.web.Server.Forms.MinFill = 3 * time.Second
	e.share(url.Values{"ids": {e.ids[0]}, "lang": {"en"}}, nil)
	form := url.Values{"token": {e.web.Server.Forms.Issue("submit")}, "name": {"Sent at once"}}
	if rec := e.do(http.MethodPost, "/submit?ui=en", form, nil); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), "That was very quick") {
		t.Fatalf("a typed form sent at once: %d", rec.Code)
	}
}

// An address with something in it that is not a group keeps the groups it
// holds, and says what was left out.
func TestAListAddressKeepsTheGroupsItCanRead(t *testing.T) {
	e := newListEnv(t)
	rec := e.do(http.MethodGet, "/list?ui=en&ids="+e.ids[0]+",bogus,"+e.ids[1], nil)
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("%d", rec.Code)
	}
	mustContain(t, "the list with something unreadable", body, "Group first-circle", "Group second-circle",
		"Part of this address was not a group in the directory, so it was left out.")
	if strings.Contains(body, "Please remove it") {
		t.Error("asked to remove a group the page does not show")
	}
}

// A group's next meeting on a list is the soonest of all its schedules, not the
// first schedule's (schedules come in the order of their times of day, so the
// sooner one here is the second).
func TestAListSaysTheSoonestMeeting(t *testing.T) {
	e := newListEnv(t)
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(chicago)
	later, tomorrow := today.AddDate(0, 0, 6), today.AddDate(0, 0, 1)
	day := func(d time.Time) string { return strings.ToUpper(d.Weekday().String()[:2]) }
	l := testenv.WeeklyGroup("two-ways-to-meet")
	l.Schedules[0].ByDay = day(later)
	date := tomorrow.Format(time.DateOnly)
	l.Schedules = append(l.Schedules, directory.Schedule{Freq: "WEEKLY", Interval: 1, ByDay: day(tomorrow),
		OpensAt: "20:30", ClosesAt: "21:30", Start: date, Until: &date, TimeZone: "America/Chicago"})
	e.publish(l, "org@example.org")
	got, err := e.st.Listing(t.Context(), l.Slug)
	if err != nil {
		t.Fatal(err)
	}
	rec := e.do(http.MethodGet, "/list?ui=en&ids="+got.ID, nil)
	want := fmt.Sprintf("Next: %s, %s %d", tomorrow.Weekday(), tomorrow.Month(), tomorrow.Day())
	mustContain(t, "the list", rec.Body.String(), want)
}

// A group's name said inside a button or link for a screen reader carries its
// own language, as its heading does.
func TestNamesInsideControlsCarryTheirLanguage(t *testing.T) {
	e := newListEnv(t)
	l := testenv.WeeklyGroup("circulo-del-martes")
	l.Name, l.TextLang = "Círculo del martes", "es"
	e.publish(l, "org@example.org")
	e.drain()
	got, err := e.st.Listing(t.Context(), l.Slug)
	if err != nil {
		t.Fatal(err)
	}
	want := `<span class="visually-hidden">: <span lang="es">Círculo del martes</span></span>`
	mustContain(t, "the search page with a list", e.do(http.MethodGet, "/?ui=en&list="+e.ids[0], nil).Body.String(), want)
	mustContain(t, "the list", e.do(http.MethodGet, "/list?ui=en&ids="+e.ids[0]+","+got.ID, nil).Body.String(), want)
}
