package db_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
)

func TestMigrateTwiceIsANoop(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		applied, err := d.Migrate(context.Background(), app.Schema())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
	})
}

// rooms' migrations for the planner's tests: b's table refers to a's, and
// b is listed first.
var (
	roomA = db.Migrations{Room: "a", FS: fstest.MapFS{
		"010_things.sql":               {Data: []byte("CREATE TABLE things (id @ID, name TEXT NOT NULL);\n")},
		"012_things_more.sqlite.sql":   {Data: []byte("CREATE INDEX things_name ON things (name);\n")},
		"012_things_more.postgres.sql": {Data: []byte("CREATE INDEX things_name ON things (name);\n")},
	}}
	roomB = db.Migrations{Room: "b", FS: fstest.MapFS{
		"011_parts.sql": {Data: []byte("CREATE TABLE parts (id @ID, thing_id @BIGINT NOT NULL REFERENCES things(id));\n")},
	}}
)

func TestMigrationsApplyInGlobalOrder(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		got, err := db.Plan(dialect, roomB, roomA)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"a/010_things", "b/011_parts", "a/012_things_more"}
		if !slices.Equal(got, want) {
			t.Errorf("%s: order %v, want %v", dialect, got, want)
		}
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		applied, err := d.Migrate(ctx, []db.Migrations{roomB, roomA})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(applied, "b/011_parts") || !slices.Contains(applied, "a/012_things_more") {
			t.Errorf("applied %v", applied)
		}
		if _, err := d.ExecContext(ctx, `INSERT INTO things (name) VALUES ('x')`); err != nil {
			t.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, `INSERT INTO parts (thing_id) VALUES (1)`); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMigrationClashesNameBothRooms(t *testing.T) {
	clash := db.Migrations{Room: "work", FS: fstest.MapFS{"011_tasks.sql": {Data: []byte("SELECT 1;\n")}}}
	badName := db.Migrations{Room: "work", FS: fstest.MapFS{"tasks.sql": {Data: []byte("SELECT 1;\n")}}}
	twice := db.Migrations{Room: "a", FS: fstest.MapFS{}}
	for _, tc := range []struct {
		name string
		sets []db.Migrations
		want []string
	}{
		{"one number in two rooms", []db.Migrations{roomA, roomB, clash}, []string{"011", "b/011_parts", "work/011_tasks"}},
		{"a file that is not NNN_name", []db.Migrations{badName}, []string{"work/tasks.sql"}},
		{"a room listed twice", []db.Migrations{roomA, twice}, []string{"room a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Plan(db.SQLite, tc.sets...)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to name %s", err, w)
				}
			}
		})
	}
}

func TestLegacyDatabaseIsRefused(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ('001_org.sql', $1)`, time.Now()); err != nil {
			t.Fatal(err)
		}
		_, err := d.Migrate(ctx, nil)
		if err == nil || !strings.Contains(err.Error(), "001_org.sql") {
			t.Errorf("err = %v, want a refusal naming the old migration", err)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.ExecContext(ctx, `INSERT INTO audit_log (at, action, entity) VALUES ($1, 'create', 'unit')`, time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`} {
			_, err := d.ExecContext(ctx, stmt)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want append-only refusal", stmt, err)
			}
		}
	})
}

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"semicolons", "CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n", 2},
		{"marker keeps trigger bodies whole", "CREATE TRIGGER t BEGIN SELECT 1;\nEND;\n-- next\nCREATE TABLE c (z INT);", 2},
		{"comments only", "-- nothing here\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(db.SplitStatements(tt.in)); got != tt.want {
				t.Errorf("got %d statements, want %d", got, tt.want)
			}
		})
	}
}

// Two hundred writers at once, in transactions and single statements, on
// both engines: none gets an error (on SQLite, "database is locked" was
// the one to expect), and every row is there once.
func TestConcurrentWritersGetNoError(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.ExecContext(ctx, `CREATE TABLE writes (n INTEGER NOT NULL UNIQUE)`); err != nil {
			t.Fatal(err)
		}
		const writers = 200
		errs := make(chan error, writers)
		for i := range writers {
			go func() {
				if i%2 == 0 {
					_, err := d.ExecContext(ctx, `INSERT INTO writes (n) VALUES ($1)`, i)
					errs <- err
					return
				}
				errs <- d.Tx(ctx, func(tx *sql.Tx) error {
					var before int
					if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM writes`).Scan(&before); err != nil {
						return err
					}
					_, err := d.Stmts(tx).ExecContext(ctx, `INSERT INTO writes (n) VALUES ($1)`, i)
					return err
				})
			}()
		}
		for range writers {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		var n int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM writes`).Scan(&n); err != nil || n != writers {
			t.Errorf("%d rows (%v), want %d", n, err, writers)
		}
	})
}

// A writer whose request is gone leaves the queue for the write turn
// instead of waiting for it.
func TestWriterLeavesTheQueueWhenItsRequestIsGone(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	held := make(chan struct{})
	release := make(chan struct{})
	go d.Tx(ctx, func(*sql.Tx) error {
		close(held)
		<-release
		return nil
	})
	<-held
	gone, cancel := context.WithCancel(ctx)
	cancel()
	_, err := d.ExecContext(gone, `SELECT 1`)
	close(release)
	if err != context.Canceled {
		t.Errorf("a write whose context is done while another holds the turn: %v, want context.Canceled", err)
	}
}
