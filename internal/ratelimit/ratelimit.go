// Package ratelimit slows down abuse of the forms that write (submissions,
// corrections, sign-in, manage links) without knowing who anyone is: a client
// is counted under a salted hash of its address, and the salt changes every
// day, so no address and no lasting identifier is ever stored or logged.
// Counts live in Redis (GCRA, shared by every process); when Redis is away,
// each process counts on its own, so a flood is still slowed and nobody is
// locked out because a cache is down.
package ratelimit

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// Rule is how often one client may do one thing: Burst at once, then Per
// Period.
type Rule struct {
	Burst  int
	Per    int
	Period time.Duration
}

// Times is the rule with its burst and rate multiplied by f (at least 1 each):
// where many people share one address, as at a drop-in centre, or in the
// browser tests, where one client does everything.
func (r Rule) Times(f float64) Rule {
	scale := func(n int) int { return max(1, int(float64(n)*f+0.5)) }
	return Rule{Burst: scale(r.Burst), Per: scale(r.Per), Period: r.Period}
}

// Limiter decides whether a client may act now.
type Limiter struct {
	redis  *redis_rate.Limiter
	secret []byte
	prefix string
	now    func() time.Time

	mu    sync.Mutex
	local map[string]*rate.Limiter // per-process fallback, by key
	day   string                   // the day local's keys belong to
}

// New counts in rdb under prefix; secret keys the daily salt (a random one when
// empty, which only one process can share).
func New(rdb redis.UniversalClient, prefix, secret string, now func() time.Time) *Limiter {
	k := []byte(secret)
	if len(k) == 0 {
		k = make([]byte, 32)
		_, _ = rand.Read(k)
	}
	l := &Limiter{secret: k, prefix: prefix, now: now, local: map[string]*rate.Limiter{}}
	if rdb != nil {
		l.redis = redis_rate.NewLimiter(rdb)
	}
	return l
}

// Allow reports whether client may do action now under rule, and if not, how
// long until it may.
func (l *Limiter) Allow(ctx context.Context, action, client string, r Rule) (bool, time.Duration) {
	key := l.key(action, client)
	if l.redis != nil {
		res, err := l.redis.Allow(ctx, l.prefix+":"+key, redis_rate.Limit{Rate: r.Per, Burst: r.Burst, Period: r.Period})
		if err == nil {
			return res.Allowed > 0, max(res.RetryAfter, 0)
		}
	}
	return l.allowLocally(key, r)
}

func (l *Limiter) allowLocally(key string, r Rule) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.local[key]
	if !ok {
		lim = rate.NewLimiter(rate.Every(r.Period/time.Duration(r.Per)), r.Burst)
		l.local[key] = lim
	}
	now := l.now()
	res := lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// key is the action and a salted hash of the client, salted by the day: the
// same client on another day is another key, and yesterday's keys are dropped.
func (l *Limiter) key(action, client string) string {
	day := l.now().UTC().Format(time.DateOnly)
	l.mu.Lock()
	if day != l.day {
		l.day, l.local = day, map[string]*rate.Limiter{}
	}
	l.mu.Unlock()
	m := hmac.New(sha256.New, l.secret)
	m.Write([]byte(day))
	m.Write([]byte{0})
	m.Write([]byte(client))
	return action + ":" + hex.EncodeToString(m.Sum(nil)[:12])
}
