package targets_test

import (
	"context"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/targets"
)

// current returns the current figure of a period from a target's history.
func current(t *testing.T, s *targets.Store, ctx context.Context, id int64, period string) targets.Figure {
	t.Helper()
	hist, err := s.History(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range hist {
		if f.Period == period {
			return f
		}
	}
	t.Fatalf("target %d has no figure for %s", id, period)
	return targets.Figure{}
}

func TestAddFigureEntryRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		tax := findRow(t, rows, "入库税收", "XX镇")
		aug, sep, oct := current(t, s, ctx, tax.ID, "2026-08"), current(t, s, ctx, tax.ID, "2026-09"), current(t, s, ctx, tax.ID, "2026-10")
		if oct.LastYear == nil {
			t.Fatal("the demo's October has no 去年同期")
		}
		tests := []struct {
			name   string
			in     targets.FigureInput
			field  string // "" when accepted
			detail string
			msg    string // a part of the Chinese message
		}{
			{"below September", targets.FigureInput{Period: "2026-10", Value: ptr(sep.Value - 100), Reason: "更正"}, "correction", targets.DetailDecrease, "低于2026年1-9月"},
			{"above October, for August", targets.FigureInput{Period: "2026-08", Value: ptr(oct.Value + 100), Reason: "更正"}, "correction", targets.DetailDecrease, "高于2026年1-9月"},
			{"a correction of October without a reason", targets.FigureInput{Period: "2026-10", Value: ptr(oct.Value + 1)}, "reason", targets.DetailReasonRequired, "更正原因"},
			{"亿元 written for 万元", targets.FigureInput{Period: "2026-10", Value: ptr(oct.Value * 10000), Reason: "更正"}, "confirm", targets.DetailUnitSuspect, "约1万倍"},
			{"亿元 written for 万元, confirmed", targets.FigureInput{Period: "2026-10", Value: ptr(oct.Value * 10000), Reason: "核实无误", Confirm: true}, "", "", ""},
			{"September below August, entered as a correction", targets.FigureInput{Period: "2026-09", Value: ptr(aug.Value - 1), Reason: "9月多报", Correction: true}, "", "", ""},
		}
		msgs := i18n.New(targets.Messages()...)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := countFigures(t, d)
				_, err := s.AddFigure(ctx, tax.ID, tt.in)
				after := countFigures(t, d)
				if tt.field == "" {
					if err != nil {
						t.Fatalf("AddFigure: %v", err)
					}
					if after != before+1 {
						t.Errorf("figures %d → %d, want one more", before, after)
					}
					return
				}
				pe := platform.AsError(err)
				if pe.Code != platform.Invalid || pe.Field != tt.field || pe.Detail != tt.detail {
					t.Fatalf("err = %v (detail %q), want invalid on %s with %s", err, pe.Detail, tt.field, tt.detail)
				}
				if got := msgs.T("zh", pe.Key, pe.Args...); !strings.Contains(got, tt.msg) {
					t.Errorf("message %q, want it to say %q", got, tt.msg)
				}
				if after != before {
					t.Errorf("figures %d → %d after a refused figure", before, after)
				}
			})
		}
	})
}

// A correction keeps its reason in the history and the audit log, and a
// field an API correction leaves out keeps the kept value.
func TestCorrectionReasonAndKeptValues(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		rows, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
		tax := findRow(t, rows, "入库税收", "XX镇")
		oct := current(t, s, ctx, tax.ID, "2026-10")
		f, err := s.AddFigure(ctx, tax.ID, targets.FigureInput{Period: "2026-10", Value: ptr(oct.Value + 50), Reason: "统计局反馈", Source: "api", KeepEmpty: true})
		if err != nil {
			t.Fatal(err)
		}
		got := current(t, s, ctx, tax.ID, "2026-10")
		if got.ID != f.ID || got.Reason != "统计局反馈" || got.Value != oct.Value+50 {
			t.Errorf("current October %+v, want the correction with its reason", got)
		}
		if got.LastYear == nil || *got.LastYear != *oct.LastYear {
			t.Errorf("去年同期 %v, want the kept %v", got.LastYear, *oct.LastYear)
		}
		row, err := s.Target(ctx, tax.ID)
		if err != nil {
			t.Fatal(err)
		}
		if row.LastYearSame == nil || row.Progress.YoYGrowth == nil {
			t.Errorf("after a value-only correction the target lost its 去年同期 (%v) or YoY growth (%v)", row.LastYearSame, row.Progress.YoYGrowth)
		}
		var before, after string
		if err := d.QueryRowContext(context.Background(), `SELECT before_json, after_json FROM audit_log WHERE entity = 'figure' AND entity_id = $1`, itoa(f.ID)).Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(after, "统计局反馈") || !strings.Contains(before, itoa(oct.ID)) {
			t.Errorf("audit before %s after %s, want the corrected figure and the reason", before, after)
		}
		// Without KeepEmpty (the form sends both fields) an empty 去年同期 is empty.
		if _, err := s.AddFigure(ctx, tax.ID, targets.FigureInput{Period: "2026-10", Value: ptr(oct.Value + 60), Reason: "再次更正"}); err != nil {
			t.Fatal(err)
		}
		if got := current(t, s, ctx, tax.ID, "2026-10"); got.LastYear != nil {
			t.Errorf("去年同期 %v, want none as entered", *got.LastYear)
		}
	})
}

// TestAddFigureAtOnce enters one month's first figure twice at the same
// moment, neither as a correction: one goes in, the other is refused as a
// correction without its reason, never both counted as the first.
func TestAddFigureAtOnce(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		tax := findRow(t, rows, "入库税收", "东湖村") // the demo's 东湖村 has not reported October
		hist, err := s.History(ctx, tax.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range hist {
			if f.Period == "2026-10" {
				t.Fatalf("东湖村 has October already: %+v", f)
			}
		}
		sep := current(t, s, ctx, tax.ID, "2026-09")
		before := countFigures(t, d)
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := s.AddFigure(ctx, tax.ID, targets.FigureInput{Period: "2026-10", Value: ptr(sep.Value + 50)})
				errs <- err
			}()
		}
		var refused int
		for range 2 {
			if err := <-errs; err != nil {
				if platform.AsError(err).Field != "reason" {
					t.Errorf("the second entry: %v, want refused for its reason", err)
				}
				refused++
			}
		}
		if refused != 1 || countFigures(t, d) != before+1 {
			t.Errorf("%d refused and %d figures added, want one of each", refused, countFigures(t, d)-before)
		}
	})
}
