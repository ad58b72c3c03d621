package targets

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// f makes an optional figure for a table.
func f(v float64) *float64 { return &v }

// tenth and fifth are variables so their sum is computed at run time
// (0.30000000000000004), not folded exactly by the compiler.
var tenth, fifth = 0.1, 0.2

const tolerance = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) <= tolerance*math.Max(1, math.Abs(b)) }

// sameFloat reports whether two optional figures are both nil or both near.
func sameFloat(got, want *float64) bool {
	if got == nil || want == nil {
		return got == want
	}
	return near(*got, *want)
}

func show(v *float64) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprint(*v)
}

// checkProgress reports every field of got that differs from want.
func checkProgress(tb testing.TB, got, want Progress) {
	tb.Helper()
	floats := []struct {
		name      string
		got, want *float64
	}{
		{"Completion", got.Completion, want.Completion},
		{"Gap", got.Gap, want.Gap},
		{"YoYGrowth", got.YoYGrowth, want.YoYGrowth},
		{"ForecastRunRate", got.ForecastRunRate, want.ForecastRunRate},
		{"ForecastSeasonal", got.ForecastSeasonal, want.ForecastSeasonal},
		{"Forecast", got.Forecast, want.Forecast},
		{"PaceNeeded", got.PaceNeeded, want.PaceNeeded},
		{"Allowance", got.Allowance, want.Allowance},
		{"AllowancePace", got.AllowancePace, want.AllowancePace},
	}
	for _, fl := range floats {
		if !sameFloat(fl.got, fl.want) {
			tb.Errorf("%s: got %s, want %s", fl.name, show(fl.got), show(fl.want))
		}
	}
	if !near(got.ExpectedShare, want.ExpectedShare) {
		tb.Errorf("ExpectedShare: got %v, want %v", got.ExpectedShare, want.ExpectedShare)
	}
	if got.Light != want.Light {
		tb.Errorf("Light: got %q, want %q", got.Light, want.Light)
	}
	if got.CeilingNote != want.CeilingNote {
		tb.Errorf("CeilingNote: got %q, want %q", got.CeilingNote, want.CeilingNote)
	}
	if got.Met != want.Met {
		tb.Errorf("Met: got %v, want %v", got.Met, want.Met)
	}
	if got.OverAchieved != want.OverAchieved {
		tb.Errorf("OverAchieved: got %v, want %v", got.OverAchieved, want.OverAchieved)
	}
	if got.OverCeiling != want.OverCeiling {
		tb.Errorf("OverCeiling: got %v, want %v", got.OverCeiling, want.OverCeiling)
	}
}

func TestExpectedShareMonth(t *testing.T) {
	tests := []struct {
		name  string
		month int
		want  float64
	}{
		{"negative clamped to 0", -1, 0},
		{"month 0", 0, 0},
		{"1月", 1, 1.0 / 12},
		{"1–6月", 6, 0.5},
		{"1–9月", 9, 0.75},
		{"1–12月", 12, 1},
		{"13 clamped to 12", 13, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExpectedShareMonth(tt.month); !near(got, tt.want) {
				t.Errorf("ExpectedShareMonth(%d): got %v, want %v", tt.month, got, tt.want)
			}
		})
	}
}

func TestExpectedShareDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		d    time.Time
		want float64
	}{
		{"first day counts itself", day(2025, 1, 1), 1.0 / 365},
		{"leap day 2024-02-29", day(2024, 2, 29), 60.0 / 366},
		{"leap year 2024-03-01", day(2024, 3, 1), 61.0 / 366},
		{"leap year ends at 1", day(2024, 12, 31), 1},
		{"common year 2025-03-01", day(2025, 3, 1), 60.0 / 365},
		{"common year ends at 1", day(2025, 12, 31), 1},
		{"2100 is not leap", day(2100, 3, 1), 60.0 / 365},
		{"2000 is leap", day(2000, 3, 1), 61.0 / 366},
		{"2000-12-31", day(2000, 12, 31), 1},
		{"mid-year 2025-07-02", day(2025, 7, 2), 183.0 / 365},
		{"read in its own location", time.Date(2025, 1, 1, 0, 30, 0, 0, time.FixedZone("CST", 8*3600)), 1.0 / 365},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExpectedShareDate(tt.d); !near(got, tt.want) {
				t.Errorf("ExpectedShareDate(%s): got %v, want %v", tt.d.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

func TestScheduleDaysInYear(t *testing.T) {
	tests := []struct {
		year, want int
	}{
		{2023, 365}, {2024, 366}, {2025, 365}, {1900, 365}, {2000, 366}, {2100, 365}, {2400, 366},
	}
	for _, tt := range tests {
		if got := DaysInYear(tt.year); got != tt.want {
			t.Errorf("DaysInYear(%d): got %d, want %d", tt.year, got, tt.want)
		}
	}
}

func TestScheduleMonthsLeft(t *testing.T) {
	tests := []struct {
		month, want int
	}{
		{-1, 12}, {0, 12}, {1, 11}, {6, 6}, {11, 1}, {12, 0}, {13, 0},
	}
	for _, tt := range tests {
		if got := MonthsLeft(tt.month); got != tt.want {
			t.Errorf("MonthsLeft(%d): got %d, want %d", tt.month, got, tt.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	// cum is a cumulative, higher-is-better value target of 1000 at 1–9月.
	cum := func(actual float64) Input {
		return Input{Measure: MeasureCumulative, Kind: KindValue, Direction: Higher,
			Target: 1000, Actual: actual, HasActual: true, Share: 0.75, MonthsLeft: 3}
	}

	tests := []struct {
		name string
		in   Input
		want Progress
	}{
		// No figure.
		{"no figure yet",
			with(cum(0), func(in *Input) { in.HasActual = false; in.LastYearSame = f(500) }),
			Progress{ExpectedShare: 0.75}},
		{"NaN actual reads as no figure",
			cum(math.NaN()),
			Progress{ExpectedShare: 0.75}},
		{"infinite target reads as no figure",
			with(cum(500), func(in *Input) { in.Target = math.Inf(1) }),
			Progress{ExpectedShare: 0.75}},

		// Higher-is-better cumulative values against the schedule.
		{"exactly at share is green",
			cum(750),
			Progress{Completion: f(0.75), ExpectedShare: 0.75, Gap: f(0), Light: Green,
				ForecastRunRate: f(1000), Forecast: f(1000), PaceNeeded: f(250.0 / 3)}},
		{"ahead of schedule",
			cum(900),
			Progress{Completion: f(0.9), ExpectedShare: 0.75, Gap: f(0.15), Light: Green,
				ForecastRunRate: f(1200), Forecast: f(1200), PaceNeeded: f(100.0 / 3)}},
		{"behind within margin is yellow",
			cum(700),
			Progress{Completion: f(0.7), ExpectedShare: 0.75, Gap: f(-0.05), Light: Yellow,
				ForecastRunRate: f(700 / 0.75), Forecast: f(700 / 0.75), PaceNeeded: f(100)}},
		{"exactly at share − margin is yellow",
			cum(650),
			Progress{Completion: f(0.65), ExpectedShare: 0.75, Gap: f(-0.1), Light: Yellow,
				ForecastRunRate: f(650 / 0.75), Forecast: f(650 / 0.75), PaceNeeded: f(350.0 / 3)}},
		{"just beyond the margin is red",
			cum(649),
			Progress{Completion: f(0.649), ExpectedShare: 0.75, Gap: f(-0.101), Light: Red,
				ForecastRunRate: f(649 / 0.75), Forecast: f(649 / 0.75), PaceNeeded: f(117)}},
		{"float noise at share: 0.3 against 0.1+0.2 is green",
			with(cum(300), func(in *Input) { in.Share = tenth + fifth }),
			Progress{Completion: f(0.3), ExpectedShare: 0.3, Gap: f(0), Light: Green,
				ForecastRunRate: f(1000), Forecast: f(1000), PaceNeeded: f(700.0 / 3)}},
		{"float noise at share: 7/12 of 1200",
			Input{Target: 1200, Actual: 700, HasActual: true, Share: ExpectedShareMonth(7), MonthsLeft: MonthsLeft(7)},
			Progress{Completion: f(7.0 / 12), ExpectedShare: 7.0 / 12, Gap: f(0), Light: Green,
				ForecastRunRate: f(1200), Forecast: f(1200), PaceNeeded: f(100)}},
		{"float noise at margin: 0.8 − 0.7 is yellow",
			with(cum(700), func(in *Input) { in.Share = 0.8 }),
			Progress{Completion: f(0.7), ExpectedShare: 0.8, Gap: f(-0.1), Light: Yellow,
				ForecastRunRate: f(875), Forecast: f(875), PaceNeeded: f(100)}},
		{"custom margin 0.05 turns 0.06 behind red",
			with(cum(690), func(in *Input) { in.Margin = 0.05 }),
			Progress{Completion: f(0.69), ExpectedShare: 0.75, Gap: f(-0.06), Light: Red,
				ForecastRunRate: f(920), Forecast: f(920), PaceNeeded: f(310.0 / 3)}},
		{"custom margin 0.2 keeps 0.15 behind yellow",
			with(cum(600), func(in *Input) { in.Margin = 0.2 }),
			Progress{Completion: f(0.6), ExpectedShare: 0.75, Gap: f(-0.15), Light: Yellow,
				ForecastRunRate: f(800), Forecast: f(800), PaceNeeded: f(400.0 / 3)}},
		{"negative margin means default",
			with(cum(700), func(in *Input) { in.Margin = -1 }),
			Progress{Completion: f(0.7), ExpectedShare: 0.75, Gap: f(-0.05), Light: Yellow,
				ForecastRunRate: f(700 / 0.75), Forecast: f(700 / 0.75), PaceNeeded: f(100)}},
		{"over-achieved before year end",
			cum(1100),
			Progress{Completion: f(1.1), ExpectedShare: 0.75, Gap: f(0.35), Light: Green, Met: true, OverAchieved: true,
				ForecastRunRate: f(1100 / 0.75), Forecast: f(1100 / 0.75), PaceNeeded: f(0)}},
		{"exactly met at year end: met (完成), not over-achieved, no months left",
			with(cum(1000), func(in *Input) { in.Share = 1; in.MonthsLeft = 0 }),
			Progress{Completion: f(1), ExpectedShare: 1, Gap: f(0), Light: Green, Met: true,
				ForecastRunRate: f(1000), Forecast: f(1000)}},
		{"year end short within margin",
			with(cum(950), func(in *Input) { in.Share = 1; in.MonthsLeft = 0 }),
			Progress{Completion: f(0.95), ExpectedShare: 1, Gap: f(-0.05), Light: Yellow,
				ForecastRunRate: f(950), Forecast: f(950)}},
		{"month 1",
			with(cum(100), func(in *Input) { in.Share = ExpectedShareMonth(1); in.MonthsLeft = MonthsLeft(1) }),
			Progress{Completion: f(0.1), ExpectedShare: 1.0 / 12, Gap: f(0.1 - 1.0/12), Light: Green,
				ForecastRunRate: f(1200), Forecast: f(1200), PaceNeeded: f(900.0 / 11)}},
		{"month 6 behind beyond margin",
			with(cum(350), func(in *Input) { in.Share = ExpectedShareMonth(6); in.MonthsLeft = MonthsLeft(6) }),
			Progress{Completion: f(0.35), ExpectedShare: 0.5, Gap: f(-0.15), Light: Red,
				ForecastRunRate: f(700), Forecast: f(700), PaceNeeded: f(650.0 / 6)}},
		{"month 0: share 0, no run-rate",
			with(cum(0), func(in *Input) { in.Share = ExpectedShareMonth(0); in.MonthsLeft = MonthsLeft(0) }),
			Progress{Completion: f(0), ExpectedShare: 0, Gap: f(0), Light: Green, PaceNeeded: f(1000.0 / 12)}},
		{"share above 1 clamped",
			with(cum(1000), func(in *Input) { in.Share = 1.5; in.MonthsLeft = 0 }),
			Progress{Completion: f(1), ExpectedShare: 1, Gap: f(0), Light: Green, Met: true,
				ForecastRunRate: f(1000), Forecast: f(1000)}},
		{"negative share clamped to 0",
			with(cum(10), func(in *Input) { in.Share = -0.5 }),
			Progress{Completion: f(0.01), ExpectedShare: 0, Gap: f(0.01), Light: Green, PaceNeeded: f(330)}},
		{"negative actual against a positive target",
			with(cum(-50), func(in *Input) { in.Share = 0.5; in.MonthsLeft = 6 }),
			Progress{Completion: f(-0.05), ExpectedShare: 0.5, Gap: f(-0.55), Light: Red,
				ForecastRunRate: f(-100), Forecast: f(-100), PaceNeeded: f(175)}},
		{"zero values read as cumulative, value, higher",
			Input{Target: 1000, Actual: 500, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.5), ExpectedShare: 0.5, Gap: f(0), Light: Green,
				ForecastRunRate: f(1000), Forecast: f(1000), PaceNeeded: f(500.0 / 6)}},

		// Forecasts and YoY growth.
		{"seasonal forecast preferred to run-rate",
			with(cum(700), func(in *Input) { in.LastYearSame = f(600); in.LastYearTotal = f(900) }),
			Progress{Completion: f(0.7), ExpectedShare: 0.75, Gap: f(-0.05), YoYGrowth: f(100.0 / 600), Light: Yellow,
				ForecastRunRate: f(700 / 0.75), ForecastSeasonal: f(1050), Forecast: f(1050), PaceNeeded: f(100)}},
		{"seasonal forecast with share 0",
			with(cum(100), func(in *Input) { in.Share = 0; in.LastYearSame = f(50); in.LastYearTotal = f(800) }),
			Progress{Completion: f(0.1), ExpectedShare: 0, Gap: f(0.1), YoYGrowth: f(1), Light: Green,
				ForecastSeasonal: f(1600), Forecast: f(1600), PaceNeeded: f(300)}},
		{"last year's total unknown: run-rate only",
			with(cum(700), func(in *Input) { in.LastYearSame = f(700) }),
			Progress{Completion: f(0.7), ExpectedShare: 0.75, Gap: f(-0.05), YoYGrowth: f(0), Light: Yellow,
				ForecastRunRate: f(700 / 0.75), Forecast: f(700 / 0.75), PaceNeeded: f(100)}},
		{"last year's same period unknown: run-rate only",
			with(cum(700), func(in *Input) { in.LastYearTotal = f(900) }),
			Progress{Completion: f(0.7), ExpectedShare: 0.75, Gap: f(-0.05), Light: Yellow,
				ForecastRunRate: f(700 / 0.75), Forecast: f(700 / 0.75), PaceNeeded: f(100)}},
		{"last year's same period 0: no YoY, no seasonal",
			with(cum(700), func(in *Input) { in.LastYearSame = f(0); in.LastYearTotal = f(900) }),
			Progress{Completion: f(0.7), ExpectedShare: 0.75, Gap: f(-0.05), Light: Yellow,
				ForecastRunRate: f(700 / 0.75), Forecast: f(700 / 0.75), PaceNeeded: f(100)}},
		{"last year's same period negative: no YoY, no seasonal",
			with(cum(700), func(in *Input) { in.LastYearSame = f(-100); in.LastYearTotal = f(900) }),
			Progress{Completion: f(0.7), ExpectedShare: 0.75, Gap: f(-0.05), Light: Yellow,
				ForecastRunRate: f(700 / 0.75), Forecast: f(700 / 0.75), PaceNeeded: f(100)}},
		{"NaN last year reads as unknown",
			with(cum(700), func(in *Input) { in.LastYearSame = f(math.NaN()); in.LastYearTotal = f(math.Inf(1)) }),
			Progress{Completion: f(0.7), ExpectedShare: 0.75, Gap: f(-0.05), Light: Yellow,
				ForecastRunRate: f(700 / 0.75), Forecast: f(700 / 0.75), PaceNeeded: f(100)}},

		// Zero and negative targets.
		{"zero target, zero actual is green",
			with(cum(0), func(in *Input) { in.Target = 0 }),
			Progress{ExpectedShare: 0.75, Light: Green, ForecastRunRate: f(0), Forecast: f(0), PaceNeeded: f(0)}},
		{"zero target, positive actual is green, not over-achieved",
			with(cum(5), func(in *Input) { in.Target = 0 }),
			Progress{ExpectedShare: 0.75, Light: Green, ForecastRunRate: f(5 / 0.75), Forecast: f(5 / 0.75), PaceNeeded: f(0)}},
		{"zero target, negative actual is red",
			with(cum(-3), func(in *Input) { in.Target = 0 }),
			Progress{ExpectedShare: 0.75, Light: Red, ForecastRunRate: f(-4), Forecast: f(-4), PaceNeeded: f(1)}},
		{"negative target (净增加 −10) ahead of schedule",
			with(cum(-3), func(in *Input) { in.Target = -10; in.Share = 0.5; in.MonthsLeft = 6 }),
			Progress{ExpectedShare: 0.5, Light: Green, ForecastRunRate: f(-6), Forecast: f(-6), PaceNeeded: f(0)}},
		{"negative target behind within margin",
			with(cum(-6), func(in *Input) { in.Target = -10; in.Share = 0.5; in.MonthsLeft = 6 }),
			Progress{ExpectedShare: 0.5, Light: Yellow, ForecastRunRate: f(-12), Forecast: f(-12), PaceNeeded: f(0)}},
		{"negative target behind beyond margin",
			with(cum(-8), func(in *Input) { in.Target = -10; in.Share = 0.5; in.MonthsLeft = 6 }),
			Progress{ExpectedShare: 0.5, Light: Red, ForecastRunRate: f(-16), Forecast: f(-16), PaceNeeded: f(0)}},
		{"negative target, positive actual",
			with(cum(4), func(in *Input) { in.Target = -10; in.Share = 0.5; in.MonthsLeft = 6 }),
			Progress{ExpectedShare: 0.5, Light: Green, ForecastRunRate: f(8), Forecast: f(8), PaceNeeded: f(0)}},

		// Lower is better: a ceiling.
		{"ceiling: under schedule is green",
			Input{Direction: Lower, Target: 100, Actual: 40, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.4), ExpectedShare: 0.5, Gap: f(-0.1), Light: Green,
				ForecastRunRate: f(80), Forecast: f(80), Allowance: f(60), AllowancePace: f(10)}},
		{"ceiling: exactly at schedule is green",
			Input{Direction: Lower, Target: 100, Actual: 50, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.5), ExpectedShare: 0.5, Gap: f(0), Light: Green,
				ForecastRunRate: f(100), Forecast: f(100), Allowance: f(50), AllowancePace: f(50.0 / 6)}},
		{"ceiling: exactly at share + margin is yellow by the band, red by the forecast",
			Input{Direction: Lower, Target: 100, Actual: 60, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.6), ExpectedShare: 0.5, Gap: f(0.1), Light: Red, CeilingNote: CeilingForecast,
				ForecastRunRate: f(120), Forecast: f(120), Allowance: f(40), AllowancePace: f(40.0 / 6)}},
		{"ceiling: beyond share + margin is red",
			Input{Direction: Lower, Target: 100, Actual: 61, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.61), ExpectedShare: 0.5, Gap: f(0.11), Light: Red,
				ForecastRunRate: f(122), Forecast: f(122), Allowance: f(39), AllowancePace: f(39.0 / 6), CeilingNote: CeilingOverSchedule}},
		{"ceiling: over the full-year ceiling early",
			Input{Direction: Lower, Target: 100, Actual: 120, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(1.2), ExpectedShare: 0.5, Gap: f(0.7), Light: Red, OverCeiling: true,
				ForecastRunRate: f(240), Forecast: f(240), Allowance: f(-20), AllowancePace: f(0), CeilingNote: CeilingPassed}},
		{"ceiling: exactly at the ceiling at year end is green, not over-achieved",
			Input{Direction: Lower, Target: 100, Actual: 100, HasActual: true, Share: 1},
			Progress{Completion: f(1), ExpectedShare: 1, Gap: f(0), Light: Green,
				ForecastRunRate: f(100), Forecast: f(100), Allowance: f(0)}},
		{"ceiling: past the ceiling inside the yellow band is red",
			Input{Direction: Lower, Target: 100, Actual: 105, HasActual: true, Share: 1},
			Progress{Completion: f(1.05), ExpectedShare: 1, Gap: f(0.05), Light: Red, OverCeiling: true,
				ForecastRunRate: f(105), Forecast: f(105), Allowance: f(-5), CeilingNote: CeilingPassed}},
		{"ceiling 0: zero is green",
			Input{Direction: Lower, Target: 0, Actual: 0, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, Light: Green, ForecastRunRate: f(0), Forecast: f(0), Allowance: f(0), AllowancePace: f(0)}},
		{"ceiling 0: one accident is red and over the ceiling",
			Input{Direction: Lower, Target: 0, Actual: 1, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, Light: Red, OverCeiling: true, ForecastRunRate: f(2), Forecast: f(2), Allowance: f(-1), AllowancePace: f(0), CeilingNote: CeilingPassed}},
		{"negative ceiling keeps its bands",
			Input{Direction: Lower, Target: -10, Actual: -4, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, Light: Yellow, OverCeiling: true, ForecastRunRate: f(-8), Forecast: f(-8), Allowance: f(-6), AllowancePace: f(0), CeilingNote: CeilingPassed}},

		// Growth-rate targets, higher is better: +8%, margin 10 points.
		{"growth above the rate is green",
			Input{Kind: KindGrowth, Target: 8, Actual: 110, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(0.1), Light: Green, ForecastRunRate: f(220), Forecast: f(220)}},
		{"growth exactly at the rate is green",
			Input{Kind: KindGrowth, Target: 8, Actual: 108, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(0.08), Light: Green, ForecastRunRate: f(216), Forecast: f(216)}},
		{"growth exactly at rate − margin is yellow",
			Input{Kind: KindGrowth, Target: 8, Actual: 98, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(-0.02), Light: Yellow, ForecastRunRate: f(196), Forecast: f(196)}},
		{"growth below rate − margin is red",
			Input{Kind: KindGrowth, Target: 8, Actual: 97, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(-0.03), Light: Red, ForecastRunRate: f(194), Forecast: f(194)}},
		{"growth with custom margin of 2 points",
			Input{Kind: KindGrowth, Target: 8, Actual: 105, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6, Margin: 0.02},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(0.05), Light: Red, ForecastRunRate: f(210), Forecast: f(210)}},
		{"growth without last year's same period cannot be judged",
			Input{Kind: KindGrowth, Target: 8, Actual: 108, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, ForecastRunRate: f(216), Forecast: f(216)}},
		{"growth with last year's same period negative cannot be judged",
			Input{Kind: KindGrowth, Target: 8, Actual: 108, HasActual: true, LastYearSame: f(-5), LastYearTotal: f(200), Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.5), ExpectedShare: 0.5, Gap: f(0), ForecastRunRate: f(216), Forecast: f(216), PaceNeeded: f(18)}},
		{"growth with last year's same period 0 cannot be judged",
			Input{Kind: KindGrowth, Target: 8, Actual: 108, HasActual: true, LastYearSame: f(0), LastYearTotal: f(200), Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.5), ExpectedShare: 0.5, Gap: f(0), ForecastRunRate: f(216), Forecast: f(216), PaceNeeded: f(18)}},
		{"growth with last year's total: goal, completion, seasonal, pace",
			Input{Kind: KindGrowth, Target: 8, Actual: 108, HasActual: true, LastYearSame: f(100), LastYearTotal: f(200), Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.5), ExpectedShare: 0.5, Gap: f(0), YoYGrowth: f(0.08), Light: Green,
				ForecastRunRate: f(216), ForecastSeasonal: f(216), Forecast: f(216), PaceNeeded: f(18)}},
		{"growth past the absolute goal is over-achieved",
			Input{Kind: KindGrowth, Target: 8, Actual: 120, HasActual: true, LastYearSame: f(90), LastYearTotal: f(100), Share: 0.75, MonthsLeft: 3},
			Progress{Completion: f(120.0 / 108), ExpectedShare: 0.75, Gap: f(120.0/108 - 0.75), YoYGrowth: f(30.0 / 90), Light: Green, Met: true, OverAchieved: true,
				ForecastRunRate: f(160), ForecastSeasonal: f(120 * 100.0 / 90), Forecast: f(120 * 100.0 / 90), PaceNeeded: f(0)}},
		{"growth of −100% makes a zero goal: no completion",
			Input{Kind: KindGrowth, Target: -100, Actual: 5, HasActual: true, LastYearSame: f(50), LastYearTotal: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(-0.9), Light: Green,
				ForecastRunRate: f(10), ForecastSeasonal: f(10), Forecast: f(10), PaceNeeded: f(0)}},
		{"growth target without a figure",
			Input{Kind: KindGrowth, Target: 8, LastYearSame: f(100), LastYearTotal: f(200), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5}},

		// Growth-rate targets, lower is better: energy use grows no more than 3%.
		{"lower growth below the cap is green",
			Input{Kind: KindGrowth, Direction: Lower, Target: 3, Actual: 102, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(0.02), Light: Green, ForecastRunRate: f(204), Forecast: f(204)}},
		{"lower growth exactly at the cap is green",
			Input{Kind: KindGrowth, Direction: Lower, Target: 3, Actual: 103, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(0.03), Light: Green, ForecastRunRate: f(206), Forecast: f(206)}},
		{"lower growth exactly at cap + margin is yellow",
			Input{Kind: KindGrowth, Direction: Lower, Target: 3, Actual: 113, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(0.13), Light: Yellow, ForecastRunRate: f(226), Forecast: f(226)}},
		{"lower growth beyond cap + margin is red",
			Input{Kind: KindGrowth, Direction: Lower, Target: 3, Actual: 113.5, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6},
			Progress{ExpectedShare: 0.5, YoYGrowth: f(0.135), Light: Red, ForecastRunRate: f(227), Forecast: f(227)}},
		{"lower growth with last year's total: completion and allowance",
			Input{Kind: KindGrowth, Direction: Lower, Target: 3, Actual: 100, HasActual: true, LastYearSame: f(100), LastYearTotal: f(200), Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(100.0 / 206), ExpectedShare: 0.5, Gap: f(100.0/206 - 0.5), YoYGrowth: f(0), Light: Green,
				ForecastRunRate: f(200), ForecastSeasonal: f(200), Forecast: f(200), Allowance: f(106), AllowancePace: f(106.0 / 6)}},
		{"lower growth past the full-year goal is red",
			Input{Kind: KindGrowth, Direction: Lower, Target: 3, Actual: 104, HasActual: true, LastYearSame: f(102), LastYearTotal: f(100), Share: 1},
			Progress{Completion: f(104.0 / 103), ExpectedShare: 1, Gap: f(104.0/103 - 1), YoYGrowth: f(2.0 / 102), Light: Red, OverCeiling: true,
				ForecastRunRate: f(104), Forecast: f(104), Allowance: f(-1), CeilingNote: CeilingPassed}}, // last year's total below its same period: no seasonal shape
		{"growth on a point measure: share 1, forecast is the actual",
			Input{Measure: MeasurePoint, Kind: KindGrowth, Target: 8, Actual: 540, HasActual: true, LastYearSame: f(500), LastYearTotal: f(500), Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(1), ExpectedShare: 1, Gap: f(0), YoYGrowth: f(0.08), Light: Green, Met: true, Forecast: f(540)}},

		// Point-in-time indicators: share 1, no run-rate, no pace.
		{"point higher: at target is green and met, not over-achieved",
			Input{Measure: MeasurePoint, Target: 95, Actual: 95, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(1), ExpectedShare: 1, Gap: f(0), Light: Green, Met: true, Forecast: f(95)}},
		{"point higher: a hair above target is over-achieved",
			Input{Measure: MeasurePoint, Target: 95, Actual: 95.01, HasActual: true},
			Progress{Completion: f(95.01 / 95), ExpectedShare: 1, Gap: f(95.01/95 - 1), Light: Green, Met: true, OverAchieved: true, Forecast: f(95.01)}},
		{"point higher: float noise at exactly 100% is met, not over",
			Input{Measure: MeasurePoint, Target: 0.3, Actual: tenth + fifth, HasActual: true},
			Progress{Completion: f(1), ExpectedShare: 1, Gap: f(0), Light: Green, Met: true, Forecast: f(0.3)}},
		{"point higher: a hair below target is neither",
			Input{Measure: MeasurePoint, Target: 95, Actual: 94.99, HasActual: true},
			Progress{Completion: f(94.99 / 95), ExpectedShare: 1, Gap: f(94.99/95 - 1), Light: Yellow, Forecast: f(94.99)}},
		{"point higher: exactly target × (1 − margin) is yellow",
			Input{Measure: MeasurePoint, Target: 95, Actual: 85.5, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(0.9), ExpectedShare: 1, Gap: f(-0.1), Light: Yellow, Forecast: f(85.5)}},
		{"point higher: below the band is red",
			Input{Measure: MeasurePoint, Target: 95, Actual: 85, HasActual: true, Share: 0.5, MonthsLeft: 6},
			Progress{Completion: f(85.0 / 95), ExpectedShare: 1, Gap: f(85.0/95 - 1), Light: Red, Forecast: f(85)}},
		{"point lower: at target is green",
			Input{Measure: MeasurePoint, Direction: Lower, Target: 50, Actual: 50, HasActual: true, Share: 0.5},
			Progress{Completion: f(1), ExpectedShare: 1, Gap: f(0), Light: Green, Forecast: f(50)}},
		{"point lower: exactly target × (1 + margin) stays yellow though over",
			Input{Measure: MeasurePoint, Direction: Lower, Target: 50, Actual: 55, HasActual: true, Share: 0.5},
			Progress{Completion: f(1.1), ExpectedShare: 1, Gap: f(0.1), Light: Yellow, OverCeiling: true, Forecast: f(55), CeilingNote: CeilingPassed}},
		{"point lower: beyond the band is red",
			Input{Measure: MeasurePoint, Direction: Lower, Target: 50, Actual: 56, HasActual: true, Share: 0.5},
			Progress{Completion: f(1.12), ExpectedShare: 1, Gap: f(0.12), Light: Red, OverCeiling: true, Forecast: f(56), CeilingNote: CeilingPassed}},
		{"point lower: ceiling 0 exceeded",
			Input{Measure: MeasurePoint, Direction: Lower, Target: 0, Actual: 2, HasActual: true},
			Progress{ExpectedShare: 1, Light: Red, OverCeiling: true, Forecast: f(2), CeilingNote: CeilingPassed}},
		{"point higher: zero target",
			Input{Measure: MeasurePoint, Target: 0, Actual: 0, HasActual: true},
			Progress{ExpectedShare: 1, Light: Green, Forecast: f(0)}},
		{"point without a figure still reports share 1",
			Input{Measure: MeasurePoint, Target: 95, Share: 0.5},
			Progress{ExpectedShare: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProgress(t, Evaluate(tt.in), tt.want)
		})
	}
}

// TestEvaluatePointersIndependent guards against Forecast aliasing one of the
// forecasts it was chosen from.
func TestEvaluatePointersIndependent(t *testing.T) {
	p := Evaluate(Input{Target: 1000, Actual: 700, HasActual: true, LastYearSame: f(600), LastYearTotal: f(900), Share: 0.75, MonthsLeft: 3})
	if p.Forecast == nil || p.ForecastSeasonal == nil {
		t.Fatalf("forecasts: got %s and %s, want both set", show(p.Forecast), show(p.ForecastSeasonal))
	}
	*p.Forecast = 0
	if got, want := *p.ForecastSeasonal, 1050.0; !near(got, want) {
		t.Errorf("ForecastSeasonal after editing Forecast: got %v, want %v", got, want)
	}
}

func TestTally(t *testing.T) {
	tests := []struct {
		name   string
		lights []Light
		want   Counts
	}{
		{"none", nil, Counts{}},
		{"one of each", []Light{Green, Yellow, Red, LightNone}, Counts{Green: 1, Yellow: 1, Red: 1, None: 1}},
		{"mixed", []Light{Red, Green, Red, Green, Green, LightNone}, Counts{Green: 3, Red: 2, None: 1}},
		{"unknown value counts as none", []Light{"blue"}, Counts{None: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tally(tt.lights); got != tt.want {
				t.Errorf("Tally(%v): got %+v, want %+v", tt.lights, got, tt.want)
			}
		})
	}
}

func FuzzEvaluate(f *testing.F) {
	f.Add(false, false, false, 1000.0, 750.0, true, true, 600.0, true, 900.0, 0.75, 3, 0.0)
	f.Add(true, false, true, 50.0, 55.0, true, false, 0.0, false, 0.0, 0.5, 6, 0.1)
	f.Add(false, true, false, 8.0, 108.0, true, true, 100.0, true, 200.0, 0.5, 6, 0.0)
	f.Add(false, true, true, 3.0, 113.0, true, true, 0.0, false, 0.0, 0.0, 12, -1.0)
	f.Add(false, false, false, -10.0, -3.0, true, false, 0.0, false, 0.0, 1.5, -2, 0.2)
	f.Add(false, false, true, 0.0, 1.0, true, true, -5.0, true, 1e308, 1e-300, 0, 1e308)
	f.Fuzz(func(t *testing.T, point, growth, lower bool, target, actual float64, hasActual, hasSame bool, same float64,
		hasTotal bool, total, share float64, monthsLeft int, margin float64) {
		in := Input{Measure: MeasureCumulative, Kind: KindValue, Direction: Higher,
			Target: target, Actual: actual, HasActual: hasActual, Share: share, MonthsLeft: monthsLeft, Margin: margin}
		if point {
			in.Measure = MeasurePoint
		}
		if growth {
			in.Kind = KindGrowth
		}
		if lower {
			in.Direction = Lower
		}
		if hasSame {
			in.LastYearSame = &same
		}
		if hasTotal {
			in.LastYearTotal = &total
		}
		p := Evaluate(in)

		switch p.Light {
		case Green, Yellow, Red, LightNone:
		default:
			t.Fatalf("Light: got %q, want one of green, yellow, red, none", p.Light)
		}
		if !(p.ExpectedShare >= 0 && p.ExpectedShare <= 1) {
			t.Errorf("ExpectedShare: got %v, want within 0..1", p.ExpectedShare)
		}
		if !growth && !lower && p.Completion != nil && *p.Completion >= p.ExpectedShare && p.Light == Red {
			t.Errorf("Light: got red for completion %v ≥ share %v", *p.Completion, p.ExpectedShare)
		}
		for name, v := range map[string]*float64{
			"Completion": p.Completion, "Gap": p.Gap, "YoYGrowth": p.YoYGrowth, "ForecastRunRate": p.ForecastRunRate,
			"ForecastSeasonal": p.ForecastSeasonal, "Forecast": p.Forecast, "PaceNeeded": p.PaceNeeded,
			"Allowance": p.Allowance, "AllowancePace": p.AllowancePace,
		} {
			if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
				t.Errorf("%s: got %v, want a finite number or nil", name, *v)
			}
		}
		if !point && hasActual && isFinite(actual) && actual >= 0 && p.Forecast != nil && *p.Forecast < actual {
			t.Errorf("Forecast: got %v, below the actual %v done", *p.Forecast, actual)
		}
		if lower && p.PaceNeeded != nil {
			t.Errorf("PaceNeeded: got %v for a ceiling, want nil", *p.PaceNeeded)
		}
		if p.AllowancePace != nil && *p.AllowancePace < 0 {
			t.Errorf("AllowancePace: got %v, want ≥ 0", *p.AllowancePace)
		}
		if p.YoYGrowth != nil && !(hasSame && same > 0) {
			t.Errorf("YoYGrowth: got %v from a base that is unknown or not positive", *p.YoYGrowth)
		}
		if p.PaceNeeded != nil && *p.PaceNeeded < 0 {
			t.Errorf("PaceNeeded: got %v, want ≥ 0", *p.PaceNeeded)
		}
		if !hasActual && (p.Light != LightNone || p.Completion != nil || p.Forecast != nil) {
			t.Errorf("without a figure: got light %q, completion %s, forecast %s; want none", p.Light, show(p.Completion), show(p.Forecast))
		}
	})
}
