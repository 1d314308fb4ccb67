package indexer_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

func TestReindexFillsBothSinksAndDropsWhatIsNotSearchable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	idx := newIndex(t)
	ix := indexer.New(deps(st, indexer.Fallback(st), idx, nil), indexer.Config{RebuildBatch: 2})
	a := save(t, st, group("monday-circle"))
	b := save(t, st, group("tuesday-circle"))
	c := save(t, st, group("wednesday-circle"))
	draft := group("draft-circle")
	draft.Status = "draft"
	d := save(t, st, draft)
	// The fallback still holds the draft from when it was published, and the
	// index a document that no listing has.
	if err := st.UpsertSearchDocuments(ctx, []search.Document{{ID: d, Name: "Old"}}); err != nil {
		t.Fatal(err)
	}
	idx.put(t, searchDoc("00000000-0000-4000-8000-000000000099"))
	if got := idx.ids(t); !slices.Equal(got, []string{"00000000-0000-4000-8000-000000000099"}) {
		t.Fatalf("index holds %v before the rebuild, want the stray document", got)
	}

	r, err := ix.Reindex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Listings != 4 || r.Indexed != 3 || r.Removed != 1 {
		t.Errorf("report = %+v, want 4 listings read, 3 indexed, 1 removed", r)
	}
	want := []string{a, b, c}
	slices.Sort(want)
	if got := idx.ids(t); !slices.Equal(got, want) {
		t.Errorf("index holds %v, want %v", got, want)
	}
	have, err := st.SearchDocumentIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(have) != 3 || have[d] != 0 {
		t.Errorf("search_documents = %v, want the three published listings", have)
	}
	report, err := ix.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !report.Clean() {
		t.Errorf("check after reindex:\n%s", report)
	}
}

func TestReindexWithMeilisearchDownStillRebuildsTheFallback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	_, uid := testenv.Meili(t)
	ix := indexer.New(deps(st, indexer.Fallback(st), downIndex(t, uid), nil), indexer.Config{})
	id := save(t, st, group("tuesday-circle"))
	r, err := ix.Reindex(ctx)
	if !refused(err) {
		t.Fatalf("Reindex error = %v, want Meilisearch's connection refused", err)
	}
	have, err := st.SearchDocumentIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := have[id]; !ok || r.Indexed != 1 {
		t.Errorf("search_documents = %v, report %+v; want the listing there", have, r)
	}
}

// A worker applying a change while a rebuild reads writes it to the index the
// rebuild then replaces; the rebuild must queue that listing again.
func TestReindexRequeuesWhatWorkersAppliedMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	live := newIndex(t)
	idx := &fillHook{Index: live}
	ix := indexer.New(deps(st, indexer.Fallback(st), idx, nil), indexer.Config{})
	id := save(t, st, group("tuesday-circle"))
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	idx.setDuring(func() {
		l := group("tuesday-circle")
		l.Name = "Renamed while rebuilding"
		save(t, st, l)
		if err := drain(t, st, ix); err != nil {
			t.Error(err)
		}
	})
	r, err := ix.Reindex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requeued != 1 || pendingRows(t, st) != 1 {
		t.Fatalf("requeued %d, %d rows pending; want the renamed listing queued again", r.Requeued, pendingRows(t, st))
	}
	idx.setDuring(nil)
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	if doc, _ := live.doc(t, id); doc.Name != "Renamed while rebuilding" {
		t.Errorf("indexed name = %q, want the latest", doc.Name)
	}
}

func TestCheckListsMissingExtraAndOutdatedDocuments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	live := newIndex(t)
	fb, idx := indexer.Fallback(st), &switchIndex{cur: live.Index}
	ix := indexer.New(deps(st, fb, idx, nil), indexer.Config{})
	a := save(t, st, group("monday-circle"))
	b := save(t, st, group("tuesday-circle"))
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	report, err := ix.Check(ctx)
	if err != nil || !report.Clean() {
		t.Fatalf("check of sinks in step = %v:\n%s", err, report)
	}

	extra := "00000000-0000-4000-8000-000000000099"
	live.put(t, searchDoc(extra))
	old, ok := live.doc(t, b)
	if !ok {
		t.Fatalf("%s not indexed", b)
	}
	old.UpdatedAt--
	live.put(t, old)
	if err := fb.Delete(ctx, []string{a}); err != nil {
		t.Fatal(err)
	}
	report, err = ix.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if report.Clean() || report.Listings != 2 || report.Searchable != 2 || len(report.Sinks) != 2 {
		t.Fatalf("report = %+v", report)
	}
	pg, meili := report.Sinks[0], report.Sinks[1]
	if !slices.Equal(pg.Missing, []string{a}) || len(pg.Extra)+len(pg.Outdated) != 0 {
		t.Errorf("fallback differences = %+v, want %s missing", pg, a)
	}
	if !slices.Equal(meili.Extra, []string{extra}) || !slices.Equal(meili.Outdated, []string{b}) || len(meili.Missing) != 0 {
		t.Errorf("index differences = %+v, want %s extra and %s outdated", meili, extra, b)
	}
	text := report.String()
	for _, want := range []string{"2 listings, 2 searchable", "missing  " + a, "extra    " + extra,
		"outdated " + b, "1 missing, 0 extra, 0 outdated", "0 missing, 1 extra, 1 outdated"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}

	idx.to(downIndex(t, live.UID()))
	report, err = ix.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if report.Clean() || !refused(report.Sinks[1].Err) || report.Sinks[0].Err != nil ||
		!strings.Contains(report.String(), "meilisearch: could not be read: ") ||
		!strings.Contains(report.String(), "connection refused") {
		t.Errorf("report with Meilisearch down:\n%s", report)
	}
}

func TestCheckMentionsPendingOutboxRows(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := newIndex(t)
	// An index that exists and is empty, as before the indexer's first batch.
	if err := idx.EnsureSettings(context.Background()); err != nil {
		t.Fatal(err)
	}
	ix := indexer.New(deps(st, indexer.Fallback(st), idx, nil), indexer.Config{})
	save(t, st, group("tuesday-circle"))
	report, err := ix.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range report.Sinks {
		if s.Err != nil {
			t.Errorf("%s could not be read: %v", s.Name, s.Err)
		}
	}
	if report.Pending != 1 || !strings.Contains(report.String(), "outbox: 1 rows pending") || report.Clean() {
		t.Errorf("report with a pending row:\n%s", report)
	}
}

// A document whose content differs from what the listing gives now is out of
// step even when its updated_at is the same second: check compares content.
func TestCheckFindsADocumentWhoseContentDiffersAtTheSameUpdatedAt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testenv.Store(t)
	idx := newIndex(t)
	ix := indexer.New(deps(st, indexer.Fallback(st), idx, nil), indexer.Config{})
	id := save(t, st, group("tuesday-circle"))
	if err := drain(t, st, ix); err != nil {
		t.Fatal(err)
	}
	doc, ok := idx.doc(t, id)
	if !ok {
		t.Fatalf("%s not indexed", id)
	}
	doc.Name = "A name the listing never had"
	idx.put(t, doc)
	if err := st.UpsertSearchDocuments(ctx, []search.Document{doc}); err != nil {
		t.Fatal(err)
	}
	report, err := ix.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range report.Sinks {
		if !slices.Equal(s.Outdated, []string{id}) || len(s.Missing)+len(s.Extra) != 0 || s.Err != nil {
			t.Errorf("%s: %+v; want %s outdated", s.Name, s, id)
		}
	}
	if report.Clean() {
		t.Errorf("check reports sinks in step:\n%s", report)
	}
}
