package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// The server's pool carries a statement timeout, so a query cannot run on after
// the request that asked for it has given up.
func TestStatementTimeoutStopsALongQuery(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.DatabaseURL(testenv.NewDatabase(t)), 5*time.Second,
		store.StatementTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	var setting string
	if err := st.Pool().QueryRow(ctx, "SHOW statement_timeout").Scan(&setting); err != nil || setting != "200ms" {
		t.Fatalf("statement_timeout = %q, %v", setting, err)
	}
	// Far longer than the timeout, so only the timeout can end it early.
	_, err = st.Pool().Exec(ctx, "SELECT pg_sleep(60)")
	if pg, ok := errors.AsType[*pgconn.PgError](err); !ok || pg.Code != "57014" {
		t.Fatalf("want query_canceled (57014), got %v", err)
	}
}
