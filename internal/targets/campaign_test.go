package targets

import (
	"math"
	"testing"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/clock"
)

func bj(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, clock.Beijing) }

// months builds a year of figures from month → value.
func months(vs map[int]float64) [12]*float64 {
	var out [12]*float64
	for m, v := range vs {
		v := v
		out[m-1] = &v
	}
	return out
}

func TestCampaignStartMonth(t *testing.T) {
	for _, c := range []struct {
		name  string
		start time.Time
		want  int
	}{
		{"mid-September starts from 1-8月", bj(2026, 9, 22), 8},
		{"the 1st of October starts from 1-9月", bj(2026, 10, 1), 9},
		{"the last day of a month", bj(2026, 9, 30), 8},
		{"January starts from nothing", bj(2026, 1, 1), 0},
		{"late January too", bj(2026, 1, 31), 0},
		{"December", bj(2026, 12, 1), 11},
		{"a UTC instant read in Beijing: 30 Sep 17:00 UTC is 1 Oct", time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC), 9},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := CampaignStartMonth(c.start); got != c.want {
				t.Errorf("CampaignStartMonth(%v) = %d, want %d", c.start, got, c.want)
			}
		})
	}
}

func TestCampaign(t *testing.T) {
	// 大干一百天: 22 September to 31 December 2026, 101 days; 3 December is
	// day 73 with 29 days left (today included).
	start, end := bj(2026, 9, 22), bj(2026, 12, 31)
	today := bj(2026, 12, 3)
	base := CampaignInput{Start: start, End: end, Today: today, Year: 2026, Measure: MeasureCumulative, Kind: KindValue, Direction: Higher, Target: 1000}
	with := func(f func(*CampaignInput)) CampaignInput { in := base; f(&in); return in }
	weeks29 := 29.0 / 7

	type want struct {
		task, done, completion, pace *float64
		share                        float64
		startMonth, daysLeft         int
		met, onPace                  bool
	}
	for _, c := range []struct {
		name string
		in   CampaignInput
		want *want // nil: no campaign task
	}{
		{"behind the campaign's clock", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{8: 600, 10: 800}) }),
			&want{task: f(400), done: f(200), completion: f(0.5), pace: f(200 / weeks29), share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"on pace", with(func(in *CampaignInput) {
			in.Figures = months(map[int]float64{6: 300, 8: 600, 9: 700, 10: 800, 11: 900})
		}),
			&want{task: f(400), done: f(300), completion: f(0.75), pace: f(100 / weeks29), share: 73.0 / 101, startMonth: 8, daysLeft: 29, onPace: true}},
		{"exactly on pace is on pace", with(func(in *CampaignInput) {
			in.Target, in.Figures = 101, months(map[int]float64{8: 0, 11: 73})
		}), &want{task: f(101), done: f(73), completion: f(73.0 / 101), pace: f(28 / weeks29), share: 73.0 / 101, startMonth: 8, daysLeft: 29, onPace: true}},
		{"reached during the campaign: nothing more needed", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{8: 600, 11: 1100}) }),
			&want{task: f(400), done: f(500), completion: f(1.25), pace: f(0), share: 73.0 / 101, startMonth: 8, daysLeft: 29, met: true, onPace: true}},
		{"already met at the start: no task", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{8: 1200, 11: 1300}) }),
			&want{task: f(0), done: f(100), pace: f(0), share: 73.0 / 101, startMonth: 8, daysLeft: 29, met: true, onPace: true}},
		{"met at the start, then corrected below the target: owes its way back to the target", with(func(in *CampaignInput) {
			in.Figures = months(map[int]float64{8: 1050, 10: 980})
		}), &want{task: f(0), done: f(-70), pace: f(20 / weeks29), share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"a correction lowered the figure below the start: negative done", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{8: 600, 10: 550}) }),
			&want{task: f(400), done: f(-50), completion: f(-0.125), pace: f(450 / weeks29), share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"no figure since the start: nothing done yet", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{8: 600}) }),
			&want{task: f(400), done: f(0), completion: f(0), pace: f(400 / weeks29), share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"start month's figure missing: the task is not told", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{7: 500, 9: 700, 10: 800}) }),
			&want{share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"no figure before the start at all", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{10: 800}) }),
			&want{share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"no figure at all", base, &want{share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"a non-finite start figure is no figure", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{8: math.NaN(), 10: 800}) }),
			&want{share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"a non-finite later figure is skipped", with(func(in *CampaignInput) { in.Figures = months(map[int]float64{8: 600, 10: 800, 11: math.Inf(1)}) }),
			&want{task: f(400), done: f(200), completion: f(0.5), pace: f(200 / weeks29), share: 73.0 / 101, startMonth: 8, daysLeft: 29}},
		{"January start counts from nothing", with(func(in *CampaignInput) {
			in.Start, in.End, in.Today = bj(2026, 1, 1), bj(2026, 4, 10), bj(2026, 3, 1)
			in.Figures = months(map[int]float64{1: 200, 2: 350})
		}), &want{task: f(1000), done: f(350), completion: f(0.35), pace: f(650 / (41.0 / 7)), share: 60.0 / 100, startMonth: 0, daysLeft: 41}},
		{"a campaign starting on the 1st counts from the month before", with(func(in *CampaignInput) {
			in.Start = bj(2026, 10, 1)
			in.Figures = months(map[int]float64{8: 600, 9: 700, 11: 900})
		}), &want{task: f(300), done: f(200), completion: f(2.0 / 3), pace: f(100 / weeks29), share: 64.0 / 92, startMonth: 9, daysLeft: 29}},
		{"before the start: no day gone, every day left", with(func(in *CampaignInput) {
			in.Today = bj(2026, 9, 1)
			in.Figures = months(map[int]float64{8: 600})
		}), &want{task: f(400), done: f(0), completion: f(0), pace: f(400 / (101.0 / 7)), share: 0, startMonth: 8, daysLeft: 101, onPace: true}},
		{"the first day is day 1", with(func(in *CampaignInput) {
			in.Today = start
			in.Figures = months(map[int]float64{8: 600})
		}), &want{task: f(400), done: f(0), completion: f(0), pace: f(400 / (101.0 / 7)), share: 1.0 / 101, startMonth: 8, daysLeft: 101}},
		{"the last day: all days gone, one day's worth left", with(func(in *CampaignInput) {
			in.Today = end
			in.Figures = months(map[int]float64{8: 600, 11: 900})
		}), &want{task: f(400), done: f(300), completion: f(0.75), pace: f(100 * 7), share: 1, startMonth: 8, daysLeft: 1}},
		{"over: no pace", with(func(in *CampaignInput) {
			in.Today = bj(2027, 1, 5)
			in.Figures = months(map[int]float64{8: 600, 12: 950})
		}), &want{task: f(400), done: f(350), completion: f(0.875), share: 1, startMonth: 8}},
		{"over and met: on pace, still no pace", with(func(in *CampaignInput) {
			in.Today = bj(2027, 1, 5)
			in.Figures = months(map[int]float64{8: 600, 12: 1000})
		}), &want{task: f(400), done: f(400), completion: f(1), share: 1, startMonth: 8, met: true, onPace: true}},
		{"a zero target is met by any non-negative figure", with(func(in *CampaignInput) {
			in.Target, in.Figures = 0, months(map[int]float64{8: 0, 10: 0})
		}), &want{task: f(0), done: f(0), pace: f(0), share: 73.0 / 101, startMonth: 8, daysLeft: 29, met: true, onPace: true}},
		{"a leap year's campaign across February", with(func(in *CampaignInput) {
			in.Year = 2028
			in.Start, in.End, in.Today = bj(2028, 2, 15), bj(2028, 3, 15), bj(2028, 3, 1)
			in.Figures = months(map[int]float64{1: 100, 2: 300})
		}), &want{task: f(900), done: f(200), completion: f(2.0 / 9), pace: f(700 / (15.0 / 7)), share: 16.0 / 30, startMonth: 1, daysLeft: 15}},
		{"measured on a UTC clock at 01:00 Beijing the new day counts", with(func(in *CampaignInput) {
			in.Today = time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC)
			in.Figures = months(map[int]float64{8: 600, 10: 800})
		}), &want{task: f(400), done: f(200), completion: f(0.5), pace: f(200 / weeks29), share: 73.0 / 101, startMonth: 8, daysLeft: 29}},

		{"a ceiling has no campaign task", with(func(in *CampaignInput) { in.Direction = Lower; in.Figures = months(map[int]float64{8: 6, 10: 8}) }), nil},
		{"a month-end value has no campaign task", with(func(in *CampaignInput) { in.Measure = MeasurePoint; in.Figures = months(map[int]float64{8: 6}) }), nil},
		{"a growth rate has no campaign task", with(func(in *CampaignInput) { in.Kind = KindGrowth; in.Target = 8 }), nil},
		{"a campaign of another year", with(func(in *CampaignInput) { in.Year = 2025; in.Figures = months(map[int]float64{8: 600}) }), nil},
		{"a non-finite target", with(func(in *CampaignInput) { in.Target = math.NaN() }), nil},
		{"a campaign ending before it starts", with(func(in *CampaignInput) { in.End = bj(2026, 9, 1) }), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Campaign(c.in)
			if c.want == nil {
				if got != nil {
					t.Fatalf("Campaign = %+v, want nil", *got)
				}
				return
			}
			if got == nil {
				t.Fatal("Campaign = nil, want a campaign task")
			}
			w := c.want
			checkPtr(t, "Task", got.Task, w.task)
			checkPtr(t, "Done", got.Done, w.done)
			checkPtr(t, "Completion", got.Completion, w.completion)
			checkPtr(t, "PacePerWeek", got.PacePerWeek, w.pace)
			if math.Abs(got.ShareOfDays-w.share) > 1e-12 {
				t.Errorf("ShareOfDays = %v, want %v", got.ShareOfDays, w.share)
			}
			if got.StartMonth != w.startMonth {
				t.Errorf("StartMonth = %d, want %d", got.StartMonth, w.startMonth)
			}
			if (got.StartFigure == nil) != (w.task == nil) {
				t.Errorf("StartFigure = %v, want known = %v", got.StartFigure, w.task != nil)
			}
			if got.DaysLeft != w.daysLeft {
				t.Errorf("DaysLeft = %d, want %d", got.DaysLeft, w.daysLeft)
			}
			if got.Met != w.met {
				t.Errorf("Met = %v, want %v", got.Met, w.met)
			}
			if got.OnPace() != w.onPace {
				t.Errorf("OnPace = %v, want %v", got.OnPace(), w.onPace)
			}
		})
	}
}

func checkPtr(t *testing.T, name string, got, want *float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, want %v", name, show(got), show(want))
	case math.Abs(*got-*want) > 1e-9*max(1, math.Abs(*want)):
		t.Errorf("%s = %v, want %v", name, *got, *want)
	}
}

func TestCampaignOfYear(t *testing.T) {
	spring := org.Campaign{ID: 1, Start: bj(2026, 3, 1), End: bj(2026, 5, 31)}
	summer := org.Campaign{ID: 2, Start: bj(2026, 6, 1), End: bj(2026, 8, 31)}
	autumn := org.Campaign{ID: 3, Start: bj(2026, 9, 22), End: bj(2026, 12, 31)}
	for _, c := range []struct {
		name      string
		today     time.Time
		have, add org.Campaign
		want      int64
	}{
		{"the first one found", bj(2026, 4, 1), org.Campaign{}, spring, 1},
		{"the running one over one that ended", bj(2026, 10, 1), summer, autumn, 3},
		{"the running one over one to come", bj(2026, 4, 1), autumn, spring, 1},
		{"the running one kept", bj(2026, 7, 1), summer, spring, 2},
		{"between two: the latest that started", bj(2026, 9, 1), spring, summer, 2},
		{"the latest that started, whichever came first", bj(2026, 9, 1), summer, spring, 2},
		{"none started: the first to come", bj(2026, 1, 10), autumn, summer, 2},
		{"none started: the first to come kept", bj(2026, 1, 10), spring, autumn, 1},
		{"on a campaign's first day it runs", bj(2026, 9, 22), summer, autumn, 3},
		{"on its last day it still runs", bj(2026, 8, 31), autumn, summer, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ofYear(c.have, c.add, c.today); got.ID != c.want {
				t.Errorf("ofYear = campaign %d, want %d", got.ID, c.want)
			}
		})
	}
}
