// Package indexer owns keeping the derived search indexes in step with
// PostgreSQL, the only source of truth: it relays outbox rows to the PostgreSQL
// search_documents table (the search fallback) and to Meilisearch, recomputes
// documents whose next meeting has passed, rebuilds both from scratch, and checks
// them against the listings.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/belong-directory/belong/internal/breaker"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
)

// Listings reads listings, the truth every document is derived from.
type Listings interface {
	// ListingsByID returns the listings that exist among ids, whole.
	ListingsByID(ctx context.Context, ids []string) ([]directory.Listing, error)
	// ListingIDs pages through every listing id in order, starting after after.
	ListingIDs(ctx context.Context, after string, limit int) ([]string, error)
}

// Taxonomy reads the tags, labelled in one UI language.
type Taxonomy interface {
	Taxonomy(ctx context.Context, uiLang string) ([]directory.Category, error)
}

// Outbox is the queue of listings whose documents must be worked out again.
type Outbox interface {
	// ProcessOutbox claims due rows for lease and marks them processed if apply
	// succeeds; apply's context ends before the lease does.
	ProcessOutbox(ctx context.Context, limit int, lease time.Duration,
		apply func(ctx context.Context, listingIDs []string) error) (int, error)
	QueueListings(ctx context.Context, ids []string) error
	OutboxBacklog(ctx context.Context) (pending int, oldest time.Duration, err error)
	PruneOutbox(ctx context.Context, olderThan time.Duration) (int64, error)
	// OutboxMark and RequeueProcessedSince let a rebuild apply again what workers
	// applied to the index it replaced while it was reading.
	OutboxMark(ctx context.Context) (time.Time, error)
	RequeueProcessedSince(ctx context.Context, mark time.Time) (int, error)
	// RetryWaiting makes every row waiting out a back-off due now.
	RetryWaiting(ctx context.Context) (int, error)
}

// Listener wakes the indexer when outbox rows are added.
type Listener interface {
	// Wait blocks until a row is added (true) or timeout passes (false). An error
	// means the listener is broken and must be closed.
	Wait(ctx context.Context, timeout time.Duration) (bool, error)
	Close() error
}

// Sink is a derived copy of the searchable listings, written whole document by
// id, so writing a document twice or out of turn does no harm.
type Sink interface {
	Upsert(ctx context.Context, docs []search.Document) error
	Delete(ctx context.Context, ids []string) error
}

// Documents is a sink that can say what it holds: each id with its document's
// search.Document.ContentHash.
type Documents interface {
	Sink
	Snapshot(ctx context.Context) (map[string]string, error)
}

// Index is the Meilisearch index.
type Index interface {
	Documents
	EnsureSettings(ctx context.Context) error
	// Queue sends docs, then the deletion of the ids in gone, and returns once
	// the index has accepted them; wait returns once it has applied them, or
	// with the first that failed.
	Queue(ctx context.Context, docs []search.Document, gone []string) (wait func(context.Context) error, err error)
	// Rebuild fills a fresh index with what fill adds and swaps it in at once.
	Rebuild(ctx context.Context, fill func(add func([]search.Document) error) error) error
	// Due lists the documents whose next meeting started before before (unix s).
	Due(ctx context.Context, before int64) ([]string, error)
}

// Deps is what the indexer works with; main supplies the real ones.
type Deps struct {
	Listings Listings
	Taxonomy Taxonomy
	Outbox   Outbox
	// Listen opens a listener on the outbox; Run reopens it when it breaks.
	Listen func(ctx context.Context) (Listener, error)
	// Fallback is PostgreSQL's search_documents. It is written alongside the
	// index, whether or not Meilisearch answers, so search answers from fresh
	// data while Meilisearch is down.
	Fallback Documents
	Index    Index
	// OnApplied, when set, is called after each batch that changed a sink; the
	// search-result cache starts a new generation there.
	OnApplied func(ctx context.Context)
	Now       func() time.Time
	Log       *slog.Logger
}

// Config tunes the indexer; New fills in zero fields.
type Config struct {
	// Batch is how many outbox rows one batch claims.
	Batch int
	// Drains is how many batches are read, built and written to the fallback
	// at once; each drain also has up to maxWaiting batches waiting for
	// Meilisearch (see drain). The outbox's leases keep them apart.
	Drains int
	// Lease is how long a batch holds its outbox rows without renewing them.
	// A batch renews it every third of it while it runs, Meilisearch's task
	// waits included; the rows of a worker that dies, or cannot reach
	// PostgreSQL to renew them, are claimable again once it runs out.
	Lease time.Duration
	// RebuildBatch is how many listings a rebuild or a check reads at a time.
	RebuildBatch int
	// Poll is the longest the indexer sleeps without a notification: due retries
	// and lost notifications are picked up within it.
	Poll time.Duration
	// Cooldown is how long the indexer leaves Meilisearch alone after it fails,
	// before it asks again. When it answers, every row waiting out a back-off is
	// retried at once.
	Cooldown time.Duration
	// Refresh is how often documents whose next meeting has passed are queued.
	Refresh time.Duration
	// KeepProcessed is how long processed outbox rows are kept before pruning.
	KeepProcessed time.Duration
	// Grace is how long a batch already under way may run on after Run's ctx ends.
	Grace time.Duration
	// UILangs are the languages whose tag labels documents carry.
	UILangs []string
}

// Defaults for Config's zero fields.
const (
	DefaultBatch         = 200
	DefaultDrains        = 2
	DefaultLease         = 15 * time.Second
	DefaultRebuildBatch  = 1000
	DefaultPoll          = 5 * time.Second
	DefaultCooldown      = 2 * time.Second
	DefaultRefresh       = 10 * time.Minute
	DefaultKeepProcessed = 7 * 24 * time.Hour
	DefaultGrace         = 10 * time.Second
)

// onAppliedTimeout bounds Deps.OnApplied.
const onAppliedTimeout = 5 * time.Second

// taxonomyTTL is how long apply reuses the tags it loaded; they change only with
// a migration.
const taxonomyTTL = time.Minute

// Indexer keeps the fallback and the Meilisearch index in step with PostgreSQL.
type Indexer struct {
	deps Deps
	cfg  Config

	taxMu    sync.Mutex
	tax      search.Taxonomy
	taxUntil time.Time

	settingsDone atomic.Bool
	meili        *breaker.Breaker
	// recovered is set when Meilisearch answers after an outage, so the rows the
	// outage left waiting out their back-off are retried at once.
	recovered atomic.Bool

	// lanes are the drains' own: drain i of every round uses lanes[i], so its
	// batches still waiting for Meilisearch from an earlier round count
	// against it (see drain).
	lanes []lane
	// sent counts the batches under way, Run waits for them before it returns.
	sent sync.WaitGroup
	// settled wakes Run when a batch that claimed rows ends: the listings it
	// held can be claimed again, and a failure may have opened the breaker.
	settled chan struct{}
}

// New returns an indexer; every field of deps but OnApplied is required.
func New(deps Deps, cfg Config) *Indexer {
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.Drains <= 0 {
		cfg.Drains = DefaultDrains
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.RebuildBatch <= 0 {
		cfg.RebuildBatch = DefaultRebuildBatch
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Cooldown <= 0 {
		cfg.Cooldown = DefaultCooldown
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = DefaultRefresh
	}
	if cfg.KeepProcessed <= 0 {
		cfg.KeepProcessed = DefaultKeepProcessed
	}
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	if len(cfg.UILangs) == 0 {
		cfg.UILangs = []string{"en", "es"}
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	ix := &Indexer{deps: deps, cfg: cfg, lanes: make([]lane, cfg.Drains), settled: make(chan struct{}, 1)}
	for i := range ix.lanes {
		ix.lanes[i] = newLane()
	}
	// The breaker keeps real time: Deps.Now is the time documents are derived
	// at, which tests hold still.
	ix.meili = breaker.New(breaker.Options{Threshold: 1, Cooldown: cfg.Cooldown, Log: deps.Log,
		Down: "meilisearch unavailable; the search fallback stays current and batches are retried",
		Up:   "meilisearch available again"})
	return ix
}

// Apply brings the documents of the given listings up to date in both sinks,
// the fallback and Meilisearch, written at once. A listing that is not
// searchable, or no longer exists, is deleted from them. It returns once
// Meilisearch has applied them.
func (ix *Indexer) Apply(ctx context.Context, listingIDs []string) error {
	return ix.apply(ctx, listingIDs, place{})
}

// place is where a batch stands among the batches of its drain (see drain).
type place struct {
	// sent, when set, is called as soon as nothing is left of the batch but
	// waiting for Meilisearch to apply it: the fallback is written and
	// Meilisearch has accepted the batch. A batch that fails before that never
	// calls it.
	sent func()
	// after, when set, is closed once the drain's batch before this one is
	// done. Meilisearch applies tasks in the order it accepted them, so only
	// the oldest waiting batch of a drain asks Meilisearch how its tasks are
	// doing; the others wait for it first.
	after <-chan struct{}
}

func (ix *Indexer) apply(ctx context.Context, listingIDs []string, at place) (err error) {
	defer func() {
		// A listing that trips a bug must cost one failed batch, retried with
		// backoff, not the process: serve runs the indexer too.
		if r := recover(); r != nil {
			ix.deps.Log.Error("indexer panicked applying a batch", "panic", fmt.Sprint(r),
				"listings", len(listingIDs), "stack", string(debug.Stack()))
			err = fmt.Errorf("apply batch: panic: %v", r)
		}
	}()
	tax, err := ix.cachedTaxonomy(ctx)
	if err != nil {
		return err
	}
	listings, err := ix.deps.Listings.ListingsByID(ctx, listingIDs)
	if err != nil {
		return fmt.Errorf("load listings to index: %w", err)
	}
	docs, gone := buildDocuments(listingIDs, listings, tax, ix.deps.Now())
	// Both sinks are written at once: a change reaches Meilisearch's queue
	// without waiting for PostgreSQL's write, and the fallback is written
	// whether or not Meilisearch answers.
	fallback := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				fallback <- fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		fallback <- write(ctx, ix.deps.Fallback, docs, gone)
	}()
	fallbackWritten := sync.OnceValue(func() error { return <-fallback })
	indexErr := ix.useIndex(ctx, func(ctx context.Context) error {
		if err := ix.ensureSettings(ctx); err != nil {
			return err
		}
		wait, err := ix.deps.Index.Queue(ctx, docs, gone)
		if err != nil {
			return err
		}
		if fallbackWritten() == nil && at.sent != nil {
			at.sent()
		}
		if at.after != nil {
			select {
			case <-at.after:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return wait(ctx)
	})
	fallbackErr := fallbackWritten()
	if ix.deps.OnApplied != nil && (fallbackErr == nil || indexErr == nil) {
		// One of them changed, whether or not the batch's time ran out.
		octx, cancel := context.WithTimeout(context.WithoutCancel(ctx), onAppliedTimeout)
		ix.deps.OnApplied(octx)
		cancel()
	}
	if fallbackErr != nil {
		return fmt.Errorf("postgres search documents: %w", fallbackErr)
	}
	if indexErr != nil {
		return &indexError{indexErr}
	}
	return nil
}

// indexError marks a Meilisearch failure, which the breaker has logged.
type indexError struct{ err error }

func (e *indexError) Error() string { return "meilisearch: " + e.err.Error() }
func (e *indexError) Unwrap() error { return e.err }

// errIndexResting is what a batch records while the breaker leaves Meilisearch
// alone: its rows are retried when Meilisearch answers again.
var errIndexResting = errors.New("unavailable; waiting for it to answer again")

// useIndex runs call against Meilisearch unless the breaker is leaving it
// alone, and reports the outcome to the breaker. A call that failed because the
// indexer is stopping says nothing about Meilisearch.
func (ix *Indexer) useIndex(ctx context.Context, call func(context.Context) error) error {
	ticket, ok := ix.meili.Allow()
	if !ok {
		return errIndexResting
	}
	err := call(ctx)
	switch {
	case err == nil:
		if ticket.Succeeded() {
			ix.recovered.Store(true)
		}
	case ctx.Err() != nil:
		ticket.Abandon()
	default:
		ticket.Failed(err)
	}
	return err
}

// ensureSettings gives the index its settings once, before the first write: an
// index Meilisearch creates on its own for a write has none.
func (ix *Indexer) ensureSettings(ctx context.Context) error {
	if ix.settingsDone.Load() {
		return nil
	}
	if err := ix.deps.Index.EnsureSettings(ctx); err != nil {
		return err
	}
	ix.settingsDone.Store(true)
	return nil
}

// write upserts docs and deletes the ids in gone.
func write(ctx context.Context, s Sink, docs []search.Document, gone []string) error {
	if len(docs) > 0 {
		if err := s.Upsert(ctx, docs); err != nil {
			return err
		}
	}
	if len(gone) > 0 {
		return s.Delete(ctx, gone)
	}
	return nil
}

// buildDocuments derives the document of each listing found; ids that are not
// searchable, or were not found at all, come back in gone.
func buildDocuments(ids []string, listings []directory.Listing, tax search.Taxonomy, now time.Time) (docs []search.Document, gone []string) {
	found := make(map[string]bool, len(listings))
	for _, l := range listings {
		found[l.ID] = true
		if d, ok := search.BuildDocument(l, tax, now); ok {
			docs = append(docs, d)
		} else {
			gone = append(gone, l.ID)
		}
	}
	for _, id := range ids {
		if !found[id] {
			gone = append(gone, id)
		}
	}
	return docs, gone
}

// cachedTaxonomy loads the taxonomy at most once per taxonomyTTL. Under Run,
// reloadTaxonomy reloads it before it goes stale, so only the first batch (or
// one after failed reloads) waits for that.
func (ix *Indexer) cachedTaxonomy(ctx context.Context) (search.Taxonomy, error) {
	ix.taxMu.Lock()
	defer ix.taxMu.Unlock()
	now := ix.deps.Now()
	if ix.tax != nil && now.Before(ix.taxUntil) {
		return ix.tax, nil
	}
	tax, err := ix.loadTaxonomy(ctx)
	if err != nil {
		return nil, err
	}
	ix.tax, ix.taxUntil = tax, now.Add(taxonomyTTL)
	return tax, nil
}

// reloadTaxonomy loads the taxonomy afresh into the cache; Run calls it every
// half taxonomyTTL. A failed reload is logged; the batch that finds the
// taxonomy stale loads it itself.
func (ix *Indexer) reloadTaxonomy(ctx context.Context) {
	tax, err := ix.loadTaxonomy(ctx)
	if err != nil {
		if ctx.Err() == nil {
			ix.deps.Log.Warn("reload taxonomy", "error", err.Error())
		}
		return
	}
	ix.taxMu.Lock()
	defer ix.taxMu.Unlock()
	ix.tax, ix.taxUntil = tax, ix.deps.Now().Add(taxonomyTTL)
}

func (ix *Indexer) loadTaxonomy(ctx context.Context) (search.Taxonomy, error) {
	byLang := make([][]directory.Category, 0, len(ix.cfg.UILangs))
	for _, lang := range ix.cfg.UILangs {
		cats, err := ix.deps.Taxonomy.Taxonomy(ctx, lang)
		if err != nil {
			return nil, fmt.Errorf("load taxonomy to index: %w", err)
		}
		byLang = append(byLang, cats)
	}
	return search.NewTaxonomy(byLang...), nil
}
