// Package dbtest opens real, migrated databases for tests: SQLite in a temp
// folder always, and PostgreSQL when GUATU_TEST_POSTGRES holds a URL, each
// test in a schema of its own that is dropped afterwards. Rooms' tests use
// internal/app/apptest, which migrates every room's tables.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"guatu/internal/platform/db"
)

// PostgresURL is the server tests use, or "" to test SQLite only.
func PostgresURL() string { return os.Getenv("GUATU_TEST_POSTGRES") }

// Engines runs fn once per available engine as a subtest named after it,
// on a database migrated with the platform's tables and schema's.
func Engines(t *testing.T, fn func(t *testing.T, d *db.DB), schema ...db.Migrations) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t, schema...)) })
	if PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, schema...)) })
	}
}

// SQLite returns a database in a temp folder migrated with schema.
func SQLite(tb testing.TB, schema ...db.Migrations) *db.DB {
	tb.Helper()
	return open(tb, "sqlite:"+filepath.Join(tb.TempDir(), "test.db"), schema)
}

// DSN returns a fresh, empty database DSN for the engine: a temp SQLite file,
// or a new PostgreSQL schema dropped at cleanup. Tests that start the whole
// server use it.
func DSN(tb testing.TB, engine db.Dialect) string {
	tb.Helper()
	if engine == db.SQLite {
		return "sqlite:" + filepath.Join(tb.TempDir(), "test.db")
	}
	base := PostgresURL()
	if base == "" {
		tb.Skip("GUATU_TEST_POSTGRES is not set")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("GUATU_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres returns a database in a fresh PostgreSQL schema migrated with schema.
func Postgres(tb testing.TB, schema ...db.Migrations) *db.DB {
	tb.Helper()
	return open(tb, DSN(tb, db.Postgres), schema)
}

func open(tb testing.TB, dsn string, schema []db.Migrations) *db.DB {
	tb.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx, schema); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return d
}
