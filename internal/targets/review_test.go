package targets_test

import (
	"context"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// reviewNow is after November's reporting day: November is due and open.
var reviewNow = time.Date(2026, 12, 10, 10, 0, 0, 0, clock.Beijing)

// villageTargets are 双塘村's cumulative targets kept at October, as the
// demo leaves them.
func villageTargets(t *testing.T, s *targets.Store, ctx context.Context) []targets.Row {
	t.Helper()
	rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
	if err != nil {
		t.Fatal(err)
	}
	var out []targets.Row
	for _, r := range rows {
		if r.UnitName == "双塘村" && r.Period == "2026-10" && r.Actual != nil && *r.Actual > 0 && !r.RolledUp &&
			r.Indicator.Measure == targets.MeasureCumulative && r.Indicator.Cadence == targets.Monthly && r.PersonID == nil {
			out = append(out, r)
		}
	}
	if len(out) < 2 {
		t.Fatalf("双塘村 has %d cumulative targets kept at October, want 2 or more", len(out))
	}
	return out
}

func status(t *testing.T, s *targets.Store, ctx context.Context, targetID, figureID int64) targets.Figure {
	t.Helper()
	hist, err := s.History(ctx, targetID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range hist {
		if f.ID == figureID {
			return f
		}
	}
	t.Fatalf("figure %d not in target %d's history", figureID, targetID)
	return targets.Figure{}
}

func queued(t *testing.T, s *targets.Store, ctx context.Context, f targets.ReviewFilter) map[int64]bool {
	t.Helper()
	q, err := s.ReviewQueue(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, it := range q {
		out[it.ID] = true
	}
	return out
}

// TestReviewHoldsReportersFigures: with review on, a reporter's figure waits
// as pending, counts nowhere, yet keeps the target from being late; the
// statistician approves it from the queue and it counts, or returns it with
// a reason and it never does. A re-entry replaces the pending one, which can
// no longer be approved.
func TestReviewHoldsReportersFigures(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := &targets.Store{DB: d, Now: func() time.Time { return reviewNow }}
		tongji, reporter := as(t, d, "tongji"), as(t, d, "shuangtang")
		vt := villageTargets(t, s, reporter)
		off, tax := vt[0], vt[1]
		nov := func(r targets.Row, k float64) *float64 { return ptr(*r.Actual * k) }

		// Review off: the reporter's figure counts at once.
		f, err := s.AddFigure(reporter, off.ID, targets.FigureInput{Period: "2026-11", Value: nov(off, 1.1)})
		if err != nil {
			t.Fatal(err)
		}
		if f.Status != targets.Approved {
			t.Errorf("review off: status %q, want approved", f.Status)
		}

		xx := unitIDByName(t, d, "XX镇")
		if err := s.SetReviewing(reporter, xx, true); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("a village reporter switching the township's review on: %v, want not found", err)
		}
		if err := s.SetReviewing(tongji, xx, true); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'target_settings' AND after_json LIKE '%review%'`); n != 1 {
			t.Errorf("audit entries of the setting: %d, want 1", n)
		}
		village := unitIDByName(t, d, "双塘村")
		lateBefore, err := s.LateCount(tongji, targets.Filter{UnitID: &village, Subtree: true})
		if err != nil {
			t.Fatal(err)
		}
		if before, _ := s.Target(tongji, tax.ID); !before.Late {
			t.Fatalf("target kept at October on 10 December: not late, want late")
		}

		if n, err := s.Remind(tongji, []int64{tax.ID}); err != nil || n != 1 {
			t.Fatalf("催报: %d sent, %v", n, err)
		}
		reminded := func() bool {
			t.Helper()
			rs, err := s.MyReminders(reporter)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				if r.TargetID == tax.ID {
					return true
				}
			}
			return false
		}
		if !reminded() {
			t.Fatal("the reporter was not reminded")
		}
		p1, err := s.AddFigure(reporter, tax.ID, targets.FigureInput{Period: "2026-11", Value: nov(tax, 1.1)})
		if err != nil {
			t.Fatal(err)
		}
		if p1.Status != targets.Pending {
			t.Fatalf("review on: status %q, want pending", p1.Status)
		}
		row, err := s.Target(tongji, tax.ID)
		if err != nil {
			t.Fatal(err)
		}
		if row.Period != "2026-10" || *row.Actual != *tax.Actual {
			t.Errorf("pending figure counted: kept %s %v, want October's %v", row.Period, *row.Actual, *tax.Actual)
		}
		if row.Late {
			t.Errorf("a target with November pending is late, want reported")
		}
		if reminded() {
			t.Errorf("the reporter is still reminded of November with it pending")
		}
		if lateAfter, _ := s.LateCount(tongji, targets.Filter{UnitID: &village, Subtree: true}); lateAfter != lateBefore-1 {
			t.Errorf("late count %d → %d, want one fewer", lateBefore, lateAfter)
		}
		sep := "2026-10"
		for name, tc := range map[string]struct {
			f    targets.ReviewFilter
			want bool
		}{
			"all":         {targets.ReviewFilter{}, true},
			"the village": {targets.ReviewFilter{UnitID: &village}, true},
			"November":    {targets.ReviewFilter{Period: ptrS("2026-11")}, true},
			"October":     {targets.ReviewFilter{Period: &sep}, false},
		} {
			if got := queued(t, s, tongji, tc.f)[p1.ID]; got != tc.want {
				t.Errorf("queue %s holds the figure: %v, want %v", name, got, tc.want)
			}
		}
		if _, err := s.ReviewQueue(reporter, targets.ReviewFilter{}); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a reporter's queue: %v, want forbidden", err)
		}
		if err := s.Review(reporter, []int64{p1.ID}, targets.Decision{Approve: true}); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a reporter approving: %v, want forbidden", err)
		}

		// Entered again before review: the first is replaced and refused.
		p2, err := s.AddFigure(reporter, tax.ID, targets.FigureInput{Period: "2026-11", Value: nov(tax, 1.2)})
		if err != nil {
			t.Fatalf("re-entering a pending figure: %v, want taken without a reason", err)
		}
		if q := queued(t, s, tongji, targets.ReviewFilter{}); q[p1.ID] || !q[p2.ID] {
			t.Errorf("queue after the re-entry: %v, want %d and not %d", q, p2.ID, p1.ID)
		}
		if err := s.Review(tongji, []int64{p1.ID}, targets.Decision{Approve: true}); platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("approving a replaced figure: %v, want conflict", err)
		}
		if got := status(t, s, tongji, tax.ID, p1.ID); got.Status != targets.Replaced {
			t.Errorf("the first entry after the re-entry: %q, want replaced", got.Status)
		}
		// Returned, then entered again lower: the returned figure is not
		// a kept one, so neither a reason nor the decrease rule applies.
		if err := s.Review(tongji, []int64{p2.ID}, targets.Decision{Reason: "口径不对"}); err != nil {
			t.Fatal(err)
		}
		if row, _ := s.Target(tongji, tax.ID); !row.Late {
			t.Errorf("a target whose only November figure was returned is not late, want late")
		}
		p2, err = s.AddFigure(reporter, tax.ID, targets.FigureInput{Period: "2026-11", Value: nov(tax, 1.15)})
		if err != nil {
			t.Fatalf("re-entering a returned figure lower: %v, want taken as a first entry", err)
		}
		if err := s.Review(tongji, []int64{p2.ID}, targets.Decision{Approve: true}); err != nil {
			t.Fatal(err)
		}
		row, _ = s.Target(tongji, tax.ID)
		if row.Period != "2026-11" || *row.Actual != p2.Value {
			t.Errorf("approved figure: kept %s %v, want November's %v", row.Period, *row.Actual, p2.Value)
		}
		if got := status(t, s, tongji, tax.ID, p2.ID); got.Status != targets.Approved || got.ReviewedBy != "tongji" || got.ReviewedAt == nil {
			t.Errorf("approved figure %+v, want approved by tongji", got)
		}
		if err := s.Review(tongji, []int64{p2.ID}, targets.Decision{Approve: true}); platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("approving twice: %v, want conflict", err)
		}

		// A correction of the approved figure, returned with a reason.
		p3, err := s.AddFigure(reporter, tax.ID, targets.FigureInput{Period: "2026-11", Value: nov(tax, 1.3), Reason: "漏报一笔"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Review(tongji, []int64{p3.ID}, targets.Decision{}); platform.ErrorCode(err) != platform.Invalid {
			t.Errorf("returning without a reason: %v, want invalid", err)
		}
		if err := s.Review(tongji, []int64{p3.ID}, targets.Decision{Reason: "与税务数据不符"}); err != nil {
			t.Fatal(err)
		}
		if got := status(t, s, tongji, tax.ID, p3.ID); got.Status != targets.Returned || got.ReviewReason != "与税务数据不符" {
			t.Errorf("returned figure %+v, want returned with the reason", got)
		}
		if row, _ = s.Target(tongji, tax.ID); *row.Actual != p2.Value {
			t.Errorf("after a return the target counts %v, want the approved %v", *row.Actual, p2.Value)
		}
		// p1 replaced by the re-entry, three decisions, and p3, which
		// corrects the approved November and is written as an update from it.
		if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'figure' AND action = 'update'`); n != 5 {
			t.Errorf("audit entries of figure updates: %d, want 5 (a replacement, three decisions and a correction)", n)
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'figure' AND action = 'update' AND entity_id = '`+itoa64(p1.ID)+`' AND before_json LIKE '%"pending"%' AND after_json LIKE '%"replaced"%'`); n != 1 {
			t.Errorf("audit entries of the replaced pending figure: %d, want 1 (pending → replaced)", n)
		}

		// The statistician's own figure counts at once.
		own, err := s.AddFigure(tongji, tax.ID, targets.FigureInput{Period: "2026-11", Value: nov(tax, 1.25), Reason: "按税务数据"})
		if err != nil {
			t.Fatal(err)
		}
		if own.Status != targets.Approved {
			t.Errorf("statistician's figure: %q, want approved", own.Status)
		}
		diffs, err := s.CheckProgress(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, diff := range diffs {
			t.Error(diff)
		}
	})
}

func ptrS(s string) *string { return &s }

// A reporter's import into a reviewing township is pending like the form's
// figures: the rows wait in the queue and the targets keep counting the
// figures before them.
func TestImportByReporterIsPending(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := importStore(d)
		tongji, reporter := as(t, d, "tongji"), as(t, d, "shuangtang")
		if err := s.SetReviewing(tongji, unitIDByName(t, d, "XX镇"), true); err != nil {
			t.Fatal(err)
		}
		id, oct := villageOctober(t, d)
		tg, err := s.Target(reporter, id)
		if err != nil {
			t.Fatal(err)
		}
		data := sheetFile(t, "双塘村2026年1-10月主要经济指标完成情况", []any{"指标名称", "计量单位", "1-10月累计", "去年同期"},
			[]any{tg.Indicator.Name, tg.Indicator.MeasureUnit, oct + 5, ""})
		p, err := s.StartImport(reporter, targets.ImportInput{Filename: "10月.xlsx", Data: data, UnitID: unitIDByName(t, d, "双塘村"), Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CommitImport(reporter, p.Token, targets.Confirm{Figures: true}); err != nil {
			t.Fatalf("commit: %+v %v", p.Problems, err)
		}
		q, err := s.ReviewQueue(tongji, targets.ReviewFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(q) != 1 || q[0].TargetID != id || q[0].Value != oct+5 || q[0].Source != "import" || q[0].Status != targets.Pending {
			t.Errorf("queue %+v, want the imported row pending", q)
		}
		if row, _ := s.Target(tongji, id); *row.Actual != oct {
			t.Errorf("the target counts %v with the import pending, want %v", *row.Actual, oct)
		}
	})
}
