package cache

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/belong-directory/belong/internal/breaker"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

func testRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	return testenv.Redis(t)
}

// countingEngine answers every search with a result naming how many it has
// answered, from engine `answers` (its own name unless set).
type countingEngine struct {
	name, answers string
	err           error
	calls         atomic.Int64
}

func (e *countingEngine) Name() string { return e.name }
func (e *countingEngine) Search(_ context.Context, q search.Query) (search.Result, error) {
	n := e.calls.Add(1)
	if e.err != nil {
		return search.Result{}, e.err
	}
	by := e.answers
	if by == "" {
		by = e.name
	}
	return search.Result{Engine: by, Total: int(n), Page: q.Page, PerPage: q.PerPage,
		Hits:         []search.Hit{{ID: "h1", Slug: "grief-circle", Name: "Grief circle", NeedsMet: []string{"cost.free"}}},
		CloseMatches: []search.Hit{}, Facets: search.Facets{Tags: map[string]int{"cost.free": 1}}}, nil
}

var someSearch = search.Query{Text: "grief", Needs: []string{"cost.free"}, Sort: search.ByRelevance, Page: 1, PerPage: 20}

func newCached(e search.Engine, rdb redis.UniversalClient, prefix string, ttl time.Duration) *CachedEngine {
	return NewCachedEngine(e, rdb, SearchCacheOptions{TTL: ttl, Prefix: prefix, Log: slog.New(slog.DiscardHandler)})
}

func mustSearch(t *testing.T, e search.Engine, q search.Query) search.Result {
	t.Helper()
	r, err := e.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSearchCacheHitAndMiss(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch"}
	c := newCached(engine, rdb, prefix, time.Minute)

	first := mustSearch(t, c, someSearch)
	second := mustSearch(t, c, someSearch)
	if engine.calls.Load() != 1 || second.Total != first.Total || second.Hits[0].Slug != "grief-circle" ||
		second.Facets.Tags["cost.free"] != 1 || second.Engine != "meilisearch" {
		t.Fatalf("second search should be a hit: %d calls, %+v", engine.calls.Load(), second)
	}
	// The same search with its lists in another order is the same entry.
	reordered := someSearch
	reordered.Needs = []string{"cost.free", "cost.free"}
	mustSearch(t, c, reordered)
	if engine.calls.Load() != 1 {
		t.Fatal("an equivalent search missed the cache")
	}
	other := someSearch
	other.Page = 2
	if r := mustSearch(t, c, other); r.Page != 2 || engine.calls.Load() != 2 {
		t.Fatalf("another page must be its own entry: %+v", r)
	}
}

func TestSearchCacheGenerationBumpInvalidates(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch"}
	c := newCached(engine, rdb, prefix, time.Minute)
	mustSearch(t, c, someSearch)

	// The indexer bumps through its own handle on the same counter.
	if err := NewSearchGeneration(rdb, prefix).BumpGeneration(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := mustSearch(t, c, someSearch); r.Total != 2 || engine.calls.Load() != 2 {
		t.Fatalf("a bump must make the next search ask the engine: %+v", r)
	}
	if r := mustSearch(t, c, someSearch); r.Total != 2 || engine.calls.Load() != 2 {
		t.Fatal("the answer after the bump should be cached in turn")
	}
	if gen, _ := rdb.Get(context.Background(), prefix+":generation").Result(); gen != "1" {
		t.Fatalf("generation = %q", gen)
	}
}

// An answer whose search began before a bump is filed under the old generation.
func TestSearchCacheAnswerRacingABumpIsNeverServed(t *testing.T) {
	rdb, prefix := testRedis(t)
	gen := NewSearchGeneration(rdb, prefix)
	engine := &bumpingEngine{countingEngine: countingEngine{name: "meilisearch"}, gen: gen}
	c := newCached(engine, rdb, prefix, time.Minute)
	mustSearch(t, c, someSearch) // the index changes while this search runs
	engine.gen = nil
	if r := mustSearch(t, c, someSearch); r.Total != 2 {
		t.Fatalf("an answer from before the change was served: %+v", r)
	}
}

type bumpingEngine struct {
	countingEngine
	gen *SearchGeneration
}

func (e *bumpingEngine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if e.gen != nil {
		if err := e.gen.BumpGeneration(ctx); err != nil {
			return search.Result{}, err
		}
	}
	return e.countingEngine.Search(ctx, q)
}

func TestSearchCacheTTL(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch"}
	c := newCached(engine, rdb, prefix, 300*time.Millisecond)
	mustSearch(t, c, someSearch)
	ttl := rdb.PTTL(context.Background(), c.key("0", someSearch)).Val()
	if ttl <= 0 || ttl > 300*time.Millisecond {
		t.Fatalf("entry TTL = %s", ttl)
	}
	// Redis expires the entry on its own clock: wait until it has.
	for deadline := time.Now().Add(2 * time.Minute); rdb.Exists(context.Background(), c.key("0", someSearch)).Val() == 1; {
		if time.Now().After(deadline) {
			t.Fatal("the entry never expired")
		}
		time.Sleep(5 * time.Millisecond)
	}
	mustSearch(t, c, someSearch)
	if engine.calls.Load() != 2 {
		t.Fatal("an expired entry was served")
	}
}

func TestSearchCacheOffWithZeroTTL(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch"}
	c := newCached(engine, rdb, prefix, 0)
	mustSearch(t, c, someSearch)
	mustSearch(t, c, someSearch)
	if engine.calls.Load() != 2 {
		t.Fatal("TTL 0 must turn the cache off")
	}
	if keys := rdb.Keys(context.Background(), prefix+":*").Val(); len(keys) != 0 {
		t.Fatalf("TTL 0 wrote %v", keys)
	}
}

func TestSearchCacheKeepsOnlyPrimaryAnswers(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch", answers: "postgres"}
	c := newCached(engine, rdb, prefix, time.Minute)
	for range 3 {
		if r := mustSearch(t, c, someSearch); r.Engine != "postgres" {
			t.Fatalf("engine = %s", r.Engine)
		}
	}
	if engine.calls.Load() != 3 {
		t.Fatal("a fallback answer was cached")
	}
	engine.answers = ""
	mustSearch(t, c, someSearch)
	mustSearch(t, c, someSearch)
	if engine.calls.Load() != 4 {
		t.Fatal("the primary's answer should be cached once it is back")
	}
}

func TestSearchCacheNeverKeepsALocation(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch"}
	c := newCached(engine, rdb, prefix, time.Minute)
	near := someSearch
	near.Near, near.RadiusKm = &search.Point{Lat: 41.9, Lng: -87.6}, 5
	mustSearch(t, c, near)
	mustSearch(t, c, near)
	if engine.calls.Load() != 2 {
		t.Fatal("a search near a place was cached")
	}
	if keys := rdb.Keys(context.Background(), prefix+":*").Val(); len(keys) != 0 {
		t.Fatalf("a search near a place left %v", keys)
	}
}

func TestSearchCacheErrorsAreNotKept(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch", err: errors.New("both engines down")}
	c := newCached(engine, rdb, prefix, time.Minute)
	for range 2 {
		if _, err := c.Search(context.Background(), someSearch); err == nil || err.Error() != "both engines down" {
			t.Fatalf("err = %v", err)
		}
	}
	if engine.calls.Load() != 2 {
		t.Fatal("an error was cached")
	}
}

func TestSearchCacheUnreadableEntryIsAMiss(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch"}
	c := newCached(engine, rdb, prefix, time.Minute)
	if err := rdb.Set(context.Background(), c.key("0", someSearch), "{not json", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if r := mustSearch(t, c, someSearch); r.Total != 1 {
		t.Fatalf("got %+v", r)
	}
	if r := mustSearch(t, c, someSearch); r.Total != 1 || engine.calls.Load() != 1 {
		t.Fatal("the unreadable entry should have been replaced")
	}
}

func TestSearchCacheConcurrentSearches(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch"}
	c := newCached(engine, rdb, prefix, time.Minute)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			q := someSearch
			q.Page = 1 + i%4
			for range 10 {
				if r, err := c.Search(context.Background(), q); err != nil || r.Page != q.Page {
					t.Errorf("page %d: %+v %v", q.Page, r, err)
				}
			}
		})
	}
	wg.Wait()
}

// closedPort is a local port nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// countCommands counts what a client sends.
type countCommands struct{ n atomic.Int64 }

func (h *countCommands) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countCommands) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}
func (h *countCommands) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func TestSearchCacheWithRedisDown(t *testing.T) {
	rdb, err := Open("redis://"+closedPort(t)+"/0", 200*time.Millisecond, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	hook := &countCommands{}
	rdb.AddHook(hook)
	var logs bytes.Buffer
	now := time.Unix(1_000_000, 0)
	engine := &countingEngine{name: "meilisearch"}
	c := NewCachedEngine(engine, rdb, SearchCacheOptions{TTL: time.Minute, Timeout: 100 * time.Millisecond, Cooldown: 10 * time.Second,
		Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return now }})

	for i := range 5 {
		r, err := c.Search(context.Background(), someSearch)
		if err != nil || r.Total != i+1 {
			t.Fatalf("search %d with Redis down: %+v %v", i, r, err)
		}
	}
	if n := hook.n.Load(); n != 1 {
		t.Fatalf("a dead Redis should be tried once per cooldown, was sent %d commands", n)
	}
	if bytes.Count(logs.Bytes(), []byte("search cache unavailable")) != 1 {
		t.Fatalf("the outage should be logged once: %s", logs.String())
	}
	now = now.Add(11 * time.Second)
	mustSearch(t, c, someSearch)
	if n := hook.n.Load(); n != 2 {
		t.Fatalf("after the cooldown Redis should be tried again: %d commands", n)
	}
	mustSearch(t, c, someSearch)
	if n := hook.n.Load(); n != 2 {
		t.Fatalf("a failed probe must leave Redis alone for another cooldown: %d commands", n)
	}
	if bytes.Count(logs.Bytes(), []byte("search cache unavailable")) != 1 {
		t.Fatalf("a failed probe logged the outage again: %s", logs.String())
	}
	if err := c.BumpGeneration(context.Background()); err == nil {
		t.Fatal("a bump that did not happen must say so")
	}
}

// A search the person abandoned does not mark Redis as down.
func TestSearchCacheCancelledRequestDoesNotTripTheBreaker(t *testing.T) {
	rdb, prefix := testRedis(t)
	engine := &countingEngine{name: "meilisearch"}
	c := newCached(engine, rdb, prefix, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = c.Search(ctx, someSearch)
	if c.breaker.State() != breaker.Closed {
		t.Fatal("a cancelled request tripped the breaker")
	}
}
