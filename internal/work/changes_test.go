package work_test

import (
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// TestChangeRequests: the lead unit asks for a new deadline and another
// lead unit; nothing changes until the office decides; an extension
// approved in time moves the deadline, one approved after the deadline
// has passed is recorded and the task stays late against the old one.
func TestChangeRequests(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		now := demoNow // 25 November
		s := &work.Store{DB: d, Now: func() time.Time { return now }}
		office, village, other := w.as(t, "duban"), w.as(t, "shuangtang"), w.as(t, "donghu")
		in := w.input("调整测试事项")
		in.CoUnitIDs = nil
		in.Deadline = "2026-11-30"
		task, err := s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		ask := work.ChangeInput{Deadline: "2026-12-15", Reason: "征地手续待批"}
		if _, err := s.RequestChange(village, task.ID, ask); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("before claiming: got %v, want forbidden", err)
		}
		if _, err := s.Take(village, task.ID, 0, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RequestChange(office, task.ID, ask); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("the office asking: got %v, want forbidden", err)
		}
		if _, err := s.RequestChange(other, task.ID, ask); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another village: got %v, want not found", err)
		}
		for _, c := range []struct {
			name  string
			in    work.ChangeInput
			field string
		}{
			{"nothing asked", work.ChangeInput{Reason: "x"}, "deadline"},
			{"no reason", work.ChangeInput{Deadline: "2026-12-15"}, "reason"},
			{"the same deadline", work.ChangeInput{Deadline: "2026-11-30", Reason: "x"}, "deadline"},
			{"a past deadline", work.ChangeInput{Deadline: "2026-11-20", Reason: "x"}, "deadline"},
			{"the same lead unit", work.ChangeInput{LeadUnitID: w.units["双塘村"], Reason: "x"}, "lead_unit_id"},
			{"the township itself", work.ChangeInput{LeadUnitID: w.township, Reason: "x"}, "lead_unit_id"},
		} {
			if _, err := s.RequestChange(village, task.ID, c.in); platform.AsError(err).Field != c.field {
				t.Errorf("%s: got %v, want invalid %s", c.name, err, c.field)
			}
		}
		asked, err := s.RequestChange(village, task.ID, ask)
		if err != nil || len(asked) != 1 {
			t.Fatalf("request: %v %v", asked, err)
		}
		if _, err := s.RequestChange(village, task.ID, work.ChangeInput{Deadline: "2026-12-20", Reason: "再延"}); platform.AsError(err).Field != "deadline" {
			t.Errorf("a second pending deadline request: got %v", err)
		}
		if got, _ := s.Task(office, task.ID); got.Deadline != "2026-11-30" {
			t.Errorf("the deadline moved before approval: %s", got.Deadline)
		}
		if _, err := s.Decide(village, task.ID, asked[0].ID, true, ""); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("the village approving its own: got %v, want forbidden", err)
		}
		if _, err := s.Decide(office, task.ID, asked[0].ID, false, ""); platform.AsError(err).Field != "comment" {
			t.Errorf("a rejection without a comment: got %v", err)
		}
		c, err := s.Decide(office, task.ID, asked[0].ID, true, "同意")
		if err != nil || c.Counted != work.CountedNew {
			t.Fatalf("approve in time: %+v %v", c, err)
		}
		if got, _ := s.Task(office, task.ID); got.Deadline != "2026-12-15" {
			t.Errorf("approved in time, the deadline is %s", got.Deadline)
		}
		if _, err := s.Decide(office, task.ID, asked[0].ID, false, "改主意"); platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("deciding twice: got %v, want conflict", err)
		}

		// Past the new deadline, another extension approved late is only recorded.
		now = time.Date(2026, 12, 17, 10, 0, 0, 0, now.Location())
		late, err := s.RequestChange(village, task.ID, work.ChangeInput{Deadline: "2026-12-31", Reason: "雨雪天气停工"})
		if err != nil {
			t.Fatal(err)
		}
		if c, err := s.Decide(office, task.ID, late[0].ID, true, "同意延期，按原时限考核"); err != nil || c.Counted != work.CountedOriginal {
			t.Fatalf("approve late: %+v %v", c, err)
		}
		got, _ := s.Task(office, task.ID)
		if got.Deadline != "2026-12-15" || !got.Overdue {
			t.Errorf("approved late: deadline %s overdue %v, want still 2026-12-15 and overdue", got.Deadline, got.Overdue)
		}

		// Another lead unit, approved: the task moves to 东湖村.
		move, err := s.RequestChange(village, task.ID, work.ChangeInput{LeadUnitID: w.units["东湖村"], Reason: "项目实际在东湖村"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Decide(office, task.ID, move[0].ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Task(other, task.ID); err != nil || got.LeadUnitID != w.units["东湖村"] {
			t.Errorf("after the move 东湖村 reads %+v %v", got.LeadUnitID, err)
		}
		cs, err := s.Changes(other, task.ID)
		if err != nil || len(cs) != 3 || cs[0].NewName != "东湖村" || cs[0].OldName != "双塘村" {
			t.Errorf("changes: %+v %v", cs, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'task_change'`); n != 6 {
			t.Errorf("got %d change audits, want 6 (3 requests, 3 decisions)", n)
		}
	})
}
