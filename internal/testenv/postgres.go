package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/migrations"
)

// AdminURL is the server-level URL tests create their databases through.
func AdminURL() string {
	return getenv("TEST_DATABASE_URL", "postgres://belong:belong@127.0.0.1:5432/postgres?sslmode=disable")
}

// DatabaseURL returns AdminURL pointed at another database.
func DatabaseURL(name string) string {
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// NewDatabase creates an empty database for one test and drops it afterwards.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return createDatabase(t, "")
}

// Store returns a store on a fresh, fully migrated database of the test's own.
func Store(t testing.TB) *store.Store {
	t.Helper()
	templateOnce.Do(func() { templateName, templateErr = migratedTemplate() })
	if templateErr != nil {
		Unavailable(t, "PostgreSQL", templateErr)
	}
	name := createDatabase(t, templateName)
	s, err := store.Open(context.Background(), DatabaseURL(name), 5*time.Second)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func createDatabase(t testing.TB, template string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		Unavailable(t, "PostgreSQL", err)
	}
	defer conn.Close(ctx)
	name := "belong_test_" + randomHex(6)
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	if _, err := conn.Exec(ctx, stmt); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), AdminURL())
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return name
}

// migratedTemplate makes (once per set of migrations and role, shared by every test
// binary) a database with every migration applied, so each test copies it instead of
// migrating from scratch. The role is part of its name: a copy of another role's
// template would hold tables this role may not use.
func migratedTemplate() (string, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var role string
	if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&role); err != nil {
		return "", err
	}
	name := "belong_tmpl_" + migrationsHash(role)
	// Test binaries run in parallel; one of them builds the template.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(7405)"); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(7405)")
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// Templates of other migrations are left alone: they may belong to another
	// checkout whose tests are copying them right now.
	building := name + "_building"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	s, err := store.Open(ctx, DatabaseURL(building), 5*time.Second)
	if err != nil {
		return "", err
	}
	_, err = s.MigrateUp(ctx)
	s.Close()
	if err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

func migrationsHash(role string) string {
	h := sha256.New()
	h.Write([]byte(role))
	_ = fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(migrations.FS, path)
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
