package targets_test

import (
	"context"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

func ptr(v float64) *float64 { return &v }

func findRow(t *testing.T, rows []targets.Row, indicator, unit string) targets.Row {
	t.Helper()
	for _, r := range rows {
		if r.Indicator.Name == indicator && r.UnitName == unit && r.PersonID == nil {
			return r
		}
	}
	t.Fatalf("no target %s for %s", indicator, unit)
	return targets.Row{}
}

func store(d *db.DB) *targets.Store {
	return &targets.Store{DB: d, Now: func() time.Time { return demoNow }}
}

func TestAddFigureRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		tax := findRow(t, rows, "入库税收", "XX镇")
		net := findRow(t, rows, "个体私营企业净增加", "XX镇")
		tests := []struct {
			name  string
			id    int64
			in    targets.FigureInput
			field string // "" when the figure is accepted
		}{
			{"last month, a correction", tax.ID, targets.FigureInput{Period: "2026-10", Value: ptr(40000), LastYear: ptr(37000), Reason: "统计局反馈"}, ""},
			{"this month, not ended yet", tax.ID, targets.FigureInput{Period: "2026-11", Value: ptr(43000)}, "period"},
			{"future month", tax.ID, targets.FigureInput{Period: "2026-12", Value: ptr(1)}, "period"},
			{"other year", tax.ID, targets.FigureInput{Period: "2025-10", Value: ptr(1)}, "period"},
			{"not a month", tax.ID, targets.FigureInput{Period: "2026-13", Value: ptr(1)}, "period"},
			{"negative", tax.ID, targets.FigureInput{Period: "2026-10", Value: ptr(-5)}, "value"},
			{"negative last year", tax.ID, targets.FigureInput{Period: "2026-10", Value: ptr(5), LastYear: ptr(-1)}, "last_year_value"},
			{"missing value", tax.ID, targets.FigureInput{Period: "2026-10"}, "value"},
			{"negative allowed where the indicator may fall", net.ID, targets.FigureInput{Period: "2026-10", Value: ptr(-12), Reason: "统计局反馈"}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := countFigures(t, d)
				_, err := s.AddFigure(ctx, tt.id, tt.in)
				after := countFigures(t, d)
				if tt.field == "" {
					if err != nil {
						t.Fatalf("AddFigure: %v", err)
					}
					if after != before+1 {
						t.Errorf("figures %d → %d, want one more", before, after)
					}
					return
				}
				pe := platform.AsError(err)
				if pe.Code != platform.Invalid || pe.Field != tt.field {
					t.Errorf("err = %v, want invalid on %s", err, tt.field)
				}
				if after != before {
					t.Errorf("figures %d → %d after a refused figure", before, after)
				}
			})
		}
	})
}

func countFigures(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM figures`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCorrectionKeepsHistory(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		rows, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
		tax := findRow(t, rows, "入库税收", "XX镇")
		if _, err := s.AddFigure(ctx, tax.ID, targets.FigureInput{Period: "2026-10", Value: ptr(41000), Reason: "多录一位"}); err != nil {
			t.Fatal(err)
		}
		hist, err := s.History(ctx, tax.ID)
		if err != nil {
			t.Fatal(err)
		}
		var oct []targets.Figure
		for _, f := range hist {
			if f.Period == "2026-10" {
				oct = append(oct, f)
			}
		}
		if len(oct) != 2 || oct[0].Value != 41000 || oct[0].EnteredBy != "tongji" || oct[0].Reason != "多录一位" {
			t.Fatalf("October history = %+v, want the correction first and the old figure kept", oct)
		}
		row, err := s.Target(ctx, tax.ID)
		if err != nil {
			t.Fatal(err)
		}
		if row.Actual == nil || *row.Actual != 41000 {
			t.Errorf("actual = %v, want the correction 41000", row.Actual)
		}
		// The database itself refuses to change or delete a figure.
		if _, err := d.ExecContext(context.Background(), `UPDATE figures SET value = 1 WHERE id = $1`, oct[1].ID); err == nil {
			t.Error("a figure was updated in place")
		}
	})
}

func TestDecompositionAndRollUp(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "shuji")
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		fai := findRow(t, rows, "固定资产投资", "XX镇")
		if gap := fai.DecompositionGap(); gap == nil || *gap != 2 {
			t.Errorf("固定资产投资 decomposition gap = %v, want 2 (32 set, 30 shared out)", gap)
		}
		tax := findRow(t, rows, "入库税收", "XX镇")
		if gap := tax.DecompositionGap(); gap == nil || *gap != 0 {
			t.Errorf("入库税收 decomposition gap = %v, want 0", gap)
		}
		if tax.RolledUp {
			t.Error("入库税收 has its own figure but was rolled up from its children")
		}
		// 经发办's 实际到账外资 has no figure of its own? It has; its people's
		// targets have figures too; the unit's actual must be its own.
		fdi := findRow(t, rows, "实际到账外资", "经发办（招商办）")
		if fdi.Children != 2 || fdi.RolledUp {
			t.Errorf("经发办 实际到账外资: children %d rolled up %v, want 2 people and its own figure", fdi.Children, fdi.RolledUp)
		}
	})
}

func TestRollUpWhenParentHasNoFigure(t *testing.T) {
	ind := targets.Indicator{Name: "入库税收", Measure: targets.MeasureCumulative, Direction: targets.Higher, Additive: true}
	parent := int64(1)
	rows := []targets.Row{
		{Target: targets.Target{ID: 1, Kind: targets.KindValue, Value: 100}, Indicator: ind},
		{Target: targets.Target{ID: 2, ParentID: &parent, Kind: targets.KindValue, Value: 60}, Indicator: ind},
		{Target: targets.Target{ID: 3, ParentID: &parent, Kind: targets.KindValue, Value: 40}, Indicator: ind},
	}
	figs := map[int64][]targets.Figure{
		2: {{Period: "2026-09", Value: 40, LastYear: ptr(35)}, {Period: "2026-10", Value: 50, LastYear: ptr(45)}},
		3: {{Period: "2026-09", Value: 30, LastYear: ptr(20)}},
	}
	targets.Compute(rows, figs, func(int64) float64 { return 0.1 })
	p := rows[0]
	if !p.RolledUp || p.Actual == nil || *p.Actual != 70 || p.Period != "2026-09" {
		t.Fatalf("parent actual %v period %s rolled up %v, want 70 at 2026-09 (the latest month both children reported)", p.Actual, p.Period, p.RolledUp)
	}
	if p.Progress.YoYGrowth == nil || *p.Progress.YoYGrowth != 70.0/55-1 {
		t.Errorf("yoy = %v, want %v", p.Progress.YoYGrowth, 70.0/55-1)
	}
}

func TestScopeHidesOtherVillages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		all, _ := s.Targets(as(t, d, "shuji"), targets.Filter{}, db.All(100000))
		donghu := findRow(t, all, "入库税收", "东湖村")
		ctx := as(t, d, "shuangtang")
		mine, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range mine {
			if r.UnitName != "双塘村" {
				t.Errorf("双塘村's reporter sees %s's target", r.UnitName)
			}
		}
		if _, err := s.Target(ctx, donghu.ID); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("reading 东湖村's target: %v, want not found", err)
		}
		if _, err := s.AddFigure(ctx, donghu.ID, targets.FigureInput{Period: "2026-10", Value: ptr(1)}); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("writing 东湖村's figure: %v, want not found", err)
		}
		var denied int
		d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND entity = 'target'`).Scan(&denied)
		if denied < 2 {
			t.Errorf("denied audit entries = %d, want the two attempts recorded", denied)
		}
	})
}

func TestCreateTargetRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		rows, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
		tax := findRow(t, rows, "入库税收", "XX镇")
		neighbour := res.Neighbours[0]
		tests := []struct {
			name  string
			in    targets.TargetInput
			code  platform.Code
			field string
		}{
			{"duplicate", targets.TargetInput{IndicatorID: tax.IndicatorID, UnitID: tax.UnitID, Year: 2026, Value: ptr(1)}, platform.Conflict, "indicator_id"},
			{"unit outside scope", targets.TargetInput{IndicatorID: tax.IndicatorID, UnitID: neighbour, Year: 2026, Value: ptr(1)}, platform.Invalid, "unit_id"},
			{"negative", targets.TargetInput{IndicatorID: tax.IndicatorID, UnitID: tax.UnitID, Year: 2027, Value: ptr(-1)}, platform.Invalid, "target_value"},
			{"share without parent", targets.TargetInput{IndicatorID: tax.IndicatorID, UnitID: tax.UnitID, Year: 2027, Share: ptr(10)}, platform.Invalid, "share"},
			{"strive below must", targets.TargetInput{IndicatorID: tax.IndicatorID, UnitID: tax.UnitID, Year: 2027, Value: ptr(10), Strive: ptr(5)}, platform.Invalid, "strive_value"},
			{"child on the parent's own unit", targets.TargetInput{IndicatorID: tax.IndicatorID, UnitID: tax.UnitID, ParentID: &tax.ID, Year: 2026, Share: ptr(10)}, platform.Invalid, "unit_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.CreateTarget(ctx, tt.in)
				pe := platform.AsError(err)
				if pe.Code != tt.code || pe.Field != tt.field {
					t.Errorf("err = %v, want %s on %s", err, tt.code, tt.field)
				}
			})
		}
		// A share of the parent sets the value.
		dh := findRow(t, rows, "入库税收", "东湖村")
		ind, _ := s.Indicators(ctx)
		var sales targets.Indicator
		for _, i := range ind {
			if i.Name == "全部应税销售" {
				sales = i
			}
		}
		parent := findRow(t, rows, "全部应税销售", "XX镇")
		child, err := s.CreateTarget(ctx, targets.TargetInput{IndicatorID: sales.ID, UnitID: dh.UnitID, ParentID: &parent.ID, Year: 2026, Share: ptr(25)})
		if err != nil {
			t.Fatal(err)
		}
		if child.Value != parent.Value*0.25 {
			t.Errorf("share 25%% of %v = %v", parent.Value, child.Value)
		}
		// A reporter may not set targets.
		if _, err := s.CreateTarget(as(t, d, "shuangtang"), targets.TargetInput{IndicatorID: sales.ID, UnitID: dh.UnitID, Year: 2027, Value: ptr(1)}); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("reporter creating a target: %v, want forbidden", err)
		}
	})
}

func TestMarginIsPerTownship(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		before, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
		yellow := 0
		for _, r := range before {
			if r.Progress.Light == targets.Yellow {
				yellow++
			}
		}
		if err := s.SetMargin(ctx, res.TownshipID, 0.01); err != nil {
			t.Fatal(err)
		}
		after, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
		yellowAfter := 0
		for _, r := range after {
			if r.Progress.Light == targets.Yellow {
				yellowAfter++
			}
		}
		if yellowAfter >= yellow {
			t.Errorf("yellow lights %d → %d after narrowing the band to 1 point, want fewer", yellow, yellowAfter)
		}
		if err := s.SetMargin(ctx, res.TownshipID, 0.9); platform.ErrorCode(err) != platform.Invalid {
			t.Errorf("margin 90 points: %v, want invalid", err)
		}
		if err := s.SetMargin(ctx, res.Neighbours[0], 0.2); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("margin of a neighbour town: %v, want not found", err)
		}
	})
}
