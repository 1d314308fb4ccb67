package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/belong-directory/belong/internal/harness"
)

// The shared nearest-rank percentile and millisecond formatting, under the short
// names the report uses throughout.
var (
	percentile = harness.Percentile
	ms         = harness.Ms
)

// requestTimeout bounds every request a scenario sends.
const requestTimeout = 10 * time.Second

// sender sends search i of the mix and says which engine answered.
type sender func(ctx context.Context, i int) (engine string, err error)

// measurement is what one scenario saw.
type measurement struct {
	Requests int // answered without error
	Errors   int
	FirstErr error
	Elapsed  time.Duration
	Latency  []time.Duration // of the answered requests, sorted
	Engines  map[string]int
	// ByQuery holds each answered request's latency under its search's index in the mix.
	ByQuery map[int][]time.Duration
}

// Throughput is answered requests per second.
func (m measurement) Throughput() float64 {
	if m.Elapsed <= 0 {
		return 0
	}
	return float64(m.Requests) / m.Elapsed.Seconds()
}

// record counts one request for search i: answered by engine in d, or failed
// with err. Latency is sorted by whoever finishes the measurement.
func (m *measurement) record(i int, engine string, d time.Duration, err error) {
	if err != nil {
		m.Errors++
		if m.FirstErr == nil {
			m.FirstErr = err
		}
		return
	}
	m.Latency = append(m.Latency, d)
	m.ByQuery[i] = append(m.ByQuery[i], d)
	m.Engines[engine]++
}

// Percentile is the nearest-rank percentile p (0–100) of the latencies.
func (m measurement) Percentile(p float64) time.Duration {
	return percentile(m.Latency, p)
}

// closedLoop keeps concurrency requests in flight: each worker sends the next
// search of the mix (from search from on) as soon as its last one is answered,
// until the duration is over or limit requests have been sent.
func closedLoop(ctx context.Context, concurrency int, duration time.Duration, limit, mixLen, from int, send sender) measurement {
	var (
		next    atomic.Int64
		mu      sync.Mutex
		wg      sync.WaitGroup
		m       = measurement{Engines: map[string]int{}, ByQuery: map[int][]time.Duration{}}
		start   = time.Now()
		stopped = start.Add(duration)
	)
	next.Store(int64(from))
	for range concurrency {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 4096)
			idx := make([]int, 0, 4096)
			engines := map[string]int{}
			errs := 0
			var firstErr error
			for ctx.Err() == nil && time.Now().Before(stopped) {
				k := next.Add(1) - 1
				if k-int64(from) >= int64(limit) {
					break
				}
				rctx, cancel := context.WithTimeout(ctx, requestTimeout)
				t0 := time.Now()
				i := int(k % int64(mixLen))
				engine, err := send(rctx, i)
				d := time.Since(t0)
				cancel()
				if err != nil {
					errs++
					if firstErr == nil {
						firstErr = err
					}
					continue
				}
				lat = append(lat, d)
				idx = append(idx, i)
				engines[engine]++
			}
			mu.Lock()
			defer mu.Unlock()
			m.Latency = append(m.Latency, lat...)
			for j, i := range idx {
				m.ByQuery[i] = append(m.ByQuery[i], lat[j])
			}
			m.Errors += errs
			if m.FirstErr == nil {
				m.FirstErr = firstErr
			}
			for e, n := range engines {
				m.Engines[e] += n
			}
		})
	}
	wg.Wait()
	m.Elapsed = time.Since(start)
	m.Requests = len(m.Latency)
	slices.Sort(m.Latency)
	return m
}

// openLoop sends the mix's searches (from search from on) at a steady rate for
// duration, each at its own scheduled moment whether or not earlier ones have
// been answered. Latency counts from the scheduled moment, so a stall delays the
// requests behind it and shows in their latency instead of slowing the sending
// down.
func openLoop(ctx context.Context, rate float64, duration time.Duration, mixLen, from int, send sender) measurement {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		m     = measurement{Engines: map[string]int{}, ByQuery: map[int][]time.Duration{}}
		start = time.Now()
		every = time.Duration(float64(time.Second) / rate)
	)
	for k := 0; ctx.Err() == nil; k++ {
		at := start.Add(time.Duration(k) * every)
		if at.Sub(start) >= duration {
			break
		}
		time.Sleep(time.Until(at))
		wg.Go(func() {
			rctx, cancel := context.WithTimeout(ctx, requestTimeout)
			defer cancel()
			i := (from + k) % mixLen
			engine, err := send(rctx, i)
			d := time.Since(at)
			mu.Lock()
			defer mu.Unlock()
			m.record(i, engine, d, err)
		})
	}
	wg.Wait()
	m.Elapsed = time.Since(start)
	m.Requests = len(m.Latency)
	slices.Sort(m.Latency)
	return m
}

// warmUp is the most time one scenario's warm-up may take.
const warmUp = 20 * time.Second

// oneAtATime sends the mix twice, one search at a time (each pass at most warmUp
// long): the first pass warms connections and caches, the second is measured,
// each search's latency with nothing else in flight.
func (b *bench) oneAtATime(ctx context.Context, name string, mixLen int, send sender) (measurement, error) {
	b.say("%s: the %d searches one at a time, a warm-up pass and a measured one", name, mixLen)
	for pass := range 2 {
		m := closedLoop(ctx, 1, warmUp, mixLen, mixLen, 0, send)
		if ctx.Err() != nil {
			return m, ctx.Err()
		}
		if m.Errors > 0 && m.Requests == 0 {
			return m, fmt.Errorf("%s: every request one at a time failed: %w", name, m.FirstErr)
		}
		if pass == 1 {
			b.say("%s, one at a time: %d requests, p50 %s, p99 %s, %d errors", name, m.Requests,
				ms(m.Percentile(50)), ms(m.Percentile(99)), m.Errors)
			return m, nil
		}
	}
	panic("unreachable")
}

// measure first sends the mix one search at a time (see oneAtATime), then
// measures at the scenario's concurrency.
func (b *bench) measure(ctx context.Context, name string, mixLen int, send sender) (unloaded, loaded measurement, err error) {
	if unloaded, err = b.oneAtATime(ctx, name, mixLen, send); err != nil {
		return unloaded, loaded, err
	}
	b.say("%s: measuring for %s at concurrency %d", name, b.o.duration, b.o.concurrency)
	loaded = closedLoop(ctx, b.o.concurrency, b.o.duration, b.o.maxRequests, mixLen, 0, send)
	if ctx.Err() != nil {
		return unloaded, loaded, ctx.Err()
	}
	b.say("%s: %d requests, %.0f req/s, p50 %s, p99 %s, %d errors", name, loaded.Requests, loaded.Throughput(),
		ms(loaded.Percentile(50)), ms(loaded.Percentile(99)), loaded.Errors)
	if loaded.FirstErr != nil {
		b.say("%s: first error: %v", name, loaded.FirstErr)
	}
	return unloaded, loaded, nil
}
