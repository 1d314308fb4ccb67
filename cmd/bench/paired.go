package main

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// contender is one of the scenarios whose figures the targets compare.
type contender struct {
	key, name string
	send      sender
	// pid, when set, is the process of this contender's own whose CPU per
	// search is read (cpuPerSearch).
	pid int
}

// minTurns is the fewest slices each contender's load is cut into (interleaved).
const minTurns = 3

// turnsFor is how many slices each of n contenders runs in: at least minTurns,
// and at least n, so that each goes first once.
func turnsFor(n int) int { return max(minTurns, n) }

// merge adds what another slice of the same scenario saw.
func (m *measurement) merge(o measurement) {
	m.Requests += o.Requests
	m.Errors += o.Errors
	if m.FirstErr == nil {
		m.FirstErr = o.FirstErr
	}
	m.Elapsed += o.Elapsed
	m.Latency = append(m.Latency, o.Latency...)
	slices.Sort(m.Latency)
	if m.Engines == nil {
		m.Engines, m.ByQuery = map[string]int{}, map[int][]time.Duration{}
	}
	for e, n := range o.Engines {
		m.Engines[e] += n
	}
	for i, d := range o.ByQuery {
		m.ByQuery[i] = append(m.ByQuery[i], d...)
	}
}

// oneAtATimeInterleaved sends each search of the mix to every contender in
// turn, one request in flight, twice over the mix: the first pass warms
// connections and caches, the second is measured. Each search goes first to
// another contender, so none is always the one that finds caches cold; and
// whatever else the machine is doing at that moment, every contender meets it.
func (b *bench) oneAtATimeInterleaved(ctx context.Context, mixLen int, cs []contender) ([]measurement, error) {
	names := make([]string, len(cs))
	for k, c := range cs {
		names[k] = c.name
	}
	b.say("%v: the %d searches one at a time, each sent to every one in turn; a warm-up pass and a measured one", names, mixLen)
	out := make([]measurement, len(cs))
	for pass := range 2 {
		out = make([]measurement, len(cs))
		for k := range out {
			out[k] = measurement{Engines: map[string]int{}, ByQuery: map[int][]time.Duration{}}
		}
		start := time.Now()
		for i := range mixLen {
			for j := range cs {
				k := (i + j) % len(cs)
				rctx, cancel := context.WithTimeout(ctx, requestTimeout)
				t0 := time.Now()
				engine, err := cs[k].send(rctx, i)
				d := time.Since(t0)
				cancel()
				if ctx.Err() != nil {
					return out, ctx.Err()
				}
				out[k].record(i, engine, d, err)
			}
		}
		for k := range out {
			out[k].Elapsed = time.Since(start) // shared; throughput is not read from these
			out[k].Requests = len(out[k].Latency)
			slices.Sort(out[k].Latency)
		}
		if pass == 0 {
			continue
		}
		for k, m := range out {
			if m.Errors > 0 && m.Requests == 0 {
				return out, fmt.Errorf("%s: every request one at a time failed: %w", cs[k].name, m.FirstErr)
			}
			b.say("%s, one at a time: %d requests, p50 %s, p99 %s, %d errors", cs[k].name, m.Requests,
				ms(m.Percentile(50)), ms(m.Percentile(99)), m.Errors)
		}
	}
	return out, nil
}

// interleaved measures the contenders with load, each in turnsFor(len(cs))
// slices of an equal share of duration, taking turns (A B C D, B C D A, C D A
// B, D A B C), and adds up each one's slices: a slow spell of the shared
// machine falls on all of them instead of on whichever happened to run then.
// Each slice goes on in the mix where that contender's last one stopped. load
// runs one slice of d from search from on, as one of turns slices.
func interleaved(ctx context.Context, cs []contender, duration time.Duration,
	load func(send sender, d time.Duration, from, turns int) measurement) []measurement {
	out := make([]measurement, len(cs))
	next := make([]int, len(cs))
	turns := turnsFor(len(cs))
	for t := range turns {
		for j := range cs {
			k := (t + j) % len(cs)
			m := load(cs[k].send, duration/time.Duration(turns), next[k], turns)
			next[k] += m.Requests + m.Errors
			out[k].merge(m)
			if ctx.Err() != nil {
				return out
			}
		}
	}
	return out
}
