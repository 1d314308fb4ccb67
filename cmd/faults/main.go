// Command faults puts belong under steady search load and a stream of listing
// writes while it breaks what belong depends on, one thing at a time, and prints
// one table: per phase the requests, the answers that were not 2xx by status,
// whether 503s said when to retry, latency, how long recovery took, and at the
// end how many of its writes were lost, by comparing the content it wrote with
// what PostgreSQL, search_documents and Meilisearch hold.
//
// It runs on its own PostgreSQL, Redis and Meilisearch, started on free
// loopback ports inside -work, so it disturbs no other service on the machine.
// scripts/faults.sh (make faults) makes -work, builds the binaries, runs this
// and removes everything afterwards, whatever happened.
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
	"strings"
	"syscall"
	"time"
)

// options are the command-line settings of one run.
type options struct {
	work      string
	belong    string
	pgBin     string
	meiliBin  string
	redisBin  string
	listings  int
	seed      int64
	tracked   int
	rate      float64
	writeRate float64
	overload  int
	baseline  time.Duration
	down      time.Duration
	recovery  time.Duration
	settle    time.Duration
	deadline  time.Duration
	commit    string
	out       string
	only      map[string]bool // phase keys to run; empty: every phase
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "faults: %v\n", err)
		os.Exit(1)
	}
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("faults", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.work, "work", "", "an empty directory of this run's own: data, logs and sockets of every process (required)")
	fs.StringVar(&o.belong, "belong", "", "the belong binary (required)")
	fs.StringVar(&o.pgBin, "pg-bin", "", "directory holding PostgreSQL's initdb and pg_ctl (required)")
	fs.StringVar(&o.meiliBin, "meili-bin", "", "the Meilisearch binary (required)")
	fs.StringVar(&o.redisBin, "redis-bin", "redis-server", "the redis-server binary")
	fs.IntVar(&o.listings, "listings", 3000, "synthetic listings to seed")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the synthetic listings, the query mix and the writes")
	fs.IntVar(&o.tracked, "tracked", 300, "listings the writer updates over and over")
	fs.Float64Var(&o.rate, "rate", 30, "steady search requests per second, half API, half HTML page")
	fs.Float64Var(&o.writeRate, "write-rate", 8, "listing updates per second")
	fs.IntVar(&o.overload, "overload", 200, "concurrent connections of the overload phase")
	fs.DurationVar(&o.baseline, "baseline", 20*time.Second, "length of the baseline and overload phases")
	fs.DurationVar(&o.down, "down", 10*time.Second, "how long each service stays broken")
	fs.DurationVar(&o.recovery, "recovery", 25*time.Second, "longest wait for recovery after a service answers again")
	fs.DurationVar(&o.settle, "settle", 60*time.Second, "longest wait for the indexer to catch up before the final comparison")
	fs.DurationVar(&o.deadline, "deadline", 7*time.Minute, "the whole run stops after this, whatever it is doing")
	fs.StringVar(&o.commit, "commit", "unknown", "the commit measured, for the report")
	fs.StringVar(&o.out, "out", "", "also write the report to this Markdown file (make faults: docs/FAULTS.md)")
	phases := fs.String("phases", "", "comma-separated phase keys to run, e.g. baseline,overload (default: every phase)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.work == "" || o.belong == "" || o.pgBin == "" || o.meiliBin == "":
		return o, errors.New("-work, -belong, -pg-bin and -meili-bin are required (scripts/faults.sh sets them)")
	case o.listings < 100 || o.tracked < 1 || o.tracked > o.listings/2:
		return o, errors.New("-listings must be at least 100 and -tracked between 1 and half of it")
	case o.rate <= 0 || o.writeRate <= 0 || o.overload < 1:
		return o, errors.New("-rate, -write-rate and -overload must be positive")
	case o.baseline < 5*time.Second || o.down < time.Second || o.recovery < 5*time.Second:
		return o, errors.New("-baseline must be at least 5s, -down 1s and -recovery 5s")
	}
	if *phases != "" {
		o.only = map[string]bool{}
		for _, k := range strings.Split(*phases, ",") {
			o.only[strings.TrimSpace(k)] = true
		}
	}
	var err error
	for _, p := range []*string{&o.work, &o.belong} {
		if *p, err = filepath.Abs(*p); err != nil {
			return o, err
		}
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.deadline)
	defer cancel()
	say := func(format string, a ...any) {
		fmt.Fprintf(stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}
	started, loadBefore := time.Now(), hostLoad()
	c, err := startCluster(ctx, o, say)
	if c != nil {
		defer c.close()
	}
	if err != nil {
		return err
	}
	rep, err := c.runAll(ctx)
	if err != nil {
		return err
	}
	rep.started, rep.finished = started, time.Now()
	rep.loadBefore, rep.loadAfter = loadBefore, hostLoad()
	fmt.Fprintln(stdout, rep.table())
	fmt.Fprintln(stdout, rep.targetsTable())
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(rep.markdown()), 0o644); err != nil {
			return err
		}
		say("wrote %s", o.out)
	}
	return nil
}
