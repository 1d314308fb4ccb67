package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Targets from issue 12: ratios measured in the same run, because absolute
// times on a shared 2-core machine vary twofold from run to run.
const (
	targetThroughput  = 0.95 // API / Meilisearch direct, at the bench's concurrency, at least
	targetMedian      = 1.2  // API / Meilisearch direct, median one at a time, at most
	targetFallback    = 0.5  // fallback / Meilisearch direct throughput, at least
	targetFallbackP99 = 3.0  // fallback p99 / Meilisearch direct p99 one at a time, at most
	targetBulk        = 1.2  // bulk load / Meilisearch alone on the same documents, at most
	targetEnqueue     = 10 * time.Millisecond
	targetOpenLoop    = 1.3 // API p99 / Meilisearch direct p99 at half its capacity, at most
	targetRSS         = 150 << 20
	targetRSSListings = 100_000
)

type machineInfo struct {
	cpus                  int
	cpuModel, memory      string
	goVersion, postgres   string
	meili, redis          string
	loadBefore, loadAfter string
}

type report struct {
	o                 options
	started, finished time.Time
	machine           machineInfo
	bulk              bulkResult
	mix               mix
	rows              map[string]measurement // at the bench's concurrency
	unloaded          map[string]measurement // the warm-up: one search at a time
	fresh             freshResult
	rss               map[string]int64   // peak resident memory of belong serve in an API scenario
	cpu               cpuUse             // CPU per search over the compared rows
	rates             map[string]float64 // the open-loop rows' rates
	alone             aloneResult
	beside            besideResult
	scales            []scaleResult
	twoTrips          int // searches of the mix that send Meilisearch two requests or more
	threeTrips        int // of them, those that send a third, for close matches whole
}

func (b *bench) machine(ctx context.Context) machineInfo {
	m := machineInfo{cpus: runtime.NumCPU(), goVersion: runtime.Version(), loadBefore: loadAverage(),
		cpuModel: procField("/proc/cpuinfo", "model name"), memory: "unknown", postgres: "unknown", redis: "unknown"}
	if kb, err := strconv.Atoi(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB")); err == nil {
		m.memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
	}
	_ = b.st.Pool().QueryRow(ctx, "SHOW server_version").Scan(&m.postgres)
	m.meili = b.meili.Version(ctx)
	if opt, err := redis.ParseURL(b.o.redisURL); err == nil {
		rdb := redis.NewClient(opt)
		if info, err := rdb.Info(ctx, "server").Result(); err == nil {
			for line := range strings.SplitSeq(info, "\n") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
					m.redis = v
				}
			}
		}
		_ = rdb.Close()
	}
	return m
}

// procField is the value of the first "name : value" line of a /proc file.
func procField(path, name string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func loadAverage() string {
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

// ratio is a over b, 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

type tableRow struct {
	scenario, requests, errors, throughput, p50, p95, p99 string
}

var scenarioNames = map[string]string{
	rowAPI:         "1. search API, cache off",
	rowAPIRate:     "1. search API, cache off, steady %.0f req/s (open loop)",
	rowAPICached:   "1. search API, cache on",
	rowMeili:       "2. Meilisearch direct (ceiling)",
	rowMeiliRate:   "2. Meilisearch direct, steady %.0f req/s (open loop)",
	rowMeiliGzip:   "Meilisearch direct, asking for gzip (diagnostic)",
	rowSearcher:    "Searcher on Meilisearch, in-process (diagnostic)",
	rowProxy:       "bare proxy in front of Meilisearch, decoding nothing (diagnostic)",
	rowPostgres:    "3. PostgreSQL fallback, in-process",
	rowAPIFallback: "3. search API, Meilisearch unreachable",
}

// scenarioName is a row's name in the table, with the open loop's rate in it.
func (r *report) scenarioName(key string) string {
	if key == rowAPIRate || key == rowMeiliRate {
		return fmt.Sprintf(scenarioNames[key], r.rates[key])
	}
	return scenarioNames[key]
}

func (r *report) tableRows() []tableRow {
	var rows []tableRow
	for _, key := range []string{rowAPI, rowAPIRate, rowAPICached, rowMeili, rowMeiliRate, rowMeiliGzip, rowSearcher, rowProxy, rowPostgres,
		rowAPIFallback} {
		m, ok := r.rows[key]
		if !ok {
			continue
		}
		rows = append(rows, tableRow{scenario: r.scenarioName(key), requests: thousands(m.Requests), errors: strconv.Itoa(m.Errors),
			throughput: fmt.Sprintf("%.0f", m.Throughput()),
			p50:        ms(m.Percentile(50)), p95: ms(m.Percentile(95)), p99: ms(m.Percentile(99))})
	}
	if len(r.fresh.Lags) > 0 || r.fresh.Missed > 0 {
		rows = append(rows, tableRow{scenario: "4. index freshness, commit → searchable",
			requests: thousands(len(r.fresh.Lags)) + " changes", errors: strconv.Itoa(r.fresh.Missed), throughput: "—",
			p50: ms(percentile(r.fresh.Lags, 50)), p95: ms(percentile(r.fresh.Lags, 95)), p99: ms(percentile(r.fresh.Lags, 99))})
	}
	if len(r.fresh.ToEnqueue) > 0 {
		rows = append(rows, tableRow{scenario: "4. … of it, commit → Meilisearch task enqueued",
			requests: thousands(len(r.fresh.ToEnqueue)) + " changes", errors: "—", throughput: "—",
			p50: ms(percentile(r.fresh.ToEnqueue, 50)), p95: ms(percentile(r.fresh.ToEnqueue, 95)), p99: ms(percentile(r.fresh.ToEnqueue, 99))})
		rows = append(rows, tableRow{scenario: "4. … of it, Meilisearch's own task time (enqueued → finished)",
			requests: thousands(len(r.fresh.InMeili)) + " changes", errors: "—", throughput: "—",
			p50: ms(percentile(r.fresh.InMeili, 50)), p95: ms(percentile(r.fresh.InMeili, 95)), p99: ms(percentile(r.fresh.InMeili, 99))})
	}
	if r.bulk.Total > 0 {
		rows = append(rows, tableRow{scenario: "5. bulk load, PostgreSQL + index",
			requests: thousands(r.bulk.Listings) + " listings", errors: "0",
			throughput: fmt.Sprintf("%.0f listings/s", float64(r.bulk.Listings)/r.bulk.Total.Seconds()),
			p50:        "—", p95: "—", p99: fmt.Sprintf("total %.1f s", r.bulk.Total.Seconds())})
	}
	if r.alone.Took > 0 {
		rows = append(rows, tableRow{scenario: "5. Meilisearch alone, indexing the same documents",
			requests: thousands(r.alone.Documents) + " documents", errors: "0",
			throughput: fmt.Sprintf("%.0f documents/s", float64(r.alone.Documents)/r.alone.Took.Seconds()),
			p50:        "—", p95: "—", p99: fmt.Sprintf("total %.1f s", r.alone.Took.Seconds())})
	}
	if r.beside.Took > 0 {
		rows = append(rows, tableRow{scenario: "5. Meilisearch beside the fallback's writes of the same documents (diagnostic)",
			requests: thousands(r.beside.Documents) + " documents", errors: "0",
			throughput: fmt.Sprintf("%.0f documents/s", float64(r.beside.Documents)/r.beside.Took.Seconds()),
			p50:        "—", p95: "—", p99: fmt.Sprintf("total %.1f s", r.beside.Took.Seconds())})
	}
	return rows
}

// target is one row of the table of targets.
type target struct {
	measure, now, ratio, target string
	met                         bool
	miss                        string // by how much, when not met
}

// shortBy says how far a throughput ratio q is below its target or, when it
// is not, that errors failed it.
func shortBy(q, target float64, errors int) string {
	if q >= target {
		return fmt.Sprintf("%d requests failed", errors)
	}
	return fmt.Sprintf("%.0f%% short", 100*(target-q)/target)
}

// throughputTarget is the target on what scenario m (named name) answered at
// the bench's concurrency against Meilisearch direct: at least want as much,
// without errors.
func (r *report) throughputTarget(name string, m, meili measurement, want float64) target {
	q := ratio(m.Throughput(), meili.Throughput())
	return target{measure: fmt.Sprintf("%s / Meilisearch direct, throughput at concurrency %d", name, r.o.concurrency),
		now: fmt.Sprintf("%.0f / %.0f req/s", m.Throughput(), meili.Throughput()), ratio: fmt.Sprintf("%.2f×", q),
		target: fmt.Sprintf("≥ %g×", want), met: q >= want && m.Errors == 0, miss: shortBy(q, want, m.Errors)}
}

// latencyTarget is the target on the percentile p of scenario key one search
// at a time against Meilisearch direct's: at most want times it. The ratio is
// shown with digits decimals.
func (r *report) latencyTarget(measure, key string, p float64, want float64, digits int) target {
	a, meili := r.unloaded[key].Percentile(p), r.unloaded[rowMeili].Percentile(p)
	q := ratio(float64(a), float64(meili))
	return target{measure: measure, now: ms(a) + " / " + ms(meili), ratio: fmt.Sprintf("%.*f×", digits, q),
		target: fmt.Sprintf("≤ %g×", want), met: q <= want,
		miss: fmt.Sprintf("%s over", ms(a-time.Duration(want*float64(meili))))}
}

// targets are the targets that this run measured.
func (r *report) targets() []target {
	var out []target
	api, apiOK := r.rows[rowAPI]
	meili, meiliOK := r.rows[rowMeili]
	if apiOK && meiliOK {
		out = append(out,
			r.throughputTarget("API (cache off)", api, meili, targetThroughput),
			r.latencyTarget("API (cache off) / Meilisearch direct, median one search at a time", rowAPI, 50, targetMedian, 2))
	}
	if pg, ok := r.rows[rowPostgres]; ok && meiliOK {
		out = append(out,
			r.throughputTarget("PostgreSQL fallback", pg, meili, targetFallback),
			r.latencyTarget("PostgreSQL fallback p99 / Meilisearch direct p99, one at a time", rowPostgres, 99, targetFallbackP99, 1))
	}
	if r.bulk.Total > 0 && r.alone.Took > 0 {
		q := ratio(r.bulk.Total.Seconds(), r.alone.Took.Seconds())
		out = append(out, target{measure: fmt.Sprintf("bulk load end to end / Meilisearch alone indexing the same %s documents", thousands(r.alone.Documents)),
			now: fmt.Sprintf("%.1f / %.1f s", r.bulk.Total.Seconds(), r.alone.Took.Seconds()), ratio: fmt.Sprintf("%.2f×", q),
			target: fmt.Sprintf("≤ %.1f×", targetBulk), met: q <= targetBulk,
			miss: fmt.Sprintf("%.1f s over", r.bulk.Total.Seconds()-targetBulk*r.alone.Took.Seconds())})
	}
	if f := r.fresh; len(f.ToEnqueue) > 0 {
		p99 := percentile(f.ToEnqueue, 99)
		out = append(out, target{measure: "freshness: commit → Meilisearch task enqueued, p99",
			now:   fmt.Sprintf("%s (then Meilisearch's own task time: p99 %s)", ms(p99), ms(percentile(f.InMeili, 99))),
			ratio: "—", target: "≤ " + ms(targetEnqueue), met: p99 <= targetEnqueue && f.Missed == 0,
			miss: ms(p99-targetEnqueue) + " over"})
	}
	ar, aok := r.rows[rowAPIRate]
	mr, mok := r.rows[rowMeiliRate]
	if aok && mok {
		q := ratio(float64(ar.Percentile(99)), float64(mr.Percentile(99)))
		out = append(out, target{measure: fmt.Sprintf("open loop at half of Meilisearch direct's capacity (%.0f req/s): API p99 / Meilisearch direct p99", r.rates[rowAPIRate]),
			now: ms(ar.Percentile(99)) + " / " + ms(mr.Percentile(99)), ratio: fmt.Sprintf("%.2f×", q),
			target: fmt.Sprintf("≤ %.1f×", targetOpenLoop), met: q <= targetOpenLoop && ar.Errors == 0,
			miss: ms(ar.Percentile(99)-time.Duration(targetOpenLoop*float64(mr.Percentile(99)))) + " over"})
	}
	if n, ok := r.rss[rowAPI]; ok && n > 0 {
		out = append(out, target{measure: fmt.Sprintf("`belong serve` resident memory (peak) under the concurrency-%d run, %s listings", r.o.concurrency, thousands(r.o.listings)),
			now: mib(n), ratio: "—", target: fmt.Sprintf("reported; ≤ %s at %s listings", mib(targetRSS), thousands(targetRSSListings)),
			met: n <= targetRSS, miss: mib(n-targetRSS) + " over"})
	}
	return out
}

// targetTable is the table of targets with this run's figures.
func (r *report) targetTable() string {
	var b strings.Builder
	b.WriteString("| measure | this run | ratio | target | met? |\n| --- | --- | ---: | --- | --- |\n")
	for _, t := range r.targets() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", t.measure, t.now, t.ratio, t.target, yesNo(t.met))
	}
	return b.String()
}

// scaleTable shows how cost grows with the directory's size.
func (r *report) scaleTable() string {
	if len(r.scales) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| listings | API, cache off: median / p99 | Meilisearch direct: median / p99 | PostgreSQL fallback: median / p99 " +
		"| bulk load (listings/s) | Meilisearch alone (documents/s) | Meilisearch on disk | PostgreSQL on disk |\n")
	b.WriteString("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	lat := func(m measurement) string {
		if m.Requests == 0 {
			return "—"
		}
		return ms(m.Percentile(50)) + " / " + ms(m.Percentile(99))
	}
	rate := func(n int, d time.Duration) string {
		if d <= 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f", float64(n)/d.Seconds())
	}
	for _, s := range r.scales {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", thousands(s.Listings), lat(s.API), lat(s.Meili), lat(s.Postgres),
			rate(s.Bulk.Listings, s.Bulk.Total), rate(s.Alone.Documents, s.Alone.Took), mib(s.MeiliDisk), mib(s.PostgresDisk))
	}
	return b.String()
}

// table is what the bench prints: the targets, every scenario's absolute
// figures and the scaling table.
func (r *report) table() string {
	var b strings.Builder
	b.WriteString(r.targetTable())
	b.WriteString("\n| scenario | requests | errors | throughput (req/s) | p50 | p95 | p99 |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, row := range r.tableRows() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", row.scenario, row.requests, row.errors,
			row.throughput, row.p50, row.p95, row.p99)
	}
	if r.bulk.Total > 0 {
		fmt.Fprintf(&b, "\nBulk load of %s listings (%s searchable): PostgreSQL insert %.1f s, then indexing %.1f s more; %.1f s end to end.\n",
			thousands(r.bulk.Listings), thousands(r.bulk.Documents), r.bulk.Insert.Seconds(), r.bulk.Indexing().Seconds(), r.bulk.Total.Seconds())
	}
	if t := r.scaleTable(); t != "" {
		b.WriteString("\nHow cost grows (one search at a time, after a warm-up pass; sizes after the bulk load):\n\n" + t)
	}
	return b.String()
}

// misses says, for every target not met, by how much.
func (r *report) misses() []string {
	var out []string
	for _, t := range r.targets() {
		if !t.met {
			out = append(out, fmt.Sprintf("%s: %s (%s), target %s: %s.", t.measure, t.ratio, t.now, t.target, t.miss))
		}
	}
	for _, key := range []string{rowAPI, rowAPIRate, rowAPICached, rowMeiliRate} {
		if m, ok := r.rows[key]; ok && m.Errors > 0 {
			out = append(out, fmt.Sprintf("%s: %d requests failed (first: %v).", r.scenarioName(key), m.Errors, m.FirstErr))
		}
	}
	if r.fresh.Missed > 0 {
		out = append(out, fmt.Sprintf("%d of %d changes were not searchable within 30 s.", r.fresh.Missed, r.o.changes))
	}
	return out
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// engines describes which engines answered a scenario, when it was not only one.
func engines(m measurement) string {
	var parts []string
	for e, n := range m.Engines {
		parts = append(parts, fmt.Sprintf("%s %d", e, n))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
