package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
)

// requestTimeout bounds every search request; a request past it counts as not
// answered.
const requestTimeout = 10 * time.Second

// maxRequests bounds the requests of the whole run, steady load and overload
// together, whatever the clock says.
const maxRequests = 200_000

// Surfaces searched: the JSON API and the HTML search page.
const (
	surfaceAPI  = "API"
	surfacePage = "page"
)

// answer is one search request as the client saw it.
type answer struct {
	at         time.Time // sent
	took       time.Duration
	surface    string
	status     int // 0: no answer (refused connection, reset, timeout)
	retryAfter bool
	engine     string // X-Search-Engine
	overload   bool
}

// probe is one look at a server: an uncacheable search through the API (which
// engine answered) or /readyz (whether every service is ok).
type probe struct {
	at, done time.Time
	server   int
	readyz   bool
	status   int
	engine   string // X-Search-Engine
	// bodyEngine is the answer's "engine" field (search probes only), which
	// must agree with the header.
	bodyEngine string
	allOK      bool // readyz only
}

// timeline is everything the run saw, in the order it happened.
type timeline struct {
	mu      sync.Mutex
	answers []answer
	probes  []probe
	writes  []writeEvent
}

func (t *timeline) addAnswer(a answer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.answers = append(t.answers, a)
}

func (t *timeline) addProbe(p probe) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.probes = append(t.probes, p)
}

func (t *timeline) addWrite(w writeEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.writes = append(t.writes, w)
}

// mix is the searches the load sends, as query strings both surfaces accept,
// and one search near a place for the probes: searches near a place are never
// cached, so a probe always shows the engine that answers now.
type mix struct {
	queries []string
	probe   string
}

// buildMix draws searches from the seeded listings: words of their names, tags
// of the taxonomy, points near the cities they are in.
func (c *cluster) buildMix(ctx context.Context, rng *rand.Rand, n int) (mix, error) {
	var m mix
	rows, err := c.pool.Query(ctx, `SELECT name FROM listings WHERE status = 'published' ORDER BY slug LIMIT 400`)
	if err != nil {
		return m, err
	}
	seen := map[string]bool{}
	var words []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return m, err
		}
		for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if w = strings.ToLower(w); len([]rune(w)) >= 4 && !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return m, err
	}
	slices.Sort(words)
	var tags []string
	rows, err = c.pool.Query(ctx, `SELECT slug FROM tags ORDER BY slug`)
	if err != nil {
		return m, err
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return m, err
		}
		tags = append(tags, t)
	}
	type point struct{ lat, lng float64 }
	var cities []point
	rows, err = c.pool.Query(ctx, `SELECT avg(lat), avg(lng) FROM locations
		WHERE kind = 'physical' AND lat IS NOT NULL AND lng IS NOT NULL AND city <> ''
		GROUP BY city ORDER BY count(*) DESC, city LIMIT 10`)
	if err != nil {
		return m, err
	}
	for rows.Next() {
		var p point
		if err := rows.Scan(&p.lat, &p.lng); err != nil {
			return m, err
		}
		cities = append(cities, p)
	}
	if len(words) == 0 || len(tags) < 2 || len(cities) == 0 {
		return m, fmt.Errorf("the seeded listings have too little to build searches from (%d words, %d tags, %d cities)",
			len(words), len(tags), len(cities))
	}
	near := func(q url.Values, p point) {
		f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
		q.Set("near", f(p.lat)+","+f(p.lng))
		q.Set("radius_km", "25")
	}
	pq := url.Values{}
	near(pq, cities[0])
	m.probe = pq.Encode()
	for i := range n {
		q := url.Values{}
		word := func() string { return words[rng.IntN(len(words))] }
		tag := func() string { return tags[rng.IntN(len(tags))] }
		switch i % 6 {
		case 0:
			q.Set("q", word())
		case 1:
			q.Add("need", tag())
		case 2:
			q.Add("need", tag())
			q.Add("need", tag())
		case 3:
			q.Set("q", word())
			q.Add("need", tag())
		case 4:
			near(q, cities[rng.IntN(len(cities))])
		case 5:
			q.Add("need", tag())
			q.Set("page", "2")
		}
		m.queries = append(m.queries, q.Encode())
	}
	return m, nil
}

// loadClient keeps connections alive, enough of them for the overload phase,
// and accepts gzip as a browser does.
func loadClient(conns int) *http.Client {
	return &http.Client{Timeout: requestTimeout, Transport: &http.Transport{
		MaxIdleConns: 2 * conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: 90 * time.Second}}
}

// searcher sends searches round the servers and the two surfaces.
type searcher struct {
	client  *http.Client
	servers []string
	mix     mix
	sent    atomic.Int64
	tl      *timeline
}

// send sends search k of the mix; even k to the API, odd to the page, each
// pair to the next server. It reports false when the run's request budget is
// spent.
func (s *searcher) send(ctx context.Context, k int, overload bool) bool {
	if s.sent.Add(1) > maxRequests {
		return false
	}
	surface, path := surfaceAPI, "/api/v1/listings?"
	if k%2 == 1 {
		surface, path = surfacePage, "/?"
	}
	base := s.servers[(k/2)%len(s.servers)]
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	a := answer{at: time.Now(), surface: surface, overload: overload}
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, base+path+s.mix.queries[(k/2)%len(s.mix.queries)], nil)
	if err == nil {
		var resp *http.Response
		if resp, err = s.client.Do(req); err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err == nil {
				a.status = resp.StatusCode
				a.retryAfter = resp.Header.Get("Retry-After") != ""
				a.engine = resp.Header.Get("X-Search-Engine")
			}
		}
	}
	a.took = time.Since(a.at)
	if a.status == 0 && ctx.Err() != nil {
		return true // the run is stopping: not an answer the product failed to give
	}
	s.tl.addAnswer(a)
	return true
}

// steady sends the mix at rate requests per second, each at its own moment
// whether or not earlier ones were answered (an open loop, so a stall shows
// as latency), until ctx ends. While paused is set it sends nothing. At most
// inFlight requests are outstanding; a moment that finds them all busy is
// counted in skipped.
func (s *searcher) steady(ctx context.Context, rate float64, paused *atomic.Bool, skipped *atomic.Int64) {
	const inFlight = 256
	sem := make(chan struct{}, inFlight)
	var wg sync.WaitGroup
	defer wg.Wait()
	every := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	for k := 0; ; k++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(start.Add(time.Duration(k) * every))):
		}
		if paused.Load() {
			continue
		}
		select {
		case sem <- struct{}{}:
		default:
			skipped.Add(1)
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if !s.send(ctx, k, false) {
				skipped.Add(1)
			}
		})
	}
}

// overload keeps conns requests in flight for d: each connection sends its next
// search as soon as the last is answered (a closed loop). Requests under way
// when d is over are waited for, not cut short.
func (s *searcher) overload(ctx context.Context, conns int, d time.Duration) {
	end := time.Now().Add(d)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(end) {
				if !s.send(ctx, int(next.Add(1)), true) {
					return
				}
			}
		})
	}
	wg.Wait()
}

// watch probes every server until ctx ends: the engine every 250 ms, /readyz
// every 500 ms.
func (s *searcher) watch(ctx context.Context) {
	client := &http.Client{Timeout: 3 * time.Second}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	for i, base := range s.servers {
		wg.Go(func() {
			s.probeEvery(ctx, client, i, base+"/api/v1/listings?"+s.mix.probe, false, 250*time.Millisecond)
		})
		wg.Go(func() { s.probeEvery(ctx, client, i, base+"/readyz", true, 500*time.Millisecond) })
	}
	wg.Wait()
}

func (s *searcher) probeEvery(ctx context.Context, client *http.Client, server int, u string, readyz bool, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		p := probe{at: time.Now(), server: server, readyz: readyz}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err == nil {
			var resp *http.Response
			if resp, err = client.Do(req); err == nil {
				p.status = resp.StatusCode
				p.engine = resp.Header.Get("X-Search-Engine")
				if readyz {
					p.allOK = resp.StatusCode == http.StatusOK && readyAllOK(resp.Body)
				} else if resp.StatusCode == http.StatusOK {
					p.bodyEngine = engineField(resp.Body)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		p.done = time.Now()
		if ctx.Err() != nil {
			return
		}
		s.tl.addProbe(p)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// readyAllOK reads a /readyz answer and reports whether it says every service
// is fine. Today's answer is {"ready":…,"degraded":…,"checks":{"name":{"ok":…}}};
// a check given as a bare boolean or a state word ("ok", "up") is understood
// too, so a leaner public answer keeps working.
func readyAllOK(body io.Reader) bool {
	var r map[string]any
	if err := json.NewDecoder(io.LimitReader(body, 1<<16)).Decode(&r); err != nil {
		return false
	}
	if d, ok := r["degraded"].(bool); ok && d {
		return false
	}
	if v, ok := r["ready"].(bool); ok && !v {
		return false
	}
	checks, _ := r["checks"].(map[string]any)
	for _, v := range checks {
		switch v := v.(type) {
		case bool:
			if !v {
				return false
			}
		case string:
			if v != "ok" && v != "up" {
				return false
			}
		case map[string]any:
			if ok, _ := v["ok"].(bool); !ok {
				if st, _ := v["state"].(string); st != "ok" && st != "up" {
					return false
				}
			}
		}
	}
	return true
}

// engineField reads the "engine" field of an API search answer.
func engineField(body io.Reader) string {
	var r struct {
		Engine string `json:"engine"`
	}
	_ = json.NewDecoder(io.LimitReader(body, 1<<22)).Decode(&r)
	return r.Engine
}

// engineDisagreements counts the search probes whose "engine" field and
// X-Search-Engine header named different engines.
func (t *timeline) engineDisagreements() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, p := range t.probes {
		if !p.readyz && p.status == http.StatusOK && p.bodyEngine != p.engine {
			n++
		}
	}
	return n
}
