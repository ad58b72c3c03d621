package benchdata_test

import (
	"context"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/benchdata"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
	"guatu/internal/targets"
)

// small is a spec with more figures than one statement inserts (1,000
// rows), so the batches flush both full and partly full.
var small = benchdata.Spec{Name: "小区", Townships: 2, Villages: 3, Departments: 3, TargetsPerTownship: 60, Own: 30, Months: 12, Year: 2026}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestSeed(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := benchdata.Seed(ctx, d, small)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("insert %v, rebuild %v", s.Insert, s.Rebuild)
		wantUnits := 1 + small.Townships*(1+small.Departments+small.Villages)
		wantTargets := small.Townships * small.TargetsPerTownship
		corrected := count(t, d, `SELECT COUNT(*) FROM (SELECT target_id, period FROM figures GROUP BY target_id, period HAVING COUNT(*) > 1) c`)
		for _, c := range []struct {
			name      string
			got, want int
		}{
			{"units", count(t, d, `SELECT COUNT(*) FROM units`), wantUnits},
			{"townships", len(s.Townships), small.Townships},
			{"villages of the first", len(s.Villages[0]), small.Villages},
			{"targets", s.Targets, wantTargets},
			{"targets in the table", count(t, d, `SELECT COUNT(*) FROM targets`), wantTargets},
			{"own targets of a township", count(t, d, `SELECT COUNT(*) FROM targets WHERE unit_id = $1 AND person_id IS NULL`, s.Townships[0]), small.Own},
			{"indicators", count(t, d, `SELECT COUNT(*) FROM indicators`), small.Own},
			{"progress rows", count(t, d, `SELECT COUNT(*) FROM target_progress`), wantTargets},
			{"figures", s.Figures, wantTargets*small.Months + corrected},
			{"campaigns", count(t, d, `SELECT COUNT(*) FROM campaigns`), small.Townships},
			{"accounts", count(t, d, `SELECT COUNT(*) FROM users`), 1 + 2*small.Townships},
			{"seats", count(t, d, `SELECT COUNT(*) FROM team_members`), 4 * small.Townships},
			{"own targets with a leader", count(t, d, `SELECT COUNT(*) FROM targets WHERE unit_id = $1 AND person_id IS NULL AND leader_id IS NOT NULL`, s.Townships[0]), small.Own},
			{"townships' versions", count(t, d, `SELECT COUNT(*) FROM target_versions WHERE township_id IN (SELECT id FROM units WHERE kind = 'township')`), small.Townships},
		} {
			if c.got != c.want {
				t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
			}
		}
		if corrected == 0 {
			t.Error("no corrections")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM targets WHERE parent_id IS NOT NULL`); n == 0 {
			t.Error("no decomposition")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM targets WHERE person_id IS NOT NULL`); n == 0 {
			t.Error("no targets named for people")
		}
		tree, err := org.ReadTree(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := d.QueryContext(ctx, `SELECT id, township_id, unit_id FROM targets`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, township, unit int64
			if err := rows.Scan(&id, &township, &unit); err != nil {
				t.Fatal(err)
			}
			if want := tree.TownshipOf(unit); township != want {
				t.Errorf("target %d: township_id %d, want %d, its unit's", id, township, want)
			}
		}
		rows.Close()
		for light, want := range map[string]bool{"red": true, "yellow": true, "green": true} {
			if n := count(t, d, `SELECT COUNT(*) FROM target_progress WHERE light = $1`, light); (n > 0) != want {
				t.Errorf("%d %s lights", n, light)
			}
		}
		diffs, err := (&targets.Store{DB: d, Org: &org.Store{DB: d}}).CheckProgress(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) > 0 {
			t.Errorf("kept progress differs from a fresh evaluation: %v", diffs[:min(5, len(diffs))])
		}
		for name, id := range map[string]int64{"parent": s.Parent, "child": s.Child, "person": s.Person, "plain": s.Plain, "village": s.Village} {
			if id == 0 {
				t.Errorf("no %s picked", name)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM targets WHERE id = $1 AND parent_id = $2`, s.Child, s.Parent); n != 1 {
			t.Errorf("child %d is not a share of parent %d", s.Child, s.Parent)
		}

		st := &auth.Store{DB: d}
		u, err := st.UserByToken(ctx, s.Token)
		if err != nil || u.Login != s.Statisticians[0] || u.UnitID != s.Townships[0] || u.Role != auth.Statistician {
			t.Errorf("the statistician's token: %+v, %v", u, err)
		}
		if u, err := st.UserByToken(ctx, s.AdminToken); err != nil || u.Login != s.Admin || u.UnitID != s.RootID {
			t.Errorf("the administrator's token: %+v, %v", u, err)
		}
		if _, err := st.Authenticate(ctx, s.Statisticians[1], benchdata.Password); err != nil {
			t.Errorf("sign in as %s: %v", s.Statisticians[1], err)
		}

		again, err := benchdata.Open(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if again.RootID != s.RootID || len(again.Townships) != len(s.Townships) || again.Townships[1] != s.Townships[1] ||
			again.Parent != s.Parent || again.Child != s.Child || again.Figures != s.Figures || again.Spec.Year != small.Year {
			t.Errorf("Open read back %+v, want what Seed wrote, %+v", again, s)
		}
		if _, err := st.UserByToken(ctx, again.Token); err != nil {
			t.Errorf("Open's token: %v", err)
		}

		if _, err := benchdata.Seed(ctx, d, small); err == nil {
			t.Error("a second seed into the same database was not refused")
		}
	})
}

func TestSpecRefused(t *testing.T) {
	d := apptest.SQLite(t)
	for name, s := range map[string]benchdata.Spec{
		"own above total":      {Townships: 1, Villages: 1, TargetsPerTownship: 5, Own: 10, Months: 1, Year: 2026},
		"shares do not fit":    {Townships: 1, Villages: 2, TargetsPerTownship: 100, Own: 10, Months: 1, Year: 2026},
		"thirteen months":      {Townships: 1, Villages: 1, TargetsPerTownship: 1, Own: 1, Months: 13, Year: 2026},
		"no townships":         {Villages: 1, TargetsPerTownship: 1, Own: 1, Months: 1, Year: 2026},
		"too many departments": {Townships: 1, Villages: 1, Departments: 9, TargetsPerTownship: 1, Own: 1, Months: 1, Year: 2026},
	} {
		if _, err := benchdata.Seed(context.Background(), d, s); err == nil {
			t.Errorf("%s: seeded", name)
		}
	}
}

// BenchmarkSeed times seeding the benchmarks' data sets into an empty
// database (the writes and the rebuild of the kept progress):
//
//	go test -run X -bench Seed -benchtime 1x ./internal/benchdata/
func BenchmarkSeed(b *testing.B) {
	for _, c := range []struct {
		name string
		spec benchdata.Spec
	}{{"township", benchdata.Township(2026)}, {"city", benchdata.City(2026)}} {
		for _, e := range engines() {
			b.Run(c.name+"/"+e.name, func(b *testing.B) {
				var s benchdata.Seeded
				for b.Loop() {
					b.StopTimer()
					d := e.open(b)
					b.StartTimer()
					var err error
					if s, err = benchdata.Seed(context.Background(), d, c.spec); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(s.Insert.Seconds(), "s-insert")
				b.ReportMetric(s.Rebuild.Seconds(), "s-rebuild")
			})
		}
	}
}

type engine struct {
	name string
	open func(testing.TB) *db.DB
}

// engines are SQLite, and PostgreSQL when GUATU_TEST_POSTGRES is set.
func engines() []engine {
	out := []engine{{"sqlite", apptest.SQLite}}
	if dbtest.PostgresURL() != "" {
		out = append(out, engine{"postgres", apptest.Postgres})
	}
	return out
}
