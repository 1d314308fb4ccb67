package ratelimit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/belong-directory/belong/internal/ratelimit"
	"github.com/belong-directory/belong/internal/testenv"
)

var rule = ratelimit.Rule{Burst: 3, Per: 3, Period: time.Hour}

func TestLimitsInRedisAndNeverStoresTheAddress(t *testing.T) {
	rdb, prefix := testenv.Redis(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	l := ratelimit.New(rdb, prefix, "0123456789abcdef0123456789abcdef", func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Allow(t.Context(), "submit", "203.0.113.7", rule); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow(t.Context(), "submit", "203.0.113.7", rule)
	if ok || wait <= 0 || wait > 20*time.Minute {
		t.Fatalf("the fourth: allowed %v, retry after %v", ok, wait)
	}
	if ok, _ := l.Allow(t.Context(), "submit", "198.51.100.2", rule); !ok {
		t.Fatal("another client is counted apart")
	}
	if ok, _ := l.Allow(t.Context(), "sign_in", "203.0.113.7", rule); !ok {
		t.Fatal("another action is counted apart")
	}
	keys, err := rdb.Keys(t.Context(), "*"+prefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("the counts are in Redis: %v %v", keys, err)
	}
	for _, k := range keys {
		if strings.Contains(k, "203.0.113") || strings.Contains(k, "198.51") {
			t.Fatalf("a key holds the address: %s", k)
		}
	}
	// Another process shares the count through Redis.
	other := ratelimit.New(rdb, prefix, "0123456789abcdef0123456789abcdef", func() time.Time { return now })
	if ok, _ := other.Allow(t.Context(), "submit", "203.0.113.7", rule); ok {
		t.Fatal("a second process must see the same count")
	}
	// Tomorrow the salt is new: the same client is a stranger again.
	now = now.Add(24 * time.Hour)
	if ok, _ := l.Allow(t.Context(), "submit", "203.0.113.7", rule); !ok {
		t.Fatal("the salt rotates daily")
	}
}

func TestWithRedisDownEachProcessStillCounts(t *testing.T) {
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { down.Close() })
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	l := ratelimit.New(down, "x", "", func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Allow(t.Context(), "submit", "203.0.113.7", rule); !ok {
			t.Fatalf("request %d refused with Redis down", i+1)
		}
	}
	if ok, wait := l.Allow(t.Context(), "submit", "203.0.113.7", rule); ok || wait <= 0 {
		t.Fatalf("with Redis down a flood is still slowed: %v %v", ok, wait)
	}
	now = now.Add(21 * time.Minute)
	if ok, _ := l.Allow(t.Context(), "submit", "203.0.113.7", rule); !ok {
		t.Fatal("after the wait the client may go on")
	}
}

func TestRuleTimesScalesBurstAndRate(t *testing.T) {
	r := ratelimit.Rule{Burst: 5, Per: 10, Period: time.Hour}
	if got := r.Times(20); got != (ratelimit.Rule{Burst: 100, Per: 200, Period: time.Hour}) {
		t.Errorf("×20: %+v", got)
	}
	if got := r.Times(0.1); got != (ratelimit.Rule{Burst: 1, Per: 1, Period: time.Hour}) {
		t.Errorf("×0.1 must keep at least one: %+v", got)
	}
	if got := r.Times(1); got != r {
		t.Errorf("×1 changed the rule: %+v", got)
	}
}
