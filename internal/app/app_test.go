package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// TestChangesReachACachedSearchThroughTheRealWiring builds the server and the
// indexer exactly as serve does, with the search cache on for an hour: a change
// saved through the directory service must show in the next search as soon as
// the indexer has applied it. Without the indexer's hook that tells the cache,
// the cached answer would come back for an hour and this test fails.
func TestChangesReachACachedSearchThroughTheRealWiring(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	client, uid := testenv.Meili(t)
	rdb, prefix := testenv.Redis(t)
	cfg, err := config.LoadFrom(map[string]string{"MEILI_INDEX": uid, "SEARCH_CACHE_TTL": "1h",
		"SEARCH_CACHE_PREFIX": prefix})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	clients := app.Clients{Store: st, Redis: rdb, Meili: client}
	ix, err := app.NewIndexer(cfg, log, clients)
	if err != nil {
		t.Fatal(err)
	}
	drain := func() {
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
	group := testenv.WeeklyGroup("wired-circle")
	if err := st.InTx(t.Context(), func(tx *store.Tx) error {
		_, err := tx.SaveListing(t.Context(), group, "test")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	drain()
	w, err := app.NewWeb(t.Context(), cfg, log, clients, app.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	freeGroups := func() string {
		t.Helper()
		rec := httptest.NewRecorder()
		w.Server.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/listings?need=cost.free", nil))
		var body struct {
			Engine string `json:"engine"`
			Hits   []struct {
				Slug string `json:"slug"`
			} `json:"hits"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("search: %d %s", rec.Code, rec.Body)
		}
		if body.Engine != "meilisearch" {
			t.Fatalf("answered by %s", body.Engine)
		}
		var slugs []string
		for _, h := range body.Hits {
			slugs = append(slugs, h.Slug)
		}
		return strings.Join(slugs, ",")
	}
	if got := freeGroups(); got != "" {
		t.Fatalf("before the change: %q", got)
	}
	keys, err := rdb.Keys(t.Context(), prefix+":*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("the search was not cached under the configured prefix: %v %v", keys, err)
	}

	group.Tags = append(group.Tags, testenv.WeeklyGroup("x", "cost.free").Tags...)
	if err := w.Directory.Save(t.Context(), group, "test"); err != nil {
		t.Fatal(err)
	}
	drain()
	if got := freeGroups(); got != "wired-circle" {
		t.Fatalf("after the indexer applied the change the search still says %q", got)
	}

	// And through a running indexer, woken by the commit.
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- ix.Run(ctx) }()
	defer func() { cancel(); <-done }()
	group.Tags = nil
	if err := w.Directory.Save(t.Context(), group, "test"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for freeGroups() != "" {
		if time.Now().After(deadline) {
			t.Fatal("the running indexer's change never reached the cached search")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
