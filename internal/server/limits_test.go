package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/ratelimit"
	"github.com/belong-directory/belong/internal/testenv"
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
	req := httptest.NewRequest(http.MethodPost, "/api/v1/submissions", strings.NewReader(`{"name": "By the API", "summary": "A calm circle.",
		"online_url": "https://meet.example.org/circle", "by_arrangement": true, "languages": ["en"],
		"contact_email": "organizer@example.org"}`))
	req.RemoteAddr = from
	req.Header.Set("Content-Type", "application/json")
	api := httptest.NewRecorder()
	srv.Handler().ServeHTTP(api, req)
	if api.Code != http.StatusTooManyRequests || !strings.Contains(api.Body.String(), "Please wait about 6 minutes") ||
		strings.Contains(api.Body.String(), "typed") {
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

// Listings sent at the same moment cannot all slip through: a turn is taken
// before anything is written.
// It holds with the limits in Redis, as main wires them, and in the process
// alone, as when Redis is away.
func TestListingsSentAtOnceGetNoMoreThanTheirTurns(t *testing.T) {
	rdb, prefix := testenv.Redis(t)
	for name, limits := range map[string]*ratelimit.Limiter{
		"in Redis":       ratelimit.New(rdb, prefix, "", time.Now),
		"in the process": ratelimit.New(nil, "", "", time.Now),
	} {
		t.Run(name, func(t *testing.T) {
			srv, _ := testServer(t)
			srv.Limits = limits
			const sent = 12
			codes := make(chan int, sent)
			var wg sync.WaitGroup
			for i := range sent {
				form := goodSubmission(srv, fmt.Sprintf("At once %d", i))
				wg.Go(func() { codes <- postFrom(srv, "203.0.113.44:1234", "/submit", form).Code })
			}
			wg.Wait()
			close(codes)
			through := 0
			for code := range codes {
				if code == http.StatusSeeOther {
					through++
				} else if code != http.StatusTooManyRequests {
					t.Errorf("answered %d", code)
				}
			}
			if through != submitLimit.Burst {
				t.Fatalf("%d of %d listings sent at once got through, want %d", through, sent, submitLimit.Burst)
			}
		})
	}
}
