package board

import (
	"testing"
	"time"

	"guatu/internal/platform/clock"
)

func TestCountdown(t *testing.T) {
	bj := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, clock.Beijing) }
	// The demo's campaign: 23 September to 31 December, 100 days.
	start, end := bj(2026, 9, 23), bj(2026, 12, 31)
	tests := []struct {
		name              string
		start, end, today time.Time
		want              Countdown
	}{
		{"first day", start, end, start, Countdown{Phase: Running, Day: 1, Total: 100, Left: 100}},
		{"second day", start, end, bj(2026, 9, 24), Countdown{Phase: Running, Day: 2, Total: 100, Left: 99}},
		{"last day", start, end, end, Countdown{Phase: Running, Day: 100, Total: 100, Left: 1}},
		{"the day before the start", start, end, bj(2026, 9, 22), Countdown{Phase: Before, Total: 100, Until: 1}},
		{"a month before the start", start, end, bj(2026, 8, 23), Countdown{Phase: Before, Total: 100, Until: 31}},
		{"the day after the end", start, end, bj(2027, 1, 1), Countdown{Phase: Over, Total: 100}},
		{"a year after the end", start, end, bj(2027, 12, 31), Countdown{Phase: Over, Total: 100}},
		{"one-day campaign on its day", bj(2026, 5, 1), bj(2026, 5, 1), bj(2026, 5, 1), Countdown{Phase: Running, Day: 1, Total: 1, Left: 1}},
		{"leap year: across 29 February", bj(2028, 2, 1), bj(2028, 3, 31), bj(2028, 3, 1), Countdown{Phase: Running, Day: 30, Total: 60, Left: 31}},
		{"leap year: on 29 February", bj(2028, 2, 1), bj(2028, 3, 31), bj(2028, 2, 29), Countdown{Phase: Running, Day: 29, Total: 60, Left: 32}},
		{"not a leap year: same dates", bj(2027, 2, 1), bj(2027, 3, 31), bj(2027, 3, 1), Countdown{Phase: Running, Day: 29, Total: 59, Left: 31}},
		{"whole leap year", bj(2028, 1, 1), bj(2028, 12, 31), bj(2028, 12, 31), Countdown{Phase: Running, Day: 366, Total: 366, Left: 1}},
		// 23:30 UTC on 22 September is 07:30 on 23 September in Beijing: day 1.
		{"UTC evening is the next Beijing day", start, end, time.Date(2026, 9, 22, 23, 30, 0, 0, time.UTC), Countdown{Phase: Running, Day: 1, Total: 100, Left: 100}},
		// 15:59 UTC on 31 December is 23:59 in Beijing: still the last day.
		{"late on the last day in Beijing", start, end, time.Date(2026, 12, 31, 15, 59, 0, 0, time.UTC), Countdown{Phase: Running, Day: 100, Total: 100, Left: 1}},
		{"just after midnight in Beijing after the end", start, end, time.Date(2026, 12, 31, 16, 1, 0, 0, time.UTC), Countdown{Phase: Over, Total: 100}},
		{"a time of day on the dates is ignored", start.Add(20 * time.Hour), end, bj(2026, 9, 23).Add(2 * time.Hour), Countdown{Phase: Running, Day: 1, Total: 100, Left: 100}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := countdown(tc.start, tc.end, tc.today); got != tc.want {
				t.Errorf("countdown(%s, %s, %s) = %+v, want %+v", tc.start.Format(time.RFC3339), tc.end.Format(time.RFC3339), tc.today.Format(time.RFC3339), got, tc.want)
			}
		})
	}
}
