package work_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/notify"
	"guatu/internal/work"
)

// TestUrge: the office and a leader urge a task's lead unit; the message
// lands in the unit's inbox and its robot's outbox; the reminder is in
// the task's history and the audit log, and answered once the unit
// reports. Whoever else tries, or a reminder without a note, changes
// nothing.
func TestUrge(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		ctx := context.Background()
		office, village, leader, other := w.as(t, "duban"), w.as(t, "shuangtang"), w.as(t, "shuji"), w.as(t, "donghu")
		in := w.input("双塘村污水管网铺设")
		in.CoUnitIDs = nil
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		var hook int64
		if err := d.QueryRowContext(ctx, `INSERT INTO webhooks (unit_id, kind, url, secret, keyword, disabled, created_at, updated_at)
			VALUES ($1, 'dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=t', '', '', FALSE, $2, $2) RETURNING id`,
			w.units["双塘村"], demoNow).Scan(&hook); err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			name string
			ctx  context.Context
			note string
			code platform.Code
		}{
			{"the village itself", village, "自己催自己", platform.Forbidden},
			{"a village not on the task", other, "越权", platform.NotFound},
			{"no note", office, "  ", platform.Invalid},
			{"too long a note", office, strings.Repeat("催", work.MaxComment+1), platform.Invalid},
		} {
			t.Run(c.name, func(t *testing.T) {
				if _, err := w.s.Urge(c.ctx, task.ID, c.note); platform.ErrorCode(err) != c.code {
					t.Errorf("got %v, want %s", err, c.code)
				}
			})
		}
		if n := count(t, d, `SELECT COUNT(*) FROM task_reminders`) + count(t, d, `SELECT COUNT(*) FROM inbox`) + count(t, d, `SELECT COUNT(*) FROM outbox`); n != 0 {
			t.Fatalf("refused reminders left %d rows", n)
		}

		r, err := w.s.Urge(office, task.ID, "请本周内报送进展")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(r.Channels, ",") != "inbox,dingtalk" || !contains(r.Recipients, "shuangtang") {
			t.Errorf("reminder = %+v, want the inbox and the DingTalk robot, shuangtang among the recipients", r)
		}
		var uid int64
		d.QueryRowContext(ctx, `SELECT id FROM users WHERE login = 'shuangtang'`).Scan(&uid)
		s := &notify.Store{DB: d}
		if got := s.Unread(ctx, uid); got != 1 {
			t.Errorf("the village's unread = %d, want 1", got)
		}
		notes, err := s.Inbox(village, 0)
		if err != nil || len(notes) != 1 || !strings.Contains(notes[0].Title, "双塘村污水管网铺设") || !strings.Contains(notes[0].Body, "请本周内报送进展") {
			t.Errorf("inbox = %+v, %v", notes, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE webhook_id = $1 AND state = 'pending'`, hook); n != 1 {
			t.Errorf("%d outbox rows for the robot, want 1", n)
		}
		steps, _ := w.s.Steps(office, task.ID)
		if last := steps[len(steps)-1]; last.Transition != work.Remind || last.From != work.Assigned || last.To != work.Assigned || last.Comment != "请本周内报送进展" {
			t.Errorf("last step = %+v, want the reminder, state unchanged", last)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'task_reminder' AND actor_login = 'duban'`); n != 1 {
			t.Errorf("%d audit entries for the reminder, want 1", n)
		}
		after, _ := w.s.Task(office, task.ID)
		if after.Version != task.Version {
			t.Errorf("a reminder moved the version from %d to %d", task.Version, after.Version)
		}

		// Answered: the village claims and reports after the reminder.
		w.s.Now = func() time.Time { return demoNow.Add(time.Hour) }
		if _, err := w.s.Take(village, task.ID, 0, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Progress(village, task.ID, 0, 30, "已铺设300米"); err != nil {
			t.Fatal(err)
		}
		w.s.Now = func() time.Time { return demoNow.Add(2 * time.Hour) }
		if _, err := w.s.Urge(leader, task.ID, "进度偏慢"); err != nil {
			t.Fatalf("a leader urging: %v", err)
		}
		rems, err := w.s.Reminders(office, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rems) != 2 {
			t.Fatalf("%d reminders, want 2", len(rems))
		}
		if rems[0].ActorLogin != "shuji" || rems[0].Answered() {
			t.Errorf("the leader's reminder = %+v, want unanswered", rems[0])
		}
		if !rems[1].Answered() || !rems[1].AnsweredAt.Equal(demoNow.Add(time.Hour)) {
			t.Errorf("the office's reminder = %+v, want answered by the report an hour later", rems[1])
		}
		if _, err := w.s.Reminders(other, task.ID); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another village reading the reminders: %v, want not found", err)
		}

		// A stopped task is not urged.
		if _, err := w.s.Take(office, task.ID, 0, work.Stop, "并入其他事项"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Urge(office, task.ID, "再催"); platform.ErrorCode(err) != platform.Invalid {
			t.Errorf("urging a stopped task: %v, want invalid", err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
