package indexer_test

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// journal records writes to several sinks in the order they happened.
type journal struct {
	mu      sync.Mutex
	entries []string
}

func (j *journal) add(e string) {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, e)
}

func (j *journal) list() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.entries)
}

// meiliTimeout bounds each request a test's index makes to Meilisearch.
const meiliTimeout = 5 * time.Second

// realIndex is a Meilisearch index of the test's own on the shared server, with
// the client that reads its documents back.
type realIndex struct {
	*search.Index
	client meilisearch.ServiceManager
}

// newIndex returns a real index of the test's own; nothing creates it in
// Meilisearch until the indexer (or the test) writes to it.
func newIndex(t *testing.T) *realIndex {
	t.Helper()
	client, uid := testenv.Meili(t)
	return &realIndex{Index: search.NewIndex(client, uid, meiliTimeout), client: client}
}

// doc reads one document from Meilisearch; a document or index that does not
// exist is reported as absent.
func (x *realIndex) doc(t *testing.T, id string) (search.Document, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), meiliTimeout)
	defer cancel()
	var d search.Document
	err := x.client.Index(x.UID()).GetDocumentWithContext(ctx, id, nil, &d)
	if me, ok := errors.AsType[*meilisearch.Error](err); ok {
		switch me.MeilisearchApiError.Code {
		case "document_not_found", "index_not_found":
			return search.Document{}, false
		}
	}
	if err != nil {
		t.Fatalf("read document %s from Meilisearch: %v", id, err)
	}
	return d, true
}

// ids lists the ids the index holds, sorted.
func (x *realIndex) ids(t *testing.T) []string {
	t.Helper()
	snap, err := x.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(maps.Keys(snap))
}

// put writes a document into the index as it is, whatever its listing says.
func (x *realIndex) put(t *testing.T, d search.Document) {
	t.Helper()
	if err := x.Upsert(context.Background(), []search.Document{d}); err != nil {
		t.Fatal(err)
	}
}

// downIndex is the index uid of a Meilisearch that is down: its client talks to a
// loopback port nobody listens on, so every request is refused by the kernel.
func downIndex(t *testing.T, uid string) *search.Index {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return search.NewIndex(search.NewClient(url, testenv.MeiliKey(), meiliTimeout), uid, meiliTimeout)
}

// refused reports whether err is Meilisearch's client failing to connect
// because the connection was refused.
func refused(err error) bool {
	me, ok := errors.AsType[*meilisearch.Error](err)
	return ok && me.ErrCode == meilisearch.MeilisearchCommunicationError &&
		errors.Is(me.OriginError, syscall.ECONNREFUSED)
}

// switchIndex forwards every call to one real index, the one the test last
// switched to: the same index uid on a Meilisearch that is down, then on the
// shared server, is Meilisearch going away and coming back.
type switchIndex struct {
	mu  sync.Mutex
	cur indexer.Index
}

var _ indexer.Index = (*switchIndex)(nil)

func (s *switchIndex) to(x indexer.Index) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = x
}

func (s *switchIndex) get() indexer.Index {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

func (s *switchIndex) Upsert(ctx context.Context, docs []search.Document) error {
	return s.get().Upsert(ctx, docs)
}

func (s *switchIndex) Delete(ctx context.Context, ids []string) error {
	return s.get().Delete(ctx, ids)
}

func (s *switchIndex) Queue(ctx context.Context, docs []search.Document, gone []string) (func(context.Context) error, error) {
	return s.get().Queue(ctx, docs, gone)
}

func (s *switchIndex) Snapshot(ctx context.Context) (map[string]string, error) {
	return s.get().Snapshot(ctx)
}

func (s *switchIndex) EnsureSettings(ctx context.Context) error {
	return s.get().EnsureSettings(ctx)
}

func (s *switchIndex) Rebuild(ctx context.Context, fill func(add func([]search.Document) error) error) error {
	return s.get().Rebuild(ctx, fill)
}

func (s *switchIndex) Due(ctx context.Context, before int64) ([]string, error) {
	return s.get().Due(ctx, before)
}

// recorder notes in a journal each document a real sink wrote, once the sink
// has written it.
type recorder struct {
	name    string
	journal *journal
}

func (r recorder) upsert(ctx context.Context, docs []search.Document, write func(context.Context, []search.Document) error) error {
	if err := write(ctx, docs); err != nil {
		return err
	}
	for _, d := range docs {
		r.journal.add(r.name + " upsert " + d.ID)
	}
	return nil
}

func (r recorder) delete(ctx context.Context, ids []string, write func(context.Context, []string) error) error {
	if err := write(ctx, ids); err != nil {
		return err
	}
	for _, id := range ids {
		r.journal.add(r.name + " delete " + id)
	}
	return nil
}

// recordedDocuments forwards every call to a real sink, recording its writes.
type recordedDocuments struct {
	indexer.Documents
	rec recorder
}

func (r recordedDocuments) Upsert(ctx context.Context, docs []search.Document) error {
	return r.rec.upsert(ctx, docs, r.Documents.Upsert)
}

func (r recordedDocuments) Delete(ctx context.Context, ids []string) error {
	return r.rec.delete(ctx, ids, r.Documents.Delete)
}

// recordedIndex forwards every call to a real index, recording its writes.
type recordedIndex struct {
	indexer.Index
	rec recorder
}

func (r recordedIndex) Upsert(ctx context.Context, docs []search.Document) error {
	return r.rec.upsert(ctx, docs, r.Index.Upsert)
}

func (r recordedIndex) Delete(ctx context.Context, ids []string) error {
	return r.rec.delete(ctx, ids, r.Index.Delete)
}

// Queue records the writes once the index has applied them.
func (r recordedIndex) Queue(ctx context.Context, docs []search.Document, gone []string) (func(context.Context) error, error) {
	wait, err := r.Index.Queue(ctx, docs, gone)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		applied := func(context.Context, []search.Document) error { return wait(ctx) }
		if err := r.rec.upsert(ctx, docs, applied); err != nil {
			return err
		}
		return r.rec.delete(ctx, gone, func(context.Context, []string) error { return nil })
	}, nil
}

// fillHook forwards every call to a real index; its Rebuild runs the real
// Rebuild and calls during after each batch the rebuild adds to the new index.
type fillHook struct {
	indexer.Index
	mu     sync.Mutex
	during func()
}

func (h *fillHook) setDuring(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.during = f
}

func (h *fillHook) Rebuild(ctx context.Context, fill func(add func([]search.Document) error) error) error {
	h.mu.Lock()
	during := h.during
	h.mu.Unlock()
	return h.Index.Rebuild(ctx, func(add func([]search.Document) error) error {
		return fill(func(docs []search.Document) error {
			if err := add(docs); err != nil {
				return err
			}
			if during != nil {
				during()
			}
			return nil
		})
	})
}

// fallbackIDs lists the ids the PostgreSQL fallback, search_documents, holds.
func fallbackIDs(t *testing.T, st *store.Store) []string {
	t.Helper()
	have, err := st.SearchDocumentIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(maps.Keys(have))
}

// inFallback reports whether search_documents holds a document for id.
func inFallback(t *testing.T, st *store.Store, id string) bool {
	t.Helper()
	return slices.Contains(fallbackIDs(t, st), id)
}

// deps wires a real store to the given sinks.
func deps(st *store.Store, fallback indexer.Documents, index indexer.Index, logs *testenv.LogBuffer) indexer.Deps {
	var log *slog.Logger
	if logs != nil {
		log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return indexer.Deps{
		Listings: st, Taxonomy: st, Outbox: st,
		Listen:   indexer.ListenWith(st.ListenOutbox),
		Fallback: fallback, Index: index, Log: log,
	}
}

// group returns a published weekly group that meets on Tuesday evenings.
func group(slug string) *directory.Listing { return testenv.WeeklyGroup(slug, "cost.free") }

// save writes a listing the way the product does: with its outbox row.
func save(t *testing.T, st *store.Store, l *directory.Listing) string {
	t.Helper()
	var id string
	err := st.InTx(context.Background(), func(tx *store.Tx) (err error) {
		id, err = tx.SaveListing(context.Background(), l, "test")
		return err
	})
	if err != nil {
		t.Fatalf("save listing %s: %v", l.Slug, err)
	}
	return id
}

// drain applies every due outbox row with ix, as one worker pass would.
func drain(t *testing.T, st *store.Store, ix *indexer.Indexer) error {
	t.Helper()
	for {
		n, err := st.ProcessOutbox(context.Background(), 100, indexer.DefaultLease, ix.Apply)
		if err != nil || n == 0 {
			return err
		}
	}
}

// patience bounds every wait for an event in these tests. It is there only to
// end a test that would otherwise hang: a shared CI machine can be slow by a
// factor no guessed interval foresees, so what a test proves never rests on it.
const patience = 2 * time.Minute

// eventually polls cond every few milliseconds until it holds, and returns how
// long that took.
func eventually(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > patience {
			t.Fatalf("%s: not within %v", what, patience)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// run starts ix.Run and returns a stop that cancels it and waits for it.
func run(t *testing.T, ix *indexer.Indexer) (stop func() time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ix.Run(ctx) }()
	stopped := false
	stop = func() time.Duration {
		if stopped {
			return 0
		}
		stopped = true
		start := time.Now()
		cancel()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(patience):
			t.Fatal("Run did not stop")
		}
		return time.Since(start)
	}
	t.Cleanup(func() { stop() })
	return stop
}

func pendingRows(t *testing.T, st *store.Store) int {
	t.Helper()
	n, _, err := st.OutboxBacklog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// searchDoc is a bare document, for a sink to hold something.
func searchDoc(id string) search.Document {
	return search.Document{ID: id, UpdatedAt: 1}
}
