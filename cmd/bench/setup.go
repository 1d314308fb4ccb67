package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/harness"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
)

// bench holds what every scenario shares: the configuration the belong
// processes run with, the store on the bench database and a client for
// Meilisearch's own API.
type bench struct {
	o     options
	work  string
	say   func(string, ...any)
	cfg   config.Config
	env   map[string]string // the bench's variables, on top of the process environment
	st    *store.Store
	meili *harness.Meili
	procs []*harness.Proc
}

func newBench(ctx context.Context, o options, work string, say func(string, ...any)) (*bench, error) {
	dbURL, err := databaseURL(o.adminURL, o.name)
	if err != nil {
		return nil, err
	}
	env := map[string]string{
		"DATABASE_URL": dbURL,
		"REDIS_URL":    o.redisURL,
		"MEILI_INDEX":  o.name,
		"LOG_LEVEL":    "info",
		"WORKER":       "false",
	}
	if o.workerBatch > 0 {
		env["WORKER_BATCH"] = strconv.Itoa(o.workerBatch)
	}
	// The bench's own configuration is what the belong processes will read:
	// the process environment (MEILI_URL, MEILI_MASTER_KEY, timeouts…) with the
	// bench's variables on top.
	cfg, err := config.LoadFrom(harness.MergedEnv(env))
	if err != nil {
		return nil, err
	}
	b := &bench{o: o, work: work, say: say, cfg: cfg, env: env,
		meili: &harness.Meili{URL: cfg.MeiliURL, Key: cfg.MeiliMasterKey.Reveal(),
			HTTP: &http.Client{Timeout: 30 * time.Second}}}
	if err := b.reset(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// reset recreates the bench database empty and migrated, and deletes the bench's
// Meilisearch indexes; with -reuse it only opens the database an earlier run left.
func (b *bench) reset(ctx context.Context) error {
	if b.st != nil {
		b.st.Close()
		b.st = nil
	}
	if !b.o.reuse {
		b.say("recreating database %s and Meilisearch index %s", b.o.name, b.o.name)
		if err := recreateDatabase(ctx, b.o.adminURL, b.o.name); err != nil {
			return err
		}
		for _, uid := range []string{b.o.name, b.o.name + "_next", b.o.name + aloneSuffix} {
			if err := b.meili.DeleteIndex(ctx, uid); err != nil {
				return err
			}
		}
	}
	dbURL, err := databaseURL(b.o.adminURL, b.o.name)
	if err != nil {
		return err
	}
	if b.st, err = store.Open(ctx, dbURL, b.cfg.DatabaseTimeout); err != nil {
		return err
	}
	_, err = b.st.MigrateUp(ctx)
	return err
}

// close stops every belong process still running and closes the store.
func (b *bench) close() {
	for _, p := range b.procs {
		p.Stop(stopGrace)
	}
	if b.st != nil {
		b.st.Close()
	}
}

func (b *bench) thresholds() directory.Thresholds {
	return directory.Thresholds{AgingAfter: b.cfg.AgingAfter, StaleAfter: b.cfg.StaleAfter}
}

// searcher is the product's search code on backend, as serve wires it
// (app.SearchEngine): offering words spelt like those of a text that found
// nothing, which asks Meilisearch one more query for each.
func (b *bench) searcher(backend search.Backend) *search.Searcher {
	return search.NewSearcher(backend, b.thresholds(), time.Now).SuggestFrom(b.st)
}

func databaseURL(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil || u.Host == "" {
		return "", errors.New("-postgres is not a PostgreSQL URL")
	}
	u.Path = "/" + name
	return u.String(), nil
}

// recreateDatabase drops the bench database, closing anything connected to it,
// and creates it empty.
func recreateDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL (is it running? scripts/services.sh starts it): %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// buildBelong compiles the product binary the scenarios run.
func buildBelong(ctx context.Context, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/belong")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/belong (run the bench from the repository root): %w", err)
	}
	return nil
}

// start runs belong with args and the bench environment plus extra, its output
// in a log file, and waits until ready reports true.
func (b *bench) start(ctx context.Context, name string, args []string, extra map[string]string,
	ready func() bool) (*harness.Proc, error) {
	p, err := harness.Start(harness.Spec{Name: "belong " + name, Bin: b.o.bin, Args: args,
		Env: harness.EnvList(harness.MergedEnv(b.env, extra)), Log: filepath.Join(b.work, name+".log")})
	if err != nil {
		return nil, err
	}
	b.procs = append(b.procs, p)
	if err := p.WaitReady(ctx, time.Minute, ready); err != nil {
		p.Stop(stopGrace)
		return nil, err
	}
	return p, nil
}

// stopGrace is how long a belong process may take to shut down before it is killed.
const stopGrace = 30 * time.Second

// busy is how long Meilisearch spent processing the tasks' batches, each batch
// counted once.
func busy(tasks []harness.MeiliTask) (time.Duration, int) {
	seen := map[int64]bool{}
	var total time.Duration
	for _, t := range tasks {
		if seen[t.BatchUID] {
			continue
		}
		seen[t.BatchUID] = true
		total += t.FinishedAt.Sub(t.StartedAt)
	}
	return total, len(seen)
}
