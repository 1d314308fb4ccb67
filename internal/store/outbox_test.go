package store_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// newID returns a random version-4 UUID in canonical form.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

type outboxRow struct {
	ListingID string
	Attempts  int
	LastError *string
	DueIn     time.Duration // available_at - now(), negative when due
	Processed bool
}

func outboxRows(t *testing.T, st *store.Store) []outboxRow {
	t.Helper()
	rows, err := st.Pool().Query(context.Background(), `SELECT listing_id::text, attempts, last_error,
			extract(epoch FROM available_at - clock_timestamp())::float8, processed_at IS NOT NULL
		FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var dueIn float64
		if err := rows.Scan(&r.ListingID, &r.Attempts, &r.LastError, &dueIn, &r.Processed); err != nil {
			t.Fatalf("scan outbox: %v", err)
		}
		r.DueIn = time.Duration(dueIn * float64(time.Second))
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	return out
}

func exec(t *testing.T, st *store.Store, sql string, args ...any) {
	t.Helper()
	if _, err := st.Pool().Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// recorder is an apply function that remembers every call.
type recorder struct {
	mu    sync.Mutex
	calls [][]string
}

func (r *recorder) apply(_ context.Context, ids []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, slices.Clone(ids))
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

func TestProcessOutboxMarksAppliedRowsProcessed(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	a, b := newID(), newID()
	if err := st.QueueListings(ctx, []string{a, b, a}); err != nil {
		t.Fatal(err)
	}
	var rec recorder
	n, err := st.ProcessOutbox(ctx, 10, lease, rec.apply)
	if err != nil || n != 3 {
		t.Fatalf("ProcessOutbox = %d, %v; want 3 rows, nil", n, err)
	}
	if len(rec.calls) != 1 || !slices.Equal(rec.calls[0], []string{a, b}) {
		t.Fatalf("apply calls = %v, want one call with the distinct ids [%s %s]", rec.calls, a, b)
	}
	for _, r := range outboxRows(t, st) {
		if !r.Processed || r.Attempts != 0 || r.LastError != nil {
			t.Errorf("row after success = %+v, want processed with no attempts or error", r)
		}
	}
	n, err = st.ProcessOutbox(ctx, 10, lease, rec.apply)
	if err != nil || n != 0 || rec.count() != 1 {
		t.Fatalf("second ProcessOutbox = %d, %v with %d apply calls; want 0, nil and apply not called", n, err, rec.count())
	}
}

func TestProcessOutboxTakesTheOldestRowsUpToLimit(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	ids := []string{newID(), newID(), newID()}
	for _, id := range ids {
		if err := st.QueueListings(ctx, []string{id}); err != nil {
			t.Fatal(err)
		}
	}
	var rec recorder
	if n, err := st.ProcessOutbox(ctx, 2, lease, rec.apply); err != nil || n != 2 {
		t.Fatalf("ProcessOutbox = %d, %v; want 2, nil", n, err)
	}
	if !slices.Equal(rec.calls[0], ids[:2]) {
		t.Errorf("first batch = %v, want the two oldest %v", rec.calls[0], ids[:2])
	}
	if _, err := st.ProcessOutbox(ctx, 2, lease, func(context.Context, []string) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ProcessOutbox(ctx, 0, lease, rec.apply); err == nil {
		t.Error("ProcessOutbox with limit 0 succeeded, want an error")
	}
}

func TestProcessOutboxFailureRecordsErrorAndBacksOff(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	id := newID()
	if err := st.QueueListings(ctx, []string{id}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("meilisearch is down")
	failing := func(context.Context, []string) error { return boom }

	n, err := st.ProcessOutbox(ctx, 10, lease, failing)
	if !errors.Is(err, boom) || n != 0 {
		t.Fatalf("ProcessOutbox = %d, %v; want 0 and apply's error", n, err)
	}
	r := outboxRows(t, st)[0]
	if r.Processed || r.Attempts != 1 || r.LastError == nil || *r.LastError != boom.Error() {
		t.Fatalf("row after failure = %+v, want pending, 1 attempt, error kept", r)
	}
	if r.DueIn < 500*time.Millisecond || r.DueIn > 1500*time.Millisecond {
		t.Errorf("first retry due in %v, want about 1s", r.DueIn)
	}

	var rec recorder
	if n, err := st.ProcessOutbox(ctx, 10, lease, rec.apply); err != nil || n != 0 || rec.count() != 0 {
		t.Fatalf("ProcessOutbox during backoff = %d, %v, %d apply calls; want the row left alone", n, err, rec.count())
	}

	exec(t, st, `UPDATE outbox SET available_at = now() - interval '1 second'`)
	if _, err := st.ProcessOutbox(ctx, 10, lease, failing); !errors.Is(err, boom) {
		t.Fatalf("second failure = %v", err)
	}
	r = outboxRows(t, st)[0]
	if r.Attempts != 2 || r.DueIn < 1500*time.Millisecond || r.DueIn > 2500*time.Millisecond {
		t.Errorf("after two failures: %d attempts, due in %v; want 2 and about 2s", r.Attempts, r.DueIn)
	}

	exec(t, st, `UPDATE outbox SET available_at = now() - interval '1 second', attempts = 40`)
	long := errors.New(strings.Repeat("é", 3000))
	if _, err := st.ProcessOutbox(ctx, 10, lease, func(context.Context, []string) error { return long }); err == nil {
		t.Fatal("failing apply reported success")
	}
	r = outboxRows(t, st)[0]
	if r.DueIn < 299*time.Second || r.DueIn > 301*time.Second {
		t.Errorf("after 41 failures due in %v, want the 5-minute cap", r.DueIn)
	}
	if len(*r.LastError) > 1100 || !strings.HasPrefix(*r.LastError, "éé") {
		t.Errorf("kept error of %d bytes, want it cut to about 1000", len(*r.LastError))
	}

	exec(t, st, `UPDATE outbox SET available_at = now() - interval '1 second'`)
	if n, err := st.ProcessOutbox(ctx, 10, lease, rec.apply); err != nil || n != 1 {
		t.Fatalf("retry = %d, %v; want the row applied", n, err)
	}
	if r := outboxRows(t, st)[0]; !r.Processed || r.LastError != nil {
		t.Errorf("row after a successful retry = %+v, want processed and its error cleared", r)
	}
}

// lease is how long the tests' claims hold their rows: far longer than any of
// them takes, so only a test that ends a lease on purpose sees one run out.
const lease = 2 * time.Minute

// A worker that stops after claiming rows must not lose them: however the claim
// ends without the rows being applied, they stay pending with nothing recorded
// against them, and the next run applies them.
func TestProcessOutboxCrashBetweenClaimAndApplyLosesNothing(t *testing.T) {
	crashes := map[string]func(t *testing.T, st *store.Store, ctx context.Context, cancel context.CancelFunc) error{
		"context canceled during apply": func(t *testing.T, st *store.Store, ctx context.Context, cancel context.CancelFunc) error {
			_, err := st.ProcessOutbox(ctx, 10, lease, func(ctx context.Context, _ []string) error {
				cancel()
				return ctx.Err()
			})
			return err
		},
		"apply panics": func(t *testing.T, st *store.Store, ctx context.Context, _ context.CancelFunc) (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("recovered: %v", r)
				}
			}()
			_, err = st.ProcessOutbox(ctx, 10, lease, func(context.Context, []string) error { panic("bug") })
			return err
		},
	}
	for name, crash := range crashes {
		t.Run(name, func(t *testing.T) {
			st := testenv.Store(t)
			id := newID()
			if err := st.QueueListings(context.Background(), []string{id}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := crash(t, st, ctx, cancel); err == nil {
				t.Fatal("the crashed run reported success")
			}
			r := outboxRows(t, st)[0]
			if r.Processed || r.Attempts != 0 || r.LastError != nil || r.DueIn > 0 {
				t.Fatalf("row after crash = %+v, want pending and untouched", r)
			}
			// A lease left behind would make the next run skip the row.
			var rec recorder
			n, err := st.ProcessOutbox(context.Background(), 10, lease, rec.apply)
			if err != nil || n != 1 || len(rec.calls) != 1 || rec.calls[0][0] != id {
				t.Fatalf("next run = %d, %v, calls %v; want the row applied", n, err, rec.calls)
			}
		})
	}
}

// workerDatabaseVar names the database TestOutboxWorkerProcess claims from; the
// test is a no-op without it.
const workerDatabaseVar = "BELONG_TEST_OUTBOX_WORKER_DATABASE"

// TestOutboxWorkerProcess is the worker a crash test kills: run as a child
// process, it claims rows with a one-second lease, says so, and hangs in apply.
func TestOutboxWorkerProcess(t *testing.T) {
	url := os.Getenv(workerDatabaseVar)
	if url == "" {
		t.Skip("only run as the child of TestProcessOutboxWorkerThatDiesLosesNothing")
	}
	st, err := store.Open(context.Background(), url, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.ProcessOutbox(context.Background(), 10, time.Second, func(context.Context, []string) error {
		fmt.Println("claimed")
		select {} // killed here
	})
	t.Fatal(err)
}

// A worker process killed while it applies leaves its rows leased; once the
// lease has run out another worker claims and applies them.
func TestProcessOutboxWorkerThatDiesLosesNothing(t *testing.T) {
	st := testenv.Store(t)
	id := newID()
	if err := st.QueueListings(context.Background(), []string{id}); err != nil {
		t.Fatal(err)
	}
	child := osexec.Command(os.Args[0], "-test.run=^TestOutboxWorkerProcess$", "-test.count=1")
	child.Env = append(os.Environ(), workerDatabaseVar+"="+st.Pool().Config().ConnString())
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "claimed\n" {
		_ = child.Process.Kill()
		t.Fatalf("worker process said %q, %v; want it to claim the row", line, err)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	if r := outboxRows(t, st)[0]; r.Processed || r.Attempts != 0 {
		t.Fatalf("row after the worker died = %+v, want pending", r)
	}
	var rec recorder
	eventually(t, "the dead worker's row applied by another", func() bool {
		n, err := st.ProcessOutbox(context.Background(), 10, lease, rec.apply)
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	})
	if len(rec.calls) != 1 || rec.calls[0][0] != id {
		t.Fatalf("apply calls = %v, want %s once", rec.calls, id)
	}
	if r := outboxRows(t, st)[0]; !r.Processed || r.Attempts != 0 || r.LastError != nil {
		t.Errorf("row = %+v, want processed with nothing held against it", r)
	}
}

// eventually polls cond every few milliseconds until it holds; the deadline is
// only there to end a test that would otherwise hang.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 2 minutes", what)
		}
	}
}

// While apply runs, the claim holds no transaction, row lock or advisory lock:
// Meilisearch may take minutes, and a session idling in a transaction breaks
// under PgBouncer and idle_in_transaction_session_timeout.
func TestProcessOutboxHoldsNoTransactionWhileApplying(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	if err := st.QueueListings(ctx, []string{newID()}); err != nil {
		t.Fatal(err)
	}
	n, err := st.ProcessOutbox(ctx, 10, lease, func(ctx context.Context, _ []string) error {
		var open, locks int
		err := st.Pool().QueryRow(ctx, `SELECT
				(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
					AND pid <> pg_backend_pid() AND xact_start IS NOT NULL),
				(SELECT count(*) FROM pg_locks WHERE database = (SELECT oid FROM pg_database
					WHERE datname = current_database()) AND pid <> pg_backend_pid())`).Scan(&open, &locks)
		if err != nil {
			return err
		}
		if open != 0 || locks != 0 {
			t.Errorf("while applying: %d other transactions open, %d locks held; want none", open, locks)
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("ProcessOutbox = %d, %v", n, err)
	}
}

// A batch that waits long for Meilisearch keeps its rows: the lease is
// renewed while apply runs, so no other claim takes them after the first
// lease would have run out.
func TestProcessOutboxRenewsTheLeaseWhileApplying(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	if err := st.QueueListings(ctx, []string{newID()}); err != nil {
		t.Fatal(err)
	}
	const short = time.Second
	var other recorder
	n, err := st.ProcessOutbox(ctx, 10, short, func(ctx context.Context, _ []string) error {
		var first time.Time
		if err := st.Pool().QueryRow(ctx, `SELECT claimed_until FROM outbox`).Scan(&first); err != nil {
			return err
		}
		eventually(t, "the first lease over and a renewed one held", func() bool {
			var renewed, over bool
			err := st.Pool().QueryRow(ctx, `SELECT claimed_until > $1, clock_timestamp() > $1 FROM outbox`, first).
				Scan(&renewed, &over)
			if err != nil {
				t.Fatal(err)
			}
			return renewed && over
		})
		if n, err := st.ProcessOutbox(ctx, 10, short, other.apply); err != nil || n != 0 {
			t.Errorf("a claim while the lease is renewed = %d, %v; want nothing claimed", n, err)
		}
		return ctx.Err()
	})
	if err != nil || n != 1 {
		t.Fatalf("ProcessOutbox = %d, %v; want the row applied", n, err)
	}
	if other.count() != 0 {
		t.Errorf("another claim applied %v while the first held the lease", other.calls)
	}
}

// apply must be over before the lease is: after it, another worker may apply
// the same listing, and an older version written last would win. A lease that
// cannot be renewed (PostgreSQL out of reach, or the lease already over) ends
// apply's context before it runs out.
func TestProcessOutboxApplyEndsWhenTheLeaseCannotBeRenewed(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	if err := st.QueueListings(ctx, []string{newID()}); err != nil {
		t.Fatal(err)
	}
	_, err := st.ProcessOutbox(ctx, 10, time.Second, func(ctx context.Context, _ []string) error {
		// As a renewal sees it when the lease ran out while PostgreSQL was down.
		if _, err := st.Pool().Exec(ctx, `UPDATE outbox SET claimed_until = clock_timestamp() - interval '1 second'`); err != nil {
			return err
		}
		<-ctx.Done()
		if cause := context.Cause(ctx); !errors.Is(cause, context.DeadlineExceeded) {
			t.Errorf("apply's context ended by %v; want the lease about to run out", cause)
		}
		return ctx.Err()
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ProcessOutbox = %v, want the lease's end", err)
	}
	if r := outboxRows(t, st)[0]; r.Processed || r.Attempts != 1 {
		t.Errorf("row after apply overran = %+v, want a failure recorded for a retry", r)
	}
}

func TestProcessOutboxTwoWorkersNeverDoubleApply(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	const rows = 500
	ids := make([]string, rows)
	for i := range ids {
		ids[i] = newID()
	}
	if err := st.QueueListings(ctx, ids); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	applied := map[string]int{}
	perWorker := make([]int, 2)
	// The first worker's first batch waits for the second worker to apply one,
	// so both take rows however the scheduler runs them.
	secondApplied := make(chan struct{})
	signal := sync.OnceFunc(func() { close(secondApplied) })
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := range 2 {
		wg.Go(func() {
			first := true
			apply := func(_ context.Context, batch []string) error {
				if w == 0 && first {
					<-secondApplied
				}
				first = false
				mu.Lock()
				for _, id := range batch {
					applied[id]++
				}
				perWorker[w] += len(batch)
				mu.Unlock()
				if w == 1 {
					signal()
				}
				return nil
			}
			for {
				n, err := st.ProcessOutbox(ctx, 7, lease, apply)
				if err != nil {
					errs <- err
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, id := range ids {
		if applied[id] != 1 {
			t.Errorf("listing %s applied %d times, want exactly once", id, applied[id])
		}
	}
	if len(applied) != rows {
		t.Errorf("%d listings applied, want %d", len(applied), rows)
	}
	if perWorker[0] == 0 || perWorker[1] == 0 {
		t.Errorf("work per worker = %v, want both to have taken rows", perWorker)
	}
	for _, r := range outboxRows(t, st) {
		if !r.Processed {
			t.Fatalf("row %+v left pending", r)
		}
	}
}

// Two rows for one listing: while a worker applies the first, no other worker
// may claim the second, or an older read could be written after a newer one.
// The second row stays pending and is applied once the first worker is done,
// reading the listing after the first has written.
func TestProcessOutboxSkipsAListingUnderLease(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	id, other := newID(), newID()
	for range 2 {
		if err := st.QueueListings(ctx, []string{id}); err != nil {
			t.Fatal(err)
		}
	}
	firstIn, release := make(chan struct{}), make(chan struct{})
	releaseFirst := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseFirst)
	firstDone := make(chan error, 1)
	go func() {
		_, err := st.ProcessOutbox(ctx, 1, lease, func(context.Context, []string) error {
			close(firstIn)
			<-release
			return nil
		})
		firstDone <- err
	}()
	<-firstIn
	if err := st.QueueListings(ctx, []string{other}); err != nil {
		t.Fatal(err)
	}
	var during recorder
	if n, err := st.ProcessOutbox(ctx, 10, lease, during.apply); err != nil || n != 1 ||
		!slices.EqualFunc(during.calls, [][]string{{other}}, slices.Equal) {
		t.Fatalf("second worker while the first applies = %d, %v, calls %v; want only the other listing", n, err, during.calls)
	}
	releaseFirst()
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	var after recorder
	if n, err := st.ProcessOutbox(ctx, 10, lease, after.apply); err != nil || n != 1 ||
		!slices.EqualFunc(after.calls, [][]string{{id}}, slices.Equal) {
		t.Fatalf("second worker after the first = %d, %v, calls %v; want the listing's second row", n, err, after.calls)
	}
}

// A lease that ran out makes its rows claimable again, and the worker that lost
// it records nothing on them when it finally finishes.
func TestProcessOutboxLeaseThatRanOutIsClaimableAgain(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	id := newID()
	if err := st.QueueListings(ctx, []string{id}); err != nil {
		t.Fatal(err)
	}
	firstIn, release := make(chan struct{}), make(chan struct{})
	releaseFirst := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseFirst)
	type outcome struct {
		n   int
		err error
	}
	firstDone := make(chan outcome, 1)
	go func() {
		n, err := st.ProcessOutbox(ctx, 10, lease, func(context.Context, []string) error {
			close(firstIn)
			<-release // a worker stalled past its lease
			return errors.New("too late")
		})
		firstDone <- outcome{n, err}
	}()
	<-firstIn
	var rec recorder
	if n, err := st.ProcessOutbox(ctx, 10, lease, rec.apply); err != nil || n != 0 || rec.count() != 0 {
		t.Fatalf("claim under a live lease = %d, %v, %d calls; want nothing", n, err, rec.count())
	}
	exec(t, st, `UPDATE outbox SET claimed_until = clock_timestamp() - interval '1 second'`) // the lease runs out
	if n, err := st.ProcessOutbox(ctx, 10, lease, rec.apply); err != nil || n != 1 || rec.count() != 1 {
		t.Fatalf("claim after the lease ran out = %d, %v, %d calls; want the row applied", n, err, rec.count())
	}
	releaseFirst()
	if o := <-firstDone; o.n != 0 {
		t.Fatalf("the worker that lost its lease marked %d rows", o.n)
	}
	if r := outboxRows(t, st)[0]; !r.Processed || r.Attempts != 0 || r.LastError != nil {
		t.Errorf("row = %+v; the stalled worker's failure must not be recorded on a row it no longer holds", r)
	}
}

// After an outage the rows that failed wait out their back-off; RetryWaiting
// makes them due at once, and leaves processed rows alone.
func TestRetryWaitingMakesBackedOffRowsDue(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	waiting, done := newID(), newID()
	exec(t, st, `INSERT INTO outbox (listing_id, attempts, available_at) VALUES ($1, 9, clock_timestamp() + interval '5 minutes')`, waiting)
	exec(t, st, `INSERT INTO outbox (listing_id, available_at, processed_at) VALUES ($1, clock_timestamp() + interval '5 minutes', clock_timestamp())`, done)
	n, err := st.RetryWaiting(ctx)
	if err != nil || n != 1 {
		t.Fatalf("RetryWaiting = %d, %v; want the one waiting row", n, err)
	}
	var rec recorder
	if n, err := st.ProcessOutbox(ctx, 10, lease, rec.apply); err != nil || n != 1 ||
		!slices.EqualFunc(rec.calls, [][]string{{waiting}}, slices.Equal) {
		t.Fatalf("ProcessOutbox after RetryWaiting = %d, %v, %v; want the waiting row applied", n, err, rec.calls)
	}
}

func TestOutboxBacklog(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	if err := st.QueueListings(ctx, nil); err != nil {
		t.Fatalf("queue nothing: %v", err)
	}
	pending, oldest, err := st.OutboxBacklog(ctx)
	if err != nil || pending != 0 || oldest != 0 {
		t.Fatalf("empty backlog = %d, %v, %v", pending, oldest, err)
	}
	if empty, err := st.OutboxEmpty(ctx); err != nil || !empty {
		t.Fatalf("OutboxEmpty with nothing queued = %v, %v", empty, err)
	}
	if err := st.QueueListings(ctx, []string{newID(), newID()}); err != nil {
		t.Fatal(err)
	}
	if empty, err := st.OutboxEmpty(ctx); err != nil || empty {
		t.Fatalf("OutboxEmpty with two rows queued = %v, %v", empty, err)
	}
	exec(t, st, `UPDATE outbox SET created_at = clock_timestamp() - interval '90 seconds'
		WHERE id = (SELECT min(id) FROM outbox)`)
	pending, oldest, err = st.OutboxBacklog(ctx)
	if err != nil || pending != 2 || oldest < 90*time.Second || oldest > 100*time.Second {
		t.Fatalf("backlog = %d, %v, %v; want 2 rows, oldest about 90s", pending, oldest, err)
	}
	if _, err := st.ProcessOutbox(ctx, 10, lease, func(context.Context, []string) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if pending, _, _ := st.OutboxBacklog(ctx); pending != 0 {
		t.Fatalf("backlog after processing = %d, want 0", pending)
	}
	if empty, err := st.OutboxEmpty(ctx); err != nil || !empty {
		t.Fatalf("OutboxEmpty after processing = %v, %v", empty, err)
	}
}

func TestPruneOutboxDeletesOnlyOldProcessedRows(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	old, recent, pending := newID(), newID(), newID()
	exec(t, st, `INSERT INTO outbox (listing_id, created_at, processed_at) VALUES
		($1, now() - interval '9 days', now() - interval '8 days'),
		($2, now() - interval '2 days', now() - interval '1 day')`, old, recent)
	exec(t, st, `INSERT INTO outbox (listing_id, created_at) VALUES ($1, now() - interval '30 days')`, pending)
	n, err := st.PruneOutbox(ctx, 7*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("PruneOutbox = %d, %v; want 1 row", n, err)
	}
	var left []string
	for _, r := range outboxRows(t, st) {
		left = append(left, r.ListingID)
	}
	if !slices.Equal(left, []string{recent, pending}) {
		t.Errorf("rows left = %v, want the recent processed row and the pending one", left)
	}
}

func TestRequeueProcessedSinceQueuesListingsAppliedAfterTheMark(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	before, after := newID(), newID()
	exec(t, st, `INSERT INTO outbox (listing_id, processed_at) VALUES ($1, clock_timestamp() - interval '1 minute')`, before)
	mark, err := st.OutboxMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, st, `INSERT INTO outbox (listing_id, processed_at) VALUES ($1, clock_timestamp()), ($1, clock_timestamp())`, after)
	n, err := st.RequeueProcessedSince(ctx, mark)
	if err != nil || n != 1 {
		t.Fatalf("RequeueProcessedSince = %d, %v; want 1 listing", n, err)
	}
	var rec recorder
	if _, err := st.ProcessOutbox(ctx, 10, lease, rec.apply); err != nil {
		t.Fatal(err)
	}
	if len(rec.calls) != 1 || !slices.Equal(rec.calls[0], []string{after}) {
		t.Errorf("requeued = %v, want only %s", rec.calls, after)
	}
}

func TestListingIDsPagesThroughEveryListing(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	exec(t, st, `INSERT INTO organizations (id, slug, name) VALUES ('00000000-0000-0000-0000-000000000001', 'org', 'Org')`)
	var want []string
	for i := range 5 {
		id := newID()
		status := "published"
		if i == 2 {
			status = "draft"
		}
		exec(t, st, `INSERT INTO listings (id, slug, organization_id, name, summary, status)
			VALUES ($1, $2, '00000000-0000-0000-0000-000000000001', 'Group', 'A group', $3)`,
			id, fmt.Sprintf("group-%d", i), status)
		want = append(want, id)
	}
	slices.Sort(want)
	var got []string
	after := ""
	for page := 0; ; page++ {
		ids, err := st.ListingIDs(ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			break
		}
		if page > 5 {
			t.Fatal("paging does not end")
		}
		got = append(got, ids...)
		after = ids[len(ids)-1]
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged ids = %v, want every listing once, in order: %v", got, want)
	}
}

func TestListenOutboxWakesOnNewRows(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	l, err := st.ListenOutbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if woke, err := l.Wait(ctx, 100*time.Millisecond); woke || err != nil {
		t.Fatalf("Wait with nothing added = %v, %v; want a quiet timeout", woke, err)
	}
	if err := st.QueueListings(ctx, []string{newID()}); err != nil {
		t.Fatal(err)
	}
	// Waking (true) rather than timing out is the notification arriving; how
	// fast is not for a test on a shared machine.
	if woke, err := l.Wait(ctx, 2*time.Minute); !woke || err != nil {
		t.Fatalf("Wait after a row was added = %v, %v", woke, err)
	}
	// The listener still works after a timeout and a notification.
	if woke, err := l.Wait(ctx, 50*time.Millisecond); woke || err != nil {
		t.Fatalf("Wait = %v, %v; want a quiet timeout", woke, err)
	}
	exec(t, st, `SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN belong_outbox'`)
	if _, err := l.Wait(ctx, 2*time.Minute); err == nil {
		t.Fatal("Wait on a connection the server ended reported no error")
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	l2, err := st.ListenOutbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if _, err := l2.Wait(canceled, time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with a canceled context = %v, want context.Canceled", err)
	}
}
