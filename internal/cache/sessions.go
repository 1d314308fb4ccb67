package cache

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// SessionStore keeps scs sessions in Redis through the go-redis client the rest
// of the product already uses (scs's own redisstore needs a second client,
// redigo, with its own pool and timeouts). It implements scs.CtxStore. Keys are
// prefix + ":" + token and expire with the session.
type SessionStore struct {
	rdb    *redis.Client
	prefix string
}

// NewSessionStore returns a store under prefix, e.g. "belong:session".
func NewSessionStore(rdb *redis.Client, prefix string) *SessionStore {
	return &SessionStore{rdb: rdb, prefix: prefix + ":"}
}

// FindCtx returns a session's data; an unknown or expired token is not found.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, err := s.rdb.Get(ctx, s.prefix+token).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// CommitCtx saves a session until expiry.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	ttl := time.Until(expiry)
	if ttl <= 0 {
		return s.DeleteCtx(ctx, token)
	}
	return s.rdb.Set(ctx, s.prefix+token, b, ttl).Err()
}

// DeleteCtx removes a session; an unknown one is no error.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.rdb.Del(ctx, s.prefix+token).Err()
}

// Find is FindCtx without a deadline of the caller's; scs calls the Ctx
// methods, these satisfy its Store interface.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx; see Find.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx; see Find.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// Ping reports whether Redis answers, so sign-in can say it is unavailable
// before anyone waits for a link they could not use.
func (s *SessionStore) Ping(ctx context.Context) error { return s.rdb.Ping(ctx).Err() }
