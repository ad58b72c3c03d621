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
