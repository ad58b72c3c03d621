package targets

import (
	"math"
	"testing"
)

// TestEvaluateForecast holds the choice between last year's seasonal shape
// and the run-rate, the note saying why, and the floor at what is done.
func TestEvaluateForecast(t *testing.T) {
	// 城镇新增就业 at 1–11月: 1,508 done of a target of 1,500.
	jobs := func(same, total *float64) Input {
		return Input{Target: 1500, Actual: 1508, HasActual: true, LastYearSame: same, LastYearTotal: total, Share: 11.0 / 12, MonthsLeft: 1}
	}
	runRate := 1508 / (11.0 / 12)
	tests := []struct {
		name     string
		in       Input
		seasonal *float64
		forecast *float64
		note     ForecastNote
	}{
		{"seasonal when the total is above the same period",
			jobs(f(1300), f(1400)), f(1508 * 1400.0 / 1300), f(1508 * 1400.0 / 1300), ForecastSeasonalShape},
		{"seasonal when the total equals the same period (nothing came in December)",
			jobs(f(1400), f(1400)), f(1508), f(1508), ForecastSeasonalShape},
		{"total below the same period: run-rate, not 1,494.1",
			jobs(f(1450), f(1436.6)), nil, f(runRate), ForecastTotalBelowSame},
		{"same period unknown",
			jobs(nil, f(1400)), nil, f(runRate), ForecastNoSame},
		{"same period 0",
			jobs(f(0), f(1400)), nil, f(runRate), ForecastNoSame},
		{"same period negative",
			jobs(f(-20), f(1400)), nil, f(runRate), ForecastNoSame},
		{"same period NaN reads as unknown",
			jobs(f(math.NaN()), f(1400)), nil, f(runRate), ForecastNoSame},
		{"total unknown",
			jobs(f(1300), nil), nil, f(runRate), ForecastNoTotal},
		{"both unknown: the same period is named first",
			jobs(nil, nil), nil, f(runRate), ForecastNoSame},
		{"share 0 and no seasonal shape: no forecast, no note",
			with(jobs(nil, nil), func(in *Input) { in.Share = 0 }), nil, nil, ForecastSeasonalShape},
		{"share 0 with a seasonal shape",
			with(jobs(f(50), f(800)), func(in *Input) { in.Actual = 100; in.Share = 0 }), f(1600), f(1600), ForecastSeasonalShape},
		{"a negative actual is not floored",
			with(jobs(nil, nil), func(in *Input) { in.Actual = -3; in.Share = 0.75 }), nil, f(-4), ForecastNoSame},
		{"point measure: the actual, no note",
			with(jobs(f(1450), f(1436.6)), func(in *Input) { in.Measure = MeasurePoint }), nil, f(1508), ForecastSeasonalShape},
		{"no figure: no forecast, no note",
			with(jobs(f(1450), f(1436.6)), func(in *Input) { in.HasActual = false }), nil, nil, ForecastSeasonalShape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Evaluate(tt.in)
			if !sameFloat(p.ForecastSeasonal, tt.seasonal) {
				t.Errorf("ForecastSeasonal: got %s, want %s", show(p.ForecastSeasonal), show(tt.seasonal))
			}
			if !sameFloat(p.Forecast, tt.forecast) {
				t.Errorf("Forecast: got %s, want %s", show(p.Forecast), show(tt.forecast))
			}
			if p.ForecastNote != tt.note {
				t.Errorf("ForecastNote: got %q, want %q", p.ForecastNote, tt.note)
			}
		})
	}
}

// with edits a copy of an input for one case of a table.
func with(in Input, edit func(*Input)) Input { edit(&in); return in }

// TestEvaluateYoYGrowth: growth is read only from a positive base; from zero
// or below there is none, rather than a rate on |base|.
func TestEvaluateYoYGrowth(t *testing.T) {
	tests := []struct {
		name   string
		actual float64
		same   *float64
		want   *float64
	}{
		{"up 8%", 108, f(100), f(0.08)},
		{"down 20%", 80, f(100), f(-0.2)},
		{"negative this year on a positive base", -10, f(100), f(-1.1)},
		{"a tiny positive base still divides", 2, f(0.5), f(3)},
		{"zero base: none", 108, f(0), nil},
		{"negative base: none, not +150%", 50, f(-100), nil},
		{"unknown base: none", 108, nil, nil},
		{"NaN base: none", 108, f(math.NaN()), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Evaluate(Input{Target: 1000, Actual: tt.actual, HasActual: true, LastYearSame: tt.same, Share: 0.5, MonthsLeft: 6})
			if !sameFloat(p.YoYGrowth, tt.want) {
				t.Errorf("YoYGrowth: got %s, want %s", show(p.YoYGrowth), show(tt.want))
			}
		})
	}
}

// TestEvaluateCeiling holds how a ceiling (安全生产事故起数: at most 6 a year)
// reads at 1–10月: no pace to reach, its remaining allowance instead, and a
// note when it is red or passed.
func TestEvaluateCeiling(t *testing.T) {
	at10 := func(actual float64) Input {
		return Input{Direction: Lower, Target: 6, Actual: actual, HasActual: true, Share: 10.0 / 12, MonthsLeft: 2}
	}
	tests := []struct {
		name          string
		in            Input
		light         Light
		allowance     *float64
		allowancePace *float64
		note          CeilingNote
	}{
		{"well under the schedule", at10(3), Green, f(3), f(1.5), CeilingWithin},
		{"exactly at the schedule: the forecast reaches the ceiling, not past it", at10(5), Green, f(1), f(0.5), CeilingWithin},
		{"in the yellow band, on course to pass: red by the forecast", at10(5.5), Red, f(0.5), f(0.25), CeilingForecast},
		{"in the yellow band, last year's shape keeps it under: yellow",
			with(at10(5.5), func(in *Input) { in.LastYearSame = f(5); in.LastYearTotal = f(5.2) }), Yellow, f(0.5), f(0.25), CeilingWithin},
		{"beyond ceiling × (share + margin): red over the schedule", at10(5.7), Red, f(0.3), f(0.15), CeilingOverSchedule},
		{"at the ceiling already, beyond the band: red over the schedule", at10(6), Red, f(0), f(0), CeilingOverSchedule},
		{"past the ceiling: negative allowance, none a month", at10(7), Red, f(-1), f(0), CeilingPassed},
		{"year end at the ceiling: green, no month left",
			with(at10(6), func(in *Input) { in.Share = 1; in.MonthsLeft = 0 }), Green, f(0), nil, CeilingWithin},
		{"point ceiling: no allowance to spend", with(at10(5), func(in *Input) { in.Measure = MeasurePoint }), Green, nil, nil, CeilingWithin},
		{"point ceiling past: passed, its band kept",
			with(at10(6.3), func(in *Input) { in.Measure = MeasurePoint }), Yellow, nil, nil, CeilingPassed},
		{"growth ceiling without last year's total: no allowance",
			Input{Kind: KindGrowth, Direction: Lower, Target: 3, Actual: 102, HasActual: true, LastYearSame: f(100), Share: 0.5, MonthsLeft: 6}, Green, nil, nil, CeilingWithin},
		{"no figure: nothing", with(at10(0), func(in *Input) { in.HasActual = false }), LightNone, nil, nil, CeilingWithin},
		{"a target to reach has no allowance",
			with(at10(3), func(in *Input) { in.Direction = Higher }), Red, nil, nil, CeilingWithin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Evaluate(tt.in)
			if p.Light != tt.light {
				t.Errorf("Light: got %q, want %q", p.Light, tt.light)
			}
			if !sameFloat(p.Allowance, tt.allowance) {
				t.Errorf("Allowance: got %s, want %s", show(p.Allowance), show(tt.allowance))
			}
			if !sameFloat(p.AllowancePace, tt.allowancePace) {
				t.Errorf("AllowancePace: got %s, want %s", show(p.AllowancePace), show(tt.allowancePace))
			}
			if p.CeilingNote != tt.note {
				t.Errorf("CeilingNote: got %q, want %q", p.CeilingNote, tt.note)
			}
			if tt.in.Direction == Lower && p.PaceNeeded != nil {
				t.Errorf("PaceNeeded: got %s for a ceiling, want nil", show(p.PaceNeeded))
			}
		})
	}
}
