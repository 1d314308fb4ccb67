package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/belong-directory/belong/internal/harness"
	"github.com/belong-directory/belong/internal/search"
)

// forwardArg, as the first argument, runs this program as the bare proxy
// (forward) instead of the bench.
const forwardArg = "-forward-to-meilisearch"

// The bare proxy is the floor of any HTTP API in front of Meilisearch: it takes
// GET /api/v1/listings like the API, sends the Meilisearch requests the product
// sent for that search (recordMeiliRequests) one after the other over kept-alive
// connections, reads each answer whole, decodes nothing and answers with a few
// bytes. Beside it the API's row shows what the API's own work costs: decoding
// the answers, building and encoding the result, gzip, Echo.

// forwarded is one recorded Meilisearch request, as the proxy reads it.
type forwarded struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
}

// startProxy writes each search's recorded requests, by its raw query string,
// to a file and starts this program as the bare proxy on a loopback port.
func (b *bench) startProxy(ctx context.Context, m mix, reqs [][]meiliRequest) (*harness.Proc, string, error) {
	bySearch := make(map[string][]forwarded, len(m.Queries))
	for i, q := range m.Queries {
		for _, r := range reqs[i] {
			bySearch[q.Raw] = append(bySearch[q.Raw], forwarded{r.method, r.url, r.header, r.body})
		}
	}
	data, err := json.Marshal(bySearch)
	if err != nil {
		return nil, "", err
	}
	file := filepath.Join(b.work, "proxy-requests.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return nil, "", err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	addr, err := harness.FreePort()
	if err != nil {
		return nil, "", err
	}
	p, err := harness.Start(harness.Spec{Name: "bare proxy", Bin: self, Args: []string{forwardArg, addr, file},
		Log: filepath.Join(b.work, "proxy.log")})
	if err != nil {
		return nil, "", err
	}
	b.procs = append(b.procs, p)
	probe := &http.Client{Timeout: time.Second}
	base := "http://" + addr
	err = p.WaitReady(ctx, time.Minute, func() bool {
		resp, err := probe.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if err != nil {
		p.Stop(stopGrace)
		return nil, "", err
	}
	return p, base, nil
}

// forward serves as the bare proxy on addr until ctx ends, with the requests
// startProxy wrote to file. Its client is configured as search.NewClient's.
func forward(ctx context.Context, addr, file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var bySearch map[string][]forwarded
	if err := json.Unmarshal(data, &bySearch); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	client := &http.Client{Transport: search.Transport(), Timeout: requestTimeout}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {})
	mux.HandleFunc("GET /api/v1/listings", func(w http.ResponseWriter, r *http.Request) {
		sent, ok := bySearch[r.URL.RawQuery]
		if !ok {
			http.Error(w, "no such search in the mix", http.StatusNotFound)
			return
		}
		for _, f := range sent {
			req, err := http.NewRequestWithContext(r.Context(), f.Method, f.URL, bytes.NewReader(f.Body))
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			req.Header = f.Header.Clone()
			resp, err := client.Do(req)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
		}
		w.Header().Set("X-Search-Engine", "meilisearch")
		io.WriteString(w, `{}`)
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
