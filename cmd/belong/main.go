// Command belong is the whole product in one binary: the web server, the search
// indexer, migrations, demo and synthetic data, and maintenance commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/belong-directory/belong/internal/config"
)

const usage = `belong — a directory of peer-support groups and inclusive community spaces

Usage:
  belong serve [--no-worker]        serve HTTP on LISTEN_ADDR (runs the background work too)
  belong worker                     run only the background work: search indexer, email
  belong migrate up|status          apply or list database migrations
  belong seed --demo                load the demo listings (safe to run again)
  belong seed --synthetic N --seed S
                                    add N generated listings, the same for the same S
  belong reindex                    rebuild the search index from PostgreSQL and swap it in
  belong search check               compare PostgreSQL with the search index and list differences
  belong user add --role moderator|admin|peer --email ADDRESS
                                    give someone an account; they sign in by an emailed link
  belong config                     print the effective configuration, secrets redacted
  belong mail show [--last N]       print the most recent email (with no SMTP_URL, email goes to the log)
  belong export hsds DIR            write every published listing as HSDS 3.0 JSON, one file per record kind,
                                    and as the HSDS Tabular Data Package (CSV files, datapackage.json)
  belong export meeting-guide FILE  write the Meeting Guide feed that /api/meeting-guide.json serves
  belong import csv FILE [--dry-run]
                                    add or update listings from a spreadsheet saved as CSV, all or none
  belong import hsds FILE-or-DIR [--dry-run]
                                    add or update listings from an HSDS 3.0 dataset, all or none
  belong import meeting-guide FILE-or-URL [--timezone ZONE] [--country CC] [--name NAME]
                                    [--grace 168h] [--allow-private] [--confirm-drop]
                                    import a Meeting Guide feed; run again to update in place

Configuration comes from environment variables; see README.md.
`

// errUsage marks a command line that could not be understood.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one subcommand and returns the process exit code: 0 on success,
// 2 for a command line it could not understand, 1 for anything else.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	// "belong seed --help" asks for help too: every command and its flags are
	// in the one usage text.
	if cmd == "help" || slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "-help" || a == "--help" }) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	commands := map[string]func(context.Context, config.Config, *slog.Logger, []string, io.Writer) error{
		"serve":   cmdServe,
		"worker":  cmdWorker,
		"migrate": cmdMigrate,
		"seed":    cmdSeed,
		"reindex": cmdReindex,
		"search":  cmdSearch,
		"config":  cmdConfig,
		"mail":    cmdMail,
		"user":    cmdUser,
		"export":  cmdExport,
		"import":  cmdImport,
	}
	fn, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(stderr, "belong: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintf(stderr, "belong: %v\n", err)
		return 1
	}
	log := newLogger(cfg.LogLevel, stderr)
	if err := fn(ctx, cfg, log, rest, stdout); err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "belong %s: %v\n\n%s", cmd, err, usage)
			return 2
		}
		fmt.Fprintf(stderr, "belong %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// parseFlags parses a subcommand's flags, turning every flag error into errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

func cmdConfig(_ context.Context, cfg config.Config, _ *slog.Logger, args []string, out io.Writer) error {
	if err := parseFlags(flag.NewFlagSet("config", flag.ContinueOnError), args); err != nil {
		return err
	}
	for _, line := range cfg.Dump() {
		fmt.Fprintln(out, line)
	}
	return nil
}
