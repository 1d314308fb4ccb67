package search_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

// counted forwards to a real engine and counts the searches it was given.
type counted struct {
	search.Engine
	calls atomic.Int32
}

func (c *counted) Search(ctx context.Context, q search.Query) (search.Result, error) {
	c.calls.Add(1)
	return c.Engine.Search(ctx, q)
}

var failoverThresholds = directory.Thresholds{AgingAfter: 180 * day, StaleAfter: 365 * day}

// failoverEngines are a Meilisearch engine on an index that does not exist yet
// (every search fails, as Meilisearch itself says) and the PostgreSQL fallback.
func failoverEngines(t *testing.T) (primary, fallback *counted, index *search.Index) {
	t.Helper()
	client, uid := testenv.Meili(t)
	st := testenv.Store(t)
	primary = &counted{Engine: search.NewSearcher(search.NewMeiliBackend(client, uid, 5*time.Second), failoverThresholds, time.Now)}
	fallback = &counted{Engine: search.NewSearcher(search.NewPostgresBackend(st), failoverThresholds, time.Now)}
	return primary, fallback, search.NewIndex(client, uid, 5*time.Second)
}

func TestFailoverOpensAndClosesTheBreaker(t *testing.T) {
	t.Parallel()
	primary, fallback, index := failoverEngines(t)
	now := time.Unix(0, 0)
	f := &search.Failover{Primary: primary, Fallback: fallback, Threshold: 2, Cooldown: 10 * time.Second,
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
	for range 5 {
		r, err := f.Search(t.Context(), search.Query{Page: 1, PerPage: 20})
		if err != nil || r.Engine != "postgres" {
			t.Fatalf("want the fallback's answer, got %+v, %v", r, err)
		}
	}
	if n := primary.calls.Load(); n != 2 {
		t.Fatalf("an open breaker must skip the primary: %d calls, want 2", n)
	}
	// Meilisearch comes back: the index now exists.
	if err := index.EnsureSettings(t.Context()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(11 * time.Second)
	if r, err := f.Search(t.Context(), search.Query{Page: 1, PerPage: 20}); err != nil || r.Engine != "meilisearch" {
		t.Fatalf("after the cooldown the primary must be tried again, got %q, %v", r.Engine, err)
	}
	if r, _ := f.Search(t.Context(), search.Query{Page: 1, PerPage: 20}); r.Engine != "meilisearch" || primary.calls.Load() != 4 {
		t.Fatalf("the breaker should be closed again: %q, %d calls", r.Engine, primary.calls.Load())
	}
	if n := fallback.calls.Load(); n != 5 {
		t.Fatalf("the fallback answered %d searches, want 5", n)
	}
}

func TestFailoverDoesNotFallBackForACancelledRequest(t *testing.T) {
	t.Parallel()
	primary, fallback, index := failoverEngines(t)
	if err := index.EnsureSettings(t.Context()); err != nil {
		t.Fatal(err)
	}
	f := &search.Failover{Primary: primary, Fallback: fallback, Threshold: 1, Cooldown: time.Second,
		Log: slog.New(slog.DiscardHandler), Now: time.Now}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := f.Search(ctx, search.Query{Page: 1, PerPage: 20}); err == nil || ctx.Err() == nil {
		t.Fatalf("a search whose person went away must fail, got %v", err)
	}
	if n := fallback.calls.Load(); n != 0 {
		t.Fatalf("the fallback was asked %d times for a cancelled search", n)
	}
}

// gated holds the first search it is given until the test opens the gate, as a
// slow Meilisearch would, then forwards it.
type gated struct {
	*counted
	entered, open chan struct{}
	held          atomic.Bool
}

func (g *gated) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if g.held.CompareAndSwap(false, true) {
		close(g.entered)
		<-g.open
	}
	return g.counted.Search(ctx, q)
}

// After the cooldown one search probes the primary; while it is under way every
// other search answers from the fallback without touching the primary.
func TestFailoverProbesWithOneSearchWhileTheOthersUseTheFallback(t *testing.T) {
	t.Parallel()
	primary, fallback, index := failoverEngines(t)
	now := time.Unix(0, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	logs := &testenv.LogBuffer{}
	f := &search.Failover{Primary: primary, Fallback: fallback, Threshold: 1, Cooldown: 10 * time.Second,
		Log: slog.New(slog.NewTextHandler(logs, nil)), Now: clock}
	q := search.Query{Page: 1, PerPage: 20}
	if r, err := f.Search(t.Context(), q); err != nil || r.Engine != "postgres" {
		t.Fatalf("first search = %q, %v; want the fallback's answer", r.Engine, err)
	}
	if err := index.EnsureSettings(t.Context()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(11 * time.Second)
	mu.Unlock()

	slow := &gated{counted: primary, entered: make(chan struct{}), open: make(chan struct{})}
	f.Primary = slow
	probed := make(chan string, 1)
	go func() {
		r, err := f.Search(t.Context(), q)
		if err != nil {
			t.Error(err)
		}
		probed <- r.Engine
	}()
	<-slow.entered
	for range 10 {
		if r, err := f.Search(t.Context(), q); err != nil || r.Engine != "postgres" {
			t.Fatalf("search during the probe = %q, %v; want the fallback's answer", r.Engine, err)
		}
	}
	if n := primary.calls.Load(); n != 1 {
		t.Fatalf("the primary was asked %d times before the probe answered, want only the first failure", n)
	}
	close(slow.open)
	if engine := <-probed; engine != "meilisearch" {
		t.Fatalf("the probe answered from %q", engine)
	}
	if r, err := f.Search(t.Context(), q); err != nil || r.Engine != "meilisearch" {
		t.Fatalf("after the probe = %q, %v; want the primary again", r.Engine, err)
	}
	if n := strings.Count(logs.String(), "search engine failing"); n != 1 {
		t.Errorf("outage logged %d times:\n%s", n, logs)
	}
	if n := strings.Count(logs.String(), "search engine answering again"); n != 1 {
		t.Errorf("recovery logged %d times:\n%s", n, logs)
	}
}
