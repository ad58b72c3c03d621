package targets_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestDatedFigures: a 调度数 stands at a day of a month not yet ended
// (截至11月20日) and is measured by the days elapsed; the weekly 调度 moves
// on without a reason, the same day again is a correction, an earlier day
// or a day to come is refused; once the month's statistic is in no 调度数
// is taken for it, and the statistic supersedes the 调度数 without a
// reason. A 调度数 reports no month: without November's statistic the
// target is 未报 in December though its latest figure is November's.
func TestDatedFigures(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d) // 25 November 2026
		ctx := as(t, d, "tongji")
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		tax := findRow(t, rows, "入库税收", "XX镇")
		oct := current(t, s, ctx, tax.ID, "2026-10")
		add := func(s *targets.Store, in targets.FigureInput) error {
			_, err := s.AddFigure(ctx, tax.ID, in)
			return err
		}
		refused := func(what string, err error, field, key string) {
			t.Helper()
			e := platform.AsError(err)
			if err == nil || e.Field != field || e.Key != key {
				t.Errorf("%s: %v, want %s on %s", what, err, key, field)
			}
		}
		if err := add(s, targets.FigureInput{AsOf: "2026-11-20", Value: ptr(oct.Value + 100)}); err != nil {
			t.Fatalf("a 调度数 of 20 November: %v", err)
		}
		got, err := s.Target(ctx, tax.ID)
		if err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 11, 20, 0, 0, 0, 0, clock.Beijing)
		if got.Period != "2026-11" || got.AsOf != "2026-11-20" || *got.Actual != oct.Value+100 || got.Progress.ExpectedShare != targets.ExpectedShareDate(day) {
			t.Errorf("the row counts %s %s %v at share %v, want 2026-11 2026-11-20 %v at %v", got.Period, got.AsOf, *got.Actual, got.Progress.ExpectedShare, oct.Value+100, targets.ExpectedShareDate(day))
		}
		if got.Late {
			t.Error("late on 25 November with October's statistic in")
		}
		year := 2026
		if sum, err := s.Summarize(ctx, targets.Filter{Year: &year}); err != nil || sum.AsOf != "2026-10" {
			t.Errorf("the figures are said to reach %q (%v), want October's statistics: a 调度数 reports no month", sum.AsOf, err)
		}
		refused("a day to come", add(s, targets.FigureInput{AsOf: "2026-11-26", Value: ptr(oct.Value + 200)}), "as_of", "target.err.future_as_of")
		refused("an earlier day", add(s, targets.FigureInput{AsOf: "2026-11-18", Value: ptr(oct.Value + 50)}), "as_of", "target.err.as_of_earlier")
		refused("a day whose statistic is in", add(s, targets.FigureInput{AsOf: "2026-10-15", Value: ptr(oct.Value)}), "as_of", "target.err.as_of_after_statistic")
		refused("below October's statistic", add(s, targets.FigureInput{AsOf: "2026-11-22", Value: ptr(oct.Value - 1)}), "correction", "target.err.below_earlier")
		refused("a day that is no date", add(s, targets.FigureInput{AsOf: "11月22日", Value: ptr(oct.Value + 150)}), "as_of", "target.err.bad_as_of")
		refused("a day outside the month named", add(s, targets.FigureInput{Period: "2026-10", AsOf: "2026-11-22", Value: ptr(oct.Value + 150)}), "as_of", "target.err.as_of_month")
		if err := add(s, targets.FigureInput{AsOf: "2026-11-24", Value: ptr(oct.Value + 150)}); err != nil {
			t.Errorf("the next week's 调度数, without a reason: %v", err)
		}
		refused("the same day again without a reason", add(s, targets.FigureInput{AsOf: "2026-11-24", Value: ptr(oct.Value + 160)}), "reason", "target.err.reason_required")
		if err := add(s, targets.FigureInput{AsOf: "2026-11-24", Value: ptr(oct.Value + 160), Reason: "税务口径调整"}); err != nil {
			t.Errorf("the same day corrected with a reason: %v", err)
		}

		// 10 December: November's statistic is due (the 5th has passed).
		dec := &targets.Store{DB: d, Now: func() time.Time { return time.Date(2026, 12, 10, 10, 0, 0, 0, clock.Beijing) }}
		if got, err = dec.Target(ctx, tax.ID); err != nil {
			t.Fatal(err)
		}
		if !got.Late {
			t.Error("November's 调度数 stands in for November's statistic: not 未报 on 10 December")
		}
		if err := add(dec, targets.FigureInput{Period: "2026-11", Value: ptr(oct.Value + 170)}); err != nil {
			t.Fatalf("November's statistic after its 调度数, without a reason: %v", err)
		}
		if got, err = dec.Target(ctx, tax.ID); err != nil {
			t.Fatal(err)
		}
		if got.AsOf != "" || got.Period != "2026-11" || *got.Actual != oct.Value+170 || got.Late || got.Progress.ExpectedShare != targets.ExpectedShareMonth(11) {
			t.Errorf("after the statistic: %s %q %v late %v share %v", got.Period, got.AsOf, *got.Actual, got.Late, got.Progress.ExpectedShare)
		}
		refused("a 调度数 after the statistic", add(dec, targets.FigureInput{AsOf: "2026-11-30", Value: ptr(oct.Value + 170)}), "as_of", "target.err.as_of_after_statistic")
		if err := add(dec, targets.FigureInput{AsOf: "2026-12-08", Value: ptr(oct.Value + 180)}); err != nil {
			t.Errorf("December's first 调度数: %v", err)
		}
		if problems, err := dec.CheckProgress(ctx); err != nil || len(problems) > 0 {
			t.Errorf("the kept progress disagrees with a fresh evaluation: %v %v", problems, err)
		}
	})
}

// TestDatedFigurePages: the figure form takes a 调度数 by its day; the
// history tags it and the list reads "截至11月20日".
func TestDatedFigurePages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		tongji := login("tongji")
		ctx := as(t, d, "tongji")
		s := store(d)
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		tax := findRow(t, rows, "入库税收", "XX镇")
		oct := current(t, s, ctx, tax.ID, "2026-10")
		page := "/targets/" + itoa64(tax.ID)
		v := strconv.FormatFloat(oct.Value+100, 'f', -1, 64)
		if status, body, _ := tongji.post(page+"/figures", url.Values{"period": {"2026-10"}, "as_of": {"2026-11-20"}, "value": {v}}); status != http.StatusSeeOther {
			t.Fatalf("a 调度数 from the form: %d\n%.600s", status, body)
		}
		if _, body, _ := tongji.get(page); !strings.Contains(body, `data-testid="as-of"`) || !strings.Contains(body, "截至11月20日") {
			t.Error("the target's page does not show the 调度数 as of 20 November")
		}
		if _, body, _ := tongji.get("/targets?unit=" + itoa64(tax.UnitID)); !strings.Contains(body, "截至11月20日") {
			t.Error("the list does not read 截至11月20日")
		}
		if status, body, _ := tongji.post(page+"/figures", url.Values{"as_of": {"2026-11-30"}, "value": {v}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-as_of"`) {
			t.Errorf("a day to come: %d, want 422 next to the day", status)
		}
	})
}
