// Package breaker owns the circuit breaker that every outbound dependency with
// a way around it goes through (Meilisearch for search and for the indexer, Redis
// for the search cache): after enough failures in a row the dependency is left
// alone for a cooldown, so a dead one costs one fast refusal per call instead of
// a timeout; then exactly one call probes it while every other call keeps taking
// the way around, until the probe answers.
package breaker

import (
	"log/slog"
	"sync"
	"time"
)

// State is where a breaker stands.
type State int

const (
	// Closed lets every call through.
	Closed State = iota
	// Open refuses every call until the cooldown has passed.
	Open
	// HalfOpen has let one call through to probe and refuses the rest until it
	// reports.
	HalfOpen
)

func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return "unknown"
}

// Options tune a Breaker.
type Options struct {
	// Threshold is how many failures in a row open the breaker; 1 when zero.
	Threshold int
	// Cooldown is how long an open breaker refuses calls before one probes; 5s
	// when zero.
	Cooldown time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Log gets one warning (Down) when the dependency starts failing and one
	// notice (Up) when it answers again, however many calls fail in between.
	// Nothing is logged when nil.
	Log      *slog.Logger
	Down, Up string
	// Attrs are added to both messages, e.g. the dependency's name.
	Attrs []any
}

// Breaker is a circuit breaker; its zero value is not usable, call New.
type Breaker struct {
	opts Options

	mu        sync.Mutex
	state     State
	failures  int
	openUntil time.Time
	// epoch counts state changes. A ticket reports only into the epoch that
	// issued it, so a call that began before the breaker opened (or closed)
	// cannot flip it back when it ends late.
	epoch uint64
}

// New returns a closed breaker.
func New(opts Options) *Breaker {
	if opts.Threshold <= 0 {
		opts.Threshold = 1
	}
	if opts.Cooldown <= 0 {
		opts.Cooldown = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Breaker{opts: opts}
}

// Ticket is one call the breaker let through. Exactly one of its methods must
// be called when the call ends, or a probe would hold the breaker half-open.
type Ticket struct {
	b     *Breaker
	epoch uint64
}

// Allow says whether a call may go to the dependency now. When it may, the
// caller reports the outcome on the ticket; when it may not, the caller takes
// its way around without reporting anything.
func (b *Breaker) Allow() (Ticket, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case Closed:
		return Ticket{b: b, epoch: b.epoch}, true
	case Open:
		if b.opts.Now().Before(b.openUntil) {
			return Ticket{}, false
		}
		b.set(HalfOpen)
		return Ticket{b: b, epoch: b.epoch}, true
	}
	return Ticket{}, false
}

// State is where the breaker stands now. An open breaker whose cooldown has
// passed still says Open until a call probes.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

// Cooldown is how long the breaker stays open before a probe.
func (b *Breaker) Cooldown() time.Duration { return b.opts.Cooldown }

// Succeeded reports that the dependency answered. It returns true when that
// ended an outage: the probe closed the breaker.
func (t Ticket) Succeeded() (recovered bool) {
	b := t.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.epoch != b.epoch {
		return false
	}
	b.failures = 0
	if b.state != HalfOpen {
		return false
	}
	b.set(Closed)
	if b.opts.Log != nil {
		b.opts.Log.Info(b.opts.Up, b.opts.Attrs...)
	}
	return true
}

// Failed reports that the dependency failed. Enough failures in a row open a
// closed breaker; a failed probe opens it again for another cooldown.
func (t Ticket) Failed(err error) {
	b := t.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.epoch != b.epoch {
		return
	}
	switch b.state {
	case Closed:
		b.failures++
		if b.failures < b.opts.Threshold {
			return
		}
		b.open()
		if b.opts.Log != nil {
			b.opts.Log.Warn(b.opts.Down, append(append([]any{}, b.opts.Attrs...),
				"error", err.Error(), "retry_in", b.opts.Cooldown.String())...)
		}
	case HalfOpen:
		// Still down: the outage was logged when it began.
		b.open()
	}
}

// Abandon reports that the call ended without saying anything about the
// dependency, for instance because the person who asked went away. An
// abandoned probe lets the next call probe at once.
func (t Ticket) Abandon() {
	b := t.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.epoch != b.epoch || b.state != HalfOpen {
		return
	}
	b.set(Open)
	b.openUntil = time.Time{}
}

// open starts a cooldown. The caller holds mu.
func (b *Breaker) open() {
	b.set(Open)
	b.failures = 0
	b.openUntil = b.opts.Now().Add(b.opts.Cooldown)
}

// set changes state and starts a new epoch. The caller holds mu.
func (b *Breaker) set(s State) {
	b.state = s
	b.epoch++
}
