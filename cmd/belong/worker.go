package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/belong-directory/belong/internal/cache"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/web"
)

// newIndexer wires the indexer to PostgreSQL, Meilisearch and the search cache in
// Redis. Nothing here talks to Meilisearch or Redis yet, so an unreachable one
// does not stop a start: the indexer logs it and keeps retrying. closeClients
// releases the Meilisearch and Redis clients.
func newIndexer(cfg config.Config, log *slog.Logger, st *store.Store) (ix *indexer.Indexer, closeClients func(), err error) {
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		return nil, nil, err
	}
	rdb, err := cache.Open(cfg.RedisURL.Reveal(), cfg.RedisTimeout, log)
	if err != nil {
		return nil, nil, err
	}
	log = log.With("component", "indexer")
	generation := cache.NewSearchGeneration(rdb, cache.SearchPrefix)
	meili := search.NewClient(cfg.MeiliURL, cfg.MeiliMasterKey.Reveal(), cfg.SearchTimeout)
	ix = indexer.New(indexer.Deps{
		Listings: st,
		Taxonomy: st,
		Outbox:   st,
		Listen:   indexer.ListenWith(st.ListenOutbox),
		Fallback: indexer.Fallback(st),
		Index:    search.NewIndex(meili, cfg.MeiliIndex, cfg.SearchTimeout),
		OnApplied: func(ctx context.Context) {
			// With Redis down the cache is bypassed, so nothing stale is served.
			if err := generation.BumpGeneration(ctx); err != nil {
				log.Debug("search cache not told of the change", "error", err.Error())
			}
		},
		Log: log,
	}, indexer.Config{Batch: cfg.WorkerBatch, Drains: cfg.WorkerDrains, Poll: cfg.WorkerPoll, UILangs: catalogs.Languages()})
	return ix, func() {
		meili.Close()
		_ = rdb.Close()
	}, nil
}

// openForIndexing opens the store, checks its schema and wires the indexer; close
// releases both.
func openForIndexing(ctx context.Context, cfg config.Config, log *slog.Logger) (*indexer.Indexer, func(), error) {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := st.CheckSchema(ctx); err != nil {
		st.Close()
		return nil, nil, err
	}
	ix, closeClients, err := newIndexer(cfg, log, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return ix, func() { closeClients(); st.Close() }, nil
}

// cmdWorker runs only the search indexer, until SIGINT or SIGTERM.
func cmdWorker(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, _ io.Writer) error {
	if err := parseFlags(flag.NewFlagSet("worker", flag.ContinueOnError), args); err != nil {
		return err
	}
	ix, closeAll, err := openForIndexing(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeAll()
	log.Info("indexing", "index", cfg.MeiliIndex, "batch", cfg.WorkerBatch, "drains", cfg.WorkerDrains, "poll", cfg.WorkerPoll.String())
	if err := ix.Run(ctx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// startIndexer runs the indexer in the background of serve until ctx ends or stop
// is called. stop lets a batch under way finish, waits for the indexer to end and
// releases its clients; calling it again does nothing.
func startIndexer(ctx context.Context, cfg config.Config, log *slog.Logger, st *store.Store) (stop func(), err error) {
	ix, closeClients, err := newIndexer(cfg, log, st)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := ix.Run(runCtx); err != nil {
			log.Error("indexer stopped", "error", err.Error())
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-done
			closeClients()
		})
	}, nil
}

// cmdReindex rebuilds the Meilisearch index and the search fallback from
// PostgreSQL. The counts are printed even when Meilisearch fails, because the
// fallback has been rebuilt all the same.
func cmdReindex(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if err := parseFlags(flag.NewFlagSet("reindex", flag.ContinueOnError), args); err != nil {
		return err
	}
	ix, closeAll, err := openForIndexing(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeAll()
	r, err := ix.Reindex(ctx)
	if r.Listings > 0 || err == nil {
		fmt.Fprintf(out, "read %d listings: %d searchable, %d removed from the fallback, %d queued again; took %s\n",
			r.Listings, r.Indexed, r.Removed, r.Requeued, r.Took.Round(time.Millisecond))
	}
	return err
}

// cmdSearch runs search maintenance; "check" lists where the fallback or the
// Meilisearch index differ from PostgreSQL and fails when they do.
func cmdSearch(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) != 1 || args[0] != "check" {
		return fmt.Errorf("%w: search takes one subcommand: check", errUsage)
	}
	ix, closeAll, err := openForIndexing(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeAll()
	r, err := ix.Check(ctx)
	if err != nil {
		return err
	}
	fmt.Fprint(out, r)
	if !r.Clean() {
		return errors.New("search differs from PostgreSQL")
	}
	return nil
}
