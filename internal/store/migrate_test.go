package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

func openEmpty(t *testing.T) *store.Store {
	t.Helper()
	name := testenv.NewDatabase(t)
	s, err := store.Open(context.Background(), testenv.DatabaseURL(name), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestMigrateFreshThenNoOp(t *testing.T) {
	ctx := context.Background()
	s := openEmpty(t)
	if err := s.CheckSchema(ctx); !errors.Is(err, store.ErrSchemaOutOfDate) {
		t.Fatalf("an empty database must be out of date, got %v", err)
	}
	applied, err := s.MigrateUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) < 3 {
		t.Fatalf("want every migration applied, got %d", len(applied))
	}
	again, err := s.MigrateUp(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second run must be a no-op, applied %d, err %v", len(again), err)
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("schema should be current: %v", err)
	}
	status, err := s.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range status {
		if m.AppliedAt.IsZero() {
			t.Errorf("migration %d still pending", m.Version)
		}
	}
}

func TestConcurrentMigrateWaitsForTheLock(t *testing.T) {
	ctx := context.Background()
	name := testenv.NewDatabase(t)
	var wg sync.WaitGroup
	counts := make([]int, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			s, err := store.Open(ctx, testenv.DatabaseURL(name), 5*time.Second)
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			applied, err := s.MigrateUp(ctx)
			counts[i], errs[i] = len(applied), err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent migrate failed: %v", err)
		}
	}
	if counts[0] != 0 && counts[1] != 0 {
		t.Fatalf("both runs applied migrations (%v): the lock did not serialise them", counts)
	}
	if counts[0]+counts[1] < 3 {
		t.Fatalf("migrations not applied: %v", counts)
	}
}

func TestFailedMigrationLeavesNothingHalfApplied(t *testing.T) {
	ctx := context.Background()
	s := openEmpty(t)
	fsys := fstest.MapFS{
		"00001_first.sql": {Data: []byte("-- +goose Up\nCREATE TABLE first_table (id int);\n-- +goose Down\nDROP TABLE first_table;\n")},
		"00002_broken.sql": {Data: []byte("-- +goose Up\nCREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);\n" +
			"-- +goose Down\nDROP TABLE half_done;\n")},
	}
	applied, err := s.MigrateUpFS(ctx, fsys)
	if err == nil {
		t.Fatal("a broken migration must fail")
	}
	if len(applied) != 1 || applied[0].Version != 1 {
		t.Fatalf("want only the first migration applied, got %+v", applied)
	}
	var exists bool
	if err := s.Pool().QueryRow(ctx, "SELECT to_regclass('half_done') IS NOT NULL").Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Fatal("the failed migration's first statement was left applied")
	}
	var version int64
	if err := s.Pool().QueryRow(ctx, "SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != 1 {
		t.Fatalf("recorded version %d, want 1", version)
	}
}
