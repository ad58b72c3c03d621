package work_test

import (
	"context"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/workflow"
	"guatu/internal/work"
)

// toState takes a new task of 双塘村 (co-unit 东湖村) due on deadline to
// state, as the village would; level Listed is listed by 张建国 (shuji).
func (w *world) toState(t *testing.T, title, deadline string, level work.Level, state workflow.State) work.Task {
	t.Helper()
	office, village := w.as(t, "duban"), w.as(t, "shuangtang")
	in := w.input(title)
	in.Deadline, in.Level = deadline, level
	if level == work.Listed {
		in.ListingLeader = ptr(w.people["张建国"])
	}
	task, err := w.s.Create(office, in)
	if err != nil {
		t.Fatal(err)
	}
	var moves []func() error
	claim := func() error { _, err := w.s.Take(village, task.ID, 0, work.Claim, ""); return err }
	report := func() error { _, err := w.s.Progress(village, task.ID, 0, 40, "已完成四成"); return err }
	submit := func() error { _, err := w.s.Take(village, task.ID, 0, work.Submit, ""); return err }
	switch state {
	case work.Accepted:
		moves = []func() error{claim}
	case work.InProgress:
		moves = []func() error{claim, report}
	case work.Submitted:
		moves = []func() error{claim, report, submit}
	}
	for _, m := range moves {
		if err := m(); err != nil {
			t.Fatal(err)
		}
	}
	got, err := w.s.Task(office, task.ID)
	if err != nil || got.Status != state {
		t.Fatalf("%s: got %s %v, want %s", title, got.Status, err, state)
	}
	return got
}

// snapshot is a task as it stood, with how many steps, audit entries and
// reminders it had: a refusal must leave all of them as they were.
type snapshot struct {
	task                    work.Task
	steps, audits, reminded int
}

func (w *world) snap(t *testing.T, id int64) snapshot {
	t.Helper()
	task, err := w.s.Task(w.as(t, "duban"), id)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{task: task,
		steps:    w.count(t, `SELECT COUNT(*) FROM workflow_steps WHERE item_kind = 'task' AND item_id = $1`, id),
		audits:   w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action <> 'denied'`),
		reminded: w.count(t, `SELECT COUNT(*) FROM task_reminders WHERE task_id = $1`, id)}
}

// refused checks err is Invalid on field with key ("" any), and that the
// task is as it was.
func (w *world) refused(t *testing.T, what string, err error, field, key string, before snapshot) {
	t.Helper()
	if e := platform.AsError(err); err == nil || e.Code != platform.Invalid || e.Field != field || (key != "" && e.Key != key) {
		t.Errorf("%s: got %v, want invalid %s %s", what, err, field, key)
	}
	w.unchanged(t, what, before)
}

// unchanged checks the task, its history, the audit log and its reminders
// are as they were.
func (w *world) unchanged(t *testing.T, what string, before snapshot) {
	t.Helper()
	after := w.snap(t, before.task.ID)
	a, b := after.task, before.task
	if a.Status != b.Status || a.Version != b.Version || a.Progress != b.Progress || a.Deadline != b.Deadline ||
		after.steps != before.steps || after.audits != before.audits || after.reminded != before.reminded {
		t.Errorf("%s changed something: %s v%d, %d steps, %d audits, %d reminders; was %s v%d, %d, %d, %d", what,
			a.Status, a.Version, after.steps, after.audits, after.reminded, b.Status, b.Version, before.steps, before.audits, before.reminded)
	}
}

func mustSteps(t *testing.T, w *world, id int64) []workflow.Step {
	t.Helper()
	steps, err := w.s.Steps(w.as(t, "duban"), id)
	if err != nil {
		t.Fatal(err)
	}
	return steps
}

// cardOf is the task's standing card, "" for none.
func (w *world) cardOf(t *testing.T, id int64) work.Color {
	t.Helper()
	task, err := w.s.Task(w.as(t, "duban"), id)
	if err != nil {
		t.Fatal(err)
	}
	return task.Card
}

func (w *world) sweep(t *testing.T) {
	t.Helper()
	if _, err := w.s.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// 中止 pauses a task from any open state and 恢复 takes it back to exactly
// that state; while stopped it has no light, no card, no reminder and no
// report, and is neither open nor overdue in the lists. A refused stop or
// resume changes nothing.
func TestStopResume(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village, helper := w.as(t, "duban"), w.as(t, "shuangtang"), w.as(t, "donghu")
		for i, from := range []workflow.State{work.Assigned, work.Accepted, work.InProgress, work.Submitted} {
			task := w.toState(t, "中止的事项"+string(rune('A'+i)), "2026-11-20", work.Normal, from) // overdue on demoNow
			w.sweep(t)
			if w.cardOf(t, task.ID) == "" {
				t.Fatalf("%s: an overdue task has no card", from)
			}
			open := w.snap(t, task.ID)
			task = open.task
			before := open.steps

			_, err := w.s.Take(office, task.ID, task.Version, work.Stop, "  ")
			w.refused(t, "a stop without a reason", err, "comment", "workflow.reason_required", open)
			if _, err := w.s.Take(village, task.ID, task.Version, work.Stop, "不想办"); platform.ErrorCode(err) != platform.Forbidden {
				t.Errorf("%s: the village stopping: got %v, want forbidden", from, err)
			}
			_, err = w.s.Take(office, task.ID, task.Version, work.Resume, "恢复")
			w.refused(t, "resuming a task not stopped", err, "transition", "task.error.state.resume", open)

			stopped, err := w.s.Take(office, task.ID, task.Version, work.Stop, "因规划调整暂缓实施")
			if err != nil {
				t.Fatalf("%s: stop: %v", from, err)
			}
			if stopped.Status != work.Stopped || stopped.Light != work.NoLight || stopped.Overdue || stopped.Card != "" {
				t.Errorf("%s: stopped: %+v", from, stopped)
			}
			w.sweep(t)
			if c := w.cardOf(t, task.ID); c != "" {
				t.Errorf("%s: a stopped task carded %s by the sweep", from, c)
			}
			paused := w.snap(t, task.ID)
			_, err = w.s.Progress(village, task.ID, 0, 50, "继续推进")
			w.refused(t, "a report on a stopped task", err, "transition", "task.error.state.report", paused)
			_, _, err = w.s.Report(helper, task.ID, 0, work.ReportInput{Percent: 50, Body: "协办进展"})
			w.refused(t, "a co-unit's report on a stopped task", err, "_", "", paused)
			_, err = w.s.Urge(office, task.ID, "请抓紧")
			w.refused(t, "urging a stopped task", err, "note", "task.error.remind_closed", paused)
			if w.s.CanRemind(office, stopped) {
				t.Errorf("%s: a stopped task offers a reminder", from)
			}
			_, err = w.s.Take(office, task.ID, 0, work.Stop, "再次中止")
			w.refused(t, "stopping twice", err, "transition", "task.error.state.stop", paused)
			_, err = w.s.Take(office, task.ID, 0, work.Resume, "")
			w.refused(t, "a resume without a reason", err, "comment", "workflow.reason_required", paused)
			if _, err := w.s.Take(village, task.ID, 0, work.Resume, "我们想继续"); platform.ErrorCode(err) != platform.Forbidden {
				t.Errorf("%s: the village resuming: got %v, want forbidden", from, err)
			}
			w.unchanged(t, "the village resuming", paused)

			resumed, err := w.s.Take(office, task.ID, stopped.Version, work.Resume, "规划已批复，恢复办理")
			if err != nil {
				t.Fatalf("%s: resume: %v", from, err)
			}
			if resumed.Status != from || resumed.Light != work.Red || !resumed.Overdue || resumed.Progress != open.task.Progress {
				t.Errorf("%s: resumed into %s (light %q), want %s and overdue", from, resumed.Status, resumed.Light, from)
			}
			w.sweep(t)
			if w.cardOf(t, task.ID) == "" {
				t.Errorf("%s: resumed late, but no card", from)
			}
			steps := mustSteps(t, w, task.ID)
			if len(steps) != before+2 {
				t.Fatalf("%s: %d steps, want %d", from, len(steps), before+2)
			}
			stop, resume := steps[len(steps)-2], steps[len(steps)-1]
			if stop.Transition != work.Stop || stop.From != from || stop.To != work.Stopped || stop.Comment != "因规划调整暂缓实施" ||
				resume.Transition != work.Resume || resume.From != work.Stopped || resume.To != from || resume.Comment != "规划已批复，恢复办理" || resume.ActorLogin != "duban" {
				t.Errorf("%s: the steps: %+v %+v", from, stop, resume)
			}
		}
	})
}

// A 退回 after a pause goes back to where the lead unit applied from, not to
// 中止; a reminder on the way does not confuse it either.
func TestReturnAfterResume(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office := w.as(t, "duban")
		task := w.toState(t, "暂停后退回的事项", "2026-12-20", work.Normal, work.Submitted)
		if _, err := w.s.Urge(office, task.ID, "请尽快补充材料"); err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct{ move, comment string }{{work.Stop, "等待审计结果"}, {work.Resume, "审计已结束"}} {
			if _, err := w.s.Take(office, task.ID, 0, m.move, m.comment); err != nil {
				t.Fatalf("%s: %v", m.move, err)
			}
		}
		if got, _ := w.s.Task(office, task.ID); got.Status != work.Submitted {
			t.Fatalf("resumed into %s, want submitted", got.Status)
		}
		got, err := w.s.Take(office, task.ID, 0, work.Return, "佐证材料不全")
		if err != nil || got.Status != work.InProgress {
			t.Fatalf("returned into %s (%v), want in_progress", got.Status, err)
		}
	})
}

// 销号 takes an open or a stopped task off the register for good, with a
// reason, by whoever would close it: the office, or a listed task's
// listing leader alone. Nothing moves it after, nothing cards or urges it,
// and a change it asked for can only be rejected.
func TestStrikeOff(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village, shuji, zhenzhang := w.as(t, "duban"), w.as(t, "shuangtang"), w.as(t, "shuji"), w.as(t, "zhenzhang")
		cases := []struct {
			name  string
			level work.Level
			from  workflow.State
			stop  bool // stopped first
			by    context.Context
			not   []context.Context // refused (forbidden) first
		}{
			{"assigned", work.Normal, work.Assigned, false, office, []context.Context{village, shuji}},
			{"claimed", work.Key, work.Accepted, false, office, []context.Context{village}},
			{"in progress", work.Normal, work.InProgress, false, office, []context.Context{village, zhenzhang}},
			{"applying to close", work.Normal, work.Submitted, false, office, []context.Context{village}},
			{"stopped", work.Normal, work.InProgress, true, office, []context.Context{village}},
			{"listed, in progress", work.Listed, work.InProgress, false, shuji, []context.Context{office, zhenzhang, village}},
			{"listed, stopped", work.Listed, work.Accepted, true, shuji, []context.Context{office, zhenzhang}},
		}
		for i, c := range cases {
			task := w.toState(t, "销号的事项"+string(rune('A'+i)), "2026-11-20", c.level, c.from)
			w.sweep(t)
			if c.stop {
				if _, err := w.s.Take(office, task.ID, 0, work.Stop, "暂缓实施"); err != nil {
					t.Fatal(err)
				}
			}
			before := w.snap(t, task.ID)
			task = before.task
			_, err := w.s.Take(c.by, task.ID, task.Version, work.Strike, "")
			w.refused(t, c.name+": a strike without a reason", err, "comment", "workflow.reason_required", before)
			for _, n := range c.not {
				if _, err := w.s.Take(n, task.ID, task.Version, work.Strike, "上级已撤销该项工作"); platform.ErrorCode(err) != platform.Forbidden {
					t.Errorf("%s: %s striking off: got %v, want forbidden", c.name, loginOf(n), err)
				}
			}
			w.unchanged(t, c.name+": the refusals", before)
			got, err := w.s.Take(c.by, task.ID, task.Version, work.Strike, "上级已撤销该项工作")
			if err != nil {
				t.Fatalf("%s: strike: %v", c.name, err)
			}
			if got.Status != work.StruckOff || got.Light != work.NoLight || got.Overdue || got.Card != "" {
				t.Errorf("%s: struck off: %+v", c.name, got)
			}
			w.sweep(t)
			if card := w.cardOf(t, task.ID); card != "" {
				t.Errorf("%s: a struck-off task carded %s", c.name, card)
			}
			off := w.snap(t, task.ID)
			if w.s.CanRemind(office, got) {
				t.Errorf("%s: a struck-off task offers a reminder", c.name)
			}
			_, err = w.s.Urge(office, task.ID, "请抓紧")
			w.refused(t, c.name+": urging", err, "note", "task.error.remind_closed", off)
			for _, m := range []struct {
				ctx  context.Context
				move string
			}{{office, work.Resume}, {office, work.Stop}, {c.by, work.Strike}, {village, work.Claim}, {village, work.Submit}, {office, work.Close}} {
				_, err := w.s.Take(m.ctx, task.ID, 0, m.move, "理由")
				w.refused(t, c.name+": "+m.move+" after 销号", err, "transition", "task.error.state."+m.move, off)
			}
			_, err = w.s.Progress(village, task.ID, 0, 90, "还在办")
			w.refused(t, c.name+": a report after 销号", err, "transition", "task.error.state.report", off)
			if moves := w.s.Allowed(c.by, got); len(moves) != 0 {
				t.Errorf("%s: a struck-off task offers %v", c.name, moves)
			}
		}
		struck := work.StruckOff
		if got, err := w.s.Tasks(office, work.Filter{Status: &struck}, db.All(100)); err != nil || len(got) != len(cases) {
			t.Errorf("the struck-off filter: %d tasks %v, want %d", len(got), err, len(cases))
		}
		if got, err := w.s.Tasks(office, work.Filter{OpenOnly: true}, db.All(100)); err != nil || len(got) != 0 {
			t.Errorf("open tasks: %d %v, want none", len(got), err)
		}
		red := work.Red
		if got, err := w.s.Tasks(office, work.Filter{Light: &red}, db.All(100)); err != nil || len(got) != 0 {
			t.Errorf("overdue tasks: %d %v, want none", len(got), err)
		}
		unlit := work.NoLight
		if got, err := w.s.Tasks(office, work.Filter{Light: &unlit}, db.All(100)); err != nil || len(got) != len(cases) {
			t.Errorf("tasks without a light: %d %v, want %d", len(got), err, len(cases))
		}
	})
}

// A change the lead unit asked for before its task was struck off can only
// be rejected; the listing leader is not waited on to strike off.
func TestStruckOffChangeAndTodo(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village, shuji := w.as(t, "duban"), w.as(t, "shuangtang"), w.as(t, "shuji")
		listed := w.toState(t, "挂牌在办的事项", "2026-12-20", work.Listed, work.InProgress)
		todo, err := w.s.Todo(shuji)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range todo {
			if x.ID == listed.ID {
				t.Errorf("the listing leader's to-do holds a listed task only they may strike off")
			}
		}
		task := w.toState(t, "申请延期后销号的事项", "2026-12-20", work.Normal, work.InProgress)
		cs, err := w.s.RequestChange(village, task.ID, work.ChangeInput{Deadline: "2026-12-31", Reason: "施工队伍进场推迟"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Take(office, task.ID, 0, work.Strike, "上级已撤销该项工作"); err != nil {
			t.Fatal(err)
		}
		struck := w.snap(t, task.ID)
		_, err = w.s.Decide(office, task.ID, cs[0].ID, true, "同意")
		w.refused(t, "approving a change of a struck-off task", err, "comment", "task.change.error.struck_off", struck)
		if after, _ := w.s.Task(office, task.ID); after.Deadline != "2026-12-20" {
			t.Errorf("the refused approval moved the deadline to %s", after.Deadline)
		}
		if c, err := w.s.Decide(office, task.ID, cs[0].ID, false, "事项已销号"); err != nil || c.State != work.ChangeRejected {
			t.Errorf("rejecting it: %+v %v", c, err)
		}
	})
}

// The completion rate leaves out the struck-off tasks for good and the
// stopped ones while they are stopped.
func TestCompletionStruckOff(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office := w.as(t, "duban")
		w.closeTask(t, w.input("办结的事项"))
		w.toState(t, "在办的事项", "2026-12-20", work.Normal, work.InProgress)
		paused := w.toState(t, "中止的事项", "2026-12-20", work.Normal, work.Accepted)
		struck := w.toState(t, "销号的事项", "2026-12-20", work.Normal, work.Accepted)
		for _, m := range []struct {
			id            int64
			move, comment string
		}{{paused.ID, work.Stop, "因规划调整暂缓实施"}, {struck.ID, work.Strike, "上级已撤销该项工作"}} {
			if _, err := w.s.Take(office, m.id, 0, m.move, m.comment); err != nil {
				t.Fatal(err)
			}
		}
		record := func() work.Completion {
			t.Helper()
			cs, err := w.s.Completion(office, work.CompletionFilter{UnitID: w.units["双塘村"]})
			if err != nil || len(cs) != 1 {
				t.Fatalf("completion: %+v %v", cs, err)
			}
			return cs[0]
		}
		c := record()
		if c.All != 4 || c.Closed != 1 || c.Stopped != 1 || c.StruckOff != 1 || c.Rate == nil || *c.Rate != 0.5 {
			t.Errorf("with one stopped and one struck off: %+v (rate %v), want 1 of 2", c, c.Rate)
		}
		if _, err := w.s.Take(office, paused.ID, 0, work.Resume, "规划已批复"); err != nil {
			t.Fatal(err)
		}
		c = record()
		if c.Stopped != 0 || c.StruckOff != 1 || c.Rate == nil || *c.Rate != 1.0/3 {
			t.Errorf("resumed: %+v (rate %v), want 1 of 3", c, c.Rate)
		}
	})
}

func loginOf(ctx context.Context) string {
	if u := auth.FromContext(ctx); u != nil {
		return u.Login
	}
	return "nobody"
}

// A task resumed owes no periodic report that fell due while it was
// stopped: it is not late on the day it may work again.
func TestResumeOwesNoMissedReport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		in := w.input("每周报送的事项")
		in.Rhythm = work.Weekly // from 1 November: the 8th, 15th, 22nd, 29th …
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		claimed, err := w.s.Take(village, task.ID, 0, work.Claim, "")
		if err != nil || !claimed.FeedbackLate {
			t.Fatalf("claimed: late %v, %v; want late, its report of 8 November missed", claimed.FeedbackLate, err)
		}
		if _, err := w.s.Take(office, task.ID, 0, work.Stop, "等待上级批复"); err != nil {
			t.Fatal(err)
		}
		got, err := w.s.Take(office, task.ID, 0, work.Resume, "已批复") // on demoNow, 25 November
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != work.Accepted || got.FeedbackLate || got.NextReport != "2026-11-29" {
			t.Errorf("resumed: %s, late %v, next report %s; want accepted, not late, 2026-11-29", got.Status, got.FeedbackLate, got.NextReport)
		}
	})
}
