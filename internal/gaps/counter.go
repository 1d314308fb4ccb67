package gaps

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
)

// CountStore keeps the counters; the store supplies it.
type CountStore interface {
	AddNeedCounts(ctx context.Context, counts []directory.NeedCount) error
}

// cell is one counter's key while it is in memory: the needs travel joined, so
// the key is comparable.
type cell struct {
	week    time.Time
	needs   string
	place   string
	outcome directory.Outcome
}

// CounterOptions tune a Counter; zero values take the defaults.
type CounterOptions struct {
	// Queue is how many searches wait to be added up before more are dropped.
	Queue int
	// Every is how often the sums are written.
	Every time.Duration
	// Timeout bounds one write.
	Timeout time.Duration
	Now     func() time.Time
	Log     *slog.Logger
}

// Counter counts searches for needs. Count only puts a small key on a bounded
// queue and never waits: when the queue is full the search is dropped (and the
// drop counted), so counting never slows a search. Run adds the queue up in
// memory and writes the sums every few seconds and when it stops. If
// PostgreSQL does not answer, the sums of that write are lost; a seeker never
// sees an error for it.
type Counter struct {
	store   CountStore
	queue   chan cell
	every   time.Duration
	timeout time.Duration
	now     func() time.Time
	log     *slog.Logger

	mu   sync.Mutex
	sums map[cell]int64
	// told is how many drops the log has been told of.
	told int64

	dropped, lost atomic.Int64
}

// NewCounter returns a Counter writing to st; Run must run for anything to be
// written.
func NewCounter(st CountStore, o CounterOptions) *Counter {
	if o.Queue <= 0 {
		o.Queue = 4096
	}
	if o.Every <= 0 {
		o.Every = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Counter{store: st, queue: make(chan cell, o.Queue), every: o.Every, timeout: o.Timeout, now: o.Now,
		log: o.Log, sums: map[cell]int64{}}
}

// Count counts one answered search: only the first page (later pages are the
// same search read further), only searches for one to MaxCountedNeeds needs.
// It never blocks. A nil Counter counts nothing.
func (c *Counter) Count(q search.Query, fullMatches int) {
	if c == nil || q.Page != 1 || len(q.Needs) == 0 || len(q.Needs) > directory.MaxCountedNeeds {
		return
	}
	k := cell{week: directory.WeekOf(c.now()), needs: strings.Join(q.Needs, ","), place: PlaceOf(q),
		outcome: directory.OutcomeOf(fullMatches)}
	select {
	case c.queue <- k:
	default:
		c.dropped.Add(1)
	}
}

// PlaceOf is the coarse place a search is counted under: the directory's city
// it chose, online, near (a point, which is not kept) or anywhere.
func PlaceOf(q search.Query) string {
	switch {
	case q.City != "":
		return q.City
	case q.OnlineOnly:
		return directory.PlaceOnline
	case q.Near != nil:
		return directory.PlaceNear
	}
	return directory.PlaceAnywhere
}

// Dropped is how many searches were not counted because the queue was full.
func (c *Counter) Dropped() int64 { return c.dropped.Load() }

// Lost is how many counted searches were lost because a write failed.
func (c *Counter) Lost() int64 { return c.lost.Load() }

// Run adds up the queue and writes the sums every few seconds until ctx ends,
// then writes what is left once more and returns.
func (c *Counter) Run(ctx context.Context) {
	tick := time.NewTicker(c.every)
	defer tick.Stop()
	for {
		select {
		case k := <-c.queue:
			c.add(k)
		case <-tick.C:
			c.Flush(ctx)
		case <-ctx.Done():
			c.Flush(context.WithoutCancel(ctx))
			return
		}
	}
}

func (c *Counter) add(k cell) {
	c.mu.Lock()
	c.sums[k]++
	c.mu.Unlock()
}

// Flush adds up whatever waits in the queue and writes the sums. Run calls it;
// a test may call it instead of Run.
func (c *Counter) Flush(ctx context.Context) {
	for drained := false; !drained; {
		select {
		case k := <-c.queue:
			c.add(k)
		default:
			drained = true
		}
	}
	c.mu.Lock()
	sums := c.sums
	c.sums = map[cell]int64{}
	dropped := c.dropped.Load()
	newDrops := dropped - c.told
	c.told = dropped
	c.mu.Unlock()
	if newDrops > 0 {
		c.log.Warn("unmet-needs queue was full; searches not counted", "dropped", newDrops, "dropped_in_all", dropped)
	}
	if len(sums) == 0 {
		return
	}
	counts := make([]directory.NeedCount, 0, len(sums))
	var total int64
	for k, n := range sums {
		counts = append(counts, directory.NeedCount{Week: k.week, Needs: strings.Split(k.needs, ","), Place: k.place,
			Outcome: k.outcome, Searches: n})
		total += n
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if err := c.store.AddNeedCounts(ctx, counts); err != nil {
		c.lost.Add(total)
		c.log.Warn("unmet-needs counts not written; they are lost", "searches", total, "error", err.Error())
	}
}
