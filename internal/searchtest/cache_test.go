package searchtest

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/belong-directory/belong/internal/cache"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// testRedis returns a client on the shared Redis and a key prefix of the test's
// own, whose keys are deleted when the test ends.
func testRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	return testenv.Redis(t)
}

// cachedKeys are the search results kept under prefix.
func cachedKeys(t *testing.T, rdb *redis.Client, prefix string) []string {
	t.Helper()
	keys, err := rdb.Keys(t.Context(), prefix+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return strings.HasSuffix(k, ":generation") })
	slices.Sort(keys)
	return keys
}

// group is a published weekly group in Chicago, offering the given needs.
func group(slug string, needs ...string) *directory.Listing {
	return testenv.WeeklyGroup(slug, needs...)
}

// save writes a listing as the product does, with its outbox row.
func save(t *testing.T, st *store.Store, l *directory.Listing) string {
	t.Helper()
	var id string
	err := st.InTx(t.Context(), func(tx *store.Tx) (err error) {
		id, err = tx.SaveListing(t.Context(), l, "test")
		return err
	})
	if err != nil {
		t.Fatalf("save listing %s: %v", l.Slug, err)
	}
	return id
}

// drain applies every due outbox row with ix, as one worker pass does.
func drain(t *testing.T, st *store.Store, ix *indexer.Indexer) {
	t.Helper()
	for {
		n, err := st.ProcessOutbox(t.Context(), 100, indexer.DefaultLease, ix.Apply)
		if err != nil {
			t.Fatalf("process outbox: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// storedDocument is the document the indexer wrote for a listing, as the
// PostgreSQL fallback keeps it.
func storedDocument(t *testing.T, st *store.Store, id string) search.Document {
	t.Helper()
	var doc search.Document
	if err := st.Pool().QueryRow(t.Context(), `SELECT doc FROM search_documents WHERE listing_id = $1`, id).Scan(&doc); err != nil {
		t.Fatalf("read the document of %s: %v", id, err)
	}
	return doc
}

// TestCacheFollowsTheIndexer checks the search-result cache end to end: a
// repeated search is answered from Redis, and a change to a listing is visible as
// soon as the indexer has applied it, not when the cached answer expires.
func TestCacheFollowsTheIndexer(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := testenv.Store(t)
	client, uid := testenv.Meili(t)
	rdb, prefix := testRedis(t)
	idx := search.NewIndex(client, uid, 10*time.Second)
	generation := cache.NewSearchGeneration(rdb, prefix)
	ix := indexer.New(indexer.Deps{
		Listings: st, Taxonomy: st, Outbox: st,
		Listen:   indexer.ListenWith(st.ListenOutbox),
		Fallback: indexer.Fallback(st), Index: idx,
		OnApplied: func(ctx context.Context) {
			if err := generation.BumpGeneration(ctx); err != nil {
				t.Errorf("bump the cache generation: %v", err)
			}
		},
	}, indexer.Config{Poll: time.Minute})
	a := save(t, st, group("free-a", "cost.free"))
	b := save(t, st, group("free-b", "cost.free"))
	c := save(t, st, group("not-free-c"))
	drain(t, st, ix)

	vocab, err := search.LoadTerms(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	q, err := search.ParseQuery("need=cost.free", vocab, 20)
	if err != nil {
		t.Fatal(err)
	}
	engine := cache.NewCachedEngine(search.NewSearcher(search.NewMeiliBackend(client, uid, 5*time.Second), thresholds, time.Now),
		rdb, cache.SearchCacheOptions{TTL: time.Hour, Prefix: prefix, Log: slog.New(slog.DiscardHandler)})
	found := func(what string, want ...string) {
		t.Helper()
		r, err := engine.Search(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		got, _ := sortedIDs(hitIDs(r.Hits))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: found %v, want %v", what, got, want)
		}
	}

	found("first search", a, b)
	keys := cachedKeys(t, rdb, prefix)
	if len(keys) != 1 {
		t.Fatalf("after the first search the cache holds %v, want one answer", keys)
	}

	// Change the index behind the cache's back: the cached answer is what comes.
	truth := storedDocument(t, st, c)
	sneaked := truth
	sneaked.TagsYes = append(slices.Clone(truth.TagsYes), "cost.free")
	sneaked.TagsOffered = append(slices.Clone(truth.TagsOffered), "cost.free")
	if err := idx.Upsert(ctx, []search.Document{sneaked}); err != nil {
		t.Fatal(err)
	}
	found("repeated search, with the index changed behind the cache", a, b)
	if err := idx.Upsert(ctx, []search.Document{truth}); err != nil {
		t.Fatal(err)
	}

	// Change the listing the product's way: the indexer applies it and starts a
	// new generation, so the next search sees it although the answer before it is
	// cached for an hour.
	save(t, st, group("not-free-c", "cost.free"))
	drain(t, st, ix)
	found("search after the indexer applied a change", a, b, c)
	if keys := cachedKeys(t, rdb, prefix); len(keys) != 2 {
		t.Errorf("the cache holds %v; want the old answer and the new one", keys)
	}

	// The same through a running indexer, woken by the commit.
	ctxRun, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ix.Run(ctxRun) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	save(t, st, group("free-b"))
	start := time.Now()
	for {
		r, err := engine.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if _, stillThere := find(r.Hits, b); !stillThere {
			break
		}
		if time.Since(start) > 2*time.Minute {
			t.Fatalf("free-b still found as free %v after the change was committed", time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("commit to fresh search result through the running indexer: %v", time.Since(start))
	found("search after the running indexer applied a change", a, c)
}
