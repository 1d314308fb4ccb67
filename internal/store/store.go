// Package store owns every SQL statement the product runs against PostgreSQL, the
// only source of truth: one file per aggregate, explicit column lists, ctx first.
package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"

	"github.com/belong-directory/belong/internal/directory"
)

// Store is the product's handle on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

// defaultMaxConns is the pool size unless DATABASE_URL sets pool_max_conns.
const defaultMaxConns = 12

// Option adjusts how Open connects.
type Option func(*pgxpool.Config)

// StatementTimeout sets PostgreSQL's statement_timeout on every connection of the
// pool, so a query whose request has given up, or whose cancel request was lost,
// stops on the server too. The server's pool uses it; migrations and bulk
// commands, whose statements may rightly run long, do not.
func StatementTimeout(d time.Duration) Option {
	return func(c *pgxpool.Config) {
		c.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(d.Milliseconds(), 10)
	}
}

// Open connects a pool and checks that the server answers within timeout.
func Open(ctx context.Context, databaseURL string, timeout time.Duration, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// pgx echoes the whole URL, password included, in parse errors.
		return nil, errors.New("DATABASE_URL is not a valid PostgreSQL connection string")
	}
	for _, o := range opts {
		o(cfg)
	}
	cfg.ConnConfig.ConnectTimeout = timeout
	if !strings.Contains(databaseURL, "pool_max_conns") {
		// pgxpool's default, the larger of 4 and the number of cores, is all
		// taken by the indexer's drains during a backlog (each holds its
		// outbox transaction and reads beside it), leaving pages waiting.
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("PostgreSQL at %s:%d is not reachable: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	return &Store{pool: pool}, nil
}

// Close releases every connection.
func (s *Store) Close() { s.pool.Close() }

// Pool exposes the pool to the packages that need a dedicated connection, such as
// the outbox listener.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping reports whether PostgreSQL answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Tx is one transaction of the product's writes. Every write a service makes goes
// through a Tx, so a change, its outbox row, its audit row and any email it causes
// commit together or not at all. Its methods are the only way to write; callers
// never see a pgx type.
type Tx struct {
	tx pgx.Tx
	s  *Store
}

// InTx runs fn in one transaction: rolled back if fn fails or panics, and the
// commit's own error returned when it does not.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return fn(&Tx{tx: tx, s: s}) })
}

// inTx is InTx for the store's own multi-statement work.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) (err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return translate(err, "begin transaction")
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(ctx); err != nil {
		return translate(err, "commit transaction")
	}
	return nil
}

// translate maps database errors onto the directory's sentinels.
func translate(err error, doing string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", doing, directory.ErrNotFound)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return fmt.Errorf("%s: %w (%s)", doing, directory.ErrConflict, pg.ConstraintName)
	}
	if kind, ok := unavailable(err); ok {
		// Only the kind of failure: a driver's own text names the database's
		// user, host and port, which have no place in a log line.
		return fmt.Errorf("%s: %w (%s)", doing, directory.ErrUnavailable, kind)
	}
	if pg != nil {
		// The code, the constraint and the message, never the detail: it may
		// quote the row that was refused.
		return fmt.Errorf("%s: database error SQLSTATE %s %s: %s", doing, pg.Code, pg.ConstraintName, pg.Message)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// unavailable reports whether err says PostgreSQL could not answer (down,
// restarting, busy, over a deadline) rather than that the request was wrong, and
// what kind of failure it was.
func unavailable(err error) (string, bool) {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == "57014":
			return "statement timeout", true
		case pg.Code == "53300":
			return "too many connections", true
		case pg.Code == "3D000":
			return "database missing", true
		case strings.HasPrefix(pg.Code, "57P"):
			return "server shutting down or starting", true
		case strings.HasPrefix(pg.Code, "08"):
			return "connection failure", true
		}
		return "", false
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.Is(err, puddle.ErrClosedPool):
		return "closed pool", true
	case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err):
		return "timeout", true
	case errors.As(err, &connect):
		return "cannot connect", true
	case errors.As(err, &netErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection lost", true
	}
	return "", false
}
