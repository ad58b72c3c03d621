package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/app"
	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestTargetFigureCorrection: the statistician opens a target, sees its
// chart, enters last month's figure again, and the history keeps both: the
// new one as 当前 and the demo's as 已更正.
func TestTargetFigureCorrection(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "tongji", demo.Password)

		id := townTarget(t, a, "固定资产投资")
		// The demo has figures up to last month; in January only January's.
		today := clock.Today(time.Now())
		lastMonth := today.AddDate(0, 0, -today.Day())
		if lastMonth.Year() != today.Year() {
			lastMonth = today
		}
		period := targets.Period(lastMonth.Year(), int(lastMonth.Month()))

		do(t, ctx, "open the target", chromedp.Navigate(fmt.Sprintf("%s/targets/%d", base, id)),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=figure-form]")))
		do(t, ctx, "wait for the chart", chromedp.WaitVisible(chromedp.CSS("#chart canvas")))
		canvases := get(t, ctx, "count the chart's canvases", chromedp.Evaluate[int](`document.querySelectorAll('#chart canvas').length`))
		if canvases == 0 {
			t.Fatal("the chart div holds no canvas")
		}
		if got := text(t, ctx, "[data-testid=chart-light]"); got != text(t, ctx, "[data-testid=target-light]") {
			t.Errorf("the chart's caption tells its light as %q, want the target's light in words", got)
		}
		before := get(t, ctx, "count the month's entries", chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('[data-testid=history-row][data-period=%q]').length`, period)))
		if before == 0 {
			t.Fatalf("the demo has no figure for %s", period)
		}

		t.Run("text is refused next to the field", func(t *testing.T) {
			do(t, ctx, "enter text",
				chromedp.SetValue(chromedp.ID("period"), period),
				chromedp.SendKeys(chromedp.ID("value"), "二十"),
			)
			resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-testid=figure-form] button[type=submit]`)))
			if err != nil {
				t.Fatalf("submit: %v", err)
			}
			if resp.Status != 422 {
				t.Errorf("status = %d, want 422", resp.Status)
			}
			if got := text(t, ctx, "[data-testid=error-value]"); !strings.Contains(got, "请输入数字") {
				t.Errorf("value error = %q, want 请输入数字", got)
			}
			nextTo := get(t, ctx, "find the value field", chromedp.Evaluate[bool](
				`document.querySelector('[data-testid=error-value]').parentElement.contains(document.getElementById('value'))`))
			if !nextTo {
				t.Error("the error is not next to the value field")
			}
		})

		do(t, ctx, "enter the corrected figure",
			chromedp.SetValue(chromedp.ID("period"), period),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('value').value = ''`),
			chromedp.SendKeys(chromedp.ID("value"), "23.45"),
			chromedp.SendKeys(chromedp.ID("reason"), "按统计局反馈"),
			chromedp.Click(chromedp.CSS(`[data-testid=figure-form] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		if got := text(t, ctx, ".flash"); !strings.Contains(got, "已保存") {
			t.Errorf("flash = %q, want 已保存", got)
		}
		rows := get(t, ctx, "read the month's history", chromedp.Evaluate[[]string](fmt.Sprintf(
			`Array.from(document.querySelectorAll('[data-testid=history-row][data-period=%q]'), r => r.innerText)`, period)))
		if len(rows) != before+1 {
			t.Fatalf("entries for %s: %d before, %d after, want one more:\n%s", period, before, len(rows), strings.Join(rows, "\n"))
		}
		if !strings.Contains(rows[0], "23.45") || !strings.Contains(rows[0], "当前") || !strings.Contains(rows[0], "按统计局反馈") {
			t.Errorf("newest entry = %q, want 23.45 marked 当前 with its reason", rows[0])
		}
		for _, r := range rows[1:] {
			if !strings.Contains(r, "已更正") {
				t.Errorf("older entry = %q, want it marked 已更正", r)
			}
		}
		if actual := text(t, ctx, "[data-testid=stat-actual]"); actual != "23.45" {
			t.Errorf("本年累计 = %q, want the corrected 23.45", actual)
		}
		do(t, ctx, "the chart is drawn again", chromedp.WaitVisible(chromedp.CSS("#chart canvas")))
	})
}

// townTarget is the id of one of XX镇's own targets.
func townTarget(t *testing.T, a *app.App, indicator string) int64 {
	t.Helper()
	var id int64
	err := a.DB.QueryRowContext(context.Background(), `SELECT t.id FROM targets t JOIN indicators i ON i.id = t.indicator_id JOIN units un ON un.id = t.unit_id
		WHERE i.name = $1 AND un.name = $2 AND t.person_id IS NULL`, indicator, demo.TownshipName).Scan(&id)
	if err != nil {
		t.Fatalf("target %s: %v", indicator, err)
	}
	return id
}
