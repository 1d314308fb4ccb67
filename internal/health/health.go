// Package health owns what the process knows about the services it depends on:
// it checks them on demand for /readyz and watches them in the background, logging
// once when one goes away and once when it comes back.
package health

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Check is one dependency. Required ones make the process unready when down;
// the others only degrade it.
type Check struct {
	Name     string
	Required bool
	Ping     func(ctx context.Context) error
}

// Status is one dependency's state at one moment.
type Status struct {
	OK       bool   `json:"ok"`
	Required bool   `json:"required"`
	Error    string `json:"error,omitempty"`
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

	mu   sync.Mutex
	down map[string]bool
}

// NewMonitor returns a monitor whose every ping is bounded by timeout.
func NewMonitor(log *slog.Logger, timeout time.Duration, checks ...Check) *Monitor {
	return &Monitor{checks: checks, timeout: timeout, log: log, down: map[string]bool{}}
}

// Check pings every dependency at once and reports.
func (m *Monitor) Check(ctx context.Context) Report {
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	r := Report{Ready: true, Checks: make(map[string]Status, len(m.checks))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range m.checks {
		wg.Go(func() {
			err := c.Ping(ctx)
			st := Status{OK: err == nil, Required: c.Required}
			if err != nil {
				st.Error = err.Error()
			}
			mu.Lock()
			defer mu.Unlock()
			r.Checks[c.Name] = st
			if err != nil && c.Required {
				r.Ready = false
			} else if err != nil {
				r.Degraded = true
			}
		})
	}
	wg.Wait()
	m.noteChanges(r)
	return r
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

func (m *Monitor) noteChanges(r Report) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for name, st := range r.Checks {
		switch {
		case !st.OK && !m.down[name]:
			m.down[name] = true
			m.log.Warn("dependency unreachable; carrying on without it and retrying",
				"service", name, "required", st.Required, "error", st.Error)
		case st.OK && m.down[name]:
			delete(m.down, name)
			m.log.Info("dependency reachable again", "service", name)
		}
	}
}
