package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/interop"
)

// cmdExport writes the open-data exports: `export hsds DIR` (one JSON file per
// kind of HSDS record, and the same as an HSDS Tabular Data Package: one CSV
// file per kind and datapackage.json) or `export meeting-guide FILE` (the feed the API serves).
func cmdExport(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 || (args[0] != "hsds" && args[0] != "meeting-guide") {
		return fmt.Errorf("%w: export takes hsds DIR or meeting-guide FILE", errUsage)
	}
	format, rest := args[0], args[1:]
	fs := flag.NewFlagSet("export "+format, flag.ContinueOnError)
	if len(rest) == 0 {
		return fmt.Errorf("%w: export %s needs where to write", errUsage, format)
	}
	target := rest[0]
	if err := parseFlags(fs, rest[1:]); err != nil {
		return err
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
	svc := interop.New(dir, cfg.BaseURL, time.Now)
	start := time.Now()
	if format == "meeting-guide" {
		feed, err := svc.MeetingGuide(ctx)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(feed, "", "  ")
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote %d meetings to %s in %s\n", len(feed), target, time.Since(start).Round(time.Millisecond))
		return nil
	}
	d, err := svc.HSDSDataset(ctx)
	if err != nil {
		return err
	}
	paths, err := d.WriteJSON(target)
	if err != nil {
		return err
	}
	csvPaths, err := d.WriteCSV(target)
	if err != nil {
		return err
	}
	paths = append(paths, csvPaths...)
	for _, f := range d.Files() {
		fmt.Fprintf(out, "%-22s %d\n", f.Name, f.Count)
	}
	fmt.Fprintf(out, "wrote %d files to %s in %s\n", len(paths), target, time.Since(start).Round(time.Millisecond))
	return nil
}
