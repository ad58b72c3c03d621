package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// TestTaskRoundTrip: the supervision office (duban) assigns a task to
// 双塘村; the village's reporter claims it, reports progress and applies to
// close it; the office returns it with a reason; the village applies again;
// the office closes it, and the task's history shows every step.
func TestTaskRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		const title = "双塘村河道清淤"
		var leader int64
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM people WHERE name = '赵丽华'`).Scan(&leader); err != nil {
			t.Fatal(err)
		}
		deadline := clock.Today(time.Now()).AddDate(0, 0, 20).Format(clock.DateFormat)

		as := func(who string) { t.Helper(); signInAs(t, ctx, base, who) }
		status := func(want string) { t.Helper(); waitStatus(t, ctx, want) }
		press := func(move, want string) { t.Helper(); pressMove(t, ctx, move, want) }

		login(t, ctx, base, "duban", demo.Password)
		do(t, ctx, "open the register", chromedp.Navigate(base+"/tasks"), chromedp.WaitVisible(chromedp.CSS("[data-testid=tasks-table]")),
			chromedp.Click(chromedp.CSS("[data-testid=task-new]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=task-form]")))
		do(t, ctx, "assign the task",
			chromedp.SendKeys(chromedp.ID("title"), title),
			chromedp.SendKeys(chromedp.ID("requirement"), "月底前完成清淤2公里"),
			chromedp.SetValue(chromedp.ID("lead_unit_id"), strconv.FormatInt(unitID(t, a, "双塘村"), 10)),
			chromedp.SetValue(chromedp.ID("leader_id"), strconv.FormatInt(leader, 10)),
			chromedp.SetValue(chromedp.ID("deadline"), deadline),
			chromedp.Click(chromedp.CSS("[data-testid=task-assign]")))
		status("交办")
		path := pagePath(t, ctx, base)
		if !strings.HasPrefix(path, "/tasks/") {
			t.Fatalf("after assigning, the browser is at %s", path)
		}
		do(t, ctx, "correct the requirement", chromedp.Click(chromedp.CSS("[data-testid=task-edit]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=task-save]")),
			chromedp.SetValue(chromedp.ID("requirement"), "月底前完成清淤2.5公里"),
			chromedp.Click(chromedp.CSS("[data-testid=task-save]")))
		status("交办")
		if got := text(t, ctx, "[data-testid=task-details]"); !strings.Contains(got, "月底前完成清淤2.5公里") {
			t.Errorf("the corrected requirement is not on the task's page:\n%s", got)
		}

		as("shuangtang")
		do(t, ctx, "open the to-do", chromedp.Navigate(base+"/tasks/todo"), chromedp.WaitVisible(chromedp.CSS("[data-testid=todo-table]")))
		if got := text(t, ctx, "[data-testid=todo-table]"); !strings.Contains(got, title) {
			t.Fatalf("the village's to-do lacks the task:\n%s", got)
		}
		do(t, ctx, "open the task", chromedp.Navigate(base+path))
		press("claim", "签收")
		do(t, ctx, "report progress",
			chromedp.WaitVisible(chromedp.ID("body")),
			chromedp.SendKeys(chromedp.ID("body"), "已清淤1.2公里"),
			chromedp.SendKeys(chromedp.ID("problems"), "淤泥外运场地不足"),
			chromedp.SendKeys(chromedp.ID("support"), "请镇城管办协调临时堆放点"),
			chromedp.SetValue(chromedp.ID("percent"), "60"),
			chromedp.Click(chromedp.CSS("[data-testid=report-send]")))
		status("办理中")
		if got := text(t, ctx, "[data-testid=unit-problems]") + text(t, ctx, "[data-testid=unit-support]"); !strings.Contains(got, "淤泥外运场地不足") || !strings.Contains(got, "请镇城管办协调临时堆放点") {
			t.Errorf("the unit's row lacks the problems or the support asked: %q", got)
		}
		if got := text(t, ctx, "[data-testid=task-progress]"); got != "60%" {
			t.Errorf("progress = %q, want 60%%", got)
		}
		press("submit", "申请办结")

		as("duban")
		do(t, ctx, "open the task", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.ID("comment")),
			chromedp.SendKeys(chromedp.ID("comment"), "缺清淤前后对比照片"))
		press("return", "办理中")

		as("shuangtang")
		do(t, ctx, "open the task", chromedp.Navigate(base+path))
		press("submit", "申请办结")

		as("duban")
		do(t, ctx, "open the task", chromedp.Navigate(base+path))
		press("close", "办结")
		history := text(t, ctx, "[data-testid=task-history]")
		for _, want := range []string{"交办", "签收", "报送进展", "申请办结", "退回", "缺清淤前后对比照片", "审核办结", "shuangtang", "duban"} {
			if !strings.Contains(history, want) {
				t.Errorf("the history lacks %q:\n%s", want, history)
			}
		}
		rows := get(t, ctx, "count the steps", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=step]').length`))
		if rows != 7 {
			t.Errorf("the history has %d steps, want 7", rows)
		}
	})
}

// TestTaskStopResumeStrike: the office opens the demo's stopped task (中止
// from 办理中), is told to give a reason when it presses 恢复 without one,
// resumes it into 办理中, stops it again and strikes it off (销号); the
// struck-off task offers no move and its history names every step.
func TestTaskStopResumeStrike(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		var id int64
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM tasks WHERE title = '光伏屋顶项目并网' AND state = 'stopped'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		path := "/tasks/" + strconv.FormatInt(id, 10)
		status := func(want string) { t.Helper(); waitStatus(t, ctx, want) }
		press := func(move, reason, want string) {
			t.Helper()
			do(t, ctx, "press "+move, chromedp.WaitVisible(chromedp.CSS("[data-testid=move-"+move+"]")),
				chromedp.SetValue(chromedp.ID("comment"), reason), chromedp.Click(chromedp.CSS("[data-testid=move-"+move+"]")))
			status(want)
		}

		login(t, ctx, base, "duban", demo.Password)
		do(t, ctx, "open the stopped task", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("[data-testid=task-halt]")))
		status("中止")
		if got := text(t, ctx, "[data-testid=task-halt]"); !strings.Contains(got, "恢复后回到“办理中”") || !strings.Contains(got, "因规划调整暂缓实施") {
			t.Errorf("the notice of the stop: %q", got)
		}
		do(t, ctx, "press resume without a reason", chromedp.Click(chromedp.CSS("[data-testid=move-resume]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=error-comment]")))
		status("中止")
		press("resume", "接入方案已批复，恢复办理", "办理中")
		press("stop", "等待电网改造", "中止")
		press("strike", "上级已撤销该项工作", "已销号")
		if n := get(t, ctx, "count the moves", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=task-moves] button').length`)); n != 0 {
			t.Errorf("a struck-off task offers %d moves", n)
		}
		history := text(t, ctx, "[data-testid=task-history]")
		for _, want := range []string{"中止", "恢复", "销号", "已销号", "接入方案已批复，恢复办理", "上级已撤销该项工作"} {
			if !strings.Contains(history, want) {
				t.Errorf("the history lacks %q:\n%s", want, history)
			}
		}
	})
}

// TestListedTaskClosedByItsLeader: the office assigns a 挂牌督办 task to
// 双塘村 with 张建国 (shuji) as its listing leader; the village claims it and
// applies to close it; the office, which closes every other task, is not
// offered 办结 for this one; shuji opens it from his to-do and closes it,
// and the history names him.
func TestListedTaskClosedByItsLeader(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		const title = "双塘村违建整治挂牌督办"
		var leader, listing int64
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM people WHERE name = '赵丽华'`).Scan(&leader); err != nil {
			t.Fatal(err)
		}
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM people WHERE name = '张建国'`).Scan(&listing); err != nil {
			t.Fatal(err)
		}
		deadline := clock.Today(time.Now()).AddDate(0, 0, 15).Format(clock.DateFormat)
		as := func(who string) { t.Helper(); signInAs(t, ctx, base, who) }
		status := func(want string) { t.Helper(); waitStatus(t, ctx, want) }
		press := func(move, want string) { t.Helper(); pressMove(t, ctx, move, want) }
		offered := func(move string) bool {
			t.Helper()
			return get(t, ctx, "look for "+move, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid=move-`+move+`]')`))
		}

		login(t, ctx, base, "duban", demo.Password)
		do(t, ctx, "open the form", chromedp.Navigate(base+"/tasks/new"), chromedp.WaitVisible(chromedp.CSS("[data-testid=task-form]")))
		do(t, ctx, "assign the listed task",
			chromedp.SendKeys(chromedp.ID("title"), title),
			chromedp.SendKeys(chromedp.ID("requirement"), "拆除沿河违建3处，恢复河岸绿化"),
			chromedp.SetValue(chromedp.ID("lead_unit_id"), strconv.FormatInt(unitID(t, a, "双塘村"), 10)),
			chromedp.SetValue(chromedp.ID("leader_id"), strconv.FormatInt(leader, 10)),
			chromedp.SetValue(chromedp.ID("deadline"), deadline),
			chromedp.SetValue(chromedp.ID("level"), "listed"),
			chromedp.SetValue(chromedp.ID("listing_leader_id"), strconv.FormatInt(listing, 10)),
			chromedp.Click(chromedp.CSS("[data-testid=task-assign]")))
		status("交办")
		path := pagePath(t, ctx, base)
		if !strings.HasPrefix(path, "/tasks/") {
			t.Fatalf("after assigning, the browser is at %s", path)
		}
		if got := text(t, ctx, "main"); !strings.Contains(got, "挂牌督办") || !strings.Contains(got, "张建国") {
			t.Errorf("the task's page does not say it is listed by 张建国:\n%s", got)
		}

		as("shuangtang")
		do(t, ctx, "open the task", chromedp.Navigate(base+path))
		press("claim", "签收")
		press("submit", "申请办结")

		as("duban")
		do(t, ctx, "open the task", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("[data-testid=task-status]")))
		if offered("close") {
			t.Error("the office is offered 办结 for a task listed by 张建国")
		}
		if !offered("return") {
			t.Error("the office is not offered 退回 for the listed task it reviews")
		}

		as("shuji")
		do(t, ctx, "open the to-do", chromedp.Navigate(base+"/tasks/todo"), chromedp.WaitVisible(chromedp.CSS("[data-testid=todo-table]")))
		if got := text(t, ctx, "[data-testid=todo-table]"); !strings.Contains(got, title) {
			t.Fatalf("the listing leader's to-do lacks the task:\n%s", got)
		}
		do(t, ctx, "open the task", chromedp.Navigate(base+path))
		press("close", "办结")
		history := text(t, ctx, "[data-testid=task-history]")
		for _, want := range []string{"交办", "签收", "申请办结", "审核办结", "shuji"} {
			if !strings.Contains(history, want) {
				t.Errorf("the history lacks %q:\n%s", want, history)
			}
		}
	})
}

// signInAs signs the browser out and in again as who.
func signInAs(t *testing.T, ctx context.Context, base, who string) {
	t.Helper()
	do(t, ctx, "sign out", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("[data-testid=logout]")),
		chromedp.Click(chromedp.CSS("[data-testid=logout]")), chromedp.WaitVisible(chromedp.ID("login")))
	login(t, ctx, base, who, demo.Password)
}

// waitStatus waits until the task's page shows want as its status.
func waitStatus(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('[data-testid=task-status]')||{}).innerText||""`))
		if err == nil && strings.TrimSpace(got) == want {
			return
		}
		if time.Now().After(end) {
			screenshot(t, ctx)
			t.Fatalf("status = %q, want %q", got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// pressMove presses a move's button on the task's page and waits for the
// status it leads to.
func pressMove(t *testing.T, ctx context.Context, move, want string) {
	t.Helper()
	do(t, ctx, "press "+move, chromedp.WaitVisible(chromedp.CSS("[data-testid=move-"+move+"]")), chromedp.Click(chromedp.CSS("[data-testid=move-"+move+"]")))
	waitStatus(t, ctx, want)
}
