package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Each broken phase runs for preFault before the fault and tail after
// recovery, so the table shows a little of the normal state on both sides.
const (
	preFault = 3 * time.Second
	tail     = 2 * time.Second
)

// phase is one part of the run: a service broken and brought back, or load.
type phase struct {
	key, name string
	// fault breaks a service and restore brings it back; both nil for load-only
	// phases. answers reports whether the service answers again.
	fault, restore func(ctx context.Context) error
	answers        func(ctx context.Context) bool
	overload       bool
}

// phaseResult is when things happened in one phase. Times are zero when they
// do not apply.
type phaseResult struct {
	phase
	start, end time.Time
	faulted    time.Time // the fault was injected (for overload: the load began)
	restored   time.Time // the restart or SIGCONT was issued (for overload: the load ended)
	back       time.Time // the service answered again
	maxOutbox  int64     // the newest outbox row when the service answered again
	// Recovery, measured from back: the first uncacheable probe every server
	// answered from Meilisearch, the first /readyz of every server that says
	// all is well, every outbox row written before back processed.
	engineBack, readyBack, caughtUp   time.Duration
	engineSeen, readySeen, caughtSeen bool
}

func (c *cluster) phases() []phase {
	restartMeili := func(ctx context.Context) error { return c.startMeili(ctx) }
	return []phase{
		{key: "baseline", name: "baseline"},
		{key: "meili-kill", name: "Meilisearch killed (SIGKILL), restarted",
			fault:   func(context.Context) error { c.meili.Kill(); return nil },
			restore: restartMeili, answers: c.meiliAnswers},
		{key: "meili-pause", name: "Meilisearch paused (SIGSTOP), continued",
			fault:   func(context.Context) error { return pause(c.meili) },
			restore: func(context.Context) error { return resume(c.meili) }, answers: c.meiliAnswers},
		{key: "redis-kill", name: "Redis killed (SIGKILL), restarted",
			fault:   func(context.Context) error { c.redis.Kill(); return nil },
			restore: c.startRedis, answers: c.redisAnswers},
		{key: "worker-kill", name: "worker killed (SIGKILL), restarted",
			fault:   func(context.Context) error { c.worker.Kill(); return nil },
			restore: c.startWorker, answers: func(context.Context) bool { exited, _ := c.worker.Exited(); return !exited }},
		{key: "postgres-kill", name: "PostgreSQL killed (immediate stop), restarted",
			fault: c.killPostgres, restore: c.startPostgres, answers: c.postgresAnswers},
		{key: "overload", name: fmt.Sprintf("overload, %d concurrent connections", c.o.overload), overload: true},
	}
}

// runAll runs every phase under steady load and writes, lets the indexer
// settle, compares what was written with what every store holds, and reports.
func (c *cluster) runAll(ctx context.Context) (*report, error) {
	rng := rand.New(rand.NewPCG(uint64(c.o.seed), 0x6d6978))
	m, err := c.buildMix(ctx, rng, 60)
	if err != nil {
		return nil, err
	}
	tracked, err := c.chooseTracked(ctx, rng, c.o.tracked)
	if err != nil {
		return nil, err
	}
	tl := &timeline{}
	client := loadClient(c.o.overload + 16)
	defer client.CloseIdleConnections()
	s := &searcher{client: client, servers: c.serveURLs, mix: m, tl: tl}
	w := &writer{c: c, tl: tl, rng: rand.New(rand.NewPCG(uint64(c.o.seed), 0x777269)), tracked: tracked}

	loadCtx, stopLoad := context.WithCancel(ctx)
	var paused atomic.Bool
	var skipped atomic.Int64
	var bg sync.WaitGroup
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			stopLoad()
			bg.Wait()
		}
	}
	defer stop()
	bg.Go(func() { s.steady(loadCtx, c.o.rate, &paused, &skipped) })
	bg.Go(func() { s.watch(loadCtx) })
	bg.Go(func() { w.run(loadCtx, c.o.writeRate) })
	c.say("load: %.0f searches/s (API and page, both servers), %.0f listing updates/s on %d listings",
		c.o.rate, c.o.writeRate, len(tracked))

	rep := &report{o: c.o, setupTook: c.setupTook, documents: c.reindexDocuments}
	for _, p := range c.phases() {
		if c.o.only != nil && !c.o.only[p.key] {
			continue
		}
		r, err := c.runPhase(ctx, p, s, &paused)
		if err != nil {
			return nil, fmt.Errorf("phase %s: %w", p.name, err)
		}
		rep.phases = append(rep.phases, r)
		if err := c.reviveBelong(ctx, p.name); err != nil {
			return nil, err
		}
	}
	stop()
	rep.skipped = skipped.Load()

	c.say("settling: waiting (at most %s) for the indexer to process every outbox row", c.o.settle)
	settleStart := time.Now()
	err = c.waitOutbox(ctx, 0, c.o.settle)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	settled := err == nil
	settleTook := time.Since(settleStart)
	pending, _ := c.pendingOutbox(ctx, 0)
	rep.lost, err = w.compare(ctx, pending, settleTook, settled)
	if err != nil {
		return nil, err
	}
	rep.tl = tl
	rep.exits = c.exits
	c.say("compared %d updated listings: %d wrong somewhere", rep.lost.updated, rep.lost.lost)
	return rep, nil
}

func (c *cluster) runPhase(ctx context.Context, p phase, s *searcher, paused *atomic.Bool) (phaseResult, error) {
	r := phaseResult{phase: p, start: time.Now()}
	c.say("phase: %s", p.name)
	switch {
	case p.overload:
		paused.Store(true)
		r.faulted = time.Now()
		s.overload(ctx, c.o.overload, c.o.baseline)
		paused.Store(false)
		r.restored = time.Now()
		r.back = r.restored
		r.maxOutbox = c.maxOutboxID(ctx)
		c.awaitRecovery(ctx, &r, s.tl)
	case p.fault == nil:
		if err := sleep(ctx, c.o.baseline); err != nil {
			return r, err
		}
	default:
		if err := sleep(ctx, preFault); err != nil {
			return r, err
		}
		r.faulted = time.Now()
		if err := p.fault(ctx); err != nil {
			return r, err
		}
		if err := sleep(ctx, c.o.down); err != nil {
			return r, err
		}
		r.restored = time.Now()
		if err := p.restore(ctx); err != nil {
			return r, err
		}
		deadline := time.Now().Add(time.Minute)
		for !p.answers(ctx) {
			if time.Now().After(deadline) {
				return r, errors.New("the service did not answer within a minute of its restart")
			}
			if err := sleep(ctx, 50*time.Millisecond); err != nil {
				return r, err
			}
		}
		r.back = time.Now()
		r.maxOutbox = c.maxOutboxID(ctx)
		c.awaitRecovery(ctx, &r, s.tl)
	}
	if err := sleep(ctx, tail); err != nil {
		return r, err
	}
	r.end = time.Now()
	c.say("phase done: %s", r.summary(c.o.recovery))
	return r, nil
}

// awaitRecovery waits, at most -recovery after the service answered again,
// until every server answers from Meilisearch, says on /readyz that all is
// well, and the indexer has processed what was written before.
func (c *cluster) awaitRecovery(ctx context.Context, r *phaseResult, tl *timeline) {
	deadline := r.back.Add(c.o.recovery)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if !r.caughtSeen {
			if n, err := c.pendingOutbox(ctx, r.maxOutbox); err == nil && n == 0 {
				r.caughtSeen, r.caughtUp = true, time.Since(r.back)
			}
		}
		r.engineBack, r.engineSeen = tl.firstForEvery(len(c.serveURLs), r.back, func(p probe) bool {
			return !p.readyz && p.status == http.StatusOK && p.engine == "meilisearch"
		})
		r.readyBack, r.readySeen = tl.firstForEvery(len(c.serveURLs), r.back, func(p probe) bool {
			return p.readyz && p.allOK
		})
		if r.caughtSeen && r.engineSeen && r.readySeen {
			return
		}
		_ = sleep(ctx, 100*time.Millisecond)
	}
}

// firstForEvery is how long after since every server had answered a probe
// sent after since that ok accepts: the latest of each server's first.
func (t *timeline) firstForEvery(servers int, since time.Time, ok func(probe) bool) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	first := make([]time.Time, servers)
	for _, p := range t.probes {
		if p.at.Before(since) || !first[p.server].IsZero() || !ok(p) {
			continue
		}
		first[p.server] = p.done
	}
	var latest time.Time
	for _, f := range first {
		if f.IsZero() {
			return 0, false
		}
		if f.After(latest) {
			latest = f
		}
	}
	return latest.Sub(since), true
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
