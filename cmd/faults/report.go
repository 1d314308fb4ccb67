package main

import (
	"fmt"
	"maps"
	"math"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/harness"
)

// Targets, from issue 7, and how soon the indexer catches up, which the
// outbox's lease (WORKER_LEASE, 15 s, renewed while a batch runs) bounds.
const (
	targetBackOnMeili  = 5 * time.Second
	targetOverloadP99  = time.Second
	targetCaughtUp     = 20 * time.Second
	phaseMeiliKill     = "meili-kill"
	phaseMeiliPause    = "meili-pause"
	phaseRedisKill     = "redis-kill"
	phasePostgresKill  = "postgres-kill"
	phaseOverload      = "overload"
	noAnswerStatusText = "no answer"
)

type report struct {
	o                 options
	started, finished time.Time
	setupTook         time.Duration
	documents         int
	phases            []phaseResult
	tl                *timeline
	lost              lostReport
	exits             []string
	skipped           int64
	loadBefore        string
	loadAfter         string
}

// stats summarise the search answers of a time window.
type stats struct {
	requests, ok     int
	byStatus         map[int]int // not 2xx; 0 is no answer
	bySurface        map[int]map[string]int
	with503, withRA  int // 503s, and of them those with Retry-After
	p50, p99         time.Duration
	engines          map[string]int // of the 2xx answers
	writesOK, writes int
}

// statsOf counts the answers to requests sent in [from, to); for the overload
// phase only the overload's own requests.
func (t *timeline) statsOf(from, to time.Time, overloadOnly bool) stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := stats{byStatus: map[int]int{}, bySurface: map[int]map[string]int{}, engines: map[string]int{}}
	var lat []time.Duration
	for _, a := range t.answers {
		if a.at.Before(from) || !a.at.Before(to) || (overloadOnly && !a.overload) {
			continue
		}
		s.requests++
		if a.status >= 200 && a.status < 300 {
			s.ok++
			lat = append(lat, a.took)
			s.engines[a.engine]++
			continue
		}
		s.byStatus[a.status]++
		if s.bySurface[a.status] == nil {
			s.bySurface[a.status] = map[string]int{}
		}
		s.bySurface[a.status][a.surface]++
		if a.status == http.StatusServiceUnavailable {
			s.with503++
			if a.retryAfter {
				s.withRA++
			}
		}
	}
	slices.Sort(lat)
	s.p50, s.p99 = harness.Percentile(lat, 50), harness.Percentile(lat, 99)
	for _, w := range t.writes {
		if !w.at.Before(from) && w.at.Before(to) {
			s.writes++
			if w.ok {
				s.writesOK++
			}
		}
	}
	return s
}

// notOK is the answers that were not 2xx, by status and surface, e.g.
// "500 ×12 (page), 503 ×3 (API 1, page 2)".
func (s stats) notOK() string {
	if len(s.byStatus) == 0 {
		return "none"
	}
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(s.byStatus)) {
		name := strconv.Itoa(code)
		if code == 0 {
			name = noAnswerStatusText
		}
		var where []string
		for _, surface := range []string{surfaceAPI, surfacePage} {
			if n := s.bySurface[code][surface]; n == s.byStatus[code] {
				where = []string{surface}
			} else if n > 0 {
				where = append(where, fmt.Sprintf("%s %d", surface, n))
			}
		}
		parts = append(parts, fmt.Sprintf("%s ×%d (%s)", name, s.byStatus[code], strings.Join(where, ", ")))
	}
	return strings.Join(parts, ", ")
}

func (s stats) fiveXX() int {
	n := 0
	for code, k := range s.byStatus {
		if code >= 500 || code == 0 {
			n += k
		}
	}
	return n
}

func (s stats) retryAfter() string {
	if s.with503 == 0 {
		return "—"
	}
	if s.withRA == s.with503 {
		return fmt.Sprintf("all %d", s.with503)
	}
	return fmt.Sprintf("**%d of %d**", s.withRA, s.with503)
}

func (s stats) answeredBy() string {
	if s.ok == 0 {
		return "—"
	}
	var parts []string
	for _, e := range slices.Sorted(maps.Keys(s.engines)) {
		name := e
		if name == "" {
			name = "(no header)"
		}
		parts = append(parts, fmt.Sprintf("%s %.0f%%", name, 100*float64(s.engines[e])/float64(s.ok)))
	}
	return strings.Join(parts, ", ")
}

func (r phaseResult) stats(tl *timeline) stats { return tl.statsOf(r.start, r.end, r.overload) }

// window is the stats of the time the service was broken: from the fault until
// it answered again (for overload: while the load ran).
func (r phaseResult) window(tl *timeline) stats { return tl.statsOf(r.faulted, r.back, r.overload) }

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func (r phaseResult) recovery(d time.Duration, seen bool, limit time.Duration) string {
	if r.back.IsZero() {
		return "—"
	}
	if !seen {
		return "not within " + seconds(limit)
	}
	return seconds(d)
}

func (r phaseResult) summary(limit time.Duration) string {
	if r.back.IsZero() {
		return r.key
	}
	return fmt.Sprintf("%s: answering %s after the restart; then on Meilisearch %s, readyz ok %s, indexer caught up %s",
		r.key, seconds(r.back.Sub(r.restored)), r.recovery(r.engineBack, r.engineSeen, limit),
		r.recovery(r.readyBack, r.readySeen, limit), r.recovery(r.caughtUp, r.caughtSeen, limit))
}

// table is the per-phase table.
func (rep *report) table() string {
	var b strings.Builder
	b.WriteString("| phase | requests | 2xx | not 2xx, by status | 503 with Retry-After | p50 / p99 of 2xx | answered by | writes ok / tried | answering again after restart | then: every server on Meilisearch | readyz ok | indexer caught up |\n")
	b.WriteString("| --- | ---: | ---: | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, p := range rep.phases {
		s := p.stats(rep.tl)
		restart := "—"
		if !p.back.IsZero() && !p.overload {
			restart = seconds(p.back.Sub(p.restored))
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s / %s | %s | %d / %d | %s | %s | %s | %s |\n",
			p.name, s.requests, s.ok, s.notOK(), s.retryAfter(), harness.Ms(s.p50), harness.Ms(s.p99), s.answeredBy(),
			s.writesOK, s.writes, restart, p.recovery(p.engineBack, p.engineSeen, rep.o.recovery),
			p.recovery(p.readyBack, p.readySeen, rep.o.recovery), p.recovery(p.caughtUp, p.caughtSeen, rep.o.recovery))
	}
	return b.String()
}

type target struct {
	name, measured string
	met            bool
}

func (rep *report) phase(key string) (phaseResult, bool) {
	for _, p := range rep.phases {
		if p.key == key {
			return p, true
		}
	}
	return phaseResult{}, false
}

func (rep *report) targets() []target {
	var ts []target
	l := rep.lost
	ts = append(ts, target{name: "0 lost updates (content compared in PostgreSQL, search_documents, Meilisearch)",
		measured: fmt.Sprintf("%d of %d updated listings wrong: PostgreSQL %d, search_documents %d, Meilisearch %d",
			l.lost, l.updated, len(l.postgres), len(l.fallback), len(l.meili)),
		met: l.lost == 0 && l.updated > 0})

	var parts []string
	bad := 0
	for _, key := range []string{phaseMeiliKill, phaseMeiliPause, phaseRedisKill} {
		p, ok := rep.phase(key)
		if !ok {
			continue
		}
		w := p.window(rep.tl)
		bad += w.fiveXX()
		parts = append(parts, fmt.Sprintf("%s: %d of %d (%s)", key, w.fiveXX(), w.requests, w.notOK()))
	}
	ts = append(ts, target{name: "0 5xx (or unanswered) on search page and API while Meilisearch or Redis is down",
		measured: strings.Join(parts, "; "), met: bad == 0})

	if p, ok := rep.phase(phasePostgresKill); ok {
		w := p.window(rep.tl)
		other := 0
		for code, n := range w.byStatus {
			if code != http.StatusServiceUnavailable {
				other += n
			}
		}
		ts = append(ts, target{name: "only 503 with Retry-After while PostgreSQL is down",
			measured: fmt.Sprintf("%d requests: %d 2xx; not 2xx: %s; 503 with Retry-After: %s",
				w.requests, w.ok, w.notOK(), w.retryAfter()),
			met: other == 0 && w.withRA == w.with503})
	}

	parts, met := nil, true
	for _, key := range []string{phaseMeiliKill, phaseMeiliPause} {
		p, ok := rep.phase(key)
		if !ok {
			continue
		}
		parts = append(parts, key+": "+p.recovery(p.engineBack, p.engineSeen, rep.o.recovery))
		met = met && p.engineSeen && p.engineBack <= targetBackOnMeili
	}
	ts = append(ts, target{name: "every server back on Meilisearch within 5 s of it answering again",
		measured: strings.Join(parts, "; "), met: met})

	parts, met = nil, true
	for _, p := range rep.phases {
		if p.back.IsZero() || p.overload {
			continue
		}
		parts = append(parts, p.key+": "+p.recovery(p.caughtUp, p.caughtSeen, rep.o.recovery))
		met = met && p.caughtSeen && p.caughtUp <= targetCaughtUp
	}
	ts = append(ts, target{name: "every change written before a service or the worker came back indexed within 20 s of it " +
		"(a dead worker's lease is 15 s)", measured: strings.Join(parts, "; "), met: met && len(parts) > 0})

	if p, ok := rep.phase(phaseOverload); ok {
		s := p.stats(rep.tl)
		other := 0
		for code, n := range s.byStatus {
			if code != http.StatusServiceUnavailable {
				other += n
			}
		}
		ts = append(ts, target{name: fmt.Sprintf("%d connections: p99 of accepted ≤ 1 s, the rest refused with 503 + Retry-After", rep.o.overload),
			measured: fmt.Sprintf("%d requests, %d accepted, p99 %s; not 2xx: %s; 503 with Retry-After: %s",
				s.requests, s.ok, harness.Ms(s.p99), s.notOK(), s.retryAfter()),
			met: s.ok > 0 && s.p99 <= targetOverloadP99 && other == 0 && s.withRA == s.with503})
	}
	return ts
}

func (rep *report) targetsTable() string {
	var b strings.Builder
	b.WriteString("| target | measured | met? |\n| --- | --- | --- |\n")
	for _, t := range rep.targets() {
		met := "met"
		if !t.met {
			met = "**not met**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", t.name, t.measured, met)
	}
	return b.String()
}

// markdown is docs/FAULTS.md.
func (rep *report) markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	o := rep.o
	w("# Fault run\n\n")
	w("Written by `make faults` (`scripts/faults.sh`, `cmd/faults`) on %s at commit `%s`; run it again rather than\n",
		rep.started.UTC().Format("2006-01-02 15:04 MST"), o.commit)
	w("editing by hand. The run took %s (setup %s) on %d cores shared with other work (load average %s before,\n",
		seconds(rep.finished.Sub(rep.started)), seconds(rep.setupTook), runtime.NumCPU(), rep.loadBefore)
	w("%s after), Go %s.\n\n", rep.loadAfter, runtime.Version())
	w("%s\n", rep.table())
	w("## Targets\n\n%s\n", rep.targetsTable())

	l := rep.lost
	w("## Lost updates\n\n")
	w("%d listings were updated %d times (%d acknowledged, %d with their COMMIT in doubt, the rest refused while\n",
		l.updated, l.writes, l.acked, l.inDoubt)
	if l.settled {
		w("PostgreSQL was down). After the run the indexer had processed every outbox row within %s; then\n", seconds(l.settleTook))
	} else {
		w("PostgreSQL was down). After the run **%d outbox rows were still pending after %s**; the comparison was made then\n",
			l.pendingAtEnd, seconds(l.settleTook))
	}
	w("each listing's content was compared: PostgreSQL against the last acknowledged write, search_documents and\n")
	w("Meilisearch (the document fetched by id) against PostgreSQL.\n\n")
	for _, group := range []struct {
		name  string
		lines []string
	}{{"PostgreSQL", l.postgres}, {"search_documents", l.fallback}, {"Meilisearch", l.meili}} {
		w("- %s: %d wrong", group.name, len(group.lines))
		for i, line := range group.lines {
			if i == 5 {
				w("; …")
				break
			}
			w("%s %s", map[bool]string{true: ":", false: ";"}[i == 0], line)
		}
		w("\n")
	}
	w("\n")
	disagree := rep.tl.engineDisagreements()
	if len(rep.exits) > 0 || rep.skipped > 0 || disagree > 0 {
		w("## Also seen\n\n")
		if disagree > 0 {
			w("- %d search answers named one engine in `X-Search-Engine` and another in their `engine` field.\n", disagree)
		}
		for _, e := range rep.exits {
			w("- %s\n", e)
		}
		if rep.skipped > 0 {
			w("- The steady load skipped %d requests because 256 were already outstanding.\n", rep.skipped)
		}
		w("\n")
	}
	w("## How it is measured\n\n")
	w("- **Its own services.** `scripts/faults.sh` makes a temporary directory; `cmd/faults` runs `initdb` and `pg_ctl` into it\n")
	w("  (as the `postgres` user when root; `fsync=off`, since only processes are killed, never the machine), `redis-server`\n")
	w("  without persistence and Meilisearch with its own `--db-path`, each on a free loopback port; then `belong migrate up`,\n")
	w("  `belong seed --synthetic %d --seed %d`, `belong reindex` (%d documents), two `belong serve --no-worker` and one\n",
		o.listings, o.seed, rep.documents)
	w("  `belong worker`, each a process of its own. The script's trap stops all of it and removes the directory.\n")
	w("- **Load, all the time.** %.0f searches a second, each sent at its own moment (an open loop), alternating the JSON API\n", o.rate)
	w("  (`/api/v1/listings`) and the HTML search page (`/`) and the two servers, drawn from 60 searches (words, needs, places,\n")
	w("  page 2); every request has a %s deadline; one that gets no answer counts under \"no answer\". p50/p99 are of the\n", seconds(requestTimeout))
	w("  2xx answers. *Answered by* is the `X-Search-Engine` header of the 2xx answers (search results are cached in\n")
	w("  Redis for a minute, so a cached answer names the engine that first gave it).\n")
	w("- **Writes, all the time.** %.0f updates a second to %d published listings, one at a time: each sets the name and\n", o.writeRate, o.tracked)
	w("  summary to a new numbered version and adds the outbox and audit rows in the same transaction, as\n")
	w("  `store.SaveListing` does, so the indexer relays them as it would an organizer's edit.\n")
	w("- **Phases.** Each broken phase runs %s of load, breaks the service for %s, brings it back (restart, or\n", seconds(preFault), seconds(o.down))
	w("  SIGCONT), waits for it to answer, then waits at most %s for recovery and runs %s more. The baseline and\n", seconds(o.recovery), seconds(tail))
	w("  overload phases last %s; during the overload the steady load pauses and %d connections each send their next\n", seconds(o.baseline), o.overload)
	w("  search as soon as the last is answered. PostgreSQL is killed with `pg_ctl stop -m immediate`.\n")
	w("- **Recovery**, from the moment the service answers again (Meilisearch `/health`, Redis `PING`, PostgreSQL a\n")
	w("  query, the worker running): *on Meilisearch* is when every server has answered an uncacheable search (near a\n")
	w("  place; probed every 250 ms per server) with `X-Search-Engine: meilisearch` (the answer's `engine` field is\n")
	w("  checked to agree); *readyz ok* when every server's\n")
	w("  `/readyz` (every 500 ms) answered 200 with every check ok; *indexer caught up* when every outbox row written\n")
	w("  before that moment was processed. For the overload phase the moment is the end of the overload.\n")
	w("- **Targets** count the requests sent while the service was down: from the fault until it answered again.\n\n")
	w("Run it with `make faults`: about %.0f minutes here, plus building; it disturbs no other PostgreSQL, Redis or\n",
		math.Ceil(rep.finished.Sub(rep.started).Minutes()))
	w("Meilisearch on the machine. The machine is shared, so the latencies move with its load (see the load average above).\n")
	return b.String()
}

// hostLoad is the load average over 1, 5 and 15 minutes: the machine is shared.
func hostLoad() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
