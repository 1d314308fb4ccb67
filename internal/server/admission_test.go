package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

// gatedEngine holds every search until the test lets it through, then has the
// real engine answer it: a test decides when admitted requests finish, without
// guessing at durations.
type gatedEngine struct {
	search.Engine
	entered chan struct{}
	release chan struct{}
}

func gated(e search.Engine) *gatedEngine {
	return &gatedEngine{Engine: e, entered: make(chan struct{}, 100), release: make(chan struct{})}
}

func (g *gatedEngine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	g.entered <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return search.Result{}, ctx.Err()
	}
	return g.Engine.Search(ctx, q)
}

// A flood past what the API takes at once is refused at once with 503 and
// Retry-After, while the requests it took complete; health checks and static
// files are never refused, and pages have a limit of their own.
func TestOverloadIsRefusedEarly(t *testing.T) {
	st := testenv.Store(t)
	engine := gated(postgresEngine(t, st))
	cfg := testConfig(t)
	cfg.APIInFlight, cfg.QueueWait, cfg.RequestTimeout = 3, 0, time.Minute
	srv, logs := newTestServerWith(t, cfg, st, engine)

	admitted := make(chan *httptest.ResponseRecorder, cfg.APIInFlight)
	for range cfg.APIInFlight {
		go func() { admitted <- do(srv, http.MethodGet, "/api/v1/listings", nil) }()
	}
	for range cfg.APIInFlight {
		<-engine.entered // every turn is taken, by a request waiting in the engine
	}

	srv.refusals.every = time.Hour // the test writes the summary itself, below
	const flood = 50
	var wg sync.WaitGroup
	refused := make(chan *httptest.ResponseRecorder, flood)
	for range flood {
		wg.Go(func() { refused <- do(srv, http.MethodGet, "/api/v1/listings?q=grief", nil) })
	}
	wg.Wait()
	close(refused)
	for rec := range refused {
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != overloadRetryAfter ||
			rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("over the limit: %d %v %s", rec.Code, rec.Header(), rec.Body)
		}
	}
	for _, target := range []string{"/healthz", "/readyz", "/api/v1/openapi.json", "/groups/nobody-here"} {
		if rec := do(srv, http.MethodGet, target, nil); rec.Code == http.StatusServiceUnavailable {
			t.Errorf("%s was refused while the API was full: %s", target, rec.Body)
		}
	}

	// Refusals are summed up in one warning, not a line each and not an error.
	srv.refusals.flush()
	out := logs.String()
	if strings.Contains(out, `"level":"ERROR"`) {
		t.Fatalf("refusals logged as errors: %.500s", out)
	}
	if n := strings.Count(out, `"status":503`); n != 0 {
		t.Errorf("%d refusals logged one by one", n)
	}
	if !strings.Contains(out, `"msg":"requests refused: too many at once","/api/v1/listings":50`) {
		t.Errorf("no summary of the 50 refusals: %.1000s", out)
	}

	close(engine.release)
	for range cfg.APIInFlight {
		if rec := <-admitted; rec.Code != http.StatusOK {
			t.Fatalf("an admitted request: %d %s", rec.Code, rec.Body)
		}
	}
	// The turns are free again.
	if rec := do(srv, http.MethodGet, "/api/v1/listings", nil); rec.Code != http.StatusOK {
		t.Fatalf("after the flood: %d %s", rec.Code, rec.Body)
	}
}

// With every turn taken, as many requests again wait for one; the next is
// refused at once, and a waiting one is served when a turn frees.
func TestOverloadQueueIsBounded(t *testing.T) {
	st := testenv.Store(t)
	engine := gated(postgresEngine(t, st))
	cfg := testConfig(t)
	// A wait no test reaches: turns are handed over by events, not by time.
	cfg.PagesInFlight, cfg.QueueWait, cfg.RequestTimeout = 1, time.Hour, 2*time.Hour
	srv, _ := newTestServerWith(t, cfg, st, engine)

	first := make(chan *httptest.ResponseRecorder, 1)
	go func() { first <- do(srv, http.MethodGet, "/", nil) }()
	<-engine.entered
	queued := make(chan *httptest.ResponseRecorder, 1)
	go func() { queued <- do(srv, http.MethodGet, "/?q=grief", nil) }()
	waitFor(t, func() bool { return srv.pages.waiting.Load() == 1 })

	rec := do(srv, http.MethodGet, "/?q=support", map[string]string{"Accept-Language": "es"})
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != overloadRetryAfter {
		t.Fatalf("past the queue: %d %v", rec.Code, rec.Header())
	}
	if body := rec.Body.String(); !strings.Contains(body, "Mucha gente está buscando") {
		t.Fatalf("a refused page should be a calm page in the person's language: %s", body)
	}

	engine.release <- struct{}{} // the first finishes; its turn goes to the queued one
	if rec := <-first; rec.Code != http.StatusOK {
		t.Fatalf("first: %d", rec.Code)
	}
	<-engine.entered
	engine.release <- struct{}{}
	if rec := <-queued; rec.Code != http.StatusOK {
		t.Fatalf("queued: %d", rec.Code)
	}
}

// Every page and API request carries the configured deadline, and one that
// passes it is a 503 with Retry-After, not a request left queueing.
func TestRequestsHaveADeadline(t *testing.T) {
	st := testenv.Store(t)
	engine := gated(postgresEngine(t, st))
	cfg := testConfig(t)
	cfg.RequestTimeout, cfg.QueueWait = 50*time.Millisecond, 0
	srv, _ := newTestServerWith(t, cfg, st, engine)
	for _, target := range []string{"/api/v1/listings", "/"} {
		// The engine is never released: only the deadline ends the request.
		rec := do(srv, http.MethodGet, target, nil)
		<-engine.entered
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Fatalf("%s: %d %v", target, rec.Code, rec.Header())
		}
	}
}

// waitFor polls cond until it holds, failing the test after a generous deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 30s")
		}
		time.Sleep(time.Millisecond)
	}
}

// While every turn is taken, the number taken at once falls by a tenth when an
// answer is slower than the target (once per target, however many are slow
// together), never below the floor, and climbs back while answers are fast.
// With turns to spare it does not move.
func TestAdmissionAdaptsToSlowAnswers(t *testing.T) {
	a := newAdmission(16, 0, time.Hour)
	slow := time.Now().Add(-2 * time.Hour)
	a.inFlight.Store(2)
	a.release(slow) // slow with turns to spare: not crowding
	if got := a.turns(); got != 16 {
		t.Fatalf("a slow answer with turns to spare changed the limit to %d", got)
	}
	a.inFlight.Store(16)
	a.release(slow)
	if got := a.turns(); got != 14 { // 16 × 0.9 = 14.4
		t.Fatalf("after a slow answer: %d turns, want 14", got)
	}
	a.inFlight.Store(14)
	a.release(slow) // within the same target period: counted once
	if got := a.turns(); got != 14 {
		t.Fatalf("a second slow answer at once: %d turns, want 14", got)
	}
	for range 40 {
		a.lastDecrease = time.Time{} // as if a target period had passed
		a.inFlight.Store(a.turns())
		a.release(slow)
	}
	if got := a.turns(); got != minTurns {
		t.Fatalf("after many slow periods: %d turns, want the floor %d", got, minTurns)
	}
	for range 20 { // fast answers with every turn taken
		a.inFlight.Store(a.turns())
		a.release(time.Now())
	}
	if got := a.turns(); got <= minTurns {
		t.Fatalf("fast answers with the turns all in use did not raise the limit: %d", got)
	}
	before := a.turns()
	for range 20 { // fast answers with turns to spare change nothing
		a.inFlight.Store(1)
		a.release(time.Now())
	}
	if got := a.turns(); got != before {
		t.Fatalf("an idle class grew its limit: %d → %d", before, got)
	}
	if got := newAdmission(2, 0, time.Second).floor; got != 2 {
		t.Fatalf("the floor must not exceed the configured maximum: %v", got)
	}
}
