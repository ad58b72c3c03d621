package targets_test

import (
	"context"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// demoNow is a fixed day in the campaign, so the demo's lights are the same
// whenever the tests run.
var demoNow = time.Date(2026, 11, 25, 10, 0, 0, 0, clock.Beijing)

func loadDemo(t *testing.T, d *db.DB) demo.Result {
	t.Helper()
	res, err := demo.Load(context.Background(), d, demoNow)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func as(t *testing.T, d *db.DB, login string) context.Context {
	t.Helper()
	u, err := (&auth.Store{DB: d}).UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatalf("user %s: %v", login, err)
	}
	return auth.WithUser(context.Background(), u)
}

func TestDemoBoardHasEveryLight(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := &targets.Store{DB: d, Now: func() time.Time { return demoNow }}
		b, err := s.Board(as(t, d, "shuji"), res.TownshipID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if b.Counts.Green == 0 || b.Counts.Yellow == 0 || b.Counts.Red == 0 {
			t.Errorf("demo board counts = %+v, want some green, some yellow and some red", b.Counts)
		}
		if b.AsOf != "2026-10" {
			t.Errorf("as of %q, want 2026-10", b.AsOf)
		}
		strive := 0
		for _, r := range b.Rows {
			if r.Strive != nil {
				strive++
			}
		}
		if strive == 0 {
			t.Errorf("no township target carries a strive-for (力争) value")
		}
		if len(b.Units) == 0 {
			t.Errorf("no lagging units ranked")
		}
		for _, r := range b.Rows {
			t.Logf("%-10s %-8s %8.2f actual=%v completion=%v light=%s", r.Indicator.Name, r.Kind, r.Value, fmtp(r.Actual), fmtp(r.Progress.Completion), r.Progress.Light)
		}
		for _, u := range b.Units {
			t.Logf("unit %s score=%.1f light=%s %+v", u.UnitName, u.Score, u.Light, u.Counts)
		}
	})
}

func fmtp(p *float64) any {
	if p == nil {
		return "—"
	}
	return *p
}

// TestDemoShowsEveryReading: the demo carries a case of each way a number
// reads: a forecast that cannot follow last year's shape, a target met
// exactly (完成, not 超额), no YoY growth from a negative base, a ceiling
// with its allowance, and one a note turns red.
func TestDemoShowsEveryReading(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := &targets.Store{DB: d, Now: func() time.Time { return demoNow }}
		b, err := s.Board(as(t, d, "shuji"), res.TownshipID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]targets.Row{}
		for _, r := range b.Rows {
			byName[r.Indicator.Name] = r
		}
		if p := byName["城镇新增就业"].Progress; p.ForecastNote != targets.ForecastTotalBelowSame || p.ForecastSeasonal != nil {
			t.Errorf("城镇新增就业: forecast note %q, seasonal %v; want total_below_same and none", p.ForecastNote, fmtp(p.ForecastSeasonal))
		}
		if p := byName["规上企业数"].Progress; !p.Met || p.OverAchieved {
			t.Errorf("规上企业数: met %v, over-achieved %v; want met exactly", p.Met, p.OverAchieved)
		}
		if r := byName["个体私营企业净增加"]; r.LastYearSame == nil || *r.LastYearSame >= 0 || r.Progress.YoYGrowth != nil {
			t.Errorf("个体私营企业净增加: last year %v, YoY %v; want a negative base and no YoY", fmtp(r.LastYearSame), fmtp(r.Progress.YoYGrowth))
		}
		if p := byName["安全生产事故起数"].Progress; p.Allowance == nil || p.AllowancePace == nil || p.PaceNeeded != nil {
			t.Errorf("安全生产事故起数: allowance %v a month %v, pace %v; want an allowance and no pace", fmtp(p.Allowance), fmtp(p.AllowancePace), fmtp(p.PaceNeeded))
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM target_progress WHERE ceiling_note <> ''`); n == 0 {
			t.Errorf("no ceiling in the demo carries a note")
		}
	})
}
