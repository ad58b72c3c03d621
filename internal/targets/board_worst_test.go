package targets_test

import (
	"slices"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestUnitsNameTheirWorstTargets: a unit that is red or yellow names the
// targets that make it so, and only those; a green unit names none.
func TestUnitsNameTheirWorstTargets(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		b, err := s.Board(ctx, res.TownshipID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		coloured := 0
		for _, us := range b.Units {
			var want []string
			for _, r := range rows {
				if r.UnitID == us.UnitID && r.PersonID == nil && r.Year == 2026 && r.Progress.Light == us.Light && (us.Light == targets.Red || us.Light == targets.Yellow) {
					want = append(want, r.Indicator.Name)
				}
			}
			if len(want) > 3 {
				want = want[:3]
			}
			if us.Light == targets.Red || us.Light == targets.Yellow {
				coloured++
				if len(us.Worst) == 0 {
					t.Errorf("%s is %s and names no target", us.UnitName, us.Light)
				}
			}
			for _, name := range us.Worst {
				if !slices.Contains(want, name) {
					t.Errorf("%s (%s) names %s, which is not among its %s targets %v", us.UnitName, us.Light, name, us.Light, want)
				}
			}
			if len(us.Worst) != len(want) {
				t.Errorf("%s names %v, want %v", us.UnitName, us.Worst, want)
			}
		}
		if coloured == 0 {
			t.Fatal("the demo has no red or yellow unit to name targets for")
		}
	})
}
