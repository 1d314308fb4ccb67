// Package cache owns the connection to Redis, which holds only what can be lost:
// search-result cache, rate-limit counters and sessions.
package cache

import (
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// Open returns a client that connects lazily and reconnects by itself, so an
// unreachable Redis at start-up is not fatal. Every command is bounded by timeout.
func Open(redisURL string, timeout time.Duration) (*redis.Client, error) {
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		// go-redis echoes the URL, password included.
		return nil, errors.New("REDIS_URL is not a valid redis:// URL")
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = timeout, timeout, timeout
	opts.MaxRetries = 1
	opts.DialerRetries = 1 // a dead Redis must cost one short dial, not five
	return redis.NewClient(opts), nil
}
