package targets_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/benchdata"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// offsetPage is a page of an API list: offset and limit.
type offsetPage struct{ offset, limit, total int }

func (p *offsetPage) SetTotal(n int) { p.total = n }
func (p *offsetPage) Offset() int    { return p.offset }
func (p *offsetPage) PerPage() int   { return p.limit }
func (p *offsetPage) OrderBy(columns map[string]string, natural, tie string) string {
	return db.OrderBy(columns, "", false, natural, tie)
}

// A deep page read by seeking its first row holds exactly the rows OFFSET
// gives, at every offset, and still does after writes that move rows: a
// new target, a unit moved in the tree.
func TestDeepPagesSeekTheSameRows(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seeded, err := benchdata.Seed(ctx, d, benchdata.Spec{Townships: 2, Villages: 10, Departments: 2, TargetsPerTownship: 420, Own: 40, Months: 10, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		s := &targets.Store{DB: d, Now: func() time.Time { return now }}
		as := func(login string) context.Context {
			u, err := (&auth.Store{DB: d}).UserByLogin(ctx, login)
			if err != nil {
				t.Fatal(err)
			}
			return org.WithScopeMemo(auth.WithUser(ctx, u))
		}
		ids := func(rows []targets.Row) string {
			out := make([]int64, len(rows))
			for i, r := range rows {
				out[i] = r.ID
			}
			return fmt.Sprint(out)
		}
		check := func(step string) {
			t.Helper()
			for _, login := range []string{seeded.Statisticians[0], seeded.Admin} {
				uctx := as(login)
				all, err := s.Targets(uctx, targets.Filter{}, db.All(100000))
				if err != nil {
					t.Fatal(err)
				}
				for _, off := range []int{0, 199, 200, 201, 237, 350, len(all) - 50, len(all) - 1, len(all), len(all) + 7} {
					for range 2 { // read, then read again from the kept start
						got, err := s.Targets(as(login), targets.Filter{}, &offsetPage{offset: off, limit: 50})
						if err != nil {
							t.Fatal(err)
						}
						want := all[min(off, len(all)):min(off+50, len(all))]
						if ids(got) != ids(want) {
							t.Fatalf("%s, %s, offset %d: %s, want %s", step, login, off, ids(got), ids(want))
						}
					}
				}
			}
		}
		check("seeded")

		// A new target for an indicator of the township: it takes its place in
		// the tree's order, and every later row moves one on.
		sys := org.WithScopeMemo(auth.WithUser(ctx, auth.System()))
		var ind int64
		if err := d.QueryRowContext(ctx, `SELECT MIN(i.id) FROM indicators i WHERE NOT EXISTS
			(SELECT 1 FROM targets t WHERE t.indicator_id = i.id AND t.unit_id = $1 AND t.person_id IS NULL)`, seeded.Villages[0][1]).Scan(&ind); err != nil {
			t.Fatal(err)
		}
		v := 10.0
		if _, err := s.CreateTarget(sys, targets.TargetInput{IndicatorID: ind, UnitID: seeded.Villages[0][1], Year: 2026, Kind: targets.KindValue, Value: &v, Note: "新目标"}); err != nil {
			t.Fatal(err)
		}
		check("after a new target")

		// The first village sorted last in its township: its targets' rows
		// move from the front of the list to the back.
		s.Org = &org.Store{DB: d, UnitsChanged: []func(context.Context, *sql.Tx) error{s.UnitsChanged}}
		first := seeded.Villages[0][0]
		var name string
		if err := d.QueryRowContext(ctx, `SELECT name FROM units WHERE id = $1`, first).Scan(&name); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Org.UpdateUnit(sys, first, org.UnitInput{ParentID: &seeded.Townships[0], Kind: org.Village, Name: name, Sort: 9999}); err != nil {
			t.Fatal(err)
		}
		check("after a village moved to the end")
	})
}
