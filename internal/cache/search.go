package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/belong-directory/belong/internal/breaker"
	"github.com/belong-directory/belong/internal/search"
)

// SearchPrefix begins every search-cache key.
const SearchPrefix = "belong:search"

// resultFormat is hashed into every key, so entries written by a build with a
// different search.Result shape are never read; bump it when that shape changes.
const resultFormat = "result-v1"

// SearchGeneration counts the index changes the cache has been told of. Entries
// are filed under the generation current when their search began, so once the
// indexer bumps it after applying a batch, no answer from before the batch is
// served again; old entries simply expire.
type SearchGeneration struct {
	rdb redis.UniversalClient
	key string
}

// NewSearchGeneration is the generation counter under prefix (SearchPrefix
// outside tests).
func NewSearchGeneration(rdb redis.UniversalClient, prefix string) *SearchGeneration {
	return &SearchGeneration{rdb: rdb, key: prefix + ":generation"}
}

// BumpGeneration makes every cached search result unreachable. The indexer calls
// it after each batch it applies.
func (g *SearchGeneration) BumpGeneration(ctx context.Context) error {
	if err := g.rdb.Incr(ctx, g.key).Err(); err != nil {
		return errors.New("bump search cache generation: " + err.Error())
	}
	return nil
}

func (g *SearchGeneration) current(ctx context.Context) (string, error) {
	gen, err := g.rdb.Get(ctx, g.key).Result()
	if errors.Is(err, redis.Nil) {
		return "0", nil
	}
	return gen, err
}

// SearchCacheOptions tune a CachedEngine.
type SearchCacheOptions struct {
	// TTL is how long an answer is kept; 0 turns the cache off.
	TTL time.Duration
	// Prefix begins every key; SearchPrefix when empty.
	Prefix string
	// Timeout bounds the cache's part of a search, whatever the client's own
	// retries would add up to; 300ms when zero.
	Timeout time.Duration
	// Cooldown is how long Redis is left alone after it fails, before one search
	// tries it again; 10s when zero.
	Cooldown time.Duration
	Log      *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// CachedEngine answers repeated searches from Redis. Only answers from the
// primary engine are kept: a fallback's answer is the best available for now,
// not something to hand out for the whole TTL once the primary is back. Searches
// near a place are never cached, because a location used for "near me" is not
// stored anywhere, not even hashed into a key. Redis is optional: when it fails,
// searches go straight to the engine and Redis is not tried again for Cooldown,
// then by one search at a time until it answers.
type CachedEngine struct {
	*SearchGeneration
	engine  search.Engine
	rdb     redis.UniversalClient
	opts    SearchCacheOptions
	breaker *breaker.Breaker
}

// NewCachedEngine wraps engine with a cache in rdb.
func NewCachedEngine(engine search.Engine, rdb redis.UniversalClient, opts SearchCacheOptions) *CachedEngine {
	if opts.Prefix == "" {
		opts.Prefix = SearchPrefix
	}
	if opts.Timeout == 0 {
		opts.Timeout = 300 * time.Millisecond
	}
	if opts.Cooldown == 0 {
		opts.Cooldown = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	// Redis answers in a millisecond or not at all: one failure opens the breaker.
	b := breaker.New(breaker.Options{Threshold: 1, Cooldown: opts.Cooldown, Now: opts.Now, Log: opts.Log,
		Down: "search cache unavailable; answering without it", Up: "search cache available again"})
	return &CachedEngine{SearchGeneration: NewSearchGeneration(rdb, opts.Prefix), engine: engine, rdb: rdb, opts: opts,
		breaker: b}
}

// Name is the wrapped engine's.
func (c *CachedEngine) Name() string { return c.engine.Name() }

// Search answers from the cache when it can, and otherwise from the engine,
// keeping the engine's answer when it came from the primary.
func (c *CachedEngine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if c.opts.TTL <= 0 || q.Near != nil {
		return c.engine.Search(ctx, q)
	}
	ticket, up := c.breaker.Allow()
	if !up {
		return c.engine.Search(ctx, q)
	}
	key, cached, ok := c.lookup(ctx, ticket, q)
	if ok {
		return cached, nil
	}
	r, err := c.engine.Search(ctx, q)
	if err != nil || key == "" || r.Engine != c.engine.Name() {
		return r, err
	}
	c.keep(ctx, key, r)
	return r, nil
}

// lookup returns the key to file this search under and, on a hit, the answer.
// The key carries the generation read before the engine is asked, so an answer
// that raced with an index change is filed under a generation nobody reads any
// more. An empty key means Redis did not answer. The outcome is reported on
// ticket.
func (c *CachedEngine) lookup(ctx context.Context, ticket breaker.Ticket, q search.Query) (string, search.Result, bool) {
	rctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	gen, err := c.current(rctx)
	if err != nil {
		failed(ctx, ticket, err)
		return "", search.Result{}, false
	}
	key := c.key(gen, q)
	b, err := c.rdb.Get(rctx, key).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		ticket.Succeeded()
		return key, search.Result{}, false
	case err != nil:
		failed(ctx, ticket, err)
		return "", search.Result{}, false
	}
	ticket.Succeeded()
	var r search.Result
	if json.Unmarshal(b, &r) != nil {
		return key, search.Result{}, false // unreadable: overwrite it
	}
	return key, r, true
}

func (c *CachedEngine) keep(ctx context.Context, key string, r search.Result) {
	b, err := json.Marshal(r)
	if err != nil {
		return
	}
	// Redis may have failed another search since the lookup.
	ticket, up := c.breaker.Allow()
	if !up {
		return
	}
	// The answer is worth keeping even if the person has already gone.
	ctx = context.WithoutCancel(ctx)
	rctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	if err := c.rdb.Set(rctx, key, b, c.opts.TTL).Err(); err != nil {
		failed(ctx, ticket, err)
		return
	}
	ticket.Succeeded()
}

// key is prefix:generation:sha256(format, canonical query). Only the canonical
// form counts, so the same search asked in any parameter order shares one entry.
// The UI language is not part of it: an Engine never sees it, so answers cannot
// differ by it.
func (c *CachedEngine) key(gen string, q search.Query) string {
	h := sha256.New()
	h.Write([]byte(resultFormat + "\n"))
	h.Write([]byte(q.Values().Encode()))
	return c.opts.Prefix + ":" + gen + ":" + hex.EncodeToString(h.Sum(nil))
}

// failed reports Redis failing, unless the failure was only the person's request
// ending (ctx is the request's, not the cache's own deadline).
func failed(ctx context.Context, ticket breaker.Ticket, err error) {
	if ctx.Err() != nil {
		ticket.Abandon()
		return
	}
	ticket.Failed(err)
}
