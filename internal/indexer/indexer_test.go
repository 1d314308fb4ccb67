package indexer_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/testenv"
)

func TestApplyWritesTheFallbackAndTheIndex(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	var j journal
	idx := newIndex(t)
	fb := recordedDocuments{indexer.Fallback(st), recorder{"postgres", &j}}
	var applied atomic.Int32
	d := deps(st, fb, recordedIndex{idx, recorder{"meilisearch", &j}}, nil)
	d.OnApplied = func(context.Context) { applied.Add(1) }
	ix := indexer.New(d, indexer.Config{})
	id := save(t, st, group("tuesday-circle"))
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	// Both at once, so in either order.
	if got, want := slices.Sorted(slices.Values(j.list())), []string{"meilisearch upsert " + id, "postgres upsert " + id}; !slices.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
	if !inFallback(t, st, id) {
		t.Errorf("search_documents lacks %s", id)
	}
	doc, ok := idx.doc(t, id)
	if !ok || doc.Slug != "tuesday-circle" || doc.NextAt == nil || !slices.Contains(doc.TagsYes, "cost.free") {
		t.Errorf("indexed document = %+v, %v; want the listing's document with a next meeting", doc, ok)
	}
	if len(doc.TagLabels) < 2 {
		t.Errorf("tag labels = %v, want the label in both UI languages", doc.TagLabels)
	}
	if applied.Load() != 1 {
		t.Errorf("OnApplied called %d times, want once", applied.Load())
	}
	if n := pendingRows(t, st); n != 0 {
		t.Errorf("%d outbox rows pending, want 0", n)
	}
}

func TestApplyWritesThePostgresFallback(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := newIndex(t)
	ix := indexer.New(deps(st, indexer.Fallback(st), idx, nil), indexer.Config{})
	id := save(t, st, group("tuesday-circle"))
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	have, err := st.SearchDocumentIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	doc, ok := idx.doc(t, id)
	if !ok {
		t.Fatalf("%s not indexed", id)
	}
	if at, ok := have[id]; !ok || at != doc.UpdatedAt {
		t.Errorf("search_documents = %v, want %s at %d", have, id, doc.UpdatedAt)
	}
}

func TestApplyRemovesListingsThatAreNoLongerSearchable(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := newIndex(t)
	fb := indexer.Fallback(st)
	ix := indexer.New(deps(st, fb, idx, nil), indexer.Config{})
	l := group("tuesday-circle")
	id := save(t, st, l)
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	if _, ok := idx.doc(t, id); !ok {
		t.Fatal("published listing not indexed")
	}
	if !inFallback(t, st, id) {
		t.Fatal("published listing not in search_documents")
	}
	l.Status = "draft"
	save(t, st, l)
	gone := "00000000-0000-4000-8000-000000000099" // never existed
	if err := st.QueueListings(context.Background(), []string{gone}); err != nil {
		t.Fatal(err)
	}
	// search_documents keeps no document whose listing does not exist, so the
	// one that never existed is planted in Meilisearch only.
	idx.put(t, searchDoc(gone))
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	if ids := fallbackIDs(t, st); len(ids) != 0 {
		t.Errorf("search_documents still holds %v after the listing became a draft", ids)
	}
	if ids := idx.ids(t); len(ids) != 0 {
		t.Errorf("meilisearch still holds %v after the listing became a draft and the other never existed", ids)
	}
}

func TestApplyWhileMeilisearchIsDownKeepsTheFallbackFreshAndRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	live := newIndex(t)
	idx := &switchIndex{cur: downIndex(t, live.UID())}
	var applied atomic.Int32
	logs := &testenv.LogBuffer{}
	d := deps(st, indexer.Fallback(st), idx, logs)
	d.OnApplied = func(context.Context) { applied.Add(1) }
	// Every batch asks Meilisearch, as though each came after the cooldown.
	ix := indexer.New(d, indexer.Config{Cooldown: time.Nanosecond})
	id := save(t, st, group("tuesday-circle"))

	for range 2 {
		if err := drain(t, st, ix); !refused(err) {
			t.Fatalf("batch while Meilisearch was down: %v, want its connection refused", err)
		}
		if _, err := st.Pool().Exec(ctx, `UPDATE outbox SET available_at = now() - interval '1 second'`); err != nil {
			t.Fatal(err)
		}
	}
	if !inFallback(t, st, id) {
		t.Error("fallback not written while Meilisearch was down")
	}
	if applied.Load() == 0 {
		t.Error("OnApplied not called although the fallback changed")
	}
	var attempts int
	if err := st.Pool().QueryRow(ctx, `SELECT attempts FROM outbox`).Scan(&attempts); err != nil || attempts != 2 {
		t.Fatalf("attempts = %d, %v; want 2", attempts, err)
	}
	if n := strings.Count(logs.String(), "meilisearch unavailable"); n != 1 {
		t.Errorf("logged Meilisearch unavailable %d times, want once:\n%s", n, logs)
	}

	idx.to(live.Index)
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	if _, ok := live.doc(t, id); !ok {
		t.Error("listing not indexed once Meilisearch was back")
	}
	if strings.Count(logs.String(), "meilisearch available again") != 1 {
		t.Errorf("recovery not logged once:\n%s", logs)
	}
}

// panickingListings trips over every listing, as a bug in document building would.
type panickingListings struct{ indexer.Listings }

func (panickingListings) ListingsByID(context.Context, []string) ([]directory.Listing, error) {
	panic("index out of range")
}

func TestApplyTurnsAPanicIntoAFailedBatch(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	d := deps(st, indexer.Fallback(st), newIndex(t), nil)
	d.Listings = panickingListings{st}
	ix := indexer.New(d, indexer.Config{})
	save(t, st, group("tuesday-circle"))
	if err := drain(t, st, ix); err == nil {
		t.Fatal("a batch that panicked reported success")
	}
	var attempts int
	if err := st.Pool().QueryRow(context.Background(), `SELECT attempts FROM outbox`).Scan(&attempts); err != nil || attempts != 1 {
		t.Fatalf("attempts = %d, %v; want the failure recorded for a retry", attempts, err)
	}
}

// While the breaker leaves a failed Meilisearch alone, a batch writes the
// fallback and fails at once, sending Meilisearch nothing.
func TestApplyLeavesAFailedMeilisearchAloneDuringTheCooldown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	live := newIndex(t)
	idx := &switchIndex{cur: downIndex(t, live.UID())}
	ix := indexer.New(deps(st, indexer.Fallback(st), idx, nil), indexer.Config{Cooldown: time.Hour})
	save(t, st, group("tuesday-circle"))
	if err := drain(t, st, ix); !refused(err) {
		t.Fatalf("first batch: %v, want Meilisearch's connection refused", err)
	}
	// Meilisearch is back, but the breaker has not asked it yet.
	idx.to(live.Index)
	if _, err := st.Pool().Exec(ctx, `UPDATE outbox SET available_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	other := save(t, st, group("wednesday-circle"))
	err := drain(t, st, ix)
	if err == nil || !strings.Contains(err.Error(), "waiting for it to answer again") {
		t.Fatalf("batch during the cooldown: %v, want it refused by the breaker", err)
	}
	if !inFallback(t, st, other) {
		t.Error("fallback not written during the cooldown")
	}
	if _, ok := live.doc(t, other); ok {
		t.Error("Meilisearch was written during the cooldown")
	}
}
