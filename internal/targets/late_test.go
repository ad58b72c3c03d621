package targets

import (
	"testing"
	"time"

	"guatu/internal/platform/clock"
)

func TestDuePeriod(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 9, 0, 0, 0, clock.Beijing) }
	tests := []struct {
		name    string
		today   time.Time
		day     int
		cadence Cadence
		year    int
		want    string
	}{
		{"before the reporting day: the month before last", day(2026, 12, 2), 5, Monthly, 2026, "2026-10"},
		{"on the reporting day: still the month before last", day(2026, 12, 5), 5, Monthly, 2026, "2026-10"},
		{"after the reporting day: last month", day(2026, 12, 6), 5, Monthly, 2026, "2026-11"},
		{"late in the evening Beijing time, early UTC", time.Date(2026, 12, 5, 17, 0, 0, 0, time.UTC), 5, Monthly, 2026, "2026-11"},
		{"a township reporting on the 1st", day(2026, 12, 2), 1, Monthly, 2026, "2026-11"},
		{"quarterly after the day: the last quarter end", day(2026, 12, 6), 5, Quarterly, 2026, "2026-09"},
		{"quarterly before the day after a quarter end", day(2026, 10, 3), 5, Quarterly, 2026, "2026-06"},
		{"quarterly after the day after a quarter end", day(2026, 10, 8), 5, Quarterly, 2026, "2026-09"},
		{"January after the day: December of last year", day(2027, 1, 8), 5, Monthly, 2026, "2026-12"},
		{"January before the day: November of last year", day(2027, 1, 3), 5, Monthly, 2026, "2026-11"},
		{"January: nothing of the new year is due", day(2027, 1, 8), 5, Monthly, 2027, ""},
		{"February after the day: January", day(2027, 2, 6), 5, Monthly, 2027, "2027-01"},
		{"February before the day: nothing yet", day(2027, 2, 3), 5, Monthly, 2027, ""},
		{"quarterly in January: last year's December", day(2027, 1, 8), 5, Quarterly, 2026, "2026-12"},
		{"a year long past is due in full", day(2027, 6, 1), 5, Quarterly, 2025, "2025-12"},
		{"a future year: nothing", day(2026, 12, 6), 5, Monthly, 2027, ""},
		{"an unset day reads as the default", day(2026, 12, 5), 0, Monthly, 2026, "2026-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DuePeriod(tt.today, tt.day, tt.cadence, tt.year); got != tt.want {
				t.Errorf("DuePeriod(%s, %d, %s, %d) = %q, want %q", tt.today.Format(time.RFC3339), tt.day, tt.cadence, tt.year, got, tt.want)
			}
		})
	}
}

func TestMeasureLate(t *testing.T) {
	tests := []struct {
		name      string
		period    string
		actual    *float64
		due       string
		late      bool
		share     float64
		light     Light
		forecasts bool // the forecasts are the figure's own
	}{
		{"has the due month", "2026-11", f(950), "2026-11", false, 11.0 / 12, Green, true},
		// Yellow against October (80% of 83.3%), red against November (91.7%).
		{"a month behind: measured at November", "2026-10", f(800), "2026-11", true, 11.0 / 12, Red, true},
		{"no target figures at all", "", nil, "2026-11", true, 11.0 / 12, LightNone, false},
		{"nothing due yet", "", nil, "", false, 0, LightNone, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Row{Target: Target{Kind: KindValue, Value: 1000}, Indicator: Indicator{Measure: MeasureCumulative, Direction: Higher}, Period: tt.period, StatPeriod: tt.period, Actual: tt.actual}
			m := periodMonth(tt.period)
			in := Input{Target: 1000, HasActual: tt.actual != nil, Share: ExpectedShareMonth(m), MonthsLeft: MonthsLeft(m)}
			if tt.actual != nil {
				in.Actual = *tt.actual
			}
			r.Progress = Evaluate(in)
			before := r.Progress
			measureLate(&r, tt.due, DefaultMargin)
			if r.Late != tt.late {
				t.Errorf("late = %v, want %v", r.Late, tt.late)
			}
			if !near(r.Progress.ExpectedShare, tt.share) && tt.late {
				t.Errorf("share = %v, want %v", r.Progress.ExpectedShare, tt.share)
			}
			if r.Progress.Light != tt.light {
				t.Errorf("light = %q, want %q", r.Progress.Light, tt.light)
			}
			if tt.forecasts && (r.Progress.Forecast == nil || before.Forecast == nil || *r.Progress.Forecast != *before.Forecast) {
				t.Errorf("forecast = %v, want the figure's own %v", r.Progress.Forecast, before.Forecast)
			}
		})
	}
}

// TestLateWithADatedFigure: a 调度数 of December reports no month: without
// November's statistic the target is late on November, though its latest
// figure is December's.
func TestLateWithADatedFigure(t *testing.T) {
	r := Row{Target: Target{Kind: KindValue, Value: 1000}, Indicator: Indicator{Measure: MeasureCumulative, Direction: Higher},
		Period: "2026-12", AsOf: "2026-12-03", StatPeriod: "2026-10", Actual: f(930)}
	measureLate(&r, "2026-11", DefaultMargin)
	if !r.Late {
		t.Error("a December 调度数 hides November's missing statistic")
	}
	r.StatPeriod = "2026-11"
	r.Late = false
	measureLate(&r, "2026-11", DefaultMargin)
	if r.Late {
		t.Error("late with November's statistic in")
	}
}
