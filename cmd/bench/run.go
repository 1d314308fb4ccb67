package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/belong-directory/belong/internal/harness"
	"github.com/belong-directory/belong/internal/search"
)

// Scenario keys, as -only and the report name them.
const (
	rowAPI         = "api"
	rowAPIRate     = "api-rate"
	rowMeiliRate   = "meili-rate"
	rowAPICached   = "api-cached"
	rowMeili       = "meili"
	rowMeiliGzip   = "meili-gzip"
	rowSearcher    = "searcher"
	rowProxy       = "proxy"
	rowPostgres    = "postgres"
	rowAPIFallback = "api-fallback"
	rowFreshness   = "freshness"
)

// scenarioKeys are what -only chooses from.
var scenarioKeys = []string{rowMeili, rowAPI, rowMeiliGzip, rowAPICached, rowSearcher, rowProxy, rowPostgres, rowAPIFallback,
	rowFreshness}

// runAll loads each scale in turn, smallest first, and measures it: the smaller
// scales only for the scaling table, the largest with every scenario.
func (b *bench) runAll(ctx context.Context) (*report, error) {
	rep := &report{o: b.o, started: time.Now(), rows: map[string]measurement{}, unloaded: map[string]measurement{},
		rss: map[string]int64{}, rates: map[string]float64{}}
	rep.machine = b.machine(ctx)
	for i, n := range b.o.scales {
		b.o.listings = n
		if i > 0 {
			if err := b.reset(ctx); err != nil {
				return nil, err
			}
		}
		sc, err := b.runScale(ctx, rep, i == len(b.o.scales)-1)
		if err != nil {
			return nil, err
		}
		rep.scales = append(rep.scales, sc)
	}
	rep.o.listings = b.o.listings
	rep.finished = time.Now()
	rep.machine.loadAfter = loadAverage()
	return rep, nil
}

// scaleResult is one row of the scaling table.
type scaleResult struct {
	Listings int
	Bulk     bulkResult
	Alone    aloneResult
	Beside   besideResult // at the largest scale only
	// MeiliDisk and PostgresDisk are bytes on disk after the bulk load: the
	// index's directory and the bench database (0: not measured).
	MeiliDisk, PostgresDisk int64
	// One search at a time, after a warm-up pass: Meilisearch direct, the API
	// with the cache off, the PostgreSQL fallback in-process.
	Meili, API, Postgres measurement
}

// runScale loads b.o.listings listings (unless -reuse) and measures them. With
// full set it runs every scenario into rep; otherwise only the one-at-a-time
// passes of the scaling table.
func (b *bench) runScale(ctx context.Context, rep *report, full bool) (scaleResult, error) {
	sc := scaleResult{Listings: b.o.listings}
	var err error
	// 5. Bulk load first: it fills the database and index the rest search.
	if b.o.reuse {
		if err := b.checkReused(ctx); err != nil {
			return sc, err
		}
	} else {
		if sc.Bulk, err = b.bulkLoad(ctx); err != nil {
			return sc, err
		}
		// Autovacuum analyzes a freshly loaded table within a minute or two;
		// the smaller scales are measured sooner than that, and a fallback
		// planning on no statistics measures the planner, not the product.
		if _, err := b.st.Pool().Exec(ctx, "VACUUM ANALYZE"); err != nil {
			return sc, fmt.Errorf("analyze the bench database: %w", err)
		}
		sc.MeiliDisk, sc.PostgresDisk = b.diskSizes(ctx)
		if sc.Alone, err = b.meiliAlone(ctx); err != nil {
			return sc, err
		}
		if full {
			if sc.Beside, err = b.meiliBesideFallback(ctx); err != nil {
				return sc, err
			}
		}
	}

	terms, err := search.LoadTerms(ctx, b.st)
	if err != nil {
		return sc, err
	}
	rng := rand.New(rand.NewPCG(b.o.mixSeed, 0x6d6978))
	voc, err := b.sampleVocabulary(ctx, rng)
	if err != nil {
		return sc, err
	}
	m, err := buildMix(voc, rng, b.o.queries, terms, b.cfg.SearchPerPage)
	if err != nil {
		return sc, err
	}
	b.say("%s listings, query mix: %d searches, %d of them cacheable (not near a place)",
		thousands(b.o.listings), len(m.Queries), m.Cacheable)

	client := b.loadClient()
	defer client.CloseIdleConnections()
	plain := b.loadClient()
	plain.Transport.(*http.Transport).DisableCompression = true
	defer plain.CloseIdleConnections()
	reqs, err := b.recordMeiliRequests(ctx, m)
	if err != nil {
		return sc, err
	}
	fallback := b.searcher(search.NewPostgresBackend(b.st))
	if !full {
		b.say("%s listings: one search at a time, for the scaling table", thousands(b.o.listings))
		p, base, err := b.serveAPI(ctx, "serve-scale-"+strconv.Itoa(b.o.listings), map[string]string{"SEARCH_CACHE_TTL": "0"})
		if err != nil {
			return sc, err
		}
		got, err := b.oneAtATimeInterleaved(ctx, len(m.Queries), []contender{
			{key: rowMeili, name: "Meilisearch direct", send: meiliSender(plain, reqs)},
			{key: rowAPI, name: "API, cache off", send: apiSender(client, base, m)},
			{key: rowPostgres, name: "PostgreSQL fallback", send: searcherSender(fallback, m)}})
		p.Stop(stopGrace)
		if err != nil {
			return sc, err
		}
		sc.Meili, sc.API, sc.Postgres = got[0], got[1], got[2]
		return sc, nil
	}

	rep.mix = m
	rep.bulk, rep.alone, rep.beside = sc.Bulk, sc.Alone, sc.Beside
	for _, r := range reqs {
		if len(r) > 1 {
			rep.twoTrips++
		}
		if len(r) > 2 {
			rep.threeTrips++
		}
	}
	meili := search.NewClient(b.cfg.MeiliURL, b.cfg.MeiliMasterKey.Reveal(), b.cfg.SearchTimeout)
	defer meili.Close()
	inProcess := b.searcher(search.NewMeiliBackend(meili, b.o.name, b.cfg.SearchTimeout))
	// 2. The ceiling, 1. the API with the cache off, the product's search code
	// in this process and 3. the PostgreSQL fallback: the figures the targets
	// compare, measured interleaved (paired.go). The ceiling asks for
	// uncompressed answers: Meilisearch's gzipped answers stall on kept-alive
	// connections (see the gzip diagnostic), which says nothing about how much
	// it can answer. Beside them, the bare proxy (forward.go): the floor of any
	// API in front of Meilisearch.
	compared := []contender{
		{key: rowMeili, name: "Meilisearch direct", send: meiliSender(plain, reqs)},
		{key: rowAPI, name: "API, cache off"},
		{key: rowSearcher, name: "Searcher on Meilisearch", send: searcherSender(inProcess, m)},
		{key: rowPostgres, name: "PostgreSQL fallback", send: searcherSender(fallback, m)},
	}
	if b.o.wants(rowProxy) {
		p, base, err := b.startProxy(ctx, m, reqs)
		if err != nil {
			return sc, err
		}
		defer p.Stop(stopGrace)
		compared = append(compared, contender{key: rowProxy, name: "bare proxy", send: apiSender(client, base, m), pid: p.Pid()})
	}
	if err := b.comparedRows(ctx, rep, client, m, compared); err != nil {
		return sc, err
	}
	client.CloseIdleConnections()
	plain.CloseIdleConnections()

	closed, err := harness.FreePort()
	if err != nil {
		return sc, err
	}
	// Then, one after the other, the diagnostics and the other ways the API runs.
	scenarios := []struct {
		key, name string
		send      sender
		serve     map[string]string // when set, the API of a belong serve with these variables
	}{
		{rowMeiliGzip, "Meilisearch direct, gzip", meiliSender(client, reqs), nil},
		{rowAPICached, "API, cache on", nil, map[string]string{"SEARCH_CACHE_TTL": cacheTTL.String()}},
		{rowAPIFallback, "API, Meilisearch unreachable", nil,
			map[string]string{"SEARCH_CACHE_TTL": "0", "MEILI_URL": "http://" + closed}},
	}
	for _, s := range scenarios {
		if !b.o.wants(s.key) {
			continue
		}
		if s.serve != nil {
			err = b.apiScenario(ctx, rep, client, m, s.key, s.name, s.serve)
		} else {
			err = rep.add(s.key, func() (measurement, measurement, error) {
				return b.measure(ctx, s.name, len(m.Queries), s.send)
			})
		}
		if err != nil {
			return sc, err
		}
		client.CloseIdleConnections()
		plain.CloseIdleConnections()
	}
	sc.Meili, sc.API, sc.Postgres = rep.unloaded[rowMeili], rep.unloaded[rowAPI], rep.unloaded[rowPostgres]

	// 4. Freshness last: it changes listings.
	if b.o.wants(rowFreshness) {
		if rep.fresh, err = b.freshness(ctx, rng); err != nil {
			return sc, err
		}
	}
	return sc, nil
}

// openRate is the rate of the open-loop rows: -rate, or half of what
// Meilisearch direct answered at the bench's concurrency.
func (r *report) openRate() float64 {
	if r.o.rate != 0 {
		return r.o.rate
	}
	if m, ok := r.rows[rowMeili]; ok && m.Throughput() > 0 {
		return m.Throughput() / 2
	}
	return 50
}

// openLoopRows sends the mix to each contender at the open-loop rate for the
// bench's duration, interleaved, and keeps what each saw under its key.
func (b *bench) openLoopRows(ctx context.Context, rep *report, mixLen int, cs []contender) error {
	rate := rep.openRate()
	if rate < 0 || len(cs) == 0 {
		return nil
	}
	b.say("measuring each for %s at %.0f req/s, open loop, in %d turns", b.o.duration, rate, turnsFor(len(cs)))
	rated := interleaved(ctx, cs, b.o.duration, func(send sender, d time.Duration, from, _ int) measurement {
		return openLoop(ctx, rate, d, mixLen, from, send)
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for k, c := range cs {
		r := rated[k]
		b.say("%s at %.0f req/s: %d requests, p50 %s, p99 %s, %d errors", c.name, rate, r.Requests,
			ms(r.Percentile(50)), ms(r.Percentile(99)), r.Errors)
		rep.rows[c.key] = r
		rep.rates[c.key] = rate
	}
	return nil
}

// cacheTTL is the search cache's lifetime in the cache-on scenario: the
// product's default, longer than a scenario, so every cacheable search of the
// mix is answered from Redis after the warm-up.
const cacheTTL = 60 * time.Second

func (b *bench) apiScenario(ctx context.Context, rep *report, client *http.Client, m mix, key, name string,
	env map[string]string) error {
	p, base, err := b.serveAPI(ctx, "serve-"+key, env)
	if err != nil {
		return err
	}
	defer p.Stop(stopGrace)
	defer client.CloseIdleConnections()
	send := apiSender(client, base, m)
	return rep.add(key, func() (measurement, measurement, error) {
		return b.measure(ctx, name, len(m.Queries), send)
	})
}

// comparedRows measures the contenders the targets compare, interleaved (see
// paired.go): one search at a time, then at the bench's concurrency, then, for
// the ceiling and the API, at the open-loop rate. The API's contender is a
// belong serve with the cache off, started here, whose resident memory is
// sampled throughout.
func (b *bench) comparedRows(ctx context.Context, rep *report, client *http.Client, m mix, all []contender) error {
	var cs []contender
	for _, c := range all {
		if !b.o.wants(c.key) {
			continue
		}
		if c.key == rowAPI {
			p, base, err := b.serveAPI(ctx, "serve-"+rowAPI, map[string]string{"SEARCH_CACHE_TTL": "0"})
			if err != nil {
				return err
			}
			defer p.Stop(stopGrace)
			c.pid = p.Pid()
			rss := sampleRSS(c.pid)
			defer func() { rep.rss[rowAPI] = rss() }()
			c.send = apiSender(client, base, m)
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return nil
	}
	cpu := b.cpuPerSearch(cs)
	defer func() { rep.cpu = cpu() }()
	unloaded, err := b.oneAtATimeInterleaved(ctx, len(m.Queries), cs)
	if err != nil {
		return err
	}
	b.say("measuring each for %s at concurrency %d, in %d turns", b.o.duration, b.o.concurrency, turnsFor(len(cs)))
	loaded := interleaved(ctx, cs, b.o.duration, func(send sender, d time.Duration, from, turns int) measurement {
		return closedLoop(ctx, b.o.concurrency, d, max(1, b.o.maxRequests/turns), len(m.Queries), from, send)
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var rated []contender
	for k, c := range cs {
		l := loaded[k]
		b.say("%s: %d requests, %.0f req/s, p50 %s, p99 %s, %d errors", c.name, l.Requests, l.Throughput(),
			ms(l.Percentile(50)), ms(l.Percentile(99)), l.Errors)
		if l.FirstErr != nil {
			b.say("%s: first error: %v", c.name, l.FirstErr)
		}
		rep.unloaded[c.key], rep.rows[c.key] = unloaded[k], l
		switch c.key {
		case rowMeili:
			rated = append(rated, contender{key: rowMeiliRate, name: c.name, send: c.send})
		case rowAPI:
			// The same server, warm, at a steady rate well below what it can
			// answer: the latency a person sees when the directory is busy but
			// not saturated.
			rated = append(rated, contender{key: rowAPIRate, name: c.name, send: c.send})
		}
	}
	return b.openLoopRows(ctx, rep, len(m.Queries), rated)
}

// cpuUse is the CPU time one search costs Meilisearch and the contenders'
// own processes (belong serve for the API, the bare proxy), measured over the
// compared rows; zero when a process could not be read. Unlike throughput, it
// barely moves with what else the machine is doing, so it says how close the
// API can come to Meilisearch.
type cpuUse struct {
	meili processCPU
	own   map[string]processCPU // by contender
}

// processCPU is one process's CPU per search, over the searches it answered:
// for Meilisearch every contender's but the fallback's.
type processCPU struct {
	perSearch time.Duration
	searches  int64
}

// cpuPerSearch counts the searches each contender sends from now on and
// returns a function that says, once they are done, what each cost in CPU.
func (b *bench) cpuPerSearch(cs []contender) func() cpuUse {
	var port string
	if u, err := url.Parse(b.cfg.MeiliURL); err == nil {
		port = u.Port()
	}
	meiliPid := meiliPid(port)
	if meiliPid == 0 {
		b.say("CPU per search: no Meilisearch process found listening on port %q; its CPU is not reported", port)
	}
	// meter reads one process's CPU time from now on, over the searches counted.
	type meter struct {
		pid      int
		start    time.Duration
		startOK  bool
		searches atomic.Int64
	}
	newMeter := func(pid int) *meter {
		start, ok := cpuTime(pid)
		return &meter{pid: pid, start: start, startOK: ok}
	}
	read := func(m *meter) processCPU {
		u := processCPU{searches: m.searches.Load()}
		if end, ok := cpuTime(m.pid); m.startOK && ok && u.searches > 0 {
			u.perSearch = (end - m.start) / time.Duration(u.searches)
		}
		return u
	}
	meili, own := newMeter(meiliPid), map[string]*meter{}
	for k, c := range cs {
		if c.key == rowPostgres {
			continue
		}
		var m *meter
		if c.pid != 0 {
			m = newMeter(c.pid)
			own[c.key] = m
		}
		send := c.send
		cs[k].send = func(ctx context.Context, i int) (string, error) {
			meili.searches.Add(1)
			if m != nil {
				m.searches.Add(1)
			}
			return send(ctx, i)
		}
	}
	return func() cpuUse {
		u := cpuUse{meili: read(meili), own: map[string]processCPU{}}
		for key, m := range own {
			u.own[key] = read(m)
		}
		return u
	}
}

// add keeps what a scenario measured under key.
func (r *report) add(key string, run func() (unloaded, loaded measurement, err error)) error {
	unloaded, loaded, err := run()
	if err != nil {
		return err
	}
	r.unloaded[key], r.rows[key] = unloaded, loaded
	return nil
}

// checkReused makes sure an earlier run left the listings -reuse expects.
func (b *bench) checkReused(ctx context.Context) error {
	last := syntheticSlug(b.o.seed, b.o.listings-1)
	if _, err := b.st.Listing(ctx, last); err != nil {
		return fmt.Errorf("-reuse: listing %s not found (%w); run once without -reuse with the same -listings and -seed", last, err)
	}
	n, err := b.meili.Documents(ctx, b.o.name)
	if err != nil || n == 0 {
		return fmt.Errorf("-reuse: the Meilisearch index %s is empty or missing (%v); run once without -reuse", b.o.name, err)
	}
	b.say("reusing %s: %d documents in Meilisearch; no bulk load", b.o.name, n)
	return nil
}
