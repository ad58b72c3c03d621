package targets

import (
	"math"
	"time"

	"guatu/internal/platform/clock"
)

// The campaign's own clock (大干一百天): a campaign that starts in September
// is judged by what it has added since its start, against the share of its
// own days gone, not by the year's 序时进度.

// CampaignInput is one target measured against one campaign.
type CampaignInput struct {
	// Start and End are the campaign's first and last days and Today the
	// day of reading, all read as calendar dates in Beijing.
	Start, End, Today time.Time
	Year              int // the target's year
	Measure           Measure
	Kind              Kind
	Direction         Direction
	Target            float64 // the must-reach value (确保)
	// Figures are the target's cumulative figures for 1–N月: index 0 is
	// 1月, nil where there is none.
	Figures [12]*float64
}

// CampaignProgress is a target's progress on the campaign's clock. Task,
// Done, Completion and PacePerWeek are nil rather than guessed when the
// figure the campaign starts from is not known, and none is ever NaN or ±Inf.
type CampaignProgress struct {
	// StartMonth is N of the 1–N月 figure the campaign starts from: the last
	// month that ended before its first day; 0 (from nothing) for a
	// campaign starting in January.
	StartMonth int
	// StartFigure is that figure; nil when the target has none for the
	// month (the campaign's task cannot be told).
	StartFigure *float64
	// Task is 攻坚任务: what the campaign must add, target − start figure,
	// never below 0.
	Task *float64
	// Done is 攻坚以来完成: the latest figure − the start figure; negative
	// when a correction lowered the figure.
	Done *float64
	// ShareOfDays is the share of the campaign's days gone, 0..1, counted
	// like the board's 第N天/共N天: on day N of T it is N/T.
	ShareOfDays float64
	// Completion is 完成攻坚任务%: Done ÷ Task; nil when the task is 0.
	Completion *float64
	// PacePerWeek is 尚需每周: what is still needed ÷ the weeks left; 0 once
	// the target is reached, nil once the campaign is over.
	PacePerWeek *float64
	// Met says the target is reached: the latest figure is at or above it.
	Met bool
	// DaysLeft are the campaign's days left, today included; 0 once over.
	DaysLeft int
}

// OnPace reports whether the target keeps up with the campaign's clock:
// 完成攻坚任务% at least the share of the campaign's days gone, or the target
// already reached. Without a known task it is not on pace.
func (p CampaignProgress) OnPace() bool {
	if p.Task == nil {
		return false
	}
	if p.Met {
		return true
	}
	return p.Completion != nil && *p.Completion >= p.ShareOfDays-epsilon
}

// CampaignStartMonth is N of the 1–N月 figure a campaign starting on start
// (a Beijing date) starts from: the month before the start's, since the
// start's own month has not ended by its first day (22 September starts
// from 1-8月, 1 October from 1-9月, any day of January from 0).
func CampaignStartMonth(start time.Time) int {
	return int(start.In(clock.Beijing).Month()) - 1
}

// Campaign measures one target against a campaign. Only a cumulative,
// higher-is-better value target of the campaign's year has a campaign task:
// for a ceiling, a month-end value or a growth rate, and for a campaign in
// another year, it returns nil rather than invent one.
//
// The latest figure is the one of the last month with a figure; when it is
// the start month's, Done is 0. What is still needed is target − latest
// (which is Task − Done whenever the start lay below the target), so a
// target met at the start and then lowered by a correction owes only its
// way back to the target, not to the start. The weeks left are the days
// left (today included) ÷ 7, at least one day's worth; before the start
// every day of the campaign is left and ShareOfDays is 0.
func Campaign(in CampaignInput) *CampaignProgress {
	if in.Measure == MeasurePoint || in.Kind == KindGrowth || in.Direction == Lower || !isFinite(in.Target) {
		return nil
	}
	if in.Start.In(clock.Beijing).Year() != in.Year {
		return nil
	}
	first, last, today := beijingDay(in.Start), beijingDay(in.End), beijingDay(in.Today)
	total := last - first + 1
	if total < 1 {
		return nil
	}
	p := &CampaignProgress{StartMonth: CampaignStartMonth(in.Start)}
	left := 0
	switch {
	case today < first:
		left = total
	case today > last:
		p.ShareOfDays = 1
	default:
		day := today - first + 1
		p.ShareOfDays = float64(day) / float64(total)
		left = total - day + 1
	}
	p.DaysLeft = left

	start := 0.0
	if p.StartMonth > 0 {
		f := in.Figures[p.StartMonth-1]
		if f == nil || !isFinite(*f) {
			return p
		}
		start = *f
	}
	p.StartFigure = finite(start)
	latest := start
	for m := 12; m > p.StartMonth; m-- {
		if f := in.Figures[m-1]; f != nil && isFinite(*f) {
			latest = *f
			break
		}
	}
	task, done := max(0, in.Target-start), latest-start
	p.Task, p.Done = finite(task), finite(done)
	if task > 0 {
		p.Completion = finite(done / task)
	}
	still := in.Target - latest
	p.Met = still <= epsilon*max(1, math.Abs(in.Target))
	if left > 0 {
		if p.Met {
			still = 0
		}
		p.PacePerWeek = finite(still / (float64(max(left, 1)) / 7))
	}
	return p
}

// beijingDay is the Beijing calendar date of t as a count of days since
// 1970-01-01, so two subtract to whole days with no hour to round.
func beijingDay(t time.Time) int {
	y, m, d := t.In(clock.Beijing).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
