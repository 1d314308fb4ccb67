package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/belong-directory/belong/internal/harness"
	"github.com/belong-directory/belong/internal/search"
)

// Scenario keys, as -only and the report name them.
const (
	rowAPI         = "api"
	rowAPIRate     = "api-rate"
	rowAPICached   = "api-cached"
	rowMeili       = "meili"
	rowMeiliGzip   = "meili-gzip"
	rowSearcher    = "searcher"
	rowPostgres    = "postgres"
	rowAPIFallback = "api-fallback"
	rowFreshness   = "freshness"
)

// scenarioKeys are what -only chooses from.
var scenarioKeys = []string{rowMeili, rowAPI, rowMeiliGzip, rowAPICached, rowSearcher, rowPostgres, rowAPIFallback, rowFreshness}

// runAll runs every scenario, one after the other, and returns the report.
func (b *bench) runAll(ctx context.Context) (*report, error) {
	rep := &report{o: b.o, started: time.Now(), rows: map[string]measurement{}, unloaded: map[string]measurement{}}
	rep.machine = b.machine(ctx)
	var err error

	// 5. Bulk load first: it fills the database and index the rest search.
	if b.o.reuse {
		if err := b.checkReused(ctx); err != nil {
			return nil, err
		}
	} else if rep.bulk, err = b.bulkLoad(ctx); err != nil {
		return nil, err
	}

	terms, err := search.LoadTerms(ctx, b.st)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(b.o.mixSeed, 0x6d6978))
	voc, err := b.sampleVocabulary(ctx, rng)
	if err != nil {
		return nil, err
	}
	m, err := buildMix(voc, rng, b.o.queries, terms, b.cfg.SearchPerPage)
	if err != nil {
		return nil, err
	}
	rep.mix = m
	b.say("query mix: %d searches, %d of them cacheable (not near a place)", len(m.Queries), m.Cacheable)

	client := b.loadClient()
	defer client.CloseIdleConnections()
	plain := b.loadClient()
	plain.Transport.(*http.Transport).DisableCompression = true
	defer plain.CloseIdleConnections()
	reqs, err := b.recordMeiliRequests(ctx, m)
	if err != nil {
		return nil, err
	}
	meili := search.NewClient(b.cfg.MeiliURL, b.cfg.MeiliMasterKey.Reveal(), b.cfg.SearchTimeout)
	defer meili.Close()
	inProcess := search.NewSearcher(search.NewMeiliBackend(meili, b.o.name, b.cfg.SearchTimeout), b.thresholds(), time.Now)
	fallback := search.NewSearcher(search.NewPostgresBackend(b.st), b.thresholds(), time.Now)
	closed, err := harness.FreePort()
	if err != nil {
		return nil, err
	}
	// 2. The ceiling first, then 1. the API with the cache off right after it,
	// so the ratio compares two runs as close in time as the machine allows.
	// The ceiling asks for uncompressed answers: Meilisearch's gzipped answers
	// stall on kept-alive connections (see the gzip diagnostic), which says
	// nothing about how much it can answer. 3. The PostgreSQL fallback, in this
	// process and through the API.
	scenarios := []struct {
		key, name string
		send      sender
		serve     map[string]string // when set, the API of a belong serve with these variables
	}{
		{rowMeili, "Meilisearch direct", meiliSender(plain, reqs), nil},
		{rowAPI, "API, cache off", nil, map[string]string{"SEARCH_CACHE_TTL": "0"}},
		{rowMeiliGzip, "Meilisearch direct, gzip", meiliSender(client, reqs), nil},
		{rowAPICached, "API, cache on", nil, map[string]string{"SEARCH_CACHE_TTL": cacheTTL.String()}},
		{rowSearcher, "Searcher on Meilisearch", searcherSender(inProcess, m), nil},
		{rowPostgres, "PostgreSQL fallback", searcherSender(fallback, m), nil},
		{rowAPIFallback, "API, Meilisearch unreachable", nil,
			map[string]string{"SEARCH_CACHE_TTL": "0", "MEILI_URL": "http://" + closed}},
	}
	for _, sc := range scenarios {
		if !b.o.wants(sc.key) {
			continue
		}
		if sc.serve != nil {
			err = b.apiScenario(ctx, rep, client, m, sc.key, sc.name, sc.serve)
		} else {
			err = rep.add(sc.key, func() (measurement, measurement, error) {
				return b.measure(ctx, sc.name, len(m.Queries), sc.send)
			})
		}
		if err != nil {
			return nil, err
		}
		client.CloseIdleConnections()
		plain.CloseIdleConnections()
	}

	// 4. Freshness last: it changes listings.
	if b.o.wants(rowFreshness) {
		if rep.fresh, err = b.freshness(ctx, rng); err != nil {
			return nil, err
		}
	}
	rep.finished = time.Now()
	rep.machine.loadAfter = loadAverage()
	return rep, nil
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
	if err := rep.add(key, func() (measurement, measurement, error) {
		return b.measure(ctx, name, len(m.Queries), send)
	}); err != nil {
		return err
	}
	if key != rowAPI || b.o.rate == 0 {
		return nil
	}
	// The same server, warm, at a steady rate well below what it can answer:
	// the latency a person sees when the directory is busy but not saturated.
	b.say("%s: measuring for %s at %.0f req/s, open loop", name, b.o.duration, b.o.rate)
	rated := openLoop(ctx, b.o.rate, b.o.duration, len(m.Queries), send)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	b.say("%s at %.0f req/s: %d requests, p50 %s, p99 %s, %d errors", name, b.o.rate, rated.Requests,
		ms(rated.Percentile(50)), ms(rated.Percentile(99)), rated.Errors)
	rep.rows[rowAPIRate] = rated
	return nil
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
