package searchtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/seed"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// demoNow is when the demo is seeded, indexed and searched, so every run sees the
// same listings, confirmation dates and next meetings.
var demoNow = time.Date(2026, 3, 14, 15, 4, 5, 0, time.UTC)

// thresholds are the configuration's defaults: aging after six months, stale
// after a year.
var thresholds = directory.Thresholds{AgingAfter: 4380 * time.Hour, StaleAfter: 8760 * time.Hour}

// demoDirectory is the demo data seeded into a database of its own and indexed,
// by the indexer's Reindex, into a Meilisearch index of its own and the
// PostgreSQL fallback. Tests only read it.
type demoDirectory struct {
	st     *store.Store
	client meilisearch.ServiceManager
	uid    string
	vocab  *search.Terms
	// meili and pg answer with the same clock, demoNow.
	meiliBackend *search.MeiliBackend
	pgBackend    *search.PostgresBackend
	meili, pg    *search.Searcher
	// docs are the documents as indexed, by listing id; bySlug maps slugs to ids.
	docs    map[string]search.Document
	bySlug  map[string]string
	listing map[string]directory.Listing // by id, as stored
	tags    []string                     // every tag slug in the taxonomy
	seeded  int
	took    time.Duration
}

var (
	demoOnce  sync.Once
	demoData  *demoDirectory
	demoSetup = &setupTB{}
)

// TestMain releases the shared demo directory after every test has run: it
// outlives any one test, so no test's cleanup may drop it.
func TestMain(m *testing.M) {
	code := m.Run()
	demoSetup.cleanup()
	os.Exit(code)
}

// demo returns the shared demo directory, building it on first use. A missing
// service skips every test that needs it, or fails them under CI=true.
func demo(t *testing.T) *demoDirectory {
	t.Helper()
	demoOnce.Do(func() {
		done := make(chan struct{})
		// testenv stops a setup that fails with runtime.Goexit, as a test's
		// goroutine would be; it gets a goroutine of its own.
		go func() {
			defer close(done)
			d, err := buildDemo(demoSetup)
			if err != nil {
				demoSetup.fail(err.Error(), false)
				return
			}
			demoData = d
		}()
		<-done
	})
	if msg, skipped := demoSetup.outcome(); msg != "" {
		if skipped {
			t.Skip(msg)
		}
		t.Fatal("demo directory: " + msg)
	}
	return demoData
}

func buildDemo(tb testing.TB) (*demoDirectory, error) {
	ctx := context.Background()
	start := time.Now()
	st := testenv.Store(tb)
	client, uid := testenv.Meili(tb)
	n, err := seed.Demo(ctx, st, demoNow)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	idx := search.NewIndex(client, uid, 10*time.Second)
	ix := indexer.New(indexer.Deps{
		Listings: st, Taxonomy: st, Outbox: st,
		Listen:   indexer.ListenWith(st.ListenOutbox),
		Fallback: indexer.Fallback(st), Index: idx,
		Now: func() time.Time { return demoNow },
	}, indexer.Config{})
	if _, err := ix.Reindex(ctx); err != nil {
		return nil, fmt.Errorf("reindex: %w", err)
	}
	d := &demoDirectory{st: st, client: client, uid: uid, seeded: n,
		meiliBackend: search.NewMeiliBackend(client, uid, 10*time.Second),
		pgBackend:    search.NewPostgresBackend(st),
		docs:         map[string]search.Document{}, bySlug: map[string]string{},
		listing: map[string]directory.Listing{}}
	clock := func() time.Time { return demoNow }
	d.meili = search.NewSearcher(d.meiliBackend, thresholds, clock).SuggestFrom(st)
	d.pg = search.NewSearcher(d.pgBackend, thresholds, clock).SuggestFrom(st)
	if d.vocab, err = search.LoadTerms(ctx, st); err != nil {
		return nil, err
	}
	cats, err := st.Taxonomy(ctx, "en")
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		for _, tag := range c.Tags {
			d.tags = append(d.tags, tag.Slug)
		}
	}
	slices.Sort(d.tags)
	rows, err := st.Pool().Query(ctx, `SELECT doc FROM search_documents`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var raw []byte
		var doc search.Document
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, err
		}
		d.docs[doc.ID] = doc
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids, err := st.ListingIDs(ctx, "", 10000)
	if err != nil {
		return nil, err
	}
	ls, err := st.ListingsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		d.bySlug[l.Slug] = l.ID
		d.listing[l.ID] = l
	}
	d.took = time.Since(start)
	return d, nil
}

// id returns the id of the listing with slug, failing the test when there is none.
func (d *demoDirectory) id(t *testing.T, slug string) string {
	t.Helper()
	id, ok := d.bySlug[slug]
	if !ok {
		t.Fatalf("the demo has no listing %q", slug)
	}
	return id
}

// setupTB lets testenv, which works for a test, set up what TestMain owns. Only
// the methods testenv calls are implemented; the embedded nil TB is never used.
type setupTB struct {
	testing.TB

	mu       sync.Mutex
	cleanups []func()
	msg      string
	skipped  bool
}

func (s *setupTB) Helper()      {}
func (s *setupTB) Name() string { return "searchtest-demo" }

func (s *setupTB) Cleanup(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cleanups = append(s.cleanups, f)
}

func (s *setupTB) Logf(format string, args ...any) {}

func (s *setupTB) Fatalf(format string, args ...any) {
	s.fail(fmt.Sprintf(format, args...), false)
	runtime.Goexit()
}

func (s *setupTB) Fatal(args ...any) {
	s.fail(fmt.Sprint(args...), false)
	runtime.Goexit()
}

func (s *setupTB) Skipf(format string, args ...any) {
	s.fail(fmt.Sprintf(format, args...), true)
	runtime.Goexit()
}

func (s *setupTB) Skip(args ...any) {
	s.fail(fmt.Sprint(args...), true)
	runtime.Goexit()
}

func (s *setupTB) fail(msg string, skipped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.msg == "" {
		s.msg, s.skipped = msg, skipped
	}
}

func (s *setupTB) outcome() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.msg, s.skipped
}

// cleanup runs the cleanups in reverse, as testing does.
func (s *setupTB) cleanup() {
	s.mu.Lock()
	fs := s.cleanups
	s.cleanups = nil
	s.mu.Unlock()
	for _, f := range slices.Backward(fs) {
		f()
	}
}
