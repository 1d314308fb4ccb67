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

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/cache"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
)

// newIndexer opens the Meilisearch and Redis clients and wires the indexer to
// them and to st; closeClients releases the clients.
func newIndexer(cfg config.Config, log *slog.Logger, st *store.Store) (ix *indexer.Indexer, closeClients func(), err error) {
	rdb, err := cache.Open(cfg.RedisURL.Reveal(), cfg.RedisTimeout, log)
	if err != nil {
		return nil, nil, err
	}
	// The client's own deadline is the longest call the indexer makes, a task
	// lookup; the index bounds every other request by SEARCH_TIMEOUT itself.
	meili := search.NewClient(cfg.MeiliURL, cfg.MeiliMasterKey.Reveal(), cfg.MeiliTaskTimeout)
	closeClients = func() {
		meili.Close()
		_ = rdb.Close()
	}
	ix, err = app.NewIndexer(cfg, log, app.Clients{Store: st, Redis: rdb, Meili: meili})
	if err != nil {
		closeClients()
		return nil, nil, err
	}
	return ix, closeClients, nil
}

// openForIndexing opens the store, checks its schema and wires the indexer; close
// releases both.
func openForIndexing(ctx context.Context, cfg config.Config, log *slog.Logger) (*indexer.Indexer, func(), error) {
	st, err := openMigrated(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	ix, closeClients, err := newIndexer(cfg, log, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return ix, func() { closeClients(); st.Close() }, nil
}

// cmdWorker runs the background work (the search indexer, the mail sender,
// freshness reminders and feed sync) until SIGINT or SIGTERM.
func cmdWorker(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, _ io.Writer) error {
	if err := parseFlags(flag.NewFlagSet("worker", flag.ContinueOnError), args); err != nil {
		return err
	}
	tuneGC()
	ix, closeAll, err := openForIndexing(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeAll()
	log.Info("indexing", "index", cfg.MeiliIndex, "batch", cfg.WorkerBatch, "drains", cfg.WorkerDrains, "poll", cfg.WorkerPoll.String())
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	sender, err := app.NewMailSender(cfg, log, st)
	if err != nil {
		return err
	}
	reminders, err := app.NewReminders(cfg, log, st)
	if err != nil {
		return err
	}
	feedSync := app.NewFeeds(log, st)
	expiry, err := app.NewReferralExpiry(cfg, log, st)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Go(func() { sender.Run(ctx) })
	wg.Go(func() { reminders.Run(ctx, time.Hour, time.Now) })
	wg.Go(func() { feedSync.RunSync(ctx, app.FeedSyncEvery) })
	wg.Go(func() { expiry.RunExpiry(ctx, time.Hour) })
	defer wg.Wait()
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
	sender, err := app.NewMailSender(cfg, log, st)
	if err != nil {
		closeClients()
		return nil, err
	}
	reminders, err := app.NewReminders(cfg, log, st)
	if err != nil {
		closeClients()
		return nil, err
	}
	feedSync := app.NewFeeds(log, st)
	expiry, err := app.NewReferralExpiry(cfg, log, st)
	if err != nil {
		closeClients()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		wg.Go(func() { sender.Run(runCtx) })
		wg.Go(func() { reminders.Run(runCtx, time.Hour, time.Now) })
		wg.Go(func() { feedSync.RunSync(runCtx, app.FeedSyncEvery) })
		wg.Go(func() { expiry.RunExpiry(runCtx, time.Hour) })
		defer wg.Wait()
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
	for _, sink := range r.Sinks {
		if sink.Err != nil {
			return fmt.Errorf("%s could not be compared with PostgreSQL (see above)", sink.Name)
		}
	}
	if !r.Clean() {
		return errors.New("search differs from PostgreSQL")
	}
	return nil
}
