package search

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

type fakeEngine struct {
	name  string
	err   error
	calls int
}

func (e *fakeEngine) Name() string { return e.name }
func (e *fakeEngine) Search(context.Context, Query) (Result, error) {
	e.calls++
	return Result{Engine: e.name}, e.err
}

func TestFailoverOpensAndClosesTheBreaker(t *testing.T) {
	now := time.Unix(0, 0)
	primary := &fakeEngine{name: "meilisearch", err: errors.New("down")}
	fallback := &fakeEngine{name: "postgres"}
	f := &Failover{Primary: primary, Fallback: fallback, Threshold: 2, Cooldown: 10 * time.Second,
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
	for range 5 {
		r, err := f.Search(context.Background(), Query{})
		if err != nil || r.Engine != "postgres" {
			t.Fatalf("want fallback answer, got %v %v", r, err)
		}
	}
	if primary.calls != 2 {
		t.Fatalf("an open breaker must skip the primary: %d calls", primary.calls)
	}
	primary.err = nil
	now = now.Add(11 * time.Second)
	if r, _ := f.Search(context.Background(), Query{}); r.Engine != "meilisearch" {
		t.Fatalf("after the cooldown the primary must be tried again, got %s", r.Engine)
	}
	if r, _ := f.Search(context.Background(), Query{}); r.Engine != "meilisearch" || primary.calls != 4 {
		t.Fatalf("breaker should be closed again: %s, %d calls", r.Engine, primary.calls)
	}
}

func TestFailoverDoesNotFallBackForACancelledRequest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	primary := &fakeEngine{name: "meilisearch", err: context.Canceled}
	fallback := &fakeEngine{name: "postgres"}
	f := &Failover{Primary: primary, Fallback: fallback, Threshold: 1, Cooldown: time.Second,
		Log: slog.New(slog.DiscardHandler), Now: time.Now}
	if _, err := f.Search(ctx, Query{}); !errors.Is(err, context.Canceled) || fallback.calls != 0 {
		t.Fatalf("got %v with %d fallback calls", err, fallback.calls)
	}
}
