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

// meiliAlone sends the bulk load's documents, read back from search_documents,
// to a fresh index with the product's settings, as the product's Index sends
// them (its batch size, every batch queued before waiting), and times it. The
// index is deleted afterwards.
func (b *bench) meiliAlone(ctx context.Context) (aloneResult, error) {
	var r aloneResult
	rows, err := b.st.Pool().Query(ctx, "SELECT doc FROM search_documents ORDER BY listing_id")
	if err != nil {
		return r, err
	}
	var docs []search.Document
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			rows.Close()
			return r, err
		}
		var d search.Document
		if err := json.Unmarshal(raw, &d); err != nil {
			rows.Close()
			return r, fmt.Errorf("decode a search document: %w", err)
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r, err
	}
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
	b.say("Meilisearch alone: indexing the same %s documents into %s", thousands(len(docs)), uid)
	start := time.Now()
	if err := x.Upsert(ctx, docs); err != nil {
		return r, err
	}
	r.Took, r.Documents = time.Since(start), len(docs)
	b.say("Meilisearch alone: %s documents in %s", thousands(len(docs)), r.Took.Round(time.Millisecond))
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
