package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/web"
)

// cmdImport reads listings from a file: `import csv FILE` (a spreadsheet, one
// listing per row) or `import hsds FILE-or-DIR` (an HSDS 3.0 dataset). It
// checks everything first and writes nothing unless every listing is right;
// then it saves them all in one transaction. --dry-run only checks.
func cmdImport(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 || (args[0] != "csv" && args[0] != "hsds") {
		return fmt.Errorf("%w: import takes csv FILE or hsds FILE-or-DIR", errUsage)
	}
	format, rest := args[0], args[1:]
	// The file may come before or after --dry-run.
	var path string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		path, rest = rest[0], rest[1:]
	}
	fs := flag.NewFlagSet("import "+format, flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "check the file and report, writing nothing")
	fs.SetOutput(io.Discard)
	if err := fs.Parse(rest); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if path == "" && fs.NArg() == 1 {
		path = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if path == "" {
		return fmt.Errorf("%w: import %s needs a file to read", errUsage, format)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CheckSchema(ctx); err != nil {
		return err
	}
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		return err
	}
	dir, err := listings.New(ctx, st, listings.Options{Thresholds: app.Thresholds(cfg), UILangs: catalogs.Languages(),
		Log: log.With("component", "directory")})
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
