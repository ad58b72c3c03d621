package main

import (
	"context"
	"testing"
	"time"

	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
)

// A small month-end on each engine: no request fails and every accepted
// figure is stored once with its audit entry. A hundred and twenty
// reporters are six times what PostgreSQL's pool holds connections:
// writers that each held one while reading through another once stopped
// the server. (The full run,
// 200 reporters for 60 s, is in BENCHMARKS.md.)
func TestMonthEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run")
	}
	for _, engine := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			if engine == db.Postgres && dbtest.PostgresURL() == "" {
				t.Skip("GUATU_TEST_POSTGRES is not set")
			}
			res, err := Run(context.Background(), Config{DSN: dbtest.DSN(t, engine), Reporters: 120, Readers: 3, For: 3 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d writes (%v), %d reads (%v)", res.Writes, res.WriteLatency, res.Reads, res.ReadLatency)
			if !res.OK() || res.Writes == 0 || res.Reads == 0 {
				t.Errorf("run: %+v", res)
			}
		})
	}
}
