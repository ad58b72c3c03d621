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

// TestProjectRoundTrip: the office (duban) registers a major project in
// 双塘工业园, records 签约 and then 开工, which without 立项 and 供地 asks
// for a reason, gives it, and finds the project on the register filtered
// by 开工.
func TestProjectRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		const name = "宏远健身器具二期项目"
		var leader int64
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM people WHERE name = '刘晓明'`).Scan(&leader); err != nil {
			t.Fatal(err)
		}
		today := clock.Today(time.Now())
		signed, started := today.AddDate(0, 0, -40).Format(clock.DateFormat), today.AddDate(0, 0, -3).Format(clock.DateFormat)

		login(t, ctx, base, "duban", demo.Password)
		do(t, ctx, "open the register", chromedp.Navigate(base+"/projects"), chromedp.WaitVisible(chromedp.CSS("[data-testid=projects-table]")),
			chromedp.Click(chromedp.CSS("[data-testid=project-new]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=project-form]")))
		do(t, ctx, "register the project",
			chromedp.SendKeys(chromedp.ID("name"), name),
			chromedp.SendKeys(chromedp.ID("industry"), "健身器具"),
			chromedp.SendKeys(chromedp.ID("investor"), "宏远体育用品有限公司"),
			chromedp.SendKeys(chromedp.ID("park"), "双塘工业园"),
			chromedp.SetValue(chromedp.ID("village_id"), strconv.FormatInt(unitID(t, a, "双塘村"), 10)),
			chromedp.SendKeys(chromedp.ID("total_investment"), "18000"),
			chromedp.SendKeys(chromedp.ID("year_planned_investment"), "6000"),
			chromedp.SetValue(chromedp.ID("owner_leader_id"), strconv.FormatInt(leader, 10)),
			chromedp.SetValue(chromedp.ID("unit_id"), strconv.FormatInt(unitID(t, a, "经发办（招商办）"), 10)),
			chromedp.Click(chromedp.CSS("[data-testid=project-save]")))
		waitText(t, ctx, "[data-testid=project-stage]", "未启动")
		path := pagePath(t, ctx, base)
		if !strings.HasPrefix(path, "/projects/") {
			t.Fatalf("after registering, the browser is at %s", path)
		}
		record := func(stage, actual, reason string) {
			t.Helper()
			steps := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS("[data-testid=stage-form]")),
				chromedp.SetValue(chromedp.ID("stage"), stage), chromedp.SetValue(chromedp.ID("actual_on"), actual)}
			if reason != "" { // the form comes back blank after each save
				steps = append(steps, chromedp.SendKeys(chromedp.ID("reason"), reason))
			}
			do(t, ctx, "record "+stage, append(steps, chromedp.Click(chromedp.CSS("[data-testid=stage-save]")))...)
		}
		record("signed", signed, "洽谈已在区招商局完成")
		waitText(t, ctx, "[data-testid=project-stage]", "签约")
		record("started", started, "")
		waitText(t, ctx, "[data-testid=error-reason]", "「立项」尚无实际日期")
		if got := text(t, ctx, "[data-testid=project-stage]"); got != "签约" {
			t.Errorf("after the refusal the project stands at %q, want 签约", got)
		}
		record("started", started, "立项、供地手续与开工并联办理")
		waitText(t, ctx, "[data-testid=project-stage]", "开工")
		if got := text(t, ctx, "[data-testid=stage-started]"); !strings.Contains(got, started) || !strings.Contains(got, "并联办理") {
			t.Errorf("the 开工 row: %q", got)
		}

		do(t, ctx, "filter the register by 开工", chromedp.Navigate(base+"/projects"), chromedp.WaitVisible(chromedp.CSS("[data-testid=projects-stage-filter]")),
			chromedp.SetValue(chromedp.CSS("[data-testid=projects-stage-filter]"), "started"),
			chromedp.Click(chromedp.CSS("[data-testid=projects-filter] button[type=submit]")))
		waitPath(t, ctx, base, "/projects?")
		waitText(t, ctx, "[data-testid=projects-table]", name)
		if got := pagePath(t, ctx, base); !strings.Contains(got, "stage=started") {
			t.Errorf("the filtered register is at %s", got)
		}
		if got := text(t, ctx, "[data-testid=projects-table]"); strings.Contains(got, "力健健身器具智能生产线项目") {
			t.Errorf("the register filtered by 开工 shows a project at 签约:\n%s", got)
		}
	})
}
