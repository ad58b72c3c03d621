package targets_test

import (
	"context"
	"slices"
	"testing"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// TestMigrationEvaluatesKeptRowsAgain: a database whose rows were kept before
// migration 009 gets them evaluated again when it is applied, so no row keeps
// the older reading (here: no forecast note at all).
func TestMigrationEvaluatesKeptRowsAgain(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		ctx := auth.WithUser(context.Background(), auth.System())
		for _, stmt := range []string{
			`ALTER TABLE target_progress DROP COLUMN forecast_note`,
			`ALTER TABLE target_progress DROP COLUMN met`,
			`ALTER TABLE target_progress DROP COLUMN allowance`,
			`ALTER TABLE target_progress DROP COLUMN allowance_pace`,
			`ALTER TABLE target_progress DROP COLUMN ceiling_note`,
			`DELETE FROM schema_migrations WHERE name = 'targets/009_progress_notes'`,
		} {
			if _, err := d.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		applied, err := app.Migrate(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(applied, "targets/009_progress_notes") {
			t.Fatalf("applied %v, want targets/009_progress_notes among them", applied)
		}
		diffs, err := store(d).CheckProgress(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, diff := range diffs {
			t.Errorf("after the migration: %s", diff)
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM target_progress WHERE forecast_note <> ''`); n == 0 {
			t.Errorf("rows with a forecast note after the migration: got 0, want the demo's run-rate forecasts noted")
		}
	})
}
