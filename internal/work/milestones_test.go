package work_test

import (
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// TestMilestones: the office sets a task's dated steps; each must fall
// between assignment and deadline and say what it is; the lead unit marks
// them done once the task is claimed; a step past its day undone is late.
func TestMilestones(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d) // today is 25 November
		office, village, helper := w.as(t, "duban"), w.as(t, "shuangtang"), w.as(t, "donghu")
		for _, c := range []struct {
			name string
			ms   []work.MilestoneInput
		}{
			{"before assignment", []work.MilestoneInput{{Due: "2026-10-20", Title: "选址"}}},
			{"after the deadline", []work.MilestoneInput{{Due: "2026-12-21", Title: "验收"}}},
			{"no title", []work.MilestoneInput{{Due: "2026-11-20"}}},
			{"no date", []work.MilestoneInput{{Title: "选址"}}},
			{"eleven", func() []work.MilestoneInput {
				var ms []work.MilestoneInput
				for i := 0; i < 11; i++ {
					ms = append(ms, work.MilestoneInput{Due: "2026-11-20", Title: "节点"})
				}
				return ms
			}()},
		} {
			in := w.input("节点" + c.name)
			in.Milestones = c.ms
			if _, err := w.s.Create(office, in); platform.AsError(err).Field != "milestones" {
				t.Errorf("%s: got %v, want invalid milestones", c.name, err)
			}
		}
		in := w.input("有节点的事项")
		in.Milestones = []work.MilestoneInput{{Due: "2026-12-10", Title: "完成施工"}, {}, {Due: "2026-11-20", Title: "完成选址"}}
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := w.s.Milestones(village, task.ID)
		if err != nil || len(ms) != 2 || ms[0].Title != "完成选址" || !ms[0].Late || ms[1].Late {
			t.Fatalf("milestones by day, the first late: %+v %v", ms, err)
		}
		if err := w.s.MarkMilestone(village, task.ID, ms[0].ID); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("marking before the claim: got %v, want forbidden", err)
		}
		if _, err := w.s.Take(village, task.ID, 0, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		if err := w.s.MarkMilestone(helper, task.ID, ms[0].ID); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a co-unit marking: got %v, want forbidden", err)
		}
		if err := w.s.MarkMilestone(village, task.ID, ms[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := w.s.MarkMilestone(village, task.ID, ms[0].ID); platform.AsError(err).Field != "milestone" {
			t.Errorf("marking twice: got %v", err)
		}
		ms, _ = w.s.Milestones(village, task.ID)
		if ms[0].DoneOn != "2026-11-25" || ms[0].Late {
			t.Errorf("after marking: %+v", ms[0])
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'task_milestone'`); n != 1 {
			t.Errorf("got %d milestone audits, want 1", n)
		}
	})
}
