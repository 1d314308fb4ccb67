package search

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/belong-directory/belong/internal/breaker"
)

// Failover answers from the primary engine and, when it fails or is over its
// deadline, from the fallback. A circuit breaker keeps a dead primary from costing
// a timeout per request: after Threshold failures in a row it is skipped for
// Cooldown, then exactly one request probes it while the others keep answering
// from the fallback until the probe does.
type Failover struct {
	Primary, Fallback Engine
	Threshold         int
	Cooldown          time.Duration
	Log               *slog.Logger
	Now               func() time.Time

	// The breaker is built on first use from the fields above, so a Failover
	// stays a plain struct literal to wire.
	once    sync.Once
	breaker *breaker.Breaker
}

// Name is the primary's name; a Result says which engine actually answered.
func (f *Failover) Name() string { return f.Primary.Name() }

// Search tries the primary unless the breaker refuses, then the fallback.
func (f *Failover) Search(ctx context.Context, q Query) (Result, error) {
	f.once.Do(func() {
		f.breaker = breaker.New(breaker.Options{Threshold: f.Threshold, Cooldown: f.Cooldown, Now: f.Now, Log: f.Log,
			Down: "search engine failing; answering from the fallback", Up: "search engine answering again",
			Attrs: []any{"engine", f.Primary.Name(), "fallback", f.Fallback.Name()}})
	})
	if ticket, ok := f.breaker.Allow(); ok {
		r, err := f.Primary.Search(ctx, q)
		switch {
		case err == nil:
			ticket.Succeeded()
			return r, nil
		case ctx.Err() != nil:
			ticket.Abandon()
			return Result{}, ctx.Err() // the person went away; nothing to fall back for
		}
		ticket.Failed(err)
	}
	return f.Fallback.Search(ctx, q)
}
