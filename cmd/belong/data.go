package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/seed"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/web"
)

func openStore(ctx context.Context, cfg config.Config, opts ...store.Option) (*store.Store, error) {
	return store.Open(ctx, cfg.DatabaseURL.Reveal(), cfg.DatabaseTimeout, opts...)
}

// openMigrated opens the store and checks that it is migrated: every command
// but migrate starts here.
func openMigrated(ctx context.Context, cfg config.Config, opts ...store.Option) (*store.Store, error) {
	st, err := openStore(ctx, cfg, opts...)
	if err != nil {
		return nil, err
	}
	if err := st.CheckSchema(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openDirectory is the directory service over st, as serve builds it.
func openDirectory(ctx context.Context, cfg config.Config, log *slog.Logger, st *store.Store) (*listings.Service, error) {
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		return nil, err
	}
	return listings.New(ctx, st, listings.Options{Thresholds: app.Thresholds(cfg), UILangs: catalogs.Languages(),
		Log: log.With("component", "directory")})
}

func cmdMigrate(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) != 1 || (args[0] != "up" && args[0] != "status") {
		return fmt.Errorf("%w: migrate takes one of: up, status", errUsage)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "status" {
		ms, err := st.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			state := "pending"
			if !m.AppliedAt.IsZero() {
				state = "applied " + m.AppliedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(out, "%05d  %-32s %s\n", m.Version, m.Name, state)
		}
		return nil
	}
	applied, err := st.MigrateUp(ctx)
	for _, m := range applied {
		fmt.Fprintf(out, "applied %05d %s\n", m.Version, m.Name)
	}
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(out, "schema is up to date")
	}
	log.Debug("migrations applied", "count", len(applied))
	return nil
}

func cmdSeed(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load the demo listings")
	n := fs.Int("synthetic", 0, "number of synthetic listings to generate")
	seedValue := fs.Int64("seed", 1, "random seed for --synthetic")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	synthetic := false
	fs.Visit(func(f *flag.Flag) { synthetic = synthetic || f.Name == "synthetic" })
	switch {
	case *demo == synthetic:
		return fmt.Errorf("%w: choose one of --demo or --synthetic N", errUsage)
	case synthetic && *n <= 0:
		return fmt.Errorf("%w: --synthetic needs a positive number of listings, got %d", errUsage, *n)
	}
	st, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	var count int
	if *demo {
		count, err = seed.Demo(ctx, st, time.Now())
	} else {
		count, err = seed.Synthetic(ctx, st, *n, *seedValue, time.Now())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d listings in %s\n", count, time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdMail prints queued and sent email: `mail show --last N`, newest first, whole
// where the bodies were kept (sent to the log, or still waiting).
func cmdMail(ctx context.Context, cfg config.Config, _ *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "show" {
		return fmt.Errorf("%w: mail takes one subcommand: show [--last N]", errUsage)
	}
	fs := flag.NewFlagSet("mail show", flag.ContinueOnError)
	last := fs.Int("last", 5, "how many of the most recent messages")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *last < 1 || *last > 1000 {
		return fmt.Errorf("%w: --last must be between 1 and 1000", errUsage)
	}
	st, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	msgs, err := st.RecentMail(ctx, *last)
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		fmt.Fprintln(out, "no email yet")
	}
	for _, m := range msgs {
		state := "waiting"
		if m.SentVia != "" {
			state = "sent via " + m.SentVia
		}
		if m.Attempts > 0 {
			state += ", " + plural(m.Attempts, "failed attempt")
		}
		fmt.Fprintf(out, "#%d %s (%s)\nTo: %s\nLanguage: %s\nSubject: %s\n\n", m.ID, m.Kind, state,
			m.To, m.Lang, m.Subject)
		if m.Text == "" {
			fmt.Fprint(out, "(delivered through SMTP; its text is not kept)\n")
		}
		fmt.Fprintf(out, "%s\n%s\n", m.Text, strings.Repeat("─", 60))
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
