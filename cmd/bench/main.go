// Command bench measures belong at the scale of a large directory and prints one
// table: search throughput and latency through the real API (cache off and on),
// the same searches sent straight to Meilisearch (the ceiling), the PostgreSQL
// fallback, index freshness after a change, and the bulk load of synthetic
// listings. It works on a database and a Meilisearch index of its own, both named
// belong_bench, which it recreates at the start and leaves behind for inspection.
//
//	go run ./cmd/bench                                  # the full run, 100,000 listings
//	go run ./cmd/bench -listings 5000 -duration 3s      # a quick smoke run
//
// Benchmarks here are programs that print tables, not timed assertions.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// options are the command-line settings of one run.
type options struct {
	listings    int
	seed        int64
	queries     int
	mixSeed     uint64
	concurrency int
	rate        float64
	duration    time.Duration
	maxRequests int
	changes     int
	workerBatch int
	adminURL    string
	redisURL    string
	name        string
	out         string
	bin         string
	only        map[string]bool // scenarios to run; nil for all
	reuse       bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.listings, "listings", 100_000, "synthetic listings to load")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the synthetic listings")
	fs.IntVar(&o.queries, "queries", 200, "distinct searches in the query mix")
	fs.Uint64Var(&o.mixSeed, "mix-seed", 1, "seed of the query mix")
	fs.IntVar(&o.concurrency, "concurrency", 8, "requests in flight at once in every search scenario")
	fs.Float64Var(&o.rate, "rate", 50, "requests per second of the open-loop run of the API with the cache off (0: none)")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "measured time of every search scenario, after its warm-up")
	fs.IntVar(&o.maxRequests, "max-requests", 200_000, "most requests one search scenario sends")
	fs.IntVar(&o.changes, "changes", 200, "listing changes timed for index freshness")
	fs.IntVar(&o.workerBatch, "worker-batch", 0, "WORKER_BATCH of the indexer (0: the product's default)")
	fs.StringVar(&o.adminURL, "postgres", "postgres://belong:belong@127.0.0.1:5432/postgres?sslmode=disable",
		"PostgreSQL server URL the bench database is created through")
	fs.StringVar(&o.redisURL, "redis-url", "redis://127.0.0.1:6379/13",
		"Redis for the search cache; a logical database of its own, so no other process's indexer bumps its generation")
	fs.StringVar(&o.name, "name", "belong_bench", "name of the bench database and Meilisearch index")
	fs.StringVar(&o.out, "out", "", "also write the report to this Markdown file (make bench: docs/BENCHMARKS.md)")
	fs.StringVar(&o.bin, "belong", "", "a built belong binary to run (default: go build ./cmd/belong)")
	only := fs.String("only", "", "run only these scenarios, comma-separated: "+strings.Join(scenarioKeys, ","))
	fs.BoolVar(&o.reuse, "reuse", false, "keep the database and index of an earlier run with the same -listings and -seed, and skip the bulk load")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.listings < 100:
		return o, errors.New("-listings must be at least 100")
	case o.queries < 1, o.concurrency < 1, o.maxRequests < 1, o.changes < 1:
		return o, errors.New("-queries, -concurrency, -max-requests and -changes must be positive")
	case o.rate < 0:
		return o, errors.New("-rate must not be negative")
	case o.duration < time.Second:
		return o, errors.New("-duration must be at least 1s")
	}
	if *only != "" {
		o.only = map[string]bool{}
		for _, k := range strings.Split(*only, ",") {
			if !slices.Contains(scenarioKeys, k) {
				return o, fmt.Errorf("-only: no scenario %q; choose from %s", k, strings.Join(scenarioKeys, ","))
			}
			o.only[k] = true
		}
	}
	return o, nil
}

// wants reports whether the run includes scenario key.
func (o options) wants(key string) bool { return o.only == nil || o.only[key] }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	say := func(format string, a ...any) {
		fmt.Fprintf(stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}
	work, err := os.MkdirTemp("", "belong-bench-")
	if err != nil {
		return err
	}
	say("logs of the belong processes go to %s", work)
	if o.bin == "" {
		o.bin = filepath.Join(work, "belong")
		say("building belong")
		if err := buildBelong(ctx, o.bin); err != nil {
			return err
		}
		// The logs stay for inspection; the binary is only this run's.
		defer os.Remove(o.bin)
	}
	b, err := newBench(ctx, o, work, say)
	if err != nil {
		return err
	}
	defer b.close()
	rep, err := b.runAll(ctx)
	if err != nil {
		return err
	}
	text := rep.markdown()
	fmt.Fprintln(stdout, rep.table())
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
			return err
		}
		say("wrote %s", o.out)
	}
	return nil
}
