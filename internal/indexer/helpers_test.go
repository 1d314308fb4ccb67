package indexer_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

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

// memIndex is an in-memory sink standing in for Meilisearch or the fallback.
type memIndex struct {
	name    string
	journal *journal

	mu          sync.Mutex
	docs        map[string]search.Document
	fail        error // every call fails with it while set
	settingsErr error // EnsureSettings fails with it while set
	duringFill  func()
}

var _ indexer.Index = (*memIndex)(nil)

func newMemIndex(name string, j *journal) *memIndex {
	return &memIndex{name: name, journal: j, docs: map[string]search.Document{}}
}

func (m *memIndex) setFail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail, m.settingsErr = err, err
}

func (m *memIndex) Upsert(_ context.Context, docs []search.Document) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for _, d := range docs {
		m.docs[d.ID] = d
		m.journal.add(m.name + " upsert " + d.ID)
	}
	return nil
}

func (m *memIndex) Delete(_ context.Context, ids []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for _, id := range ids {
		delete(m.docs, id)
		m.journal.add(m.name + " delete " + id)
	}
	return nil
}

func (m *memIndex) Snapshot(context.Context) (map[string]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	out := map[string]int64{}
	for id, d := range m.docs {
		out[id] = d.UpdatedAt
	}
	return out, nil
}

func (m *memIndex) EnsureSettings(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.settingsErr
}

func (m *memIndex) Rebuild(_ context.Context, fill func(add func([]search.Document) error) error) error {
	m.mu.Lock()
	fail, during := m.fail, m.duringFill
	m.mu.Unlock()
	if fail != nil {
		return fail
	}
	next := map[string]search.Document{}
	err := fill(func(docs []search.Document) error {
		for _, d := range docs {
			next[d.ID] = d
		}
		if during != nil {
			during()
		}
		return nil
	})
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs = next
	return nil
}

func (m *memIndex) Due(_ context.Context, before int64) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	var ids []string
	for id, d := range m.docs {
		if d.NextAt != nil && *d.NextAt < before {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (m *memIndex) doc(id string) (search.Document, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.docs[id]
	return d, ok
}

func (m *memIndex) ids() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.docs))
}

func (m *memIndex) put(d search.Document) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs[d.ID] = d
}

// logBuffer collects log lines written from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) count(s string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), s)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// deps wires a real store to the given sinks.
func deps(st *store.Store, fallback indexer.Documents, index indexer.Index, logs *logBuffer) indexer.Deps {
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
	err := st.InTx(context.Background(), func(tx pgx.Tx) (err error) {
		id, err = st.SaveListing(context.Background(), tx, l, "test")
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
		n, err := st.ProcessOutbox(context.Background(), 100, ix.Apply)
		if err != nil || n == 0 {
			return err
		}
	}
}

// eventually polls cond until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > timeout {
			t.Fatalf("%s: not within %v", what, timeout)
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
		case <-time.After(15 * time.Second):
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
