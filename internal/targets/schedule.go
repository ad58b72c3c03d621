package targets

import (
	"math"
	"time"
)

// Measure says how a figure is counted: a cumulative figure for 1–N月 (本年累计)
// or a point-in-time month-end value.
type Measure string

const (
	// MeasureCumulative is a running total from 1 January to the end of the period.
	MeasureCumulative Measure = "cumulative"
	// MeasurePoint is a month-end value (a balance, a rate, a count on a day).
	MeasurePoint Measure = "point"
)

// Kind says what a target's number means.
type Kind string

const (
	// KindValue is an absolute target (任务数) in the indicator's measurement unit.
	KindValue Kind = "value"
	// KindGrowth is a YoY growth rate (同比增长) in percent: 8 means +8%.
	KindGrowth Kind = "growth"
)

// Direction says which way is better.
type Direction string

const (
	// Higher is better: revenue, investment, new enterprises.
	Higher Direction = "higher"
	// Lower is better: the target is a ceiling (accidents, energy use).
	Lower Direction = "lower"
)

// Light is a target's status on the board (亮灯 红/黄/绿).
type Light string

const (
	Green     Light = "green"
	Yellow    Light = "yellow"
	Red       Light = "red"
	LightNone Light = "" // no figure yet, or nothing to judge against
)

// DefaultMargin is the yellow band: 10 percentage points, expressed as 0.10.
const DefaultMargin = 0.10

// epsilon absorbs floating-point noise at the band edges, so a completion of
// 0.7499999999999999 against a share of 0.75 is on schedule, not behind.
const epsilon = 1e-9

// ExpectedShareMonth is the expected share (序时进度) of a monthly figure for
// 1–N月: N/12. The month is clamped to 0..12, so 0 is 0 and 13 is 1.
func ExpectedShareMonth(month int) float64 {
	return float64(clampMonth(month)) / 12
}

// ExpectedShareDate is the expected share of a dated figure: the days elapsed
// (d's day of the year, counting d itself) ÷ the days in d's year, 366 in leap
// years, so 31 December is always 1. The day is read in d's own location.
func ExpectedShareDate(d time.Time) float64 {
	return float64(d.YearDay()) / float64(DaysInYear(d.Year()))
}

// DaysInYear is 366 for Gregorian leap years (divisible by 4, except centuries
// not divisible by 400) and 365 otherwise.
func DaysInYear(year int) int {
	if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 366
	}
	return 365
}

// MonthsLeft is the months left in the year after 1–N月: 12 − N, with the month
// clamped to 0..12 so the result is never negative nor above 12.
func MonthsLeft(month int) int {
	return 12 - clampMonth(month)
}

func clampMonth(month int) int {
	return min(max(month, 0), 12)
}

// Input is everything the rules need about one target at one period.
type Input struct {
	Measure       Measure   // "" reads as MeasureCumulative
	Kind          Kind      // "" reads as KindValue
	Direction     Direction // "" reads as Higher
	Target        float64   // absolute target (must-reach), or the growth rate in percent for KindGrowth
	Actual        float64   // cumulative value for 1–N月, or the month-end value for MeasurePoint
	HasActual     bool      // false when no figure has been entered: light is LightNone
	LastYearSame  *float64  // last year's same period (去年同期); nil when unknown
	LastYearTotal *float64  // last year's full-year value; nil when unknown
	Share         float64   // expected share (序时进度) of the period, 0..1 (clamped)
	MonthsLeft    int       // months left in the year after this period
	Margin        float64   // yellow band; 0 (or negative) means DefaultMargin
}

// ForecastNote says why a year-end forecast is the run-rate rather than last
// year's seasonal shape (按上年节奏): that shape is read only from a known,
// positive same period and a full-year total at least as large, as a
// cumulative year cannot end below what it had already reached.
type ForecastNote string

const (
	ForecastSeasonalShape  ForecastNote = ""                 // the seasonal forecast is used
	ForecastNoSame         ForecastNote = "no_same"          // last year's same period unknown, or ≤ 0
	ForecastNoTotal        ForecastNote = "no_total"         // last year's total unknown
	ForecastTotalBelowSame ForecastNote = "total_below_same" // last year's total below its same period
)

// CeilingNote says why a ceiling (lower is better: 安全生产事故起数, 能耗)
// reads as it does; "" while it is within its schedule and on course.
type CeilingNote string

const (
	CeilingWithin       CeilingNote = ""
	CeilingOverSchedule CeilingNote = "over_schedule" // the actual passed ceiling × (share + margin): red
	CeilingPassed       CeilingNote = "passed"        // the actual is already above the full-year ceiling
	CeilingForecast     CeilingNote = "forecast"      // the year-end forecast passes the ceiling: red though within the schedule
)

// Progress is what every target shows. Every figure is nil rather than NaN or
// ±Inf, so a Progress always encodes as JSON.
type Progress struct {
	Completion       *float64 // actual ÷ target (nil when target ≤ 0 or for growth targets without a known base)
	ExpectedShare    float64  // the share used (1 for point-in-time; for growth targets also reported as given)
	Gap              *float64 // completion − expected share (negative: behind a schedule to reach, or under a ceiling\'s), nil when completion is nil
	YoYGrowth        *float64 // (actual − last year same) ÷ last year same, as a fraction (0.08 = 8%); nil when the base is unknown, 0 or negative
	Light            Light
	Met              bool         // 完成: higher-is-better target with completion ≥ 1 (within epsilon)
	OverAchieved     bool         // 超额完成: higher-is-better target with completion beyond 1 by more than epsilon; exactly 1 is Met only
	OverCeiling      bool         // lower-is-better target whose actual already exceeds the full-year ceiling
	ForecastRunRate  *float64     // actual ÷ share (cumulative only; nil when share is 0)
	ForecastSeasonal *float64     // actual × last-year total ÷ last-year same period, when both known and the same period > 0
	Forecast         *float64     // the seasonal forecast where available, else the run-rate, never below a non-negative actual; for point measures the actual itself
	ForecastNote     ForecastNote // why Forecast is the run-rate; "" when it is the seasonal one, or there is no forecast
	PaceNeeded       *float64     // (goal − actual) ÷ months left, cumulative targets to reach only (nil for a ceiling); nil when months left is 0; 0 when already met
	Allowance        *float64     // 剩余额度 of a cumulative ceiling: ceiling − actual, negative once passed; nil for targets to reach
	AllowancePace    *float64     // the allowance per remaining month, max(0, allowance) ÷ months left; nil when no month is left
	CeilingNote      CeilingNote  // why a ceiling reads as it does
}

// Evaluate applies the schedule rules to one target at one period. It is total:
// any input, however odd, gives a Progress and never panics.
//
// Without a figure (HasActual false, or a NaN/±Inf Actual or Target) only the
// expected share is reported and the light is LightNone.
//
// The goal is the absolute full-year target: Target for value targets, and for
// growth targets LastYearTotal × (1 + Target/100) when last year's total is
// known. Completion is actual ÷ goal when the goal is positive, else nil (a zero
// or negative target has no meaningful ratio), and Gap is completion − share.
//
// Lights for value targets compare the actual with the goal's scheduled part,
// goal × share (share 1 for point measures), measured in shares of |goal|:
//   - higher is better: green when completion ≥ share; yellow when share −
//     completion ≤ margin; red beyond. For a point measure that is green when
//     actual ≥ target and yellow when actual ≥ target × (1 − margin).
//   - lower is better (a ceiling): green while actual ≤ ceiling × share; yellow
//     while actual ≤ ceiling × (share + margin); red beyond. For a point measure
//     that is green when actual ≤ target and yellow when actual ≤ target × (1 + margin).
//   - a zero target is judged by sign: higher is green when actual ≥ 0, lower is
//     green when actual ≤ 0; anything else is red.
//   - a negative target (net increase allowed to fall) keeps the same bands
//     measured in |target|: higher is green when actual ≥ target × share and
//     yellow within margin × |target| below that.
//
// Lights for growth targets ignore the schedule and compare the YoY growth (in
// percent) with the target rate, the margin read as percentage points: higher
// is green when growth ≥ target and yellow when growth ≥ target − margin×100;
// lower mirrors it. Without a known, positive LastYearSame there is no YoY
// growth and the light is LightNone.
//
// OverCeiling marks a lower-is-better target whose actual exceeds its goal. A
// cumulative figure past a positive full-year ceiling cannot come back under
// it, so its light is red even inside the yellow band (late in the year share +
// margin passes 1); a point value may still fall, so it keeps its band.
//
// Forecasts (cumulative only): the run-rate actual ÷ share, and last year's
// seasonal shape, actual × total ÷ same period, only where the same period is
// positive and the total at least the same period (a total below it would
// forecast a year ending below what is done); Forecast prefers the seasonal
// one, ForecastNote says why when it cannot, and a non-negative actual is the
// floor of Forecast. For a point measure Forecast is the actual and there is
// no pace.
// PaceNeeded is (goal − actual) ÷ MonthsLeft, floored at 0 once the goal is
// met, for targets to reach only. A cumulative ceiling has instead its
// Allowance (剩余额度), goal − actual, and AllowancePace, what is left of it
// per remaining month; CeilingNote says it is passed, over its schedule (red
// by the band), or on course to pass by the forecast, which turns it red.
func Evaluate(in Input) Progress {
	point := in.Measure == MeasurePoint
	growth := in.Kind == KindGrowth
	lower := in.Direction == Lower

	share := 1.0
	if !point {
		share = clampShare(in.Share)
	}
	p := Progress{ExpectedShare: share}
	if !in.HasActual || !isFinite(in.Actual) || !isFinite(in.Target) {
		return p
	}
	margin := in.Margin
	if !(margin > 0) || math.IsInf(margin, 0) {
		margin = DefaultMargin
	}
	actual := in.Actual
	same, total := known(in.LastYearSame), known(in.LastYearTotal)

	// A growth rate from a zero or negative base means nothing (from −100 to
	// 50 is not "+150%"): as statistical bulletins do, there is none.
	yoy, hasYoY := 0.0, false
	if same > 0 {
		yoy, hasYoY = (actual-same)/same, true
		p.YoYGrowth = finite(yoy)
	}

	goal, hasGoal := in.Target, true
	if growth {
		goal, hasGoal = total*(1+in.Target/100), !math.IsNaN(total)
	}
	if hasGoal && goal > 0 {
		if c := finite(actual / goal); c != nil {
			p.Completion = c
			p.Gap = finite(*c - share)
		}
	}
	if lower {
		p.OverCeiling = hasGoal && actual > goal+epsilon*math.Abs(goal)
	} else {
		p.Met = p.Completion != nil && *p.Completion >= 1-epsilon
		p.OverAchieved = p.Completion != nil && *p.Completion > 1+epsilon
	}

	switch {
	case growth && hasYoY:
		behind := in.Target - yoy*100
		if lower {
			behind = -behind
		}
		p.Light = band(behind, margin*100)
	case !growth:
		p.Light = valueLight(actual, in.Target, share, margin, lower)
	}
	if !point && p.OverCeiling && goal > 0 && p.Light != LightNone {
		p.Light = Red
	}
	if lower {
		switch {
		case p.OverCeiling:
			p.CeilingNote = CeilingPassed
		case p.Light == Red && !growth:
			p.CeilingNote = CeilingOverSchedule
		}
	}

	if point {
		p.Forecast = finite(actual)
		return p
	}
	if share > 0 {
		p.ForecastRunRate = finite(actual / share)
	}
	note := ForecastSeasonalShape
	switch {
	case !(same > 0):
		note = ForecastNoSame
	case math.IsNaN(total):
		note = ForecastNoTotal
	case total < same:
		note = ForecastTotalBelowSame
	default:
		p.ForecastSeasonal = finite(actual * total / same)
	}
	switch {
	case p.ForecastSeasonal != nil:
		p.Forecast = finite(*p.ForecastSeasonal)
	case p.ForecastRunRate != nil:
		p.Forecast = finite(*p.ForecastRunRate)
		p.ForecastNote = note
	}
	if p.Forecast != nil && actual >= 0 && *p.Forecast < actual {
		// What is done this year is done: a cumulative year ends at least there.
		p.Forecast = finite(actual)
	}
	if lower {
		if hasGoal {
			p.Allowance = finite(goal - actual)
			if p.Allowance != nil && in.MonthsLeft > 0 {
				p.AllowancePace = finite(max(0, *p.Allowance) / float64(in.MonthsLeft))
			}
		}
		// A ceiling the year is on course to pass is red now, while
		// something can still be done, not once it has been passed.
		if p.CeilingNote == CeilingWithin && hasGoal && goal > 0 && p.Light != LightNone &&
			p.Forecast != nil && *p.Forecast > goal+epsilon*goal {
			p.Light, p.CeilingNote = Red, CeilingForecast
		}
		return p
	}
	if hasGoal && in.MonthsLeft > 0 {
		p.PaceNeeded = finite(max(0, (goal-actual)/float64(in.MonthsLeft)))
	}
	return p
}

// valueLight judges a value target: how far the actual is behind the scheduled
// part of the target, in shares of |target|.
func valueLight(actual, target, share, margin float64, lower bool) Light {
	if target == 0 {
		if (!lower && actual >= 0) || (lower && actual <= 0) {
			return Green
		}
		return Red
	}
	norm := actual / math.Abs(target)
	expected := share
	if target < 0 {
		expected = -share
	}
	behind := expected - norm
	if lower {
		behind = norm - expected
	}
	return band(behind, margin)
}

// band turns a shortfall into a light: none or less is green, up to the margin
// is yellow, beyond it (or NaN) is red.
func band(behind, margin float64) Light {
	switch {
	case behind <= epsilon:
		return Green
	case behind <= margin+epsilon:
		return Yellow
	default:
		return Red
	}
}

// clampShare keeps a share within 0..1; NaN reads as 0.
func clampShare(s float64) float64 {
	if !(s > 0) {
		return 0
	}
	return min(s, 1)
}

// known reads an optional figure, NaN when unknown or not finite.
func known(v *float64) float64 {
	if v == nil || !isFinite(*v) {
		return math.NaN()
	}
	return *v
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// finite returns a pointer to v, or nil when v is NaN or ±Inf.
func finite(v float64) *float64 {
	if !isFinite(v) {
		return nil
	}
	return &v
}

// Counts tallies lights for the board.
type Counts struct{ Green, Yellow, Red, None int }

// Tally counts lights by colour; LightNone and any unknown value count as None.
func Tally(lights []Light) Counts {
	var c Counts
	for _, l := range lights {
		switch l {
		case Green:
			c.Green++
		case Yellow:
			c.Yellow++
		case Red:
			c.Red++
		default:
			c.None++
		}
	}
	return c
}

// scheduleOf is the expected share and the months left of a figure of
// period (YYYY-MM), or of a 调度数 standing at day asOf within it: then the
// share by days elapsed (ExpectedShareDate), and the month the day falls in
// still counted among the months left, since its statistic is yet to come.
func scheduleOf(period, asOf string) (share float64, monthsLeft int) {
	if asOf != "" {
		if d, err := time.ParseInLocation("2006-01-02", asOf, time.UTC); err == nil {
			return ExpectedShareDate(d), MonthsLeft(int(d.Month()) - 1)
		}
	}
	m := periodMonth(period)
	return ExpectedShareMonth(m), MonthsLeft(m)
}
