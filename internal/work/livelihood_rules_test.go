package work

import (
	"testing"
	"time"

	"guatu/internal/platform/clock"
)

func f64(v float64) *float64 { return &v }

func TestItemProgress(t *testing.T) {
	cases := []struct {
		name           string
		target, actual *float64
		tasks          []taskShare
		want           *float64
	}{
		{"number, nothing recorded", f64(500), nil, nil, f64(0)},
		{"number, part done", f64(500), f64(125), nil, f64(0.25)},
		{"number, over-achieved", f64(10), f64(12), nil, f64(1.2)},
		{"number wins over its tasks", f64(4), f64(1), []taskShare{{status: "closed", progress: 100}}, f64(0.25)},
		{"no number, no task", nil, nil, nil, nil},
		{"no number, tasks averaged", nil, nil, []taskShare{{status: "in_progress", progress: 40}, {status: "closed", progress: 100}}, f64(0.7)},
		{"no number, a stopped task left out", nil, nil, []taskShare{{status: "in_progress", progress: 60}, {status: "stopped", progress: 0}}, f64(0.6)},
		{"no number, only stopped tasks", nil, nil, []taskShare{{status: "stopped", progress: 30}}, nil},
		{"no number, a struck-off task left out", nil, nil, []taskShare{{status: "in_progress", progress: 60}, {status: "struck_off", progress: 10}}, f64(0.6)},
		{"no number, only struck-off tasks", nil, nil, []taskShare{{status: "struck_off", progress: 30}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ItemProgress(c.target, c.actual, c.tasks)
			switch {
			case (got == nil) != (c.want == nil):
				t.Fatalf("got %v, want %v", got, c.want)
			case got != nil && (*got-*c.want > 1e-9 || *c.want-*got > 1e-9):
				t.Fatalf("got %v, want %v", *got, *c.want)
			}
		})
	}
}

func TestExpectedShare(t *testing.T) {
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, clock.Beijing) }
	cases := []struct {
		name string
		year int
		now  time.Time
		want float64
	}{
		{"before the year", 2027, at(2026, 12, 31, 23), 0},
		{"after the year", 2025, at(2026, 1, 1, 0), 1},
		{"1 January", 2026, at(2026, 1, 1, 8), 1.0 / 365},
		{"31 December", 2026, at(2026, 12, 31, 8), 1},
		{"leap year, 29 February", 2028, at(2028, 2, 29, 8), 60.0 / 366},
		{"Beijing's date, not UTC's", 2026, time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC), 1.0 / 365},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ExpectedShare(c.year, c.now); got-c.want > 1e-9 || c.want-got > 1e-9 {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestItemStatus(t *testing.T) {
	june := time.Date(2026, 7, 2, 10, 0, 0, 0, clock.Beijing) // half the year gone
	cases := []struct {
		name           string
		target, actual *float64
		tasks          []taskShare
		want           ItemStatus
	}{
		{"number reached", f64(500), f64(500), nil, Done},
		{"number passed", f64(10), f64(11), []taskShare{{status: "in_progress", progress: 20, overdue: true}}, Done},
		{"nothing recorded", f64(500), nil, nil, NotStarted},
		{"zero recorded", f64(500), f64(0), nil, NotStarted},
		{"ahead of the year", f64(100), f64(60), nil, OnTrack},
		{"behind the year", f64(100), f64(30), nil, Behind},
		{"a little behind, within the band", f64(100), f64(45), nil, OnTrack},
		{"just past the band", f64(1000), f64(399), nil, Behind},
		{"ahead but a task overdue", f64(100), f64(80), []taskShare{{status: "in_progress", progress: 50, overdue: true}}, Behind},
		{"no number, no task", nil, nil, nil, NotStarted},
		{"no number, every task closed", nil, nil, []taskShare{{status: "closed", progress: 100}, {status: "stopped"}}, Done},
		{"no number, only stopped", nil, nil, []taskShare{{status: "stopped", progress: 40}}, NotStarted},
		{"no number, every task closed or struck off", nil, nil, []taskShare{{status: "closed", progress: 100}, {status: "struck_off", progress: 20}}, Done},
		{"no number, only struck off", nil, nil, []taskShare{{status: "struck_off", progress: 40}}, NotStarted},
		{"no number, tasks at 70%", nil, nil, []taskShare{{status: "closed", progress: 100}, {status: "in_progress", progress: 40}}, OnTrack},
		{"no number, tasks at 20%", nil, nil, []taskShare{{status: "in_progress", progress: 20}}, Behind},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := StatusOf(2026, c.target, c.actual, c.tasks, june); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestNumeral(t *testing.T) {
	for n, want := range map[int]string{1: "一", 2: "二", 9: "九", 10: "十", 11: "十一", 0: "〇", 25: ""} {
		if got := Numeral(n); got != want {
			t.Errorf("Numeral(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTimelinessOf(t *testing.T) {
	cases := []struct {
		closed, deadline string
		want             Timeliness
	}{
		{"2026-11-19", "2026-11-20", OnTime},
		{"2026-11-20", "2026-11-20", OnTime}, // on the deadline day itself
		{"2026-11-21", "2026-11-20", Late},
		{"2027-01-02", "2026-12-31", Late},
	}
	for _, c := range cases {
		if got := TimelinessOf(c.closed, c.deadline); got != c.want {
			t.Errorf("closed %s, due %s: got %s, want %s", c.closed, c.deadline, got, c.want)
		}
	}
}

func TestCompletionRate(t *testing.T) {
	cases := []struct {
		name                            string
		all, closed, stopped, struckOff int
		want                            *float64
	}{
		{"none", 0, 0, 0, 0, nil},
		{"every task stopped", 2, 0, 2, 0, nil},
		{"every task struck off", 2, 0, 0, 2, nil},
		{"every task stopped or struck off", 3, 0, 1, 2, nil},
		{"half", 4, 2, 0, 0, f64(0.5)},
		{"stopped ones leave the count while stopped", 5, 2, 1, 0, f64(0.5)},
		{"struck-off ones leave the count", 5, 2, 0, 1, f64(0.5)},
		{"both leave the count", 6, 2, 1, 1, f64(0.5)},
		{"a struck-off task is not a closed one", 3, 0, 0, 1, f64(0)},
		{"all closed", 3, 3, 0, 0, f64(1)},
		{"all the rest closed", 5, 3, 1, 1, f64(1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CompletionRate(c.all, c.closed, c.stopped, c.struckOff)
			if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
