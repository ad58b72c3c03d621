package work

import (
	"time"

	"guatu/internal/platform/clock"
)

// Rhythm is how often the lead unit reports progress (报送频次).
type Rhythm string

const (
	Once        Rhythm = "once"    // 办结时报送: the final deadline only
	Weekly      Rhythm = "weekly"  // 每周
	EveryNWeeks Rhythm = "weeks"   // 每N周
	Monthly     Rhythm = "monthly" // 每月
)

// Rhythms lists the rhythms in display order.
var Rhythms = []Rhythm{Once, Weekly, EveryNWeeks, Monthly}

// Bounds of a rhythm of N weeks.
const (
	MinRhythmWeeks = 2
	MaxRhythmWeeks = 8
)

// DefaultClaimDays is how many days after assignment a task must be
// claimed (签收) when the office does not say.
const DefaultClaimDays = 2

func validRhythm(r Rhythm) bool {
	for _, x := range Rhythms {
		if x == r {
			return true
		}
	}
	return false
}

// reportStep is the k-th report day (k ≥ 1) of a rhythm counted from the
// assignment day; the zero time for a one-off task.
func reportStep(r Rhythm, weeks int, from time.Time, k int) time.Time {
	switch r {
	case Weekly:
		return from.AddDate(0, 0, 7*k)
	case EveryNWeeks:
		return from.AddDate(0, 0, 7*weeks*k)
	case Monthly:
		return from.AddDate(0, k, 0)
	}
	return time.Time{}
}

// maxSteps bounds the search for a report day: ten years of weeks.
const maxSteps = 520

// NextReport is the day the next periodic report is due, as YYYY-MM-DD, or
// "" when none is (a one-off task, or the next day would fall after the
// deadline, which the final report answers). A task just assigned owes its
// first report one period after assignment (reported = zero time). A report
// on day d answers the period it falls in — the one whose report day is
// the first on or after d — so the next is the period after that, and
// never earlier than the one already owed (was): two reports in one week
// do not owe the week after next, a late report does not owe the periods
// it missed.
func NextReport(r Rhythm, weeks int, assigned, deadline time.Time, was string, reported time.Time) string {
	if r == Once || (r == EveryNWeeks && weeks < MinRhythmWeeks) {
		return ""
	}
	next := reportStep(r, weeks, assigned, 1)
	if !reported.IsZero() {
		d := clock.Today(reported)
		k := 1
		for ; k < maxSteps && reportStep(r, weeks, assigned, k).Before(d); k++ {
		}
		next = reportStep(r, weeks, assigned, k+1)
		if owed, err := clock.ParseDate(was); err == nil && next.Before(owed) {
			next = owed
		}
	}
	if next.After(deadline) {
		return ""
	}
	return next.Format(clock.DateFormat)
}

// ResumedReport is the next periodic report day of a task resumed (恢复) at
// now that owed was, as NextReport gives it: was while it is still to come,
// else the first report day after today, so that the periods that fell due
// while the task was stopped are not owed and the lead unit is not late on
// the day it may work again; "" when none is.
func ResumedReport(r Rhythm, weeks int, assigned, deadline time.Time, was string, now time.Time) string {
	if r == Once || (r == EveryNWeeks && weeks < MinRhythmWeeks) {
		return ""
	}
	today := clock.Today(now)
	if owed, err := clock.ParseDate(was); err == nil && !owed.Before(today) {
		return was
	}
	k := 1
	for ; k < maxSteps && !reportStep(r, weeks, assigned, k).After(today); k++ {
	}
	next := reportStep(r, weeks, assigned, k)
	if next.After(deadline) {
		return ""
	}
	return next.Format(clock.DateFormat)
}
