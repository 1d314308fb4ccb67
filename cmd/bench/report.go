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

// Targets from the issue, for a 2-core machine at 100,000 listings.
const (
	targetRatio     = 0.8
	targetP99       = 50 * time.Millisecond
	targetFreshness = time.Second
	targetBulk      = 60 * time.Second
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

// ratio is the API's throughput with the cache off over Meilisearch's own.
func (r *report) ratio() float64 {
	api, meili := r.rows[rowAPI], r.rows[rowMeili]
	if meili.Throughput() == 0 {
		return 0
	}
	return api.Throughput() / meili.Throughput()
}

type tableRow struct {
	scenario, requests, errors, throughput, p50, p95, p99, target, met string
}

var scenarioNames = map[string]string{
	rowAPI:         "1. search API, cache off",
	rowAPIRate:     "1. search API, cache off, steady %.0f req/s (open loop)",
	rowAPICached:   "1. search API, cache on",
	rowMeili:       "2. Meilisearch direct (ceiling)",
	rowMeiliGzip:   "Meilisearch direct, asking for gzip (diagnostic)",
	rowSearcher:    "Searcher on Meilisearch, in-process (diagnostic)",
	rowPostgres:    "3. PostgreSQL fallback, in-process",
	rowAPIFallback: "3. search API, Meilisearch unreachable",
}

// scenarioName is a row's name in the table, with the open loop's rate in it.
func (r *report) scenarioName(key string) string {
	if key == rowAPIRate {
		return fmt.Sprintf(scenarioNames[key], r.o.rate)
	}
	return scenarioNames[key]
}

func (r *report) tableRows() []tableRow {
	var rows []tableRow
	for _, key := range []string{rowAPI, rowAPIRate, rowAPICached, rowMeili, rowMeiliGzip, rowSearcher, rowPostgres, rowAPIFallback} {
		m, ok := r.rows[key]
		if !ok {
			continue
		}
		row := tableRow{scenario: r.scenarioName(key), requests: thousands(m.Requests), errors: strconv.Itoa(m.Errors),
			throughput: fmt.Sprintf("%.0f", m.Throughput()),
			p50:        ms(m.Percentile(50)), p95: ms(m.Percentile(95)), p99: ms(m.Percentile(99)), target: "—", met: "—"}
		p99ok := m.Percentile(99) <= targetP99 && m.Errors == 0
		switch key {
		case rowAPI:
			row.target = fmt.Sprintf("≥ %.1f× Meilisearch; p99 ≤ %s", targetRatio, ms(targetP99))
			row.met = yesNo(r.ratio() >= targetRatio && p99ok)
		case rowAPICached, rowAPIRate:
			row.target = "p99 ≤ " + ms(targetP99)
			row.met = yesNo(p99ok)
		case rowMeili:
			row.target = "ceiling"
		}
		rows = append(rows, row)
	}
	if len(r.fresh.Lags) > 0 || r.fresh.Missed > 0 {
		rows = append(rows, tableRow{scenario: "4. index freshness, commit → searchable",
			requests: thousands(len(r.fresh.Lags)) + " changes", errors: strconv.Itoa(r.fresh.Missed), throughput: "—",
			p50: ms(percentile(r.fresh.Lags, 50)), p95: ms(percentile(r.fresh.Lags, 95)), p99: ms(percentile(r.fresh.Lags, 99)),
			target: "p99 ≤ " + ms(targetFreshness), met: yesNo(r.fresh.Missed == 0 && percentile(r.fresh.Lags, 99) <= targetFreshness)})
	}
	if r.bulk.Total > 0 {
		rows = append(rows, tableRow{scenario: "5. bulk load, PostgreSQL + index",
			requests: thousands(r.bulk.Listings) + " listings", errors: "0",
			throughput: fmt.Sprintf("%.0f listings/s", float64(r.bulk.Listings)/r.bulk.Total.Seconds()),
			p50:        "—", p95: "—", p99: fmt.Sprintf("total %.1f s", r.bulk.Total.Seconds()),
			target: fmt.Sprintf("≤ %.0f s", targetBulk.Seconds()), met: yesNo(r.bulk.Total <= targetBulk)})
	}
	return rows
}

// table is the one Markdown table the bench prints, with the ratio and the bulk
// load's split under it.
func (r *report) table() string {
	var b strings.Builder
	b.WriteString("| scenario | requests | errors | throughput (req/s) | p50 | p95 | p99 | target | met? |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n")
	for _, row := range r.tableRows() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", row.scenario, row.requests, row.errors,
			row.throughput, row.p50, row.p95, row.p99, row.target, row.met)
	}
	if _, ok := r.rows[rowAPI]; ok {
		fmt.Fprintf(&b, "\nAPI (cache off) / Meilisearch direct throughput: **%.2f×** (target ≥ %.1f×).\n", r.ratio(), targetRatio)
	}
	if r.bulk.Total > 0 {
		fmt.Fprintf(&b, "Bulk load of %s listings (%s searchable): PostgreSQL insert %.1f s, then indexing %.1f s more; %.1f s end to end.\n",
			thousands(r.bulk.Listings), thousands(r.bulk.Documents), r.bulk.Insert.Seconds(), r.bulk.Indexing().Seconds(), r.bulk.Total.Seconds())
	}
	return b.String()
}

// misses says, for every target not met, by how much.
func (r *report) misses() []string {
	var out []string
	if m, ok := r.rows[rowAPI]; ok {
		if ratio := r.ratio(); ratio < targetRatio {
			out = append(out, fmt.Sprintf("API throughput with the cache off is %.2f× Meilisearch's, %.0f%% short of %.1f× (%.0f req/s where %.0f would meet it).",
				ratio, 100*(targetRatio-ratio)/targetRatio, targetRatio, m.Throughput(), targetRatio*r.rows[rowMeili].Throughput()))
		}
	}
	for _, key := range []string{rowAPI, rowAPIRate, rowAPICached} {
		m, ok := r.rows[key]
		if !ok {
			continue
		}
		name := r.scenarioName(key)
		if p99 := m.Percentile(99); p99 > targetP99 {
			out = append(out, fmt.Sprintf("%s: p99 is %s, %s (%.0f%%) over %s.", name, ms(p99),
				ms(p99-targetP99), 100*float64(p99-targetP99)/float64(targetP99), ms(targetP99)))
		}
		if m.Errors > 0 {
			out = append(out, fmt.Sprintf("%s: %d requests failed (first: %v).", name, m.Errors, m.FirstErr))
		}
	}
	if p99 := percentile(r.fresh.Lags, 99); p99 > targetFreshness {
		out = append(out, fmt.Sprintf("Index freshness p99 is %s, %s over %s.", ms(p99), ms(p99-targetFreshness), ms(targetFreshness)))
	}
	if r.fresh.Missed > 0 {
		out = append(out, fmt.Sprintf("%d of %d changes were not searchable within 30 s.", r.fresh.Missed, r.o.changes))
	}
	if r.bulk.Total > targetBulk {
		out = append(out, fmt.Sprintf("The bulk load took %.1f s, %.1f s (%.0f%%) over %.0f s.", r.bulk.Total.Seconds(),
			(r.bulk.Total-targetBulk).Seconds(), 100*(r.bulk.Total-targetBulk).Seconds()/targetBulk.Seconds(), targetBulk.Seconds()))
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
