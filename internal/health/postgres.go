package health

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// tooManyConnections is PostgreSQL's too_many_connections: the server answered.
const tooManyConnections = "53300"

// Postgres checks PostgreSQL through a short-lived connection of its own rather
// than through pool. A ping through the pool waits behind every page for a free
// connection, so under load it reported PostgreSQL down exactly when a load
// balancer would then pull every instance at once. A pool with no connection to
// spare, or a server refusing more connections, is busy, not down.
func Postgres(pool *pgxpool.Pool) Check {
	cfg := pool.Config().ConnConfig
	return Check{Name: "postgres", Required: true, Ping: func(ctx context.Context) error {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if pg, ok := errors.AsType[*pgconn.PgError](err); ok && pg.Code == tooManyConnections {
			return fmt.Errorf("the server refuses more connections: %w", ErrBusy)
		}
		if err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
		if err := conn.Ping(ctx); err != nil {
			return err
		}
		if st := pool.Stat(); st.AcquiredConns() >= st.MaxConns() {
			return fmt.Errorf("all %d pool connections in use: %w", st.MaxConns(), ErrBusy)
		}
		return nil
	}}
}
