package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/cache"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
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
	tuneGC()
	st, err := openMigrated(ctx, cfg, store.StatementTimeout(cfg.StatementTimeout))
	if err != nil {
		return err
	}
	defer st.Close()
	rdb, err := cache.Open(cfg.RedisURL.Reveal(), cfg.RedisTimeout, log)
	if err != nil {
		return err
	}
	defer rdb.Close()
	meili := search.NewClient(cfg.MeiliURL, cfg.MeiliMasterKey.Reveal(), cfg.SearchTimeout)
	defer meili.Close()

	clients := app.Clients{Store: st, Redis: rdb, Meili: meili}
	w, err := app.NewWeb(ctx, cfg, log, clients, app.ServerOptions{})
	if err != nil {
		return err
	}
	srv := w.Server
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}

	bg, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()
	waitBackground := w.RunBackground(bg)
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
	waitBackground() // the last unmet-needs counts, before PostgreSQL closes
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	log.Info("stopped")
	return nil
}
