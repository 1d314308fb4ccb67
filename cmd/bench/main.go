// Command bench measures belong at the scale of a large directory and prints one
// table: search throughput and latency through the real API (cache off and on),
// the same searches sent straight to Meilisearch (the ceiling), the PostgreSQL
// fallback, index freshness after a change, and the bulk load of synthetic
// listings. It works on a database and a Meilisearch index of its own, both named
// belong_bench, which it recreates at the start and leaves behind for inspection.
//
//	go run ./cmd/bench                                  # the full run: scales of 10,000, 30,000 and 100,000 listings
//	BENCH_SCALES=10000 go run ./cmd/bench               # one scale only, every scenario at 10,000
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
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command-line settings of one run.
type options struct {
	listings    int   // at the scale being run: the last of scales for the full run
	scales      []int // listings of each scale, ascending; every scenario runs at the last
	meiliData   string
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
	var err error
	if len(os.Args) == 4 && os.Args[1] == forwardArg {
		err = forward(ctx, os.Args[2], os.Args[3])
	} else {
		err = run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
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
	fs.IntVar(&o.listings, "listings", 0, "synthetic listings to load, one scale only (overrides -scales)")
	scales := fs.String("scales", cmpOr(os.Getenv("BENCH_SCALES"), defaultScales),
		"listings at each scale, comma-separated (default $BENCH_SCALES or "+defaultScales+"): the scaling table "+
			"measures each; every scenario runs at the largest")
	fs.StringVar(&o.meiliData, "meili-data", defaultMeiliData(),
		"Meilisearch's data directory, to measure the index's size on disk (empty: not measured)")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the synthetic listings")
	fs.IntVar(&o.queries, "queries", 200, "distinct searches in the query mix")
	fs.Uint64Var(&o.mixSeed, "mix-seed", 1, "seed of the query mix")
	fs.IntVar(&o.concurrency, "concurrency", 8, "requests in flight at once in every search scenario")
	fs.Float64Var(&o.rate, "rate", 0, "requests per second of the open-loop runs of Meilisearch direct and the API with the cache off "+
		"(0: half of what Meilisearch direct answered at the bench's concurrency; negative: no open-loop run)")
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
	if o.listings > 0 {
		o.scales = []int{o.listings}
	} else {
		for _, f := range strings.Split(*scales, ",") {
			n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(f), "_", ""))
			if err != nil || n < 100 {
				return o, fmt.Errorf("-scales: %q is not a number of listings of at least 100", f)
			}
			o.scales = append(o.scales, n)
		}
		slices.Sort(o.scales)
		o.scales = slices.Compact(o.scales)
		o.listings = o.scales[len(o.scales)-1]
		if o.reuse {
			// An earlier run left one database and index: the largest scale's.
			o.scales = o.scales[len(o.scales)-1:]
		}
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.listings < 100:
		return o, errors.New("-listings must be at least 100")
	case o.queries < 1, o.concurrency < 1, o.maxRequests < 1, o.changes < 1:
		return o, errors.New("-queries, -concurrency, -max-requests and -changes must be positive")
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

// defaultScales are the scaling table's sizes: make bench stays under 20
// minutes with them on a 2-core machine.
const defaultScales = "10000,30000,100000"

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// defaultMeiliData is where scripts/services.sh keeps Meilisearch's data.
func defaultMeiliData() string {
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "belong", "meilisearch-1.21.0", "meili-data")
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
