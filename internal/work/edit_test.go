package work_test

import (
	"errors"
	"strconv"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// TestUpdate: the office corrects a task as it assigned it. At 交办
// everything may change, its next report day with its rhythm; once claimed,
// the lead unit and deadline only by request; a closed task not at all;
// nobody but the office; a stale version is a conflict; milestones done stay.
func TestUpdate(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		audits := func(id int64) int {
			return w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'task' AND action = 'update' AND entity_id = $1`, strconv.FormatInt(id, 10))
		}

		in := w.input("双塘村道路修缮")
		in.Rhythm = work.Weekly
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Title, in.Deadline, in.LeadUnitID = "双塘村道路修缮（二期）", "2026-12-28", w.units["东湖村"]
		in.CoUnitIDs, in.Rhythm = []int64{w.units["双塘村"]}, work.Monthly
		in.ResponsibleID = nil
		got, err := w.s.Update(office, task.ID, task.Version, in)
		if err != nil {
			t.Fatalf("correct a task at 交办: %v", err)
		}
		if got.Title != in.Title || got.Deadline != "2026-12-28" || got.LeadUnitID != w.units["东湖村"] ||
			len(got.CoUnitIDs) != 1 || got.CoUnitIDs[0] != w.units["双塘村"] || got.Version != task.Version+1 {
			t.Errorf("after the correction: %+v", got)
		}
		if got.Rhythm != work.Monthly || got.NextReport != "2026-12-01" {
			t.Errorf("monthly from 1 November: next report %q, want 2026-12-01", got.NextReport)
		}
		if n := audits(task.ID); n != 1 {
			t.Errorf("%d update entries, want 1", n)
		}
		if _, err := w.s.Update(office, task.ID, task.Version, in); !isCode(err, platform.Conflict) {
			t.Errorf("an edit at the version before: %v, want a conflict", err)
		}

		claimed := w.toState(t, "双塘村路灯维修", "2026-12-20", work.Normal, work.InProgress)
		before := w.snap(t, claimed.ID)
		cin := w.input("双塘村路灯维修")
		cin.Deadline = "2026-12-31"
		_, err = w.s.Update(office, claimed.ID, 0, cin)
		w.refused(t, "a new deadline once claimed", err, "deadline", "task.error.edit_by_request", before)
		cin = w.input("双塘村路灯维修")
		cin.LeadUnitID, cin.CoUnitIDs, cin.ResponsibleID = w.units["东湖村"], nil, nil
		_, err = w.s.Update(office, claimed.ID, 0, cin)
		w.refused(t, "a new lead unit once claimed", err, "lead_unit_id", "task.error.edit_by_request", before)
		_, err = w.s.Update(village, claimed.ID, 0, w.input("双塘村路灯维修"))
		if !errors.Is(err, platform.ErrForbidden) {
			t.Errorf("the village correcting the office's task: %v, want forbidden", err)
		}
		w.unchanged(t, "the village's correction", before)

		cin = w.input("双塘村路灯维修及更换")
		cin.AssignedOn, cin.ClaimBy = "2026-11-20", "2026-11-21" // history: kept as they were
		cin.LeaderID = w.people["刘晓明"]
		got, err = w.s.Update(office, claimed.ID, 0, cin)
		if err != nil {
			t.Fatalf("correct the title and leader of a claimed task: %v", err)
		}
		if got.Title != cin.Title || got.LeaderID != w.people["刘晓明"] || got.AssignedOn != claimed.AssignedOn ||
			got.ClaimBy != claimed.ClaimBy || got.Status != work.InProgress || got.Progress != 40 {
			t.Errorf("the claimed task after the correction: %+v", got)
		}

		if _, err := w.s.Update(office, claimed.ID, 0, w.input("双塘村道路修缮（二期）")); err == nil {
			t.Error("a correction to another task's title was accepted")
		} else if e := platform.AsError(err); e.Field != "title" {
			t.Errorf("a title taken: %v, want the title named", err)
		}

		done := w.toState(t, "双塘村垃圾清运", "2026-12-20", work.Normal, work.Submitted)
		if _, err := w.s.Take(office, done.ID, 0, work.Close, ""); err != nil {
			t.Fatal(err)
		}
		before = w.snap(t, done.ID)
		_, err = w.s.Update(office, done.ID, 0, w.input("双塘村垃圾清运"))
		w.refused(t, "a closed task", err, "_", "task.error.edit_final", before)
	})
}

// TestUpdateMilestones: a correction replaces the milestones still to do;
// one the lead unit has marked done stays as it was.
func TestUpdateMilestones(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		in := w.input("双塘村文化广场")
		in.Milestones = []work.MilestoneInput{{Due: "2026-11-20", Title: "完成设计"}, {Due: "2026-12-10", Title: "完成施工"}}
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Take(village, task.ID, 0, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		ms, err := w.s.Milestones(office, task.ID)
		if err != nil || len(ms) != 2 {
			t.Fatalf("milestones %v %v", ms, err)
		}
		if err := w.s.MarkMilestone(village, task.ID, ms[0].ID); err != nil {
			t.Fatal(err)
		}
		in.Milestones = []work.MilestoneInput{{Due: "2026-12-05", Title: "完成主体"}, {Due: "2026-12-15", Title: "完成绿化"}}
		if _, err := w.s.Update(office, task.ID, 0, in); err != nil {
			t.Fatal(err)
		}
		ms, err = w.s.Milestones(office, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.Due+" "+m.Title+" "+m.DoneOn)
		}
		want := []string{"2026-11-20 完成设计 2026-11-25", "2026-12-05 完成主体 ", "2026-12-15 完成绿化 "}
		if len(got) != len(want) {
			t.Fatalf("milestones after the correction: %q, want %q", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("milestone %d: %q, want %q", i, got[i], want[i])
			}
		}
	})
}

// TestDelete: a task assigned by mistake may be deleted while it is 交办 and
// nobody has been urged over it; its 交办 step and an audit entry of the
// whole task stay. Anything later is refused and nothing changes.
func TestDelete(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		task, err := w.s.Create(office, w.input("误交办的事项"))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.s.Delete(village, task.ID, 0); !errors.Is(err, platform.ErrForbidden) {
			t.Errorf("the village deleting: %v, want forbidden", err)
		}
		if err := w.s.Delete(office, task.ID, task.Version+1); !isCode(err, platform.Conflict) {
			t.Errorf("a delete at another version: %v, want a conflict", err)
		}
		if err := w.s.Delete(office, task.ID, task.Version); err != nil {
			t.Fatalf("delete at 交办: %v", err)
		}
		if _, err := w.s.Task(office, task.ID); !errors.Is(err, platform.ErrNotFound) {
			t.Errorf("the deleted task: %v, want not found", err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'task' AND action = 'delete' AND entity_id = $1`, strconv.FormatInt(task.ID, 10)); n != 1 {
			t.Errorf("%d delete entries, want 1", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM workflow_steps WHERE item_kind = 'task' AND item_id = $1`, task.ID); n != 1 {
			t.Errorf("the deleted task's history holds %d steps, want its 交办", n)
		}

		claimed := w.toState(t, "双塘村沟渠清理", "2026-12-20", work.Normal, work.Accepted)
		before := w.snap(t, claimed.ID)
		w.refused(t, "a claimed task", w.s.Delete(office, claimed.ID, 0), "_", "task.error.delete_left_assigned", before)

		urged, err := w.s.Create(office, w.input("双塘村厕所改造"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Urge(office, urged.ID, "请尽快签收"); err != nil {
			t.Fatal(err)
		}
		before = w.snap(t, urged.ID)
		w.refused(t, "an urged task", w.s.Delete(office, urged.ID, 0), "_", "task.error.delete_history", before)
	})
}

func isCode(err error, c platform.Code) bool {
	e := platform.AsError(err)
	return err != nil && e != nil && e.Code == c
}
