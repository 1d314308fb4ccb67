package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A person whose listing came back with mistakes has not used up a turn: only
// the listings that got through count towards submitLimit. Once they are used
// up, the form comes back with what was typed and how long to wait.
func TestOnlyListingsThatGoThroughUseUpTurns(t *testing.T) {
	srv, _ := testServer(t)
	const from = "203.0.113.21:1234"
	for i := range submitLimit.Burst + 3 {
		form := goodSubmission(srv, "")
		if rec := postFrom(srv, from, "/submit", form); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("a form with no name, try %d: %d", i+1, rec.Code)
		}
	}
	for i := range submitLimit.Burst {
		if rec := postFrom(srv, from, "/submit", goodSubmission(srv, fmt.Sprintf("Circle %d", i))); rec.Code != http.StatusSeeOther {
			t.Fatalf("listing %d of %d after the mistakes: %d", i+1, submitLimit.Burst, rec.Code)
		}
	}
	rec := postFrom(srv, from, "/submit?ui=en", goodSubmission(srv, "One circle too many"))
	wait := rec.Header().Get("Retry-After")
	if rec.Code != http.StatusTooManyRequests || wait == "" {
		t.Fatalf("one listing too many: %d, Retry-After %q", rec.Code, wait)
	}
	// Ten an hour come back: one every six minutes.
	for _, want := range []string{`value="One circle too many"`, "Please wait about 6 minutes", "everything you typed is still here"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if seconds, err := time.ParseDuration(wait + "s"); err != nil || seconds < 5*time.Minute || seconds > 6*time.Minute {
		t.Fatalf("Retry-After %q", wait)
	}
	// The API counts the same turns.
	req := httptest.NewRequest(http.MethodPost, "/api/v1/submissions", strings.NewReader(`{"name": "By the API"}`))
	req.RemoteAddr = from
	req.Header.Set("Content-Type", "application/json")
	api := httptest.NewRecorder()
	srv.Handler().ServeHTTP(api, req)
	if api.Code != http.StatusTooManyRequests || !strings.Contains(api.Body.String(), "Please wait about 6 minutes") {
		t.Fatalf("the API after the form's turns: %d %s", api.Code, api.Body)
	}
	// Sending forms over and over, mistakes or not, is still slowed down.
	var last int
	for range submitTryLimit.Burst + 1 {
		last = postFrom(srv, "198.51.100.30:1234", "/submit", url.Values{"token": {srv.Forms.Issue(purposeSubmit)}}).Code
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("a script sending empty forms: %d", last)
	}
}
