package store

import (
	"context"
	"io/fs"
)

// MigrateUpFS lets tests apply a set of migrations of their own.
func (s *Store) MigrateUpFS(ctx context.Context, fsys fs.FS) ([]Migration, error) {
	return s.migrateUp(ctx, fsys)
}
