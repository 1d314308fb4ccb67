package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/harness"
	"github.com/belong-directory/belong/internal/seed"
	"github.com/belong-directory/belong/internal/store"
)

// bulkResult is the bulk load, end to end: from the first insert until the
// indexer has applied every outbox row to both search_documents and Meilisearch.
type bulkResult struct {
	Listings  int           // listings added
	Documents int           // searchable documents in Meilisearch (= search_documents)
	Insert    time.Duration // seed.Synthetic into PostgreSQL, outbox rows included
	Total     time.Duration
	// MeiliBusy is how long Meilisearch spent processing the load's document
	// tasks, in Tasks tasks and Batches batches.
	MeiliBusy      time.Duration
	Tasks, Batches int
	Additions      int // of the tasks, those adding documents
}

// Indexing is the time from the end of the insert until everything was searchable.
func (r bulkResult) Indexing() time.Duration { return r.Total - r.Insert }

// bulkLoad runs the product's bulk path: the synthetic listings go into
// PostgreSQL with BulkInsert (COPY, one outbox row per listing, as `belong seed
// --synthetic` does) while `belong worker` relays the outbox to search_documents
// and Meilisearch, as serve's indexer would.
func (b *bench) bulkLoad(ctx context.Context) (bulkResult, error) {
	var r bulkResult
	w, err := b.startWorker(ctx, "worker-bulk")
	if err != nil {
		return r, err
	}
	defer w.Stop(stopGrace)
	b.say("bulk load: %d synthetic listings into PostgreSQL while belong worker indexes them", b.o.listings)
	start := time.Now()
	r.Listings, err = seed.Synthetic(ctx, b.st, b.o.listings, b.o.seed, start)
	if err != nil {
		return r, err
	}
	r.Insert = time.Since(start)
	b.say("bulk load: PostgreSQL insert took %s; waiting for the indexer", r.Insert.Round(time.Millisecond))
	// Counting the pending rows every 50 ms took PostgreSQL a tenth to a fifth
	// of a core away from the load it measures (4-10 ms a count at 100,000
	// rows); asking whether any is left does not.
	last := time.Now()
	for {
		empty, err := b.st.OutboxEmpty(ctx)
		if err != nil {
			return r, err
		}
		if empty {
			break
		}
		if time.Since(start) > 30*time.Minute {
			return r, fmt.Errorf("bulk load: outbox rows still pending after 30 minutes; see %s", w.Log)
		}
		if time.Since(last) > 10*time.Second {
			pending, _, err := b.st.OutboxBacklog(ctx)
			if err != nil {
				return r, err
			}
			b.say("bulk load: %d outbox rows still pending", pending)
			last = time.Now()
		}
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	r.Total = time.Since(start)
	w.Stop(stopGrace)
	fallback, err := b.st.SearchDocumentIDs(ctx)
	if err != nil {
		return r, err
	}
	r.Documents, err = b.meili.Documents(ctx, b.o.name)
	if err != nil {
		return r, err
	}
	if r.Documents != len(fallback) || r.Documents == 0 {
		return r, fmt.Errorf("bulk load: Meilisearch holds %d documents, search_documents %d", r.Documents, len(fallback))
	}
	tasks, err := b.meili.Tasks(ctx, b.o.name, start, 100_000)
	if err != nil {
		return r, err
	}
	r.Tasks = len(tasks)
	for _, t := range tasks {
		if t.Type == "documentAdditionOrUpdate" {
			r.Additions++
		}
	}
	r.MeiliBusy, r.Batches = busy(tasks)
	b.say("bulk load: %d listings, %d searchable, done in %s; Meilisearch busy %s in %d tasks",
		r.Listings, r.Documents, r.Total.Round(time.Millisecond), r.MeiliBusy.Round(time.Millisecond), r.Tasks)
	return r, nil
}

// startWorker runs belong worker and waits until it is indexing.
func (b *bench) startWorker(ctx context.Context, name string) (*harness.Proc, error) {
	logPath := filepath.Join(b.work, name+".log")
	return b.start(ctx, name, []string{"worker"}, nil, func() bool { return harness.LogHas(logPath, `"msg":"indexing"`) })
}

// freshness times single listing changes through the real write path, one after
// another: from the commit of SaveListing until a Meilisearch search for the new
// name finds the listing, polling every 5 ms, with belong worker indexing.
func (b *bench) freshness(ctx context.Context, rng *rand.Rand) (freshResult, error) {
	var r freshResult
	w, err := b.startWorker(ctx, "worker-freshness")
	if err != nil {
		return r, err
	}
	defer w.Stop(stopGrace)
	// The worker starts by queueing the listings whose next meeting has passed
	// since they were indexed; let it finish that first.
	for settle := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		empty, err := b.st.OutboxEmpty(ctx)
		if err != nil {
			return r, err
		}
		if empty {
			break
		}
		if time.Since(settle) > 10*time.Minute {
			return r, fmt.Errorf("freshness: outbox rows still pending after 10 minutes; see %s", w.Log)
		}
	}
	time.Sleep(time.Second)
	b.say("freshness: %d listing changes, one at a time", b.o.changes)
	client := &http.Client{Timeout: 5 * time.Second}
	// The listings changed follow the seed; the words they get are this run's
	// own, so a run on a reused database (-reuse) cannot find the words an
	// earlier run left there.
	run := word(rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0)), 4)
	used := map[int]bool{}
	for len(r.Lags)+r.Missed < b.o.changes {
		k := rng.IntN(b.o.listings)
		if used[k] {
			continue
		}
		used[k] = true
		l, err := b.st.Listing(ctx, syntheticSlug(b.o.seed, k))
		if err != nil {
			return r, err
		}
		if l.Status != "published" {
			continue
		}
		token := word(rng, 8) + run
		// In place of an earlier run's word, so names do not grow run after run.
		name, _, _ := strings.Cut(l.Name, " ~")
		l.Name = name + " ~" + token
		if err := b.st.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveListing(ctx, &l, "bench")
			return err
		}); err != nil {
			return r, err
		}
		committed := time.Now()
		for {
			found, err := b.meiliFinds(ctx, client, token, l.ID)
			if err != nil {
				return r, err
			}
			if found {
				seen := time.Now()
				r.Lags = append(r.Lags, seen.Sub(committed))
				if err := r.addPhases(ctx, b.meili, b.o.name, committed, seen); err != nil {
					return r, err
				}
				break
			}
			if time.Since(committed) > 30*time.Second {
				r.Missed++
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		// Changes come apart from each other, not in lockstep with the indexer.
		time.Sleep(time.Duration(rng.IntN(100)) * time.Millisecond)
	}
	for _, d := range [][]time.Duration{r.Lags, r.ToEnqueue, r.InMeili, r.ToSeen} {
		slices.Sort(d)
	}
	return r, nil
}

// freshResult is how long changes took to become searchable, and in which part
// of the way.
type freshResult struct {
	Lags   []time.Duration // commit → found by a search
	Missed int             // not found within 30 s
	// ToEnqueue is commit → Meilisearch enqueued the indexer's task: LISTEN/NOTIFY,
	// claiming the outbox row, reading the listing, writing search_documents,
	// sending the document. InMeili is enqueued → task finished: waiting in
	// Meilisearch's queue and indexing. ToSeen is finished → found by the poll.
	ToEnqueue, InMeili, ToSeen []time.Duration
}

// addPhases splits one change's lag at the Meilisearch task that carried it:
// the newest document task enqueued since the commit. A search can find the
// change a moment before Meilisearch records its task as succeeded, so the
// task is looked for until it is (a change whose task never shows is left
// out of the phases, not of the lags).
func (r *freshResult) addPhases(ctx context.Context, m *harness.Meili, uid string, committed, seen time.Time) error {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		tasks, err := m.Tasks(ctx, uid, committed.Add(-10*time.Millisecond), 10)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if t.Type == "documentAdditionOrUpdate" {
				r.ToEnqueue = append(r.ToEnqueue, max(0, t.EnqueuedAt.Sub(committed)))
				r.InMeili = append(r.InMeili, t.FinishedAt.Sub(t.EnqueuedAt))
				r.ToSeen = append(r.ToSeen, max(0, seen.Sub(t.FinishedAt)))
				return nil
			}
		}
	}
	return nil
}

// meiliFinds reports whether searching the index for token finds listing id.
func (b *bench) meiliFinds(ctx context.Context, client *http.Client, token, id string) (bool, error) {
	var res struct {
		Hits []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"hits"`
	}
	body := map[string]any{"q": token, "limit": 20, "attributesToRetrieve": []string{"id", "name"}}
	m := *b.meili
	m.HTTP = client
	if _, err := m.Do(ctx, http.MethodPost, "/indexes/"+url.PathEscape(b.o.name)+"/search", body, &res); err != nil {
		return false, err
	}
	for _, h := range res.Hits {
		if h.ID == id && strings.Contains(h.Name, token) {
			return true, nil
		}
	}
	return false, nil
}

// word is n random lower-case letters: a name no listing has, which typo
// tolerance cannot confuse with another.
func word(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + rng.IntN(26))
	}
	return string(b)
}
