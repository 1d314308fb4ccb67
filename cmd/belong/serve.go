package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/meilisearch/meilisearch-go"
	"github.com/redis/go-redis/v9"

	"github.com/belong-directory/belong/internal/cache"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/health"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/server"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/view"
	"github.com/belong-directory/belong/web"
)

func cmdServe(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	noWorker := fs.Bool("no-worker", false, "do not run the search indexer in this process")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *noWorker {
		cfg.Worker = false
	}
	st, err := openStore(ctx, cfg, store.StatementTimeout(cfg.StatementTimeout))
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CheckSchema(ctx); err != nil {
		return err
	}
	rdb, err := cache.Open(cfg.RedisURL.Reveal(), cfg.RedisTimeout, log)
	if err != nil {
		return err
	}
	defer rdb.Close()
	meili := search.NewClient(cfg.MeiliURL, cfg.MeiliMasterKey.Reveal(), cfg.SearchTimeout)
	defer meili.Close()

	monitor := health.NewMonitor(log, 2*time.Second,
		health.Postgres(st.Pool()),
		health.Check{Name: "redis", Ping: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }},
		health.Check{Name: "meilisearch", Ping: func(ctx context.Context) error { return search.Ping(ctx, meili) }},
	)
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		return err
	}
	renderer, err := view.New(catalogs, nil)
	if err != nil {
		return err
	}
	vocabulary, err := search.NewLiveVocabulary(ctx, st, log.With("component", "search"))
	if err != nil {
		return err
	}
	srv, err := server.New(server.Deps{Config: cfg, Log: log, Store: st, Health: monitor, View: renderer,
		Search: newSearchEngine(cfg, log, st, meili, rdb), Vocabulary: vocabulary})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}

	bg, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()
	go monitor.Watch(bg, 15*time.Second)
	go vocabulary.Watch(bg, time.Minute)
	stopIndexer := func() {}
	if cfg.Worker {
		if stopIndexer, err = startIndexer(bg, cfg, log, st); err != nil {
			return err
		}
	}
	defer stopIndexer() // safe twice; runs before the stores close

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "worker", cfg.Worker)

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		return err
	}
	// Shut down in order: stop taking requests, then background work, then clients
	// (deferred above, closed in reverse: Meilisearch, Redis, PostgreSQL).
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	stopIndexer()
	stopBackground()
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	log.Info("stopped")
	return nil
}

// newSearchEngine answers from Meilisearch, from PostgreSQL when Meilisearch fails
// or is over its deadline, and keeps Meilisearch's answers in Redis for
// SEARCH_CACHE_TTL.
func newSearchEngine(cfg config.Config, log *slog.Logger, st *store.Store, meili meilisearch.ServiceManager,
	rdb *redis.Client) search.Engine {
	th := directory.Thresholds{AgingAfter: cfg.AgingAfter, StaleAfter: cfg.StaleAfter}
	failover := &search.Failover{
		Primary:  search.NewSearcher(search.NewMeiliBackend(meili, cfg.MeiliIndex, cfg.SearchTimeout), th, time.Now),
		Fallback: search.NewSearcher(search.NewPostgresBackend(st), th, time.Now),
		// One failure opens the breaker: a dead Meilisearch then costs one fast
		// failure, not a timeout per request; the fallback means the same.
		Threshold: 1,
		Cooldown:  15 * time.Second,
		Log:       log.With("component", "search"),
		Now:       time.Now,
	}
	return cache.NewCachedEngine(failover, rdb, cache.SearchCacheOptions{TTL: cfg.CacheTTL,
		Timeout: cfg.RedisTimeout, Log: log.With("component", "search-cache")})
}
