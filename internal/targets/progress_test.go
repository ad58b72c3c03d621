package targets_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestKeptProgressEqualsAFreshEvaluation writes every kind of change that
// moves a target's progress (a figure, a correction, a new share of a
// decomposition, an indicator's rules, a township's margin, an import, a
// unit re-sorted, moved to another township, renamed) and checks after each
// that the kept rows agree with an evaluation from scratch, on both engines.
func TestKeptProgressEqualsAFreshEvaluation(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: &clock.Fixed{T: demoNow}}, d)
		if err != nil {
			t.Fatal(err)
		}
		s := a.Targets
		sys := auth.WithUser(context.Background(), auth.System())
		check := func(t *testing.T, after string) {
			t.Helper()
			diffs, err := s.CheckProgress(sys)
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range diffs {
				if i == 10 {
					t.Errorf("after %s: … and %d more", after, len(diffs)-10)
					break
				}
				t.Errorf("after %s: %s", after, d)
			}
		}
		check(t, "the demo load")

		tongji := as(t, d, "tongji")
		rows, err := s.Targets(tongji, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		tax := findRow(t, rows, "入库税收", "XX镇")
		invest := findRow(t, rows, "固定资产投资", "XX镇")
		township := mustUnit(t, d, "XX镇")
		shuangtang := mustUnit(t, d, "双塘村")

		steps := []struct {
			name string
			do   func() error
		}{
			{"a figure", func() error {
				_, err := s.AddFigure(tongji, tax.ID, targets.FigureInput{Period: "2026-10", Value: ptr(41000), LastYear: ptr(38000), Reason: "更正"})
				return err
			}},
			{"a correction of an earlier month", func() error {
				_, err := s.AddFigure(tongji, tax.ID, targets.FigureInput{Period: "2026-09", Value: ptr(35000), Reason: "更正"})
				return err
			}},
			{"a child's figure under a rolled-up parent", func() error {
				kids, err := s.Targets(tongji, targets.Filter{UnitID: &shuangtang}, db.All(1000))
				if err != nil || len(kids) == 0 {
					return err
				}
				_, err = s.AddFigure(tongji, kids[0].ID, targets.FigureInput{Period: "2026-10", Value: ptr(123), Reason: "更正", Correction: true, Confirm: true})
				return err
			}},
			{"a share's figure whose parent has none of its own, two levels down", func() error {
				// A township's own indicator, split to 双塘村 and on to one of its
				// people: neither the township's nor the village's target has a
				// figure, so both roll up the person's.
				ind, err := s.SaveIndicator(tongji, targets.Indicator{TownshipID: &township, Name: "新增就业岗位", MeasureUnit: "个", Category: "社会民生",
					Measure: targets.MeasureCumulative, Direction: targets.Higher, Cadence: targets.Monthly, Additive: true, NonNegative: true})
				if err != nil {
					return err
				}
				top, err := s.CreateTarget(tongji, targets.TargetInput{IndicatorID: ind.ID, UnitID: township, Year: 2026, Value: ptr(300)})
				if err != nil {
					return err
				}
				mid, err := s.CreateTarget(tongji, targets.TargetInput{IndicatorID: ind.ID, UnitID: shuangtang, ParentID: &top.ID, Year: 2026, Value: ptr(100)})
				if err != nil {
					return err
				}
				var song int64
				if err := d.QueryRowContext(sys, `SELECT id FROM people WHERE name = '宋小芳'`).Scan(&song); err != nil {
					return err
				}
				leaf, err := s.CreateTarget(tongji, targets.TargetInput{IndicatorID: ind.ID, UnitID: shuangtang, PersonID: &song, ParentID: &mid.ID, Year: 2026, Value: ptr(40)})
				if err != nil {
					return err
				}
				_, err = s.AddFigure(tongji, leaf.ID, targets.FigureInput{Period: "2026-10", Value: ptr(33), Reason: "更正", Correction: true, Confirm: true})
				return err
			}},
			{"a new share of a decomposition", func() error {
				var song int64
				if err := d.QueryRowContext(sys, `SELECT id FROM people WHERE name = '宋小芳'`).Scan(&song); err != nil {
					return err
				}
				_, err := s.CreateTarget(tongji, targets.TargetInput{IndicatorID: invest.IndicatorID, UnitID: shuangtang, PersonID: &song, ParentID: &invest.ID, Year: invest.Year, Value: ptr(1.5)})
				return err
			}},
			{"an indicator's direction and order", func() error {
				in := invest.Indicator
				in.Direction, in.Sort = targets.Lower, -5
				_, err := s.SaveIndicator(sys, in)
				return err
			}},
			{"a township's margin", func() error { return s.SetMargin(tongji, township, 0.2) }},
			{"an import", func() error {
				p, err := s.StartImport(tongji, targets.ImportInput{Filename: "10.xlsx", Data: cleanOctober(t), UnitID: township, Year: 2026, Month: 10})
				if err != nil {
					return err
				}
				_, err = s.CommitImport(tongji, p.Token, targets.Confirm{})
				return err
			}},
			{"a unit re-sorted", func() error {
				u, err := a.Org.Unit(sys, shuangtang)
				if err != nil {
					return err
				}
				_, err = a.Org.UpdateUnit(sys, u.ID, org.UnitInput{ParentID: u.ParentID, Kind: u.Kind, Name: u.Name, Sort: -10})
				return err
			}},
			{"a unit moved to another township", func() error {
				linjiang := mustUnit(t, d, "临江镇")
				u, err := a.Org.Unit(sys, shuangtang)
				if err != nil {
					return err
				}
				if err := s.SetMargin(sys, linjiang, 0.03); err != nil {
					return err
				}
				_, err = a.Org.UpdateUnit(sys, u.ID, org.UnitInput{ParentID: &linjiang, Kind: u.Kind, Name: u.Name, Sort: u.Sort})
				return err
			}},
			{"a new unit before the others", func() error {
				_, err := a.Org.CreateUnit(sys, org.UnitInput{ParentID: &township, Kind: org.Village, Name: "新村", Sort: -100})
				return err
			}},
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			check(t, st.name)
		}
		// The moved village's rows now belong to 临江镇 in every table.
		for _, table := range []string{"targets", "target_progress"} {
			var wrong int
			if err := d.QueryRowContext(sys, `SELECT COUNT(*) FROM `+table+` WHERE unit_id = $1 AND township_id <> $2`, shuangtang, mustUnit(t, d, "临江镇")).Scan(&wrong); err != nil {
				t.Fatal(err)
			}
			if wrong != 0 {
				t.Errorf("%d rows of %s still name 双塘村's old township", wrong, table)
			}
		}
		var wrong int
		if err := d.QueryRowContext(sys, `SELECT COUNT(*) FROM figures f JOIN targets t ON t.id = f.target_id WHERE f.township_id <> t.township_id`).Scan(&wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Errorf("%d figures name another township than their target", wrong)
		}
	})
}

// TestCheckProgressFindsADifference shows the check can fail: a kept row
// changed behind the store's back is reported.
func TestCheckProgressFindsADifference(t *testing.T) {
	d := apptest.SQLite(t)
	loadDemo(t, d)
	s := store(d)
	sys := auth.WithUser(context.Background(), auth.System())
	if _, err := d.ExecContext(sys, `UPDATE target_progress SET light = 'green', light_rank = 2 WHERE target_id = (SELECT MIN(target_id) FROM target_progress WHERE light = 'red')`); err != nil {
		t.Fatal(err)
	}
	diffs, err := s.CheckProgress(sys)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, d := range diffs {
		b.WriteString(d + "\n")
	}
	if !strings.Contains(b.String(), "light is green, a fresh evaluation says red") {
		t.Errorf("diffs = %q, want the changed light reported", b.String())
	}
}

// TestFiguresAreAppendOnly: a figure's value, period and authorship never
// change and figures are never deleted; only the township a figure belongs
// to moves with its unit.
func TestFiguresAreAppendOnly(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		ctx := context.Background()
		for _, stmt := range []string{
			`UPDATE figures SET value = value + 1`,
			`UPDATE figures SET period = '2026-01'`,
			`UPDATE figures SET entered_by_login = 'x'`,
			`DELETE FROM figures`,
		} {
			if _, err := d.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want the append-only refusal", stmt, err)
			}
		}
		if _, err := d.ExecContext(ctx, `UPDATE figures SET township_id = township_id`); err != nil {
			t.Errorf("moving a figure's township: %v", err)
		}
	})
}

// TestSummaryOfWholeTownships: the light counts above a district's list come
// from the counts kept per township, and agree with counting the targets.
func TestSummaryOfWholeTownships(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		year := 2026
		for _, login := range []string{"admin", "tongji", "shuangtang"} {
			ctx := as(t, d, login)
			sum, err := s.Summarize(ctx, targets.Filter{Year: &year})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := s.Targets(ctx, targets.Filter{Year: &year}, db.All(100000))
			if err != nil {
				t.Fatal(err)
			}
			var want targets.Counts
			asOf := ""
			for _, r := range rows {
				switch r.Progress.Light {
				case targets.Green:
					want.Green++
				case targets.Yellow:
					want.Yellow++
				case targets.Red:
					want.Red++
				default:
					want.None++
				}
				asOf = max(asOf, r.Period)
			}
			if sum.Counts != want || sum.AsOf != asOf {
				t.Errorf("%s: summary %+v up to %s, counting the targets %+v up to %s", login, sum.Counts, sum.AsOf, want, asOf)
			}
			// A page's total, kept or counted, is the number of matches.
			red := targets.Red
			for _, f := range []targets.Filter{{Year: &year}, {Year: &year, Light: &red}} {
				p := &totalPager{}
				if _, err := s.Targets(ctx, f, p); err != nil {
					t.Fatal(err)
				}
				all, err := s.Targets(ctx, f, db.All(100000))
				if err != nil {
					t.Fatal(err)
				}
				if p.total != len(all) {
					t.Errorf("%s, light %v: total %d, %d targets", login, f.Light, p.total, len(all))
				}
			}
		}
	})
}

// totalPager is a first page of 10 that remembers the total it is told.
type totalPager struct{ total int }

func (p *totalPager) SetTotal(n int) { p.total = n }
func (p *totalPager) Offset() int    { return 0 }
func (p *totalPager) PerPage() int   { return 10 }
func (p *totalPager) OrderBy(columns map[string]string, natural, tie string) string {
	return db.OrderBy(columns, "", false, natural, tie)
}
