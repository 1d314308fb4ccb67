package searchtest

import (
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/health"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

// countingTransport counts the requests that reach for Meilisearch, so a test
// can tell a breaker that is open from one that merely fails fast.
type countingTransport struct{ requests atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.requests.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// clock is a time a test moves on by hand.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
}

// backendTimeout is SEARCH_TIMEOUT's default: the longest one call to
// Meilisearch may take.
const backendTimeout = 800 * time.Millisecond

// TestFailoverWhenMeilisearchStops runs search as serve wires it, on a
// Meilisearch of the test's own holding the demo, then kills that Meilisearch.
// Searches must go on from PostgreSQL with the same listings, the first failure
// must cost no more than the backend's deadline, and while the breaker is open no
// request may go to Meilisearch at all. The API says which engine answered.
func TestFailoverWhenMeilisearchStops(t *testing.T) {
	t.Parallel()
	d := demo(t)
	ctx := t.Context()
	meiliURL, key, stop := testenv.PrivateMeili(t)

	const uid = "listings"
	idx := search.NewIndex(search.NewClient(meiliURL, key, 10*time.Second), uid, 10*time.Second)
	if err := idx.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if err := idx.Upsert(ctx, slices.Collect(maps.Values(d.docs))); err != nil {
		t.Fatal(err)
	}

	traffic := &countingTransport{}
	client := meilisearch.New(meiliURL, meilisearch.WithAPIKey(key), meilisearch.DisableRetries(),
		meilisearch.WithCustomClient(&http.Client{Timeout: backendTimeout, Transport: traffic}))
	var logs testenv.LogBuffer
	breakerClock := &clock{at: time.Now()}
	demoClock := func() time.Time { return demoNow }
	engine := &search.Failover{
		Primary:   search.NewSearcher(search.NewMeiliBackend(client, uid, backendTimeout), thresholds, demoClock),
		Fallback:  search.NewSearcher(search.NewPostgresBackend(d.st), thresholds, demoClock),
		Threshold: 1,
		Cooldown:  15 * time.Second,
		Log:       slog.New(slog.NewTextHandler(&logs, nil)),
		Now:       breakerClock.now,
	}
	api := apiServer(t, d, engine)

	const raw = "need=cost.free&lang=es&per_page=100"
	q := d.parse(t, raw)
	before := all(t, engine, q)
	if before.first.Engine != "meilisearch" {
		t.Fatalf("with Meilisearch up, %s answered", before.first.Engine)
	}
	want, _ := sortedIDs(before.ids())
	if pg, _ := sortedIDs(all(t, d.pg, q).ids()); !slices.Equal(want, pg) {
		t.Fatalf("the engines disagree before the stop: %v and %v", want, pg)
	}
	if engineHeader, ids := apiSearch(t, api, raw); engineHeader != "meilisearch" || !slices.Equal(ids, want) {
		t.Errorf("API with Meilisearch up: X-Search-Engine %q, %d listings; want meilisearch, %d", engineHeader, len(ids), len(want))
	}

	stop()

	start := time.Now()
	r, err := engine.Search(ctx, q)
	took := time.Since(start)
	switch {
	case err != nil:
		t.Fatalf("first search after the stop: %v", err)
	case r.Engine != "postgres":
		t.Fatalf("first search after the stop answered from %q", r.Engine)
	case took > backendTimeout+20*time.Second:
		// Generous: on a busy machine the fallback's own answer can take seconds;
		// without the deadline this search would wait for Meilisearch forever.
		t.Errorf("first search after the stop took %v; Meilisearch's deadline is %v", took, backendTimeout)
	}
	t.Logf("first search after the stop: %v", took)
	after := all(t, engine, q)
	if got, _ := sortedIDs(after.ids()); !slices.Equal(got, want) || after.first.Total != before.first.Total {
		missing, extra := d.diff(want, got)
		t.Errorf("after the stop: total %d, was %d; leaves out %v, adds %v", after.first.Total, before.first.Total, missing, extra)
	}

	// The breaker is open: nothing goes to Meilisearch.
	sent := traffic.requests.Load()
	var slowest time.Duration
	for range 20 {
		start := time.Now()
		r, err := engine.Search(ctx, q)
		slowest = max(slowest, time.Since(start))
		if err != nil || r.Engine != "postgres" {
			t.Fatalf("search with the breaker open: engine %q, error %v", r.Engine, err)
		}
	}
	if n := traffic.requests.Load() - sent; n != 0 {
		t.Errorf("%d requests went to Meilisearch while the breaker was open", n)
	}
	// How fast is the machine's business, not the breaker's: what matters is
	// that nothing went to Meilisearch, checked above.
	t.Logf("the slowest search with the breaker open took %v", slowest)
	if engineHeader, ids := apiSearch(t, api, raw); engineHeader != "postgres" || !slices.Equal(ids, want) {
		t.Errorf("API after the stop: X-Search-Engine %q, %d listings; want postgres, %d", engineHeader, len(ids), len(want))
	}
	if n := strings.Count(logs.String(), "search engine failing"); n != 1 {
		t.Errorf("the outage was logged %d times, want once:\n%s", n, logs.String())
	}

	// After the cooldown one search tries Meilisearch again, fails fast, and the
	// breaker opens once more.
	breakerClock.advance(16 * time.Second)
	sent = traffic.requests.Load()
	start = time.Now()
	if r, err := engine.Search(ctx, q); err != nil || r.Engine != "postgres" {
		t.Fatalf("search after the cooldown: engine %q, error %v", r.Engine, err)
	}
	if took := time.Since(start); took > backendTimeout+20*time.Second {
		t.Errorf("the retry after the cooldown took %v", took)
	}
	if n := traffic.requests.Load() - sent; n != 1 {
		t.Errorf("the retry after the cooldown sent %d requests to Meilisearch, want 1", n)
	}
	sent = traffic.requests.Load()
	if _, err := engine.Search(ctx, q); err != nil {
		t.Fatal(err)
	}
	if n := traffic.requests.Load() - sent; n != 0 {
		t.Errorf("the breaker did not open again: %d requests", n)
	}
}

// apiServer builds the HTTP server around engine, as serve does.
func apiServer(t *testing.T, d *demoDirectory, engine search.Engine) http.Handler {
	t.Helper()
	cfg, err := config.LoadFrom(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := app.NewWeb(t.Context(), cfg, slog.New(slog.DiscardHandler), app.Clients{Store: d.st, Meili: d.client},
		app.ServerOptions{Engine: engine, Checks: []health.Check{{Name: "postgres", Required: true, Ping: d.st.Ping}}})
	if err != nil {
		t.Fatal(err)
	}
	return w.Server.Handler()
}

// apiSearch asks GET /api/v1/listings and returns which engine answered and the
// ids of the listings, sorted.
func apiSearch(t *testing.T, h http.Handler, raw string) (string, []string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/listings?"+raw, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/listings?%s: %d %s", raw, rec.Code, rec.Body)
	}
	var body struct {
		Engine string `json:"engine"`
		Hits   []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	header := rec.Header().Get("X-Search-Engine")
	if header != body.Engine {
		t.Errorf("X-Search-Engine %q, but the body says %q", header, body.Engine)
	}
	ids := make([]string, len(body.Hits))
	for i, h := range body.Hits {
		ids[i] = h.ID
	}
	slices.Sort(ids)
	return header, ids
}
