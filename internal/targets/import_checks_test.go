package targets_test

import (
	"math"
	"strconv"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestImportCrossChecksGrowthAndShare reads a sheet's own 同比增长 and
// 占年计划 columns: where they agree with the arithmetic on its figures
// (within their rounding) nothing is said; where they do not, each cell is
// named, and the import still goes through; a growth without 去年同期 gives
// last year's figure.
func TestImportCrossChecksGrowthAndShare(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		tax := findRow(t, rows, "入库税收", "XX镇")
		const v, ly = 48000.5, 45100.0
		round1 := func(x float64) float64 { return math.Round(x*10) / 10 }
		growth, share := round1((v/ly-1)*100), round1(v/tax.Value*100)
		header := []any{"指标名称", "计量单位", "1-10月累计", "去年同期", "同比增长%", "占年计划%"}

		agree := sheetFile(t, "XX镇2026年1-10月", header, []any{"入库税收", "万元", v, ly, growth, share})
		p, err := s.StartImport(ctx, targets.ImportInput{Filename: "a.xlsx", Data: agree, UnitID: res.TownshipID, Year: 2026})
		if err != nil || !p.Clean() {
			t.Fatalf("StartImport = %+v, %v", p, err)
		}
		if len(p.Mismatches) != 0 {
			t.Errorf("figures that agree to their rounding are flagged: %+v", p.Mismatches)
		}

		off := sheetFile(t, "XX镇2026年1-10月", header, []any{"入库税收", "万元", v, ly, growth + 2, share - 5})
		p, err = s.StartImport(ctx, targets.ImportInput{Filename: "b.xlsx", Data: off, UnitID: res.TownshipID, Year: 2026})
		if err != nil || !p.Clean() {
			t.Fatalf("a sheet whose own growth is off is refused: %+v, %v", p, err)
		}
		if len(p.Mismatches) != 2 || p.Mismatches[0].Column != "E" || p.Mismatches[1].Column != "F" {
			t.Fatalf("mismatches = %+v, want the growth in E and the share in F", p.Mismatches)
		}
		want := []any{strconv.FormatFloat(growth+2, 'f', 1, 64), strconv.FormatFloat(growth, 'f', 1, 64)}
		if a := p.Mismatches[0].Args; len(a) != 2 || a[0] != want[0] || a[1] != want[1] {
			t.Errorf("the growth mismatch says %v, want %v", a, want)
		}

		// 东湖村 has not reported October: a growth rate and no 去年同期.
		dh := findRow(t, rows, "入库税收", "东湖村")
		const dv, dg = 4500.0, 5.0
		derive := sheetFile(t, "东湖村2026年1-10月", []any{"指标名称", "计量单位", "1-10月累计", "同比增长%"}, []any{"入库税收", "万元", dv, dg})
		p, err = s.StartImport(ctx, targets.ImportInput{Filename: "c.xlsx", Data: derive, UnitID: dh.UnitID, Year: 2026})
		if err != nil || !p.Clean() {
			t.Fatalf("StartImport = %+v, %v", p, err)
		}
		r := p.Rows[0]
		if !r.DerivedLastYear || r.LastYear == nil || math.Abs(*r.LastYear-dv/1.05) > 1e-9 {
			t.Fatalf("row = %+v, want 去年同期 worked back from 5%%", r)
		}
		if _, err := s.CommitImport(ctx, p.Token, targets.Confirm{}); err != nil {
			t.Fatal(err)
		}
		oct := current(t, s, ctx, dh.ID, "2026-10")
		if oct.LastYear == nil || math.Abs(*oct.LastYear-dv/1.05) > 1e-9 {
			t.Errorf("the committed figure's 去年同期 = %v, want %v", oct.LastYear, dv/1.05)
		}
	})
}
