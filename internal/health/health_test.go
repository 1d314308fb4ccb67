package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/belong-directory/belong/internal/testenv"
)

func TestReportAndTransitionsAreLoggedOnce(t *testing.T) {
	var logs testenv.LogBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	var cacheDown atomic.Bool
	cacheDown.Store(true)
	m := NewMonitor(log, time.Second,
		Check{Name: "postgres", Required: true, Ping: func(context.Context) error { return nil }},
		Check{Name: "redis", Ping: func(context.Context) error {
			if cacheDown.Load() {
				return errors.New("dial tcp 10.0.0.7:6379: connection refused")
			}
			return nil
		}},
	)
	r := m.Check(context.Background())
	if !r.Ready || !r.Degraded || r.Checks["redis"].OK || r.Checks["redis"].State != Down {
		t.Fatalf("unexpected report %+v", r)
	}
	// Only states are public; why is for the log.
	if b, _ := json.Marshal(r); strings.Contains(string(b), "10.0.0.7") || strings.Contains(string(b), "refused") {
		t.Fatalf("the report shows the error: %s", b)
	}
	if !strings.Contains(logs.String(), "10.0.0.7:6379") {
		t.Fatalf("the log must say why:\n%s", logs.String())
	}
	m.forgetLastRound()
	m.Check(context.Background())
	if n := strings.Count(logs.String(), "dependency unreachable"); n != 1 {
		t.Fatalf("want one warning, got %d:\n%s", n, logs.String())
	}
	cacheDown.Store(false)
	m.forgetLastRound()
	r = m.Check(context.Background())
	if !r.Ready || r.Degraded {
		t.Fatalf("want ready and not degraded, got %+v", r)
	}
	if !strings.Contains(logs.String(), "dependency reachable again") {
		t.Fatalf("recovery not logged:\n%s", logs.String())
	}
}

// forgetLastRound makes the next Check ping again instead of reusing the last
// round's report.
func (m *Monitor) forgetLastRound() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.run = nil
}

// Callers who ask while a round is under way share it, so a flood of /readyz
// cannot make overlapping rounds that finish out of order and log a lost Redis
// as a string of "unreachable"/"reachable again" pairs.
func TestConcurrentChecksShareOneRound(t *testing.T) {
	var logs testenv.LogBuffer
	entered, release := make(chan struct{}), make(chan error)
	var pings atomic.Int32
	m := NewMonitor(slog.New(slog.NewTextHandler(&logs, nil)), time.Minute,
		Check{Name: "redis", Ping: func(context.Context) error {
			pings.Add(1)
			entered <- struct{}{}
			return <-release
		}})
	const callers = 20
	reports := make(chan Report, callers)
	go func() { reports <- m.Check(context.Background()) }()
	<-entered // the first round is under way
	var wg sync.WaitGroup
	for range callers - 1 {
		wg.Go(func() { reports <- m.Check(context.Background()) })
	}
	release <- errors.New("connection refused")
	wg.Wait()
	for range callers {
		if r := <-reports; r.Checks["redis"].State != Down {
			t.Fatalf("a caller got %+v", r)
		}
	}
	// Some callers may have come after the round ended and reused its report;
	// none started a round of its own.
	if n := pings.Load(); n != 1 {
		t.Fatalf("%d rounds for %d callers at once", n, callers)
	}
	if n := strings.Count(logs.String(), "dependency unreachable"); n != 1 {
		t.Fatalf("want one warning, got %d:\n%s", n, logs.String())
	}
}

func TestRequiredDownIsNotReady(t *testing.T) {
	m := NewMonitor(slog.New(slog.DiscardHandler), 50*time.Millisecond,
		Check{Name: "postgres", Required: true, Ping: func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		}})
	r := m.Check(context.Background())
	if r.Ready || r.Checks["postgres"].State != Down {
		t.Fatal("a required dependency that never answers must make the process unready")
	}
}

// A PostgreSQL whose pool is all in use is busy and ready; one that does not
// answer is down.
func TestPostgresBusyIsNotDown(t *testing.T) {
	st := testenv.Store(t)
	pool := st.Pool()
	var logs testenv.LogBuffer
	m := NewMonitor(slog.New(slog.NewTextHandler(&logs, nil)), 5*time.Second, Postgres(pool))
	if r := m.Check(context.Background()); !r.Ready || r.Checks["postgres"].State != Up {
		t.Fatalf("idle pool: %+v", r)
	}
	// Take every connection of the pool, as pages under load do.
	ctx := context.Background()
	for range pool.Config().MaxConns {
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Release()
	}
	m.forgetLastRound()
	r := m.Check(ctx)
	if !r.Ready || !r.Checks["postgres"].OK || r.Checks["postgres"].State != Busy {
		t.Fatalf("a full pool is busy, not down: %+v\n%s", r, logs.String())
	}

	closed, err := pgxpool.New(ctx, fmt.Sprintf("postgres://nobody:secret@%s/none?connect_timeout=5", closedAddr(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer closed.Close()
	down := NewMonitor(slog.New(slog.NewTextHandler(&logs, nil)), 5*time.Second, Postgres(closed))
	if r := down.Check(ctx); r.Ready || r.Checks["postgres"].State != Down {
		t.Fatalf("nothing listening: %+v", r)
	}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
