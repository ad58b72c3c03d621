package targets_test

import (
	"fmt"
	"regexp"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

func TestReconcile(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	inv := targets.Indicator{MeasureUnit: "亿元", Additive: true}
	tests := []struct {
		name    string
		row     targets.Row
		want    *targets.Reconciliation
		wantTxt string
	}{
		{"parts short of the whole", targets.Row{Indicator: inv, Period: "2026-10", Actual: f(23.3), ChildrenActual: f(23.06)},
			&targets.Reconciliation{Period: "2026-10", Own: 23.3, Children: 23.06, Diff: 0.24}, "target.reconcile.short[23.06 0.24]"},
		{"parts above the whole", targets.Row{Indicator: targets.Indicator{MeasureUnit: "万美元", Additive: true}, Period: "2026-10", Actual: f(3807), ChildrenActual: f(3883)},
			&targets.Reconciliation{Period: "2026-10", Own: 3807, Children: 3883, Diff: -76, Exceeds: true}, "target.reconcile.exceeds[3,883 76]"},
		{"the same", targets.Row{Indicator: inv, Period: "2026-10", Actual: f(10), ChildrenActual: f(10)},
			&targets.Reconciliation{Period: "2026-10", Own: 10, Children: 10}, "target.reconcile.same[10.00]"},
		{"a rounding hair above is not a mistake", targets.Row{Indicator: inv, Period: "2026-10", Actual: f(10), ChildrenActual: f(10.0000001)},
			&targets.Reconciliation{Period: "2026-10", Own: 10, Children: 10.0000001}, "target.reconcile.same[10.00]"},
		{"a roll-up has nothing of its own", targets.Row{Indicator: inv, Actual: f(10), ChildrenActual: f(10), RolledUp: true}, nil, ""},
		{"not all children reported", targets.Row{Indicator: inv, Actual: f(10)}, nil, ""},
		{"not additive", targets.Row{Indicator: targets.Indicator{MeasureUnit: "元"}, Actual: f(10), ChildrenActual: f(30)}, nil, ""},
	}
	tr := func(key string, args ...any) string { return key + fmtArgs(args) }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.row.Reconcile()
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("Reconcile() = %+v, want %+v", got, tt.want)
			}
			if txt := tt.row.ReconcileText(tr); txt != tt.wantTxt {
				t.Errorf("ReconcileText = %q, want %q", txt, tt.wantTxt)
			}
		})
	}
}

// TestReconcileOnPageAndBoard: the demo's 实际到账外资 of XX镇 is below what
// its 经发办 reports, and the target's page and the board say so.
func TestReconcileOnPageAndBoard(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		note := regexp.MustCompile(`<[^>]*data-testid="reconcile"[^>]*>([^<]*)<`)
		found := 0
		for _, name := range []string{"固定资产投资", "实际到账外资"} {
			id := targetID(t, d, name, demo.TownshipName)
			_, body, _ := c.get("/targets/" + itoa64(id))
			if m := note.FindStringSubmatch(body); m != nil {
				found++
				t.Logf("%s: %s", name, m[1])
			}
		}
		if found == 0 {
			t.Fatal("neither 固定资产投资 nor 实际到账外资 of XX镇 shows its units' sum")
		}
		_, board, _ := c.get("/")
		if !note.MatchString(board) {
			t.Error("the board shows no units' sum beside a township's own figure")
		}
	})
}

func fmtArgs(args []any) string { return fmt.Sprint(args) }
