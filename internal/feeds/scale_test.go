//go:build feedbench

package feeds_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/feeds"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// TestImportScale is the feed-import benchmark row: a generated 10,000-meeting
// Meeting Guide feed imported end to end (parse, map, one transaction, then
// the indexer relaying every new listing to Meilisearch and the fallback), and
// the same feed imported again unchanged. It prints the figures and checks the
// outcome, never the time, so a busy machine cannot fail it:
//
//	go test -tags feedbench -run TestImportScale -v ./internal/feeds
func TestImportScale(t *testing.T) {
	const n = 10000
	st := testenv.Store(t)
	meili, index := testenv.Meili(t)
	rdb, prefix := testenv.Redis(t)
	ctx := context.Background()
	cfg, err := config.LoadFrom(map[string]string{"MEILI_INDEX": index, "SEARCH_CACHE_PREFIX": prefix})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := app.NewIndexer(cfg, slog.New(slog.DiscardHandler), app.Clients{Store: st, Redis: rdb, Meili: meili})
	if err != nil {
		t.Fatal(err)
	}
	data := generatedFeed(n)
	f := directory.Feed{Kind: directory.MeetingGuideFeed, URL: "https://bench.example/feed.json", Name: "Bench",
		SyncEvery: time.Hour, Grace: time.Hour}
	if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.SaveFeed(ctx, &f, "bench") }); err != nil {
		t.Fatal(err)
	}
	f, _ = st.Feed(ctx, f.ID)
	im := feeds.NewImporter(st, nil, nil)

	start := time.Now()
	run, err := im.ImportMeetingGuide(ctx, f, data)
	if err != nil || run.Added != n {
		t.Fatalf("first import: %v %+v", err, run.Message)
	}
	imported := time.Since(start)
	indexed := drain(t, st, ix)
	total := time.Since(start)

	var outbox, audit int
	count := func() string {
		_ = st.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM audit_log)`).Scan(&outbox, &audit)
		return fmt.Sprintf("%d/%d", outbox, audit)
	}
	before := count()
	start = time.Now()
	again, err := im.ImportMeetingGuide(ctx, f, data)
	if err != nil || again.Unchanged != n || again.Added+again.Updated != 0 {
		t.Fatalf("unchanged import: %v %s", err, again.Message)
	}
	unchanged := time.Since(start)
	if after := count(); after != before {
		t.Fatalf("the unchanged import wrote: outbox/audit rows %s before, %s after", before, after)
	}
	if left := drain(t, st, ix); left < 0 {
		t.Fatal("unreachable")
	}

	fmt.Fprintf(os.Stdout, "\n| feed import (%d meetings, %d KB) | took |\n| --- | --- |\n", n, len(data)>>10)
	fmt.Fprintf(os.Stdout, "| parse, map and apply in one transaction | %s |\n", imported.Round(time.Millisecond))
	fmt.Fprintf(os.Stdout, "| indexer relays all %d listings (Meilisearch and fallback) | %s |\n", n, indexed.Round(time.Millisecond))
	fmt.Fprintf(os.Stdout, "| end to end, searchable | %s |\n", total.Round(time.Millisecond))
	fmt.Fprintf(os.Stdout, "| re-import unchanged (writes nothing) | %s |\n", unchanged.Round(time.Millisecond))
}

// drain relays the outbox until it is empty and says how long that took.
func drain(t *testing.T, st *store.Store, ix *indexer.Indexer) time.Duration {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for {
		n, err := st.ProcessOutbox(ctx, 1000, indexer.DefaultLease, ix.Apply)
		if err != nil {
			t.Fatalf("process outbox: %v", err)
		}
		if n == 0 {
			return time.Since(start)
		}
	}
}

// generatedFeed is a feed like a large intergroup's: most meetings in person,
// some online or hybrid, several days each, a spread of types and places.
func generatedFeed(n int) []byte {
	types := [][]string{{"O", "D", "X"}, {"C", "BE", "S"}, {"O", "SP", "XB", "LGBTQ"}, {"C", "W", "BA"}, {"O", "B", "EN"}}
	cities := []string{"Tulsa, OK 7410", "Austin, TX 7870", "Denver, CO 8020", "Boston, MA 0211", "Madrid, 2801"}
	meetings := make([]map[string]any, n)
	for i := range n {
		m := map[string]any{
			"name": fmt.Sprintf("Meeting %d", i), "slug": fmt.Sprintf("bench-meeting-%d", i),
			"day": i % 7, "time": fmt.Sprintf("%02d:%02d", 6+i%15, (i%4)*15), "timezone": "America/Chicago",
			"types": types[i%len(types)], "notes": fmt.Sprintf("Meeting number %d. Coffee first.", i),
			"location": fmt.Sprintf("Hall %d", i%300), "group": fmt.Sprintf("Group %d", i%800),
			"formatted_address": fmt.Sprintf("%d Main St, %s%d, US", i+1, cities[i%len(cities)], i%10),
			"latitude":          30 + float64(i%1000)/100, "longitude": -97 - float64(i%700)/100,
			"updated": "2026-01-15 10:30:00",
		}
		if i%3 == 0 {
			m["day"] = []int{i % 7, (i + 3) % 7}
		}
		if i%5 == 0 {
			m["conference_url"] = fmt.Sprintf("https://zoom.example/j/%d", 100000+i)
		}
		meetings[i] = m
	}
	b, _ := json.Marshal(meetings)
	return b
}
