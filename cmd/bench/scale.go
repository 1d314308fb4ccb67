package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/belong-directory/belong/internal/search"
)

// aloneSuffix names the index Meilisearch fills alone: <name>_alone.
const aloneSuffix = "_alone"

// aloneResult is Meilisearch indexing, by itself, the very documents the bulk
// load made searchable: the floor of the bulk load's indexing.
type aloneResult struct {
	Documents int
	Took      time.Duration // from the first batch sent until the last task succeeded
}

// besideResult is Meilisearch indexing the same documents again while
// PostgreSQL writes the fallback's rows for them: the floor of a bulk load that
// keeps the fallback current, on cores the two share.
type besideResult struct {
	aloneResult
	Fallback time.Duration // until PostgreSQL had written every document
}

// fallbackWriters and fallbackBatch are how the beside run writes the
// fallback: as many statements at once as the indexer has drains, each of a
// full batch of the bulk load's.
const (
	fallbackWriters = 2
	fallbackBatch   = 5000
)

// meiliAlone sends the bulk load's documents, read back from search_documents,
// to a fresh index with the product's settings, as the product's Index sends
// them (its batch size, every batch queued before waiting), and times it. The
// index is deleted afterwards.
func (b *bench) meiliAlone(ctx context.Context) (aloneResult, error) {
	docs, err := b.searchDocuments(ctx)
	if err != nil {
		return aloneResult{}, err
	}
	b.say("Meilisearch alone: indexing the same %s documents into %s", thousands(len(docs)), b.o.name+aloneSuffix)
	r, err := b.indexAlone(ctx, docs)
	if err == nil {
		b.say("Meilisearch alone: %s documents in %s", thousands(len(docs)), r.Took.Round(time.Millisecond))
	}
	return r, err
}

// meiliBesideFallback is meiliAlone while the product's store writes the
// fallback's row of every one of the same documents into an emptied
// search_documents (UpsertSearchDocuments, fallbackWriters statements of
// fallbackBatch documents at a time): the text vectors, typed columns and index
// entries a bulk load must also write. The rows come back as they were.
func (b *bench) meiliBesideFallback(ctx context.Context) (besideResult, error) {
	var r besideResult
	docs, err := b.searchDocuments(ctx)
	if err != nil {
		return r, err
	}
	if _, err := b.st.Pool().Exec(ctx, "TRUNCATE search_documents"); err != nil {
		return r, err
	}
	b.say("Meilisearch beside the fallback: indexing the same %s documents while PostgreSQL writes their rows again",
		thousands(len(docs)))
	batches := make(chan []search.Document, len(docs)/fallbackBatch+1)
	for from := 0; from < len(docs); from += fallbackBatch {
		batches <- docs[from:min(from+fallbackBatch, len(docs))]
	}
	close(batches)
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	for range fallbackWriters {
		g.Go(func() error {
			for batch := range batches {
				if err := b.st.UpsertSearchDocuments(gctx, batch); err != nil {
					return fmt.Errorf("rewrite the fallback: %w", err)
				}
			}
			return nil
		})
	}
	wrote := make(chan time.Duration, 1)
	go func() {
		if g.Wait() == nil {
			wrote <- time.Since(start)
		}
		close(wrote)
	}()
	if r.aloneResult, err = b.indexAlone(ctx, docs); err != nil {
		return r, err
	}
	if err := g.Wait(); err != nil {
		return r, err
	}
	r.Fallback = <-wrote
	b.say("Meilisearch beside the fallback: %s documents in %s; PostgreSQL wrote them in %s", thousands(len(docs)),
		r.Took.Round(time.Millisecond), r.Fallback.Round(time.Millisecond))
	if _, err := b.st.Pool().Exec(ctx, "VACUUM ANALYZE search_documents"); err != nil {
		return r, fmt.Errorf("analyze the rewritten fallback: %w", err)
	}
	return r, nil
}

// searchDocuments reads every document of the fallback back.
func (b *bench) searchDocuments(ctx context.Context) ([]search.Document, error) {
	rows, err := b.st.Pool().Query(ctx, "SELECT doc FROM search_documents ORDER BY listing_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []search.Document
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var d search.Document
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("decode a search document: %w", err)
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// indexAlone sends docs to a fresh index (<name>_alone) with the product's
// settings, as the product's Index sends them, times it and deletes the index.
func (b *bench) indexAlone(ctx context.Context, docs []search.Document) (aloneResult, error) {
	var r aloneResult
	uid := b.o.name + aloneSuffix
	client := search.NewClient(b.cfg.MeiliURL, b.cfg.MeiliMasterKey.Reveal(), time.Minute)
	defer client.Close()
	x := search.NewIndex(client, uid, time.Minute)
	x.TaskTimeout = 30 * time.Minute
	if err := b.meili.DeleteIndex(ctx, uid); err != nil {
		return r, err
	}
	if err := x.EnsureSettings(ctx); err != nil {
		return r, err
	}
	start := time.Now()
	if err := x.Upsert(ctx, docs); err != nil {
		return r, err
	}
	r.Took, r.Documents = time.Since(start), len(docs)
	return r, b.meili.DeleteIndex(ctx, uid)
}

// diskSizes are the bench index's and database's bytes on disk. Meilisearch
// does not say where an index lives, so its size is that of the largest index
// directory under -meili-data: the bench's index is far larger than any a test
// leaves there (0 when the directory cannot be read).
func (b *bench) diskSizes(ctx context.Context) (meili, postgres int64) {
	_ = b.st.Pool().QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&postgres)
	if b.o.meiliData == "" {
		return 0, postgres
	}
	dirs, err := os.ReadDir(filepath.Join(b.o.meiliData, "indexes"))
	if err != nil {
		return 0, postgres
	}
	for _, d := range dirs {
		if d.IsDir() {
			meili = max(meili, duBytes(filepath.Join(b.o.meiliData, "indexes", d.Name())))
		}
	}
	return meili, postgres
}

// duBytes is the space the files under dir take on disk, as du counts it.
func duBytes(dir string) int64 {
	var total int64
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if n, ok := allocated(path); ok {
			total += n
		}
		return nil
	})
	return total
}

// sampleRSS samples the resident memory of process pid every 100 ms until the
// returned function is called, which returns the largest sample in bytes.
func sampleRSS(pid int) func() int64 {
	var (
		mu   sync.Mutex
		peak int64
		stop = make(chan struct{})
		done = make(chan struct{})
	)
	read := func() {
		if n := rss(pid); n > 0 {
			mu.Lock()
			peak = max(peak, n)
			mu.Unlock()
		}
	}
	go func() {
		defer close(done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		read()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// rss is a process's resident memory in bytes (VmRSS), 0 if unknown.
func rss(pid int) int64 {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// clockTicks is Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100
// on every architecture Go runs Linux on.
const clockTicks = 100

// cpuTime is the CPU time process pid has used, user and system; false when
// it cannot be read.
func cpuTime(pid int) (time.Duration, bool) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The fields after the command name, which may hold spaces and brackets,
	// from the state on.
	at := strings.LastIndex(string(raw), ") ")
	if at < 0 {
		return 0, false
	}
	f := strings.Fields(string(raw[at+2:]))
	if len(f) < 13 {
		return 0, false
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	system, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(user+system) * time.Second / clockTicks, true
}

// meiliPid is the process id of the Meilisearch listening on port, found by
// the --http-addr on its command line; 0 when there is none to be seen
// (another user's, not on this machine, or told its address another way).
func meiliPid(port string) int {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		cmd, err := os.ReadFile("/proc/" + d.Name() + "/cmdline")
		if err != nil {
			continue
		}
		args := strings.Split(strings.TrimRight(string(cmd), "\x00"), "\x00")
		if filepath.Base(args[0]) != "meilisearch" {
			continue
		}
		for i, a := range args {
			addr, ok := strings.CutPrefix(a, "--http-addr=")
			if !ok && a == "--http-addr" && i+1 < len(args) {
				addr, ok = args[i+1], true
			}
			if _, p, err := net.SplitHostPort(addr); ok && err == nil && p == port {
				return pid
			}
		}
	}
	return 0
}

// mib formats bytes as MiB.
func mib(n int64) string {
	if n <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
