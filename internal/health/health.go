// Package health owns what the process knows about the services it depends on:
// it checks them on demand for /readyz and watches them in the background, logging
// once when one goes away and once when it comes back.
package health

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// ErrBusy is what a Ping returns, wrapped, when the service answered but is at
// its limit: it is up, and a load balancer must not take the process out of
// service for it.
var ErrBusy = errors.New("busy")

// Check is one dependency. Required ones make the process unready when down;
// the others only degrade it.
type Check struct {
	Name     string
	Required bool
	Ping     func(ctx context.Context) error
}

// State is what a check found.
type State string

// The states of a dependency.
const (
	Up   State = "up"
	Busy State = "busy" // answering, at its limit
	Down State = "down"
)

// Status is one dependency's state at one moment. Only the state is public: why a
// check failed can name hosts and users, and goes to the log.
type Status struct {
	State    State `json:"state"`
	OK       bool  `json:"ok"`
	Required bool  `json:"required"`
	err      error
}

// Report is the state of every dependency.
type Report struct {
	Ready    bool              `json:"ready"`
	Degraded bool              `json:"degraded"`
	Checks   map[string]Status `json:"checks"`
}

// Monitor checks a fixed set of dependencies.
type Monitor struct {
	checks  []Check
	timeout time.Duration
	log     *slog.Logger

	mu     sync.Mutex
	run    *run // the check under way or the last one
	states map[string]State
}

// run is one round of checks that every caller asking meanwhile shares.
type run struct {
	done   chan struct{}
	at     time.Time
	report Report
}

// reuseFor is how long a finished round answers later callers: /readyz is public,
// and must not become a way to open PostgreSQL connections in a loop.
const reuseFor = time.Second

// NewMonitor returns a monitor whose every ping is bounded by timeout.
func NewMonitor(log *slog.Logger, timeout time.Duration, checks ...Check) *Monitor {
	return &Monitor{checks: checks, timeout: timeout, log: log, states: map[string]State{}}
}

// Check reports on every dependency. Callers that ask while a round is under way,
// or within a second of one, share its report: rounds never overlap, so the log
// sees each change in the order it happened, once.
func (m *Monitor) Check(ctx context.Context) Report {
	m.mu.Lock()
	r := m.run
	if r == nil || (isDone(r) && time.Since(r.at) > reuseFor) {
		r = &run{done: make(chan struct{})}
		m.run = r
		// The round outlives a caller that gives up, since others may share it.
		go m.round(context.WithoutCancel(ctx), r)
	}
	m.mu.Unlock()
	select {
	case <-r.done:
		return r.report
	case <-ctx.Done():
		return m.unanswered()
	}
}

func isDone(r *run) bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// unanswered is the report for a caller whose own deadline passed first.
func (m *Monitor) unanswered() Report {
	r := Report{Checks: make(map[string]Status, len(m.checks))}
	for _, c := range m.checks {
		r.Checks[c.Name] = Status{State: Down, Required: c.Required}
	}
	r.Ready, r.Degraded = summary(r.Checks)
	return r
}

// round pings every dependency at once.
func (m *Monitor) round(ctx context.Context, r *run) {
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	checks := make(map[string]Status, len(m.checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range m.checks {
		wg.Go(func() {
			err := c.Ping(ctx)
			st := Status{State: Up, OK: true, Required: c.Required, err: err}
			switch {
			case errors.Is(err, ErrBusy):
				st.State = Busy
			case err != nil:
				st.State, st.OK = Down, false
			}
			mu.Lock()
			checks[c.Name] = st
			mu.Unlock()
		})
	}
	wg.Wait()
	r.report.Checks = checks
	r.report.Ready, r.report.Degraded = summary(checks)
	m.noteChanges(checks)
	m.mu.Lock()
	r.at = time.Now()
	m.mu.Unlock()
	close(r.done)
}

func summary(checks map[string]Status) (ready, degraded bool) {
	ready = true
	for _, st := range checks {
		switch {
		case !st.OK && st.Required:
			ready = false
		case !st.OK:
			degraded = true
		}
	}
	return ready, degraded
}

// Watch checks every interval until ctx ends, so a dependency that goes away or
// comes back is logged once, not on every request.
func (m *Monitor) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		m.Check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// noteChanges logs each dependency whose state differs from the last round's;
// the reason a check failed is logged here, for the operator, and nowhere public.
func (m *Monitor) noteChanges(checks map[string]Status) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for name, st := range checks {
		was, known := m.states[name]
		if !known {
			was = Up
		}
		m.states[name] = st.State
		if st.State == was {
			continue
		}
		switch st.State {
		case Down:
			m.log.Warn("dependency unreachable; carrying on without it and retrying",
				"service", name, "required", st.Required, "error", st.err.Error())
		case Busy:
			m.log.Info("dependency busy: answering, at its limit", "service", name)
		case Up:
			if was == Busy {
				m.log.Info("dependency no longer busy", "service", name)
			} else {
				m.log.Info("dependency reachable again", "service", name)
			}
		}
	}
}
