package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// The worker waits for Meilisearch's tasks under a deadline of their own: a
// GET /tasks/N slower than SEARCH_TIMEOUT must not fail a batch Meilisearch
// has indexed (it did, and the rows were sent again and again).
func TestWorkerWaitsForTasksPastTheSearchDeadline(t *testing.T) {
	db := testenv.NewDatabase(t)
	_, uid := testenv.Meili(t)
	target, err := url.Parse(testenv.MeiliURL())
	if err != nil {
		t.Fatal(err)
	}
	// A real Meilisearch behind a proxy that answers task lookups slowly, as a
	// busy Meilisearch does.
	const searchTimeout = 200 * time.Millisecond
	proxy := httputil.NewSingleHostReverseProxy(target)
	var slowed atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/tasks/") {
			slowed.Add(1)
			time.Sleep(5 * searchTimeout)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)

	env := map[string]string{
		"DATABASE_URL":   testenv.DatabaseURL(db),
		"MEILI_URL":      slow.URL,
		"MEILI_INDEX":    uid,
		"SEARCH_TIMEOUT": searchTimeout.String(),
		// Redis stays out of it: nothing listens on port 1.
		"REDIS_URL": "redis://127.0.0.1:1/0",
	}
	for _, args := range [][]string{{"migrate", "up"}, {"seed", "--demo"}} {
		if code, _, stderr := belong(t, env, args...); code != 0 {
			t.Fatalf("belong %v: %s", args, stderr)
		}
	}
	st, err := store.Open(context.Background(), testenv.DatabaseURL(db), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)

	var logs bytes.Buffer
	startWorker(t, &logs)

	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		// Only failures of the task wait count: on a busy machine another
		// request may pass SEARCH_TIMEOUT, which is that deadline working.
		var pending, failed int
		if err := st.Pool().QueryRow(context.Background(), `SELECT
				count(*) FILTER (WHERE processed_at IS NULL),
				count(*) FILTER (WHERE attempts > 0 AND last_error LIKE '%wait for task%')
			FROM outbox`).Scan(&pending, &failed); err != nil {
			t.Fatal(err)
		}
		if failed > 0 {
			t.Fatalf("%d outbox rows failed while Meilisearch indexed them; a slow task lookup cut the wait short", failed)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox rows still pending after 2 minutes", pending)
		}
	}
	if slowed.Load() == 0 {
		t.Fatal("no task was waited for through the slow proxy")
	}
}

// The worker deletes referral lists once they have ended, with their marks,
// and keeps the rest: the hook is wired where production runs it.
func TestWorkerDeletesEndedReferralLists(t *testing.T) {
	st := migratedEnv(t)
	if _, err := st.Pool().Exec(context.Background(), `INSERT INTO referral_lists (code, listing_ids, lang, created_on, expires_on)
		VALUES ('ENDED00000000', ARRAY[gen_random_uuid()], 'en', current_date - 61, current_date - 1),
		       ('KEPT000000000', ARRAY[gen_random_uuid()], 'en', current_date, current_date + 60)`); err != nil {
		t.Fatal(err)
	}

	deleted := waitForLog("ended referral lists deleted")
	startWorker(t, deleted)
	deleted.wait(t, 2*time.Minute)
	var codes []string
	rows, err := st.Pool().Query(context.Background(), `SELECT code FROM referral_lists ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		codes = append(codes, c)
	}
	if strings.Join(codes, ",") != "KEPT000000000" {
		t.Fatalf("lists after the worker's sweep: %v", codes)
	}
}

// migratedEnv puts a fresh database, migrated, and a fresh Meilisearch index
// in the test's environment, where the commands it runs read them, and opens
// a store on the database.
func migratedEnv(t *testing.T) *store.Store {
	t.Helper()
	db := testenv.NewDatabase(t)
	_, uid := testenv.Meili(t)
	env := map[string]string{"DATABASE_URL": testenv.DatabaseURL(db), "MEILI_INDEX": uid,
		"REDIS_URL": "redis://127.0.0.1:1/0"}
	if code, _, stderr := belong(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	st, err := store.Open(context.Background(), testenv.DatabaseURL(db), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return st
}

// waitForLog is a log writer that tells when a line with the message msg is
// written, so a test waits for what a process did instead of asking again
// and again whether it has.
func waitForLog(msg string) *logWaiter {
	return &logWaiter{msg: []byte(`"msg":"` + msg + `"`), seen: make(chan struct{})}
}

type logWaiter struct {
	msg  []byte
	once sync.Once
	seen chan struct{}
}

func (s *logWaiter) Write(p []byte) (int, error) {
	if bytes.Contains(p, s.msg) {
		s.once.Do(func() { close(s.seen) })
	}
	return len(p), nil
}

// wait fails the test unless the line is written within most.
func (s *logWaiter) wait(t *testing.T, most time.Duration) {
	t.Helper()
	select {
	case <-s.seen:
	case <-time.After(most):
		t.Fatalf("no log line %s within %s", s.msg, most)
	}
}

// startWorker runs `belong worker` in this process, with the environment the
// test set, until the test ends; what it logs goes to logs.
func startWorker(t *testing.T, logs io.Writer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"worker"}, &bytes.Buffer{}, logs) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}
