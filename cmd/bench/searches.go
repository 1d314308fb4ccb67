package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/belong-directory/belong/internal/harness"
	"github.com/belong-directory/belong/internal/search"
)

// loadClient is the HTTP client of every scenario that goes over the network:
// keep-alive connections, one per request in flight, gzip accepted as browsers do.
func (b *bench) loadClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns:        4 * b.o.concurrency,
		MaxIdleConnsPerHost: 2 * b.o.concurrency,
		IdleConnTimeout:     90 * time.Second,
	}}
}

// serveAPI starts belong serve on a loopback port with the bench environment and
// extra on top, without its indexer, and returns its address.
func (b *bench) serveAPI(ctx context.Context, name string, extra map[string]string) (*harness.Proc, string, error) {
	addr, err := harness.FreePort()
	if err != nil {
		return nil, "", err
	}
	env := map[string]string{"LISTEN_ADDR": addr, "BASE_URL": "http://" + addr, "WORKER": "false"}
	for k, v := range extra {
		env[k] = v
	}
	probe := &http.Client{Timeout: time.Second}
	p, err := b.start(ctx, name, []string{"serve"}, env, func() bool {
		resp, err := probe.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return p, "http://" + addr, err
}

// apiSender sends the mix's raw query strings to GET /api/v1/listings and reads
// each answer whole. A page past the last is answered 404, by design: at the
// smaller scales some searches of the mix have no second page, so that answer
// counts as an answer.
func apiSender(client *http.Client, base string, m mix) sender {
	return func(ctx context.Context, i int) (string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/listings?"+m.Queries[i].Raw, nil)
		if err != nil {
			return "", err
		}
		resp, err := readAll(client, req, m.Queries[i].Query.Page > 1)
		if err != nil {
			return "", fmt.Errorf("GET /api/v1/listings?%s: %w", m.Queries[i].Raw, err)
		}
		if resp.StatusCode == http.StatusNotFound {
			return "past the last page", nil
		}
		return resp.Header.Get("X-Search-Engine"), nil
	}
}

// readAll sends req and reads the whole answer, as a browser or client would;
// an answer other than 200 is an error quoting its start.
func readAll(client *http.Client, req *http.Request, notFoundOK bool) (*http.Response, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK && (!notFoundOK || resp.StatusCode != http.StatusNotFound) {
		return nil, fmt.Errorf("%s: %.200s", resp.Status, body)
	}
	return resp, nil
}

// searcherSender runs the mix's parsed queries on an engine in this process.
func searcherSender(e search.Engine, m mix) sender {
	return func(ctx context.Context, i int) (string, error) {
		r, err := e.Search(ctx, m.Queries[i].Query)
		return r.Engine, err
	}
}

// meiliRequest is one HTTP request as the product's Meilisearch client sent it.
type meiliRequest struct {
	method, url string
	header      http.Header
	body        []byte
}

// recorder passes requests on to Meilisearch and keeps a copy of each.
type recorder struct {
	mu   sync.Mutex
	sent []meiliRequest
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.sent = append(r.sent, meiliRequest{method: req.Method, url: req.URL.String(), header: req.Header.Clone(), body: body})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// recordMeiliRequests runs every search of the mix once through the product's
// own Searcher on Meilisearch and keeps the requests each one sent, in order:
// the very filters, sorts, facets, limits and fields the API asks for. A search
// sends one to three: the page with its counts; then, when needed, close-match
// candidates, the first listings of each place and similar words; then the
// close matches ranked first, whole.
func (b *bench) recordMeiliRequests(ctx context.Context, m mix) ([][]meiliRequest, error) {
	rec := &recorder{}
	client := meilisearch.New(b.cfg.MeiliURL, meilisearch.WithAPIKey(b.cfg.MeiliMasterKey.Reveal()),
		meilisearch.WithCustomClient(&http.Client{Transport: rec, Timeout: requestTimeout}),
		meilisearch.DisableRetries())
	defer client.Close()
	s := b.searcher(search.NewMeiliBackend(client, b.o.name, requestTimeout))
	out := make([][]meiliRequest, len(m.Queries))
	for i, q := range m.Queries {
		rec.sent = nil
		if _, err := s.Search(ctx, q.Query); err != nil {
			return nil, fmt.Errorf("record the Meilisearch requests of %s: %w", q.Raw, err)
		}
		if len(rec.sent) == 0 {
			return nil, errors.New("the Meilisearch client sent nothing")
		}
		out[i] = rec.sent
	}
	return out, nil
}

// meiliSender replays the requests each search sent to Meilisearch, one after
// the other as the product sends them, and reads each answer whole, decoding
// nothing.
func meiliSender(client *http.Client, reqs [][]meiliRequest) sender {
	return func(ctx context.Context, i int) (string, error) {
		for _, r := range reqs[i] {
			req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
			if err != nil {
				return "", err
			}
			req.Header = r.header.Clone()
			if _, err := readAll(client, req, false); err != nil {
				return "", fmt.Errorf("meilisearch: %w", err)
			}
		}
		return "meilisearch", nil
	}
}
