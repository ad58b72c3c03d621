package board

import (
	"time"

	"guatu/internal/platform/clock"
)

// Phase is where today stands against a campaign's days.
type Phase string

// The phases of a campaign, as the board's header words them.
const (
	Before  Phase = "before"  // 距开始N天
	Running Phase = "running" // 第N天/共N天
	Over    Phase = "over"    // 已结束
)

// Countdown is the board's header count of a campaign (大干一百天), in
// calendar days in Beijing: day 1 is the campaign's first day, and its last
// day is day Total.
type Countdown struct {
	Phase Phase
	Day   int // today's day of the campaign while it runs, 1…Total
	Total int // the campaign's days, first and last included
	Until int // days from today to the first day, before it starts
	Left  int // days left while it runs, today included: Total − Day + 1
}

// countdown counts a campaign from start to end (both included) as seen on
// today. The three are read as calendar dates in Beijing, whatever their zone
// or time of day, so a server in UTC at 01:00 Beijing counts the new day.
func countdown(start, end, today time.Time) Countdown {
	first, last, now := dayNumber(start), dayNumber(end), dayNumber(today)
	c := Countdown{Total: last - first + 1}
	switch {
	case now < first:
		c.Phase, c.Until = Before, first-now
	case now > last:
		c.Phase = Over
	default:
		c.Phase, c.Day, c.Left = Running, now-first+1, last-now+1
	}
	return c
}

// dayNumber is the Beijing calendar date of t as a count of days since
// 1970-01-01, so that subtracting two gives whole days with no hour to round.
func dayNumber(t time.Time) int {
	y, m, d := t.In(clock.Beijing).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
