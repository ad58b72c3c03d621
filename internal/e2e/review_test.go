package e2e

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/app"
	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// boardActual reads the 本年累计 the board's indicator table shows for a
// target, as a number: the board of the caller's own unit (a village
// reporter's is the village's).
func boardActual(t *testing.T, ctx context.Context, base string, target int64) float64 {
	t.Helper()
	do(t, ctx, "open the board", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("[data-testid=indicator-table]")))
	cell := get(t, ctx, "read the target's actual", chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const a = document.querySelector('[data-testid=indicator-table] a[href="/targets/%d"]');
		return a ? a.closest('tr').cells[3].innerText : '';
	})()`, target)))
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(cell), ",", ""), 64)
	if err != nil {
		t.Fatalf("the board's actual for target %d reads %q", target, cell)
	}
	return v
}

// TestReview: the township switches review on; the reporter's correction of
// 1-11月 shows as 待审核 and the board still counts the figure before it;
// the statistician approves it from the queue and the board counts it; a
// second one is returned with a reason, which the reporter sees on the
// target's page.
func TestReview(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		// 8 December: November has ended, and the demo has figures up to it.
		base, a := startServerAt(t, engine, time.Date(2026, 12, 8, 10, 0, 0, 0, clock.Beijing))
		village := unitID(t, a, "双塘村")
		id, kept := villageNovember(t, a)
		stat := newBrowser(t)
		login(t, stat, base, "tongji", demo.Password)
		do(t, stat, "switch review on", chromedp.Navigate(base+"/settings/targets"), chromedp.WaitVisible(chromedp.CSS("[data-testid=review-form]")),
			chromedp.Click(chromedp.CSS("[data-testid=review-on]")), chromedp.Click(chromedp.CSS("[data-testid=review-save]")))
		// The settings page had its rule before the post: wait for the page it brings back.
		waitText(t, stat, "[data-testid=review-rule]", "已开启")

		rep := newBrowser(t)
		login(t, rep, base, "shuangtang", demo.Password)
		page := fmt.Sprintf("%s/targets/%d", base, id)
		delta := math.Max(2, math.Round(kept*0.02))
		enter := func(v float64, reason string) {
			t.Helper()
			do(t, rep, "enter 1-11月", chromedp.Navigate(page+"?period=2026-11"), chromedp.WaitVisible(chromedp.CSS("[data-testid=figure-form]")),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('value').value = ''`), chromedp.SendKeys(chromedp.ID("value"), num(v)),
				chromedp.SendKeys(chromedp.ID("reason"), reason),
				chromedp.Click(chromedp.CSS(`[data-testid=figure-form] button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS("[data-testid=pending-note]")))
		}
		first := math.Round(kept) + delta
		enter(first, "补录一笔")
		if got := text(t, rep, ".flash"); !strings.Contains(got, "待统计员审核") {
			t.Errorf("after entering, the reporter reads %q, want that it waits for review", got)
		}
		// Who entered it, by name: shuangtang is 宋小芳.
		if got := text(t, rep, "[data-testid=pending-note]"); !strings.Contains(got, "待审核") || !strings.Contains(got, "宋小芳") {
			t.Errorf("the pending note reads %q, want 待审核 with who entered it, 宋小芳", got)
		}
		if got := boardActual(t, rep, base, id); math.Abs(got-kept) > 0.5 {
			t.Errorf("the board counts %v while the figure is pending, want the approved %v", got, kept)
		}

		do(t, stat, "open the board", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("[data-testid=pending-review]")))
		if got := text(t, stat, "[data-testid=pending-review]"); !strings.Contains(got, "待审核1条") {
			t.Errorf("the statistician's board reads %q, want 待审核1条", got)
		}
		do(t, stat, "open the queue", chromedp.Navigate(fmt.Sprintf("%s/targets/review?unit=%d", base, village)), chromedp.WaitVisible(chromedp.CSS("[data-testid=review-row]")))
		row := fmt.Sprintf(`[data-testid=review-row][data-figure="%d"]`, latestFigure(t, a, id))
		do(t, stat, "approve it", chromedp.Click(chromedp.CSS(row+" [data-testid=review-pick]")), chromedp.Click(chromedp.CSS("[data-testid=approve]")),
			chromedp.WaitVisible(chromedp.CSS(".flash")))
		if got := text(t, stat, ".flash"); !strings.Contains(got, "已审核通过") {
			t.Errorf("after approving the page says %q, want 已审核通过", got)
		}
		if got := boardActual(t, rep, base, id); math.Abs(got-first) > 0.5 {
			t.Errorf("the board counts %v after approval, want %v", got, first)
		}

		enter(first+delta, "再补一笔")
		do(t, stat, "open the queue again", chromedp.Navigate(fmt.Sprintf("%s/targets/review?unit=%d", base, village)), chromedp.WaitVisible(chromedp.CSS("[data-testid=review-row]")))
		row = fmt.Sprintf(`[data-testid=review-row][data-figure="%d"]`, latestFigure(t, a, id))
		do(t, stat, "return it", chromedp.SendKeys(chromedp.CSS(row+" [data-testid=return-reason]"), "与税务台账不符"),
			chromedp.Click(chromedp.CSS(row+" [data-testid=return]")), chromedp.WaitVisible(chromedp.CSS(".flash")))
		do(t, rep, "open the target", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("[data-testid=returned-note]")))
		if got := text(t, rep, "[data-testid=returned-note]"); !strings.Contains(got, "与税务台账不符") || !strings.Contains(got, "退回") {
			t.Errorf("the reporter reads %q, want the return and its reason", got)
		}
		if got := boardActual(t, rep, base, id); math.Abs(got-first) > 0.5 {
			t.Errorf("the board counts %v after the return, want the approved %v", got, first)
		}
	})
}

// villageNovember is a 双塘村 target in 万元 (shown whole) with a November
// figure in the demo, and that figure.
func villageNovember(t *testing.T, a *app.App) (int64, float64) {
	t.Helper()
	var id int64
	var v float64
	err := a.DB.QueryRowContext(context.Background(), `SELECT t.id, f.value FROM targets t JOIN units un ON un.id = t.unit_id JOIN indicators i ON i.id = t.indicator_id
		JOIN figures f ON f.target_id = t.id AND f.period = '2026-11'
		WHERE un.name = '双塘村' AND t.person_id IS NULL AND i.measure = 'cumulative' AND i.cadence = 'monthly' AND i.measure_unit = '万元' AND f.value > 0
		ORDER BY t.id, f.id DESC LIMIT 1`).Scan(&id, &v)
	if err != nil {
		t.Fatalf("a 双塘村 target with November: %v", err)
	}
	return id, v
}

func latestFigure(t *testing.T, a *app.App, target int64) int64 {
	t.Helper()
	var id int64
	if err := a.DB.QueryRowContext(context.Background(), `SELECT MAX(id) FROM figures WHERE target_id = $1`, target).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
