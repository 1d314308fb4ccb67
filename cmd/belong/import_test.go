package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"

	"github.com/belong-directory/belong/internal/testenv"
)

// The demo directory's HSDS export (its 150 published listings) imports into an empty database through the
// command line, and a spreadsheet with a mistake is refused with its row and
// column and an exit status of 1, nothing written.
func TestImportCommands(t *testing.T) {
	from, to := testenv.NewDatabase(t), testenv.NewDatabase(t)
	src := map[string]string{"DATABASE_URL": testenv.DatabaseURL(from), "BASE_URL": "https://belong.example"}
	dst := map[string]string{"DATABASE_URL": testenv.DatabaseURL(to), "BASE_URL": "https://belong.example"}
	for _, step := range []struct {
		env  map[string]string
		args []string
	}{{src, []string{"migrate", "up"}}, {src, []string{"seed", "--demo"}}, {dst, []string{"migrate", "up"}}} {
		if code, _, stderr := belong(t, step.env, step.args...); code != 0 {
			t.Fatalf("belong %v: %s", step.args, stderr)
		}
	}
	dir := filepath.Join(t.TempDir(), "hsds")
	if code, _, stderr := belong(t, src, "export", "hsds", dir); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	code, out, stderr := belong(t, dst, "import", "hsds", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "dry run: would add 150 and update 0 listings") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = belong(t, dst, "import", "hsds", dir)
	if code != 0 || !strings.Contains(out, "imported: added 150 and updated 0 listings") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ := belong(t, dst, "import", "hsds", dir, "--dry-run"); code != 0 ||
		!strings.Contains(out, "would add 0 and update 150") {
		t.Errorf("again: %s", out)
	}

	csv := filepath.Join(t.TempDir(), "listings.csv")
	bad := "name,summary,organization,days,starts,ends,time_zone,city,country\n" +
		"Circle Z,Calm.,Org Z,Tuesday,25:00,20:00,America/Chicago,Chicago,US\n"
	if err := os.WriteFile(csv, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = belong(t, dst, "import", "csv", csv)
	if code != 1 || !strings.Contains(out, `problem: row 2, column starts: must be a time such as 18:30 or 6:30pm ("25:00")`) ||
		!strings.Contains(stderr, "1 problems; nothing was imported") {
		t.Errorf("bad csv: exit %d\n%s\n%s", code, out, stderr)
	}
	if err := os.WriteFile(csv, []byte(strings.Replace(bad, "25:00", "18:00", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := belong(t, dst, "import", "csv", csv); code != 0 || !strings.Contains(out, "add    circle-z (Circle Z)") {
		t.Errorf("good csv: exit %d\n%s\n%s", code, out, stderr)
	}
	for _, args := range [][]string{{"import"}, {"import", "json", "x"}, {"import", "csv"}, {"import", "csv", csv, "extra"}} {
		if code, _, stderr := belong(t, dst, args...); code != 2 || !strings.Contains(stderr, "Usage:") {
			t.Errorf("belong %v: exit %d, %s", args, code, stderr)
		}
	}
}

// A Meeting Guide file imports, imports again without changing anything, and
// a broken one changes nothing and says why.
func TestImportMeetingGuideFile(t *testing.T) {
	db := testenv.NewDatabase(t)
	env := map[string]string{"DATABASE_URL": testenv.DatabaseURL(db)}
	if code, _, stderr := belong(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	feed := filepath.Join("..", "..", "internal", "feeds", "testdata", "feed.json")
	code, out, stderr := belong(t, env, "import", "meeting-guide", feed, "--name", "Example Intergroup")
	if code != 0 || !strings.Contains(out, "3 added, 0 updated, 0 unchanged") ||
		!strings.Contains(out, "not modelled: C×1 D×1 O×1 ZZ-CUSTOM×1") {
		t.Fatalf("first import: exit %d\n%s\n%s", code, out, stderr)
	}
	// Flags may come before the feed, as with the other imports.
	code, out, stderr = belong(t, env, "import", "meeting-guide", "--name", "Example Intergroup", feed)
	if code != 0 || !strings.Contains(out, "0 added, 0 updated, 3 unchanged") || !strings.Contains(out, "Example Intergroup") {
		t.Fatalf("second import: exit %d\n%s\n%s", code, out, stderr)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`[{"name": "x", "slug": "x", "day": 9}, {"name":`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = belong(t, env, "import", "meeting-guide", bad)
	if code != 1 || !strings.Contains(stderr, "not valid JSON") || !strings.Contains(out, "failed") {
		t.Fatalf("broken feed: exit %d\n%s\n%s", code, out, stderr)
	}
	code, _, stderr = belong(t, env, "import", "meeting-guide", "http://example.org/feed.json")
	if code != 1 || !strings.Contains(stderr, "https://") {
		t.Fatalf("http feed: exit %d %s", code, stderr)
	}
	for _, args := range [][]string{{"import"}, {"import", "csv-ish"}, {"import", "meeting-guide"},
		{"import", "meeting-guide", feed, "--bogus"}} {
		if code, _, stderr := belong(t, env, args...); code != 2 || !strings.Contains(stderr, "Usage:") {
			t.Errorf("belong %v: exit %d, %s", args, code, stderr)
		}
	}
}

// The worker syncs a subscription that is due: the same wiring main uses, so
// a worker without the feed sync fails here.
func TestWorkerSyncsDueFeeds(t *testing.T) {
	st := migratedEnv(t)
	abs, err := filepath.Abs(filepath.Join("..", "..", "internal", "feeds", "testdata", "feed.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A subscription to a file stands in for one to a URL: the fetching has
	// tests of its own, and this one is about the schedule.
	due := time.Now().Add(-time.Minute)
	f := directory.Feed{Kind: directory.MeetingGuideFeed, URL: "file:" + abs, Name: "Due", Subscribed: true,
		SyncEvery: time.Hour, Grace: time.Hour, NextSyncAt: &due}
	ctx := context.Background()
	if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.SaveFeed(ctx, &f, "test") }); err != nil {
		t.Fatal(err)
	}

	imported := waitForLog("feed imported")
	startWorker(t, imported)
	imported.wait(t, 2*time.Minute)
	runs, err := st.FeedRuns(ctx, f.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Outcome != directory.RunApplied || runs[0].Added != 3 {
		t.Fatalf("the worker's runs: %+v", runs)
	}
	if feed, _ := st.Feed(ctx, f.ID); feed.NextSyncAt == nil || !feed.NextSyncAt.After(time.Now().Add(50*time.Minute)) {
		t.Fatalf("next sync not moved on by the interval: %v", feed.NextSyncAt)
	}
}
