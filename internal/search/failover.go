package search

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Failover answers from the primary engine and, when it fails or is over its
// deadline, from the fallback. A circuit breaker keeps a dead primary from costing
// a timeout per request: after Threshold failures in a row it is skipped for
// Cooldown, then tried again with one request.
type Failover struct {
	Primary, Fallback Engine
	Threshold         int
	Cooldown          time.Duration
	Log               *slog.Logger
	Now               func() time.Time

	mu        sync.Mutex
	failures  int
	openUntil time.Time
}

// Name is the primary's name; a Result says which engine actually answered.
func (f *Failover) Name() string { return f.Primary.Name() }

// Search tries the primary unless the breaker is open, then the fallback.
func (f *Failover) Search(ctx context.Context, q Query) (Result, error) {
	if f.allow() {
		r, err := f.Primary.Search(ctx, q)
		if err == nil {
			f.record(nil)
			return r, nil
		}
		if ctx.Err() != nil {
			return Result{}, ctx.Err() // the person went away; nothing to fall back for
		}
		f.record(err)
	}
	return f.Fallback.Search(ctx, q)
}

func (f *Failover) allow() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.Now().Before(f.openUntil)
}

func (f *Failover) record(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil {
		if f.failures >= f.Threshold {
			f.Log.Info("search engine answering again", "engine", f.Primary.Name())
		}
		f.failures, f.openUntil = 0, time.Time{}
		return
	}
	f.failures++
	if f.failures == f.Threshold {
		f.Log.Warn("search engine failing; answering from the fallback",
			"engine", f.Primary.Name(), "fallback", f.Fallback.Name(), "error", err.Error())
	}
	if f.failures >= f.Threshold {
		f.openUntil = f.Now().Add(f.Cooldown)
	}
}
