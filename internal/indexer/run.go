package indexer

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/belong-directory/belong/internal/breaker"
)

// Listener reconnects wait between minRetry and maxRetry, doubling.
const (
	minRetry = time.Second
	maxRetry = 30 * time.Second
)

// Run relays the outbox until ctx ends, then lets the batches already under
// way finish (within Config.Grace) and returns. It listens for new outbox rows and
// drains them as they come, waking at least every Config.Poll to pick up retries
// that have come due; it reconnects the listener when it breaks. Alongside, every
// Config.Refresh and once at the start, it queues listings whose next meeting has
// passed and prunes old processed rows, and it keeps the taxonomy fresh.
func (ix *Indexer) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() {
		ix.refresh(ctx)
		every(ctx, ix.cfg.Refresh, ix.refresh)
	})
	// Off the way of any change: the taxonomy's two queries took a change that
	// came due after it went stale about 10 ms longer to reach Meilisearch
	// (make bench).
	wg.Go(func() { every(ctx, taxonomyTTL/2, ix.reloadTaxonomy) })
	ix.follow(ctx)
	// Batches sent before ctx ended finish within Config.Grace.
	ix.sent.Wait()
	wg.Wait()
	return nil
}

// follow keeps a listener open and drains the outbox whenever it wakes.
func (ix *Indexer) follow(ctx context.Context) {
	retry := backoff{next: minRetry}
	lost := false
	for ctx.Err() == nil {
		l, err := ix.deps.Listen(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if !lost {
				ix.deps.Log.Warn("cannot listen for outbox rows; retrying", "error", err.Error())
			}
			lost = true
			sleep(ctx, retry.wait())
			continue
		}
		if lost {
			ix.deps.Log.Info("listening for outbox rows again")
			lost = false
		}
		err = ix.drainOnWake(ctx, l, &retry)
		_ = l.Close()
		if ctx.Err() != nil {
			return
		}
		ix.deps.Log.Warn("lost the outbox listener; reconnecting", "error", err.Error())
		lost = true
		sleep(ctx, retry.wait())
	}
}

// drainOnWake drains the outbox, then waits for a notification, a batch to
// end or the poll interval, over and over, until the listener breaks or ctx
// ends. It drains first because rows added before the listener started were
// never announced. A round ends once its batches are sent, without waiting for
// Meilisearch to apply them, so a change that comes meanwhile is claimed and
// sent at once instead of after the batch before it. While Meilisearch is
// failing it wakes once per cooldown to ask it again, and as soon as it
// answers, retries every row its outage left waiting.
func (ix *Indexer) drainOnWake(ctx context.Context, l Listener, retry *backoff) error {
	// The listener waits in a goroutine of its own, so that a batch ending
	// wakes the loop too; it is not left waiting when the loop returns, since
	// the listener is closed then.
	heard := make(chan error, 1)
	listening := false
	defer func() {
		if listening {
			<-heard
		}
	}()
	for {
		ix.probeIndex(ctx)
		if ix.recovered.Swap(false) {
			ix.retryWaiting(ctx)
		}
		ix.drainAll(ctx)
		if ix.recovered.Load() {
			continue
		}
		if !listening {
			listening = true
			go func() {
				_, err := l.Wait(ctx, ix.cfg.Poll)
				heard <- err
			}()
		}
		fromListener, err := ix.wake(ctx, heard)
		if fromListener {
			listening = false
		}
		if err != nil {
			return err
		}
		retry.reset()
	}
}

// wake waits for the listener to hear of a row or to reach its poll interval,
// for a batch to end, or, while Meilisearch is failing, for its cooldown. It
// says whether the listener's wait ended, and returns its error, or ctx's.
func (ix *Indexer) wake(ctx context.Context, heard <-chan error) (fromListener bool, err error) {
	var cooldown <-chan time.Time
	if ix.meili.State() != breaker.Closed {
		t := time.NewTimer(ix.cfg.Cooldown)
		defer t.Stop()
		cooldown = t.C
	}
	select {
	case err := <-heard:
		return true, err
	case <-ix.settled:
	case <-cooldown:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	return false, nil
}

// probeIndex asks a failing Meilisearch whether it answers again, once its
// cooldown is over: the rows its outage left waiting may not be due for
// minutes, so no batch would ask it sooner. Checking the settings is the
// question, and puts them back should Meilisearch have come back empty.
func (ix *Indexer) probeIndex(ctx context.Context) {
	if ix.meili.State() != breaker.Open {
		return
	}
	_ = ix.useIndex(ctx, func(ctx context.Context) error {
		ix.settingsDone.Store(false)
		return ix.ensureSettings(ctx)
	})
}

// retryWaiting makes the rows waiting out a back-off due now.
func (ix *Indexer) retryWaiting(ctx context.Context) {
	n, err := ix.deps.Outbox.RetryWaiting(ctx)
	switch {
	case err != nil:
		// They come due on their own; the next recovery tries again.
		ix.deps.Log.Warn("retry outbox rows after meilisearch came back", "error", err.Error())
	case n > 0:
		ix.deps.Log.Info("retrying outbox rows held back while meilisearch was unavailable", "rows", n)
	}
}

// drainAll runs a drain and, once a batch of it comes back full (a backlog),
// Config.Drains-1 more at once, and returns when they have all sent their last
// batch. Each claims rows the others skip, and skips every listing another
// holds a lease on, so the rows of one listing are applied one after the other
// and the newer version is still the one written last. A single change wakes
// one drain: the others' claims would find nothing and only take the cores
// from the one that does.
func (ix *Indexer) drainAll(ctx context.Context) {
	var wg sync.WaitGroup
	var more sync.Once
	backlog := func() {
		more.Do(func() {
			// The first drain is still running, so wg is not waited out yet.
			for i := 1; i < len(ix.lanes); i++ {
				wg.Go(func() { ix.drain(ctx, &ix.lanes[i], nil) })
			}
		})
	}
	wg.Go(func() { ix.drain(ctx, &ix.lanes[0], backlog) })
	wg.Wait()
}

// maxBatch bounds how far a drain grows its batches.
const maxBatch = 5000

// maxWaiting bounds how many of one drain's batches may wait at once for
// Meilisearch to apply them: one being applied and one queued behind it. With
// two drains at most 20,000 rows wait under lease (renewed while they wait);
// at the slowest rate a bulk load has shown on two cores (600 documents/s) the
// last of them is applied about 33 s after it was sent.
const maxWaiting = 2

// lane is what a drain keeps from one round to the next: a slot for each of
// its batches that may wait for Meilisearch at once, and when the last batch it
// sent is done. Only one drain uses a lane at a time.
type lane struct {
	slots chan struct{}
	last  <-chan struct{}
}

func newLane() lane {
	done := make(chan struct{})
	close(done)
	return lane{slots: make(chan struct{}, maxWaiting), last: done}
}

// drain processes batches until none is full, one fails, or ctx ends, and
// returns once its last batch is sent; the batches wait for Meilisearch on
// their own, counted in ix.sent, and each that claimed rows wakes Run when it
// ends (ix.settled). A failed batch waits out its backoff in the outbox; the
// next wake tries what is due.
//
// While batches come back full (a bulk load) each is four times the last, up to
// maxBatch, and the drain claims its next batch as soon as Meilisearch has
// accepted the last one, without waiting for it to be applied: Meilisearch
// indexes every task waiting in its queue in one go, and a big index costs it
// seconds per go however few documents it brings, so a queue that never runs
// dry keeps its goes few and large. Only one batch per drain is read and built
// at a time, and at most maxWaiting of its lane's batches, this round's and
// those an earlier round left, wait for Meilisearch at once. backlog, when
// set, is called after each batch that came back full.
func (ix *Indexer) drain(ctx context.Context, at *lane, backlog func()) {
	var failed atomic.Bool
	for size := ix.cfg.Batch; ctx.Err() == nil && !failed.Load(); size = min(size*4, max(maxBatch, ix.cfg.Batch)) {
		select {
		case at.slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		// full says, once the batch is sent, whether it claimed all it could;
		// a batch that claimed nothing, or failed before it was sent, answers
		// not full when it ends. Claims count rows and apply sees listings, so
		// a full batch in which a listing came twice looks short and ends the
		// drain; the batch's end wakes Run for another.
		full := make(chan bool, 1)
		var once sync.Once
		answer := func(v bool) { once.Do(func() { full <- v }) }
		after, batchDone := at.last, make(chan struct{})
		at.last = batchDone
		ix.sent.Go(func() {
			defer func() { <-at.slots }()
			defer close(batchDone)
			defer answer(false)
			n, claimed, err := ix.processBatch(ctx, size, after, func(listings int) { answer(listings >= size) })
			if claimed {
				select {
				case ix.settled <- struct{}{}:
				default:
				}
			}
			if n > 0 {
				ix.deps.Log.Debug("indexed outbox batch", "rows", n)
			}
			if err != nil {
				failed.Store(true)
				var ie *indexError
				switch {
				case ctx.Err() != nil:
				case errors.As(err, &ie):
					ix.deps.Log.Debug("index batch failed; will retry", "error", err.Error())
				default:
					ix.deps.Log.Warn("index batch failed; will retry", "error", err.Error())
				}
			}
		})
		if !<-full {
			break
		}
		if backlog != nil {
			backlog()
		}
	}
}

// processBatch runs one outbox batch of a drain (see place) and says how many
// rows it marked processed and whether it claimed any: sent is called with how
// many listings it claimed once the batch was sent (not at all when nothing
// was claimed or the batch failed first), and its wait for Meilisearch starts
// once after is closed. The batch runs on for up to Config.Grace after ctx
// ends, so a stop does not throw away work half sent.
func (ix *Indexer) processBatch(ctx context.Context, size int, after <-chan struct{}, sent func(listings int)) (
	n int, claimed bool, err error) {
	work, cancel := graceful(ctx, ix.cfg.Grace)
	defer cancel()
	n, err = ix.deps.Outbox.ProcessOutbox(work, size, ix.cfg.Lease, func(ctx context.Context, listingIDs []string) error {
		claimed = true
		return ix.apply(ctx, listingIDs, place{after: after, sent: func() { sent(len(listingIDs)) }})
	})
	return n, claimed, err
}

// graceful returns a context that ends grace after parent does, or when cancel
// is called.
func graceful(parent context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	work, cancel := context.WithCancel(context.WithoutCancel(parent))
	stop := context.AfterFunc(parent, func() {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancel()
		case <-work.Done():
		}
	})
	return work, func() {
		stop()
		cancel()
	}
}

// every calls f every d until ctx ends.
func every(ctx context.Context, d time.Duration, f func(context.Context)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		f(ctx)
	}
}

// queueChunk bounds how many listings one QueueListings call carries.
const queueChunk = 1000

// refresh checks the index's settings, queues the listings whose next meeting
// has passed so it is worked out again, prunes old processed outbox rows, and
// logs the backlog. Each step's failure is logged and left for the next round.
func (ix *Indexer) refresh(ctx context.Context) {
	if err := ix.useIndex(ctx, func(ctx context.Context) error {
		ix.settingsDone.Store(false)
		return ix.ensureSettings(ctx)
	}); err == nil {
		ix.queueDue(ctx)
	}
	if ctx.Err() != nil {
		return
	}
	if n, err := ix.deps.Outbox.PruneOutbox(ctx, ix.cfg.KeepProcessed); err != nil {
		ix.deps.Log.Warn("prune outbox", "error", err.Error())
	} else if n > 0 {
		ix.deps.Log.Debug("pruned outbox", "rows", n)
	}
	pending, oldest, err := ix.deps.Outbox.OutboxBacklog(ctx)
	switch {
	case err != nil:
		ix.deps.Log.Warn("measure outbox backlog", "error", err.Error())
	case oldest > ix.cfg.Refresh:
		ix.deps.Log.Warn("outbox backlog is old", "pending", pending, "oldest", oldest.Round(time.Second).String())
	default:
		ix.deps.Log.Debug("outbox backlog", "pending", pending, "oldest", oldest.Round(time.Second).String())
	}
}

func (ix *Indexer) queueDue(ctx context.Context) {
	var due []string
	if err := ix.useIndex(ctx, func(ctx context.Context) (err error) {
		due, err = ix.deps.Index.Due(ctx, ix.deps.Now().Unix())
		return err
	}); err != nil {
		return
	}
	for chunk := range slices.Chunk(due, queueChunk) {
		if err := ix.deps.Outbox.QueueListings(ctx, chunk); err != nil {
			ix.deps.Log.Warn("queue listings whose next meeting passed", "error", err.Error())
			return
		}
	}
	if len(due) > 0 {
		ix.deps.Log.Debug("queued listings whose next meeting passed", "listings", len(due))
	}
}

// backoff doubles a wait from minRetry up to maxRetry.
type backoff struct{ next time.Duration }

func (b *backoff) wait() time.Duration {
	d := b.next
	b.next = min(2*b.next, maxRetry)
	return d
}

func (b *backoff) reset() { b.next = minRetry }

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
