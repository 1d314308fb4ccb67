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
