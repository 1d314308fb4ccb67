package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/feeds"
)

// cmdImport takes listings in from outside: `import meeting-guide FILE-or-URL`.
func cmdImport(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: import takes meeting-guide FILE-or-URL", errUsage)
	}
	switch args[0] {
	case "meeting-guide":
		return cmdImportMeetingGuide(ctx, cfg, log, args[1:], out)
	}
	return fmt.Errorf("%w: import takes meeting-guide FILE-or-URL", errUsage)
}

func cmdImportMeetingGuide(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return fmt.Errorf("%w: import meeting-guide needs a file or an https URL", errUsage)
	}
	source := args[0]
	fs := flag.NewFlagSet("import meeting-guide", flag.ContinueOnError)
	var o feeds.Subscription
	fs.StringVar(&o.Name, "name", "", "the feed's name (default: the file name or the URL's host)")
	fs.StringVar(&o.DefaultTimeZone, "timezone", "", "time zone of meetings that do not name one (IANA, e.g. America/Chicago)")
	fs.StringVar(&o.DefaultCountry, "country", "", "country of addresses that do not name one (two letters, e.g. US)")
	fs.DurationVar(&o.Grace, "grace", feeds.DefaultGrace, "how long a meeting gone from the feed stays before its listing is archived")
	fs.BoolVar(&o.AllowPrivate, "allow-private", false, "let the URL be a private or loopback address")
	confirm := fs.Bool("confirm-drop", false, "apply the run even if the feed lost 90% or more of its meetings")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CheckSchema(ctx); err != nil {
		return err
	}
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
