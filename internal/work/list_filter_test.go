package work_test

import (
	"context"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// TestListFiltersMatchTheirRules: each of the register's filters keeps exactly the demo's
// tasks its rule names, read against the whole register in Go, so the SQL
// and the rule cannot drift apart.
func TestListFiltersMatchTheirRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d)
		ctx := w.as(t, "duban")
		all, err := w.s.Tasks(ctx, work.Filter{}, db.All(1000))
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < 30 {
			t.Fatalf("the demo register holds %d tasks, want its forty", len(all))
		}
		meeting, leader := work.FromMeeting, all[0].LeaderID
		cases := []struct {
			name string
			f    work.Filter
			keep func(work.Task) bool
		}{
			{"source 会议", work.Filter{Source: &meeting}, func(t work.Task) bool { return t.Source == work.FromMeeting }},
			{"the first task's leader", work.Filter{LeaderID: &leader}, func(t work.Task) bool { return t.LeaderID == leader }},
			{"due in December", work.Filter{DueAfter: "2026-12-01", DueBefore: "2026-12-31"}, func(t work.Task) bool { return t.Deadline >= "2026-12-01" && t.Deadline <= "2026-12-31" }},
			{"due by 30 November", work.Filter{DueBefore: "2026-11-30"}, func(t work.Task) bool { return t.Deadline <= "2026-11-30" }},
			{"progress under 50%", work.Filter{ProgressBelow: ptr(50)}, func(t work.Task) bool { return t.Progress < 50 }},
			{"meetings due in December under 50%", work.Filter{Source: &meeting, DueAfter: "2026-12-01", ProgressBelow: ptr(50)},
				func(t work.Task) bool {
					return t.Source == work.FromMeeting && t.Deadline >= "2026-12-01" && t.Progress < 50
				}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				want := map[int64]bool{}
				for _, task := range all {
					if c.keep(task) {
						want[task.ID] = true
					}
				}
				got, err := w.s.Tasks(ctx, c.f, db.All(1000))
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Errorf("%d tasks, want %d", len(got), len(want))
				}
				for _, task := range got {
					if !want[task.ID] {
						t.Errorf("task %d %q kept, its rule says no", task.ID, task.Title)
					}
				}
				if len(want) == 0 || len(want) == len(all) {
					t.Errorf("the demo has %d of %d tasks for this rule: the case tests nothing", len(want), len(all))
				}
			})
		}
	})
}

// TestKeptTotalsFollowTheRegister: the township's totals are kept between
// requests, yet a new task, a move of one and a change written straight
// to the table (as another instance or a later room would) each show in
// the next total.
func TestKeptTotalsFollowTheRegister(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d)
		ctx := w.as(t, "duban")
		total := func(f work.Filter) int {
			t.Helper()
			l := db.All(1) // a page of one: the total is what is asked
			p := &countingPager{Pager: l}
			if _, err := w.s.Tasks(ctx, f, p); err != nil {
				t.Fatal(err)
			}
			return p.total
		}
		red := work.Red
		all, overdue := total(work.Filter{}), total(work.Filter{Light: &red})
		if again := total(work.Filter{}); again != all {
			t.Fatalf("the same total asked twice: %d then %d", all, again)
		}
		if _, err := w.s.Create(ctx, w.input("新增督办事项：冬季防火检查")); err != nil {
			t.Fatal(err)
		}
		if got := total(work.Filter{}); got != all+1 {
			t.Errorf("after a new task the total is %d, want %d", got, all+1)
		}
		// Straight to the table: an open task's deadline moved into the past.
		if _, err := d.ExecContext(context.Background(), `UPDATE tasks SET deadline = '2026-11-01', assigned_on = '2026-10-01'
			WHERE id = (SELECT MIN(id) FROM tasks WHERE deadline > '2026-11-25' AND state NOT IN ('closed', 'stopped'))`); err != nil {
			t.Fatal(err)
		}
		if got := total(work.Filter{Light: &red}); got != overdue+1 {
			t.Errorf("after a deadline moved into the past %d overdue, want %d", got, overdue+1)
		}
	})
}

// countingPager remembers the total a list sets.
type countingPager struct {
	db.Pager
	total int
}

func (p *countingPager) SetTotal(n int) { p.total = n }
