package benchdata_test

import (
	"context"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/benchdata"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// TestSeedTasks: the seeded register reads back through the work store as
// the township's statistician sees it: every task of the township, a share
// overdue and a share ended, and the reporter's village leads tasks in
// progress it may report on.
func TestSeedTasks(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := benchdata.Seed(ctx, d, small)
		if err != nil {
			t.Fatal(err)
		}
		today := time.Date(2026, 11, 20, 9, 0, 0, 0, clock.Beijing)
		ts, err := benchdata.SeedTasks(ctx, d, s, 1200, today) // more than one statement's 1,000 rows
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM tasks`); n != 2400 || ts.Count != 2400 {
			t.Errorf("%d tasks written, %d said, want 2,400", n, ts.Count)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM task_units`); n < 400 {
			t.Errorf("%d co-units, want one for about every fourth task", n)
		}
		u, err := (&auth.Store{DB: d}).UserByLogin(ctx, s.Statisticians[0])
		if err != nil {
			t.Fatal(err)
		}
		st := &work.Store{DB: d, Now: func() time.Time { return today }}
		as := auth.WithUser(ctx, u)
		all, err := st.Tasks(as, work.Filter{}, db.All(5000))
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1200 {
			t.Fatalf("the statistician sees %d tasks, want the township's 1,200", len(all))
		}
		overdue, ended := 0, 0
		for _, task := range all {
			if task.Overdue {
				overdue++
			}
			if task.Light == work.NoLight {
				ended++
			}
		}
		if overdue < 100 || ended < 100 || overdue+ended > 1000 {
			t.Errorf("%d overdue and %d ended of 1,200, want a share of each and most open", overdue, ended)
		}
		if len(ts.ReportTasks) == 0 || ts.ReporterToken == "" {
			t.Fatalf("no tasks for the reporter to report on (%d) or no token", len(ts.ReportTasks))
		}
		rep, err := (&auth.Store{DB: d}).UserByLogin(ctx, ts.Reporter)
		if err != nil {
			t.Fatal(err)
		}
		task, err := st.Task(auth.WithUser(ctx, rep), ts.ReportTasks[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Progress(auth.WithUser(ctx, rep), task.ID, task.Version, 60, "已完成六成"); err != nil {
			t.Errorf("the reporter's progress report on a seeded task: %v", err)
		}
		admin, err := (&auth.Store{DB: d}).UserByLogin(ctx, s.Admin)
		if err != nil {
			t.Fatal(err)
		}
		in := work.Input{Title: "压测新增事项", Requirement: "按期办结", Source: work.FromMeeting, LeadUnitID: ts.Village, LeaderID: ts.Leader,
			AssignedOn: "2026-11-20", Deadline: "2026-12-31", Level: work.Normal}
		if _, err := st.Create(auth.WithUser(ctx, admin), in); err != nil {
			t.Errorf("a new task for the seeded village under the seeded leader: %v", err)
		}
	})
}
