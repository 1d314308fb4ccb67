package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
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
