// Package apptest opens real databases with every room's tables, for the
// rooms' tests: SQLite always, PostgreSQL too when GUATU_TEST_POSTGRES is set
// (see platform/db/dbtest).
package apptest

import (
	"testing"

	"guatu/internal/app"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
)

// Engines runs fn once per available engine, on a database with every
// room's tables.
func Engines(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	dbtest.Engines(t, fn, app.Schema()...)
}

// SQLite returns a SQLite database with every room's tables.
func SQLite(tb testing.TB) *db.DB {
	tb.Helper()
	return dbtest.SQLite(tb, app.Schema()...)
}

// Postgres returns a PostgreSQL database with every room's tables (the test
// is skipped without GUATU_TEST_POSTGRES).
func Postgres(tb testing.TB) *db.DB {
	tb.Helper()
	return dbtest.Postgres(tb, app.Schema()...)
}

// Open returns a database with every room's tables on the given engine.
func Open(tb testing.TB, engine db.Dialect) *db.DB {
	tb.Helper()
	if engine == db.Postgres {
		return Postgres(tb)
	}
	return SQLite(tb)
}

// DSN is an empty database of the engine (see dbtest.DSN), for tests that
// start the whole server.
func DSN(tb testing.TB, engine db.Dialect) string {
	tb.Helper()
	return dbtest.DSN(tb, engine)
}
