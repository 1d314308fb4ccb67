package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/feeds"
	"github.com/belong-directory/belong/internal/interop"
)

// cmdImport takes listings in from outside: `import meeting-guide FILE-or-URL`
// (a Meeting Guide feed, kept in step on each run), `import csv FILE` (a
// spreadsheet, one listing per row) or `import hsds FILE-or-DIR` (an HSDS 3.0
// dataset).
func cmdImport(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "meeting-guide":
			return cmdImportMeetingGuide(ctx, cfg, log, args[1:], out)
		case "csv", "hsds":
			return cmdImportFile(ctx, cfg, log, args[0], args[1:], out)
		}
	}
	return fmt.Errorf("%w: import takes meeting-guide FILE-or-URL, csv FILE or hsds FILE-or-DIR", errUsage)
}

// cmdImportFile checks a CSV or HSDS file first and writes nothing unless every
// listing is right; then it saves them all in one transaction. --dry-run only
// checks.
func cmdImportFile(ctx context.Context, cfg config.Config, log *slog.Logger, format string, rest []string, out io.Writer) error {
	fs := flag.NewFlagSet("import "+format, flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "check the file and report, writing nothing")
	path, err := parseWithSource(fs, rest)
	if err != nil {
		return err
	}
	if path == "" {
		return fmt.Errorf("%w: import %s needs a file to read", errUsage, format)
	}
	st, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	dir, err := openDirectory(ctx, cfg, log, st)
	if err != nil {
		return err
	}
	im := interop.NewImporter(dir, st, time.Now)
	var plan interop.Plan
	if format == "csv" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		plan, err = im.CheckCSV(ctx, f)
		if err != nil {
			return err
		}
	} else {
		plan, err = im.CheckHSDS(ctx, path)
		if err != nil {
			return err
		}
	}
	return reportImport(ctx, im, plan, *dryRun, out)
}

// reportImport prints what the import would do or did, every problem and
// every note, and applies the plan unless it is a dry run or has problems.
func reportImport(ctx context.Context, im *interop.Importer, plan interop.Plan, dryRun bool, out io.Writer) error {
	for _, n := range plan.Notes {
		fmt.Fprintf(out, "note: %s\n", n)
	}
	for _, p := range plan.Problems {
		fmt.Fprintf(out, "problem: %s\n", p)
	}
	if len(plan.Problems) > 0 {
		return fmt.Errorf("%d problems; nothing was imported", len(plan.Problems))
	}
	added, updated := 0, 0
	for _, l := range plan.Listings {
		verb := "add"
		if l.Update {
			verb, updated = "update", updated+1
		} else {
			added++
		}
		fmt.Fprintf(out, "%-6s %s (%s)\n", verb, l.Slug, l.Name)
	}
	if dryRun {
		fmt.Fprintf(out, "dry run: would add %d and update %d listings; nothing was written\n", added, updated)
		return nil
	}
	if _, err := im.Apply(ctx, plan, "import"); err != nil {
		return err
	}
	fmt.Fprintf(out, "imported: added %d and updated %d listings; the worker brings them into search\n", added, updated)
	return nil
}

func cmdImportMeetingGuide(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("import meeting-guide", flag.ContinueOnError)
	var o feeds.Subscription
	fs.StringVar(&o.Name, "name", "", "the feed's name (default: the file name or the URL's host)")
	fs.StringVar(&o.DefaultTimeZone, "timezone", "", "time zone of meetings that do not name one (IANA, e.g. America/Chicago)")
	fs.StringVar(&o.DefaultCountry, "country", "", "country of addresses that do not name one (two letters, e.g. US)")
	fs.DurationVar(&o.Grace, "grace", feeds.DefaultGrace, "how long a meeting gone from the feed stays before its listing is archived")
	fs.BoolVar(&o.AllowPrivate, "allow-private", false, "let the URL be a private or loopback address")
	confirm := fs.Bool("confirm-drop", false, "apply the run even if the feed lost 90% or more of its meetings")
	source, err := parseWithSource(fs, args)
	if err != nil {
		return err
	}
	if source == "" {
		return fmt.Errorf("%w: import meeting-guide needs a file or an https URL", errUsage)
	}
	st, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := feeds.NewService(st, nil, time.Now, log.With("component", "feeds"))
	feed, run, err := svc.ImportOnce(ctx, source, o, *confirm)
	if run.ID != 0 {
		printRun(out, feed, run)
	}
	if errors.Is(err, feeds.ErrHeld) {
		return fmt.Errorf("%s (run again with --confirm-drop to apply it)", run.Message)
	}
	return err
}

// printRun writes a run's counts and its per-item report.
func printRun(out io.Writer, feed directory.Feed, run directory.FeedRun) {
	fmt.Fprintf(out, "feed %s (%s): %s, %d meetings\n", feed.Name, feed.URL, run.Outcome, run.Meetings)
	fmt.Fprintf(out, "  %d added, %d updated, %d unchanged, %d gone from the feed, %d archived, %d skipped\n",
		run.Added, run.Updated, run.Unchanged, run.Missing, run.Archived, run.Skipped)
	if run.Outcome != directory.RunApplied && run.Message != "" {
		fmt.Fprintf(out, "  %s\n", run.Message)
	}
	for _, p := range run.Report.Problems {
		what := "note"
		if p.Skipped {
			what = "skipped"
		}
		field := ""
		if p.Field != "" {
			field = " " + p.Field
		}
		fmt.Fprintf(out, "  item %d %q (%s) %s:%s %s\n", p.Item, p.Name, p.ID, what, field, p.Message)
	}
	if len(run.Report.KeptTypes) > 0 {
		codes := make([]string, 0, len(run.Report.KeptTypes))
		for c := range run.Report.KeptTypes {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		fmt.Fprint(out, "  type codes kept with the listings but not modelled:")
		for _, c := range codes {
			fmt.Fprintf(out, " %s×%d", c, run.Report.KeptTypes[c])
		}
		fmt.Fprintln(out)
	}
}

// parseWithSource parses a command's flags and its one other argument, the
// file or URL to read, which may come before or after them.
func parseWithSource(fs *flag.FlagSet, args []string) (string, error) {
	var source string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		source, args = args[0], args[1:]
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return "", fmt.Errorf("%w: %v", errUsage, err)
	}
	if source == "" && fs.NArg() == 1 {
		source = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return "", fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return source, nil
}
