package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/belong-directory/belong/migrations"
)

// ErrSchemaOutOfDate stops serve when migrations are waiting.
var ErrSchemaOutOfDate = errors.New("the database schema is out of date; run `belong migrate up`")

// migrationLockID is the advisory lock every migrate run takes, so two runs at once
// wait for each other instead of racing.
const migrationLockID = 0x62656c6f6e67 // "belong"

// Migration is one migration's state, for `migrate status`.
type Migration struct {
	Version   int64
	Name      string
	AppliedAt time.Time // zero when pending
}

func (s *Store) migrator() (*goose.Provider, *sql.DB, error) {
	return s.migratorFor(migrations.FS)
}

func (s *Store) migratorFor(fsys fs.FS) (*goose.Provider, *sql.DB, error) {
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID),
		lock.WithLockTimeout(1, 600)) // poll every second for up to ten minutes
	if err != nil {
		return nil, nil, err
	}
	db := stdlib.OpenDBFromPool(s.pool)
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithSessionLocker(locker))
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, db, nil
}

// MigrateUp applies every pending migration, each in its own transaction, under the
// advisory lock. It returns the versions it applied.
func (s *Store) MigrateUp(ctx context.Context) ([]Migration, error) {
	return s.migrateUp(ctx, migrations.FS)
}

func (s *Store) migrateUp(ctx context.Context, fsys fs.FS) ([]Migration, error) {
	p, db, err := s.migratorFor(fsys)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	results, err := p.Up(ctx)
	if partial, ok := errors.AsType[*goose.PartialError](err); ok {
		results = partial.Applied
	}
	var applied []Migration
	for _, r := range results {
		if r.Error == nil {
			applied = append(applied, Migration{Version: r.Source.Version, Name: r.Source.Path, AppliedAt: time.Now()})
		}
	}
	if err != nil {
		return applied, fmt.Errorf("migrate up: %w", err)
	}
	return applied, nil
}

// MigrationStatus lists every known migration and when it was applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]Migration, error) {
	p, db, err := s.migrator()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	statuses, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]Migration, len(statuses))
	for i, st := range statuses {
		out[i] = Migration{Version: st.Source.Version, Name: st.Source.Path, AppliedAt: st.AppliedAt}
	}
	return out, nil
}

// CheckSchema returns ErrSchemaOutOfDate when any migration is pending.
func (s *Store) CheckSchema(ctx context.Context) error {
	p, db, err := s.migrator()
	if err != nil {
		return err
	}
	defer db.Close()
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("check schema version: %w", err)
	}
	if pending {
		return ErrSchemaOutOfDate
	}
	return nil
}
