package server

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// testConfig is the configuration every test server runs with.
func testConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.LoadFrom(map[string]string{"BASE_URL": "https://belong.example/"})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// thresholds are the freshness thresholds the configuration gives the engines.
func thresholds(t *testing.T) directory.Thresholds {
	t.Helper()
	cfg := testConfig(t)
	return directory.Thresholds{AgingAfter: cfg.AgingAfter, StaleAfter: cfg.StaleAfter}
}

// postgresEngine is the search fallback as serve builds it: the PostgreSQL
// searcher answering from st's search_documents.
func postgresEngine(t *testing.T, st *store.Store) *search.Searcher {
	t.Helper()
	return search.NewSearcher(search.NewPostgresBackend(st), thresholds(t), time.Now)
}

// meiliEngine is the primary engine as serve builds it: the Meilisearch searcher
// on the index uid.
func meiliEngine(t *testing.T, client meilisearch.ServiceManager, uid string) *search.Searcher {
	t.Helper()
	return search.NewSearcher(search.NewMeiliBackend(client, uid, testConfig(t).SearchTimeout), thresholds(t), time.Now)
}

// indexListings saves listings with the store, with their outbox rows as the
// product does, and runs the outbox through the real indexer: their documents
// are then in st's search_documents and in a Meilisearch index of the test's own,
// whose client and uid it returns.
func indexListings(t *testing.T, st *store.Store, listings ...*directory.Listing) (meilisearch.ServiceManager, string) {
	t.Helper()
	client, uid := testenv.Meili(t)
	ix := indexer.New(indexer.Deps{
		Listings: st, Taxonomy: st, Outbox: st,
		Listen:   indexer.ListenWith(st.ListenOutbox),
		Fallback: indexer.Fallback(st),
		Index:    search.NewIndex(client, uid, 10*time.Second),
	}, indexer.Config{Poll: time.Minute})
	for _, l := range listings {
		saveInStore(t, st, l)
	}
	for {
		n, err := st.ProcessOutbox(context.Background(), 100, indexer.DefaultLease, ix.Apply)
		if err != nil {
			t.Fatalf("process outbox: %v", err)
		}
		if n == 0 {
			return client, uid
		}
	}
}

// recordingEngine forwards every search to a real engine, which answers it, and
// remembers the queries it was asked, so a test can see what a handler built
// from the query string.
type recordingEngine struct {
	search.Engine

	mu      sync.Mutex
	queries []search.Query
}

func recording(e search.Engine) *recordingEngine { return &recordingEngine{Engine: e} }

func (e *recordingEngine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	e.mu.Lock()
	e.queries = append(e.queries, q)
	e.mu.Unlock()
	return e.Engine.Search(ctx, q)
}

func (e *recordingEngine) asked() []search.Query {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]search.Query(nil), e.queries...)
}

// closedPort is a local address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// closedStore is a second store on st's database, already closed: every call on
// it fails.
func closedStore(t *testing.T, st *store.Store) *store.Store {
	t.Helper()
	closed, err := store.Open(context.Background(), st.Pool().Config().ConnString(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	return closed
}
