package search_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

// newIndex gives the test an index of its own with the project's settings.
func newIndex(t *testing.T) (*search.Index, meilisearch.ServiceManager) {
	t.Helper()
	client, uid := testenv.Meili(t)
	x := search.NewIndex(client, uid, 5*time.Second)
	if err := x.EnsureSettings(t.Context()); err != nil {
		t.Fatalf("ensure settings: %v", err)
	}
	return x, client
}

func tasksOf(t *testing.T, client meilisearch.ServiceManager, uid string) int64 {
	t.Helper()
	r, err := client.GetTasksWithContext(t.Context(), &meilisearch.TasksQuery{IndexUIDS: []string{uid}, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r.Total
}

func TestEnsureSettingsIsIdempotent(t *testing.T) {
	t.Parallel()
	x, client := newIndex(t)
	before := tasksOf(t, client, x.UID())
	if err := x.EnsureSettings(t.Context()); err != nil {
		t.Fatalf("second ensure settings: %v", err)
	}
	if after := tasksOf(t, client, x.UID()); after != before {
		t.Fatalf("settings already in place must not be sent again: %d tasks, then %d", before, after)
	}
	s, err := client.Index(x.UID()).GetSettingsWithContext(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(s.FilterableAttributes, "tags_offered") || !slices.Contains(s.SortableAttributes, "_geo") ||
		!slices.Contains(s.Synonyms["duelo"], "grief") || !slices.Contains(s.StopWords, "the") || !slices.Contains(s.StopWords, "los") {
		t.Fatalf("settings, synonyms or stop words of both languages missing: %+v", s)
	}
	info, err := client.GetIndexWithContext(t.Context(), x.UID())
	if err != nil || info.PrimaryKey != "id" {
		t.Fatalf("primary key: %v %v", info, err)
	}
}

func TestMeilisearchErrorsAreErrors(t *testing.T) {
	t.Parallel()
	x, _ := newIndex(t)
	// Meilisearch accepts the document, then fails the task: an error all the same.
	err := x.Upsert(t.Context(), []search.Document{{ID: "not an id!"}})
	te, ok := errors.AsType[*search.TaskError](err)
	if !ok || te.Status != meilisearch.TaskStatusFailed || te.Code != "invalid_document_id" || te.Message == "" {
		t.Fatalf("a failed task must be a TaskError carrying Meilisearch's message, got %v", err)
	}
	if err := search.ApplySettings(x, t.Context(), &meilisearch.Settings{RankingRules: []string{"bogus"}}); err == nil {
		t.Fatal("a refused setting must be an error")
	}
}

func TestUpsertReplacesAndDeleteRemoves(t *testing.T) {
	t.Parallel()
	x, client := newIndex(t)
	ctx := t.Context()
	a := search.Document{ID: "a", Name: "Grief circle", Summary: "first", UpdatedAt: 1}
	b := search.Document{ID: "b", Name: "Walking group", UpdatedAt: 1}
	if err := x.Upsert(ctx, []search.Document{a, b}); err != nil {
		t.Fatal(err)
	}
	a2 := search.Document{ID: "a", Name: "Grief circle", UpdatedAt: 2}
	if err := x.Upsert(ctx, []search.Document{a2}); err != nil {
		t.Fatal(err)
	}
	var got search.Document
	if err := client.Index(x.UID()).GetDocumentWithContext(ctx, "a", nil, &got); err != nil {
		t.Fatal(err)
	}
	if got.Summary != "" || got.UpdatedAt != 2 {
		t.Fatalf("an upsert must replace the whole document: %+v", got)
	}
	if err := x.Delete(ctx, []string{"b", "never-indexed"}); err != nil {
		t.Fatal(err)
	}
	if err := x.Upsert(ctx, nil); err != nil {
		t.Fatal(err)
	}
	snap, err := x.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(snap, map[string]string{"a": a2.ContentHash()}) {
		t.Fatalf("snapshot = %v", snap)
	}
}

func TestSnapshotPagesThroughBatches(t *testing.T) {
	t.Parallel()
	x, _ := newIndex(t)
	want := map[string]string{}
	var docs []search.Document
	for i := range 2345 {
		d := search.Document{ID: fmt.Sprintf("l-%04d", i), Name: "Listing", UpdatedAt: int64(1000 + i)}
		docs = append(docs, d)
		want[d.ID] = d.ContentHash()
	}
	if err := x.Upsert(t.Context(), docs); err != nil {
		t.Fatal(err)
	}
	snap, err := x.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(snap, want) {
		t.Fatalf("snapshot has %d of %d documents", len(snap), len(want))
	}
}

func TestDueFindsPassedMeetings(t *testing.T) {
	t.Parallel()
	x, _ := newIndex(t)
	at := func(v int64) *int64 { return &v }
	docs := []search.Document{
		{ID: "passed", NextAt: at(100)},
		{ID: "now", NextAt: at(200)},
		{ID: "coming", NextAt: at(300)},
		{ID: "none", Paused: true},
	}
	if err := x.Upsert(t.Context(), docs); err != nil {
		t.Fatal(err)
	}
	due, err := x.Due(t.Context(), 200)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(due, []string{"passed"}) {
		t.Fatalf("due = %v", due)
	}
}

func TestRebuildSwapsInAFreshIndex(t *testing.T) {
	t.Parallel()
	x, client := newIndex(t)
	ctx := t.Context()
	backend := search.NewMeiliBackend(client, x.UID(), 5*time.Second)
	if err := x.Upsert(ctx, []search.Document{doc("old-1", "Old one"), doc("old-2", "Old two")}); err != nil {
		t.Fatal(err)
	}
	err := x.Rebuild(ctx, func(add func([]search.Document) error) error {
		if err := add([]search.Document{doc("new-1", "New one")}); err != nil {
			return err
		}
		if got := ids(t, backend, search.Spec{Limit: 10}); !slices.Equal(got, []string{"old-1", "old-2"}) {
			t.Errorf("during a rebuild searches must answer from the old index, got %v", got)
		}
		return add([]search.Document{doc("new-2", "New two")})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, backend, search.Spec{Limit: 10}); !slices.Equal(got, []string{"new-1", "new-2"}) {
		t.Fatalf("after the swap only the new documents must be found, got %v", got)
	}
	if _, err := client.GetIndexWithContext(ctx, x.UID()+"_next"); err == nil {
		t.Fatal("the old index must be deleted after the swap")
	}
	s, err := client.Index(x.UID()).GetSettingsWithContext(ctx)
	if err != nil || !slices.Contains(s.FilterableAttributes, "tags_yes") {
		t.Fatalf("the swapped-in index must carry the settings: %v %v", s, err)
	}
}

func TestRebuildOfAMissingIndexCreatesIt(t *testing.T) {
	t.Parallel()
	client, uid := testenv.Meili(t)
	x := search.NewIndex(client, uid, 5*time.Second)
	err := x.Rebuild(t.Context(), func(add func([]search.Document) error) error {
		return add([]search.Document{doc("a", "First")})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, search.NewMeiliBackend(client, uid, 5*time.Second), search.Spec{Limit: 10}); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("got %v", got)
	}
}

func TestFailedRebuildKeepsTheLiveIndex(t *testing.T) {
	t.Parallel()
	x, client := newIndex(t)
	ctx := t.Context()
	if err := x.Upsert(ctx, []search.Document{doc("live", "Live")}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("database went away")
	err := x.Rebuild(ctx, func(add func([]search.Document) error) error {
		if err := add([]search.Document{doc("half", "Half")}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("want the fill error, got %v", err)
	}
	if got := ids(t, search.NewMeiliBackend(client, x.UID(), 5*time.Second), search.Spec{Limit: 10}); !slices.Equal(got, []string{"live"}) {
		t.Fatalf("got %v", got)
	}
	if _, err := client.GetIndexWithContext(ctx, x.UID()+"_next"); err == nil {
		t.Fatal("a failed rebuild must not leave its index behind")
	}
}

// doc is a searchable document: confirmed, not paused.
func doc(id, name string) search.Document {
	return search.Document{ID: id, Name: name, ConfirmedAt: 1}
}

// ids runs one spec and returns the ids found, sorted.
func ids(t *testing.T, b search.Backend, s search.Spec) []string {
	t.Helper()
	found, err := b.Find(t.Context(), []search.Spec{s})
	if err != nil {
		t.Fatalf("find: %v", err)
	}
	out := []string{}
	for _, d := range found[0].Docs {
		out = append(out, d.ID)
	}
	slices.Sort(out)
	return out
}

// An index nobody built yet is said to be missing, with what builds it, not as
// Meilisearch's answer to the client.
func TestReadingAnIndexThatIsNotThereSaysHowToBuildIt(t *testing.T) {
	client, uid := testenv.Meili(t)
	_, err := search.NewIndex(client, uid, 5*time.Second).Snapshot(t.Context())
	if err == nil || err.Error() != "the Meilisearch index "+uid+" does not exist; belong reindex builds it" {
		t.Fatalf("%v", err)
	}
}
