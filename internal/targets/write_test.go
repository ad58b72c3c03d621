package targets

import (
	"fmt"
	"testing"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
)

func TestPeriodEnded(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, clock.Beijing) }
	tests := []struct {
		name        string
		year, month int
		today       time.Time
		want        bool
	}{
		{"last month", 2026, 11, day(2026, 12, 2), true},
		{"the current month", 2026, 12, day(2026, 12, 2), false},
		{"the current month on its last day", 2026, 12, day(2026, 12, 31), false},
		{"December on New Year's Day", 2026, 12, day(2027, 1, 1), true},
		{"a month of next year", 2027, 1, day(2026, 12, 2), false},
		{"a month of last year", 2025, 12, day(2026, 1, 1), true},
		{"February in a leap year, on its 29th", 2028, 2, day(2028, 2, 29), false},
		{"February in a leap year, on 1 March", 2028, 2, day(2028, 3, 1), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := periodEnded(tc.year, tc.month, tc.today); got != tc.want {
				t.Errorf("periodEnded(%d, %d, %s) = %v, want %v", tc.year, tc.month, tc.today.Format(clock.DateFormat), got, tc.want)
			}
		})
	}
}

// The server's own zone does not move the rule: 16:30 UTC on 30 November is
// already 1 December in Beijing, when November has ended.
func TestCheckFigureReadsBeijing(t *testing.T) {
	v := 1.0
	ind := Indicator{NonNegative: true, Cadence: Monthly}
	at := time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)
	in := FigureInput{Period: "2026-11", Value: &v}
	if err := checkFigure(&in, ind, 2026, clock.Today(at)); err != nil {
		t.Errorf("November on 1 December Beijing time: %v", err)
	}
	in = FigureInput{Period: "2026-12", Value: &v}
	err := checkFigure(&in, ind, 2026, clock.Today(time.Date(2026, 12, 2, 10, 0, 0, 0, clock.Beijing)))
	if err == nil {
		t.Fatal("December accepted on 2 December")
	}
	pe := platform.AsError(err)
	if got, want := fmt.Sprint(pe.Field, pe.Key, pe.Args), fmt.Sprint("period", "target.err.future_period", []any{2026, 12, 2027, 1, 1}); got != want {
		t.Errorf("refusal %s, want %s", got, want)
	}
	if got, want := i18n.New(coreMessages).T("zh", pe.Key, pe.Args...), "2026年12月尚未结束，该月数据自2027年1月1日起可填报"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestEntryPeriods(t *testing.T) {
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, clock.Beijing)
	tests := []struct {
		name       string
		year       int
		first, len int
	}{
		{"this year stops at last month", 2026, 11, 11},
		{"last year has all twelve", 2025, 12, 12},
		{"next year has none", 2027, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := entryPeriods(tc.year, today)
			if len(got) != tc.len {
				t.Fatalf("%d months, want %d", len(got), tc.len)
			}
			if tc.len > 0 && got[0].Month != tc.first {
				t.Errorf("first choice month %d, want %d", got[0].Month, tc.first)
			}
		})
	}
}
