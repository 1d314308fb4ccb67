package main

import (
	"bytes"
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
	code, out, stderr = belong(t, env, "import", "meeting-guide", feed)
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
	db := testenv.NewDatabase(t)
	_, uid := testenv.Meili(t)
	env := map[string]string{"DATABASE_URL": testenv.DatabaseURL(db), "MEILI_INDEX": uid,
		"REDIS_URL": "redis://127.0.0.1:1/0"}
	if code, _, stderr := belong(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	st, err := store.Open(context.Background(), testenv.DatabaseURL(db), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
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

	wctx, cancel := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() { done <- run(wctx, []string{"worker"}, &bytes.Buffer{}, &bytes.Buffer{}) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		runs, err := st.FeedRuns(ctx, f.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 1 {
			if runs[0].Outcome != directory.RunApplied || runs[0].Added != 3 {
				t.Fatalf("the worker's run: %+v", runs[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker did not sync a due feed within 2 minutes")
		}
	}
	if feed, _ := st.Feed(ctx, f.ID); feed.NextSyncAt == nil || !feed.NextSyncAt.After(time.Now().Add(50*time.Minute)) {
		t.Fatalf("next sync not moved on by the interval: %v", feed.NextSyncAt)
	}
}
