package server

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// overloadRetryAfter is the Retry-After of a refused request, in seconds: long
// enough for a burst to pass, short enough that a person waiting tries again.
const overloadRetryAfter = "2"

// minTurns is the fewest requests a class takes at once however slow answers
// get: enough that a slow fallback (Meilisearch down, PostgreSQL answering) at
// an ordinary rate is served, not refused.
const minTurns = 4

// admission bounds one class of routes: at most its allowed number at once, at most
// as many again waiting up to wait for a turn, and every other request refused
// at once with 503 and Retry-After. Refusing early and cheaply keeps the
// requests it does take fast; queueing every one made all of them slow (200
// connections gave a p99 of 10-13 s).
//
// The limit adapts (additive increase, multiplicative decrease, as TCP does):
// it starts at the configured maximum; while every turn is taken, a request
// that took longer than target from arrival to answer cuts it by a tenth (at
// most once per target, so one slow moment counts once) and one answered
// within target raises it by 1/limit, so by about one a full round. With turns
// to spare it stays as it is. On 2
// shared cores a fixed 16 at once let 200 connections push the accepted p99 to
// 4.4 s; the right number depends on the machine and on what else runs there,
// so the server finds it.
type admission struct {
	inFlight atomic.Int64
	waiting  atomic.Int64
	freed    chan struct{} // a token per finished request, to wake a waiter
	wait     time.Duration
	target   time.Duration

	mu           sync.Mutex
	allowed      float64 // between minTurns (or max, if smaller) and max
	floor, max   float64
	lastDecrease time.Time
}

func newAdmission(inFlight int, wait, target time.Duration) *admission {
	m := float64(inFlight)
	return &admission{freed: make(chan struct{}, inFlight), wait: wait, target: target,
		allowed: m, floor: math.Min(minTurns, m), max: m}
}

// refusedKey marks a request the admission refused: the request log counts
// it instead of writing a line for it (refusalLog).
const refusedKey = "belong.refused"

// limit is the middleware that admits or refuses.
func (a *admission) limit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		arrived := time.Now()
		if !a.admit(c) {
			a.holdRefusal(c, arrived)
			c.Set(refusedKey, true)
			c.Response().Header().Set("Retry-After", overloadRetryAfter)
			return &pageError{status: http.StatusServiceUnavailable, titleKey: "error.busy.title",
				detailKey: "error.busy.detail"}
		}
		defer a.release(arrived)
		return next(c)
	}
}

// maxRefusalHold bounds how long a refusal is held back (see holdRefusal).
const maxRefusalHold = 250 * time.Millisecond

// holdRefusal answers a refused request no sooner than the queue wait (at most
// maxRefusalHold) after it arrived, as if it had waited in the queue: a timer,
// no work. A person sees the calm busy page a moment later; a client that asks
// again the instant it is refused (a script, a retry loop) no longer turns the
// refusals themselves into the load that starves the admitted requests.
func (a *admission) holdRefusal(c echo.Context, arrived time.Time) {
	hold := min(a.wait, maxRefusalHold) - time.Since(arrived)
	if hold <= 0 {
		return
	}
	t := time.NewTimer(hold)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.Request().Context().Done():
	}
}

// turns is how many requests may be in flight now.
func (a *admission) turns() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return int64(a.allowed)
}

func (a *admission) take() bool {
	limit := a.turns()
	for {
		n := a.inFlight.Load()
		if n >= limit {
			return false
		}
		if a.inFlight.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

func (a *admission) admit(c echo.Context) bool {
	if a.take() {
		return true
	}
	if a.wait <= 0 {
		return false
	}
	defer a.waiting.Add(-1)
	if a.waiting.Add(1) > a.turns() {
		return false
	}
	t := time.NewTimer(a.wait)
	defer t.Stop()
	for {
		select {
		case <-a.freed:
			if a.take() {
				return true
			}
		case <-t.C:
			return false
		case <-c.Request().Context().Done():
			return false
		}
	}
}

// release frees the turn, wakes a waiter, and adapts the limit to how long the
// request took from its arrival, waiting included.
func (a *admission) release(arrived time.Time) {
	busy := a.inFlight.Load() >= a.turns()
	a.inFlight.Add(-1)
	select {
	case a.freed <- struct{}{}:
	default:
	}
	now := time.Now()
	took := now.Sub(arrived)
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case !busy:
		// Turns to spare: a slow answer here is not this class's crowding
		// (a slow fallback at an ordinary rate), and taking fewer would only
		// refuse people.
	case took > a.target:
		if now.Sub(a.lastDecrease) >= a.target {
			a.allowed = math.Max(a.floor, a.allowed*0.9)
			a.lastDecrease = now
		}
	default:
		a.allowed = math.Min(a.max, a.allowed+1/a.allowed)
	}
}

// refusalLog sums up refused requests: under overload a log line for each of
// thousands of refusals a second would spend the very CPU the admitted
// requests need, so one line a second says how many there were, by route.
type refusalLog struct {
	log     *slog.Logger
	every   time.Duration // one second when zero
	mu      sync.Mutex
	refused map[string]int // since the last line; nil when there were none
}

func (r *refusalLog) add(route string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refused == nil {
		r.refused = map[string]int{}
		every := r.every
		if every <= 0 {
			every = time.Second
		}
		time.AfterFunc(every, r.flush)
	}
	r.refused[route]++
}

func (r *refusalLog) flush() {
	r.mu.Lock()
	counts := r.refused
	r.refused = nil
	r.mu.Unlock()
	if len(counts) == 0 {
		return
	}
	attrs := make([]slog.Attr, 0, len(counts))
	for route, n := range counts {
		attrs = append(attrs, slog.Int(route, n))
	}
	r.log.LogAttrs(context.Background(), slog.LevelWarn, "requests refused: too many at once", attrs...)
}
