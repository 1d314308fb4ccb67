// Package cache owns the connection to Redis, which holds only what can be lost:
// search-result cache, rate-limit counters and sessions.
package cache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Open returns a client that connects lazily and reconnects by itself, so an
// unreachable Redis at start-up is not fatal. Every command is bounded by timeout.
// go-redis's own messages go to log from then on: its logger is one per process.
func Open(redisURL string, timeout time.Duration, log *slog.Logger) (*redis.Client, error) {
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		// go-redis echoes the URL, password included.
		return nil, errors.New("REDIS_URL is not a valid redis:// URL")
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = timeout, timeout, timeout
	opts.MaxRetries = 1
	opts.DialerRetries = 1 // a dead Redis must cost one short dial, not five
	redis.SetLogger(redisLog{log.With("component", "redis")})
	return redis.NewClient(opts), nil
}

// redisLog writes go-redis's messages as log records, where they were lines of
// plain text on stderr among the JSON. go-redis logs only what went wrong.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: "))
}
