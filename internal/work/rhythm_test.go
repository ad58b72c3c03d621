package work_test

import (
	"context"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := clock.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNextReport(t *testing.T) {
	assigned := "2026-11-02" // a Monday
	cases := []struct {
		name     string
		rhythm   work.Rhythm
		weeks    int
		deadline string
		was      string
		reported string // "" for just assigned
		want     string
	}{
		{"one-off", work.Once, 0, "2026-12-31", "", "", ""},
		{"weekly, just assigned", work.Weekly, 0, "2026-12-31", "", "", "2026-11-09"},
		{"every 2 weeks, just assigned", work.EveryNWeeks, 2, "2026-12-31", "", "", "2026-11-16"},
		{"monthly, just assigned", work.Monthly, 0, "2026-12-31", "", "", "2026-12-02"},
		{"monthly past the deadline", work.Monthly, 0, "2026-11-30", "", "", ""},
		{"reported before the day owed", work.Weekly, 0, "2026-12-31", "2026-11-09", "2026-11-08", "2026-11-16"},
		{"reported on the day owed", work.Weekly, 0, "2026-12-31", "2026-11-09", "2026-11-09", "2026-11-16"},
		{"a second report in the same week owes nothing more", work.Weekly, 0, "2026-12-31", "2026-11-16", "2026-11-10", "2026-11-23"},
		{"reported late: the missed weeks are not owed", work.Weekly, 0, "2026-12-31", "2026-11-09", "2026-11-25", "2026-12-07"},
		{"the next would pass the deadline", work.Weekly, 0, "2026-11-20", "2026-11-16", "2026-11-15", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var reported time.Time
			if c.reported != "" {
				reported = day(t, c.reported).Add(15 * time.Hour)
			}
			got := work.NextReport(c.rhythm, c.weeks, day(t, assigned), day(t, c.deadline), c.was, reported)
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// A resumed task owes the report it owed if that is still to come, else
// the first report day after the day it is resumed: nothing that fell due
// while it was stopped.
func TestResumedReport(t *testing.T) {
	assigned := "2026-11-02" // a Monday; weekly reports on 11-09, 11-16, 11-23, 11-30 …
	cases := []struct {
		name     string
		rhythm   work.Rhythm
		weeks    int
		deadline string
		was      string
		resumed  string
		want     string
	}{
		{"one-off", work.Once, 0, "2026-12-31", "", "2026-11-20", ""},
		{"the report owed is still to come", work.Weekly, 0, "2026-12-31", "2026-11-16", "2026-11-12", "2026-11-16"},
		{"the report owed is due on the day of resumption", work.Weekly, 0, "2026-12-31", "2026-11-16", "2026-11-16", "2026-11-16"},
		{"the report owed fell due while stopped", work.Weekly, 0, "2026-12-31", "2026-11-09", "2026-11-18", "2026-11-23"},
		{"resumed on a report day: the next one", work.Weekly, 0, "2026-12-31", "2026-11-09", "2026-11-23", "2026-11-30"},
		{"every 2 weeks, weeks missed", work.EveryNWeeks, 2, "2026-12-31", "2026-11-16", "2026-12-01", "2026-12-14"},
		{"monthly, a month missed", work.Monthly, 0, "2027-03-31", "2026-12-02", "2027-01-05", "2027-02-02"},
		{"the next would pass the deadline", work.Weekly, 0, "2026-11-22", "2026-11-16", "2026-11-20", ""},
		{"nothing was owed", work.Weekly, 0, "2026-12-31", "", "2026-11-18", "2026-11-23"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := work.ResumedReport(c.rhythm, c.weeks, day(t, assigned), day(t, c.deadline), c.was, day(t, c.resumed).Add(15*time.Hour))
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestClaimAndReportDeadlines(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		now := demoNow // 25 November
		s := &work.Store{DB: d, Now: func() time.Time { return now }}
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		for _, c := range []struct {
			name  string
			edit  func(in *work.Input)
			field string
		}{
			{"claim before assignment", func(in *work.Input) { in.ClaimBy = "2026-10-31" }, "claim_by"},
			{"claim after the deadline", func(in *work.Input) { in.ClaimBy = "2026-12-21" }, "claim_by"},
			{"claim not a date", func(in *work.Input) { in.ClaimBy = "11月3日" }, "claim_by"},
			{"an unknown rhythm", func(in *work.Input) { in.Rhythm = "daily" }, "rhythm"},
			{"every 1 week", func(in *work.Input) { in.Rhythm, in.RhythmWeeks = work.EveryNWeeks, 1 }, "rhythm_weeks"},
			{"every 9 weeks", func(in *work.Input) { in.Rhythm, in.RhythmWeeks = work.EveryNWeeks, 9 }, "rhythm_weeks"},
		} {
			in := w.input("拒绝" + c.name)
			c.edit(&in)
			if _, err := s.Create(office, in); platform.AsError(err).Field != c.field {
				t.Errorf("%s: got %v, want invalid %s", c.name, err, c.field)
			}
		}
		// Assigned 1 November, weekly, claim by default 3 November: by the
		// 25th it is 签收超期.
		in := w.input("每周报送的事项")
		in.Rhythm = work.Weekly
		task, err := s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		if task.ClaimBy != "2026-11-03" || task.NextReport != "2026-11-08" || !task.ClaimLate || task.FeedbackLate {
			t.Fatalf("created: claim %s next %s claimLate %v feedbackLate %v", task.ClaimBy, task.NextReport, task.ClaimLate, task.FeedbackLate)
		}
		ids := func(late string) []int64 {
			t.Helper()
			tasks, err := s.Tasks(office, work.Filter{Late: late}, db.All(100))
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, x := range tasks {
				out = append(out, x.ID)
			}
			return out
		}
		if got := ids(work.LateClaim); len(got) != 1 || got[0] != task.ID {
			t.Errorf("late=claim: %v", got)
		}
		if _, err := s.Take(village, task.ID, 0, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		got, err := s.Task(village, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ClaimLate || !got.FeedbackLate {
			t.Errorf("claimed, no report since 8 November: claimLate %v feedbackLate %v", got.ClaimLate, got.FeedbackLate)
		}
		if got := ids(work.LateFeedback); len(got) != 1 || got[0] != task.ID {
			t.Errorf("late=feedback: %v", got)
		}
		// The sweep cards the missed report yellow.
		if _, err := s.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		cards, err := s.Cards(office, task.ID)
		if err != nil || len(cards) != 1 || cards[0].Cause != work.FeedbackCause || cards[0].Color != work.YellowCard || cards[0].Deadline != "2026-11-08" {
			t.Fatalf("cards after the missed report: %+v %v", cards, err)
		}
		// A report on the 25th answers the week to 29 November: the next is
		// owed on 6 December, and the card comes down.
		after, err := s.Progress(village, task.ID, 0, 30, "已完成摸排")
		if err != nil {
			t.Fatal(err)
		}
		if after.NextReport != "2026-12-06" || after.FeedbackLate {
			t.Errorf("after the report: next %s feedbackLate %v", after.NextReport, after.FeedbackLate)
		}
		if r, err := s.Sweep(context.Background()); err != nil || r.Cleared != 1 || r.Raised != 0 {
			t.Errorf("sweep after the report: %+v %v", r, err)
		}
		if got := ids(work.LateFeedback); len(got) != 0 {
			t.Errorf("late=feedback after the report: %v", got)
		}
	})
}
