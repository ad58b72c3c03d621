package db_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
)

func TestMigrateTwiceIsANoop(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		applied, err := d.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
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
