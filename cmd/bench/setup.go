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
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
)

// bench holds what every scenario shares: the configuration the belong
// processes run with, the store on the bench database and a client for
// Meilisearch's own API.
type bench struct {
	o     options
	work  string
	say   func(string, ...any)
	cfg   config.Config
	env   map[string]string // the bench's variables, on top of the process environment
	st    *store.Store
	meili *meiliAdmin
	procs []*proc
}

func newBench(ctx context.Context, o options, work string, say func(string, ...any)) (*bench, error) {
	dbURL, err := databaseURL(o.adminURL, o.name)
	if err != nil {
		return nil, err
	}
	env := map[string]string{
		"DATABASE_URL": dbURL,
		"REDIS_URL":    o.redisURL,
		"MEILI_INDEX":  o.name,
		"LOG_LEVEL":    "info",
		"WORKER":       "false",
	}
	if o.workerBatch > 0 {
		env["WORKER_BATCH"] = strconv.Itoa(o.workerBatch)
	}
	// The bench's own configuration is what the belong processes will read:
	// the process environment (MEILI_URL, MEILI_MASTER_KEY, timeouts…) with the
	// bench's variables on top.
	cfg, err := config.LoadFrom(mergedEnv(env, nil))
	if err != nil {
		return nil, err
	}
	b := &bench{o: o, work: work, say: say, cfg: cfg, env: env,
		meili: &meiliAdmin{url: strings.TrimSuffix(cfg.MeiliURL, "/"), key: cfg.MeiliMasterKey.Reveal(),
			http: &http.Client{Timeout: 30 * time.Second}}}
	if !o.reuse {
		say("recreating database %s and Meilisearch index %s", o.name, o.name)
		if err := recreateDatabase(ctx, o.adminURL, o.name); err != nil {
			return nil, err
		}
		for _, uid := range []string{o.name, o.name + "_next"} {
			if err := b.meili.deleteIndex(ctx, uid); err != nil {
				return nil, err
			}
		}
	}
	b.st, err = store.Open(ctx, dbURL, cfg.DatabaseTimeout)
	if err != nil {
		return nil, err
	}
	if _, err := b.st.MigrateUp(ctx); err != nil {
		b.st.Close()
		return nil, err
	}
	return b, nil
}

// close stops every belong process still running and closes the store.
func (b *bench) close() {
	for _, p := range b.procs {
		p.stop()
	}
	if b.st != nil {
		b.st.Close()
	}
}

func (b *bench) thresholds() directory.Thresholds {
	return directory.Thresholds{AgingAfter: b.cfg.AgingAfter, StaleAfter: b.cfg.StaleAfter}
}

// mergedEnv is the process environment with base and then extra on top.
func mergedEnv(base, extra map[string]string) map[string]string {
	out := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	for _, m := range []map[string]string{base, extra} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func databaseURL(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil || u.Host == "" {
		return "", errors.New("-postgres is not a PostgreSQL URL")
	}
	u.Path = "/" + name
	return u.String(), nil
}

// recreateDatabase drops the bench database, closing anything connected to it,
// and creates it empty.
func recreateDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL (is it running? scripts/services.sh starts it): %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// buildBelong compiles the product binary the scenarios run.
func buildBelong(ctx context.Context, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/belong")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/belong (run the bench from the repository root): %w", err)
	}
	return nil
}

// proc is one belong process the bench started.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

// start runs belong with args and the bench environment plus extra, its output
// in a log file, and waits until ready reports true.
func (b *bench) start(ctx context.Context, name string, args []string, extra map[string]string,
	ready func() bool) (*proc, error) {
	logPath := filepath.Join(b.work, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(b.o.bin, args...)
	for k, v := range mergedEnv(b.env, extra) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start belong %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	b.procs = append(b.procs, p)
	deadline := time.Now().Add(60 * time.Second)
	for !ready() {
		select {
		case <-p.done:
			return nil, fmt.Errorf("belong %s exited before it was ready (%v); see %s", name, p.err, logPath)
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("belong %s not ready within a minute; see %s", name, logPath)
		}
	}
	return p, nil
}

// stop asks the process to shut down, as an operator would, and kills it if it
// has not within 30 seconds. Stopping twice does nothing.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// logHas reports whether the process's log holds s.
func logHas(path, s string) bool {
	b, err := os.ReadFile(path)
	return err == nil && bytes.Contains(b, []byte(s))
}

// freePort finds a loopback port nobody listens on.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// meiliAdmin speaks Meilisearch's HTTP API directly, with the master key.
type meiliAdmin struct {
	url, key string
	http     *http.Client
}

func (m *meiliAdmin) do(ctx context.Context, method, path string, body any, into any) (int, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.url+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+m.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("meilisearch %s %s (is it running? scripts/services.sh starts it): %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusNotFound {
		return resp.StatusCode, fmt.Errorf("meilisearch %s %s: %s: %s", method, path, resp.Status, raw)
	}
	if into != nil && resp.StatusCode < 300 {
		return resp.StatusCode, json.Unmarshal(raw, into)
	}
	return resp.StatusCode, nil
}

// deleteIndex deletes an index, if there is one, and waits for the deletion.
func (m *meiliAdmin) deleteIndex(ctx context.Context, uid string) error {
	var task struct {
		TaskUID int64 `json:"taskUid"`
	}
	code, err := m.do(ctx, http.MethodDelete, "/indexes/"+url.PathEscape(uid), nil, &task)
	if err != nil || code == http.StatusNotFound {
		return err
	}
	err = m.waitTask(ctx, task.TaskUID)
	if err != nil && strings.Contains(err.Error(), `"index_not_found"`) {
		return nil // deleting an index that is not there is done
	}
	return err
}

func (m *meiliAdmin) waitTask(ctx context.Context, uid int64) error {
	for {
		var t struct {
			Status string          `json:"status"`
			Error  json.RawMessage `json:"error"`
		}
		if _, err := m.do(ctx, http.MethodGet, "/tasks/"+strconv.FormatInt(uid, 10), nil, &t); err != nil {
			return err
		}
		switch t.Status {
		case "succeeded":
			return nil
		case "failed", "canceled":
			return fmt.Errorf("meilisearch task %d %s: %s", uid, t.Status, t.Error)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// documents is how many documents the index holds.
func (m *meiliAdmin) documents(ctx context.Context, uid string) (int, error) {
	var s struct {
		NumberOfDocuments int `json:"numberOfDocuments"`
	}
	_, err := m.do(ctx, http.MethodGet, "/indexes/"+url.PathEscape(uid)+"/stats", nil, &s)
	return s.NumberOfDocuments, err
}

// version is the Meilisearch server's version.
func (m *meiliAdmin) version(ctx context.Context) string {
	var v struct {
		PkgVersion string `json:"pkgVersion"`
	}
	if _, err := m.do(ctx, http.MethodGet, "/version", nil, &v); err != nil || v.PkgVersion == "" {
		return "unknown"
	}
	return v.PkgVersion
}

// meiliTask is one finished task, as /tasks lists it.
type meiliTask struct {
	UID        int64     `json:"uid"`
	BatchUID   int64     `json:"batchUid"`
	Type       string    `json:"type"`
	EnqueuedAt time.Time `json:"enqueuedAt"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
}

// tasks lists the finished document tasks of an index enqueued after since,
// newest first, at most limit of them.
func (m *meiliAdmin) tasks(ctx context.Context, uid string, since time.Time, limit int) ([]meiliTask, error) {
	var out []meiliTask
	q := url.Values{"indexUids": {uid}, "types": {"documentAdditionOrUpdate,documentDeletion"},
		"statuses": {"succeeded,failed"}, "afterEnqueuedAt": {since.UTC().Format(time.RFC3339Nano)}}
	for len(out) < limit {
		q.Set("limit", strconv.Itoa(min(1000, limit-len(out))))
		var page struct {
			Results []meiliTask `json:"results"`
			Next    *int64      `json:"next"`
		}
		if _, err := m.do(ctx, http.MethodGet, "/tasks?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Results...)
		if page.Next == nil || len(page.Results) == 0 {
			break
		}
		q.Set("from", strconv.FormatInt(*page.Next, 10))
	}
	return out, nil
}

// busy is how long Meilisearch spent processing the tasks' batches, each batch
// counted once.
func busy(tasks []meiliTask) (time.Duration, int) {
	seen := map[int64]bool{}
	var total time.Duration
	for _, t := range tasks {
		if seen[t.BatchUID] {
			continue
		}
		seen[t.BatchUID] = true
		total += t.FinishedAt.Sub(t.StartedAt)
	}
	return total, len(seen)
}
