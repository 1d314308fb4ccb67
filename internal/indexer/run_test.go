package indexer_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// watchedListener tells the test when the indexer starts waiting on it.
type watchedListener struct {
	indexer.Listener
	waiting chan struct{}
}

func (w watchedListener) Wait(ctx context.Context, timeout time.Duration) (bool, error) {
	select {
	case w.waiting <- struct{}{}:
	default:
	}
	return w.Listener.Wait(ctx, timeout)
}

// watchListen wraps d.Listen, counting the listeners opened.
func watchListen(d *indexer.Deps) (waiting chan struct{}, opened *atomic.Int32) {
	waiting, opened = make(chan struct{}, 1), &atomic.Int32{}
	open := d.Listen
	d.Listen = func(ctx context.Context) (indexer.Listener, error) {
		l, err := open(ctx)
		if err != nil {
			return nil, err
		}
		opened.Add(1)
		return watchedListener{Listener: l, waiting: waiting}, nil
	}
	return waiting, opened
}

func waitUntilListening(t *testing.T, waiting chan struct{}) {
	t.Helper()
	select {
	case <-waiting:
	case <-time.After(patience):
		t.Fatal("the indexer never started listening")
	}
}

// A commit must reach the sinks at once, through LISTEN/NOTIFY, not at the next
// poll: the poll interval here is far longer than the test allows.
func TestRunWakesOnCommitWithoutWaitingForThePoll(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := newIndex(t)
	d := deps(st, indexer.Fallback(st), idx, nil)
	waiting, _ := watchListen(&d)
	stop := run(t, indexer.New(d, indexer.Config{Poll: time.Hour}))
	waitUntilListening(t, waiting)

	id := save(t, st, group("tuesday-circle"))
	// Both sinks are written at once, so either may have it first.
	took := eventually(t, "indexed and in the fallback after commit", func() bool {
		_, ok := idx.doc(t, id)
		return ok && inFallback(t, st, id)
	})
	// Arriving at all inside the hour-long poll shows the notification woke the
	// indexer; how fast is for make bench, not for a test on a shared machine.
	t.Logf("commit to both sinks: %v", took)
	if d := stop(); d > patience {
		t.Errorf("Run took %v to stop, want it prompt", d)
	}
}

func TestRunDeletesAListingThatBecomesADraft(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := newIndex(t)
	d := deps(st, indexer.Fallback(st), idx, nil)
	waiting, _ := watchListen(&d)
	run(t, indexer.New(d, indexer.Config{Poll: time.Hour}))
	waitUntilListening(t, waiting)

	l := group("tuesday-circle")
	id := save(t, st, l)
	eventually(t, "indexed and in the fallback", func() bool { _, ok := idx.doc(t, id); return ok && inFallback(t, st, id) })
	l.Status = "draft"
	save(t, st, l)
	eventually(t, "deleted from both sinks", func() bool {
		_, inIndex := idx.doc(t, id)
		return !inIndex && !inFallback(t, st, id)
	})
}

func TestRunReconnectsWhenTheListenerConnectionDies(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := newIndex(t)
	logs := &testenv.LogBuffer{}
	d := deps(st, indexer.Fallback(st), idx, logs)
	waiting, opened := watchListen(&d)
	run(t, indexer.New(d, indexer.Config{Poll: time.Hour}))
	waitUntilListening(t, waiting)

	if _, err := st.Pool().Exec(context.Background(), `SELECT pg_terminate_backend(pid, 5000)
		FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN belong_outbox'`); err != nil {
		t.Fatal(err)
	}
	// A row added while nobody listens is found by the drain after reconnecting.
	id := save(t, st, group("tuesday-circle"))
	eventually(t, "indexed after reconnecting", func() bool { _, ok := idx.doc(t, id); return ok })
	if opened.Load() < 2 {
		t.Errorf("listeners opened = %d, want a second one", opened.Load())
	}
	if strings.Count(logs.String(), "lost the outbox listener") != 1 {
		t.Errorf("loss of the listener not logged once:\n%s", logs)
	}
}

func TestRunQueuesListingsWhoseNextMeetingHasPassed(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := newIndex(t)
	d := deps(st, indexer.Fallback(st), idx, nil)
	id := save(t, st, group("tuesday-circle"))
	if err := drain(t, st, indexer.New(d, indexer.Config{})); err != nil {
		t.Fatal(err)
	}
	doc, ok := idx.doc(t, id)
	if !ok {
		t.Fatalf("%s not indexed", id)
	}
	past := time.Now().Add(-time.Hour).Unix()
	doc.NextAt = &past
	idx.put(t, doc)
	if doc, _ := idx.doc(t, id); doc.NextAt == nil || *doc.NextAt != past {
		t.Fatalf("planted next meeting = %v, want %d", doc.NextAt, past)
	}

	run(t, indexer.New(d, indexer.Config{Poll: time.Hour}))
	eventually(t, "next meeting worked out again", func() bool {
		doc, _ := idx.doc(t, id)
		return doc.NextAt != nil && *doc.NextAt > time.Now().Unix()
	})
}

func TestRunKeepsWorkingWhileMeilisearchIsDownAtStart(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	live := newIndex(t)
	idx := &switchIndex{cur: downIndex(t, live.UID())}
	logs := &testenv.LogBuffer{}
	d := deps(st, indexer.Fallback(st), idx, logs)
	waiting, _ := watchListen(&d)
	run(t, indexer.New(d, indexer.Config{Poll: 100 * time.Millisecond}))
	waitUntilListening(t, waiting)

	id := save(t, st, group("tuesday-circle"))
	eventually(t, "fallback written while Meilisearch is down", func() bool {
		return inFallback(t, st, id)
	})
	eventually(t, "the batch retried while Meilisearch is down", func() bool {
		return maxAttempts(t, st) >= 2
	})
	if _, ok := live.doc(t, id); ok {
		t.Fatal("indexed into a Meilisearch that is down")
	}
	idx.to(live.Index)
	eventually(t, "indexed once Meilisearch is back", func() bool {
		_, ok := live.doc(t, id)
		return ok
	})
	if n := strings.Count(logs.String(), "meilisearch unavailable"); n != 1 {
		t.Errorf("logged Meilisearch unavailable %d times, want once:\n%s", n, logs)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings, want only the one about Meilisearch:\n%s", n, logs)
	}
}

func TestRunStopsPromptlyWhenCanceled(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	d := deps(st, indexer.Fallback(st), newIndex(t), nil)
	waiting, _ := watchListen(&d)
	stop := run(t, indexer.New(d, indexer.Config{Poll: time.Hour, Refresh: time.Hour}))
	waitUntilListening(t, waiting)
	if took := stop(); took > patience {
		t.Errorf("Run took %v to stop; its poll and refresh are an hour", took)
	}
}

// maxAttempts is the most failures any pending outbox row has had.
func maxAttempts(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	if err := st.Pool().QueryRow(context.Background(),
		`SELECT coalesce(max(attempts), 0) FROM outbox WHERE processed_at IS NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// After a long outage a row waits up to five minutes for its next try. When
// Meilisearch answers again the indexer must notice by itself (no row is due to
// ask it) and retry every waiting row at once.
func TestRunRetriesWaitingRowsAtOnceWhenMeilisearchAnswersAgain(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	live := newIndex(t)
	idx := &switchIndex{cur: downIndex(t, live.UID())}
	logs := &testenv.LogBuffer{}
	d := deps(st, indexer.Fallback(st), idx, logs)
	waiting, _ := watchListen(&d)
	run(t, indexer.New(d, indexer.Config{Poll: time.Hour, Cooldown: 50 * time.Millisecond}))
	waitUntilListening(t, waiting)

	id := save(t, st, group("tuesday-circle"))
	eventually(t, "the batch failed while Meilisearch is down", func() bool { return maxAttempts(t, st) >= 1 })
	// What a long outage leaves behind: the row's next try is minutes away.
	if _, err := st.Pool().Exec(context.Background(), `UPDATE outbox
		SET attempts = 9, available_at = clock_timestamp() + interval '5 minutes' WHERE processed_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	idx.to(live.Index)
	// patience is well short of the row's five-minute back-off.
	took := eventually(t, "indexed once Meilisearch is back", func() bool {
		_, ok := live.doc(t, id)
		return ok && pendingRows(t, st) == 0
	})
	t.Logf("Meilisearch back to indexed: %v", took)
	text := logs.String()
	if strings.Count(text, "meilisearch unavailable") != 1 || strings.Count(text, "meilisearch available again") != 1 {
		t.Errorf("the outage and its end not logged once each:\n%s", text)
	}
}

// heldIndex forwards every call to a real index, tells the test the size of
// each batch the index accepted, and holds each batch's wait for the index to
// apply it until the test lets one go. It counts what a drain must never do:
// send a batch while MaxWaiting of its batches wait, or wait on two at once.
type heldIndex struct {
	indexer.Index
	accepted chan int
	release  chan struct{}

	mu          sync.Mutex
	outstanding int // batches accepted whose wait has not returned
	waiting     int // waits under way
	overfull    int // batches accepted while MaxWaiting were outstanding
	together    int // waits started while another was under way
}

func (h *heldIndex) Queue(ctx context.Context, docs []search.Document, gone []string) (func(context.Context) error, error) {
	wait, err := h.Index.Queue(ctx, docs, gone)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	if h.outstanding >= indexer.MaxWaiting {
		h.overfull++
	}
	h.outstanding++
	h.mu.Unlock()
	h.accepted <- len(docs) + len(gone)
	return func(ctx context.Context) error {
		h.mu.Lock()
		if h.waiting > 0 {
			h.together++
		}
		h.waiting++
		h.mu.Unlock()
		defer func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.waiting--
			h.outstanding--
		}()
		select {
		case <-h.release:
		case <-ctx.Done():
			return ctx.Err()
		}
		return wait(ctx)
	}, nil
}

// While a backlog drains, a drain sends its next batch as soon as Meilisearch
// has accepted the last one, without waiting for it to be applied, so that
// Meilisearch finds a queue to index in one go; at most MaxWaiting of its
// batches wait at once, and only the oldest asks Meilisearch how it is doing.
func TestADrainSendsItsNextBatchWhileTheLastWaitsForMeilisearch(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := &heldIndex{Index: newIndex(t), accepted: make(chan int, 10), release: make(chan struct{})}
	// Batches start at one row and grow fourfold while they come back full:
	// 1, 4, 16, … rows, MaxWaiting full ones, and one listing more.
	var sizes []int
	listings := 0
	for size := 1; len(sizes) < indexer.MaxWaiting; size *= 4 {
		sizes = append(sizes, size)
		listings += size
	}
	for i := range listings + 1 {
		save(t, st, group(fmt.Sprintf("circle-%03d", i)))
	}
	run(t, indexer.New(deps(st, indexer.Fallback(st), idx, nil), indexer.Config{Batch: 1, Drains: 1, Poll: time.Hour}))

	accepted := func() int {
		t.Helper()
		select {
		case n := <-idx.accepted:
			return n
		case <-time.After(patience):
			t.Fatal("no batch reached Meilisearch")
			return 0
		}
	}
	let := func() {
		t.Helper()
		select {
		case idx.release <- struct{}{}:
		case <-time.After(patience):
			t.Fatal("no batch waited for Meilisearch")
		}
	}
	// None of these has been applied when the next is sent.
	for _, want := range sizes {
		if got := accepted(); got != want {
			t.Fatalf("a batch of %d documents reached Meilisearch, want %d", got, want)
		}
	}
	let()
	if got := accepted(); got != 1 {
		t.Fatalf("after one batch was applied, a batch of %d documents was sent, want the last 1", got)
	}
	for range indexer.MaxWaiting {
		let()
	}
	eventually(t, "outbox drained", func() bool { return pendingRows(t, st) == 0 })
	if got := len(idx.Index.(*realIndex).ids(t)); got != listings+1 {
		t.Fatalf("index holds %d documents, want %d", got, listings+1)
	}
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if idx.overfull > 0 {
		t.Errorf("%d batches were sent while %d batches waited for Meilisearch", idx.overfull, indexer.MaxWaiting)
	}
	if idx.together > 0 {
		t.Errorf("%d times a batch asked Meilisearch how it was doing while an older one was still waiting", idx.together)
	}
}

// A change is sent to Meilisearch as soon as it is committed, even while the
// batch before it still waits for Meilisearch to apply it: a task can take
// Meilisearch seconds on a big index, and the change must not wait for it.
func TestAChangeIsSentWhileTheBatchBeforeItWaitsForMeilisearch(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	idx := &heldIndex{Index: newIndex(t), accepted: make(chan int, 10), release: make(chan struct{})}
	d := deps(st, indexer.Fallback(st), idx, nil)
	waiting, _ := watchListen(&d)
	run(t, indexer.New(d, indexer.Config{Drains: 1, Poll: time.Hour}))
	waitUntilListening(t, waiting)
	accepted := func(what string) {
		t.Helper()
		select {
		case <-idx.accepted:
		case <-time.After(patience):
			t.Fatalf("%s never reached Meilisearch", what)
		}
	}
	first := save(t, st, group("first-change"))
	accepted("the first change")
	second := save(t, st, group("second-change"))
	// The first change's batch is still held waiting for Meilisearch.
	accepted("the second change, while the first waited for Meilisearch,")
	for range 2 {
		select {
		case idx.release <- struct{}{}:
		case <-time.After(patience):
			t.Fatal("a batch never waited for Meilisearch")
		}
	}
	eventually(t, "both applied", func() bool {
		_, a := idx.Index.(*realIndex).doc(t, first)
		_, b := idx.Index.(*realIndex).doc(t, second)
		return a && b && pendingRows(t, st) == 0
	})
}

// countedOutbox records how many claims of the outbox run at once.
type countedOutbox struct {
	indexer.Outbox
	mu             sync.Mutex
	inFlight, most int
	claimed        int
	holdFirst      chan struct{} // when set, the first claim returns once it is closed
	first          sync.Once
	reached        chan struct{} // closed when reach claims run at once
	reach          int
	reachedOnce    sync.Once
}

func (c *countedOutbox) ProcessOutbox(ctx context.Context, limit int, lease time.Duration,
	apply func(ctx context.Context, listingIDs []string) error) (int, error) {
	c.mu.Lock()
	c.inFlight++
	c.most = max(c.most, c.inFlight)
	if c.reach > 0 && c.inFlight >= c.reach {
		c.reachedOnce.Do(func() { close(c.reached) })
	}
	c.mu.Unlock()
	n, err := c.Outbox.ProcessOutbox(ctx, limit, lease, apply)
	if c.holdFirst != nil {
		c.first.Do(func() {
			select {
			case <-c.holdFirst:
			case <-ctx.Done():
			}
		})
	}
	c.mu.Lock()
	c.inFlight--
	c.claimed += n
	c.mu.Unlock()
	return n, err
}

// A single change wakes one drain, however many a backlog would run: the
// others' claims would find nothing and only take the cores from the one that
// does.
func TestASingleChangeWakesOneDrain(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	d := deps(st, indexer.Fallback(st), newIndex(t), nil)
	outbox := &countedOutbox{Outbox: st}
	d.Outbox = outbox
	waiting, _ := watchListen(&d)
	run(t, indexer.New(d, indexer.Config{Drains: 3, Poll: time.Hour}))
	waitUntilListening(t, waiting)
	save(t, st, group("one-change"))
	// The round ends once the batch is sent; the claim ends once it is applied.
	eventually(t, "the change applied", func() bool {
		outbox.mu.Lock()
		defer outbox.mu.Unlock()
		return outbox.claimed > 0
	})
	outbox.mu.Lock()
	defer outbox.mu.Unlock()
	if outbox.claimed != 1 || outbox.most != 1 {
		t.Errorf("one change: %d rows claimed, at most %d claims at once; want 1 and 1", outbox.claimed, outbox.most)
	}
}

// A backlog brings in every drain: one drain has at most MaxWaiting batches
// under way, so more claims than that at once come from the others.
func TestABacklogStartsEveryDrain(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	for i := range 40 {
		save(t, st, group(fmt.Sprintf("backlog-%02d", i)))
	}
	d := deps(st, indexer.Fallback(st), newIndex(t), nil)
	// The first batch is held, with its turn, until the claims under way
	// outnumber what one drain may have.
	outbox := &countedOutbox{Outbox: st, holdFirst: make(chan struct{}), reached: make(chan struct{}),
		reach: indexer.MaxWaiting + 1}
	d.Outbox = outbox
	run(t, indexer.New(d, indexer.Config{Batch: 1, Drains: 3, Poll: time.Hour}))
	select {
	case <-outbox.reached:
	case <-time.After(patience):
		t.Fatalf("never more than %d claims at once: the other drains did not start", indexer.MaxWaiting)
	}
	close(outbox.holdFirst)
}
