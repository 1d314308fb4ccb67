package indexer_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// withMeilisearch wires a real store and fallback to a real Meilisearch index of
// the test's own, which does not exist until the indexer creates it.
func withMeilisearch(t *testing.T) (*store.Store, *search.Index, indexer.Deps) {
	t.Helper()
	client, uid := testenv.Meili(t)
	st := testenv.Store(t)
	idx := search.NewIndex(client, uid, 5*time.Second)
	return st, idx, deps(st, indexer.Fallback(st), idx, nil)
}

func snapshotIDs(t *testing.T, idx *search.Index) []string {
	t.Helper()
	snap, err := idx.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range snap {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func TestIndexerWithMeilisearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, idx, d := withMeilisearch(t)
	ix := indexer.New(d, indexer.Config{})
	a := save(t, st, group("monday-circle"))
	b := save(t, st, group("tuesday-circle"))
	draft := group("draft-circle")
	draft.Status = "draft"
	save(t, st, draft)
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	want := []string{a, b}
	slices.Sort(want)
	if got := snapshotIDs(t, idx); !slices.Equal(got, want) {
		t.Fatalf("index holds %v, want %v", got, want)
	}
	if r, err := ix.Check(ctx); err != nil || !r.Clean() {
		t.Fatalf("check after indexing: %v\n%s", err, r)
	}

	l := group("monday-circle")
	l.Status = "draft"
	save(t, st, l)
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	if got := snapshotIDs(t, idx); !slices.Equal(got, []string{b}) {
		t.Fatalf("index holds %v after %s became a draft, want only %s", got, a, b)
	}

	stray := searchDoc("00000000-0000-4000-8000-000000000099")
	if err := idx.Upsert(ctx, []search.Document{stray}); err != nil {
		t.Fatal(err)
	}
	if r, err := ix.Check(ctx); err != nil || r.Clean() || !slices.Equal(r.Sinks[1].Extra, []string{stray.ID}) {
		t.Fatalf("check with a stray document: %v\n%s", err, r)
	}
	r, err := ix.Reindex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Listings != 3 || r.Indexed != 1 {
		t.Errorf("reindex report = %+v, want 3 listings read, 1 indexed", r)
	}
	if got := snapshotIDs(t, idx); !slices.Equal(got, []string{b}) {
		t.Errorf("index holds %v after reindex, want only %s", got, b)
	}
	if r, err := ix.Check(ctx); err != nil || !r.Clean() {
		t.Errorf("check after reindex: %v\n%s", err, r)
	}
}

func TestRunWithMeilisearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, idx, d := withMeilisearch(t)
	waiting, _ := watchListen(&d)
	ix := indexer.New(d, indexer.Config{Poll: time.Hour})

	// A document whose next meeting has passed is worked out again at start.
	id := save(t, st, group("tuesday-circle"))
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	ls, err := st.ListingsByID(ctx, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	stale, _ := search.BuildDocument(ls[0], search.Taxonomy{}, time.Now())
	past := time.Now().Add(-time.Hour).Unix()
	stale.NextAt = &past
	if err := idx.Upsert(ctx, []search.Document{stale}); err != nil {
		t.Fatal(err)
	}

	run(t, ix)
	waitUntilListening(t, waiting)
	eventually(t, "next meeting worked out again", func() bool {
		due, err := idx.Due(ctx, time.Now().Unix())
		return err == nil && len(due) == 0
	})

	// The poll interval is an hour, so arriving at all shows the commit's
	// notification woke the indexer; speed itself is measured by make bench.
	other := save(t, st, group("wednesday-circle"))
	took := eventually(t, "indexed after commit", func() bool {
		return slices.Contains(snapshotIDs(t, idx), other)
	})
	t.Logf("commit to Meilisearch: %v", took)
}

// Several drains at once, with one listing's rows spread over the queue: every
// row is applied, and both sinks end with each listing's latest version, never an
// older one written after it.
func TestRunWithSeveralDrainsKeepsEveryListingsLatestVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, idx, d := withMeilisearch(t)
	var slugs []string
	for i := range 30 {
		slugs = append(slugs, fmt.Sprintf("circle-%02d", i))
	}
	for version := range 3 {
		for _, slug := range slugs {
			l := group(slug)
			l.Name = fmt.Sprintf("%s, version %d", slug, version)
			save(t, st, l)
		}
	}
	run(t, indexer.New(d, indexer.Config{Batch: 7, Drains: 3, Poll: time.Hour}))
	eventually(t, "outbox drained", func() bool { return pendingRows(t, st) == 0 })
	if got := len(snapshotIDs(t, idx)); got != len(slugs) {
		t.Fatalf("index holds %d documents, want %d", got, len(slugs))
	}
	r, err := indexer.New(d, indexer.Config{}).Check(ctx)
	if err != nil || !r.Clean() {
		t.Fatalf("after several drains: %v\n%s", err, r)
	}
}

// Two workers with several drains each run while listings are written again and
// again: once the outbox is drained, both sinks hold each listing's latest
// version, by content, never an older one written after it.
func TestSeveralWorkersWhileListingsAreWrittenKeepTheLatestVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	idx := newIndex(t)
	d := deps(st, indexer.Fallback(st), idx, nil)
	for range 2 {
		run(t, indexer.New(d, indexer.Config{Batch: 3, Drains: 3, Poll: time.Hour}))
	}
	const listings, versions = 12, 4
	ids := make([]string, listings)
	for version := range versions {
		for i := range listings {
			l := group(fmt.Sprintf("circle-%02d", i))
			l.Name = fmt.Sprintf("Circle %02d, version %d", i, version)
			ids[i] = save(t, st, l)
		}
	}
	eventually(t, "outbox drained", func() bool { return pendingRows(t, st) == 0 })
	for i, id := range ids {
		doc, ok := idx.doc(t, id)
		if want := fmt.Sprintf("Circle %02d, version %d", i, versions-1); !ok || doc.Name != want {
			t.Errorf("indexed %s = %q, %v; want %q", id, doc.Name, ok, want)
		}
	}
	r, err := indexer.New(d, indexer.Config{}).Check(ctx)
	if err != nil || !r.Clean() {
		t.Fatalf("after several workers: %v\n%s", err, r)
	}
}
