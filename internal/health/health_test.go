package health

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestReportAndTransitionsAreLoggedOnce(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	var cacheDown atomic.Bool
	cacheDown.Store(true)
	m := NewMonitor(log, time.Second,
		Check{Name: "postgres", Required: true, Ping: func(context.Context) error { return nil }},
		Check{Name: "redis", Ping: func(context.Context) error {
			if cacheDown.Load() {
				return errors.New("connection refused")
			}
			return nil
		}},
	)
	r := m.Check(context.Background())
	if !r.Ready || !r.Degraded || r.Checks["redis"].OK || r.Checks["redis"].Error == "" {
		t.Fatalf("unexpected report %+v", r)
	}
	m.Check(context.Background())
	if n := strings.Count(buf.String(), "dependency unreachable"); n != 1 {
		t.Fatalf("want one warning, got %d:\n%s", n, buf.String())
	}
	cacheDown.Store(false)
	r = m.Check(context.Background())
	if !r.Ready || r.Degraded {
		t.Fatalf("want ready and not degraded, got %+v", r)
	}
	if !strings.Contains(buf.String(), "dependency reachable again") {
		t.Fatalf("recovery not logged:\n%s", buf.String())
	}
}

func TestRequiredDownIsNotReady(t *testing.T) {
	m := NewMonitor(slog.New(slog.DiscardHandler), 50*time.Millisecond,
		Check{Name: "postgres", Required: true, Ping: func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		}})
	start := time.Now()
	r := m.Check(context.Background())
	if r.Ready {
		t.Fatal("a required dependency that never answers must make the process unready")
	}
	if time.Since(start) > time.Second {
		t.Fatal("the check must respect its timeout")
	}
}
